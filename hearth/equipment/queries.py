"""Reads of home equipment: the store with its filters, a patient's equipment,
checks due. A constant number of queries whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.equipment.choices import AT_HOME, CheckOutcome, EquipmentKind, ItemStatus
from hearth.equipment.models import EquipmentItem, FaultReport, Loan, LoanQuerySet, SafetyCheck
from hearth.patients import access
from hearth.patients.models import Patient

#: Maintenance filter values: due within the warning days (or overdue), overdue only.
MAINTENANCE_FILTERS = ("due", "overdue")


def _at_home_loans() -> Prefetch[Any]:
    return Prefetch(
        "loans",
        queryset=Loan.objects.at_home().select_related("patient"),
        to_attr="loans_at_home",
    )


def inventory(
    *,
    kind: str | None = None,
    status: str | None = None,
    maintenance: str | None = None,
) -> QuerySet[EquipmentItem]:
    """Items in the store and at homes. ``maintenance="due"``: the next service
    is overdue or falls within ``HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS``
    (retired items left out); ``"overdue"``: past its date."""
    items = EquipmentItem.objects.prefetch_related(_at_home_loans()).order_by(
        "kind", "serial_number"
    )
    if kind in EquipmentKind.values:
        items = items.filter(kind=kind)
    if status in ItemStatus.values:
        items = items.filter(status=status)
    today = clock.today()
    if maintenance == "due":
        horizon = today + timedelta(days=settings.HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS)
        items = items.exclude(status=ItemStatus.RETIRED).filter(
            Q(maintenance_due_on__lte=horizon) | Q(maintenance_due_on__isnull=True)
        )
    elif maintenance == "overdue":
        items = items.exclude(status=ItemStatus.RETIRED).filter(
            Q(maintenance_due_on__lt=today) | Q(maintenance_due_on__isnull=True)
        )
    return items


@dataclass(frozen=True)
class InventoryRow:
    item: EquipmentItem
    maintenance: str | None
    loan: Loan | None
    #: The patient the item is with, only when the reader may see that patient.
    patient: Patient | None


def inventory_rows(actor: Any, items: Iterable[EquipmentItem]) -> list[InventoryRow]:
    """Rows for the store page and API: whose home an item is in is shown only
    for patients the reader may see, and each patient shown is audited."""
    items = list(items)
    today = clock.today()
    loans = {item.pk: (getattr(item, "loans_at_home", None) or [None])[0] for item in items}
    patient_ids = {loan.patient_id for loan in loans.values() if loan is not None}
    visible = set(
        access.patients_visible_to(actor).filter(pk__in=patient_ids).values_list("pk", flat=True)
    )
    rows = [
        InventoryRow(
            item=item,
            maintenance=item.maintenance_state(today),
            loan=loans[item.pk],
            patient=(
                loans[item.pk].patient  # type: ignore[union-attr]
                if loans[item.pk] is not None and loans[item.pk].patient_id in visible  # type: ignore[union-attr]
                else None
            ),
        )
        for item in items
    ]
    shown = {row.patient.pk: row.patient for row in rows if row.patient is not None}
    audit.record_list_view(
        actor=actor, event_type=AuditEventType.EQUIPMENT_INVENTORY_LISTED, patients=shown.values()
    )
    return rows


def item_history(actor: Any, item: EquipmentItem) -> list[Loan]:
    """Every loan of an item, newest first; the patient is blanked (``patient_shown``
    False) for patients the reader may not see. Shown patients are audited."""
    loans = list(item.loans.select_related("patient", "delivered_by", "returned_to"))
    visible = set(
        access.patients_visible_to(actor)
        .filter(pk__in={loan.patient_id for loan in loans})
        .values_list("pk", flat=True)
    )
    shown = {}
    for loan in loans:
        loan.patient_shown = loan.patient_id in visible  # type: ignore[attr-defined]
        if loan.patient_shown:  # type: ignore[attr-defined]
            shown[loan.patient_id] = loan.patient
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.EQUIPMENT_ITEM_HISTORY_LISTED,
        patients=shown.values(),
    )
    return loans


def _with_history() -> LoanQuerySet:
    return Loan.objects.select_related(
        "item", "patient", "delivered_by", "returned_to"
    ).prefetch_related(
        Prefetch(
            "safety_checks",
            queryset=SafetyCheck.objects.select_related("checked_by").order_by(
                "-checked_at", "-id"
            ),
        ),
        Prefetch(
            "fault_reports",
            queryset=FaultReport.objects.select_related("reported_by", "resolved_by"),
        ),
    )


def loan_with_history(loan: Loan) -> Loan:
    """One loan again, with its checks and faults."""
    return _with_history().get(pk=loan.pk)


#: A patient's equipment: what is at home first (``returned_rank`` 0), then
#: what went back; newest delivery first within each.
LOAN_ORDER = ("returned_rank", "-delivered_at", "-id")


def patient_loan_rows(patient: Patient, *, include_returned: bool = False) -> QuerySet[Loan]:
    """A patient's equipment with its checks (newest first) and faults: what is
    at home first, then (with ``include_returned``) what went back, ordered by
    the database so the API can page it."""
    loans = _with_history().filter(patient=patient)
    if not include_returned:
        loans = loans.at_home()
    return loans.annotate(
        returned_rank=Case(
            When(status__in=AT_HOME, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by(*LOAN_ORDER)


def patient_loans(patient: Patient, *, include_returned: bool = False) -> list[Loan]:
    return list(patient_loan_rows(patient, include_returned=include_returned))


def latest_check(loan: Loan) -> SafetyCheck | None:
    """The newest check (from the prefetched list when there is one)."""
    checks = list(loan.safety_checks.all())
    return checks[0] if checks else None


def open_faults(loan: Loan) -> list[FaultReport]:
    return [fault for fault in loan.fault_reports.all() if fault.resolved_at is None]


def checks_due(patient: Patient) -> QuerySet[Loan]:
    """Items delivered to this patient that have not yet passed a safety check."""
    return Loan.objects.for_patient(patient).checks_due().select_related("item")


def lendable_items() -> QuerySet[EquipmentItem]:
    """Items in the store (the service still refuses one overdue for servicing)."""
    return EquipmentItem.objects.filter(status=ItemStatus.AVAILABLE).order_by(
        "kind", "serial_number"
    )


def panel_summary(patient: Patient) -> dict[str, Any]:
    """The numbers the patient-record panel shows, in three queries."""
    at_home = list(
        Loan.objects.for_patient(patient).at_home().select_related("item").order_by("item__kind")
    )
    faults = FaultReport.objects.open().filter(loan__in=at_home).count() if at_home else 0
    latest: dict[int, str] = {}
    for loan_id, outcome in (
        SafetyCheck.objects.filter(loan__in=at_home)
        .order_by("-checked_at", "-id")
        .values_list("loan_id", "outcome")
        if at_home
        else []
    ):
        latest.setdefault(loan_id, outcome)
    return {
        "loans": at_home,
        "checks_due": [loan for loan in at_home if loan.check_due],
        "last_check_failed": [
            loan for loan in at_home if latest.get(loan.pk) == CheckOutcome.FAILED
        ],
        "open_faults": faults,
    }
