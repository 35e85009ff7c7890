"""Forms of the planning pages: which day, and moving a visit by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User
from hearth.visits.models import Shift


class PlanDayForm(forms.Form):
    date = forms.DateField(label=_("Day to plan"), widget=forms.DateInput(attrs={"type": "date"}))


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_discipline_display()})"


class MovePlannedVisitForm(forms.Form):
    """Staff member and local start time on the plan's day. Only people with
    a shift that day are offered; the service checks every other rule."""

    staff = StaffChoiceField(label=_("Staff member"), queryset=User.objects.none())
    start = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, day: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day = day
        working = Shift.objects.current().filter(date=day).values("staff_id")
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=working, is_active=True).order_by(
            "discipline", "last_name", "first_name"
        )

    def start_at(self) -> dt.datetime:
        """The chosen time on the plan's day, in the service's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.day, self.cleaned_data["start"]))
