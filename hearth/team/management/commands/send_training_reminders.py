"""Write the training reminders that are due (mandatory courses expiring within
HEARTH_TRAINING_REMINDER_DAYS, expired or missing).

    manage.py send_training_reminders [--date YYYY-MM-DD]

The worker runs the same service once a day (HEARTH_PERIODIC_JOBS); this
command runs it by hand. Each reminder is written once only, so running it again
adds nothing. In-app only: each reminder shows on the person's own team page
and is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.team import services


class Command(BaseCommand):
    help = (
        "Write in-app reminders for mandatory training that expires soon, "
        "has expired or is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="Count from this day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date must be YYYY-MM-DD, not {options['date']!r}."
                ) from error
        created = services.send_training_reminders(today=day)
        self.stdout.write(
            f"{len(created)} new training reminder(s) written (in-app only; no e-mail is sent)."
        )
        for reminder in created:
            self.stdout.write(
                f"  {reminder.staff.get_username()}: {reminder.course.title} ({reminder.kind})"
            )
