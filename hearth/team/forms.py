"""Forms for the team pages. They only shape input: every rule is the
service's, so a refusal reads the same on a page as through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import Discipline, User
from hearth.team.choices import WELLBEING_ANCHORS, WellbeingItem
from hearth.team.models import MAX_TRAINING_HOURS, RENEW_MONTHS_RANGE, MandatoryCourse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def person_label(user: User) -> str:
    discipline = Discipline(user.discipline).label if user.discipline in Discipline.values else ""
    return f"{user.display_name} ({discipline})" if discipline else user.display_name


def people_choices(people: list[User]) -> list[tuple[str, str]]:
    return [(str(person.external_id), person_label(person)) for person in people]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (e.g. entered in error)"), max_length=300, widget=_textarea(2)
    )


class ConfirmForm(forms.Form):
    pass


class MandatoryCourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    renew_every_months = forms.IntegerField(
        label=_("Renew every (months)"),
        min_value=RENEW_MONTHS_RANGE[0],
        max_value=RENEW_MONTHS_RANGE[1],
    )
    disciplines = forms.MultipleChoiceField(
        label=_("Required of"),
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(3))


class EditMandatoryCourseForm(MandatoryCourseForm):
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("Untick to retire the course; its records are kept."),
    )


class TrainingForm(forms.Form):
    staff = forms.ChoiceField(label=_("Member of staff"))
    mandatory_course = forms.ChoiceField(
        label=_("Mandatory course it renews"),
        required=False,
        help_text=_("Leave empty for other continuing education."),
    )
    course_title = forms.CharField(
        label=_("Course"),
        max_length=200,
        required=False,
        help_text=_("May be left empty when it renews a mandatory course."),
    )
    provider = forms.CharField(label=_("Provider"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.01"),
        max_value=MAX_TRAINING_HOURS,
        max_digits=5,
        decimal_places=2,
    )
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: a mandatory course expires after its renewal interval."),
    )

    def __init__(self, *args: Any, people: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].choices = people_choices(people)  # type: ignore[attr-defined]
        self.fields["mandatory_course"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(course.external_id), course.title) for course in MandatoryCourse.objects.in_use()
        ]


def _answer_field(item: str, label: Any) -> forms.TypedChoiceField:
    low, high = WELLBEING_ANCHORS[item]
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        help_text=f"{low} · {high}",
    )


class WellbeingForm(forms.Form):
    """Five questions, 1 to 5. Not a clinical instrument; no free text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item, label in WellbeingItem.choices:
            self.fields[item] = _answer_field(item, label)


class DebriefForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    facilitator = forms.ChoiceField(label=_("Facilitator"))
    attendees = forms.MultipleChoiceField(
        label=_("Who took part"), widget=forms.CheckboxSelectMultiple
    )
    went_well = forms.CharField(label=_("What went well"), widget=_textarea())
    could_be_better = forms.CharField(label=_("What could have been better"), widget=_textarea())
    actions = forms.CharField(label=_("Actions agreed"), required=False, widget=_textarea(3))

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = people_choices(people)
        self.fields["facilitator"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["attendees"].choices = choices  # type: ignore[attr-defined]
