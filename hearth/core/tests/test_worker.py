"""The worker (`manage.py run_worker`): periodic jobs that never stop the
scheduler, backoff, pruning, and the subprocess tests: SIGTERM exits 0, and
the worker keeps running through a database outage (PostgreSQL, through a
loopback TCP proxy the test cuts and restores)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hearth.conftest import World
from hearth.core import clock, idempotency, worker
from hearth.core.models import IdempotencyKey
from hearth.core.tests.workers import (
    TcpProxy,
    database_url,
    postgres_only_or_skip,
    subprocess_database_or_skip,
    wait_until,
)
from hearth.monitoring import services
from hearth.monitoring.models import Alert

RUNS: dict[str, int] = {"counting": 0, "failing": 0}
_runs_lock = threading.Lock()


def counting_job() -> None:
    with _runs_lock:
        RUNS["counting"] += 1


def failing_job() -> None:
    with _runs_lock:
        RUNS["failing"] += 1
    raise RuntimeError("this job always fails")


def test_backoff_doubles_from_half_a_second_to_thirty_with_jitter() -> None:
    backoff = worker.Backoff()
    waits = [backoff.next_wait() for _ in range(10)]
    ceilings = [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert all(
        ceiling / 2 <= wait <= ceiling for wait, ceiling in zip(waits, ceilings, strict=True)
    )
    backoff.reset()
    assert backoff.next_wait() <= 0.5


def test_a_failing_or_missing_job_never_stops_the_scheduler(caplog: Any) -> None:
    RUNS.update(counting=0, failing=0)
    scheduler = worker.build_scheduler(
        [
            (f"{__name__}.failing_job", 0.1),
            ("hearth.no_such_app.jobs.run", 0.1),
            (f"{__name__}.counting_job", 0.1),
        ]
    )
    with caplog.at_level(logging.WARNING, logger="hearth.worker"):
        scheduler.start()
        try:
            wait_until(lambda: RUNS["counting"] >= 5 and RUNS["failing"] >= 5, 10, "jobs to run")
        finally:
            scheduler.shutdown(wait=True)
    messages = [record.getMessage() for record in caplog.records]
    assert any("failing_job failed" in message for message in messages)
    assert any("hearth.no_such_app.jobs.run cannot be imported" in message for message in messages)
    assert [job.id for job in scheduler.get_jobs()] == []  # shut down, not crashed


def test_every_configured_job_is_scheduled_once_at_most(settings: Any) -> None:
    scheduler = worker.build_scheduler(settings.HEARTH_PERIODIC_JOBS)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {path for path, _seconds in settings.HEARTH_PERIODIC_JOBS}
    sweep = jobs["hearth.monitoring.sweep.escalate_overdue"]
    assert sweep.trigger.interval == timedelta(seconds=15)
    assert (sweep.max_instances, sweep.coalesce, sweep.misfire_grace_time) == (1, True, None)


def test_idempotency_keys_are_pruned_after_24_hours_by_default(world: World) -> None:
    """Issue 18: keys were kept a week by default; a retry comes within minutes."""
    now = clock.now()
    for key, hours in (("old", 25), ("recent", 23)):
        IdempotencyKey.objects.create(
            actor=world.nurse,
            scope="test",
            key=key,
            fingerprint="x",
            started_at=now - timedelta(hours=hours),
        )
    assert idempotency.prune_expired() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_finished_task_results_are_pruned_but_not_a_running_one(settings: Any, db: Any) -> None:
    settings.HEARTH_TASK_RESULTS_KEEP_DAYS = 3
    now = timezone.now()
    common = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "hearth.team.tasks.send_training_reminders_task",
        "backend_name": "default",
        "queue_name": "default",
        "run_after": now - timedelta(days=10),
    }
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=now - timedelta(days=4), **common)
    DBTaskResult.objects.create(status="FAILED", finished_at=now - timedelta(days=5), **common)
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=now - timedelta(days=1), **common)
    DBTaskResult.objects.create(status="RUNNING", started_at=now - timedelta(days=9), **common)
    assert worker.prune_task_results() == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "RUNNING",
        "SUCCESSFUL",
    ]


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_worker_cleanly_with_exit_code_0(start_worker: Any) -> None:
    """Subprocess test."""
    subprocess_database_or_skip()
    process = start_worker()
    process.wait_for_log("Starting worker")
    time.sleep(1)  # the periodic jobs are running by now
    process.signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0, process.log()
    assert "Stopping the periodic jobs." in process.log()


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_running_through_a_database_outage(
    world: World, start_worker: Any
) -> None:
    """Subprocess test: the worker reaches PostgreSQL through a loopback proxy;
    the proxy drops every connection and refuses new ones for 5 s. The worker
    stays up, and afterwards escalates an alert that fell due meanwhile."""
    postgres_only_or_skip()
    world.bring_to("active")
    params = connection.settings_dict
    proxy = TcpProxy(params.get("HOST") or "127.0.0.1", int(params.get("PORT") or 5432))
    proxy.start()
    try:
        process = start_worker(database=database_url(port=proxy.port))
        process.wait_for_log("Starting worker")
        time.sleep(1.5)

        proxy.stop()
        # Meanwhile (the test reaches the database directly) an alert falls due.
        with clock.travel_to(timezone.now() - timedelta(minutes=16)):
            services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
        process.wait_for_log("database unreachable", timeout=10)
        time.sleep(5)
        assert process.alive(), process.log()

        proxy.start()
        wait_until(
            lambda: Alert.objects.get(rule="help_requested").escalation_count > 0,
            30,
            "the worker to escalate the alert once the database is back",
        )
        assert process.alive(), process.log()
        alert = Alert.objects.get(rule="help_requested")
        assert (alert.escalation_count, alert.owner) == (1, world.physician)
        process.signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0, process.log()
    finally:
        proxy.stop()
