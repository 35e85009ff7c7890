"""Forms for the medicines pages. They only shape input: every rule (the
ordered dose, the interval, the 24 h maximum, who may do what) is the
service's, so a refusal is the same on a page as through the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hearth.medications.choices import (
    FAMILY_ROUTES,
    AdministrationOutcome,
    Conversion,
    NotGivenReason,
    OrderKind,
    ReviewStatus,
    Route,
    StockMovement,
)
from hearth.medications.models import DrugRoute, Formulation, describe_dose

MANUAL_MOVEMENTS = (
    StockMovement.RECEIVED,
    StockMovement.RETURNED,
    StockMovement.DESTROYED,
    StockMovement.COUNTED,
)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DrugRouteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.drug.name} — {Route(obj.route).label} ({obj.get_dose_unit_display()})"


class FormulationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {Route(obj.drug_route.route).label}"


def formulation_field(queryset: Any) -> FormulationChoice:
    return FormulationChoice(
        label=_("Form and strength at home"),
        queryset=queryset,
        required=False,
        to_field_name="external_id",
        help_text=_(
            "Optional. A controlled drug with a form takes its doses out of the home register."
        ),
    )


class DosingForm(forms.Form):
    """What a prescription says; shared by a new order and a change."""

    dose = forms.DecimalField(
        label=_("Dose"),
        max_digits=10,
        decimal_places=3,
        help_text=_("In the unit of the medicine and route (mg, micrograms, micrograms/hour…)."),
    )
    times = forms.CharField(
        label=_("Times of day (regular)"),
        required=False,
        max_length=400,
        help_text=_("24-hour clock, separated by commas, e.g. 08:00, 20:00."),
    )
    every_days = forms.IntegerField(
        label=_("Every how many days (regular)"),
        required=False,
        min_value=1,
        help_text=_("1 = daily; 3 = a patch changed every 72 hours."),
    )
    minimum_interval_minutes = forms.IntegerField(
        label=_("Minimum time between doses, minutes (as needed)"),
        required=False,
        help_text=format_lazy(
            "{} {}",
            _("Suggested for breakthrough opioid doses:"),
            settings.HEARTH_BREAKTHROUGH_INTERVAL_MINUTES,
        ),
    )
    maximum_doses_24h = forms.IntegerField(
        label=_("Maximum doses in any 24 hours (as needed)"),
        required=False,
        help_text=_("The family chart tells them to stop and call the team at this limit."),
    )
    indication = forms.CharField(label=_("What it is for"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions for the family"),
        required=False,
        max_length=2000,
        widget=_textarea(),
        help_text=_("Do not type a volume: for a liquid it is worked out from the dose."),
    )
    allergy_override_reason = forms.CharField(
        label=_("If it matches an allergy: why prescribe it anyway"),
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text=_("Only when asked. A confirmed severe allergy cannot be overridden."),
    )
    confirmation_reason = forms.CharField(
        label=_("Your reason, to confirm this dose"),
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text=_(
            "Asked for when a dose check is triggered (a large rise, an opioid-naive "
            "person, above the usual maximum). Kept in the order's history."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # The reason box appears when the form comes back with the checks.
            self.fields["confirmation_reason"].widget = forms.HiddenInput()


def dosing_values(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """The service's keyword arguments from a dosing form. Fields that do not
    belong to the kind are left out (a regular order has no interval, an
    as-needed one no times), so a prefilled box the physician did not clear is
    not an error."""
    values: dict[str, Any] = {
        "dose": data["dose"],
        "indication": data["indication"],
        "instructions": data.get("instructions") or "",
        "formulation": data.get("formulation"),
        "allergy_override_reason": data.get("allergy_override_reason") or "",
        "confirmation_reason": data.get("confirmation_reason") or "",
    }
    if kind == OrderKind.REGULAR:
        text = data.get("times") or ""
        values["times"] = [part.strip() for part in text.split(",") if part.strip()]
        values["every_days"] = data.get("every_days") or 1
    else:
        values["minimum_interval_minutes"] = data.get("minimum_interval_minutes")
        values["maximum_doses_24h"] = data.get("maximum_doses_24h")
    return values


class PrescribeForm(DosingForm):
    drug_route = DrugRouteChoice(
        label=_("Medicine and route"),
        queryset=DrugRoute.objects.filter(drug__active=True).select_related("drug"),
        to_field_name="external_id",
    )
    formulation = formulation_field(
        Formulation.objects.filter(active=True, drug_route__drug__active=True).select_related(
            "drug_route__drug"
        )
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrderKind.choices, widget=forms.RadioSelect)
    field_order = [
        "drug_route",
        "formulation",
        "kind",
        "dose",
        "times",
        "every_days",
        "minimum_interval_minutes",
        "maximum_doses_24h",
        "indication",
        "instructions",
        "allergy_override_reason",
        "confirmation_reason",
    ]


class ChangeOrderForm(DosingForm):
    formulation = formulation_field(Formulation.objects.none())
    reason = forms.CharField(label=_("Why the order changes"), widget=_textarea(), max_length=2000)
    field_order = [
        "formulation",
        "dose",
        "times",
        "every_days",
        "minimum_interval_minutes",
        "maximum_doses_24h",
        "indication",
        "instructions",
        "reason",
        "allergy_override_reason",
        "confirmation_reason",
    ]

    def __init__(self, *args: Any, drug_route: DrugRoute, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formulation"].queryset = (  # type: ignore[attr-defined]
            Formulation.objects.filter(drug_route=drug_route).select_related("drug_route__drug")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(), max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What you found"), widget=_textarea(), max_length=2000)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewStatus.ACCEPTED, _("Accept: it was really given")),
            (ReviewStatus.DUPLICATE, _("Duplicate: the same dose recorded twice")),
            (ReviewStatus.REJECTED, _("Not given")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What you found (who you spoke to)"), widget=_textarea(), max_length=2000
    )


class GiveForm(forms.Form):
    """A dose given (or a scheduled dose not given). The dose and route are
    prefilled from the order and left editable on purpose: a wrong dose is
    stopped by the service, with its message, not hidden by the form."""

    order = forms.CharField(label=_("Medicine"), widget=forms.Select)
    scheduled_for = forms.CharField(
        label=_("Which scheduled dose (regular medicines)"),
        required=False,
        widget=forms.Select,
    )
    outcome = forms.ChoiceField(
        label=_("Given?"),
        choices=AdministrationOutcome.choices,
        initial=AdministrationOutcome.GIVEN,
        widget=forms.RadioSelect,
    )
    not_given_reason = forms.ChoiceField(
        label=_("If not given, why"),
        choices=[("", "—"), *NotGivenReason.choices],
        required=False,
    )
    dose = forms.DecimalField(label=_("Dose"), max_digits=10, decimal_places=3, required=False)
    route = forms.ChoiceField(label=_("How it was given"), choices=[("", "—"), *Route.choices])
    given_at = forms.DateTimeField(
        label=_("When (leave empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(
        self,
        *args: Any,
        orders: list[tuple[str, str]],
        slots: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.choices = [("", "—"), *orders]  # type: ignore[attr-defined]
        self.fields["scheduled_for"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("Not a scheduled dose (as needed)")),
            *slots,
        ]

    def clean_scheduled_for(self) -> datetime | None:
        text = self.cleaned_data.get("scheduled_for") or ""
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise forms.ValidationError(_("Choose one of the listed times.")) from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


def slot_value(moment: datetime) -> str:
    return moment.isoformat()


def order_label(order: Any) -> str:
    version = order.current
    dose = describe_dose(version.dose, version.dose_unit) if version else ""
    kind = (
        _("as needed")
        if order.kind == OrderKind.AS_NEEDED
        else ", ".join(version.times if version else [])
    )
    return f"{order.drug_route.drug.name} {dose} — {Route(order.route).label} ({kind})"


class SignOffForm(forms.Form):
    caregiver = forms.ChoiceField(label=_("Family member"))
    route = forms.ChoiceField(
        label=_("Route they may give"),
        choices=[(route.value, route.label) for route in FAMILY_ROUTES],
    )
    signed_off_on = forms.DateField(
        label=_("Signed off on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("What was taught and practised"),
        required=False,
        max_length=2000,
        widget=_textarea(),
    )

    def __init__(self, *args: Any, caregivers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caregiver"].choices = [("", "—"), *caregivers]  # type: ignore[attr-defined]


class StockForm(forms.Form):
    formulation = FormulationChoice(
        label=_("Medicine"),
        queryset=Formulation.objects.filter(active=True, drug_route__drug__is_controlled=True)
        .select_related("drug_route__drug")
        .order_by("drug_route__drug__name", "strength"),
        to_field_name="external_id",
    )
    movement = forms.ChoiceField(
        label=_("What happened"),
        choices=[(m.value, m.label) for m in MANUAL_MOVEMENTS],
    )
    quantity = forms.DecimalField(
        label=_("How many (tablets, ml, ampoules, patches…)"),
        max_digits=10,
        decimal_places=3,
        min_value=0,
        help_text=_("For a count, the number found at home."),
    )
    occurred_at = forms.DateTimeField(
        label=_("When (leave empty for now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    witness = forms.CharField(
        label=_("Witness (for a return or destruction)"), required=False, max_length=150
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class DrugRouteForm(forms.Form):
    conversion = forms.ChoiceField(
        label=_("Conversion to oral morphine"), choices=Conversion.choices
    )
    usual_maximum_single_dose = forms.DecimalField(
        label=_("Usual maximum single dose"),
        max_digits=10,
        decimal_places=3,
        required=False,
        min_value=0,
        help_text=_(
            "In the dose unit. Above it, the physician confirms with a reason. "
            "Name the reference in the source."
        ),
    )
    ome_factor = forms.DecimalField(
        label=_("Oral-morphine-equivalent factor"),
        max_digits=8,
        decimal_places=3,
        required=False,
        help_text=_("Per unit of dose (mg), or per microgram/hour for a patch."),
    )
    source = forms.CharField(label=_("Source of the factor"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Why it changes"),
        widget=_textarea(),
        max_length=2000,
        help_text=_("Kept with the history: every opioid total after this uses the new factor."),
    )


class SwitchForm(forms.Form):
    """The prescriber's "if switching to…" helper: a GET form, nothing is saved."""

    switch_to = DrugRouteChoice(
        label=_("If switching to"),
        queryset=DrugRoute.objects.filter(drug__is_opioid=True, drug__active=True).select_related(
            "drug"
        ),
        required=False,
        to_field_name="external_id",
        empty_label=_("Choose a medicine"),
    )
