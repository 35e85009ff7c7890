"""The worker process: the task queue and the periodic jobs, and it never dies.

``manage.py run_worker`` runs django-tasks-db's own worker loop (the queued
tasks: alert timers, urgent-visit insertion) and, beside it, an APScheduler
``BackgroundScheduler`` running ``HEARTH_PERIODIC_JOBS`` (the overdue-alert
sweep, outbox delivery, reminders, pruning). Every worker runs every job, so
each job is idempotent and safe to run in two workers at once.

A worker that exits is a worker nobody restarts at 3 a.m.: a database outage
(PostgreSQL restarted, the network gone) is logged and waited out with
backoff, never fatal, and a job that fails is logged and runs again at its
next turn. Only SIGTERM or SIGINT stop it (exit code 0).

``core`` imports no app: the jobs are dotted paths resolved when they run.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("hearth.worker")

DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:  # errors psycopg raises before Django can wrap them (closing a dead connection)
    import psycopg

    DATABASE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover - SQLite-only installations
    pass


class Backoff:
    """Waits between attempts to reach the database: 0.5 s doubling to 30 s,
    each wait drawn between half and all of that (jitter), so the workers of
    a service do not all knock at the same moment when the database returns."""

    def __init__(self, first: float = 0.5, most: float = 30.0) -> None:
        self.first = first
        self.most = most
        self.attempt = 0

    def next_wait(self) -> float:
        ceiling = min(self.most, self.first * 2**self.attempt)
        self.attempt += 1
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security  # nosec B311

    def reset(self) -> None:
        self.attempt = 0


def _close_connections() -> None:
    """Drop this thread's connections; a dead one may fail even to close."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:
            logger.debug("Closing a broken database connection failed", exc_info=True)


def periodic_job(path: str) -> Callable[[], None]:
    """``path`` (a dotted path to a function taking no arguments) wrapped for
    the scheduler: stale connections closed before and after, every exception
    logged and swallowed, so a failing job never stops the scheduler or the
    other jobs. The path is resolved at each run: a job whose module is missing
    is logged as an error each time, not fatal at start-up."""

    def run() -> None:
        close_old_connections()
        try:
            job = import_string(path)
            job()
        except ImportError as error:
            logger.error("Periodic job %s cannot be imported (%s); it did not run.", path, error)
        except DATABASE_ERRORS as error:
            logger.warning("Periodic job %s: database error (%s).", path, error)
            _close_connections()
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at its next turn.", path)
        finally:
            try:
                close_old_connections()
            except Exception:
                _close_connections()

    run.__name__ = run.__qualname__ = f"periodic_job({path})"
    return run


def build_scheduler(jobs: Sequence[tuple[str, float]]) -> BackgroundScheduler:
    """One interval job per ``(dotted path, seconds)``: never two runs of a job at
    once (``max_instances=1``), runs missed while the process was busy or
    asleep folded into one (``coalesce``) and run however late
    (``misfire_grace_time=None``: a late sweep is still a sweep). Every job
    runs first within seconds of start-up, staggered, so a worker restarted
    after an outage sweeps at once and a daily job is not put off by every
    restart."""
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=max(1, len(jobs)))},
        timezone=UTC,
    )
    start = datetime.now(tz=UTC)
    for position, (path, seconds) in enumerate(jobs):
        scheduler.add_job(
            periodic_job(path),
            trigger=IntervalTrigger(seconds=seconds, timezone=UTC),
            id=path,
            name=path,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=start + timedelta(seconds=0.2 * position),
        )
    return scheduler


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


def task_worker(*, queue_names: Sequence[str], interval: float, worker_id: str) -> Worker:
    return Worker(
        queue_names=list(queue_names),
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


#: A run of the task loop that lasted this long reached the database; the next
#: failure starts the backoff from the beginning again.
HEALTHY_AFTER_SECONDS = 60.0


def run_forever(
    worker: Worker,
    scheduler: BackgroundScheduler | None,
    *,
    sleep: Callable[[float], Any] = time.sleep,
) -> None:
    """Run the task loop until a signal stops it, the scheduler beside it.

    django-tasks-db's loop raises (and its command exits) when the database is
    unreachable; here the error closes the connections, is logged, and the
    loop starts again after a backoff. SIGTERM/SIGINT go to the library's own
    handler: it finishes the task in hand, or leaves at once when idle or
    waiting (SystemExit 0); the scheduler is shut down on the way out."""
    backoff = Backoff()
    worker.configure_signals()
    if scheduler is not None:
        scheduler.start()
    try:
        while worker.running:
            started = time.monotonic()
            try:
                worker.run()
                return
            except DATABASE_ERRORS as error:
                logger.warning("Task worker: database unreachable or failing (%s).", error)
            except Exception:
                logger.exception("Task worker: the loop failed.")
            if not worker.running:
                return
            if time.monotonic() - started > HEALTHY_AFTER_SECONDS:
                backoff.reset()
            _close_connections()
            wait = backoff.next_wait()
            logger.warning("Task worker: trying again in %.1f s.", wait)
            sleep(wait)
    finally:
        if scheduler is not None and scheduler.running:
            logger.info("Stopping the periodic jobs.")
            scheduler.shutdown(wait=True)


def prune_task_results(now: datetime | None = None) -> int:
    """Delete finished background-task rows (successful or failed) older than
    ``HEARTH_TASK_RESULTS_KEEP_DAYS`` (a periodic job). Rows left RUNNING by a
    worker that died stay, as evidence. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.HEARTH_TASK_RESULTS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
