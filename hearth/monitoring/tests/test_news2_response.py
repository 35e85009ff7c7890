"""The response to each NEWS2 band (RCP 2017 chart, as mapped in
docs/clinical-reference.md "NEWS2"): a single parameter scoring 3 is medium,
never low; an aggregate of 1-4 is a same-day nurse assessment, never "next
working day"; 5-6 urgent (1 h); 7 or more an emergency (15 min). Other low
alerts keep their next-working-day deadline. The clock is moved to a weekend."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from hearth.assessments import services as assessments
from hearth.conftest import World
from hearth.monitoring import services
from hearth.monitoring.models import Alert
from hearth.monitoring.sweep import escalate_overdue


def _weekday_at(weekday: int, clock_time: str) -> datetime:
    """The next ``weekday`` (Monday 0) at least two days from now, local time."""
    day = timezone.localtime() + timedelta(days=2)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    hour, minute = (int(part) for part in clock_time.split(":"))
    return timezone.make_aware(datetime.combine(day.date(), datetime.min.time())).replace(
        hour=hour, minute=minute
    )


def _saturday(clock_time: str = "10:00") -> datetime:
    return _weekday_at(5, clock_time)


def _friday_evening() -> datetime:
    return _weekday_at(4, "18:00")


def _readings(world: World, **values: float) -> None:
    """One batch from a home hub, all measured a minute ago."""
    device, _token = services.register_device(
        actor=world.nurse, patient=world.patient, kind="hub", label="Home hub"
    )
    units = {"spo2": "%", "temperature": "Cel", "systolic_bp": "mm[Hg]"}
    moment = timezone.now() - timedelta(minutes=1)
    services.ingest_readings(
        device=device,
        readings=[
            {
                "code": code,
                "value": value,
                "unit": units.get(code, "/min"),
                "observed_at": moment.isoformat(),
            }
            for code, value in values.items()
        ],
    )


def _news2_alert() -> Alert:
    return Alert.objects.get(rule="news2")


def test_spo2_91_alone_on_a_saturday_is_medium_due_within_the_medium_deadline(
    active: World,
) -> None:
    saturday = _saturday()
    with time_machine.travel(saturday, tick=False):
        _readings(active, spo2=91)
        alert = _news2_alert()
    assert alert.severity == "medium"
    assert alert.acknowledge_by == saturday + timedelta(minutes=120)
    assert alert.acknowledge_within_minutes == 120
    # The alert says what to do: tell the medical team now, observe at least hourly.
    assert "medical team now" in alert.summary
    assert "at least every hour" in alert.summary
    assert "NEWS2 3" in alert.summary


def test_a_single_3_is_never_low_whatever_else_scored(active: World) -> None:
    with time_machine.travel(_saturday(), tick=False):
        # Temperature 34.9 scores 3, pulse 95 scores 1: aggregate 4 with a single 3.
        _readings(active, temperature=34.9, pulse=95)
        alert = _news2_alert()
    assert alert.severity == "medium"


def test_an_aggregate_of_3_on_friday_evening_is_low_and_due_within_12_hours_not_monday(
    active: World,
) -> None:
    friday = _friday_evening()
    with time_machine.travel(friday, tick=False):
        # Breathing 22 scores 2, pulse 95 scores 1: NEWS2 3, no single 3.
        _readings(active, respiratory_rate=22, pulse=95)
        alert = _news2_alert()
    assert alert.severity == "low"
    assert alert.acknowledge_by == friday + timedelta(hours=12)
    assert timezone.localtime(alert.acknowledge_by).weekday() == 5  # Saturday morning
    assert "nurse should assess the person today" in alert.summary


def test_an_aggregate_of_5_is_medium_due_within_an_hour(active: World) -> None:
    saturday = _saturday("23:30")
    with time_machine.travel(saturday, tick=False):
        # Breathing 25 scores 3, pulse 115 scores 2: NEWS2 5.
        _readings(active, respiratory_rate=25, pulse=115)
        alert = _news2_alert()
    assert alert.severity == "medium"
    assert alert.acknowledge_by == saturday + timedelta(hours=1)
    assert "urgent response" in alert.summary


def test_an_aggregate_of_7_is_high_due_in_15_minutes(active: World) -> None:
    saturday = _saturday()
    with time_machine.travel(saturday, tick=False):
        # Breathing 25 (3), pulse 115 (2), temperature 38.5 (1), SpO2 95 (1): NEWS2 7.
        _readings(active, respiratory_rate=25, pulse=115, temperature=38.5, spo2=95)
        alert = _news2_alert()
    assert alert.severity == "high"
    assert alert.acknowledge_by == saturday + timedelta(minutes=15)
    assert "emergency response" in alert.summary


def test_normal_readings_scoring_0_raise_nothing(active: World) -> None:
    with time_machine.travel(_saturday(), tick=False):
        _readings(active, respiratory_rate=16, pulse=70, spo2=97)
    assert not Alert.objects.exists()


def test_an_esas_low_alert_still_waits_for_the_next_working_day(
    active: World, settings: Any
) -> None:
    settings.HEARTH_ALERT_SEVERITY = {**settings.HEARTH_ALERT_SEVERITY, "esas_severe": "low"}
    friday = _friday_evening()
    with time_machine.travel(friday, tick=False):
        services.record_check_in(actor=active.family, patient=active.patient, esas={"pain": 8})
        alert = Alert.objects.get(rule="esas_severe")
    monday = timezone.localtime(alert.acknowledge_by)
    assert alert.severity == "low"
    assert alert.acknowledge_within_minutes is None
    assert (monday.weekday(), monday.hour, monday.minute) == (0, 9, 0)
    assert monday.date() == (friday + timedelta(days=3)).date()


def test_the_sweep_escalates_a_news2_low_alert_by_its_own_deadline_over_the_weekend(
    active: World,
) -> None:
    friday = _friday_evening()
    with time_machine.travel(friday, tick=False):
        _readings(active, respiratory_rate=22, pulse=95)
        alert = _news2_alert()
    saturday_morning = friday + timedelta(hours=12)
    assert escalate_overdue(now=saturday_morning - timedelta(minutes=1)) == 0
    assert escalate_overdue(now=saturday_morning + timedelta(minutes=1)) == 1
    alert.refresh_from_db()
    assert alert.escalation_count == 1 and alert.owner_role == "physician"
    # The next step is 12 hours on, not Monday 09:00.
    assert alert.acknowledge_by == saturday_morning + timedelta(hours=12)
    assert list(alert.escalations.values_list("due_at", flat=True)) == [saturday_morning]


def test_a_worse_news2_of_the_same_severity_shortens_the_deadline(active: World) -> None:
    saturday = _saturday()
    with time_machine.travel(saturday, tick=False) as traveller:
        _readings(active, spo2=91)
        alert = _news2_alert()
        assert alert.acknowledge_by == saturday + timedelta(hours=2)
        traveller.shift(timedelta(minutes=10))
        # SpO2 91 (3) and pulse 115 (2): NEWS2 5, still medium, now urgent.
        _readings(active, spo2=91, pulse=115)
    alert.refresh_from_db()
    assert alert.severity == "medium"
    assert alert.acknowledge_within_minutes == 60
    assert alert.acknowledge_by == saturday + timedelta(minutes=70)
    assert Alert.objects.filter(rule="news2").count() == 1


def test_a_comfort_check_in_the_terminal_phase_is_due_the_same_day_not_monday(
    active: World,
) -> None:
    assessments.start_phase(actor=active.nurse, patient=active.patient, phase="terminal")
    saturday = _saturday()
    with time_machine.travel(saturday, tick=False):
        _readings(active, respiratory_rate=25, pulse=115)
        alert = _news2_alert()
    assert alert.severity == "low"
    assert alert.acknowledge_by == saturday + timedelta(hours=12)
    assert "comfort check" in alert.routing_note and "terminal" in alert.routing_note
    assert "Comfort check" in alert.summary and "urgent" not in alert.summary


def test_an_aggregate_of_1_to_4_in_the_terminal_phase_raises_nothing(active: World) -> None:
    assessments.start_phase(actor=active.nurse, patient=active.patient, phase="terminal")
    with time_machine.travel(_saturday(), tick=False):
        _readings(active, respiratory_rate=22, pulse=95)
    assert not Alert.objects.exists()


def test_the_news2_deadlines_follow_the_settings(active: World, settings: Any) -> None:
    settings.HEARTH_NEWS2_RESPONSE = {
        **settings.HEARTH_NEWS2_RESPONSE,
        "low": {"severity": "low", "minutes": 240},
    }
    friday = _friday_evening()
    with time_machine.travel(friday, tick=False):
        _readings(active, respiratory_rate=22, pulse=95)
        alert = _news2_alert()
    assert alert.acknowledge_by == friday + timedelta(hours=4)


def _manage_check(**variables: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **variables, "HEARTH_ENV": "test"}
    environment.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HEARTH_NEWS2_LOW_ACK_MINUTES", "0", "greater than 0"),
        ("HEARTH_NEWS2_SINGLE_3_ACK_MINUTES", "-5", "greater than 0"),
        ("HEARTH_NEWS2_MEDIUM_ACK_MINUTES", "0", "greater than 0"),
        ("HEARTH_NEWS2_HIGH_ACK_MINUTES", "-1", "greater than 0"),
        # Over the source's limits: 12 hours for 1-4, 1 hour for 5-6.
        ("HEARTH_NEWS2_LOW_ACK_MINUTES", "721", "at most 720 minutes"),
        ("HEARTH_NEWS2_MEDIUM_ACK_MINUTES", "61", "at most 60 minutes"),
    ],
)
def test_a_news2_deadline_out_of_bounds_stops_the_service_at_start_up(
    variable: str, value: str, message: str
) -> None:
    result = _manage_check(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr and message in result.stderr


def test_news2_deadlines_within_bounds_start() -> None:
    result = _manage_check(HEARTH_NEWS2_LOW_ACK_MINUTES="360", HEARTH_NEWS2_MEDIUM_ACK_MINUTES="30")
    assert result.returncode == 0, result.stderr
