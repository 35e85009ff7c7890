"""The store, lending, safety checks with their alerts, faults and returns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import translation

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.equipment import services
from hearth.equipment.choices import (
    CheckOutcome,
    EquipmentKind,
    ItemStatus,
    LoanStatus,
)
from hearth.equipment.models import Loan
from hearth.monitoring.choices import AlertRule
from hearth.monitoring.models import Alert

from .conftest import answers, lend, new_item

# --- The store ------------------------------------------------------------------


def test_coordinators_and_nurses_keep_the_store(active: World) -> None:
    item = new_item(active, serial_number="AB-1")
    assert item.status == ItemStatus.AVAILABLE
    event = AuditEvent.objects.get(event_type="equipment_item.added")
    assert event.object_id == str(item.external_id)
    services.add_item(
        actor=active.nurse,
        kind=EquipmentKind.COMMODE,
        serial_number="AB-2",
        maintenance_due_on=clock.today() + timedelta(days=30),
    )
    for outsider in (active.physician, active.chaplain, active.family, active.administrator):
        with pytest.raises(NotAllowed):
            services.add_item(
                actor=outsider,
                kind=EquipmentKind.COMMODE,
                serial_number="AB-3",
                maintenance_due_on=clock.today() + timedelta(days=30),
            )


def test_an_item_needs_a_unique_serial_and_a_service_date(active: World) -> None:
    new_item(active, serial_number="OX-77")
    with pytest.raises(ValidationFailed) as refused:
        services.add_item(
            actor=active.coordinator,
            kind="toaster",
            serial_number="ox-77",
            maintenance_due_on=None,
        )
    assert set(refused.value.field_errors) == {"kind", "serial_number", "maintenance_due_on"}


def test_a_service_sets_the_dates(active: World) -> None:
    item = new_item(active, due_in=-1)
    done = clock.today()
    services.record_maintenance(
        actor=active.nurse, item=item, done_on=done, next_due_on=done + timedelta(days=180)
    )
    item.refresh_from_db()
    assert item.last_maintained_on == done
    assert item.maintenance_due_on == done + timedelta(days=180)
    with pytest.raises(ValidationFailed) as refused:
        services.record_maintenance(
            actor=active.nurse, item=item, done_on=done + timedelta(days=2), next_due_on=done
        )
    assert set(refused.value.field_errors) == {"done_on", "next_due_on"}


def test_an_item_on_loan_cannot_be_sent_for_service_or_retired(
    active: World, mattress_loan: Loan
) -> None:
    for status in (ItemStatus.MAINTENANCE, ItemStatus.RETIRED):
        with pytest.raises(Conflict):
            services.change_item_status(
                actor=active.coordinator, item=mattress_loan.item, status=status, reason="old"
            )


def test_retiring_needs_a_reason_and_is_final(active: World) -> None:
    item = new_item(active)
    with pytest.raises(ValidationFailed):
        services.change_item_status(actor=active.coordinator, item=item, status="retired")
    with pytest.raises(ValidationFailed):
        services.change_item_status(actor=active.coordinator, item=item, status="on_loan")
    services.change_item_status(
        actor=active.coordinator, item=item, status="retired", reason="Motor burnt out."
    )
    with pytest.raises(InvalidTransition):
        services.change_item_status(actor=active.coordinator, item=item, status="available")


# --- Lending -------------------------------------------------------------------------


def test_lending_delivers_the_item(active: World) -> None:
    item = new_item(active)
    loan = lend(active, item)
    item.refresh_from_db()
    assert (loan.status, item.status) == (LoanStatus.DELIVERED, ItemStatus.ON_LOAN)
    assert loan.check_due
    event = AuditEvent.objects.get(event_type="equipment_loan.delivered")
    assert event.patient_id == active.patient.pk


def test_an_item_already_on_loan_cannot_be_lent(active: World, mattress_loan: Loan) -> None:
    with pytest.raises(Conflict) as refused:
        services.lend(actor=active.nurse, item=mattress_loan.item, patient=active.patient)
    assert "already" in refused.value.message
    assert Loan.objects.count() == 1


def test_an_item_overdue_for_service_cannot_be_lent(active: World) -> None:
    item = new_item(active, due_in=-1)
    with pytest.raises(InvalidTransition) as refused:
        lend(active, item)
    assert refused.value.code == "maintenance_overdue"
    assert "overdue" in refused.value.message
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE and not Loan.objects.exists()
    # Due today is still in date.
    lend(active, new_item(active, due_in=0))


def test_an_item_being_serviced_cannot_be_lent(active: World) -> None:
    item = new_item(active)
    services.change_item_status(actor=active.coordinator, item=item, status="maintenance")
    with pytest.raises(InvalidTransition):
        lend(active, item)


def test_lending_needs_a_patient_in_active_care(world: World) -> None:
    item = new_item(world)
    with pytest.raises(InvalidTransition) as refused:
        services.lend(actor=world.coordinator, item=item, patient=world.patient)
    assert refused.value.code == "not_in_care"


def test_who_may_lend(active: World) -> None:
    item = new_item(active)
    for person in (active.physician, active.chaplain, active.family, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            services.lend(actor=person, item=item, patient=active.patient)
    services.lend(actor=active.coordinator, item=item, patient=active.patient)


# --- Safety checks --------------------------------------------------------------------


def test_a_failed_oxygen_check_raises_a_high_oxygen_alert(active: World, oxygen_loan: Loan) -> None:
    check = services.record_safety_check(
        actor=active.nurse,
        loan=oxygen_loan,
        answers=answers(EquipmentKind.OXYGEN_CONCENTRATOR, no_smoking_or_flame="not_safe"),
        note="Son smoking in the kitchen next to the gas cooker.",
    )
    assert check.outcome == CheckOutcome.FAILED
    alert = Alert.objects.get(pk=check.alert_id)
    assert (alert.patient, alert.rule, alert.severity) == (
        active.patient,
        AlertRule.OXYGEN_EQUIPMENT,
        "high",
    )
    evidence = alert.evidence.get()
    assert "smoking" in evidence.description.lower()
    assert evidence.source_id == str(check.external_id)
    oxygen_loan.refresh_from_db()
    assert oxygen_loan.status == LoanStatus.DELIVERED  # not yet safe to rely on
    event = AuditEvent.objects.get(event_type="equipment_check.recorded")
    assert event.patient_id == active.patient.pk and event.changes["alert_id"] == alert.pk


def test_a_failed_mattress_check_raises_an_equipment_safety_alert(
    active: World, mattress_loan: Loan
) -> None:
    check = services.record_safety_check(
        actor=active.nurse,
        loan=mattress_loan,
        answers=answers(EquipmentKind.PRESSURE_MATTRESS, pump_running="not_safe"),
        note="Pump switched off at the wall.",
    )
    alert = Alert.objects.get(pk=check.alert_id)
    assert (alert.rule, alert.severity) == (AlertRule.EQUIPMENT_SAFETY_CHECK, "medium")
    assert not Alert.objects.filter(rule=AlertRule.OXYGEN_EQUIPMENT).exists()


@override_settings(
    HEARTH_ALERT_SEVERITY={"equipment_safety_check": "low", "oxygen_equipment": "medium"}
)
def test_the_severity_comes_from_settings(active: World, mattress_loan: Loan) -> None:
    check = services.record_safety_check(
        actor=active.nurse,
        loan=mattress_loan,
        answers=answers(EquipmentKind.PRESSURE_MATTRESS, cover_intact="not_safe"),
        note="Torn cover.",
    )
    assert Alert.objects.get(pk=check.alert_id).severity == "low"


def test_a_passing_check_raises_no_alert_and_puts_the_item_in_use(
    active: World, oxygen_loan: Loan
) -> None:
    check = services.record_safety_check(
        actor=active.nurse,
        loan=oxygen_loan,
        answers=answers(EquipmentKind.OXYGEN_CONCENTRATOR, fire_service_notified="not_applicable"),
    )
    assert check.outcome == CheckOutcome.PASSED and check.alert_id is None
    assert not Alert.objects.exists()
    oxygen_loan.refresh_from_db()
    assert oxygen_loan.status == LoanStatus.IN_USE and not oxygen_loan.check_due


def test_a_failed_check_needs_a_note(active: World, mattress_loan: Loan) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.record_safety_check(
            actor=active.nurse,
            loan=mattress_loan,
            answers=answers(EquipmentKind.PRESSURE_MATTRESS, alarm_silent="not_safe"),
        )
    assert list(refused.value.field_errors) == ["note"]
    assert not Alert.objects.exists()


def test_an_incomplete_checklist_is_refused_with_nothing_written(
    active: World, mattress_loan: Loan
) -> None:
    given = answers(EquipmentKind.PRESSURE_MATTRESS, bogus="safe")
    del given["pump_running"]
    with pytest.raises(ValidationFailed) as refused:
        services.record_safety_check(actor=active.nurse, loan=mattress_loan, answers=given)
    assert set(refused.value.field_errors) == {"answers", "pump_running"}
    assert not mattress_loan.safety_checks.exists()


def test_who_may_check(active: World, mattress_loan: Loan) -> None:
    for person in (active.coordinator, active.family, active.chaplain, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            services.record_safety_check(
                actor=person,
                loan=mattress_loan,
                answers=answers(EquipmentKind.PRESSURE_MATTRESS),
            )
    services.record_safety_check(
        actor=active.physician, loan=mattress_loan, answers=answers(EquipmentKind.PRESSURE_MATTRESS)
    )


# --- Faults ----------------------------------------------------------------------------


def test_a_fault_report_from_the_family_raises_an_alert(active: World, mattress_loan: Loan) -> None:
    fault = services.report_fault(
        actor=active.family, loan=mattress_loan, description="The pump alarm keeps beeping."
    )
    alert = Alert.objects.get(pk=fault.alert_id)
    assert (alert.patient, alert.rule, alert.severity) == (
        active.patient,
        AlertRule.EQUIPMENT_FAULT,
        "medium",
    )
    assert "beeping" in alert.evidence.get().description
    event = AuditEvent.objects.get(event_type="equipment_fault.reported")
    assert event.patient_id == active.patient.pk and event.actor == active.family


def test_an_oxygen_fault_raises_the_oxygen_alert(active: World, oxygen_loan: Loan) -> None:
    fault = services.report_fault(
        actor=active.chaplain, loan=oxygen_loan, description="Concentrator alarm, no flow."
    )
    alert = Alert.objects.get(pk=fault.alert_id)
    assert (alert.rule, alert.severity) == (AlertRule.OXYGEN_EQUIPMENT, "high")


def test_another_family_cannot_report_a_fault(active: World, mattress_loan: Loan) -> None:
    for person in (active.other_family, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            services.report_fault(actor=person, loan=mattress_loan, description="Broken")
    assert not Alert.objects.exists()


def test_a_fault_is_closed_once_with_what_was_done(active: World, mattress_loan: Loan) -> None:
    fault = services.report_fault(actor=active.family, loan=mattress_loan, description="Alarm")
    with pytest.raises(NotAllowed):
        services.resolve_fault(actor=active.family, fault=fault, resolution="Fixed")
    with pytest.raises(ValidationFailed):
        services.resolve_fault(actor=active.nurse, fault=fault, resolution=" ")
    services.resolve_fault(actor=active.nurse, fault=fault, resolution="Pump replaced.")
    fault.refresh_from_db()
    assert fault.resolved_by == active.nurse and not fault.is_open
    with pytest.raises(InvalidTransition):
        services.resolve_fault(actor=active.nurse, fault=fault, resolution="Again")


# --- Returns ---------------------------------------------------------------------------


def test_a_returned_item_goes_back_to_the_store(active: World, mattress_loan: Loan) -> None:
    services.return_loan(actor=active.coordinator, loan=mattress_loan, condition_note="Clean")
    mattress_loan.refresh_from_db()
    mattress_loan.item.refresh_from_db()
    assert mattress_loan.status == LoanStatus.RETURNED and mattress_loan.returned_at
    assert mattress_loan.item.status == ItemStatus.AVAILABLE
    event = AuditEvent.objects.get(event_type="equipment_loan.returned")
    assert event.patient_id == active.patient.pk
    with pytest.raises(InvalidTransition):
        services.return_loan(actor=active.coordinator, loan=mattress_loan)
    with pytest.raises(InvalidTransition):
        services.report_fault(actor=active.family, loan=mattress_loan, description="x")
    # It can be lent again.
    assert lend(active, mattress_loan.item).status == LoanStatus.DELIVERED


def test_an_item_with_an_open_fault_goes_to_servicing(active: World, mattress_loan: Loan) -> None:
    services.report_fault(actor=active.family, loan=mattress_loan, description="Alarm")
    services.return_loan(actor=active.nurse, loan=mattress_loan)
    mattress_loan.item.refresh_from_db()
    assert mattress_loan.item.status == ItemStatus.MAINTENANCE
    with pytest.raises(InvalidTransition):
        services.change_item_status(
            actor=active.coordinator, item=mattress_loan.item, status="available"
        )


def test_items_are_returned_after_a_death(active: World, mattress_loan: Loan) -> None:
    from hearth.patients import services as patients

    patients.record_death(
        actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
    )
    services.return_loan(actor=active.coordinator, loan=mattress_loan)
    assert Loan.objects.at_home().count() == 0


def test_who_may_record_a_return(active: World, mattress_loan: Loan) -> None:
    for person in (active.family, active.physician, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            services.return_loan(actor=person, loan=mattress_loan)


# --- Words in the reader's language ------------------------------------------------


def test_every_event_keeps_the_kind_as_a_label_for_each_reader(
    active: World, mattress_loan: Loan
) -> None:
    item = mattress_loan.item
    services.record_safety_check(actor=active.nurse, loan=mattress_loan, answers=answers(item.kind))
    fault = services.report_fault(actor=active.family, loan=mattress_loan, description="Alarm")
    services.resolve_fault(actor=active.nurse, fault=fault, resolution="Reset at home")
    services.return_loan(actor=active.coordinator, loan=mattress_loan)
    done = clock.today()
    services.record_maintenance(
        actor=active.nurse, item=item, done_on=done, next_due_on=done + timedelta(days=90)
    )
    services.change_item_status(
        actor=active.nurse, item=item, status=ItemStatus.RETIRED, reason="Worn out"
    )
    name = {
        "$m": "%(kind)s %(serial)s",
        "$p": {
            "kind": {"$t": "Anti-bedsore (pressure-relieving) mattress"},
            "serial": item.serial_number,
        },
    }
    events = AuditEvent.objects.filter(object_type__startswith="equipment.").order_by("pk")
    keys = [event.summary_key for event in events]
    assert keys == [
        "Equipment added to the store: %(item)s",
        "Equipment delivered: %(item)s",
        "Safety check passed: %(item)s",
        "Fault reported: %(item)s",
        "Fault closed: %(item)s",
        "Equipment returned: %(item)s",
        "Service recorded: %(item)s",
        "%(item)s: %(status)s",
    ]
    for event in events:
        assert event.summary_params["item"] == name
    with translation.override("en"):
        shown = [event.summary_text for event in events]
    assert (
        shown[2]
        == f"Safety check passed: Anti-bedsore (pressure-relieving) mattress {item.serial_number}"
    )
    assert shown[-1] == f"Anti-bedsore (pressure-relieving) mattress {item.serial_number}: Retired"


def test_a_failed_check_is_kept_as_a_message(active: World, oxygen_loan: Loan) -> None:
    item = oxygen_loan.item
    services.record_safety_check(
        actor=active.nurse,
        loan=oxygen_loan,
        answers=answers(item.kind, no_smoking_or_flame="not_safe"),
        note="Smoking in the room",
    )
    event = AuditEvent.objects.get(event_type="equipment_check.recorded")
    assert event.summary_key == "Safety check failed: %(item)s"
    assert event.summary_params["item"]["$p"]["kind"] == {"$t": "Oxygen concentrator"}
    with translation.override("en"):
        assert (
            event.summary_text == f"Safety check failed: Oxygen concentrator {item.serial_number}"
        )
