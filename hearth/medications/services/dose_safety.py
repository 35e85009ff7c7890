"""Prescribing safety (shared/CLINICAL.md "Medicines"): duplicate therapy,
dose-range and large-change checks, and computed volumes of liquids.

Why here and not in the forms: a page and the API write through the same
``prescribe()``/``change_order()``, so both refuse or ask for confirmation in
the same words.

- **Duplicate therapy** is refused, never overridden: stop or change the
  existing order instead. Two active orders of the same drug and route are
  duplicates when (indications compared after ``normalise_indication``):
  both are as-needed (any indication: one as-needed order per drug and route;
  a drug needed for two reasons is one order naming both, because every dose
  counts against the same interval and 24 h maximum anyway); both are regular
  for the same indication; or one regular and one as-needed for the same
  indication of a drug in ``HEARTH_NO_AS_NEEDED_BESIDE_REGULAR`` (paracetamol).
  A regular opioid with an as-needed dose of the same opioid (morphine MR plus
  morphine oral solution for breakthrough pain) is the normal pattern and stays
  allowed.
- **Dose checks** ask the physician to confirm with a reason; the reason and
  the checks confirmed are kept on the version.
- **Volumes** are worked out from the dose and the product's strength per ml,
  rounded to what an oral syringe measures; a volume typed into the
  instructions is refused, because it would not follow the next dose change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from hearth.core import clock
from hearth.core.errors import ValidationFailed
from hearth.core.validation import Errors
from hearth.medications import ome
from hearth.medications.choices import OrderKind, Route
from hearth.medications.models import (
    DrugRoute,
    Formulation,
    MedicationOrder,
    OrderVersion,
    describe_dose,
    plain_decimal,
)
from hearth.patients.models import Patient

#: A volume typed as text ("2.5 ml", "5ml", "1,25 мл").
TYPED_VOLUME = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:ml|mls|millilit(?:re|er)s?|мл)(?![^\W\d_])", re.IGNORECASE
)


def normalise_indication(text: str) -> str:
    """ "Breakthrough pain." and "breakthrough  PAIN" are the same indication:
    case, punctuation and spacing are ignored, nothing else (no synonyms)."""
    return " ".join(re.sub(r"[\W_]+", " ", (text or "").casefold()).split())


# --- Volumes -------------------------------------------------------------------


def syringe_volume(exact: Decimal) -> Decimal:
    """``exact`` ml rounded (half up) to the step an oral syringe measures:
    0.1 ml under 1 ml, 0.25 ml under 5 ml, 0.5 ml from 5 ml (CLINICAL.md
    "Volumes", *verify*; ``HEARTH_VOLUME_STEPS``)."""
    step = Decimal(settings.HEARTH_VOLUME_STEP_ABOVE)
    for below, each in settings.HEARTH_VOLUME_STEPS:
        if exact < Decimal(below):
            step = Decimal(each)
            break
    return ((exact / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step).quantize(
        Decimal("0.001")
    )


def volume_for(
    formulation: Formulation | None, dose: Decimal | None, errors: Errors
) -> Decimal | None:
    """The volume to draw up for ``dose`` of a liquid, or None for a form that
    is not measured in ml (or no form chosen)."""
    if formulation is None or dose is None or not formulation.is_liquid:
        return None
    strength = formulation.strength_per_ml
    if not strength:
        errors.add(
            "formulation",
            _(
                "The volume cannot be worked out: the formulary has no strength per ml for "
                "%(form)s. Choose another form, or ask the administrator to add the strength."
            )
            % {"form": str(formulation)},
        )
        return None
    volume = syringe_volume(dose / strength)
    if volume <= 0:
        errors.add(
            "dose",
            _("%(dose)s of %(form)s is too small to measure with a syringe.")
            % {"dose": describe_dose(dose, formulation.drug_route.dose_unit), "form": formulation},
        )
        return None
    return volume


def check_typed_volume(instructions: str, errors: Errors) -> None:
    found = TYPED_VOLUME.search(instructions or "")
    if found:
        errors.add(
            "instructions",
            _(
                "Do not type a volume (“%(text)s”) in the instructions: for a liquid the "
                "volume is worked out from the dose and shown beside it, so it follows "
                "every dose change."
            )
            % {"text": found.group(0)},
        )


def check_unit(drug_route: DrugRoute, dose_unit: str, errors: Errors) -> None:
    """A dose is written in the unit of its formulary row (mg, mcg, mcg/h)."""
    if dose_unit and dose_unit != drug_route.dose_unit:
        message = _("%(drug)s %(route)s is prescribed in %(unit)s, not in %(given)s.") % {
            "drug": drug_route.drug.name,
            "route": str(Route(drug_route.route).label).lower(),
            "unit": drug_route.get_dose_unit_display(),
            "given": dose_unit,
        }
        errors.add("dose_unit", message)


# --- Duplicate therapy -----------------------------------------------------------


def _duplicates(drug_route: DrugRoute, kind: str, indication: str, other: MedicationOrder) -> bool:
    assert other.current is not None
    same_indication = normalise_indication(indication) == normalise_indication(
        other.current.indication
    )
    if kind == OrderKind.AS_NEEDED and other.kind == OrderKind.AS_NEEDED:
        return True
    if kind == other.kind:
        return same_indication
    strict = {name.casefold() for name in settings.HEARTH_NO_AS_NEEDED_BESIDE_REGULAR}
    return same_indication and drug_route.drug.name.casefold() in strict


def refuse_duplicate(
    *,
    patient: Patient,
    drug_route: DrugRoute,
    kind: str,
    indication: str,
    order: MedicationOrder | None = None,
) -> None:
    """Refuse a second active order of the same drug and route for the same
    indication. The caller holds the patient row lock, so two prescribers at
    once queue and the second one sees the first one's order."""
    others = (
        MedicationOrder.objects.for_patient(patient)
        .active()
        .filter(drug_route=drug_route, current__isnull=False)
        .with_current()
    )
    if order is not None:
        others = others.exclude(pk=order.pk)
    for other in others:
        if _duplicates(drug_route, kind, indication, other):
            assert other.current is not None
            message = _(
                "%(drug)s is already prescribed %(route)s (%(kind)s, %(dose)s, for "
                "“%(indication)s”). Change or stop that order instead of writing a second one."
            ) % {
                "drug": drug_route.drug.name,
                "route": str(Route(drug_route.route).label).lower(),
                "kind": other.get_kind_display().lower(),
                "dose": describe_dose(other.current.dose, other.current.dose_unit),
                "indication": other.current.indication,
            }
            raise ValidationFailed(
                message, code="duplicate_order", field_errors={"drug_route": [message]}
            )


# --- Dose-range and large-change checks ------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One triggered check: ``check`` is its code, ``message`` the numbers."""

    check: str
    message: str


def _mg(value: Decimal) -> str:
    return plain_decimal(ome.rounded(value))


def _regular_total(items: list[tuple[DrugRoute, str, OrderVersion]]) -> Decimal:
    total = Decimal(0)
    for drug_route, kind, version in items:
        if drug_route.drug.is_opioid and kind == OrderKind.REGULAR:
            found = ome.per_24h(drug_route, version).ome_mg
            total += found if found is not None else 0
    return total


def opioid_naive(patient: Patient) -> bool:
    """No regular opioid in force at any time in the last
    ``HEARTH_OPIOID_NAIVE_DAYS`` days (CLINICAL.md, NICE CG140)."""
    now = clock.now()
    since = now - timedelta(days=settings.HEARTH_OPIOID_NAIVE_DAYS)
    return not (
        OrderVersion.objects.filter(
            order__patient=patient,
            order__kind=OrderKind.REGULAR,
            order__drug_route__drug__is_opioid=True,
            valid_from__lte=now,
        )
        .exclude(valid_until__lt=since)
        .exists()
    )


def findings(
    *,
    patient: Patient,
    drug_route: DrugRoute,
    kind: str,
    candidate: OrderVersion,
    order: MedicationOrder | None = None,
) -> list[Finding]:
    """Every check the new version triggers (empty when none)."""
    found: list[Finding] = []
    maximum = drug_route.usual_maximum_single_dose
    if maximum is not None and candidate.dose > maximum:
        found.append(
            Finding(
                "usual_maximum",
                _("%(dose)s is above the usual maximum single dose of %(drug)s (%(maximum)s).")
                % {
                    "dose": describe_dose(candidate.dose, drug_route.dose_unit),
                    "drug": drug_route.drug.name,
                    "maximum": describe_dose(maximum, drug_route.dose_unit),
                },
            )
        )
    if not drug_route.drug.is_opioid:
        return found
    others = [
        (other.drug_route, other.kind, other.current)
        for other in MedicationOrder.objects.for_patient(patient).active().with_current()
        if other.current is not None and (order is None or other.pk != order.pk)
    ]
    before = _regular_total(
        others + ([(drug_route, kind, order.current)] if order and order.current else [])
    )
    after = _regular_total([*others, (drug_route, kind, candidate)])
    single = ome.dose_equivalent(drug_route, candidate.dose).ome_mg
    if opioid_naive(patient):
        if kind == OrderKind.AS_NEEDED:
            limit = Decimal(settings.HEARTH_OPIOID_NAIVE_AS_NEEDED_OME_MG)
            amount = single
            text = _(
                "No regular opioid in the last %(days)s days (opioid-naive): %(amount)s mg "
                "oral morphine equivalent per dose is above the usual start of %(limit)s mg "
                "(NICE CG140)."
            )
        else:
            limit = Decimal(settings.HEARTH_OPIOID_NAIVE_REGULAR_OME_24H_MG)
            amount = ome.per_24h(drug_route, candidate).ome_mg
            text = _(
                "No regular opioid in the last %(days)s days (opioid-naive): %(amount)s mg "
                "oral morphine equivalent per 24 hours is above the usual start of %(limit)s mg "
                "(NICE CG140)."
            )
        if amount is not None and amount > limit:
            found.append(
                Finding(
                    "opioid_naive",
                    text
                    % {
                        "days": settings.HEARTH_OPIOID_NAIVE_DAYS,
                        "amount": _mg(amount),
                        "limit": _mg(limit),
                    },
                )
            )
    percent = Decimal(settings.HEARTH_OPIOID_LARGE_CHANGE_PERCENT)
    if before > 0 and after > before * (1 + percent / 100):
        found.append(
            Finding(
                "large_increase",
                _(
                    "The 24-hour regular opioid total rises from %(before)s to %(after)s mg oral "
                    "morphine equivalent (+%(rise)s%%), more than %(percent)s%%."
                )
                % {
                    "before": _mg(before),
                    "after": _mg(after),
                    "rise": int((after - before) * 100 / before),
                    "percent": percent,
                },
            )
        )
    fraction = Fraction(settings.HEARTH_AS_NEEDED_MAX_FRACTION_OF_REGULAR)

    def above(dose_ome: Decimal | None, total: Decimal) -> bool:
        # Exactly: a third of 30 mg is 10 mg, not 9.999...
        return dose_ome is not None and (
            dose_ome * fraction.denominator > total * fraction.numerator
        )

    if after > 0:
        as_needed = [(drug_route, candidate)] if kind == OrderKind.AS_NEEDED else []
        if kind == OrderKind.REGULAR:
            # A lower regular total can leave an existing as-needed dose too big.
            as_needed = [
                (route, version)
                for route, other_kind, version in others
                if other_kind == OrderKind.AS_NEEDED and route.drug.is_opioid
            ]
        for route, version in as_needed:
            dose_ome = ome.dose_equivalent(route, version.dose).ome_mg
            was_above = before > 0 and above(dose_ome, before)
            if (
                dose_ome is not None
                and above(dose_ome, after)
                and not (kind == OrderKind.REGULAR and was_above)
            ):
                found.append(
                    Finding(
                        "as_needed_above_fraction",
                        _(
                            "An as-needed dose of %(drug)s %(dose)s (%(amount)s mg oral morphine "
                            "equivalent) is above %(fraction)s of the 24-hour regular opioid "
                            "total (%(total)s mg)."
                        )
                        % {
                            "drug": route.drug.name,
                            "dose": describe_dose(version.dose, route.dose_unit),
                            "amount": _mg(dose_ome),
                            "fraction": settings.HEARTH_AS_NEEDED_MAX_FRACTION_OF_REGULAR,
                            "total": _mg(after),
                        },
                    )
                )
    return found


def confirm(found: list[Finding], confirmation_reason: str) -> dict[str, Any]:
    """Without a reason, refuse listing every triggered check; with one, the
    version fields that keep it (``confirmation_reason``, ``confirmed_checks``)."""
    if not found:
        return {}
    reason = (confirmation_reason or "").strip()
    if not reason:
        messages = [finding.message for finding in found]
        raise ValidationFailed(
            _("Please confirm with a reason: %(checks)s") % {"checks": " ".join(messages)},
            code="confirmation_required",
            field_errors={"confirmation_reason": messages},
        )
    return {
        "confirmation_reason": reason[:2000],
        "confirmed_checks": [{"check": f.check, "message": f.message} for f in found],
    }


def screen(
    *,
    patient: Patient,
    drug_route: DrugRoute,
    kind: str,
    candidate: OrderVersion,
    confirmation_reason: str,
    order: MedicationOrder | None = None,
) -> dict[str, Any]:
    """Duplicate therapy (refused), then the dose checks (confirmed with a
    reason). Returns the fields to keep on the version."""
    refuse_duplicate(
        patient=patient,
        drug_route=drug_route,
        kind=kind,
        indication=candidate.indication,
        order=order,
    )
    return confirm(
        findings(
            patient=patient, drug_route=drug_route, kind=kind, candidate=candidate, order=order
        ),
        confirmation_reason,
    )
