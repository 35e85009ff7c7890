"""The demo tells the equipment story through the real services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.demo.seed import seed_equipment
from hearth.equipment.choices import EquipmentKind, ItemStatus, LoanStatus
from hearth.equipment.models import EquipmentItem, FaultReport, Loan, SafetyCheck
from hearth.monitoring.choices import AlertRule
from hearth.monitoring.models import Alert

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _counts() -> dict[str, int]:
    return {
        "items": EquipmentItem.objects.count(),
        "loans": Loan.objects.count(),
        "checks": SafetyCheck.objects.count(),
        "faults": FaultReport.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_equipment(staff)


def test_it_tells_the_equipment_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["items"] >= 10 and all(first.values()), first
    assert {item.kind for item in EquipmentItem.objects.all()} == set(EquipmentKind.values)

    oxygen = Loan.objects.get(
        patient__record_number="HH-1002", item__kind=EquipmentKind.OXYGEN_CONCENTRATOR
    )
    failed = oxygen.safety_checks.get(outcome="failed")
    alert = Alert.objects.get(pk=failed.alert_id)
    assert (alert.rule, alert.severity) == (AlertRule.OXYGEN_EQUIPMENT, "high")
    assert "smoking" in failed.note
    assert Loan.objects.filter(
        patient__record_number="HH-1002", item__kind=EquipmentKind.FEEDING_PUMP
    ).exists()
    assert Loan.objects.checks_due().filter(patient__record_number="HH-1002").exists()

    fault = FaultReport.objects.open().get()
    assert fault.loan.patient.record_number == "HH-1001"
    assert fault.reported_by.username == "family.hassan"
    assert Alert.objects.get(pk=fault.alert_id).rule == AlertRule.EQUIPMENT_FAULT

    overdue = EquipmentItem.objects.get(serial_number="OXY-0102")
    assert overdue.maintenance_state() == "overdue" and overdue.status == ItemStatus.AVAILABLE
    assert EquipmentItem.objects.get(serial_number="WCH-0601").maintenance_state() == "due_soon"

    # Olga Kuznetsova died; her bed is still at home for the return checklist.
    bed = Loan.objects.at_home().get(patient__record_number="HH-1005")
    assert bed.item.kind == EquipmentKind.HOSPITAL_BED and bed.status == LoanStatus.IN_USE
    assert bed.patient.date_of_death is not None
    assert bed.delivered_at.date() < bed.patient.date_of_death


def test_the_demo_pages_open() -> None:
    from django.test import Client

    _seed()
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="coord.lewis"))
    assert coordinator.get("/equipment/").status_code == 200
    for item in EquipmentItem.objects.all():
        assert coordinator.get(f"/equipment/items/{item.external_id}/").status_code == 200
    nurse = Client()
    nurse.force_login(User.objects.get(username="nurse.sokolova"))
    pyotr = Loan.objects.filter(patient__record_number="HH-1002").first()
    assert pyotr is not None
    page = nurse.get(f"/patients/{pyotr.patient.external_id}/equipment/").content.decode()
    # The failed check two days ago and the passing recheck, in the nurse's language.
    assert "OXY-0101" in page and "nephew was smoking" in page
    family = Client()
    family.force_login(User.objects.get(username="family.hassan"))
    portal = family.get("/portal/equipment/").content.decode()
    assert "Hospital bed" in portal and "OXY-0101" not in portal
