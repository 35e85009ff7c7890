"""Subprocess tests (the real `manage.py run_worker`): an escalation task killed
mid-run is left RUNNING by the queue for ever, and the sweep escalates the
alert anyway, exactly once.

The first worker is made to stick inside the escalation's transaction: on
PostgreSQL the test holds the alert's row lock from another connection; on
SQLite (one writer at a time, no row locks) a trigger on the escalation table
keeps the worker's insert busy. Then kill -9, and a fresh worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hearth.conftest import World
from hearth.core import clock
from hearth.core.tests.workers import (
    WorkerProcess,
    subprocess_database_or_skip,
    wait_until,
)
from hearth.monitoring import services
from hearth.monitoring.models import Alert, AlertEscalation


def _overdue_help_alert(world: World) -> Alert:
    """Raised 16 minutes ago: its 15-minute deadline (and timer) passed a minute ago."""
    world.bring_to("active")
    with clock.travel_to(timezone.now() - timedelta(minutes=16)):
        services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    alert = Alert.objects.get(rule="help_requested")
    assert alert.acknowledge_by is not None and alert.acknowledge_by < timezone.now()
    return alert


@contextmanager
def _escalation_stuck(alert: Alert) -> Iterator[None]:
    """Whoever escalates ``alert`` is held inside the escalation until the block ends."""
    if connection.vendor == "postgresql":
        locked, release = threading.Event(), threading.Event()

        def hold_the_row() -> None:
            try:
                with transaction.atomic():
                    Alert.objects.select_for_update().get(pk=alert.pk)
                    locked.set()
                    release.wait(timeout=60)
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold_the_row)
        holder.start()
        assert locked.wait(timeout=10)
        try:
            yield
        finally:
            release.set()
            holder.join(timeout=10)
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_stall (n INTEGER)")
        cursor.execute(
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3000) "
            "INSERT INTO test_stall SELECT n FROM r"
        )
        # Billions of rows to count: the worker's insert never finishes by itself.
        cursor.execute(
            "CREATE TRIGGER test_stall_escalation BEFORE INSERT ON monitoring_alertescalation "
            "BEGIN SELECT count(*) FROM test_stall a, test_stall b, test_stall c; END"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS test_stall_escalation")
            cursor.execute("DROP TABLE IF EXISTS test_stall")


def _status(timer_id: Any) -> str:
    return str(DBTaskResult.objects.get(pk=timer_id).status)


@pytest.mark.django_db(transaction=True)
def test_an_escalation_killed_mid_run_is_recovered_by_the_sweep(
    world: World, start_worker: Any
) -> None:
    subprocess_database_or_skip()
    alert = _overdue_help_alert(world)
    timer_id = DBTaskResult.objects.get(task_path__endswith="escalate_alert").pk
    with _escalation_stuck(alert):
        # Only the queue, so the timer task (not the sweep) is the one caught.
        first: WorkerProcess = start_worker("--no-periodic-jobs")
        wait_until(lambda: _status(timer_id) == "RUNNING", 20, "the timer task to start")
        time.sleep(1)  # inside the escalation now, and stuck there
        assert first.alive()
        first.kill()
        assert _status(timer_id) == "RUNNING"  # the queue's limbo: it stays so for ever
        alert.refresh_from_db()
        assert alert.escalation_count == 0
    fresh = start_worker()
    started = time.monotonic()
    wait_until(
        lambda: Alert.objects.get(pk=alert.pk).escalation_count > 0,
        60,
        "the sweep to escalate the overdue alert",
    )
    assert time.monotonic() - started < 60
    time.sleep(1.5)  # a second sweep or timer in that time adds nothing
    alert.refresh_from_db()
    assert (alert.escalation_count, alert.owner, alert.owner_role) == (
        1,
        world.physician,
        "physician",
    )
    assert AlertEscalation.objects.filter(alert=alert).count() == 1
    assert _status(timer_id) == "RUNNING"  # recovered without it
    assert fresh.alive()
