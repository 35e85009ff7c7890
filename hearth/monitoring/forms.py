"""Forms for the monitoring and assessment pages, built from the instrument
registry so a new instrument needs no new page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import User
from hearth.assessments import instruments
from hearth.assessments.choices import PHASE_HELP, Phase, Respondent
from hearth.monitoring.choices import DeviceKind, OnCallRole, PhysiologicalRouting, TriageOutcome


class ScaleSlider(forms.Widget):
    """An ESAS-r slider with the words at both ends. It sends a value only once
    touched (check-in.js), so an item left alone is missing, not zero; without
    JavaScript a number box takes its place."""

    template_name = "monitoring/widgets/scale_slider.html"

    def __init__(self, item: instruments.Item, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.item = item

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["item"] = self.item
        return context


#: The value of the "cannot assess" answer on a form (IPOS staff version).
NOT_ASSESSED = "not_assessed"


def _score_words(item: instruments.Item, value: int, words: Any) -> str:
    """ "3 — Severely"; a signed scale keeps its sign ("+2", "-2") so that
    agitation and sedation cannot be read one for the other."""
    number = f"{value:+d}" if item.minimum < 0 and value else str(value)
    return f"{number} — {words}"


def _coerce_score(value: Any) -> Any:
    return NOT_ASSESSED if value == NOT_ASSESSED else int(value)


def instrument_form(
    definition: instruments.Instrument, *, sliders: bool = False
) -> type[forms.Form]:
    """A form with one field per item; blank means not answered. Tick boxes
    (a problem list) send 1 or 0; an item with a name (IPOS other symptoms)
    gets a name box; a proxy form offers "cannot assess" on each item."""
    fields: dict[str, forms.Field] = {}
    for item in definition.items:
        if item.checkbox:
            fields[item.key] = forms.BooleanField(label=str(item.label), required=False)
        elif item.choices and not sliders:
            choices: list[tuple[Any, Any]] = [("", "—")]
            choices += [(value, _score_words(item, value, words)) for value, words in item.choices]
            if definition.allows_not_assessed and item.key not in definition.unscored_items:
                choices.append((NOT_ASSESSED, _("Cannot assess (for example, unconscious)")))
            fields[item.key] = forms.TypedChoiceField(
                label=str(item.label),
                choices=choices,
                coerce=_coerce_score,
                required=False,
                empty_value=None,
            )
        else:
            fields[item.key] = forms.IntegerField(
                label=str(item.label),
                min_value=item.minimum,
                max_value=item.maximum,
                required=False,
                widget=ScaleSlider(item) if sliders else forms.NumberInput(),
                help_text=(
                    f"{item.minimum} = {item.low_anchor} · {item.maximum} = {item.high_anchor}"
                    if item.low_anchor and not sliders
                    else ""
                ),
            )
        if item.key == "other":
            fields["other_problem"] = forms.CharField(
                label=_("Name the other problem"), max_length=100, required=False
            )
        if item.named:
            fields[f"{item.key}_name"] = forms.CharField(
                label=_("What is it?"), max_length=100, required=False
            )
    return type(f"{definition.code.title()}Form", (forms.Form,), dict(fields))


def answers_from(definition: instruments.Instrument, data: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in definition.items:
        value = data.get(item.key)
        if item.checkbox:
            answers[item.key] = 1 if value else 0
        elif value is not None and value != NOT_ASSESSED:
            answers[item.key] = value
    return answers


def not_assessed_from(definition: instruments.Instrument, data: dict[str, Any]) -> list[str]:
    return [item.key for item in definition.items if data.get(item.key) == NOT_ASSESSED]


def item_names_from(definition: instruments.Instrument, data: dict[str, Any]) -> dict[str, str]:
    return {
        item.key: data[f"{item.key}_name"]
        for item in definition.items
        if item.named and data.get(f"{item.key}_name")
    }


class StaffAssessmentExtras(forms.Form):
    completed_by = forms.ChoiceField(label=_("Completed by"), choices=Respondent.choices)
    caregiver_id = forms.ChoiceField(label=_("About which family caregiver"), required=False)


class CheckInForm(forms.Form):
    help_requested = forms.BooleanField(label=_("We need help now"), required=False)
    note = forms.CharField(
        label=_("Anything else you want the team to know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    cannot_cope = forms.BooleanField(
        label=_("I am finding it too hard to care right now"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase of illness"),
        # Each phase with its PCOC definition, so the choice is made against it.
        choices=[
            (value, format_lazy("{} — {}", label, PHASE_HELP[value]))
            for value, label in Phase.choices
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Why"), max_length=300, required=False)
    end_reason = forms.CharField(
        label=_("Why the current phase ended"), max_length=300, required=False
    )


class ThresholdsForm(forms.Form):
    esas_item_threshold = forms.IntegerField(
        label=_("Alert when any ESAS-r item is at least"), min_value=1, max_value=10
    )
    esas_rise_threshold = forms.IntegerField(
        label=_("Alert when an item rises by at least (since the previous check-in)"),
        min_value=1,
        max_value=10,
    )
    physiological_routing = forms.ChoiceField(
        label=_("NEWS2 triggers from home readings"), choices=PhysiologicalRouting.choices
    )
    spo2_scale = forms.TypedChoiceField(
        label=_("SpO2 scale"),
        choices=[(1, _("Scale 1")), (2, _("Scale 2 (target 88–92%, hypercapnic failure)"))],
        coerce=int,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DeviceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    label = forms.CharField(label=_("Label"), max_length=100)
    serial_number = forms.CharField(label=_("Serial number"), max_length=60, required=False)


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happens next"), choices=TriageOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class OnCallShiftForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OnCallRole.choices)
    staff = forms.ModelChoiceField(
        label=_("Who"),
        queryset=User.objects.filter(kind="staff", is_active=True).order_by("last_name"),
        empty_label=_("Choose a person"),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
