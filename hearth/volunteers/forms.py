"""Forms for the volunteers pages. They only shape input: every rule (dates
in order, overlaps, eligibility, who may do what) is the service's, so a
refusal reads the same on a page as through the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User
from hearth.volunteers.choices import (
    Activity,
    EndReason,
    TrainingModule,
    VolunteerStatus,
    Weekday,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _ProfileFields(forms.Form):
    started_on = forms.DateField(label=_("Volunteering since"), widget=DATE)
    offers = forms.MultipleChoiceField(
        label=_("What they offer"),
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.CharField(label=_("Area they cover"), max_length=300, required=False)
    vetting_checked_on = forms.DateField(
        label=_("Background check (DBS) issued on"), widget=DATE, required=False
    )
    vetting_expires_on = forms.DateField(
        label=_("Background check due for renewal on"), widget=DATE, required=False
    )
    notes = forms.CharField(
        label=_("Coordinator's notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Seen by the coordinator only."),
    )


class NewProfileForm(_ProfileFields):
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=User.objects.none(),
        to_field_name="external_id",
        empty_label=_("Choose a person"),
        help_text=_("Staff sign-ins whose role is volunteer and who have no profile yet."),
    )

    def __init__(self, *args: Any, volunteers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = volunteers if volunteers is not None else User.objects.none()
        field.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]
        self.order_fields(["volunteer"])


class ProfileForm(_ProfileFields):
    pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TrainingForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"), choices=TrainingModule.choices)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty if it does not expire."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("To"), widget=TIME)


class AwayForm(forms.Form):
    starts_on = forms.DateField(label=_("Away from"), widget=DATE)
    ends_on = forms.DateField(label=_("Back after"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AssignmentForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=User.objects.none(),
        to_field_name="external_id",
        empty_label=_("Choose a person"),
    )
    kind = forms.ChoiceField(label=_("What they will do"), choices=Activity.choices)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until (if known)"), widget=DATE, required=False)
    usual_times = forms.CharField(
        label=_("Usual times"),
        max_length=200,
        required=False,
        help_text=_("As the family will read it, e.g. “Tuesdays 2–5 pm”."),
    )
    note = forms.CharField(
        label=_("Note for the volunteer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, volunteers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = volunteers if volunteers is not None else User.objects.none()
        field.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]


class EndAssignmentForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    note = forms.CharField(label=_("Details"), max_length=300, required=False)


class ConfirmForm(forms.Form):
    """A button: the service decides whether the step is possible."""
