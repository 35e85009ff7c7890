"""After a death or a discharge the visits that were planned are cancelled
with the reason, leave the staff's day, leave draft plans; urgent requests and
dispatches nobody has reached are cancelled; the family is told as the
service chose (after a death, one kind message, never a list). Hazard row S34."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import translation

from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.notifications.choices import MessageKind, MessageStatus
from hearth.notifications.models import Message
from hearth.patients import services as patients
from hearth.visits import family_messages
from hearth.visits.choices import DispatchStatus, PlanStatus, UrgentRequestStatus, VisitStatus
from hearth.visits.models import DayPlan, Dispatch, PlannedVisit, UrgentVisitRequest, VisitNeed
from hearth.visits.tests.conftest import home_visit
from hearth.visits.tests.test_family_messages import told, wants


def _death(world: World) -> None:
    patients.record_death(
        actor=world.nurse, episode=world.episode, died_at=clock.now(), place_of_death="home"
    )


def _discharge(world: World) -> None:
    patients.discharge(actor=world.physician, episode=world.episode, reason="moved_away")


def test_a_death_cancels_future_visits_with_the_reason(active: World) -> None:
    today = home_visit(active, start="11:07")
    tomorrow = home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    done = home_visit(active, start="08:00", status=VisitStatus.COMPLETED)
    _death(active)
    for visit in (today, tomorrow):
        visit.refresh_from_db()
        assert (visit.status, visit.cancelled_reason, visit.closed_by) == (
            VisitStatus.CANCELLED,
            "The person died.",
            active.nurse,
        )
    done.refresh_from_db()
    assert done.status == VisitStatus.COMPLETED
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.VISIT_CANCELLED, patient_id=active.patient.pk
        ).count()
        == 2
    )


def test_the_reason_a_visit_was_cancelled_at_a_death_reads_in_each_readers_language(
    active: World, client_for: Any
) -> None:
    """Stored as a key and parameters with the service-language text beside
    them, like the family's messages: a Russian-speaking physician reading the
    visit after an English-speaking nurse recorded the death reads Russian."""
    visit = home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    _death(active)
    visit.refresh_from_db()
    assert (visit.cancelled_reason, visit.cancelled_reason_key) == (
        "The person died.",
        "The person died.",
    )
    with translation.override("ru"):
        assert visit.cancelled_reason_text == "Человек умер."
    active.physician.preferred_language = "ru"
    active.physician.save(update_fields=["preferred_language"])
    answer = client_for(active.physician).get(f"/api/v1/visits/{visit.external_id}")
    assert answer.status_code == 200
    assert answer.json()["cancelled_reason"] == "Человек умер."


def test_cancelled_visits_leave_the_staff_members_day(active: World, client_for: Any) -> None:
    home_visit(active, start="11:07")
    page = client_for(active.nurse).get(reverse("my_visit_day"))
    assert active.patient.full_name in page.content.decode()
    _discharge(active)
    page = client_for(active.nurse).get(reverse("my_visit_day"))
    assert page.status_code == 200
    assert active.patient.full_name not in page.content.decode()


def test_after_a_death_the_family_gets_one_kind_message_not_a_list(active: World) -> None:
    wants(active.family, visit_changes=True)
    home_visit(active, start="11:07")
    home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    _death(active)
    assert told(MessageKind.VISIT_CANCELLED) == []
    (message,) = told(MessageKind.VISITS_ENDED)
    assert message.recipient == active.family
    assert "sorry for your loss" in message.body
    assert "11:07" not in message.body


def test_after_a_death_the_service_may_send_nothing(active: World, settings: Any) -> None:
    settings.HEARTH_CARE_END_FAMILY_AFTER_DEATH = "none"
    wants(active.family, visit_changes=True)
    home_visit(active, start="11:07")
    _death(active)
    assert told(MessageKind.VISITS_ENDED) == [] and told(MessageKind.VISIT_CANCELLED) == []


def test_after_a_discharge_the_family_is_told_of_each_cancelled_visit(active: World) -> None:
    wants(active.family, visit_changes=True)
    first = home_visit(active, start="11:07")
    second = home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    _discharge(active)
    assert [m.event_key for m in told(MessageKind.VISIT_CANCELLED)] == [
        f"visit:{first.pk}:cancelled",
        f"visit:{second.pk}:cancelled",
    ]
    body = told(MessageKind.VISIT_CANCELLED)[0].body
    assert "nobody will come" in body and "next visit" not in body
    assert "moved out" not in body  # the discharge reason stays behind sign-in
    assert told(MessageKind.VISITS_ENDED) == []


def test_after_a_discharge_the_service_may_tell_the_family_nothing(
    active: World, settings: Any
) -> None:
    settings.HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE = "none"
    wants(active.family, visit_changes=True)
    home_visit(active, start="11:07")
    _discharge(active)
    assert told(MessageKind.VISIT_CANCELLED) == []


def test_a_waiting_reminder_for_a_cancelled_visit_is_not_sent(active: World) -> None:
    wants(active.family, visit_reminders=True)
    visit = home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    assert family_messages.send_day_before_reminders() == 1
    _death(active)
    (reminder,) = Message.objects.filter(topic=f"visit:{visit.pk}", kind=MessageKind.VISIT_REMINDER)
    assert reminder.status == MessageStatus.CANCELLED


def test_urgent_requests_and_dispatches_not_reached_are_cancelled(active: World) -> None:
    waiting = UrgentVisitRequest.objects.create(
        patient=active.patient,
        for_date=clock.today(),
        reason="Breathless",
        requested_by=active.nurse,
    )
    dispatched = UrgentVisitRequest.objects.create(
        patient=active.patient,
        for_date=clock.today(),
        reason="Pain",
        requested_by=active.nurse,
        status=UrgentRequestStatus.DISPATCHED,
    )
    dispatch = Dispatch.objects.create(
        request=dispatched,
        patient=active.patient,
        discipline="physician",
        offered_role="physician",
        offered_to=active.physician,
        status=DispatchStatus.ACCEPTED,
        accepted_by=active.physician,
    )
    _discharge(active)
    waiting.refresh_from_db()
    dispatched.refresh_from_db()
    dispatch.refresh_from_db()
    assert waiting.status == UrgentRequestStatus.CANCELLED
    assert dispatched.status == UrgentRequestStatus.CANCELLED
    assert dispatch.status == DispatchStatus.CANCELLED
    (message,) = Message.objects.filter(
        recipient=active.physician, kind=MessageKind.DISPATCH_CANCELLED
    )
    assert message.urgent and active.patient.record_number in message.body
    assert "Alice" not in message.body
    assert AuditEvent.objects.filter(event_type=AuditEventType.DISPATCH_CANCELLED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.URGENT_VISIT_CANCELLED).count() == 1


def test_a_dispatch_whose_clinician_has_arrived_is_theirs_to_finish(active: World) -> None:
    request = UrgentVisitRequest.objects.create(
        patient=active.patient,
        for_date=clock.today(),
        reason="Dying",
        requested_by=active.nurse,
        status=UrgentRequestStatus.DISPATCHED,
    )
    dispatch = Dispatch.objects.create(
        request=request,
        patient=active.patient,
        discipline="physician",
        offered_role="physician",
        status=DispatchStatus.ARRIVED,
        accepted_by=active.physician,
    )
    _death(active)
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.ARRIVED


def test_draft_plans_and_visit_needs_are_cleared(active: World) -> None:
    plan = DayPlan.objects.create(
        date=clock.today() + timedelta(days=1), status=PlanStatus.DRAFT, created_by=active.nurse
    )
    PlannedVisit.objects.create(
        plan=plan, patient=active.patient, discipline="nurse", duration_minutes=30
    )
    theirs = PlannedVisit.objects.create(
        plan=plan, patient=active.other_patient, discipline="nurse", duration_minutes=30
    )
    need = VisitNeed.objects.create(
        patient=active.patient,
        discipline="nurse",
        description="Weekly nurse visit",
        per="week",
        duration_minutes=30,
        times=1,
        created_by=active.nurse,
    )
    _death(active)
    assert list(PlannedVisit.objects.filter(plan=plan)) == [theirs]
    need.refresh_from_db()
    assert need.ended_at is not None and need.ended_by == active.nurse


def test_nothing_is_cancelled_for_another_patient(active: World) -> None:
    theirs = home_visit(active, patient=active.other_patient, start="11:07")
    home_visit(active, start="12:00")
    _death(active)
    theirs.refresh_from_db()
    assert theirs.status == VisitStatus.SCHEDULED


def test_the_service_may_keep_visits(active: World, settings: Any) -> None:
    settings.HEARTH_CARE_END_CANCEL_VISITS = False
    visit = home_visit(active, start="11:07")
    _death(active)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SCHEDULED


def test_the_reason_is_quoted_as_a_key_in_each_reader_s_language(active: World) -> None:
    """What a death or a discharge cancelled says why in the reader's language:
    the audit events and the withdrawn messages keep the reason as a key; the
    visit keeps its text in the service's language."""
    wants(active.family, visit_reminders=True)
    visit = home_visit(active, day=clock.today() + timedelta(days=1), start="09:30")
    family_messages.send_day_before_reminders()
    _discharge(active)
    why = {
        "$m": "Discharged: %(reason)s",
        "$p": {"reason": {"$lower": {"$t": "Moved out of the service area"}}},
    }
    event = AuditEvent.objects.get(event_type=AuditEventType.VISIT_CANCELLED)
    assert event.summary_params["reason"] == why
    (reminder,) = Message.objects.filter(topic=f"visit:{visit.pk}", kind=MessageKind.VISIT_REMINDER)
    assert reminder.finished_reason_key == "Discharged: %(reason)s"
    assert reminder.finished_reason_params == why["$p"]
    visit.refresh_from_db()
    assert (
        visit.cancelled_reason
        == reminder.finished_reason
        == "Discharged: moved out of the service area"
    )
    with translation.override("en"):
        assert reminder.finished_reason_text == "Discharged: moved out of the service area"
        assert event.summary_text.endswith("cancelled: Discharged: moved out of the service area")
