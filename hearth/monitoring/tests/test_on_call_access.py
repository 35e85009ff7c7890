"""The nurse on call who owns a patient's open alert opens that patient's
record without break-the-glass; the access is audited as on-call access and
ends with the alert (hazard S25)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import translation

from hearth.conftest import World, make_user
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.monitoring import services
from hearth.monitoring.models import Alert
from hearth.patients import access


def _outsider_on_call_owns_a_help_alert(world: World) -> Alert:
    services.add_on_call_shift(
        actor=world.coordinator,
        role="nurse",
        staff=world.outsider_nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=8),
    )
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    alert = Alert.objects.get()
    assert alert.owner == world.outsider_nurse
    return alert


def _record_url(world: World) -> str:
    return f"/patients/{world.patient.external_id}/"


def test_the_owner_of_an_open_alert_reads_the_record_without_emergency_access(
    active: World, client_for: Any
) -> None:
    _outsider_on_call_owns_a_help_alert(active)
    page = client_for(active.outsider_nurse)
    assert page.get(_record_url(active)).status_code == 200
    assert page.get(f"/patients/{active.patient.external_id}/symptoms/").status_code == 200
    assert page.get(f"/api/v1/patients/{active.patient.external_id}").status_code == 200
    events = AuditEvent.objects.filter(event_type="record.opened_on_call")
    assert events.count() >= 3
    event = events.first()
    assert event is not None
    assert event.actor == active.outsider_nurse
    assert event.patient_id == active.patient.pk
    assert not event.emergency
    # Said by the event's label, in the reader's language, not a stored English purpose.
    assert event.purpose == ""
    with translation.override("ru"):
        assert event.event_label == "Карту открыл дежурный клиницист"
    # No break-the-glass was needed or used.
    assert not access.holds_emergency_access(active.outsider_nurse, active.patient)


def test_the_access_lasts_while_the_alert_is_acknowledged_and_ends_when_it_is_resolved(
    active: World, client_for: Any
) -> None:
    alert = _outsider_on_call_owns_a_help_alert(active)
    nurse = active.outsider_nurse
    services.acknowledge_alert(actor=nurse, alert=alert)
    assert access.staff_can_open(nurse, active.patient)
    services.triage_alert(actor=nurse, alert=alert, outcome="advice_by_phone", note="Advised")
    services.resolve_alert(actor=nurse, alert=alert, note="Settled")
    assert not access.staff_can_open(nurse, active.patient)
    response = client_for(nurse).get(_record_url(active))
    # Outside the caseload again: led to emergency access, not shown the record.
    assert response.status_code in (302, 403)
    assert "/emergency" in response.get("Location", "/emergency")


def test_another_nurse_is_not_let_in_by_someone_elses_alert(active: World, client_for: Any) -> None:
    _outsider_on_call_owns_a_help_alert(active)
    other = make_user("nurse.other", discipline="nurse")
    assert not access.staff_can_open(other, active.patient)
    assert client_for(other).get(_record_url(active)).status_code in (302, 403)
    assert not AuditEvent.objects.filter(event_type="record.opened_on_call", actor=other).exists()


def test_the_access_ends_when_the_alert_is_handed_to_someone_else(active: World) -> None:
    alert = _outsider_on_call_owns_a_help_alert(active)
    Alert.objects.filter(pk=alert.pk).update(owner=active.nurse)
    assert not access.staff_can_open(active.outsider_nurse, active.patient)


def test_the_care_team_reads_are_not_marked_as_on_call(active: World, client_for: Any) -> None:
    services.record_check_in(actor=active.family, patient=active.patient, help_requested=True)
    assert Alert.objects.get().owner == active.nurse
    assert client_for(active.nurse).get(_record_url(active)).status_code == 200
    assert not AuditEvent.objects.filter(event_type="record.opened_on_call").exists()
