"""Families are told, each only if they asked and can be reached, in their own
language, and not during their quiet hours: a visit cancelled, a visit moved
outside the time they were given, a visit tomorrow, and their call for help
seen. Asserted on the outbox's ``Message`` rows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import ContactPoint, Message, NotificationPreferences
from hearth.patients.models import CaregiverLink
from hearth.planning import planner
from hearth.planning.tests.planning_world import MONDAY, PlanningWorld, at
from hearth.planning.tests.test_planner_services import published_day, pw
from hearth.visits import family_messages, services
from hearth.visits.models import VisitTimeChange
from hearth.visits.tests.conftest import help_alert, home_visit

__all__ = ["published_day", "pw"]  # fixtures of the planner tests, used by name

SECRET_PURPOSE = "Nurse visit: pain, bowels, pressure areas"


def wants(user: Any, *, reachable: bool = True, **opt_ins: bool) -> None:
    NotificationPreferences.objects.update_or_create(user=user, defaults=opt_ins)
    ContactPoint.objects.create(
        user=user,
        channel="email",
        address=f"{user.username}@example.org",
        created_at=clock.now(),
        verified_at=clock.now() if reachable else None,
    )


def told(kind: str) -> list[Message]:
    return list(Message.objects.filter(kind=kind).order_by("id"))


def test_a_family_that_asked_is_told_a_visit_is_cancelled(active: World) -> None:
    wants(active.family, visit_changes=True)
    visit = home_visit(active)
    services.cancel_visit(actor=active.coordinator, visit=visit, reason="Nurse off sick")
    (message,) = told(MessageKind.VISIT_CANCELLED)
    assert message.recipient == active.family
    assert (message.urgent, message.event_key, message.topic, message.language) == (
        False,
        f"visit:{visit.pk}:cancelled",
        f"visit:{visit.pk}",
        "en",
    )
    low = timezone.localtime(visit.family_window_start).strftime("%H:%M")
    high = timezone.localtime(visit.family_window_end).strftime("%H:%M")
    assert message.subject == "Visit cancelled"
    assert f"{low}" in message.body and f"{high}" in message.body
    assert "home visit (nurse)" in message.body
    assert settings.HEARTH_SERVICE_PHONE in message.body
    # No clinical detail, no reason: those stay behind sign-in.
    assert SECRET_PURPOSE not in message.body and "sick" not in message.body


def test_nobody_is_told_who_did_not_ask_or_cannot_be_reached(active: World) -> None:
    wants(active.family, visit_changes=False, visit_reminders=True)  # asked for something else
    wants(active.patient_user, reachable=False, visit_changes=True)  # no verified address
    wants(active.other_family, visit_changes=True)  # another patient's family
    services.cancel_visit(actor=active.coordinator, visit=home_visit(active), reason="Changed")
    assert told(MessageKind.VISIT_CANCELLED) == []


def test_a_family_member_whose_access_ended_is_not_told(active: World) -> None:
    wants(active.family, visit_changes=True)
    CaregiverLink.objects.filter(user=active.family).update(ended_at=clock.now())
    services.cancel_visit(actor=active.coordinator, visit=home_visit(active), reason="Changed")
    assert told(MessageKind.VISIT_CANCELLED) == []


def test_the_patients_own_sign_in_is_told_too_if_they_asked(active: World) -> None:
    wants(active.patient_user, visit_changes=True)
    services.cancel_visit(actor=active.coordinator, visit=home_visit(active), reason="Changed")
    assert [m.recipient for m in told(MessageKind.VISIT_CANCELLED)] == [active.patient_user]


def test_a_russian_speaking_family_member_is_told_in_russian(active: World) -> None:
    active.family.preferred_language = "ru"
    active.family.save(update_fields=["preferred_language"])
    wants(active.family, visit_changes=True)
    services.cancel_visit(actor=active.coordinator, visit=home_visit(active), reason="Changed")
    (message,) = told(MessageKind.VISIT_CANCELLED)
    assert message.language == "ru"
    assert message.subject == "Визит отменён"
    assert "Команда свяжется с вами насчёт следующего визита." in message.body
    assert message.body.startswith("Отменён: визит на дом (медсестра), ")
    # Inside a sentence Russian writes the weekday in lower case.
    assert message.body.removeprefix("Отменён: визит на дом (медсестра), ")[:1].islower()
    assert "Вопросы: звоните" in message.body


def test_quiet_hours_hold_a_family_message_until_they_end(active: World) -> None:
    wants(active.family, visit_changes=True)
    now = timezone.localtime(clock.now())  # 10:00 (the visits' clock)
    NotificationPreferences.objects.filter(user=active.family).update(
        quiet_hours_start=time(9, 0), quiet_hours_end=time(11, 30)
    )
    services.cancel_visit(actor=active.coordinator, visit=home_visit(active), reason="Changed")
    (message,) = told(MessageKind.VISIT_CANCELLED)
    assert message.not_before == timezone.make_aware(datetime.combine(now.date(), time(11, 30)))
    assert not message.urgent


def test_a_move_inside_the_window_they_were_given_tells_nobody(active: World) -> None:
    wants(active.family, visit_changes=True)
    visit = home_visit(active, start="11:00")
    old = (visit.family_window_start, visit.family_window_end)
    visit.planned_start += timedelta(minutes=30)  # 11:30, inside 10:00–12:00
    visit.save()
    change = VisitTimeChange.objects.create(
        visit=visit,
        old_window_start=old[0],
        old_window_end=old[1],
        new_window_start=old[0] + timedelta(minutes=30),
        new_window_end=old[1] + timedelta(minutes=30),
        old_staff=active.nurse,
        new_staff=active.nurse,
        because="test",
    )
    assert family_messages.visit_moved(change) == []
    visit.planned_start += timedelta(minutes=60)  # 12:30, outside
    visit.save()
    (message,) = family_messages.visit_moved(change)
    assert message.kind == MessageKind.VISIT_MOVED and message.recipient == active.family
    assert "10:30" in message.body and "12:30" in message.body  # the new window
    assert "10:00–12:00" in message.body  # and the one they had


def test_the_planner_moving_a_visit_past_its_window_tells_the_family(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    """Boris's physician visit (11:15, window 10:15–12:15) goes after an
    urgent visit fitted in at 11:00."""
    world = pw.world
    wants(world.other_family, visit_changes=True)
    with clock.travel_to(at(MONDAY, "11:00")):
        report = planner.insert_urgent_visit(
            actor=world.coordinator, request=published_day["request"]
        )
    later = published_day["later"]
    later.refresh_from_db()
    assert report.moved == [later]
    messages = told(MessageKind.VISIT_MOVED)
    (change,) = VisitTimeChange.objects.filter(visit=later)
    if family_messages.moved_beyond_the_window(change):
        (message,) = messages
        assert message.recipient == world.other_family
        assert timezone.localtime(change.new_window_start).strftime("%H:%M") in message.body
    else:
        assert messages == []


def test_the_day_before_reminder_goes_once(active: World) -> None:
    wants(active.family, visit_reminders=True)
    tomorrow = clock.today() + timedelta(days=1)
    visit = home_visit(active, day=tomorrow, start="14:10")
    home_visit(active, day=tomorrow + timedelta(days=1), start="09:00")  # the day after
    cancelled = home_visit(active, day=tomorrow, start="16:00")
    services.cancel_visit(actor=active.coordinator, visit=cancelled, reason="Changed")
    assert family_messages.send_day_before_reminders() == 1
    assert family_messages.send_day_before_reminders() == 0
    later_today = clock.now() + timedelta(hours=5)
    assert family_messages.send_day_before_reminders(now=later_today) == 0
    (message,) = told(MessageKind.VISIT_REMINDER)
    assert message.event_key == f"visit:{visit.pk}:reminder"
    assert message.recipient == active.family
    assert "13:00" in message.body and "15:15" in message.body
    assert SECRET_PURPOSE not in message.body


def test_the_family_is_told_their_call_for_help_was_seen(active: World) -> None:
    wants(active.family, help_request_seen=True)
    alert = help_alert(active)
    assert told(MessageKind.HELP_SEEN) == []
    monitoring.acknowledge_alert(actor=active.nurse, alert=alert)
    (message,) = told(MessageKind.HELP_SEEN)
    assert message.recipient == active.family and message.topic == f"alert:{alert.pk}"
    assert "Someone from the team (nurse) has seen your call for help" in message.body
    assert active.nurse.display_name not in message.body
    assert "breathless" not in message.body.lower()


def test_only_a_call_for_help_tells_the_family(active: World) -> None:
    wants(active.family, help_request_seen=True)
    monitoring.record_check_in(actor=active.family, patient=active.patient, cannot_cope=True)
    alert = active.patient.alerts.get()
    monitoring.acknowledge_alert(actor=active.nurse, alert=alert)
    assert told(MessageKind.HELP_SEEN) == []
