"""After a death or a discharge: carer support tasks and respite end with the
reason (after a death the bereavement plan follows the family). Hazard row S33."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from hearth.bereavement.models import BereavementPlan
from hearth.caregiving.choices import RespiteStatus, SupportTaskStatus
from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.patients import services as patients

from .conftest import at
from .test_respite import ask
from .test_support import new_task


def _death(world: World) -> None:
    with clock.travel_to(at(1)):
        patients.record_death(
            actor=world.nurse, episode=world.episode, died_at=clock.now(), place_of_death="home"
        )


def _discharge(world: World) -> None:
    with clock.travel_to(at(1)):
        patients.discharge(actor=world.physician, episode=world.episode, reason="moved_away")


def test_after_a_death_support_ends_and_the_bereavement_plan_starts(active: World) -> None:
    task = new_task(active)
    respite = ask(active)
    _death(active)
    task.refresh_from_db()
    respite.refresh_from_db()
    assert (task.status, task.closed_by) == (SupportTaskStatus.CANCELLED, active.nurse)
    assert task.outcome == "The person died. The bereavement plan follows the family."
    assert (respite.status, respite.close_reason) == (RespiteStatus.CANCELLED, "The person died.")
    assert BereavementPlan.objects.filter(patient=active.patient).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.SUPPORT_TASK_CANCELLED).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.RESPITE_CANCELLED).exists()


def test_after_a_discharge_support_for_home_care_ends(active: World) -> None:
    task = new_task(active)
    respite = ask(active)
    _discharge(active)
    task.refresh_from_db()
    respite.refresh_from_db()
    assert task.status == SupportTaskStatus.CANCELLED
    assert task.outcome == "Discharged: moved out of the service area"
    assert respite.status == RespiteStatus.CANCELLED


def test_the_service_may_keep_carer_support_and_respite(active: World, settings: Any) -> None:
    settings.HEARTH_CARE_END_CARER_SUPPORT_AFTER_DEATH = False
    settings.HEARTH_CARE_END_CANCEL_RESPITE = False
    task = new_task(active)
    respite = ask(active)
    _death(active)
    task.refresh_from_db()
    respite.refresh_from_db()
    assert task.status == SupportTaskStatus.OPEN
    assert respite.status == RespiteStatus.REQUESTED


def test_after_a_discharge_the_service_may_keep_carer_support(active: World, settings: Any) -> None:
    settings.HEARTH_CARE_END_CARER_SUPPORT_AFTER_DISCHARGE = False
    task = new_task(active)
    _discharge(active)
    task.refresh_from_db()
    assert task.status == SupportTaskStatus.OPEN


def test_respite_cancelled_at_the_end_of_care_quotes_the_reason_as_a_key(active: World) -> None:
    respite = ask(active)
    _death(active)
    event = AuditEvent.objects.get(event_type=AuditEventType.RESPITE_CANCELLED)
    assert event.summary_key == "Respite cancelled: %(reason)s"
    assert event.summary_params == {"reason": {"$m": "The person died.", "$p": {}}}
    with translation.override("en"):
        assert event.summary_text == "Respite cancelled: The person died."
    respite.refresh_from_db()
    assert respite.close_reason == "The person died."  # the service's language, no key column
