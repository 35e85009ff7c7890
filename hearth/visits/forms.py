"""Forms for the visits pages. They only shape input: every rule (ranges,
who may do what, a second shift on the same day, an https link) is the
service's, so a refusal reads the same on a page as through the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearth.accounts.models import Discipline, User
from hearth.assessments.choices import Phase
from hearth.visits.choices import (
    AlertOutcome,
    Consciousness,
    Endpoint,
    Per,
    Skill,
    TimeRequestKind,
    VisitKind,
)
from hearth.visits.services import PLANNED_DISCIPLINES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _person_label(user: User) -> str:
    discipline = Discipline(user.discipline).label if user.discipline in Discipline.values else ""
    return f"{user.display_name} ({discipline})" if discipline else user.display_name


def people_choices(people: list[User]) -> list[tuple[str, str]]:
    return [(str(person.external_id), _person_label(person)) for person in people]


def planned_discipline_choices() -> list[tuple[str, str]]:
    return [
        (value, str(label)) for value, label in Discipline.choices if value in PLANNED_DISCIPLINES
    ]


# --- Staff availability ---------------------------------------------------------


class PlanningProfileForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("Skills signed off"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_visits_per_day = forms.IntegerField(label=_("Most home visits in a day"), initial=8)
    home_latitude = forms.DecimalField(
        label=_("Home latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Only for shifts that start or end at home."),
    )
    home_longitude = forms.DecimalField(
        label=_("Home longitude"), required=False, max_digits=9, decimal_places=6
    )


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME)
    starts_from = forms.ChoiceField(
        label=_("Starts from"), choices=Endpoint.choices, initial=Endpoint.BASE
    )
    ends_at_place = forms.ChoiceField(
        label=_("Ends at"), choices=Endpoint.choices, initial=Endpoint.BASE
    )


class ConfirmForm(forms.Form):
    """A button: the service decides whether the step is possible."""


# --- Visit needs -------------------------------------------------------------------


class VisitNeedForm(forms.Form):
    description = forms.CharField(label=_("What the visit is for"), max_length=500)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=VisitKind.choices, initial=VisitKind.HOME_VISIT
    )
    discipline = forms.ChoiceField(label=_("Discipline"))
    skills = forms.MultipleChoiceField(
        label=_("Skills needed"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.IntegerField(label=_("Minutes each time"), initial=45)
    times = forms.IntegerField(label=_("How often"), initial=1)
    per = forms.ChoiceField(label=_("Per"), choices=Per.choices, initial=Per.WEEK)
    preferred_staff = forms.ChoiceField(
        label=_("Preferred staff member (continuity of carer)"), required=False
    )

    def __init__(self, *args: Any, team: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = {str(person.external_id): person for person in team}
        self.fields["discipline"].choices = planned_discipline_choices()  # type: ignore[attr-defined]
        self.fields["preferred_staff"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone qualified")),
            *people_choices(team),
        ]

    def clean_preferred_staff(self) -> User | None:
        key = self.cleaned_data.get("preferred_staff") or ""
        return self.team.get(key) if key else None


# --- Time requests -----------------------------------------------------------------------


class TimeRequestForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Request"), choices=TimeRequestKind.choices, widget=forms.RadioSelect
    )
    starts_at = forms.TimeField(label=pgettext_lazy("time of day", "From"), widget=TIME)
    ends_at = forms.TimeField(label=_("Until"), widget=TIME)
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=300)


# --- Teleconsultations -------------------------------------------------------------


class TeleconsultForm(forms.Form):
    staff = forms.ChoiceField(label=_("Clinician holding the call"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=_datetime_widget())
    duration_minutes = forms.IntegerField(label=_("Minutes"), initial=30)
    video_link = forms.CharField(
        label=_("Video link"), max_length=200, help_text=_("A secure link starting with https://.")
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=500)
    participants = forms.MultipleChoiceField(
        label=_("Also invited"), required=False, widget=forms.CheckboxSelectMultiple
    )
    participants_note = forms.CharField(
        label=_("Others joining (interpreter, hospital team…)"), required=False, max_length=300
    )

    def __init__(
        self, *args: Any, clinicians: list[User], people: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clinicians = {str(person.external_id): person for person in clinicians}
        self.people = {str(person.external_id): person for person in people}
        self.fields["staff"].choices = people_choices(clinicians)  # type: ignore[attr-defined]
        self.fields["participants"].choices = people_choices(people)  # type: ignore[attr-defined]

    def clean_staff(self) -> User:
        key = self.cleaned_data.get("staff") or ""
        if key not in self.clinicians:
            raise forms.ValidationError(_("Choose a clinician on the care team."))
        return self.clinicians[key]

    def clean_participants(self) -> list[User]:
        return [self.people[key] for key in self.cleaned_data.get("participants") or []]


# --- The visit record ---------------------------------------------------------------


class ArriveForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Arrived (leave empty for now)"), required=False, widget=_datetime_widget()
    )


class VisitNoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=_textarea(4), max_length=10000)


def _pps_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(str(level), f"{level}%") for level in range(100, -1, -10)]]


class CloseVisitForm(forms.Form):
    arrived_at = forms.DateTimeField(
        label=_("Arrived"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Only if the arrival was not recorded."),
    )
    departed_at = forms.DateTimeField(
        label=_("Left (leave empty for now)"),
        required=False,
        widget=_datetime_widget(),
        help_text=_("Empty means the moment you press “Close the visit”."),
    )
    actions_taken = forms.CharField(label=_("Actions taken"), widget=_textarea(4), max_length=10000)
    #: The one note box on an open visit: "Save the note" sends it to the
    #: note step, "Close the visit" keeps it as a note of the closing.
    text = forms.CharField(label=_("Note"), required=False, widget=_textarea(3), max_length=10000)
    pulse = forms.IntegerField(label=_("Pulse (beats/min)"), required=False)
    systolic_pressure = forms.IntegerField(
        label=_("Systolic blood pressure (mmHg)"), required=False
    )
    diastolic_pressure = forms.IntegerField(
        label=_("Diastolic blood pressure (mmHg)"), required=False
    )
    respiratory_rate = forms.IntegerField(label=_("Breaths per minute"), required=False)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), required=False, max_digits=4, decimal_places=1
    )
    oxygen_saturation = forms.IntegerField(label=_("Oxygen saturation (%)"), required=False)
    supplemental_oxygen = forms.TypedChoiceField(
        label=_("Breathing"),
        choices=[("no", _("Room air")), ("yes", _("Supplemental oxygen"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    consciousness = forms.ChoiceField(
        label=_("Consciousness (ACVPU)"),
        choices=Consciousness.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("With the other signs, this completes the visit's NEWS2."),
    )
    pps = forms.TypedChoiceField(
        label=_("Palliative Performance Scale (PPS)"),
        choices=_pps_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    phase = forms.ChoiceField(
        label=_("Phase of illness"), choices=[("", "—"), *Phase.choices], required=False
    )
    phase_end_reason = forms.CharField(
        label=_("Why the phase changed"), required=False, max_length=300
    )
    alert_outcome = forms.ChoiceField(
        label=_("The alert this visit answers"),
        choices=[("", "—"), *AlertOutcome.choices],
        required=False,
    )

    def __init__(self, *args: Any, answers_alert: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not answers_alert:
            del self.fields["alert_outcome"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2), max_length=300)


class UrgentVisitForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the visit is urgent"), widget=forms.Textarea(attrs={"rows": 3})
    )
    discipline = forms.ChoiceField(
        label=_("Who should go"), choices=[("physician", _("Physician")), ("nurse", _("Nurse"))]
    )
