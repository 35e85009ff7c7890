"""Forms for the caregiving pages. They only shape input: every rule (who may
sign off, the expiry, the respite flow) is the service's, so a refusal reads
the same on a page as through the API.

People and carers are chosen by external id; the view resolves them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import Discipline
from hearth.caregiving import curriculum
from hearth.caregiving.choices import (
    ContactKind,
    ContactMode,
    RespiteKind,
    SupportAction,
    TrainingStep,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class TrainingStepForm(forms.Form):
    caregiver = forms.ChoiceField(label=_("Family carer"))
    skill = forms.ChoiceField(label=_("Skill"))
    step = forms.ChoiceField(label=_("What happened"), choices=TrainingStep.choices)
    on = forms.DateField(label=_("On"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Valid until (sign-off only)"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for the service's usual period; you may give an earlier date."),
    )
    note = forms.CharField(
        label=_("Note (what was taught, how it went)"),
        required=False,
        max_length=4000,
        widget=_textarea(),
    )

    def __init__(self, *args: Any, caregivers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caregiver"].choices = _with_blank(caregivers)  # type: ignore[attr-defined]
        self.fields["skill"].choices = _with_blank(curriculum.choices())  # type: ignore[attr-defined]


class WithdrawTrainingForm(forms.Form):
    caregiver = forms.ChoiceField(label=_("Family carer"))
    skill = forms.ChoiceField(label=_("Skill"))
    reason = forms.CharField(label=_("Why"), max_length=4000, widget=_textarea())

    def __init__(self, *args: Any, caregivers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caregiver"].choices = _with_blank(caregivers)  # type: ignore[attr-defined]
        self.fields["skill"].choices = _with_blank(curriculum.choices())  # type: ignore[attr-defined]


DISCIPLINE_CHOICES = _with_blank(
    [
        (d.value, d.label)
        for d in (
            Discipline.PSYCHOLOGIST,
            Discipline.SOCIAL_WORKER,
            Discipline.NURSE,
            Discipline.PHYSICIAN,
            Discipline.CHAPLAIN,
            Discipline.COORDINATOR,
        )
    ]
)


class SupportTaskForm(forms.Form):
    caregiver = forms.ChoiceField(label=_("Family carer"))
    reason = forms.CharField(label=_("What the family needs"), max_length=4000, widget=_textarea())
    suggested_actions = forms.MultipleChoiceField(
        label=_("Suggested actions"),
        choices=SupportAction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(label=_("Due by"), widget=DATE)
    assigned_discipline = forms.ChoiceField(
        label=_("For which discipline"), choices=DISCIPLINE_CHOICES, required=False
    )
    assigned_to = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(
        self,
        *args: Any,
        caregivers: list[tuple[str, str]] | None = None,
        staff: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if caregivers is None:
            del self.fields["caregiver"]
            del self.fields["reason"]
        else:
            self.fields["caregiver"].choices = _with_blank(caregivers)  # type: ignore[attr-defined]
        self.fields["assigned_to"].choices = _with_blank(staff)  # type: ignore[attr-defined]


class CloseTaskForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[("done", _("Done")), ("cancelled", _("Cancelled: no longer needed"))],
    )
    text = forms.CharField(
        label=_("What was done, or why not"), max_length=4000, widget=_textarea()
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), required=False, min_value=1, max_value=600
    )
    relatives = forms.MultipleChoiceField(
        label=_("With which relatives"), required=False, widget=forms.CheckboxSelectMultiple
    )
    others_present = forms.CharField(
        label=_("Other relatives present (names)"), required=False, max_length=200
    )
    outcome = forms.CharField(label=_("Outcome"), max_length=4000, widget=_textarea(4))
    next_step = forms.CharField(
        label=_("Next step"), required=False, max_length=4000, widget=_textarea(2)
    )
    next_contact_on = forms.DateField(label=_("Next contact on"), required=False, widget=DATE)

    def __init__(
        self,
        *args: Any,
        kinds: list[str],
        relatives: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind, ContactKind(kind).label) for kind in kinds
        ]
        self.fields["relatives"].choices = relatives  # type: ignore[attr-defined]


class RespiteRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of respite"), choices=RespiteKind.choices)
    wanted_from = forms.DateField(label=_("From"), widget=DATE)
    wanted_to = forms.DateField(label=_("Until"), widget=DATE)
    reason = forms.CharField(
        label=_("Anything we should know (optional)"),
        required=False,
        max_length=4000,
        widget=_textarea(),
    )
    caregiver = forms.ChoiceField(label=_("For which carer"), required=False)

    def __init__(
        self, *args: Any, caregivers: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if caregivers is None:
            del self.fields["caregiver"]
        else:
            self.fields["caregiver"].choices = _with_blank(caregivers)  # type: ignore[attr-defined]


class BookRespiteForm(forms.Form):
    volunteer = forms.ChoiceField(label=_("Volunteer"), required=False)
    place = forms.CharField(
        label=_("Place (inpatient or day respite)"), required=False, max_length=200
    )
    booked_from = forms.DateTimeField(label=_("From"), widget=DATETIME)
    booked_to = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    note = forms.CharField(
        label=_("Note for the family"), required=False, max_length=4000, widget=_textarea(2)
    )

    def __init__(self, *args: Any, volunteers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = _with_blank(volunteers)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=_textarea())


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=_textarea())
