"""manage.py plan_visits."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hearth.core import clock
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
)
from hearth.visits.models import DayPlan, Visit


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def test_it_plans_and_publishes_the_day(pw: PlanningWorld) -> None:
    need(pw.world, admitted_patient(pw.world, "N-1", "Nora", where=None))
    out = StringIO()
    call_command("plan_visits", "--date", MONDAY.isoformat(), "--publish", stdout=out)
    text = out.getvalue()
    assert "1 placed, 1 not placed" in text
    assert "1 not placed: The home has no map position" in text
    assert "Published: 1 visits." in text
    assert DayPlan.objects.get().status == "published"
    assert Visit.objects.get().patient == pw.patient


def test_it_plans_a_draft_as_the_named_coordinator(pw: PlanningWorld) -> None:
    call_command(
        "plan_visits", "--date", MONDAY.isoformat(), "--as", "coord.service", stdout=StringIO()
    )
    assert DayPlan.objects.get().created_by == pw.world.coordinator


@pytest.mark.parametrize("bad", ["2027-13-01", "tomorrow", ""])
def test_it_rejects_a_bad_date(pw: PlanningWorld, bad: str) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("plan_visits", "--date", bad, stdout=StringIO())


def test_it_refuses_a_past_day_and_a_non_coordinator(pw: PlanningWorld) -> None:
    with pytest.raises(CommandError, match="over"):
        call_command("plan_visits", "--date", "2027-02-01", stdout=StringIO())
    with pytest.raises(CommandError, match="coordinator"):
        call_command(
            "plan_visits", "--date", MONDAY.isoformat(), "--as", "nurse.team", stdout=StringIO()
        )
    assert not DayPlan.objects.exists()
