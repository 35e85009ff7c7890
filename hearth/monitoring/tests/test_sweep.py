"""The overdue-alert sweep: the alert's own deadline is the truth, whatever
became of its timer task; after an outage the chain catches up from the
deadlines; two workers sweeping at once take each step exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hearth.conftest import World, at_once
from hearth.core.models import AuditEvent
from hearth.monitoring import alerts, services
from hearth.monitoring.models import Alert, AlertEscalation
from hearth.monitoring.sweep import escalate_overdue

two_connections = pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
    reason="needs two real connections: PostgreSQL, or a file SQLite test database "
    "(set HEARTH_TEST_SQLITE_NAME, as `make test` does)",
)


def _local(day: datetime, clock_time: str) -> datetime:
    hour, minute = (int(part) for part in clock_time.split(":"))
    return timezone.make_aware(datetime.combine(day.date(), datetime.min.time())).replace(
        hour=hour, minute=minute
    )


def _night() -> datetime:
    """02:45 local, two days from now (after anything the saved world holds)."""
    return _local(timezone.localtime() + timedelta(days=2), "02:45")


def _roster(world: World, start: datetime, hours: int = 12) -> None:
    for role, person in (
        ("nurse", world.nurse),
        ("physician", world.physician),
        ("clinical_lead", world.clinical_lead),
    ):
        services.add_on_call_shift(
            actor=world.coordinator,
            role=role,
            staff=person,
            starts_at=start - timedelta(hours=1),
            ends_at=start + timedelta(hours=hours),
        )


def _help_alert(world: World) -> Alert:
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    return Alert.objects.get(patient=world.patient, rule="help_requested")


def _raise(world: World, *, rule: str, severity: str) -> Alert:
    with transaction.atomic():
        alert, _created = alerts.raise_alert(
            actor=world.nurse,
            patient=world.patient,
            rule=rule,
            severity=severity,
            summary="Test",
            evidence=[
                alerts.Evidence(description="Test", source="test", observed_at=timezone.now())
            ],
        )
    return alert


def test_the_sweep_escalates_at_the_deadline_and_not_before(active: World) -> None:
    with time_machine.travel(_night(), tick=False):
        _roster(active, timezone.now())
        alert = _help_alert(active)
    deadline = alert.acknowledge_by
    assert deadline is not None

    assert escalate_overdue(now=deadline - timedelta(seconds=1)) == 0
    alert.refresh_from_db()
    assert (alert.escalation_count, alert.owner) == (0, active.nurse)

    assert escalate_overdue(now=deadline) == 1
    alert.refresh_from_db()
    assert (alert.escalation_count, alert.owner, alert.owner_role) == (
        1,
        active.physician,
        "physician",
    )
    assert alert.acknowledge_by == deadline + timedelta(minutes=15)
    # Swept again at once: nothing more is due.
    assert escalate_overdue(now=deadline + timedelta(seconds=30)) == 0
    assert alert.escalations.count() == 1


def test_acknowledged_and_resolved_alerts_are_left_alone(active: World) -> None:
    with time_machine.travel(_night(), tick=False):
        seen = _help_alert(active)
        services.acknowledge_alert(actor=active.nurse, alert=seen)
        closed = _raise(active, rule="esas_severe", severity="medium")
        services.triage_alert(actor=active.nurse, alert=closed, outcome="no_action", note="Fine.")
        services.resolve_alert(actor=active.nurse, alert=closed, note="Settled by phone.")
    assert escalate_overdue(now=timezone.now() + timedelta(days=10)) == 0
    assert not AlertEscalation.objects.exists()
    seen.refresh_from_db()
    closed.refresh_from_db()
    assert (seen.status, seen.owner, seen.escalation_count) == ("acknowledged", active.nurse, 0)
    assert (closed.status, closed.escalation_count) == ("resolved", 0)


def test_after_an_outage_the_chain_catches_up_from_the_deadlines(active: World) -> None:
    """Due at 03:00, 15-minute steps, swept at 03:40: physician at 03:00,
    clinical lead at 03:15 and again at 03:30; next deadline 03:45, not 03:55."""
    night = _night()
    with time_machine.travel(night, tick=False) as traveller:
        _roster(active, night)
        alert = _help_alert(active)
        assert alert.acknowledge_by == _local(night, "03:00")
        traveller.move_to(_local(night, "03:40"))
        assert escalate_overdue() == 1

    alert.refresh_from_db()
    steps = list(alert.escalations.values_list("role", "to_user", "due_at", "escalated_at"))
    swept = _local(night, "03:40")
    assert steps == [
        ("physician", active.physician.pk, _local(night, "03:00"), swept),
        ("clinical_lead", active.clinical_lead.pk, _local(night, "03:15"), swept),
        ("clinical_lead", active.clinical_lead.pk, _local(night, "03:30"), swept),
    ]
    assert (alert.escalation_count, alert.owner, alert.owner_role) == (
        3,
        active.clinical_lead,
        "clinical_lead",
    )
    assert alert.acknowledge_by == _local(night, "03:45")
    assert "escalated late" in alert.escalations.first().note  # type: ignore[union-attr]
    events = AuditEvent.objects.filter(event_type="alert.escalated")
    assert events.count() == 3
    # The fast path is set again for the new deadline.
    timer = DBTaskResult.objects.filter(task_path__endswith="escalate_alert").order_by(
        "-run_after"
    )[0]
    assert timer.run_after == _local(night, "03:45")
    # The same sweep again, or a late timer, finds nothing more to do.
    assert escalate_overdue(now=swept) == 0
    assert alerts.escalate(alert_id=alert.pk, now=swept) == 0
    assert alert.escalations.count() == 3


def test_a_low_alert_catches_up_one_working_day_at_a_time(active: World) -> None:
    """Raised on a Friday evening: due Monday 09:00; swept on Tuesday at 10:00,
    it was due on Monday and again on Tuesday at 09:00; next, Wednesday 09:00."""
    day = timezone.localtime() + timedelta(days=2)
    while day.weekday() != 4:
        day += timedelta(days=1)
    friday = _local(day, "18:00")
    with time_machine.travel(friday, tick=False):
        alert = _raise(active, rule="esas_rise", severity="low")
    monday = _local(friday + timedelta(days=3), "09:00")
    tuesday = _local(friday + timedelta(days=4), "09:00")
    assert alert.acknowledge_by == monday
    assert escalate_overdue(now=tuesday + timedelta(hours=1)) == 1
    alert.refresh_from_db()
    assert list(alert.escalations.values_list("due_at", flat=True)) == [monday, tuesday]
    assert alert.acknowledge_by == _local(friday + timedelta(days=5), "09:00")


def test_a_deadline_missed_by_days_is_caught_up_in_bounded_transactions(active: World) -> None:
    with time_machine.travel(_night(), tick=False):
        alert = _help_alert(active)
    late = alert.acknowledge_by + timedelta(days=2)  # type: ignore[operator]
    assert escalate_overdue(now=late) == 1
    alert.refresh_from_db()
    assert alert.escalation_count == alerts.MOST_STEPS_AT_ONCE
    while escalate_overdue(now=late):
        pass
    alert.refresh_from_db()
    assert alert.escalation_count == 2 * 24 * 4 + 1  # one step per 15 minutes, on time
    assert alert.acknowledge_by > late  # type: ignore[operator]


def _overdue_alert(world: World) -> tuple[Alert, datetime]:
    world.bring_to("active")
    alert = _help_alert(world)
    assert alert.acknowledge_by is not None
    return alert, alert.acknowledge_by + timedelta(minutes=1)


def _exactly_once(alert: Alert, results: list[Any]) -> None:
    assert not [result for result in results if isinstance(result, Exception)], results
    alert.refresh_from_db()
    assert alert.escalation_count == 1
    assert AlertEscalation.objects.filter(alert=alert).count() == 1
    assert AuditEvent.objects.filter(event_type="alert.escalated").count() == 1
    assert sorted(results) == [0, 1]


@two_connections
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_escalate_once(world: World) -> None:
    alert, swept = _overdue_alert(world)
    results = at_once(lambda: escalate_overdue(now=swept), lambda: escalate_overdue(now=swept))
    _exactly_once(alert, results)


@two_connections
@pytest.mark.django_db(transaction=True)
def test_the_timer_and_the_sweep_at_once_escalate_once(world: World) -> None:
    alert, swept = _overdue_alert(world)
    results = at_once(
        lambda: alerts.escalate(alert_id=alert.pk, now=swept),
        lambda: escalate_overdue(now=swept),
    )
    _exactly_once(alert, results)
