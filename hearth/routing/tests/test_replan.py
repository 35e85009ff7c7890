"""Re-planning the rest of a day, by hand (see ``day.py``: one road, a minute
per kilometre, times in minutes).

The day being followed: Ann and Bea both start at the base (km 0).
Ann: a1 at km 2 08:02–09:02, a2 at km 4 09:04–10:04, a3 at km 6 10:06–11:06.
Bea: b1 at km 10 08:10–09:10, b2 at km 12 09:12–10:12.
At 09:20 (560) a1 and b1 are done, a2 and b2 are under way, a3 has not begun.
"""

from __future__ import annotations

from typing import Any

from hearth.routing import solver
from hearth.routing.problem import (
    Plan,
    Problem,
    Reason,
    Route,
    Stop,
    Unplaced,
    Visit,
    Weights,
    Window,
)
from hearth.routing.tests.day import nurse, road, visit

NOW = 560
SECONDS = 0.3


def replan(problem: Problem, current: Plan, **options: Any) -> Plan:
    """``solver.replan`` with 15 minutes as the moved threshold (these days count minutes)."""
    options.setdefault("moved_threshold", 15)
    options.setdefault("seconds", SECONDS)
    return solver.replan(problem, current, **options)


TRAVEL = road({"base": 0, "p2": 2, "p4": 4, "p5": 5, "p6": 6, "p10": 10, "p12": 12, "p14": 14})
DAY = (
    visit("a1", "p2", duration=60),
    visit("a2", "p4", duration=60),
    visit("a3", "p6", duration=60),
    visit("b1", "p10", duration=60),
    visit("b2", "p12", duration=60),
)


def stop(key: str, start: int, travel_before: int) -> Stop:
    return Stop(key, start, start, start + 60, travel_before, 1000 * travel_before)


CURRENT = Plan(
    routes=(
        Route(
            "ann",
            (stop("a1", 482, 2), stop("a2", 544, 2), stop("a3", 606, 2)),
            leaves_at=480,
            returns_at=672,
            travel=12,
            distance=12000,
        ),
        Route(
            "bea",
            (stop("b1", 490, 10), stop("b2", 552, 2)),
            leaves_at=480,
            returns_at=624,
            travel=24,
            distance=24000,
        ),
    ),
    unplaced=(),
    cost=36,
    feasible=True,
)


def problem(*extra: Visit, pull: int = 30) -> Problem:
    return Problem(
        staff=(nurse("ann", skills={"syringe_driver"}), nurse("bea")),
        visits=(*DAY, *extra),
        travel=TRAVEL,
        weights=Weights(per_travel_time=1, moved_from_current_staff=pull),
    )


def test_done_and_under_way_visits_stay_as_they_were() -> None:
    urgent = visit("urgent", "p5", duration=30, windows=((600, 660),))
    plan = replan(problem(urgent), CURRENT, now=NOW)
    was = CURRENT.assignments
    for key in ("a1", "a2", "b1", "b2"):
        assert plan.assignments[key] == was[key]
    assert plan.feasible and not plan.unplaced
    staff, placed = plan.assignments["urgent"]
    assert 600 <= placed.start <= 660
    # The day resumes after the visit under way, from its house.
    under_way_end = {"ann": 604, "bea": 612}[staff]
    assert placed.arrival >= under_way_end + placed.travel_before
    assert not {"a1", "a2", "b1", "b2"} & set(plan.moved)


def test_urgent_visit_that_pushes_others_reports_them_moved() -> None:
    # Only Ann has the syringe driver skill, and it must start 10:05–10:10
    # next to a2: a3 cannot stay at 10:06.
    urgent = visit(
        "urgent",
        "p4",
        duration=60,
        windows=((605, 610),),
        skills=frozenset({"syringe_driver"}),
    )
    plan = replan(problem(urgent), CURRENT, now=NOW)
    assert plan.assignments["urgent"][0] == "ann"
    assert "a3" in plan.assignments
    assert plan.moved == ("a3",)
    staff, a3 = plan.assignments["a3"]
    assert staff == "bea" or a3.start >= 605 + 60


def test_with_slack_nothing_moves() -> None:
    # Past Bea's last house: she takes it on her way, nobody else is touched.
    urgent = visit("urgent", "p14", duration=30, windows=((600, 900),))
    plan = replan(problem(urgent), CURRENT, now=NOW)
    assert plan.moved == ()
    assert plan.assignments["urgent"][0] == "bea"
    assert plan.assignments["a3"] == CURRENT.assignments["a3"]


def test_without_the_pull_visits_drift_to_whoever_is_cheaper() -> None:
    # Giving a3 to Bea saves Ann 4 minutes and costs Bea none (she drives
    # home past km 6), so without the pull towards the current carer it moves.
    plan = replan(problem(pull=0), CURRENT, now=NOW)
    assert plan.assignments["a3"][0] == "bea"
    assert plan.moved == ("a3",)
    kept = replan(problem(pull=30), CURRENT, now=NOW)
    assert kept.assignments["a3"][0] == "ann"
    assert kept.moved == ()


def test_moved_threshold_decides_what_counts_as_moved() -> None:
    # Ann's a2 started 20 minutes late (09:24) so a3 slides by 20 minutes.
    late = replan(problem(), CURRENT, now=NOW, started={"a2": 564})
    assert late.assignments["a2"][1].start == 564
    assert late.assignments["a2"][1].end == 624
    assert late.assignments["a3"][1].start == 626
    assert late.moved == ("a3",)
    tolerant = replan(problem(), CURRENT, now=NOW, started={"a2": 564}, moved_threshold=30)
    assert tolerant.moved == ()


def test_visits_listed_as_done_are_kept_even_if_planned_later() -> None:
    # Bea did a3 already (say, on her way); nothing is planned for it again.
    plan = replan(problem(), CURRENT, now=NOW, done={"b2", "a3"})
    assert plan.assignments["a3"] == CURRENT.assignments["a3"]
    assert plan.assignments["b2"] == CURRENT.assignments["b2"]
    assert plan.moved == ()


def test_merged_routes_add_up() -> None:
    urgent = visit("urgent", "p14", duration=30, windows=((600, 900),))
    plan = replan(problem(urgent), CURRENT, now=NOW)
    bea = next(route for route in plan.routes if route.staff == "bea")
    assert [s.visit for s in bea.stops] == ["b1", "b2", "urgent"]
    assert bea.leaves_at == 480
    # 10 out, 2 to b2, 2 to the urgent visit, 14 home.
    assert bea.travel == 28
    assert bea.returns_at == bea.stops[-1].end + 14
    assert plan.cost == sum(route.travel for route in plan.routes)


def test_what_the_caller_says_beats_what_the_plan_assumed() -> None:
    # At 15:50 the plan says a3 ended long ago, but it only started at 15:40.
    plan = replan(problem(), CURRENT, now=950, started={"a3": 940})
    assert plan.assignments["a3"][1].start == 940
    assert plan.assignments["a3"][1].end == 1000


def test_urgent_visit_whose_time_has_passed_is_outside_shifts() -> None:
    urgent = visit("urgent", "p5", duration=30, windows=((600, 700),))
    late = replan(problem(urgent), CURRENT, now=950)
    assert [(u.visit, u.reason.value) for u in late.unplaced] == [("urgent", "outside_shifts")]


def test_a_placed_visit_that_can_no_longer_be_done_is_reported_and_moved() -> None:
    # a3's family now asks for 09:30 at the latest, and Ann is busy until 10:04.
    day = problem()
    changed = tuple(
        visit("a3", "p6", duration=60, windows=((8 * 60, 570),)) if v.key == "a3" else v
        for v in day.visits
    )
    plan = replan(
        Problem(day.staff, changed, day.travel, day.weights), CURRENT, now=NOW, seconds=SECONDS
    )
    # What is left of everyone's shift starts after 09:30.
    assert [(u.visit, u.reason.value) for u in plan.unplaced] == [("a3", "outside_shifts")]
    assert plan.moved == ("a3",)


def test_someone_who_has_set_off_goes_there() -> None:
    # At 10:05 Ann has left a2 (ended 10:04) for a3 (arrives 10:06): a3 is kept,
    # so an urgent syringe-driver visit back at km 4 by 10:20 cannot be had.
    urgent = visit(
        "urgent", "p4", duration=30, windows=((605, 620),), skills=frozenset({"syringe_driver"})
    )
    plan = replan(problem(urgent), CURRENT, now=605)
    assert plan.assignments["a3"] == CURRENT.assignments["a3"]
    assert [u.visit for u in plan.unplaced] == ["urgent"]


def full_morning(urgent_priority: int) -> tuple[Problem, Plan]:
    short = nurse("ann", shift=Window(8 * 60, 11 * 60))
    routine = tuple(visit(f"v{i}", "base", duration=60) for i in range(3))
    urgent = visit("urgent", "base", duration=60, priority=urgent_priority)
    current = Plan(
        routes=(
            Route(
                "ann",
                tuple(Stop(f"v{i}", t, t, t + 60, 0, 0) for i, t in enumerate((480, 540, 600))),
                leaves_at=480,
                returns_at=660,
                travel=0,
                distance=0,
            ),
        ),
        unplaced=(),
        cost=0,
        feasible=True,
    )
    return Problem((short,), (*routine, urgent), road({"base": 0})), current


def test_an_urgent_visit_of_higher_priority_bumps_one_routine_visit() -> None:
    day, current = full_morning(urgent_priority=1)
    plan = replan(day, current, now=470)
    assert "urgent" in plan.assignments
    assert [u.reason for u in plan.unplaced] == [Reason.DAY_FULL]
    bumped = plan.unplaced[0].visit
    assert bumped in plan.moved


def test_among_equals_the_current_plan_keeps_its_visits() -> None:
    day, current = full_morning(urgent_priority=0)
    plan = replan(day, current, now=470)
    assert plan.unplaced == (Unplaced("urgent", Reason.DAY_FULL),)
    assert plan.moved == ()
