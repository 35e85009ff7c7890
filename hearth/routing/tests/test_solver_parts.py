"""The day planned in independent parts (one per group of staff who may do the
same visits, in practice per discipline), and the routing profiles' matrices
as PyVRP receives them. Small days on one road (see ``day.py``)."""

from __future__ import annotations

import random

import numpy as np

from hearth.routing import solver
from hearth.routing.problem import Plan, Problem, Reason, Weights, Window
from hearth.routing.solver import solve
from hearth.routing.tests.day import H, nurse, road, visit

SECONDS = 0.3


def parts_of(problem: Problem) -> list[tuple[list[str], list[str]]]:
    """``_independent_parts`` by staff and visit keys, after the pre-check."""
    vehicles = [solver._Vehicle.of(member) for member in problem.staff]
    travel = solver._Travel(
        [p for member in problem.staff for p in (member.start, member.end)]
        + [v.place for v in problem.visits],
        problem.travel,
    )
    modelled, _ = solver._precheck(problem.visits, vehicles, travel)
    return [
        (
            [vehicles[i].staff.key for i in part_vehicles],
            [modelled[m].visit.key for m in part_visits],
        )
        for part_vehicles, part_visits in solver._independent_parts(vehicles, modelled)
    ]


def every_visit_once(problem: Problem, plan: Plan) -> None:
    placed = [stop.visit for route in plan.routes for stop in route.stops]
    left = [item.visit for item in plan.unplaced]
    assert sorted(placed + left) == sorted(v.key for v in problem.visits)


TRAVEL = road({"base": 0, "dbase": 20, "p1": 2, "p2": 5, "p3": 8, "p4": 22, "p5": 25})


def mixed_day(**extra_visits: object) -> Problem:
    return Problem(
        staff=(
            nurse("ann"),
            nurse("bea", skills={"syringe_driver"}),
            nurse("dan", "dbase", discipline="physician"),
            nurse("sol", discipline="social_worker", shift=Window(20 * H, 21 * H)),
        ),
        visits=(
            visit("dressing", "p1", discipline="nurse"),
            visit("syringe", "p2", discipline="nurse", skills=frozenset({"syringe_driver"})),
            visit("review", "p4", discipline="physician"),
            visit("pain", "p5", discipline="physician"),
            visit("benefits", "p3", discipline="social_worker", windows=((9 * H, 10 * H),)),
        ),
        travel=TRAVEL,
    )


def test_each_discipline_is_its_own_part_and_staff_who_cannot_go_are_in_none() -> None:
    parts = parts_of(mixed_day())
    assert sorted(parts) == [
        (["ann", "bea"], ["dressing", "syringe"]),
        (["dan"], ["review", "pain"]),
    ]  # the social worker's visit falls outside her shift: no part, and no vehicle


def test_a_visit_any_discipline_may_do_joins_their_parts() -> None:
    day = mixed_day()
    joined = Problem(day.staff, (*day.visits, visit("company", "p3", discipline=None)), day.travel)
    ((staff, visits),) = parts_of(joined)
    assert sorted(staff) == ["ann", "bea", "dan", "sol"]
    assert sorted(visits) == ["company", "dressing", "pain", "review", "syringe"]


def test_a_day_in_parts_places_each_visit_with_its_own_discipline_and_loses_none() -> None:
    day = mixed_day()
    plan = solve(day, seconds=SECONDS)
    every_visit_once(day, plan)
    assert plan.feasible
    assert plan.assignments["syringe"][0] == "bea"
    assert plan.assignments["dressing"][0] in {"ann", "bea"}
    assert plan.assignments["review"][0] == plan.assignments["pain"][0] == "dan"
    assert dict((u.visit, u.reason) for u in plan.unplaced) == {"benefits": Reason.OUTSIDE_SHIFTS}
    # The physician's part on its own: from km 20 to 22, 25 and back.
    dan = next(route for route in plan.routes if route.staff == "dan")
    assert dan.travel == 2 + 3 + 5


def test_one_discipline_too_full_does_not_cost_another_its_visits() -> None:
    """Nurses get nearly three hours of work in a 90-minute shift; the physician's day
    is unaffected and the nurses' higher-priority visit still goes first."""
    day = Problem(
        staff=(
            nurse("ann", shift=Window(8 * H, 9 * H + 30)),
            nurse("dan", "dbase", discipline="physician"),
        ),
        visits=(
            visit("wash", "p1", duration=60, discipline="nurse"),
            visit("urgent", "p2", duration=40, priority=1, discipline="nurse"),
            visit("routine", "p3", duration=60, discipline="nurse"),
            visit("review", "p4", discipline="physician"),
            visit("pain", "p5", discipline="physician"),
        ),
        travel=TRAVEL,
    )
    plan = solve(day, seconds=SECONDS)
    every_visit_once(day, plan)
    assert plan.feasible
    assert {"urgent", "review", "pain"} <= set(plan.assignments)
    assert sorted(u.visit for u in plan.unplaced) == ["routine", "wash"]
    assert {u.reason for u in plan.unplaced} == {Reason.DAY_FULL}


def several_disciplines(seed: int) -> Problem:
    rng = random.Random(seed)
    positions = {"base": 0, "dbase": 15} | {f"p{i}": rng.randint(-30, 30) for i in range(24)}
    disciplines = ["nurse", "nurse", "physician", "psychologist"]
    return Problem(
        staff=(
            nurse("ann", max_visits=8),
            nurse("bea", skills={"syringe_driver"}),
            nurse("dan", "dbase", discipline="physician"),
            nurse("pia", "dbase", discipline="psychologist"),
        ),
        visits=tuple(
            visit(
                f"v{i}",
                f"p{i}",
                duration=rng.choice([20, 30, 45]),
                windows=((8 * H + rng.randint(0, 4) * H, 16 * H),),
                discipline=disciplines[i % 4],
                preferred_staff=rng.choice(["ann", "bea", None]),
            )
            for i in range(24)
        ),
        travel=road(positions),
        weights=Weights(per_travel_time=1, not_preferred_staff=15),
    )


def test_a_day_in_parts_is_repeatable_for_a_seed() -> None:
    first = solve(several_disciplines(5), seconds=10, seed=3, iterations=300)
    second = solve(several_disciplines(5), seconds=10, seed=3, iterations=300)
    assert len(parts_of(several_disciplines(5))) == 3
    assert first.routes == second.routes
    assert first.cost == second.cost
    every_visit_once(several_disciplines(5), first)


def test_a_day_costs_what_its_disciplines_cost_planned_alone() -> None:
    """Nothing ties one discipline's visits to another's, so the day's best
    plan is each discipline's best plan side by side."""
    day = several_disciplines(7)
    whole = solve(day, seconds=10, iterations=2_000)
    alone = 0
    for discipline in ("nurse", "physician", "psychologist"):
        part = Problem(
            tuple(s for s in day.staff if s.discipline == discipline),
            tuple(v for v in day.visits if v.discipline == discipline),
            day.travel,
            day.weights,
        )
        alone += solve(part, seconds=10, iterations=2_000).cost
    assert whole.cost == alone


def test_an_anchored_member_of_staff_in_a_part_of_their_own_still_gets_home() -> None:
    """A re-plan: the physician is out at km 25 with nothing left to do; the
    nurses' part takes a new visit. The trip home still counts."""
    from hearth.routing.problem import Route, Stop

    day = Problem(
        staff=(nurse("ann"), nurse("dan", "dbase", discipline="physician")),
        visits=(
            visit("pain", "p5", discipline="physician"),
            visit("dressing", "p1", discipline="nurse"),
            visit("new", "p2"),
        ),
        travel=TRAVEL,
    )
    current = Plan(
        routes=(
            Route("ann", (Stop("dressing", 600, 600, 630, 2, 2000),), 598, 632, 4, 4000),
            Route("dan", (Stop("pain", 485, 485, 515, 5, 5000),), 480, 520, 10, 10000),
        ),
        unplaced=(),
        cost=14,
        feasible=True,
    )
    plan = solver.replan(day, current, now=560, done={"pain"}, seconds=SECONDS)
    dan = next(route for route in plan.routes if route.staff == "dan")
    assert [s.visit for s in dan.stops] == ["pain"]
    assert dan.travel == 5 + 5  # there, and back from km 25 to km 20
    assert plan.assignments["new"][0] == "ann"
    assert plan.assignments["dressing"][0] == "ann"


def test_each_profile_reaches_pyvrp_with_its_own_costs_and_barred_visits() -> None:
    """The matrices are handed over made on demand (``_MadeOnDemand``); what
    PyVRP holds must be what they make."""
    day = Problem(
        staff=(nurse("ann"), nurse("bea", skills={"syringe_driver"})),
        visits=(
            visit("syringe", "p2", skills=frozenset({"syringe_driver"})),
            visit("dressing", "p1", preferred_staff="bea"),
        ),
        travel=TRAVEL,
        weights=Weights(per_travel_time=1, not_preferred_staff=15),
    )
    vehicles = [solver._Vehicle.of(member) for member in day.staff]
    travel = solver._Travel(
        [p for m in day.staff for p in (m.start, m.end)] + [v.place for v in day.visits],
        day.travel,
    )
    modelled, _ = solver._precheck(day.visits, vehicles, travel)
    model = solver._build(day.weights, vehicles, modelled, travel, hard=True)
    ann_profile = model.data.vehicle_type(model.vehicle_type_of[0]).profile
    bea_profile = model.data.vehicle_type(model.vehicle_type_of[1]).profile
    assert ann_profile != bea_profile
    depot = 0
    syringe, dressing = (1 + model.clients_of[key][0] for key in ("syringe", "dressing"))
    ann_cost = np.asarray(model.data.distance_matrix(ann_profile))
    bea_cost = np.asarray(model.data.distance_matrix(bea_profile))
    ann_time = np.asarray(model.data.duration_matrix(ann_profile))
    assert bea_cost[depot, dressing] == 2  # her own patient: the drive only
    assert ann_cost[depot, dressing] == 2 + 15  # someone else's: plus continuity
    assert bea_cost[depot, syringe] == 5
    # Ann lacks the skill: unreachable, whichever way, at a cost no prize beats.
    barred = {ann_cost[depot, syringe], ann_cost[syringe, depot], ann_cost[dressing, syringe]}
    assert len(barred) == 1 and barred.pop() >= 100 * bea_cost.max()
    assert ann_time[depot, syringe] > 24 * H
    assert ann_time[depot, dressing] == 2
    assert ann_cost[dressing, dressing] == 0
