"""Which visits a day needs, and the day as the planner's problem."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from hearth.core import clock
from hearth.planning import preparation, reasons
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
)
from hearth.routing.problem import Reason
from hearth.visits.choices import UnplacedReason
from hearth.visits.models import DayPlan, UrgentVisitRequest, Visit


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def _visit(pw: PlanningWorld, day: Any, status: str = "completed", **extra: Any) -> Visit:
    start = at(day, "10:00")
    values: dict[str, Any] = {
        "patient": pw.patient,
        "staff": pw.world.nurse,
        "discipline": "nurse",
        "need": pw.need,
        "date": day,
        "planned_start": start,
        "planned_end": start + timedelta(minutes=45),
        "family_window_start": start,
        "family_window_end": start,
        "status": status,
    }
    values.update(extra)
    return Visit.objects.create(**values)


@pytest.mark.parametrize(
    ("times", "due_days"),
    [(3, [0, 2, 4]), (1, [0]), (7, [0, 1, 2, 3, 4, 5, 6]), (2, [0, 3])],
)
def test_weekly_visits_follow_an_even_spread(times: int, due_days: list[int]) -> None:
    done = 0
    days = []
    for weekday in range(7):
        if preparation.weekly_visit_is_due(MONDAY + timedelta(days=weekday), times, done):
            days.append(weekday)
            done += 1
    assert days == due_days


def test_a_daily_need_is_due_every_day(pw: PlanningWorld) -> None:
    due = preparation.due_visits(MONDAY)
    assert [d.key for d in due] == [f"need:{pw.need.pk}:1"]
    assert due[0].windows  # visiting hours


def test_twice_a_day_splits_the_day_in_two(pw: PlanningWorld) -> None:
    pw.need.times = 2
    pw.need.save()
    first, second = preparation.due_visits(MONDAY)
    assert first.windows[-1].end <= second.windows[0].start


def test_a_weekly_need_already_met_this_week_is_not_due(pw: PlanningWorld) -> None:
    pw.need.per, pw.need.times = "week", 3
    pw.need.save()
    wednesday = MONDAY + timedelta(days=2)
    assert [d.need for d in preparation.due_visits(wednesday)] == [pw.need]
    _visit(pw, MONDAY)
    _visit(pw, MONDAY + timedelta(days=1))  # two done by Tuesday: Wednesday not due
    assert preparation.due_visits(wednesday) == []
    _visit(pw, MONDAY + timedelta(days=1), status="cancelled")
    assert preparation.due_visits(wednesday) == []


def test_cancelled_visits_do_not_count(pw: PlanningWorld) -> None:
    pw.need.per, pw.need.times = "week", 3
    pw.need.save()
    _visit(pw, MONDAY, status="cancelled")
    tuesday = MONDAY + timedelta(days=1)
    assert [d.need for d in preparation.due_visits(tuesday)] == [pw.need]


def test_teleconsults_ended_needs_and_people_not_in_care_are_left_out(
    pw: PlanningWorld,
) -> None:
    pw.need.kind = "teleconsult"
    pw.need.save()
    ended = need(pw.world, pw.patient)
    ended.ended_at = clock.now()
    ended.save()
    need(pw.world, pw.world.other_patient)  # referred, not admitted
    assert preparation.due_visits(MONDAY) == []


def test_continuity_prefers_whoever_went_last(pw: PlanningWorld) -> None:
    _visit(pw, MONDAY - timedelta(days=2), staff=pw.world.outsider_nurse)
    (due,) = preparation.due_visits(MONDAY)
    assert due.preferred_staff == pw.world.outsider_nurse
    pw.need.preferred_staff = pw.world.nurse
    pw.need.save()
    (due,) = preparation.due_visits(MONDAY)
    assert due.preferred_staff == pw.world.nurse


def test_waiting_urgent_requests_for_the_day_are_due(pw: PlanningWorld) -> None:
    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Pain out of control",
        requested_by=pw.world.physician,
    )
    keys = {d.key for d in preparation.due_visits(MONDAY)}
    assert f"urgent:{request.pk}" in keys


def test_the_problem_has_the_days_shifts_and_sets_aside_people_without_a_map_position(
    pw: PlanningWorld,
) -> None:
    nowhere = admitted_patient(pw.world, "N-1", "Nora", where=None)
    need(pw.world, nowhere)
    prepared = preparation.prepare_day(MONDAY)
    staff = {s.key: s for s in prepared.problem.staff}
    nurse = staff[str(pw.world.nurse.pk)]
    assert nurse.skills == {"syringe_driver"}
    assert nurse.shift.start == 8 * 3600 and nurse.shift.end == 16 * 3600
    assert staff[str(pw.world.physician.pk)].max_visits == preparation.DEFAULT_MAX_VISITS
    assert [v.patient for v in prepared.problem.visits] == [str(pw.patient.pk)]
    assert list(prepared.unplaced_before.values()) == [UnplacedReason.NO_ADDRESS]


def test_every_router_reason_is_stored_and_told_in_words() -> None:
    for reason in Reason:
        assert reasons.stored_reason(reason) in UnplacedReason
        assert reasons.explain(reason.value, day=MONDAY) != reason.value


def test_planning_today_starts_no_earlier_than_now(pw: PlanningWorld) -> None:
    with clock.travel_to(at(MONDAY, "11:10")):
        (due,) = preparation.due_visits(MONDAY)
    assert due.windows[0].start >= 11 * 3600 + 10 * 60
    assert DayPlan.objects.count() == 0
