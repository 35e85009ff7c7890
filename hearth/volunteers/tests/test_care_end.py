"""After a death or a discharge the volunteers' assignments end with the
right reason, through the same write as ending one by hand, and each
volunteer is told without clinical detail. Hazard row S33."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import transaction

from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import Message
from hearth.patients import access
from hearth.patients import services as patients
from hearth.patients.signals import CareEndSummary
from hearth.volunteers import services
from hearth.volunteers.choices import Activity
from hearth.volunteers.models import VolunteerAssignment

from .conftest import make_profile, new_volunteer, propose


def _active_assignment(world: World, username: str = "vol.new") -> VolunteerAssignment:
    volunteer = new_volunteer(username)
    make_profile(world, volunteer)
    assignment = propose(world, volunteer)
    services.activate_assignment(actor=world.coordinator, assignment=assignment)
    assignment.refresh_from_db()
    return assignment


def test_a_death_ends_the_assignment_with_patient_died_and_tells_the_volunteer(
    active: World,
) -> None:
    assignment = _active_assignment(active)
    second = new_volunteer("vol.second")
    make_profile(active, second)
    proposal = propose(active, second, kind=Activity.ERRANDS)
    # The nurse records the death: not the coordinator who manages volunteers.
    patients.record_death(
        actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
    )
    for item in (assignment, proposal):
        item.refresh_from_db()
        assert (item.status, item.end_reason, item.ended_by) == (
            "ended",
            "patient_died",
            active.nurse,
        )
    # Their care-team place (and so the volunteer brief) ends with it.
    assert not access.can_read_volunteer_brief(assignment.volunteer, active.patient)
    event = AuditEvent.objects.get(
        event_type=AuditEventType.VOLUNTEER_ASSIGNMENT_ENDED, object_id=str(assignment.external_id)
    )
    assert event.changes["reason"] == "patient_died"
    (message,) = Message.objects.filter(
        recipient=assignment.volunteer, kind=MessageKind.VOLUNTEERING_ENDED
    )
    assert "the person died" in message.body
    assert "Tuesdays 2–5 pm" in message.body
    assert django_settings.HEARTH_SERVICE_PHONE in message.body
    # No clinical detail and no name: it may be read on a lock screen.
    for secret in ("Lung cancer", "Alice", "Able", "home"):
        assert secret not in message.body.replace("home care", "")


def test_a_discharge_ends_the_assignment_with_patient_discharged(active: World) -> None:
    assignment = _active_assignment(active)
    patients.discharge(actor=active.physician, episode=active.episode, reason="moved_away")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.end_reason) == ("ended", "patient_discharged")
    (message,) = Message.objects.filter(recipient=assignment.volunteer)
    assert "the person left the service" in message.body


def test_befriending_for_the_family_is_kept_after_a_death(active: World) -> None:
    assignment = _active_assignment(active)
    VolunteerAssignment.objects.filter(pk=assignment.pk).update(
        kind=Activity.BEREAVEMENT_BEFRIENDING
    )
    patients.record_death(
        actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
    )
    assignment.refresh_from_db()
    assert assignment.status == "active"


def test_a_second_run_ends_nothing_twice(active: World) -> None:
    _active_assignment(active)
    patients.discharge(actor=active.physician, episode=active.episode, reason="moved_away")
    summary = CareEndSummary()
    with transaction.atomic():
        ended = services.end_assignments_at_care_end(
            actor=active.physician, episode=active.episode, summary=summary
        )
    assert (ended, summary.items) == ([], [])
    assert Message.objects.filter(kind=MessageKind.VOLUNTEERING_ENDED).count() == 1


def test_the_service_may_keep_assignments_or_not_tell_volunteers(
    active: World, settings: object
) -> None:
    settings.HEARTH_CARE_END_TELL_VOLUNTEERS = False  # type: ignore[attr-defined]
    told_not = _active_assignment(active)
    patients.discharge(actor=active.physician, episode=active.episode, reason="moved_away")
    told_not.refresh_from_db()
    assert told_not.status == "ended"
    assert not Message.objects.filter(kind=MessageKind.VOLUNTEERING_ENDED).exists()


def test_the_service_may_leave_assignments_open(active: World, settings: object) -> None:
    settings.HEARTH_CARE_END_END_VOLUNTEER_ASSIGNMENTS = False  # type: ignore[attr-defined]
    assignment = _active_assignment(active)
    patients.discharge(actor=active.physician, episode=active.episode, reason="moved_away")
    assignment.refresh_from_db()
    assert assignment.status == "active"
