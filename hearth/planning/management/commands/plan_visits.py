"""Plan (and optionally publish) a day's home visits from the command line.

    manage.py plan_visits --date 2026-05-04 [--publish] [--as coordinator.username]

Runs the same services as the coordinator's page, as that coordinator (by
default the first active one), and prints what was placed and why the rest
was not.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.accounts.models import User
from hearth.core.errors import DomainError
from hearth.planning import planner
from hearth.visits.choices import UnplacedReason


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Plan the team's home visits for a day; --publish to publish the plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="The day to plan, YYYY-MM-DD.")
        parser.add_argument("--publish", action="store_true", help="Publish the plan too.")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="Username of the coordinator to act as (default: the first active one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["date"])
        actor = self._actor(options["username"])
        try:
            plan = planner.plan_day(actor=actor, date=day)
        except DomainError as error:
            raise CommandError(error.message) from error
        rows = list(plan.planned_visits.all())
        placed = [row for row in rows if row.staff_id]
        reasons = Counter(row.unplaced_reason for row in rows if not row.staff_id)
        self.stdout.write(
            f"Planned {day.isoformat()}: {len(placed)} placed, {sum(reasons.values())} not "
            f"placed, {plan.travel_minutes} min of travel, {plan.solver_seconds:.1f} s."
        )
        for reason, count in reasons.most_common():
            label = UnplacedReason(reason).label if reason in UnplacedReason.values else reason
            self.stdout.write(f"  {count} not placed: {label}")
        if options["publish"]:
            try:
                visits = planner.publish_plan(actor=actor, plan=plan)
            except DomainError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"Published: {len(visits)} visits.")

    def _actor(self, username: str) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {username!r}.")
            return actor
        found = planner.default_coordinator()
        if found is None:
            raise CommandError("No active care coordinator to plan as; use --as USERNAME.")
        return found
