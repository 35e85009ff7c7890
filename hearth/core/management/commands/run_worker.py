"""Run the background worker: queued tasks and the periodic jobs, and keep running.

    manage.py run_worker [--interval 1] [--queue-name default] [--no-periodic-jobs]

The Procfile's worker (so ``make run`` starts one). Run one or more per
deployment, kept alive by the process supervisor; several are safe (tasks are
claimed with row locks, every periodic job is idempotent). A database outage
is waited out, never fatal; SIGTERM or SIGINT stop it cleanly (exit code 0).
``manage.py db_worker`` still runs the queue alone, without the periodic jobs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.management.commands.db_worker import valid_interval, validate_worker_id

from hearth.core import worker


class Command(BaseCommand):
    help = "Run queued background tasks and the periodic jobs; survive database outages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait for a task when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help="The queues to run, separated by commas ('*' for all; default: default).",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=worker.default_worker_id(),
            help="This worker's name in the task rows (default: host and process id).",
        )
        parser.add_argument(
            "--no-periodic-jobs",
            action="store_false",
            dest="periodic_jobs",
            help="Run the queue only, not HEARTH_PERIODIC_JOBS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        level = {0: logging.WARNING, 1: logging.INFO}.get(options["verbosity"], logging.DEBUG)
        for name in ("hearth.worker", "django_tasks_db", "django_tasks"):
            logging.getLogger(name).setLevel(level)
        # "Job executed successfully" every second would drown the log.
        logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
        jobs = list(settings.HEARTH_PERIODIC_JOBS) if options["periodic_jobs"] else []
        tasks = worker.task_worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            worker_id=options["worker_id"],
        )
        worker.logger.info(
            "Worker %s: queues %s, %d periodic job(s).",
            options["worker_id"],
            options["queue_name"],
            len(jobs),
        )
        worker.run_forever(tasks, worker.build_scheduler(jobs) if jobs else None)
