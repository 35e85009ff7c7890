"""The home equipment JSON API: the same services and rules as the pages.

The store (``/equipment/items``) is for coordinators, nurses and physicians;
whose home an item is in is shown only for patients the reader may see. A
patient's equipment (``/patients/{id}/equipment``) is read by their team and
their family; the family may also report a fault. Nothing here writes a model.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts.models import User
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.equipment import checklists, queries, services
from hearth.equipment.choices import EquipmentKind
from hearth.equipment.models import EquipmentItem, FaultReport, Loan
from hearth.equipment.schemas import (
    ChecklistOut,
    FaultIn,
    FaultOut,
    InventoryQuery,
    ItemIn,
    ItemOut,
    ItemStatusIn,
    LendIn,
    LoanOut,
    MaintenanceIn,
    ResolveFaultIn,
    ReturnIn,
    SafetyCheckIn,
    SafetyCheckOut,
)
from hearth.patients import access
from hearth.patients.models import Patient

router = Router(tags=["home equipment"])

VIEW = "equipment.view_equipment"


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _store_reader(actor: User) -> None:
    if not actor.has_perm("equipment.view_inventory"):
        raise NotAllowed(_("Only coordinators, nurses and physicians see the equipment store."))


def _item(item_id: UUID) -> EquipmentItem:
    found = EquipmentItem.objects.filter(external_id=item_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _loan(request: HttpRequest, loan_id: UUID, perm: str, read: str | None = None) -> Loan:
    loan = services.get_loan(loan_id)
    _open(request, loan.patient.external_id, perm, read)
    return loan


def _item_out(row: queries.InventoryRow) -> dict[str, Any]:
    item = row.item
    return {
        "id": item.external_id,
        "kind": item.kind,
        "model_name": item.model_name,
        "serial_number": item.serial_number,
        "status": item.status,
        "maintenance_due_on": item.maintenance_due_on,
        "last_maintained_on": item.last_maintained_on,
        "maintenance": row.maintenance,
        "loan_id": row.loan.external_id if row.loan else None,
        "patient_id": row.patient.external_id if row.patient else None,
    }


def _one_item_out(actor: User, item: EquipmentItem) -> dict[str, Any]:
    fresh = queries.inventory().get(pk=item.pk)
    return _item_out(queries.inventory_rows(actor, [fresh])[0])


def _loan_out(loan: Loan) -> dict[str, Any]:
    return {
        "id": loan.external_id,
        "patient_id": loan.patient.external_id,
        "item": loan.item,
        "status": loan.status,
        "delivered_at": loan.delivered_at,
        "delivered_by": loan.delivered_by,
        "returned_at": loan.returned_at,
        "return_note": loan.return_note,
        "check_due": loan.check_due,
        "safety_checks": list(loan.safety_checks.all()),
        "faults": list(loan.fault_reports.all()),
    }


def _fresh_loan_out(loan: Loan) -> dict[str, Any]:
    return _loan_out(queries.loan_with_history(loan))


# --- Checklists ---------------------------------------------------------------------


@router.get("/equipment/checklists", response={200: list[ChecklistOut], **ERROR_RESPONSES})
def list_checklists(request: HttpRequest) -> Any:
    """The safety checklist of each kind of equipment: item codes, the question
    staff answer, the advice the family reads and the answers each allows."""
    return [
        {
            "kind": kind,
            "label": str(kind.label),
            "items": [
                {
                    "code": item.code,
                    "question": str(item.question),
                    "advice": str(item.advice),
                    "answers": [value for value, _label in item.answer_choices()],
                }
                for item in checklists.checklist_for(kind)
            ],
        }
        for kind in EquipmentKind
    ]


# --- The store ----------------------------------------------------------------------


@router.get("/equipment/items", response={200: CursorPage.of(ItemOut), **ERROR_RESPONSES})
def list_items(
    request: HttpRequest, filters: Query[InventoryQuery], paging: Query[CursorQuery]
) -> Any:
    """The store: filter by ``kind``, ``status`` and ``maintenance`` (``due``:
    overdue or due within the warning days; ``overdue``), a page at a time."""
    actor = actor_of(request)
    _store_reader(actor)
    items = queries.inventory(
        kind=filters.kind.value if filters.kind else None,
        status=filters.status.value if filters.status else None,
        maintenance=filters.maintenance,
    )
    page = cursor_page(
        request,
        items,
        list_name="equipment",
        ordering=("kind", "serial_number", "id"),
        paging=paging,
    )
    rows = queries.inventory_rows(actor, page.items)
    return {"items": [_item_out(row) for row in rows], "next": page.next}


@router.post("/equipment/items", response={201: ItemOut, **ERROR_RESPONSES})
def add_item(request: HttpRequest, payload: ItemIn) -> Any:
    """A new item in the store. Coordinators and nurses."""
    actor = actor_of(request)
    data = payload.model_dump()
    data["kind"] = payload.kind.value
    item = services.add_item(actor=actor, **data)
    return Status(201, _one_item_out(actor, item))


@router.get("/equipment/items/{item_id}", response={200: ItemOut, **ERROR_RESPONSES})
def get_item(request: HttpRequest, item_id: UUID) -> Any:
    actor = actor_of(request)
    _store_reader(actor)
    return _one_item_out(actor, _item(item_id))


@router.post("/equipment/items/{item_id}/maintenance", response={200: ItemOut, **ERROR_RESPONSES})
def record_maintenance(request: HttpRequest, item_id: UUID, payload: MaintenanceIn) -> Any:
    """A service done and the next one's date. Coordinators and nurses."""
    actor = actor_of(request)
    _store_reader(actor)
    item = services.record_maintenance(actor=actor, item=_item(item_id), **payload.model_dump())
    return _one_item_out(actor, item)


@router.post("/equipment/items/{item_id}/status", response={200: ItemOut, **ERROR_RESPONSES})
def change_item_status(request: HttpRequest, item_id: UUID, payload: ItemStatusIn) -> Any:
    """Available, maintenance or retired; refused while the item is at a home."""
    actor = actor_of(request)
    _store_reader(actor)
    item = services.change_item_status(
        actor=actor, item=_item(item_id), status=payload.status.value, reason=payload.reason
    )
    return _one_item_out(actor, item)


# --- A patient's equipment --------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/equipment", response={200: CursorPage.of(LoanOut), **ERROR_RESPONSES}
)
def list_loans(
    request: HttpRequest,
    patient_id: UUID,
    paging: Query[CursorQuery],
    include_returned: bool = False,
) -> Any:
    """The equipment at the patient's home (and what went back, with
    ``include_returned``), with safety checks and faults, a page at a time.
    Team and family."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.EQUIPMENT_VIEWED)
    return cursor_page(
        request,
        queries.patient_loan_rows(patient, include_returned=include_returned),
        list_name="patient-equipment",
        ordering=queries.LOAN_ORDER,
        paging=paging,
    ).answer(_loan_out)


@router.post("/patients/{patient_id}/equipment", response={201: LoanOut, **ERROR_RESPONSES})
def lend(request: HttpRequest, patient_id: UUID, payload: LendIn) -> Any:
    """Deliver an item from the store. Coordinators and nurses of the team;
    the item must be available and not overdue for servicing."""
    patient = _open(request, patient_id, VIEW)
    item = EquipmentItem.objects.filter(external_id=payload.item_id).first()
    if item is None:
        message = _("No such item in the store.")
        raise ValidationFailed(message, field_errors={"item_id": [message]})
    loan = services.lend(
        actor=actor_of(request), item=item, patient=patient, delivered_at=payload.delivered_at
    )
    return Status(201, _fresh_loan_out(loan))


@router.get("/equipment/loans/{loan_id}", response={200: LoanOut, **ERROR_RESPONSES})
def get_loan(request: HttpRequest, loan_id: UUID) -> Any:
    loan = _loan(request, loan_id, VIEW, read=AuditEventType.EQUIPMENT_LOAN_VIEWED)
    return _fresh_loan_out(loan)


@router.post(
    "/equipment/loans/{loan_id}/safety-checks", response={201: SafetyCheckOut, **ERROR_RESPONSES}
)
def record_safety_check(request: HttpRequest, loan_id: UUID, payload: SafetyCheckIn) -> Any:
    """The checklist of the item's kind. Any "not_safe" fails the check and
    raises an alert for the team; the first pass puts the item in use."""
    loan = _loan(request, loan_id, VIEW)
    check = services.record_safety_check(actor=actor_of(request), loan=loan, **payload.model_dump())
    return Status(201, check)


@router.post("/equipment/loans/{loan_id}/faults", response={201: FaultOut, **ERROR_RESPONSES})
def report_fault(request: HttpRequest, loan_id: UUID, payload: FaultIn) -> Any:
    """Something is wrong with an item at home: the family or the team says
    what; the team is alerted."""
    loan = _loan(request, loan_id, "equipment.report_fault")
    fault = services.report_fault(
        actor=actor_of(request), loan=loan, description=payload.description
    )
    return Status(201, fault)


@router.post("/equipment/faults/{fault_id}/resolve", response={200: FaultOut, **ERROR_RESPONSES})
def resolve_fault(request: HttpRequest, fault_id: UUID, payload: ResolveFaultIn) -> Any:
    fault = (
        FaultReport.objects.select_related("loan__patient", "loan__item")
        .filter(external_id=fault_id)
        .first()
    )
    if fault is None:
        raise NotFound(_("Not found."))
    _open(request, fault.loan.patient.external_id, VIEW)
    return services.resolve_fault(
        actor=actor_of(request), fault=fault, resolution=payload.resolution
    )


@router.post("/equipment/loans/{loan_id}/return", response={200: LoanOut, **ERROR_RESPONSES})
def return_loan(request: HttpRequest, loan_id: UUID, payload: ReturnIn) -> Any:
    """The item is back in the store (to servicing if a fault is open)."""
    loan = _loan(request, loan_id, VIEW)
    services.return_loan(actor=actor_of(request), loan=loan, **payload.model_dump())
    return _fresh_loan_out(loan)
