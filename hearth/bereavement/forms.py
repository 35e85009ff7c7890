"""Forms for the bereavement pages. They only shape input: every rule (dates
after the death, a reason to reschedule, the banding, the return checklist)
is the service's, so a refusal reads the same on a page as through the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.patients.models import CaregiverLink

from .choices import BereavementContactKind, ContactStatus, ReferralTo, RiskFactor, RiskLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def relative_choices(links: list[CaregiverLink]) -> list[tuple[str, str]]:
    choices = []
    for link in links:
        label = f"{link.user.display_name} ({link.relationship_label})"
        if link.is_primary_caregiver:
            label += " · " + str(_("primary caregiver"))
        if link.ended_at is not None:
            label += " · " + str(_("link ended"))
        choices.append((str(link.external_id), label))
    return choices


class _RelativesMixin(forms.Form):
    relative_ids = forms.MultipleChoiceField(
        label=_("With"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for the whole current family."),
    )

    def __init__(
        self, *args: Any, relatives: list[CaregiverLink] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["relative_ids"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = relative_choices(relatives or [])


class ContactForm(_RelativesMixin):
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=BereavementContactKind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)
    field_order = ["due_on", "kind", "relative_ids", "purpose"]


class ChangeContactForm(_RelativesMixin):
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=BereavementContactKind.choices)
    reason = forms.CharField(
        label=_("Why it moves"),
        max_length=300,
        required=False,
        help_text=_("Needed for a new date."),
    )
    field_order = ["due_on", "kind", "relative_ids", "reason"]


class ContactOutcomeForm(_RelativesMixin):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ContactStatus.DONE.value, ContactStatus.DONE.label),
            (ContactStatus.NOT_REACHED.value, ContactStatus.NOT_REACHED.label),
        ],
        widget=forms.RadioSelect,
    )
    done_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    note = forms.CharField(
        label=_("What came of it"), widget=_textarea(4), required=False, max_length=4000
    )
    retry_on = forms.DateField(
        label=_("Try again on"),
        widget=DATE,
        required=False,
        help_text=_("Only when nobody could be reached."),
    )
    field_order = ["outcome", "done_at", "relative_ids", "note", "retry_on"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(), max_length=4000)


class RiskScreenForm(_RelativesMixin):
    factors = forms.MultipleChoiceField(
        label=_("Risk factors present"),
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    raised_to = forms.ChoiceField(
        label=_("Raise the result by clinical judgement"),
        choices=[("", _("No: use the service's banding"))]
        + [(level.value, level.label) for level in (RiskLevel.MODERATE, RiskLevel.HIGH)],
        required=False,
    )
    note = forms.CharField(label=_("Note"), widget=_textarea(), required=False, max_length=4000)
    referred_to = forms.ChoiceField(
        label=_("Referred to"), choices=ReferralTo.choices, required=False
    )
    field_order = ["factors", "relative_ids", "raised_to", "note", "referred_to"]


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=_textarea(2), required=False, max_length=4000)


class ClosePlanForm(forms.Form):
    note = forms.CharField(
        label=_("Outcome of the follow-up"), widget=_textarea(4), max_length=4000
    )
    close_episode = forms.BooleanField(
        label=_("Also close the episode of care"),
        required=False,
        help_text=_("Ends the service's involvement; the record stays readable."),
    )
