"""The demo tells the visits story through the real services, once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.demo.seed import seed_visits
from hearth.demo.stories.smirnov import VIDEO_LINK
from hearth.visits.models import (
    DayPlan,
    Shift,
    StaffPlanningProfile,
    Visit,
    VisitNeed,
    VisitNote,
    VisitTimeRequest,
)


def _counts() -> dict[str, int]:
    return {
        "profiles": StaffPlanningProfile.objects.count(),
        "shifts": Shift.objects.count(),
        "needs": VisitNeed.objects.count(),
        "requests": VisitTimeRequest.objects.count(),
        "visits": Visit.objects.count(),
        "notes": VisitNote.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_visits(staff)


@pytest.mark.django_db
def test_it_tells_the_visits_story_once() -> None:
    # A Tuesday morning, so the team works today and the planner has a day to plan.
    tuesday = clock.today() + timedelta(days=(1 - clock.today().weekday()) % 7)
    moment = timezone.make_aware(datetime.combine(tuesday, time(9, 10)))
    with clock.travel_to(moment):
        _seed()
        first = _counts()
        _seed()
        assert _counts() == first
        assert all(first.values()), first

        today = clock.today()
        weekdays = [today + timedelta(days=n) for n in range(7)]
        assert {shift.date for shift in Shift.objects.all()} <= set(weekdays)
        assert all(shift.date.weekday() < 5 for shift in Shift.objects.all())

        pump = VisitNeed.objects.current().get(
            patient__record_number="HH-1001", description__icontains="syringe pump"
        )
        assert pump.skills == ["syringe_driver"] and pump.intervention is not None
        assert VisitNeed.objects.current().filter(patient__record_number="HH-1002").exists()
        assert VisitNeed.objects.current().filter(patient__record_number="HH-1006").exists()

        call = Visit.objects.get(kind="teleconsult")
        assert (call.video_link, call.date) == (VIDEO_LINK, today + timedelta(days=1))
        assert call.participants.count() == 2

        done = Visit.objects.get(status="completed")
        assert done.date == today - timedelta(days=1)
        assert done.pulse == 78 and done.notes.count() == 2
        assert VisitTimeRequest.objects.get().requested_by.username == "family.hassan"

        # Today was planned and published, as the coordinator does each morning.
        plan = DayPlan.objects.get(date=today)
        assert plan.status == "published"
        placed = plan.planned_visits.filter(staff__isnull=False)
        assert placed.exists()
        assert plan.visits.count() == placed.count()
        for row in plan.planned_visits.filter(staff__isnull=True):
            assert row.unplaced_reason, row
