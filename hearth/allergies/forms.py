"""Forms for the allergies pages. They only shape input: every rule is the
service's, so a page and the API refuse the same input in the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hearth.allergies.choices import AllergyType, Certainty, ReactionSeverity, SubstanceKind
from hearth.allergies.models import Substance


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def substance_choices() -> list[Any]:
    """The catalogue grouped as a nurse looks for it: groups of medicines,
    medicines, then everything else."""
    groups: dict[str, list[tuple[str, str]]] = {kind: [] for kind in SubstanceKind.values}
    for substance in Substance.objects.filter(active=True).order_by("name"):
        groups[substance.kind].append((substance.code, substance.label))
    return [("", "—")] + [
        (str(SubstanceKind(kind).label).capitalize(), entries)
        for kind, entries in groups.items()
        if entries
    ]


class SubstanceForm(forms.Form):
    substance = forms.ChoiceField(
        label=_("What they react to"),
        error_messages={"invalid_choice": _("Choose a substance from the list.")},
    )
    substance_text = forms.CharField(
        label=_("Describe it (for “other”, or to be more precise)"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substance"].choices = substance_choices()  # type: ignore[attr-defined]


class AllergyForm(SubstanceForm):
    type = forms.ChoiceField(label=_("Allergy or intolerance"), choices=AllergyType.choices)
    reaction = forms.CharField(
        label=_("What happened (the reaction)"),
        required=False,
        max_length=2000,
        widget=_textarea(),
    )
    severity = forms.ChoiceField(
        label=_("How bad the reaction was"), choices=ReactionSeverity.choices
    )
    certainty = forms.ChoiceField(
        label=_("How sure the team is"), choices=Certainty.choices, initial=Certainty.SUSPECTED
    )
    reported_by = forms.CharField(
        label=_("Who told us"),
        max_length=120,
        help_text=_("The person, a relative, the GP letter, the hospital record…"),
    )
    reported_on = forms.DateField(
        label=_("When we were told"),
        required=False,
        help_text=_("Today if left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ChangeAllergyForm(forms.Form):
    type = forms.ChoiceField(label=_("Allergy or intolerance"), choices=AllergyType.choices)
    reaction = forms.CharField(
        label=_("What happened (the reaction)"),
        required=False,
        max_length=2000,
        widget=_textarea(),
    )
    severity = forms.ChoiceField(
        label=_("How bad the reaction was"), choices=ReactionSeverity.choices
    )
    certainty = forms.ChoiceField(label=_("How sure the team is"), choices=Certainty.choices)
    reported_by = forms.CharField(label=_("Who told us"), max_length=120)
    reported_on = forms.DateField(
        label=_("When we were told"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Why it changes"), max_length=2000, widget=_textarea())


class AcceptForm(forms.Form):
    type = forms.ChoiceField(label=_("Allergy or intolerance"), choices=AllergyType.choices)
    reaction = forms.CharField(
        label=_("What happened (the reaction)"),
        required=False,
        max_length=2000,
        widget=_textarea(),
    )
    severity = forms.ChoiceField(
        label=_("How bad the reaction was"), choices=ReactionSeverity.choices
    )
    certainty = forms.ChoiceField(
        label=_("How sure the team is"),
        choices=[
            (Certainty.SUSPECTED, Certainty.SUSPECTED.label),
            (Certainty.CONFIRMED, Certainty.CONFIRMED.label),
        ],
    )


class AllergyReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea())


class NkdaForm(forms.Form):
    reported_by = forms.CharField(
        label=_("Who told us"),
        max_length=120,
        help_text=_("The person, a relative, the GP letter, the hospital record…"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class ProposalForm(SubstanceForm):
    type = forms.ChoiceField(
        label=_("Allergy or intolerance"),
        choices=AllergyType.choices,
        help_text=_(
            "An allergy is a reaction such as a rash, swelling or trouble breathing; "
            "an intolerance is a side effect such as sickness."
        ),
    )
    reaction = forms.CharField(
        label=_("What happened when they had it"), max_length=2000, widget=_textarea()
    )
    severity = forms.ChoiceField(
        label=_("How bad it was (if you know)"),
        required=False,
        choices=[("", _("I don't know")), *ReactionSeverity.choices],
    )
