"""The planner on small days a person can check by hand (see ``day.py``:
places on one road, a minute per kilometre, times in minutes)."""

from __future__ import annotations

import random

from hearth.routing.problem import Plan, Problem, Reason, Staff, Unplaced, Weights, Window
from hearth.routing.solver import solve
from hearth.routing.tests.day import H, nurse, place, road, visit

SECONDS = 0.2


def reasons(plan: Plan) -> dict[str, Reason]:
    return {item.visit: item.reason for item in plan.unplaced}


def staff_of(plan: Plan, visit_key: str) -> str:
    return plan.assignments[visit_key][0]


def test_visit_needing_a_skill_nobody_has_is_unplaced() -> None:
    problem = Problem(
        staff=(nurse("ann", skills={"wound_care"}),),
        visits=(
            visit("syringe", "p1", skills=frozenset({"syringe_driver"})),
            visit("dressing", "p1", skills=frozenset({"wound_care"})),
        ),
        travel=road({"base": 0, "p1": 5}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert plan.unplaced == (Unplaced("syringe", Reason.NO_STAFF_WITH_SKILLS),)
    assert staff_of(plan, "dressing") == "ann"
    assert plan.feasible


def test_only_someone_with_the_skill_goes_even_from_further_away() -> None:
    problem = Problem(
        staff=(nurse("ann"), nurse("bea", "far", skills={"syringe_driver"})),
        visits=(visit("syringe", "p1", skills=frozenset({"syringe_driver"})),),
        travel=road({"base": 0, "p1": 5, "far": 50}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert staff_of(plan, "syringe") == "bea"


def test_discipline_mismatch() -> None:
    travel = road({"base": 0, "p1": 5, "far": 50})
    doctor_visit = visit("review", "p1", discipline="physician")
    alone = solve(Problem((nurse("ann"),), (doctor_visit,), travel), seconds=SECONDS)
    assert alone.unplaced == (Unplaced("review", Reason.NO_STAFF_OF_DISCIPLINE),)

    doctor = nurse("dan", "far", discipline="physician")
    with_doctor = solve(
        Problem(
            (nurse("ann"), doctor),
            (doctor_visit, visit("anyone", "near", discipline=None)),
            road({"base": 0, "p1": 5, "far": 50, "near": -5}),
        ),
        seconds=SECONDS,
    )
    assert staff_of(with_doctor, "review") == "dan"
    assert staff_of(with_doctor, "anyone") == "ann"  # no discipline named: the nearer one


def prayer_day(windows: tuple[tuple[int, int], ...]) -> Problem:
    # Lunch is fixed at 11:40–12:40 at the same house; the prayer-time visit
    # may start 11:40–12:20 or from 13:00 (not 12:20–13:00).
    return Problem(
        staff=(nurse("ann"),),
        visits=(
            visit("lunch", "p10", duration=60, windows=((700, 700),)),
            visit("after_prayers", "p10", windows=windows),
        ),
        travel=road({"base": 0, "p10": 10}),
    )


def test_prayer_gap_is_respected() -> None:
    plan = solve(prayer_day(((700, 740), (780, 900))), seconds=SECONDS)
    start = plan.assignments["after_prayers"][1].start
    assert 780 <= start <= 900
    assert not 740 < start < 780
    # Without the gap the same visit would follow lunch straight away, inside it.
    no_gap = solve(prayer_day(((700, 900),)), seconds=SECONDS)
    assert no_gap.assignments["after_prayers"][1].start == 760


def test_shift_end_is_respected() -> None:
    short = Window(8 * H, 10 * H)  # 08:00–10:00
    problem = Problem(
        staff=(nurse("ann", shift=short),),
        visits=(
            # 30 min out, 08:30–09:30, 30 min back: home at 10:00 exactly.
            visit("fits", "p30", duration=60),
            # Cannot start before 09:20, so cannot end before 10:20.
            visit("too_late", "p30", duration=60, windows=((560, 16 * H),)),
            # 08:35–08:50 overlaps the shift, but with 30 min back it must start by 08:30.
            visit("too_far", "p30", duration=60, windows=((515, 530),)),
        ),
        travel=road({"base": 0, "p30": 30}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert reasons(plan) == {
        "too_late": Reason.OUTSIDE_SHIFTS,
        "too_far": Reason.CANNOT_REACH_IN_TIME,
    }
    (route,) = plan.routes
    assert route.returns_at <= 10 * H
    assert route.stops[0].start == 510 and route.stops[0].end == 570
    assert route.leaves_at >= 8 * H


def test_max_visits_respected() -> None:
    problem = Problem(
        staff=(nurse("ann", max_visits=2),),
        visits=tuple(visit(f"v{i}", "p1") for i in range(3)),
        travel=road({"base": 0, "p1": 1}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert len(plan.routes[0].stops) == 2
    assert [item.reason for item in plan.unplaced] == [Reason.DAY_FULL]


def test_a_full_day_still_gets_a_feasible_plan() -> None:
    problem = Problem(
        staff=(nurse("ann", shift=Window(8 * H, 10 * H)),),
        visits=tuple(visit(f"v{i}", "base", duration=60) for i in range(5)),
        travel=road({"base": 0}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert plan.feasible
    assert len(plan.routes[0].stops) == 2
    assert sorted(reasons(plan).values()) == [Reason.DAY_FULL] * 3


def continuity_day(other_base_km: int, weight: int) -> Problem:
    return Problem(
        staff=(nurse("ann"), nurse("bea", "bbase")),
        visits=(visit("v", "p1", preferred_staff="bea"),),
        travel=road({"base": 0, "p1": 1, "bbase": other_base_km}),
        weights=Weights(per_travel_time=1, not_preferred_staff=weight),
    )


def test_continuity_is_kept_when_it_costs_little() -> None:
    # Ann drives 2 minutes, Bea 6: 4 extra minutes < 10 for someone else.
    assert staff_of(solve(continuity_day(4, 10), seconds=SECONDS), "v") == "bea"
    # Without the weight, the shorter drive wins.
    assert staff_of(solve(continuity_day(4, 0), seconds=SECONDS), "v") == "ann"


def test_continuity_gives_way_when_it_costs_a_lot() -> None:
    # Bea would drive 78 minutes against Ann's 2: 76 extra > 10.
    plan = solve(continuity_day(40, 10), seconds=SECONDS)
    assert staff_of(plan, "v") == "ann"
    assert plan.cost == 2 + 10  # travel plus the cost of someone else going


def test_shared_language_is_preferred() -> None:
    def day(weight: int) -> Problem:
        return Problem(
            staff=(nurse("ann"), nurse("bea", "bbase", languages={"en", "ar"})),
            visits=(visit("v", "p1", languages=frozenset({"ar"})),),
            travel=road({"base": 0, "p1": 1, "bbase": 4}),
            weights=Weights(per_travel_time=1, no_shared_language=weight),
        )

    assert staff_of(solve(day(10), seconds=SECONDS), "v") == "bea"
    assert staff_of(solve(day(0), seconds=SECONDS), "v") == "ann"


def test_optional_visit_dropped_when_its_prize_is_below_its_cost() -> None:
    def day(prize: int) -> Problem:
        return Problem(
            staff=(nurse("ann"),),
            visits=(visit("chat", "p20", required=False, prize=prize),),
            travel=road({"base": 0, "p20": 20}),
        )

    cheap = solve(day(5), seconds=SECONDS)  # 40 minutes of driving for 5
    assert cheap.unplaced == (Unplaced("chat", Reason.NOT_WORTH_IT),)
    assert cheap.cost == 5  # the prize forgone
    assert solve(day(100), seconds=SECONDS).assignments["chat"][0] == "ann"


def test_optional_visit_without_room_is_day_full() -> None:
    problem = Problem(
        staff=(nurse("ann", shift=Window(8 * H, 9 * H)),),
        visits=(
            visit("must", "base", duration=60),
            visit("chat", "base", duration=30, required=False, prize=1000),
        ),
        travel=road({"base": 0}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert plan.unplaced == (Unplaced("chat", Reason.DAY_FULL),)


def test_capacity_and_fleet_size_are_respected() -> None:
    van = Staff(
        key="van",
        discipline="driver",
        start=place("depot"),
        end=place("depot"),
        shift=Window(0, 1000),
        capacity=10,
        count=2,
    )
    problem = Problem(
        staff=(van,),
        visits=(
            *(visit(f"box{i}", "p1", windows=((0, 1000),), demand=6) for i in range(3)),
            visit("piano", "p1", windows=((0, 1000),), demand=11),
        ),
        travel=road({"depot": 0, "p1": 3}),
        weights=Weights(per_travel_time=0, per_distance=1),
    )
    plan = solve(problem, seconds=SECONDS)
    assert len(plan.routes) == 2
    assert all(len(route.stops) == 1 for route in plan.routes)
    left = reasons(plan)
    assert left.pop("piano") == Reason.DAY_FULL  # bigger than any van
    assert list(left.values()) == [Reason.DAY_FULL]  # one box too many for two vans
    assert plan.cost == 2 * 6000  # per_distance: two round trips of 3 km


def random_day(seed: int, visits: int = 16) -> Problem:
    rng = random.Random(seed)
    positions = {"base": 0, "bbase": 20} | {f"p{i}": rng.randint(-30, 30) for i in range(visits)}
    return Problem(
        staff=(nurse("ann", max_visits=9), nurse("bea", "bbase", skills={"syringe_driver"})),
        visits=tuple(
            visit(
                f"v{i}",
                f"p{i}",
                duration=rng.choice([20, 30, 45]),
                windows=((8 * H + rng.randint(0, 4) * H, 16 * H),),
                skills=frozenset({"syringe_driver"}) if i % 5 == 0 else frozenset(),
                preferred_staff=rng.choice(["ann", "bea", None]),
            )
            for i in range(visits)
        ),
        travel=road(positions),
        weights=Weights(per_travel_time=1, not_preferred_staff=15),
    )


def test_plan_accounting_adds_up() -> None:
    plan = solve(random_day(1), seconds=SECONDS)
    problem = random_day(1)
    durations = {v.key: v.duration for v in problem.visits}
    assert plan.feasible and not plan.unplaced
    for route in plan.routes:
        previous_end = route.leaves_at
        for stop in route.stops:
            assert stop.arrival == previous_end + stop.travel_before
            assert stop.arrival <= stop.start
            assert stop.end == stop.start + durations[stop.visit]
            previous_end = stop.end
        assert route.travel >= sum(stop.travel_before for stop in route.stops)
        assert route.distance == 1000 * route.travel


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    first = solve(random_day(2), seconds=5, seed=3, iterations=300)
    second = solve(random_day(2), seconds=5, seed=3, iterations=300)
    assert first.routes == second.routes
    assert first.cost == second.cost


def test_warm_start_from_a_plan_is_never_worse() -> None:
    start = solve(random_day(4), seconds=SECONDS, iterations=50)
    again = solve(random_day(4), seconds=SECONDS, initial=start, iterations=50)
    assert again.feasible
    assert again.cost <= start.cost


def test_when_the_day_is_full_higher_priority_goes_first() -> None:
    problem = Problem(
        staff=(nurse("ann", shift=Window(8 * H, 10 * H)),),
        visits=(
            visit("routine", "base", duration=90),
            visit("urgent", "p30", duration=30, priority=1),  # an hour's drive there and back
        ),
        travel=road({"base": 0, "p30": 30}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert "urgent" in plan.assignments
    assert plan.unplaced == (Unplaced("routine", Reason.DAY_FULL),)


def test_a_day_with_nobody_on_shift_says_so_not_that_skills_are_missing() -> None:
    """Issue 17: a Sunday with no shifts said "nobody has the skills"."""
    problem = Problem(
        staff=(),
        visits=(visit("syringe", "p1", skills=frozenset({"syringe_driver"})),),
        travel=road({"base": 0, "p1": 5}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert plan.unplaced == (Unplaced("syringe", Reason.NO_STAFF_ON_SHIFT),)


def test_a_physician_visit_with_only_nurses_on_shift_names_the_discipline_not_skills() -> None:
    problem = Problem(
        staff=(nurse("ann", skills={"syringe_driver"}),),
        visits=(
            visit("review", "p1", discipline="physician"),
            visit("syringe", "p1", skills=frozenset({"syringe_driver", "wound_care"})),
        ),
        travel=road({"base": 0, "p1": 5}),
    )
    plan = solve(problem, seconds=SECONDS)
    assert dict((u.visit, u.reason) for u in plan.unplaced) == {
        "review": Reason.NO_STAFF_OF_DISCIPLINE,
        "syringe": Reason.NO_STAFF_WITH_SKILLS,
    }
