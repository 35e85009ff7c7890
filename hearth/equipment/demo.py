"""Home equipment for the demo, written through the same services the
coordinator, the nurses and the families use.

* The store: eleven items of every kind, each with a serial number and a
  service date; one oxygen concentrator is overdue for its service (it cannot
  be lent), a feeding pump is away being serviced.
* Pyotr Smirnov (HH-1002, motor neurone disease, breathless at night): an
  oxygen concentrator, a feeding pump and, delivered today, a suction machine
  still waiting for its safety check. The concentrator passed its first check;
  two days ago nurse Sokolova found a visiting relative smoking in the kitchen
  by the gas cooker: the check failed and the team was alerted (oxygen, high).
* Amina Hassan (HH-1001): a hospital bed and a pressure-relieving mattress,
  both checked; yesterday her daughter reported the mattress pump alarming at
  night (an open fault, the team alerted).
* Tom Whitaker (HH-1006): a wheelchair, checked, due for its service soon.
* Olga Kuznetsova (HH-1005, died nine days ago): her hospital bed is still at
  home, for the bereavement return checklist. It was lent while she was in
  care; as lending now refuses a patient no longer in care, that loan and its
  check are laid down as the services left them (with their audit events).

Safe to run again: nothing is added when the store already holds the demo items.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.equipment import checklists, services
from hearth.equipment.choices import (
    CheckAnswer,
    CheckOutcome,
    EquipmentKind,
    ItemStatus,
    LoanStatus,
)
from hearth.equipment.models import EquipmentItem, Loan, SafetyCheck
from hearth.monitoring.choices import TriageOutcome
from hearth.monitoring.demo import act_on_alert
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


def _user(staff: dict[str, User], username: str) -> User | None:
    return staff.get(username) or User.objects.filter(username=username).first()


def _patient(record_number: str) -> Patient | None:
    return Patient.objects.filter(record_number=record_number).first()


def _at(days_ago: float, hour: int = 11) -> Any:
    day = clock.today() - timedelta(days=int(days_ago))
    return clock.travel_to(timezone.make_aware(datetime.combine(day, time(hour, 0))))


def _moment(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = clock.today() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _answered(alert_id: int | None, **how: Any) -> None:
    """The team answered the alert in time (see ``monitoring.demo.act_on_alert``)."""
    alert = Alert.objects.filter(pk=alert_id).first() if alert_id is not None else None
    if alert is not None and alert.is_open:
        act_on_alert(alert, **how)


def _all_safe(kind: str) -> dict[str, str]:
    return {
        item.code: (
            CheckAnswer.NOT_APPLICABLE
            if item.allows_not_applicable and kind == EquipmentKind.OXYGEN_CONCENTRATOR
            else CheckAnswer.SAFE
        )
        for item in checklists.checklist_for(kind)
    }


def _lend_and_check(
    item: EquipmentItem,
    patient: Patient,
    *,
    lender: User,
    checker: User,
    days_ago: int,
    check: bool = True,
) -> Loan:
    with _at(days_ago, 10):
        loan = services.lend(actor=lender, item=item, patient=patient)
    if check:
        with _at(days_ago, 12):
            services.record_safety_check(
                actor=checker,
                loan=loan,
                answers=_all_safe(item.kind),
                note="Checked with the family at delivery; safety advice explained.",
            )
    return loan


def _still_at_home_after_death(
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
        answers=_all_safe(item.kind),
        outcome=CheckOutcome.PASSED,
        note="Bed set up in the front room, by the garden window, as she asked.",
    )
    for obj, event, summary in (
        (loan, AuditEventType.EQUIPMENT_LOAN_DELIVERED, f"Equipment delivered: {item}"),
        (check, AuditEventType.EQUIPMENT_CHECK_RECORDED, f"Safety check passed: {item}"),
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


def seed_equipment(staff: dict[str, User]) -> None:
    coordinator = _user(staff, COORDINATOR)
    brennan = _user(staff, "nurse.brennan")
    sokolova = _user(staff, "nurse.sokolova")
    if coordinator is None or brennan is None or sokolova is None:
        return
    if EquipmentItem.objects.filter(serial_number__in=list(ITEMS)).exists():
        return
    with transaction.atomic():
        _seed(coordinator, brennan, sokolova)


def _seed(coordinator: User, brennan: User, sokolova: User) -> None:
    today = clock.today()
    items: dict[str, EquipmentItem] = {}
    with _at(60, 9):
        for serial, (kind, model, due_in) in ITEMS.items():
            due: date = today + timedelta(days=due_in)
            items[serial] = services.add_item(
                actor=coordinator,
                kind=kind,
                serial_number=serial,
                model_name=model,
                maintenance_due_on=due,
                last_maintained_on=clock.today() - timedelta(days=30),
            )
    with _at(5, 9):
        services.change_item_status(
            actor=coordinator,
            item=items["PMP-0402"],
            status=ItemStatus.MAINTENANCE,
            reason="Occlusion alarm fails its test; sent to the supplier for repair.",
        )

    amina, pyotr, tom, olga = (_patient(n) for n in ("HH-1001", "HH-1002", "HH-1006", "HH-1005"))
    if pyotr is not None:
        oxygen = _lend_and_check(
            items["OXY-0101"], pyotr, lender=sokolova, checker=sokolova, days_ago=12
        )
        _lend_and_check(items["PMP-0401"], pyotr, lender=sokolova, checker=sokolova, days_ago=10)
        with _at(2, 15):
            answers = _all_safe(EquipmentKind.OXYGEN_CONCENTRATOR)
            answers["no_smoking_or_flame"] = CheckAnswer.NOT_SAFE
            failed = services.record_safety_check(
                actor=sokolova,
                loan=oxygen,
                answers=answers,
                note=(
                    "A visiting nephew was smoking in the kitchen, next to the gas cooker, "
                    "with the concentrator running in the next room. Explained the fire risk "
                    "to Tatiana and the nephew; no-smoking sign put up. Recheck at next visit."
                ),
            )
        with _at(1, 11):
            services.record_safety_check(
                actor=sokolova,
                loan=oxygen,
                answers=_all_safe(EquipmentKind.OXYGEN_CONCENTRATOR),
                note="Rechecked: nobody smokes in the flat now; the sign is up by the cooker.",
            )
        _answered(
            failed.alert_id,
            outcome=TriageOutcome.ADVICE_BY_PHONE,
            note="Phoned Tatiana: the nephew smokes outside only; concentrator off while "
            "the cooker is on. Recheck booked for tomorrow.",
            resolution="Recheck passed; no smoking in the flat.",
            resolved_at=_moment(1, 11, 30),
        )
        # Delivered this morning, or an hour ago if the demo loads before nine.
        with clock.travel_to(min(_moment(0, 9), clock.now() - timedelta(hours=1))):
            services.lend(actor=sokolova, item=items["SUC-0501"], patient=pyotr)
    if amina is not None:
        _lend_and_check(items["BED-0301"], amina, lender=coordinator, checker=brennan, days_ago=30)
        mattress = _lend_and_check(
            items["MAT-0201"], amina, lender=coordinator, checker=brennan, days_ago=30
        )
        family = User.objects.filter(username="family.hassan").first()
        if family is not None:
            with _at(1, 22):
                fault = services.report_fault(
                    actor=family,
                    loan=mattress,
                    description=(
                        "The mattress pump beeps every few minutes at night and the left side "
                        "feels softer than the right."
                    ),
                )
            # The alert is answered that night; the fault stays open for the engineer.
            _answered(
                fault.alert_id,
                outcome=TriageOutcome.ADVICE_BY_PHONE,
                note="Talked Leila through the hose and the power lead; the pump settled.",
                resolution="Mattress inflating again; an engineer is booked for the pump.",
            )
    if tom is not None:
        _lend_and_check(items["WCH-0601"], tom, lender=coordinator, checker=brennan, days_ago=6)
    if olga is not None:
        _still_at_home_after_death(items["BED-0302"], olga, coordinator, sokolova)
