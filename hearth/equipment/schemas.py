"""Home equipment over JSON: what goes in and what comes out.

Objects are named by their external UUIDs. Date-times carry a time zone.
Safety-check answers are ``{item code: "safe" | "not_safe" | "not_applicable"}``
with the codes of ``GET /api/v1/equipment/checklists``; the service checks
them (every item answered, unknown codes refused) in the same words as the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.equipment.choices import CheckOutcome, EquipmentKind, ItemStatus, LoanStatus
from hearth.patients.schemas import StrictIn

AWARE = "ISO 8601 with a time zone, e.g. 2026-05-01T08:00+01:00; now when left out."


# --- Checklists -----------------------------------------------------------------


class ChecklistItemOut(Schema):
    code: str
    question: str
    advice: str
    answers: list[str] = Field(description="The answers this item allows.")


class ChecklistOut(Schema):
    kind: EquipmentKind
    label: str
    items: list[ChecklistItemOut]


# --- The store --------------------------------------------------------------------


class ItemIn(StrictIn):
    kind: EquipmentKind
    serial_number: str = Field(min_length=1, max_length=60)
    model_name: str = Field("", max_length=120)
    maintenance_due_on: CalendarDate = Field(description="The date the next service is due.")
    last_maintained_on: CalendarDate | None = None
    notes: str = Field("", max_length=2000)


class MaintenanceIn(StrictIn):
    done_on: CalendarDate
    next_due_on: CalendarDate
    note: str = Field("", max_length=2000)


class ItemStatusIn(StrictIn):
    status: ItemStatus = Field(description="available, maintenance or retired.")
    reason: str = Field("", max_length=2000, description="Required when retiring.")


class ItemOut(Schema):
    id: UUID
    kind: EquipmentKind
    model_name: str
    serial_number: str
    status: ItemStatus
    maintenance_due_on: date | None
    last_maintained_on: date | None
    maintenance: str | None = Field(
        description="overdue, due_soon (within the warning days), unknown, or null."
    )
    loan_id: UUID | None = Field(description="The loan while the item is at a home.")
    patient_id: UUID | None = Field(description="Whose home, only when you may see that patient.")


class InventoryQuery(Schema):
    kind: EquipmentKind | None = None
    status: ItemStatus | None = None
    maintenance: str | None = Field(None, pattern="^(due|overdue)$")


# --- Loans, checks and faults -----------------------------------------------------


class LendIn(StrictIn):
    item_id: UUID
    delivered_at: AwareDateTime | None = Field(None, description=AWARE)


class SafetyCheckIn(StrictIn):
    answers: dict[str, Any] = Field(description="Item code: safe, not_safe or not_applicable.")
    note: str = Field("", max_length=2000, description="Required when anything is not safe.")
    checked_at: AwareDateTime | None = Field(None, description=AWARE)


class FaultIn(StrictIn):
    description: str = Field(min_length=1, max_length=2000)


class ResolveFaultIn(StrictIn):
    resolution: str = Field(min_length=1, max_length=2000)


class ReturnIn(StrictIn):
    condition_note: str = Field("", max_length=2000)
    returned_at: AwareDateTime | None = Field(None, description=AWARE)


class SafetyCheckOut(Schema):
    id: UUID = Field(alias="external_id")
    checked_at: datetime
    checked_by: PersonOut
    outcome: CheckOutcome
    answers: dict[str, str]
    note: str
    alert_raised: bool


class FaultOut(Schema):
    id: UUID = Field(alias="external_id")
    reported_at: datetime
    reported_by: PersonOut
    description: str
    resolved_at: datetime | None
    resolved_by: PersonOut | None
    resolution: str
    alert_raised: bool


class LoanItemOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: EquipmentKind
    model_name: str
    serial_number: str


class LoanOut(Schema):
    id: UUID
    patient_id: UUID
    item: LoanItemOut
    status: LoanStatus
    delivered_at: datetime
    delivered_by: PersonOut
    returned_at: datetime | None
    return_note: str
    check_due: bool = Field(description="Delivered and not yet passed a safety check.")
    safety_checks: list[SafetyCheckOut]
    faults: list[FaultOut]
