"""After a death or a discharge: open alerts close with the reason and never
escalate or page again; an equipment safety alert stays open with the care
coordinator (the oxygen is still in the home). Hazard rows S31 and S32."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.monitoring import alerts, paging, services
from hearth.monitoring.choices import AlertOwnerRole, AlertStatus
from hearth.monitoring.models import Alert, AlertEscalation, Observation
from hearth.monitoring.sweep import escalate_overdue
from hearth.notifications.choices import MessageKind, MessageStatus
from hearth.notifications.models import Message
from hearth.patients import services as patients
from hearth.patients.models import Patient
from hearth.patients.signals import CareEndSummary


def _raise(world: World, *, rule: str, severity: str, patient: Patient | None = None) -> Alert:
    with transaction.atomic():
        alert, _created = alerts.raise_alert(
            actor=world.nurse,
            patient=patient or world.patient,
            rule=rule,
            severity=severity,
            summary="Test",
            evidence=[
                alerts.Evidence(description="Test", source="test", observed_at=timezone.now())
            ],
        )
    return alert


def _death(world: World) -> None:
    patients.record_death(
        actor=world.nurse, episode=world.episode, died_at=clock.now(), place_of_death="home"
    )


def _discharge(world: World) -> None:
    patients.discharge(actor=world.physician, episode=world.episode, reason="moved_to_inpatient")


def _pages(alert: Alert) -> list[Message]:
    return list(Message.objects.about(paging.topic_of(alert)).filter(kind=MessageKind.ALERT_PAGE))


def test_it_closes_open_alerts_with_the_reason_after_a_death(active: World) -> None:
    alert = _raise(active, rule="help_requested", severity="high")
    assert [page.status for page in _pages(alert)] == [MessageStatus.PENDING]
    _death(active)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolution_note == "The person died."
    assert alert.resolved_by == active.nurse
    # The page not yet sent is cancelled, with the reason.
    assert [(page.status, page.finished_reason) for page in _pages(alert)] == [
        (MessageStatus.CANCELLED, "The person died.")
    ]
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_CLOSED_CARE_ENDED)
    assert (event.actor, event.patient_id) == (active.nurse, active.patient.pk)
    assert event.changes["reason"] == "The person died."


def test_it_closes_open_alerts_with_the_reason_after_a_discharge(active: World) -> None:
    alert = _raise(active, rule="esas_severe", severity="medium")
    _discharge(active)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolution_note == "Discharged: moved to inpatient care"
    assert alert.resolved_by == active.physician


def test_an_equipment_safety_alert_stays_open_and_moves_to_the_coordinator(
    active: World,
) -> None:
    oxygen = _raise(active, rule="oxygen_equipment", severity="high")
    other = _raise(active, rule="help_requested", severity="high")
    _death(active)
    oxygen.refresh_from_db()
    other.refresh_from_db()
    assert other.status == AlertStatus.RESOLVED
    assert oxygen.status == AlertStatus.OPEN
    assert (oxygen.owner, oxygen.owner_role) == (active.coordinator, AlertOwnerRole.COORDINATOR)
    assert oxygen.acknowledge_by is not None and oxygen.acknowledge_by > clock.now()
    event = AuditEvent.objects.get(event_type=AuditEventType.ALERT_HANDED_TO_COORDINATOR)
    assert event.actor == active.nurse
    assert event.changes["role"] == {"from": "nurse", "to": "coordinator"}
    # The nurse's waiting page is cancelled; the coordinator is paged instead.
    statuses = {(page.recipient_id, page.status) for page in _pages(oxygen)}
    assert (active.nurse.pk, MessageStatus.CANCELLED) in statuses
    (page,) = [p for p in _pages(oxygen) if p.recipient_id == active.coordinator.pk]
    assert "equipment is still in the home" in page.body


def test_the_coordinator_may_act_on_the_equipment_alert(active: World) -> None:
    oxygen = _raise(active, rule="oxygen_equipment", severity="high")
    _death(active)
    oxygen.refresh_from_db()
    services.acknowledge_alert(actor=active.coordinator, alert=oxygen)
    oxygen.refresh_from_db()
    assert oxygen.status == AlertStatus.ACKNOWLEDGED


def test_an_equipment_alert_the_coordinator_leaves_goes_to_the_clinical_lead(
    active: World,
) -> None:
    oxygen = _raise(active, rule="oxygen_equipment", severity="high")
    _death(active)
    oxygen.refresh_from_db()
    assert oxygen.acknowledge_by is not None
    with time_machine.travel(oxygen.acknowledge_by + timedelta(minutes=1), tick=False):
        assert escalate_overdue() == 1
    oxygen.refresh_from_db()
    assert (oxygen.owner_role, oxygen.owner) == ("clinical_lead", active.clinical_lead)


def test_a_closed_alert_is_never_escalated_or_paged_afterwards(active: World) -> None:
    alert = _raise(active, rule="help_requested", severity="high")
    deadline = alert.acknowledge_by
    assert deadline is not None
    _death(active)
    pages_before = len(_pages(alert))
    for later in (deadline + timedelta(minutes=1), deadline + timedelta(hours=6)):
        with time_machine.travel(later, tick=False):
            assert escalate_overdue() == 0
            assert paging.repeat_pages() == 0
            # The timer task queued when the alert was raised does nothing either.
            assert alerts.escalate(alert_id=alert.pk) == 0
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.escalation_count == 0
    assert not AlertEscalation.objects.filter(alert=alert).exists()
    assert len(_pages(alert)) == pages_before
    assert not Message.objects.about(paging.topic_of(alert)).pending().exists()


def test_nothing_is_closed_for_another_patient(active: World) -> None:
    mine = _raise(active, rule="help_requested", severity="high")
    theirs = _raise(active, rule="help_requested", severity="high", patient=active.other_patient)
    _death(active)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == AlertStatus.RESOLVED
    assert theirs.status == AlertStatus.OPEN
    assert not AuditEvent.objects.filter(
        patient_id=active.other_patient.pk, event_type=AuditEventType.ALERT_CLOSED_CARE_ENDED
    ).exists()


def test_a_second_run_closes_nothing_twice(active: World) -> None:
    _raise(active, rule="help_requested", severity="high")
    _raise(active, rule="oxygen_equipment", severity="high")
    _death(active)
    events = AuditEvent.objects.count()
    summary = CareEndSummary()
    with transaction.atomic():
        closed, handed = services.close_alerts_at_care_end(
            actor=active.nurse, episode=active.episode, summary=summary
        )
    assert (closed, handed, summary.items) == ([], [], [])
    assert AuditEvent.objects.count() == events


def test_the_service_may_leave_alerts_open(active: World, settings: object) -> None:
    settings.HEARTH_CARE_END_CLOSE_ALERTS = False  # type: ignore[attr-defined]
    alert = _raise(active, rule="help_requested", severity="high")
    _death(active)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_which_alerts_count_as_equipment_is_the_services_choice(
    active: World, settings: object
) -> None:
    settings.HEARTH_CARE_END_EQUIPMENT_ALERT_RULES = ["oxygen_equipment"]  # type: ignore[attr-defined]
    fault = _raise(active, rule="equipment_fault", severity="medium")
    _discharge(active)
    fault.refresh_from_db()
    assert fault.status == AlertStatus.RESOLVED


def _readings(device: object, *, spo2: int) -> None:
    moment = clock.now() - timedelta(minutes=1)
    services.ingest_readings(
        device=device,  # type: ignore[arg-type]
        readings=[
            {"code": "spo2", "value": spo2, "unit": "%", "observed_at": moment.isoformat()},
            {"code": "pulse", "value": 140, "unit": "/min", "observed_at": moment.isoformat()},
        ],
    )


def test_a_device_left_on_after_a_death_raises_no_news2_alert(active: World) -> None:
    device, _token = services.register_device(
        actor=active.nurse, patient=active.patient, kind="pulse_oximeter", label="Oximeter"
    )
    _death(active)
    _readings(device, spo2=86)
    assert not Alert.objects.filter(patient=active.patient, rule="news2").exists()
    assert Observation.objects.filter(patient=active.patient, code="spo2").exists()


def test_a_device_of_a_person_in_care_still_raises_news2_alerts(active: World) -> None:
    device, _token = services.register_device(
        actor=active.nurse, patient=active.patient, kind="pulse_oximeter", label="Oximeter"
    )
    _readings(device, spo2=86)
    assert Alert.objects.filter(patient=active.patient, rule="news2").exists()
