"""Reads for medicine pages and the API: orders, the administration record,
today's scheduled doses, the family's home chart and daily opioid figures.

Callers have already opened the patient (``access_patient``), so these only
shape data; each costs a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearth.core import clock
from hearth.medications import checks, ome
from hearth.medications.choices import OrderKind, OrderStatus, ReviewStatus
from hearth.medications.models import (
    Administration,
    MedicationOrder,
    MedicineSignOff,
    OrderVersion,
    StockEntry,
    StockHolding,
    SyncReview,
)
from hearth.patients.models import Patient
from hearth.patients.queries import WorklistColumn

#: A patient's orders: active before stopped, regular before as-needed, by
#: drug name; ``drug_name`` is annotated by ``order_rows`` so a page can end on it.
ORDER_ORDER = ("status", "kind", "drug_name", "id")


def order_rows(patient: Patient, *, include_stopped: bool = False) -> QuerySet[MedicationOrder]:
    found = MedicationOrder.objects.for_patient(patient).with_current()
    if not include_stopped:
        found = found.active()
    return found.annotate(drug_name=F("drug_route__drug__name")).order_by(*ORDER_ORDER)


def orders(patient: Patient, *, include_stopped: bool = False) -> list[MedicationOrder]:
    return list(order_rows(patient, include_stopped=include_stopped))


def order_history(order: MedicationOrder) -> list[OrderVersion]:
    """Every version, newest first, with who wrote it."""
    return list(order.versions.select_related("prescribed_by", "formulation").order_by("-number"))


def administrations(patient: Patient, *, days: int = 7) -> QuerySet[Administration]:
    """The record for the last ``days`` days, newest first, entries in error included
    (they are shown struck through, never hidden)."""
    since = clock.now() - timedelta(days=days)
    return (
        Administration.objects.for_patient(patient)
        .filter(given_at__gte=since)
        .select_related("order__drug_route__drug", "recorded_by", "entered_in_error_by")
    )


def waiting_reviews(patient: Patient) -> QuerySet[SyncReview]:
    return SyncReview.objects.filter(patient=patient, status=ReviewStatus.WAITING).select_related(
        "order__drug_route__drug", "submitted_by"
    )


def sign_offs(patient: Patient) -> QuerySet[MedicineSignOff]:
    return MedicineSignOff.objects.filter(patient=patient).select_related(
        "caregiver", "signed_off_by"
    )


@dataclass
class Slot:
    """One scheduled dose of a regular order, and what was recorded for it."""

    order: MedicationOrder
    scheduled_for: datetime
    record: Administration | None = None

    @property
    def is_due(self) -> bool:
        return self.record is None and self.scheduled_for <= clock.now()


def schedule_for_day(patient: Patient, day: date | None = None) -> list[Slot]:
    """Today's (or ``day``'s) scheduled doses of the active regular orders."""
    day = day or clock.today()
    active = [
        order
        for order in MedicationOrder.objects.for_patient(patient)
        .active()
        .filter(kind=OrderKind.REGULAR)
        .with_current()
        .prefetch_related(Prefetch("versions", queryset=OrderVersion.objects.order_by("number")))
        if order.current is not None
    ]
    start = timezone.make_aware(datetime.combine(day, time.min))
    records = {
        (record.order_id, record.scheduled_for): record
        for record in Administration.objects.valid()
        .filter(
            order__in=active, scheduled_for__gte=start, scheduled_for__lt=start + timedelta(days=1)
        )
        .select_related("recorded_by")
    }
    slots: list[Slot] = []
    for order in active:
        version = order.current
        assert version is not None
        versions = list(order.versions.all())
        first = timezone.localtime(versions[0].valid_from).date() if versions else day
        if not checks.due_on(day, first, version.every_days):
            continue
        for text in version.times:
            moment = timezone.make_aware(datetime.combine(day, time.fromisoformat(text)))
            if versions and moment < versions[0].valid_from:
                continue  # before the order was written: the service would refuse it
            slots.append(Slot(order, moment, records.get((order.pk, moment))))
    return sorted(slots, key=lambda slot: (slot.scheduled_for, slot.order.drug_route.drug.name))


@dataclass
class ChartLine:
    """One medicine on the family's home chart: what, when, how much, why;
    for as-needed medicines, how long to wait and the 24 h limit."""

    order: MedicationOrder
    version: OrderVersion
    given_last_24h: int = 0
    next_allowed_at: datetime | None = None
    last_given_at: datetime | None = None

    @property
    def is_as_needed(self) -> bool:
        return self.order.kind == OrderKind.AS_NEEDED

    #: As needed: the strictest 24 h maximum of the drug's as-needed orders
    #: (counted across them, as the service does); None = the version's own.
    maximum_doses_24h: int | None = None

    @property
    def limit_reached(self) -> bool:
        maximum = self.maximum_doses_24h or self.version.maximum_doses_24h
        return bool(self.is_as_needed and maximum and self.given_last_24h >= maximum)

    @property
    def wait_now(self) -> bool:
        return bool(self.next_allowed_at and self.next_allowed_at > clock.now())


def home_chart(patient: Patient, moment: datetime | None = None) -> list[ChartLine]:
    """The current orders as the family reads them (read-only)."""
    moment = moment or clock.now()
    active = [order for order in orders(patient) if order.current is not None]
    # A minimum interval may be longer than a day (up to 7 days): look back that far.
    span = max(
        (
            checks.lookback(timedelta(minutes=order.current.minimum_interval_minutes or 0))
            for order in active
            if order.current is not None
        ),
        default=checks.DAY,
    )
    given: dict[int, list[datetime]] = defaultdict(list)
    as_needed: dict[int, list[datetime]] = defaultdict(list)  # every as-needed order, by drug
    for order_id, drug_id, kind, given_at in (
        Administration.objects.given()
        .filter(patient=patient, given_at__gt=moment - span, given_at__lte=moment)
        .values_list("order_id", "order__drug_route__drug_id", "order__kind", "given_at")
    ):
        given[order_id].append(given_at)
        if kind == OrderKind.AS_NEEDED:
            as_needed[drug_id].append(given_at)
    # The strictest limits of the drug's active as-needed orders (as the service).
    strictest: dict[int, tuple[int | None, int | None]] = {}
    for order in active:
        version = order.current
        if order.kind != OrderKind.AS_NEEDED or version is None:
            continue
        interval, maximum = strictest.get(order.drug_route.drug_id, (None, None))
        if version.minimum_interval_minutes:
            interval = max(interval or 0, version.minimum_interval_minutes)
        if version.maximum_doses_24h:
            maximum = min(maximum or version.maximum_doses_24h, version.maximum_doses_24h)
        strictest[order.drug_route.drug_id] = (interval, maximum)
    lines: list[ChartLine] = []
    for order in active:
        version = order.current
        assert version is not None
        line = ChartLine(order, version)
        times = given[order.pk]
        if order.kind == OrderKind.AS_NEEDED:
            # Doses under every as-needed order of the drug count (as in the service).
            times = as_needed[order.drug_route.drug_id]
        line.given_last_24h = sum(1 for t in times if t > moment - checks.DAY)
        line.last_given_at = max(times) if times else None
        if order.kind == OrderKind.AS_NEEDED:
            interval, line.maximum_doses_24h = strictest[order.drug_route.drug_id]
            minimum = timedelta(minutes=interval) if interval else None
            line.next_allowed_at = checks.next_allowed(
                moment, times, minimum, line.maximum_doses_24h
            )
        lines.append(line)
    return sorted(lines, key=lambda line: (line.order.kind, line.order.drug_route.drug.name))


@dataclass
class OpioidDay:
    day: date
    regular_ome: Decimal = Decimal(0)
    breakthrough_ome: Decimal = Decimal(0)
    breakthrough_doses: int = 0
    unconverted: list[str] = field(default_factory=list)


def opioid_days(patient: Patient, days: int = 14) -> list[OpioidDay]:
    """Per local day: the regular opioid 24 h OME as prescribed at midday, the
    OME of breakthrough doses given, and how many breakthrough doses."""
    today = clock.today()
    first = today - timedelta(days=days - 1)
    result = {first + timedelta(days=n): OpioidDay(first + timedelta(days=n)) for n in range(days)}
    start = timezone.make_aware(datetime.combine(first, time.min))
    versions = (
        OrderVersion.objects.filter(
            order__patient=patient,
            order__kind=OrderKind.REGULAR,
            order__drug_route__drug__is_opioid=True,
        )
        .exclude(valid_until__lt=start)
        .select_related("order__drug_route__drug")
    )
    for version in versions:
        drug_route = version.order.drug_route
        equivalent = ome.per_24h(drug_route, version)
        for day, row in result.items():
            midday = timezone.make_aware(datetime.combine(day, time(12)))
            if not version.covers(midday):
                continue
            if equivalent.ome_mg is None:
                if drug_route.drug.name not in row.unconverted:
                    row.unconverted.append(drug_route.drug.name)
            else:
                row.regular_ome += equivalent.ome_mg
    for administration in (
        Administration.objects.given()
        .filter(
            patient=patient,
            order__kind=OrderKind.AS_NEEDED,
            order__drug_route__drug__is_opioid=True,
            given_at__gte=start,
        )
        .select_related("order__drug_route__drug")
    ):
        day = timezone.localtime(administration.given_at).date()
        if day not in result or administration.dose is None:
            continue
        row = result[day]
        row.breakthrough_doses += 1
        equivalent = ome.dose_equivalent(administration.order.drug_route, administration.dose)
        if equivalent.ome_mg is not None:
            row.breakthrough_ome += equivalent.ome_mg
    return list(result.values())


#: Register entries shown per drug on the register's summary (page and API);
#: the whole register of a drug is read a page at a time (``register_entries``).
NEWEST_ENTRIES = 20


@dataclass
class RegisterLine:
    holding: StockHolding
    entries: list[StockEntry]
    #: Every entry of this drug's register, of which ``entries`` are the newest.
    total_entries: int


def controlled_drug_register(
    patient: Patient, *, entries: int = NEWEST_ENTRIES
) -> list[RegisterLine]:
    """Each controlled drug at home with its newest ``entries`` register lines
    and how many there are in all. The newest are cut in the database (a
    sliced prefetch, per drug), not after reading months of a syringe driver's
    entries into memory."""
    holdings = (
        StockHolding.objects.filter(patient=patient)
        .select_related("formulation__drug_route__drug")
        .annotate(total_entries=Count("entries"))
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=StockEntry.objects.select_related(
                    "recorded_by", "administration"
                ).order_by("-recorded_at", "-id")[:entries],
                to_attr="newest_entries",
            )
        )
        .order_by("id")
    )
    return [
        RegisterLine(holding, holding.newest_entries, holding.total_entries)  # type: ignore[attr-defined]
        for holding in holdings
    ]


def holding_at_home(patient: Patient, formulation_external_id: Any) -> StockHolding | None:
    """One controlled drug's balance at this home, or None when the register
    has never held it here."""
    return (
        StockHolding.objects.filter(
            patient=patient, formulation__external_id=formulation_external_id
        )
        .select_related("formulation__drug_route__drug", "patient")
        .first()
    )


def register_entries(holding: StockHolding) -> QuerySet[StockEntry]:
    """One drug's whole register at home, newest first, to be read a page at a time."""
    return (
        StockEntry.objects.filter(holding=holding)
        .select_related("recorded_by", "administration")
        .order_by("-recorded_at", "-id")
    )


def stopped_with_stock(patient: Patient) -> list[StockHolding]:
    """Controlled drugs still at home whose orders were all stopped (or the
    patient died): to be returned or destroyed."""
    active_formulations = set(
        MedicationOrder.objects.for_patient(patient)
        .filter(status=OrderStatus.ACTIVE)
        .values_list("current__formulation_id", flat=True)
    )
    return [
        holding
        for holding in StockHolding.objects.filter(patient=patient, balance__gt=0).select_related(
            "formulation__drug_route__drug"
        )
        if patient.date_of_death is not None or holding.formulation_id not in active_formulations
    ]


def physician_check_worklist_columns(patient_ids: Sequence[int]) -> list[WorklistColumn]:
    """ "Medicines to check": active orders flagged for a physician (a typed
    volume the volume migration could not confirm, hazard M26), counted per
    patient in one query whatever the number of patients, so a flag raised
    once by a migration is seen by the team each day, not only by whoever
    opens the medicines page."""
    flagged_orders = (
        MedicationOrder.objects.active()
        .filter(patient_id__in=patient_ids)
        .exclude(physician_check="")
        .values("patient_id", "patient__external_id")
        .annotate(flagged=Count("id"))
        .order_by()
    )
    cells = {
        row["patient_id"]: {
            "text": ngettext(
                "%(count)s order needs a physician's check",
                "%(count)s orders need a physician's check",
                row["flagged"],
            )
            % {"count": row["flagged"]},
            "css": "alert-medium",
            "url": reverse("medicines", args=[row["patient__external_id"]]),
        }
        for row in flagged_orders
    }
    return [WorklistColumn(key="medicines_to_check", title=_("Medicines to check"), cells=cells)]
