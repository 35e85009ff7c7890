"""Oral morphine equivalents (OME) and the prescriber's helpers.

Arithmetic only: it reads the formulary rows and order versions it is given
and never writes. Every number here is shown to a physician as a *help*; none
is ever applied to an order automatically (docs/clinical-reference.md, "Medicines").

- OME per 24 h = dose × factor × doses per day, for drugs converted per unit
  of dose; for patches, micrograms per hour × factor (2.4) is already mg OME
  per 24 h.
- Methadone has no linear ratio, and alfentanil is not converted
  automatically either (the issue): such orders are left out of totals and
  flagged for specialist advice.
- Breakthrough dose: a fraction of the 24 h regular opioid dose, by the
  guideline the service picked (``HEARTH_BREAKTHROUGH_GUIDELINE``).
- Switching opioids: the calculated equivalent reduced by 25-50 % for
  incomplete cross-tolerance, shown, not applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext as _

from hearth.medications.choices import Conversion, OrderKind
from hearth.medications.models import DrugRoute, MedicationOrder, OrderVersion

TENTH = Decimal("0.1")


def rounded(value: Decimal) -> Decimal:
    """To 0.1 mg, half up: what the physician reads."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _fraction(text: str) -> Decimal:
    fraction = Fraction(text)
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


@dataclass(frozen=True)
class Equivalent:
    """``ome_mg`` is None when the drug is not converted automatically; then
    ``warning`` says why."""

    ome_mg: Decimal | None
    warning: str = ""


def dose_equivalent(drug_route: DrugRoute, dose: Decimal) -> Equivalent:
    """OME of one dose (mg). A patch rate is not a dose: use ``per_24h``."""
    if drug_route.conversion == Conversion.PER_DOSE_UNIT and drug_route.ome_factor is not None:
        return Equivalent(dose * drug_route.ome_factor)
    if drug_route.conversion == Conversion.PATCH_RATE and drug_route.ome_factor is not None:
        # mcg/h × factor is mg OME per 24 h; a patch "dose" is that rate.
        return Equivalent(dose * drug_route.ome_factor)
    return Equivalent(None, _specialist_warning(drug_route))


def _specialist_warning(drug_route: DrugRoute) -> str:
    if drug_route.conversion != Conversion.SPECIALIST:
        return ""
    return drug_route.drug.warning or _(
        "%(drug)s is not converted automatically: ask for specialist advice."
    ) % {"drug": drug_route.drug.name}


def per_24h(drug_route: DrugRoute, version: OrderVersion) -> Equivalent:
    """The 24 h OME of a regular order as prescribed."""
    if drug_route.conversion == Conversion.PATCH_RATE and drug_route.ome_factor is not None:
        return Equivalent(version.dose * drug_route.ome_factor)
    single = dose_equivalent(drug_route, version.dose)
    if single.ome_mg is None:
        return single
    per_day = Decimal(version.doses_per_day) / Decimal(max(version.every_days, 1))
    return Equivalent(single.ome_mg * per_day)


@dataclass
class OrderLine:
    order: MedicationOrder
    ome_24h: Decimal | None
    warning: str = ""


def guideline_name(code: str) -> str:
    """``HEARTH_BREAKTHROUGH_GUIDELINE`` as a person reads it; an unknown code
    is shown upper-cased, as before."""
    names = {
        "uk": _("United Kingdom guidance"),
        "nccn": _("NCCN (United States)"),
        "etg": _("eTG (Australia)"),
    }
    return names.get(code, code.upper())


@dataclass
class OpioidSummary:
    """What the prescribing page shows beside the orders."""

    regular_ome_24h: Decimal
    lines: list[OrderLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    breakthrough_low: Decimal | None = None
    breakthrough_high: Decimal | None = None
    guideline: str = ""
    titration_low: Decimal | None = None
    titration_high: Decimal | None = None

    @property
    def has_opioids(self) -> bool:
        return bool(self.lines)

    @property
    def guideline_label(self) -> str:
        """The guideline the breakthrough range follows, named in the reader's
        language (the setting stores a code such as "uk")."""
        return guideline_name(self.guideline)


def breakthrough_range(
    regular_ome_24h: Decimal, guideline: str | None = None
) -> tuple[Decimal, Decimal]:
    """Suggested breakthrough dose in mg of oral morphine (docs/clinical-reference.md: UK 1/6,
    US NCCN 10-20 %, Australian eTG 1/12 to 1/6 of the 24 h regular dose)."""
    low, high = settings.HEARTH_BREAKTHROUGH_FRACTIONS[
        guideline or settings.HEARTH_BREAKTHROUGH_GUIDELINE
    ]
    return regular_ome_24h * _fraction(low), regular_ome_24h * _fraction(high)


def titration_range(regular_ome_24h: Decimal) -> tuple[Decimal, Decimal]:
    """A new 24 h total after a titration step of 30-50 % (docs/clinical-reference.md)."""
    low, high = settings.HEARTH_OPIOID_TITRATION_PERCENT
    return (
        regular_ome_24h * (1 + Decimal(low) / 100),
        regular_ome_24h * (1 + Decimal(high) / 100),
    )


def in_drug(drug_route: DrugRoute, ome_mg: Decimal) -> Decimal | None:
    """``ome_mg`` of oral morphine expressed as a dose of ``drug_route``, when it
    converts per unit of dose; None otherwise (patches, methadone...)."""
    if drug_route.conversion != Conversion.PER_DOSE_UNIT or not drug_route.ome_factor:
        return None
    return ome_mg / drug_route.ome_factor


def switching_range(regular_ome_24h: Decimal, target: DrugRoute) -> tuple[Decimal, Decimal] | None:
    """The 24 h dose of ``target`` equivalent to the current total, reduced by
    25-50 % for incomplete cross-tolerance. Shown; never applied."""
    if target.conversion == Conversion.PATCH_RATE and target.ome_factor:
        equivalent = regular_ome_24h / target.ome_factor
    else:
        converted = in_drug(target, regular_ome_24h)
        if converted is None:
            return None
        equivalent = converted
    least, most = settings.HEARTH_OPIOID_SWITCH_REDUCTION_PERCENT
    return (
        equivalent * (1 - Decimal(most) / 100),
        equivalent * (1 - Decimal(least) / 100),
    )


def summarise(orders: Iterable[MedicationOrder]) -> OpioidSummary:
    """Regular opioid total, per-order lines and warnings for active orders
    (each with ``current`` and ``drug_route__drug`` loaded)."""
    total = Decimal(0)
    lines: list[OrderLine] = []
    warnings: list[str] = []
    for order in orders:
        drug_route = order.drug_route
        if not drug_route.drug.is_opioid or order.current is None:
            continue
        if order.kind == OrderKind.REGULAR:
            equivalent = per_24h(drug_route, order.current)
            if equivalent.ome_mg is not None:
                total += equivalent.ome_mg
        else:
            equivalent = dose_equivalent(drug_route, order.current.dose)
        lines.append(OrderLine(order, equivalent.ome_mg, equivalent.warning))
        if equivalent.warning and equivalent.warning not in warnings:
            warnings.append(equivalent.warning)
    summary = OpioidSummary(regular_ome_24h=rounded(total), lines=lines, warnings=warnings)
    if total > 0:
        low, high = breakthrough_range(total)
        summary.breakthrough_low, summary.breakthrough_high = rounded(low), rounded(high)
        summary.guideline = settings.HEARTH_BREAKTHROUGH_GUIDELINE
        low, high = titration_range(total)
        summary.titration_low, summary.titration_high = rounded(low), rounded(high)
    return summary


def follows(drug_route: DrugRoute) -> tuple[str, Decimal] | None:
    """The route whose factor this one follows, and the multiplier
    (``HEARTH_LINKED_OME_FACTORS``): hydromorphone SC is 2 x the oral factor
    the service chose, so the two can never drift apart."""
    link = settings.HEARTH_LINKED_OME_FACTORS.get(drug_route.drug.name, {}).get(drug_route.route)
    if link is None:
        return None
    route, multiplier = link
    return route, Decimal(multiplier)


def followers(drug_route: DrugRoute) -> list[tuple[str, Decimal]]:
    """The routes of the same drug whose factor follows this one's."""
    links = settings.HEARTH_LINKED_OME_FACTORS.get(drug_route.drug.name, {})
    return [
        (route, Decimal(multiplier))
        for route, (followed, multiplier) in sorted(links.items())
        if followed == drug_route.route
    ]
