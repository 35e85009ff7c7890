"""Escalation that cannot be forgotten: the timer is a real database task, run
by the real worker, with the clock moved by time-machine."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from hearth.conftest import World
from hearth.core.models import AuditEvent
from hearth.monitoring import alerts, services
from hearth.monitoring.models import Alert

LONDON = ZoneInfo("Europe/London")


def run_worker() -> None:
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def _roster(world: World, start: datetime) -> None:
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
            ends_at=start + timedelta(hours=11),
        )


def _help_alert(world: World) -> Alert:
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    return Alert.objects.get(patient=world.patient, rule="help_requested")


@pytest.mark.django_db(transaction=True)
def test_an_unacknowledged_high_alert_escalates_at_15_minutes_and_again(world: World) -> None:
    world.bring_to("active")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        _roster(world, start)
        alert = _help_alert(world)
        assert (alert.severity, alert.owner, alert.owner_role) == ("high", world.nurse, "nurse")
        assert alert.acknowledge_by == start + timedelta(minutes=15)
        timer = DBTaskResult.objects.get(task_path__endswith="escalate_alert")
        assert timer.run_after == start + timedelta(minutes=15)

        traveller.shift(timedelta(minutes=14))
        run_worker()
        alert.refresh_from_db()
        assert alert.escalation_count == 0 and alert.owner == world.nurse

        traveller.shift(timedelta(minutes=1, seconds=1))
        run_worker()
        alert.refresh_from_db()
        assert (alert.escalation_count, alert.owner, alert.owner_role) == (
            1,
            world.physician,
            "physician",
        )
        # The next deadline counts from the one that passed, not from the worker's run.
        assert alert.acknowledge_by == start + timedelta(minutes=30)
        (step,) = alert.escalations.all()
        assert step.due_at == start + timedelta(minutes=15)
        assert step.escalated_at == start + timedelta(minutes=15, seconds=1)

        traveller.shift(timedelta(minutes=15))
        run_worker()
        alert.refresh_from_db()
        assert (alert.escalation_count, alert.owner) == (2, world.clinical_lead)

        traveller.shift(timedelta(minutes=15))
        run_worker()
        alert.refresh_from_db()
        assert (alert.escalation_count, alert.owner) == (3, world.clinical_lead)
        steps = list(alert.escalations.values_list("role", "to_user"))
        assert steps == [
            ("physician", world.physician.pk),
            ("clinical_lead", world.clinical_lead.pk),
            ("clinical_lead", world.clinical_lead.pk),
        ]
        assert AuditEvent.objects.filter(event_type="alert.escalated").count() == 3

        # The clinical lead owns it now and may act although not on the team.
        services.acknowledge_alert(actor=world.clinical_lead, alert=alert)
        traveller.shift(timedelta(hours=2))
        run_worker()
        alert.refresh_from_db()
        assert alert.escalation_count == 3 and alert.status == "acknowledged"
        assert not DBTaskResult.objects.ready().exists()
        assert not DBTaskResult.objects.failed().exists()


@pytest.mark.django_db(transaction=True)
def test_acknowledging_in_time_stops_the_escalation(world: World) -> None:
    world.bring_to("active")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        _roster(world, start)
        alert = _help_alert(world)
        traveller.shift(timedelta(minutes=10))
        services.acknowledge_alert(actor=world.nurse, alert=alert)
        traveller.shift(timedelta(minutes=20))
        run_worker()
        alert.refresh_from_db()
        assert alert.escalation_count == 0
        assert alert.owner == world.nurse and alert.acknowledged_by == world.nurse
        assert not alert.escalations.exists()
        # The timer ran and found nothing to do.
        assert DBTaskResult.objects.successful().count() == 1


@pytest.mark.django_db(transaction=True)
def test_worse_evidence_raises_the_severity_and_shortens_the_deadline(world: World) -> None:
    world.bring_to("active")
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        services.record_check_in(actor=world.family, patient=world.patient, esas={"pain": 8})
        alert = Alert.objects.get(rule="esas_severe")
        assert alert.severity == "medium"
        assert alert.acknowledge_by == start + timedelta(hours=2)
        traveller.shift(timedelta(minutes=5))
        raised, created = _raise_high(world)
        assert not created and raised.pk == alert.pk
        alert.refresh_from_db()
        assert alert.severity == "high"
        assert alert.acknowledge_by == timezone.now() + timedelta(minutes=15)
        traveller.shift(timedelta(minutes=16))
        run_worker()
        alert.refresh_from_db()
        # The new timer escalated it; the old 2-hour timer will find a newer version.
        assert alert.escalation_count == 1
        assert alert.acknowledge_by == start + timedelta(minutes=35)
        traveller.shift(timedelta(hours=2))
        run_worker()
        alert.refresh_from_db()
        # Two hours unacknowledged at 15 minutes a step: eight more steps, one
        # per deadline passed (35, 50 … 140 minutes), whichever timer ran first;
        # the old 2-hour timer added none of its own.
        assert alert.escalation_count == 9
        assert (
            list(alert.escalations.values_list("role", flat=True))
            == ["physician"] + ["clinical_lead"] * 8
        )
        assert list(alert.escalations.values_list("due_at", flat=True)) == [
            start + timedelta(minutes=minutes) for minutes in range(20, 141, 15)
        ]
        assert alert.acknowledge_by == start + timedelta(minutes=155)


def _raise_high(world: World) -> tuple[Alert, bool]:
    from django.db import transaction

    with transaction.atomic():
        return alerts.raise_alert(
            actor=world.nurse,
            patient=world.patient,
            rule="esas_severe",
            severity="high",
            summary="Pain 10",
            evidence=[
                alerts.Evidence(description="Pain 10", source="test", observed_at=timezone.now())
            ],
        )


def test_without_a_roster_the_alert_goes_to_the_patients_own_team(world: World) -> None:
    world.bring_to("active")
    alert = _help_alert(world)
    assert alert.owner == world.nurse  # the key nurse
    assert alerts.escalate(alert_id=alert.pk, now=alert.acknowledge_by) == 1
    alert.refresh_from_db()
    assert alert.owner == world.physician  # the lead physician
    assert alerts.escalate(alert_id=alert.pk, now=alert.acknowledge_by) == 1
    alert.refresh_from_db()
    assert alert.owner == world.clinical_lead
    # A timer that runs before the deadline (a stale one) does nothing.
    assert alerts.escalate(alert_id=alert.pk) == 0


@pytest.mark.parametrize(
    ("raised", "deadline"),
    [
        # Friday evening → Monday 09:00
        (datetime(2026, 11, 27, 18, 0), datetime(2026, 11, 30, 9, 0)),
        # Tuesday 02:00 → Tuesday 09:00 (the start of the next working day)
        (datetime(2026, 11, 24, 2, 0), datetime(2026, 11, 24, 9, 0)),
        # Tuesday 10:00 → Wednesday 09:00
        (datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 25, 9, 0)),
        # Saturday → Monday
        (datetime(2026, 11, 28, 12, 0), datetime(2026, 11, 30, 9, 0)),
    ],
)
def test_a_low_alert_waits_for_the_next_working_day(raised: datetime, deadline: Any) -> None:
    moment = raised.replace(tzinfo=LONDON)
    assert alerts.acknowledge_deadline("low", moment) == deadline.replace(tzinfo=LONDON)


def test_deadlines_follow_the_settings(settings: Any) -> None:
    moment = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    assert alerts.acknowledge_deadline("high", moment) == moment + timedelta(minutes=15)
    assert alerts.acknowledge_deadline("medium", moment) == moment + timedelta(hours=2)
    settings.HEARTH_ACKNOWLEDGE_MINUTES = {"high": 5, "medium": 30, "low": None}
    assert alerts.acknowledge_deadline("high", moment) == moment + timedelta(minutes=5)


def test_a_deadline_of_zero_minutes_is_refused_not_read_as_next_working_day(settings: Any) -> None:
    """Not "next working day", as it once did: refused (settings refuse it at start-up)."""
    moment = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    settings.HEARTH_ACKNOWLEDGE_MINUTES = {"high": 0, "medium": 120, "low": None}
    with pytest.raises(ImproperlyConfigured, match="high alert"):
        alerts.acknowledge_deadline("high", moment)


@pytest.mark.parametrize("variable", ["HEARTH_ACK_HIGH_MINUTES", "HEARTH_ACK_MEDIUM_MINUTES"])
@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_deadline_of_zero_or_less_stops_the_service_at_start_up(
    variable: str, value: str
) -> None:
    """Subprocess test: `manage.py check` with the variable set refuses to start."""
    environment = {**os.environ, variable: value, "HEARTH_ENV": "test"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must be a number of minutes greater than 0" in result.stderr
    assert f"not {int(value)}" in result.stderr


def test_a_positive_deadline_starts() -> None:
    environment = {**os.environ, "HEARTH_ACK_HIGH_MINUTES": "5", "HEARTH_ENV": "test"}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
