"""The service's on-call roster for the demo: the past seven days and the next
seven, so every alert the stories raise has an owner. Each shift is added
only when none starts then for that role, so a later run continues the rota.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.choices import OnCallRole
from hearth.monitoring.models import OnCallShift

# --- On-call roster -----------------------------------------------------------

#: Days of roster before and after today.
ROSTER_DAYS = 7
DAY_STARTS, NIGHT_STARTS = time(8, 0), time(20, 0)
#: Who takes which shift rotates with the date, so a later reseed continues it.
ROTA: dict[str, tuple[str, ...]] = {
    OnCallRole.NURSE: ("nurse.brennan", "nurse.sokolova"),
    OnCallRole.PHYSICIAN: ("dr.patel", "dr.ivanova", "dr.okafor"),
    OnCallRole.CLINICAL_LEAD: ("dr.okafor",),
}


def local_time(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def seed_on_call_roster(staff: dict[str, User], today: date) -> None:
    """12-hour day (08–20) and night (20–08) shifts for each step of the chain.
    Each shift is added only if none starts then for that role."""
    coordinator = staff["coord.lewis"]
    first = today - timedelta(days=ROSTER_DAYS)
    with clock.travel_to(local_time(first - timedelta(days=3), time(14, 0))), transaction.atomic():
        for offset in range(2 * ROSTER_DAYS):
            day = first + timedelta(days=offset)
            turn = day.toordinal()
            for role, people in ROTA.items():
                shifts = (
                    (local_time(day, DAY_STARTS), local_time(day, NIGHT_STARTS), turn),
                    (
                        local_time(day, NIGHT_STARTS),
                        local_time(day + timedelta(days=1), DAY_STARTS),
                        turn + 1,
                    ),
                )
                for starts_at, ends_at, pick in shifts:
                    if OnCallShift.objects.filter(
                        role=role, starts_at=starts_at, cancelled_at__isnull=True
                    ).exists():
                        continue
                    monitoring.add_on_call_shift(
                        actor=coordinator,
                        role=role,
                        staff=staff[people[pick % len(people)]],
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )
