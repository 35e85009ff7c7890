"""The service's home equipment store for the demo, and the helpers each
patient's story uses to lend, check and report on it through the same
services the coordinator, the nurses and the families use: eleven items of
every kind, each with a serial number and a service date; one oxygen
concentrator is overdue for its service (it cannot be lent), a feeding pump is
away being serviced. Which patient has what is in their story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.demo.symptom_week import act_on_alert
from hearth.equipment import checklists
from hearth.equipment import services as equipment_services
from hearth.equipment.choices import (
    CheckAnswer,
    CheckOutcome,
    EquipmentKind,
    ItemStatus,
    LoanStatus,
)
from hearth.equipment.models import EquipmentItem, Loan, SafetyCheck
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient

COORDINATOR = "coord.lewis"

#: serial: (kind, make and model, next service due in days from today)
ITEMS: dict[str, tuple[str, str, int]] = {
    "OXY-0101": (EquipmentKind.OXYGEN_CONCENTRATOR, "Invacare Perfecto2 V", 150),
    "OXY-0102": (EquipmentKind.OXYGEN_CONCENTRATOR, "Philips EverFlo", -3),
    "MAT-0201": (EquipmentKind.PRESSURE_MATTRESS, "Alternating air, Nimbus 4", 120),
    "MAT-0202": (EquipmentKind.PRESSURE_MATTRESS, "Alternating air, Nimbus 4", 200),
    "BED-0301": (EquipmentKind.HOSPITAL_BED, "Sidhil Bradshaw electric", 180),
    "BED-0302": (EquipmentKind.HOSPITAL_BED, "Sidhil Bradshaw electric", 90),
    "PMP-0401": (EquipmentKind.FEEDING_PUMP, "Flocare Infinity", 160),
    "PMP-0402": (EquipmentKind.FEEDING_PUMP, "Flocare Infinity", 30),
    "SUC-0501": (EquipmentKind.SUCTION, "Laerdal LCSU 4", 170),
    "WCH-0601": (EquipmentKind.WHEELCHAIR, "Days Swift self-propel", 7),
    "COM-0701": (EquipmentKind.COMMODE, "Static commode with arms", 300),
}


@dataclass
class Store:
    """The demo's equipment by serial number, and who lends and checks it."""

    items: dict[str, EquipmentItem]
    coordinator: User
    brennan: User
    sokolova: User


def user_named(staff: dict[str, User], username: str) -> User | None:
    return staff.get(username) or User.objects.filter(username=username).first()


def patient_numbered(record_number: str) -> Patient | None:
    return Patient.objects.filter(record_number=record_number).first()


def on_day(days_ago: float, hour: int = 11) -> Any:
    day = clock.today() - timedelta(days=int(days_ago))
    return clock.travel_to(timezone.make_aware(datetime.combine(day, time(hour, 0))))


def days_ago_at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = clock.today() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def answered(alert_id: int | None, **how: Any) -> None:
    """The team answered the alert in time (see ``hearth.demo.symptom_week.act_on_alert``)."""
    alert = Alert.objects.filter(pk=alert_id).first() if alert_id is not None else None
    if alert is not None and alert.is_open:
        act_on_alert(alert, **how)


def all_safe(kind: str) -> dict[str, str]:
    return {
        item.code: (
            CheckAnswer.NOT_APPLICABLE
            if item.allows_not_applicable and kind == EquipmentKind.OXYGEN_CONCENTRATOR
            else CheckAnswer.SAFE
        )
        for item in checklists.checklist_for(kind)
    }


def lend_and_check(
    item: EquipmentItem,
    patient: Patient,
    *,
    lender: User,
    checker: User,
    days_ago: int,
    check: bool = True,
) -> Loan:
    with on_day(days_ago, 10):
        loan = equipment_services.lend(actor=lender, item=item, patient=patient)
    if check:
        with on_day(days_ago, 12):
            equipment_services.record_safety_check(
                actor=checker,
                loan=loan,
                answers=all_safe(item.kind),
                note="Checked with the family at delivery; safety advice explained.",
            )
    return loan


def still_at_home_after_death(
    item: EquipmentItem, patient: Patient, coordinator: User, nurse: User
) -> None:
    """A loan from while Olga was in care, laid down as ``lend`` and
    ``record_safety_check`` leave it (lending now refuses: she has died)."""
    episode = patient.current_episode
    admitted = episode.admitted_at if episode is not None else None
    delivered = max(admitted or clock.now(), clock.now() - timedelta(days=27)) + timedelta(hours=1)
    if episode is not None and episode.died_at is not None:
        delivered = min(delivered, episode.died_at - timedelta(days=1))
    loan = Loan.objects.create(
        item=item,
        patient=patient,
        status=LoanStatus.IN_USE,
        delivered_at=delivered,
        delivered_by=coordinator,
    )
    item.status = ItemStatus.ON_LOAN
    item.save(update_fields=["status"])
    check = SafetyCheck.objects.create(
        loan=loan,
        checked_at=delivered + timedelta(hours=3),
        checked_by=nurse,
        answers=all_safe(item.kind),
        outcome=CheckOutcome.PASSED,
        note="Bed set up in the front room, by the garden window, as she asked.",
    )
    for obj, event, summary in (
        (loan, AuditEventType.EQUIPMENT_LOAN_DELIVERED, equipment_services.delivered_summary(item)),
        (
            check,
            AuditEventType.EQUIPMENT_CHECK_RECORDED,
            equipment_services.safety_check_summary(item, failed=False),
        ),
    ):
        audit.record(
            actor=coordinator if obj is loan else nurse,
            action=AuditAction.CREATE,
            event_type=event,
            patient=patient,
            obj=obj,
            summary=summary,
            changes={"demo": "laid down as the service leaves it"},
        )


def stock_the_store(coordinator: User) -> dict[str, EquipmentItem]:
    """Every item bought two months ago; the faulty feeding pump sent away five days ago."""
    today = clock.today()
    items: dict[str, EquipmentItem] = {}
    with on_day(60, 9):
        for serial, (kind, model, due_in) in ITEMS.items():
            due: date = today + timedelta(days=due_in)
            items[serial] = equipment_services.add_item(
                actor=coordinator,
                kind=kind,
                serial_number=serial,
                model_name=model,
                maintenance_due_on=due,
                last_maintained_on=clock.today() - timedelta(days=30),
            )
    with on_day(5, 9):
        equipment_services.change_item_status(
            actor=coordinator,
            item=items["PMP-0402"],
            status=ItemStatus.MAINTENANCE,
            reason="Occlusion alarm fails its test; sent to the supplier for repair.",
        )

    return items
