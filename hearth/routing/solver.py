"""The visit planner: a ``Problem`` in, a ``Plan`` out, PyVRP (0.14) inside.

How the day is put to PyVRP, and why:

- Each member of staff is a vehicle type (``num_available`` = ``Staff.count``)
  with their own start and end place and their shift as its time window. Load
  dimensions are the visits' ``demand`` (when any staff has a capacity) and a
  count of visits (when anyone has ``max_visits``); a dimension that cannot
  bind is left out, because every dimension slows the search.
- Every visit, and every window of a visit, gets its own PyVRP location (a copy
  of the place; copies of one ``Place.key`` are zero travel apart). Visits with
  several windows (before and after a prayer time) are alternative clients in
  a mutually exclusive client group, so exactly one window is used.
- Who may go where: PyVRP 0.14 has no per-vehicle allowed-clients list, so
  each vehicle type gets a routing profile whose matrices make the visits that
  staff member may not do unreachable (a duration far beyond any day, and an
  arc cost far above any prize), which the search treats as never worth it
  and which can never be part of a feasible answer. Staff share a profile when
  they may do the same visits at the same soft costs, so a day without
  preferences has one profile per (discipline, skills), and a day with
  continuity or language preferences usually one per member of staff. PyVRP
  keeps two full matrices per profile, so the matrices are handed over made on
  demand (``_MadeOnDemand``) rather than held here as well.
- The day is solved in independent parts: the connected groups of "this member
  of staff may do this visit", in practice one per discipline. Nothing else
  ties visits together, so the best plan of the day is the best plan of each
  part side by side; each part's model holds only its own staff's profiles
  over its own visits (a 67-staff, 554-visit day: 724 → 316 MB at its peak,
  with the matrices made on demand), and a part too full for its required
  visits does not send the others to the optional model. Parts are solved
  smallest first, each stopping once its search settles, so the biggest gets
  the time they did not need.
- The objective is put into PyVRP's *distance* matrix as a per-arc cost:
  ``per_travel_time`` × travel time + ``per_distance`` × distance + the soft
  preference costs of the visit the arc leads into (someone other than the
  preferred carer, no shared language, in a re-plan someone other than who has
  it now). Vehicles get ``unit_distance_cost=1`` and ``unit_duration_cost=0``:
  PyVRP's duration cost would also charge waiting and the visits themselves,
  which ``Weights.per_travel_time`` does not mean. The duration matrices stay
  real travel times, for the time windows.
- Required visits, two ways. First as meant: required PyVRP clients (or
  required client groups), PyVRP's home ground (about a third faster per
  iteration than the alternative, and as good as PyVRP alone on the Solomon
  benchmark). If no feasible plan turns up within ``PROBE_SHARE`` of the time,
  the day cannot hold them all, and the rest of the time goes to a model where
  every visit is *optional*: a required visit's prize is bigger than any day's
  whole travel and preference cost (times 2 + 2 × ``priority``, plus one more
  for a visit the current plan of a re-plan holds), so the search places as
  many as it can, bumping lower priorities first, and the plan stays feasible
  with the rest reported ``DAY_FULL`` instead of one infeasible plan that helps
  nobody. Optional visits carry their own ``prize`` in both models.
- A re-plan resumes each member of staff from where they will be free. Someone
  already out must still get home, which PyVRP does not charge a vehicle it
  leaves unused; a zero-length "anchor" stop at where they are, which only
  they may make, keeps their vehicle in use so the trip home always counts.
  ``Weights.changed_order`` is an arc cost on every arc into a visit that is
  not in the current plan, so reshuffling people's days has to pay for itself.
- Visits that cannot possibly be placed (nobody qualified, no shift overlapping
  a window, unreachable in time from any shift's start or back to its end, or
  too big for anyone's capacity) are found before the solve, left out of the
  model, and reported with that reason.

Times are whatever integer unit the problem uses; the travel provider must
answer in that unit. ``solve`` is deterministic for a seed when the search is
stopped by ``iterations``; a time limit alone stops it wherever the machine's
speed has got it to.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, cast

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

from hearth.routing.problem import (
    Place,
    Plan,
    Problem,
    Reason,
    Route,
    Staff,
    Stop,
    TravelTimes,
    Unplaced,
    Visit,
    Weights,
    Window,
)

#: Default for ``replan(moved_threshold=...)``: 15 minutes when the problem counts seconds.
DEFAULT_MOVED_THRESHOLD = 15 * 60

_MAX_VALUE = 1 << 40  # below pyvrp.constants.MAX_VALUE (1 << 44), with room for sums
_INFEASIBLE = np.iinfo(np.int64).max  # what PyVRP's cost() says of an infeasible solution
#: Share of the time (or iterations) given to find a plan with every required
#: visit in before planning the day as one that does not fit.
PROBE_SHARE = 0.2
#: A part of the day solved before the biggest (see ``_plan``) stops after
#: this many iterations in a row without a better plan, leaving its time to
#: the parts after it.
SETTLED_AFTER_ITERATIONS = 2_000


# --- Who may do what -------------------------------------------------------------


def is_qualified(visit: Visit, staff: Staff) -> bool:
    """Hard rule: the right discipline (when the visit names one) and every skill."""
    if visit.discipline is not None and visit.discipline != staff.discipline:
        return False
    return visit.skills <= staff.skills


def nobody_qualified_reason(visit: Visit, staff: Sequence[Staff]) -> Reason:
    """Why nobody in ``staff`` may do ``visit``, the most basic cause first: a
    day with no shifts is not a day without the skills."""
    if not staff:
        return Reason.NO_STAFF_ON_SHIFT
    if visit.discipline is not None and all(s.discipline != visit.discipline for s in staff):
        return Reason.NO_STAFF_OF_DISCIPLINE
    return Reason.NO_STAFF_WITH_SKILLS


def preference_cost(visit: Visit, staff: Staff, weights: Weights) -> int:
    """The soft cost of ``staff`` doing ``visit``, in cost units."""
    cost = 0
    if visit.preferred_staff is not None and visit.preferred_staff != staff.key:
        cost += weights.not_preferred_staff
    if visit.languages and not (visit.languages & staff.languages):
        cost += weights.no_shared_language
    if visit.current_staff is not None and visit.current_staff != staff.key:
        cost += weights.moved_from_current_staff
    return cost


# --- Internal model ----------------------------------------------------------------


@dataclass(frozen=True)
class _Vehicle:
    """What the solver sees of a member of staff: in a re-plan the day resumes
    from where they are, when they are free, with what is left of their limits."""

    staff: Staff
    start: Place
    end: Place
    earliest: int  # may leave ``start`` from then on
    latest: int  # must be back at ``end`` by then
    max_visits: int | None
    capacity: int | None
    count: int
    #: Already out (a re-plan): must get back to ``end`` from ``start`` even
    #: with nothing more to do, which PyVRP would not charge for an unused vehicle.
    anchored: bool = False

    @classmethod
    def of(cls, staff: Staff) -> _Vehicle:
        return cls(
            staff=staff,
            start=staff.start,
            end=staff.end,
            earliest=staff.shift.start,
            latest=staff.shift.end,
            max_visits=staff.max_visits,
            capacity=staff.capacity,
            count=staff.count,
        )

    @property
    def works(self) -> bool:
        return self.earliest <= self.latest and self.count > 0

    def can_carry(self, visit: Visit) -> bool:
        if self.max_visits is not None and self.max_visits < 1:
            return False
        return self.capacity is None or visit.demand <= self.capacity


class _Travel:
    """Travel between place keys, asked of the provider once per solve."""

    def __init__(self, places: Iterable[Place], provider: TravelTimes) -> None:
        distinct: dict[str, Place] = {}
        for place in places:
            distinct.setdefault(place.key, place)
        self.index = {key: i for i, key in enumerate(distinct)}
        size = len(distinct)
        if size == 0:
            self.durations = np.zeros((0, 0), dtype=np.int64)
            self.distances = np.zeros((0, 0), dtype=np.int64)
            return
        durations, distances = provider.matrix(list(distinct.values()))
        self.durations = np.asarray(durations, dtype=np.int64).reshape(size, size)
        self.distances = np.asarray(distances, dtype=np.int64).reshape(size, size)
        if (self.durations < 0).any() or (self.distances < 0).any():
            raise ValueError("travel provider answered a negative time or distance")
        np.fill_diagonal(self.durations, 0)
        np.fill_diagonal(self.distances, 0)

    def time(self, a: Place, b: Place) -> int:
        return int(self.durations[self.index[a.key], self.index[b.key]])

    def distance(self, a: Place, b: Place) -> int:
        return int(self.distances[self.index[a.key], self.index[b.key]])


class _MadeOnDemand:
    """A routing profile's matrix, made when PyVRP reads it.

    PyVRP copies every profile's two matrices into its own model (C++, int64),
    converting each through numpy's array protocol as it goes. Handing it
    this instead of the array means each matrix exists on our side only while
    it is being copied, not all of them at once next to PyVRP's copies: a
    third of the model's memory on a day with a profile per member of staff.
    """

    def __init__(self, make: Callable[[], np.ndarray]) -> None:
        self._make = make

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        matrix = self._make()
        return matrix if dtype is None else matrix.astype(dtype, copy=False)


@dataclass
class _Modelled:
    visit: Visit
    windows: list[Window]
    qualified: list[int]  # vehicle indices allowed to go
    anchor: bool = False  # not a visit: keeps a vehicle that is already out in use


@dataclass
class _Model:
    data: pyvrp.ProblemData
    vehicles: list[_Vehicle]
    vehicle_type_of: list[int]  # vehicle index -> PyVRP vehicle type (-1: not modelled)
    type_vehicle: list[int]  # PyVRP vehicle type -> vehicle index
    modelled: list[_Modelled]
    client_visit: list[int]  # client index -> index into modelled
    client_window: list[Window]
    clients_of: dict[str, list[int]]  # visit key -> client indices


@dataclass
class _RouteOut:
    vehicle: int
    stops: list[Stop]
    leaves_at: int
    returns_at: int
    travel: int
    distance: int


@dataclass
class _Outcome:
    routes: list[_RouteOut]
    unplaced: dict[str, Reason]
    feasible: bool


def _precheck(
    visits: Sequence[Visit], vehicles: Sequence[_Vehicle], travel: _Travel
) -> tuple[list[_Modelled], dict[str, Reason]]:
    """Sort out, before the solve, the visits nobody could ever do, with why."""
    modelled: list[_Modelled] = []
    reasons: dict[str, Reason] = {}
    for visit in visits:
        qualified = [i for i, v in enumerate(vehicles) if is_qualified(visit, v.staff)]
        if not qualified:
            reasons[visit.key] = nobody_qualified_reason(visit, [v.staff for v in vehicles])
            continue
        overlaps = False
        reachable: list[int] = []
        windows: list[Window] = []
        for window in visit.windows:
            window_used = False
            for i in qualified:
                vehicle = vehicles[i]
                if not vehicle.works:
                    continue
                latest_start = min(window.end, vehicle.latest - visit.duration)
                if max(window.start, vehicle.earliest) > latest_start:
                    continue
                overlaps = True
                there = travel.time(vehicle.start, visit.place)
                back = travel.time(visit.place, vehicle.end)
                first = max(window.start, vehicle.earliest + there)
                last = min(window.end, vehicle.latest - visit.duration - back)
                if first <= last:
                    window_used = True
                    if i not in reachable:
                        reachable.append(i)
            if window_used:
                windows.append(window)
        if not overlaps:
            reasons[visit.key] = Reason.OUTSIDE_SHIFTS
        elif not reachable:
            reasons[visit.key] = Reason.CANNOT_REACH_IN_TIME
        elif not any(vehicles[i].can_carry(visit) for i in reachable):
            reasons[visit.key] = Reason.DAY_FULL
        else:
            modelled.append(_Modelled(visit, windows, qualified))
    return modelled, reasons


def _build(
    weights: Weights,
    vehicles: Sequence[_Vehicle],
    modelled: Sequence[_Modelled],
    travel: _Travel,
    *,
    hard: bool,
    placed_before: Collection[str] = (),
    sequences: Mapping[int, Sequence[str]] | None = None,
) -> _Model:
    """The PyVRP data. ``hard``: required visits are required clients (or
    required groups); otherwise they are optional with a dominating prize,
    larger for higher ``priority`` and, among equals, for visits a re-plan's
    current plan holds (``placed_before``). ``sequences``: in a re-plan, each
    vehicle's visits in their current order, for ``Weights.changed_order``."""
    # Locations: one per distinct depot place (depots first), then one per
    # (visit, window) copy.
    depot_of_key: dict[str, int] = {}
    depot_places: list[Place] = []
    active = [i for i, v in enumerate(vehicles) if v.works]
    for i in active:
        for place in (vehicles[i].start, vehicles[i].end):
            if place.key not in depot_of_key:
                depot_of_key[place.key] = len(depot_places)
                depot_places.append(place)
    client_visit: list[int] = []
    client_window: list[Window] = []
    clients_of: dict[str, list[int]] = {}
    for m, item in enumerate(modelled):
        clients_of[item.visit.key] = []
        for window in item.windows:
            clients_of[item.visit.key].append(len(client_visit))
            client_visit.append(m)
            client_window.append(window)

    n_depots = len(depot_places)
    n_clients = len(client_visit)
    loc_places = depot_places + [modelled[m].visit.place for m in client_visit]
    loc_key = np.array([travel.index[p.key] for p in loc_places], dtype=np.int64)
    base_duration = travel.durations[np.ix_(loc_key, loc_key)]
    base_cost = (
        weights.per_travel_time * base_duration
        + weights.per_distance * travel.distances[np.ix_(loc_key, loc_key)]
    )

    # Per vehicle: who may do which visit, at what soft cost.
    qualified = np.zeros((len(vehicles), len(modelled)), dtype=bool)
    soft = np.zeros((len(vehicles), len(modelled)), dtype=np.int64)
    for m, item in enumerate(modelled):
        for i in item.qualified:
            qualified[i, m] = True
        for i in active:
            soft[i, m] = preference_cost(item.visit, vehicles[i].staff, weights)

    # A required visit's prize must beat any day's cost without it: every arc
    # of any solution costs at most ``max_arc``, and a solution has at most
    # clients + vehicles arcs.
    optional_prizes = sum(max(0, item.visit.prize) for item in modelled if not item.visit.required)
    order_cost = weights.changed_order if sequences is not None else 0
    max_arc = int(base_cost.max(initial=0)) + int(soft.max(initial=0)) + max(0, order_cost)
    total_vehicles = sum(vehicles[i].count for i in active)
    big_prize = (n_clients + total_vehicles + 1) * (max_arc + 1) + optional_prizes + 1
    unreachable_cost = min(_MAX_VALUE, 100 * big_prize)
    horizon = max(
        [abs(v.latest) for v in vehicles]
        + [abs(w.end) for w in client_window]
        + [int(base_duration.max(initial=0))]
    )
    unreachable_time = min(_MAX_VALUE, 10 * horizon + 10**7)
    top_priority = max((max(0, item.visit.priority) for item in modelled), default=0)
    if big_prize * (3 + 2 * top_priority) >= _MAX_VALUE // 1000:
        raise ValueError("costs too large for the solver; scale the weights or units down")

    # Arcs of the current plan, per vehicle, which escape ``changed_order``:
    # from where the day resumes (the start depot, or its anchor) to the
    # first visit still to do, and from each visit to the next.
    kept_arcs: dict[int, list[tuple[int, int]]] = {}
    visit_cols = np.array(
        [n_depots + c for c in range(n_clients) if not modelled[client_visit[c]].anchor],
        dtype=np.int64,
    )
    if order_cost and sequences is not None:
        for i in active:
            previous = [depot_of_key[vehicles[i].start.key]] + [
                n_depots + c
                for c in range(n_clients)
                if modelled[client_visit[c]].anchor and modelled[client_visit[c]].qualified == [i]
            ]
            arcs: list[tuple[int, int]] = []
            for key in sequences.get(i, ()):
                columns = [n_depots + c for c in clients_of.get(key, [])]
                if columns:
                    arcs += [(a, b) for a in previous for b in columns]
                    previous = columns
            kept_arcs[i] = arcs

    client_cols = np.arange(n_depots, n_depots + n_clients)
    client_visit_arr = np.array(client_visit, dtype=np.int64)

    def barred_of(i: int) -> np.ndarray:
        return client_cols[~qualified[i][client_visit_arr]]

    def cost_matrix(i: int) -> np.ndarray:
        cost = base_cost.copy()
        if n_clients:
            barred = barred_of(i)
            cost[:, client_cols] += soft[i][client_visit_arr][None, :]
            if order_cost and len(visit_cols):
                cost[:, visit_cols] += order_cost
                for a, b in kept_arcs.get(i, ()):
                    cost[a, b] -= order_cost
            cost[barred, :] = unreachable_cost
            cost[:, barred] = unreachable_cost
        np.fill_diagonal(cost, 0)
        return cost

    def duration_matrix(i: int) -> np.ndarray:
        duration = base_duration.copy()
        if n_clients:
            barred = barred_of(i)
            duration[barred, :] = unreachable_time
            duration[:, barred] = unreachable_time
        np.fill_diagonal(duration, 0)
        return duration

    # One profile per group of staff who may do the same visits at the same
    # soft costs. Its matrices are made only as PyVRP copies them in (see
    # ``_MadeOnDemand``), so at most one of them exists here at a time.
    profiles: dict[tuple[bytes, bytes, tuple[tuple[int, int], ...]], int] = {}
    costs: list[_MadeOnDemand] = []
    durations: list[_MadeOnDemand] = []
    profile_of: dict[int, int] = {}
    for i in active:
        signature = (qualified[i].tobytes(), soft[i].tobytes(), tuple(kept_arcs.get(i, ())))
        if signature not in profiles:
            profiles[signature] = len(costs)
            costs.append(_MadeOnDemand(partial(cost_matrix, i)))
            durations.append(_MadeOnDemand(partial(duration_matrix, i)))
        profile_of[i] = profiles[signature]
    if not costs:  # nobody works: PyVRP still wants one profile
        costs.append(_MadeOnDemand(base_cost.copy))
        durations.append(_MadeOnDemand(base_duration.copy))

    use_load = any(vehicles[i].capacity is not None for i in active) and any(
        item.visit.demand for item in modelled
    )
    use_count = any(vehicles[i].max_visits is not None for i in active)

    def loads(item: _Modelled) -> list[int]:
        if item.anchor:
            return [0] * (int(use_load) + int(use_count))
        return ([item.visit.demand] if use_load else []) + ([1] if use_count else [])

    groups: list[pyvrp.ClientGroup] = []
    clients: list[pyvrp.Client] = []
    for item in modelled:
        group = None
        if len(item.windows) > 1:
            group = len(groups)
            groups.append(
                pyvrp.ClientGroup(
                    clients_of[item.visit.key],
                    required=hard and item.visit.required,
                    name=item.visit.key,
                )
            )
        strict = hard and item.visit.required
        if strict:
            prize = 0
        elif item.visit.required:
            # One of a higher priority outweighs any one of a lower; the
            # current plan's visit outweighs a new one of the same priority.
            prize = big_prize * (2 + 2 * max(0, item.visit.priority))
            if item.visit.key in placed_before:
                prize += big_prize
        else:
            prize = max(0, item.visit.prize)
        for c in clients_of[item.visit.key]:
            window = client_window[c]
            clients.append(
                pyvrp.Client(
                    location=n_depots + c,
                    delivery=loads(item),
                    service_duration=item.visit.duration,
                    tw_early=window.start,
                    tw_late=window.end,
                    prize=prize,
                    required=strict and group is None,
                    group=group,
                    name=item.visit.key,
                )
            )

    total_demand = sum(item.visit.demand for item in modelled)
    vehicle_types: list[pyvrp.VehicleType] = []
    vehicle_type_of = [-1] * len(vehicles)
    type_vehicle: list[int] = []
    for i in active:
        v = vehicles[i]
        capacity: list[int] = []
        if use_load:
            capacity.append(v.capacity if v.capacity is not None else total_demand + 1)
        if use_count:
            capacity.append(v.max_visits if v.max_visits is not None else n_clients + 1)
        vehicle_type_of[i] = len(vehicle_types)
        type_vehicle.append(i)
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=v.count,
                capacity=capacity,
                start_depot=depot_of_key[v.start.key],
                end_depot=depot_of_key[v.end.key],
                tw_early=v.earliest,
                tw_late=v.latest,
                unit_distance_cost=1,
                unit_duration_cost=0,
                profile=profile_of[i],
                name=v.staff.key,
            )
        )

    locations = [pyvrp.Location(x=p.longitude, y=p.latitude, name=p.key) for p in loc_places]
    depots = [pyvrp.Depot(location=d, name=p.key) for d, p in enumerate(depot_places)]
    data = pyvrp.ProblemData(
        locations,
        clients,
        depots,
        vehicle_types,
        cast(list[Any], costs),  # PyVRP's stubs type matrices as ndarray[int]
        cast(list[Any], durations),
        groups,
    )
    return _Model(
        data=data,
        vehicles=list(vehicles),
        vehicle_type_of=vehicle_type_of,
        type_vehicle=type_vehicle,
        modelled=list(modelled),
        client_visit=client_visit,
        client_window=client_window,
        clients_of=clients_of,
    )


def _initial_solution(
    model: _Model, routes: Iterable[tuple[int, Sequence[tuple[str, int]]]]
) -> pyvrp.Solution | None:
    """A warm start from an earlier plan: each (vehicle, [(visit, start)]) becomes
    a route, using the window copy that holds the earlier start. Anything that
    no longer fits the model is dropped; an unusable start is no start."""
    pyvrp_routes: list[pyvrp.Route] = []
    used: dict[int, int] = {}
    taken: set[str] = set()
    for vehicle, stops in routes:
        vehicle_type = model.vehicle_type_of[vehicle]
        if vehicle_type < 0 or used.get(vehicle_type, 0) >= model.vehicles[vehicle].count:
            continue
        sequence: list[int] = []
        for key, start in stops:
            copies = model.clients_of.get(key)
            if not copies or key in taken:
                continue
            if vehicle not in model.modelled[model.client_visit[copies[0]]].qualified:
                continue
            chosen = next(
                (
                    c
                    for c in copies
                    if model.client_window[c].start <= start <= model.client_window[c].end
                ),
                copies[0],
            )
            sequence.append(chosen)
            taken.add(key)
        if sequence:
            used[vehicle_type] = used.get(vehicle_type, 0) + 1
            pyvrp_routes.append(pyvrp.Route(model.data, sequence, vehicle_type))
    if not pyvrp_routes:
        return None
    try:
        return pyvrp.Solution(model.data, pyvrp_routes)
    except (ValueError, IndexError, RuntimeError):
        return None


def _stop(seconds: float, iterations: int | None) -> StoppingCriterion:
    by_time = MaxRuntime(max(0.0, seconds))
    if iterations is None:
        return by_time
    return MultipleCriteria([by_time, MaxIterations(iterations)])


class _UnlessFeasibleSoon:
    """Stops at the time (or iteration) limit, or early – ``gave_up`` – when
    no feasible plan has turned up within the probe share of it: then the day
    does not fit with every required visit in, and the rest of the time goes
    to the model where required visits are merely very valuable."""

    def __init__(self, seconds: float, iterations: int | None) -> None:
        self.seconds = max(0.0, seconds)
        self.iterations = iterations
        self.gave_up = False
        self._started: float | None = None
        self._count = 0

    def __call__(self, best_cost: int) -> bool:
        if self._started is None:
            self._started = time.perf_counter()
        self._count += 1
        elapsed = time.perf_counter() - self._started
        if elapsed > self.seconds:
            return True
        if self.iterations is not None and self._count > self.iterations:
            return True
        if best_cost < _INFEASIBLE:
            return False
        probe_over = elapsed > PROBE_SHARE * self.seconds or (
            self.iterations is not None and self._count > PROBE_SHARE * self.iterations
        )
        if probe_over:
            self.gave_up = True
        return probe_over


class _OrSettled:
    """Stops when ``inner`` does, or after ``settle`` iterations in a row
    without a better plan (never, when ``settle`` is None). Counts by
    iterations, so a seeded search stays repeatable."""

    def __init__(self, inner: StoppingCriterion, settle: int | None) -> None:
        self.inner = inner
        self.settle = settle
        self._best: int | None = None
        self._unchanged = 0

    def __call__(self, best_cost: int) -> bool:
        done = bool(self.inner(best_cost))
        if self.settle is None:
            return done
        if self._best is None or best_cost < self._best:
            self._best = best_cost
            self._unchanged = 0
        else:
            self._unchanged += 1
        return done or self._unchanged >= self.settle


def _insertion_fits(model: _Model, solution: pyvrp.Solution, visit_key: str) -> bool:
    """Could this visit go anywhere in the final plan without breaking a hard
    rule? Tells a left-out optional visit that was not worth it from one that
    had no room."""
    routes_by_type: dict[int, list[list[int]]] = {}
    for route in solution.routes():
        routes_by_type.setdefault(route.vehicle_type(), []).append(
            [activity.idx for activity in route.schedule() if activity.is_client()]
        )
    copies = model.clients_of[visit_key]
    qualified = model.modelled[model.client_visit[copies[0]]].qualified
    for vehicle in qualified:
        vehicle_type = model.vehicle_type_of[vehicle]
        if vehicle_type < 0:
            continue
        sequences = list(routes_by_type.get(vehicle_type, []))
        if len(sequences) < model.vehicles[vehicle].count:
            sequences.append([])
        for sequence in sequences:
            for client in copies:
                for position in range(len(sequence) + 1):
                    trial = [*sequence[:position], client, *sequence[position:]]
                    if pyvrp.Route(model.data, trial, vehicle_type).is_feasible():
                        return True
    return False


def _plan(
    weights: Weights,
    vehicles: Sequence[_Vehicle],
    visits: Sequence[Visit],
    travel: _Travel,
    *,
    seconds: float,
    seed: int,
    iterations: int | None,
    warm_start: Iterable[tuple[int, Sequence[tuple[str, int]]]] = (),
    placed_before: Collection[str] = (),
    sequences: Mapping[int, Sequence[str]] | None = None,
) -> _Outcome:
    started = time.perf_counter()
    modelled, reasons = _precheck(visits, vehicles, travel)
    if not modelled or not any(v.works for v in vehicles):
        for item in modelled:
            reasons[item.visit.key] = Reason.DAY_FULL
        return _Outcome(routes=[], unplaced=reasons, feasible=True)

    # A member of staff who is already out must still get home; PyVRP would
    # not count that trip for a vehicle it leaves unused, and so would shy
    # away from giving them more work. A zero-length stop at where they are,
    # which only they can make, keeps their vehicle in use.
    anchors: dict[int, str] = {}
    for i, vehicle in enumerate(vehicles):
        if vehicle.anchored and vehicle.works and vehicle.start.key != vehicle.end.key:
            key = f"\x00anchor:{i}"
            anchors[i] = key
            window = Window(vehicle.earliest, vehicle.latest)
            modelled.append(
                _Modelled(
                    Visit(key=key, place=vehicle.start, duration=0, windows=(window,)),
                    [window],
                    [i],
                    anchor=True,
                )
            )
    warm = [
        (vehicle, [(anchors[vehicle], vehicles[vehicle].earliest), *stops])
        if vehicle in anchors
        else (vehicle, stops)
        for vehicle, stops in warm_start
    ]
    warm += [
        (i, [(key, vehicles[i].earliest)])
        for i, key in anchors.items()
        if all(vehicle != i for vehicle, _ in warm)
    ]
    # Solve each independent part of the day on its own (see ``_independent_parts``),
    # the biggest part's model being the only one in memory at a time. Each
    # gets a share of the time left in proportion to its size. Smaller parts
    # go first and stop once their search has settled, so the time they do
    # not need goes to the biggest, which is solved last.
    parts = _independent_parts(vehicles, modelled)
    sizes = [sum(len(modelled[m].windows) for m in part_visits) for _, part_visits in parts]
    order = sorted(range(len(parts)), key=lambda n: sizes[n])
    parts = [parts[n] for n in order]
    sizes = [sizes[n] for n in order]
    deadline = started + seconds
    routes: list[_RouteOut] = []
    feasible = True
    for n, (part_vehicles, part_visits) in enumerate(parts):
        share = max(0.0, deadline - time.perf_counter()) * sizes[n] / sum(sizes[n:])
        local = {vehicle: k for k, vehicle in enumerate(part_vehicles)}
        outcome = _plan_part(
            weights,
            [vehicles[i] for i in part_vehicles],
            [
                replace(
                    modelled[m],
                    qualified=[local[i] for i in modelled[m].qualified if i in local],
                )
                for m in part_visits
            ],
            travel,
            seconds=share,
            seed=seed,
            iterations=iterations,
            warm_start=[(local[i], stops) for i, stops in warm if i in local],
            placed_before=placed_before,
            sequences=None
            if sequences is None
            else {local[i]: keys for i, keys in sequences.items() if i in local},
            settle=None if n == len(parts) - 1 else SETTLED_AFTER_ITERATIONS,
        )
        routes += [replace(route, vehicle=part_vehicles[route.vehicle]) for route in outcome.routes]
        reasons.update(outcome.unplaced)
        feasible = feasible and outcome.feasible
    # Every visit comes out placed or with a reason; one no part took (the
    # pre-check should make that impossible) is not dropped without a word.
    placed = {stop.visit for route in routes for stop in route.stops}
    for visit in visits:
        if visit.key not in placed and visit.key not in reasons:
            reasons[visit.key] = Reason.DAY_FULL
    return _Outcome(routes=routes, unplaced=reasons, feasible=feasible)


def _independent_parts(
    vehicles: Sequence[_Vehicle], modelled: Sequence[_Modelled]
) -> list[tuple[list[int], list[int]]]:
    """The day split into parts no route can cross: (vehicle indices, modelled
    indices), the connected pieces of "this member of staff may do this
    visit". Nothing ties visits together but the staff who may do them (each
    visit's window copies are one item; an anchor belongs to one vehicle), so
    the best plan of the day is the best plan of each part, put side by side.

    Why split: PyVRP 0.14 keeps two full matrices (every location to every
    location) per routing profile, and continuity or language preferences
    give each member of staff their own profile. A 67-staff day of 554 visits
    as one model needed about 480 MB for those alone; split by discipline,
    each part holds only its own staff's profiles over its own visits. A part
    too full for its required visits also no longer sends the other parts to
    the slower optional model. A visit any discipline may do joins the parts
    of everyone qualified, so a day of such visits stays one model."""
    parent = list(range(len(vehicles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    doers: list[list[int]] = []
    for item in modelled:
        working = [i for i in item.qualified if vehicles[i].works]
        doers.append(working)
        for other in working[1:]:
            parent[root(other)] = root(working[0])
    part_of_root: dict[int, int] = {}
    parts: list[tuple[list[int], list[int]]] = []
    for m, working in enumerate(doers):
        if not working:  # the pre-check leaves out visits nobody working may do
            continue
        top = root(working[0])
        if top not in part_of_root:
            part_of_root[top] = len(parts)
            parts.append(([], []))
        parts[part_of_root[top]][1].append(m)
    for i, vehicle in enumerate(vehicles):
        if vehicle.works and root(i) in part_of_root:
            parts[part_of_root[root(i)]][0].append(i)
    return parts


def _plan_part(
    weights: Weights,
    vehicles: Sequence[_Vehicle],
    modelled: list[_Modelled],
    travel: _Travel,
    *,
    seconds: float,
    seed: int,
    iterations: int | None,
    warm_start: Iterable[tuple[int, Sequence[tuple[str, int]]]],
    placed_before: Collection[str],
    sequences: Mapping[int, Sequence[str]] | None,
    settle: int | None,
) -> _Outcome:
    """One independent part of the day: every vehicle works and every visit
    (anchors included) has someone here who may do it. ``settle``: also stop
    each search after that many iterations without a better plan."""
    started = time.perf_counter()
    warm = list(warm_start)
    reasons: dict[str, Reason] = {}
    model: _Model | None = None
    solution: pyvrp.Solution | None = None
    if any(item.visit.required for item in modelled):
        # First as the caller means it: required visits required. That is
        # PyVRP's home ground (faster per iteration, no prize trade-offs to
        # explore); a day that cannot hold them all shows up as no feasible
        # plan within the probe share of the time.
        strict = _build(weights, vehicles, modelled, travel, hard=True, sequences=sequences)
        probe = _OrSettled(
            _UnlessFeasibleSoon(seconds - (time.perf_counter() - started), iterations), settle
        )
        with warnings.catch_warnings():
            # Expected when the day is too full: that is what the probe finds out.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = pyvrp.solve(
                strict.data,
                probe,
                seed=seed,
                collect_stats=False,
                display=False,
                initial_solution=_initial_solution(strict, warm),
            )
        if result.best.is_feasible():
            model, solution = strict, result.best
        else:
            # The day is too full for every required visit: let the strict
            # model's matrices go before the optional model's are built (each
            # holds a pair of matrices per profile; both at once doubled the
            # peak memory of a 67-staff day).
            del strict, result, probe
    if model is None or solution is None:
        model = _build(
            weights,
            vehicles,
            modelled,
            travel,
            hard=False,
            placed_before=placed_before,
            sequences=sequences,
        )
        remaining = seconds - (time.perf_counter() - started)
        with warnings.catch_warnings():
            # Plans leaving visits out are feasible; a warm start that no
            # longer fits can still push the penalties to their bound early.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = pyvrp.solve(
                model.data,
                _OrSettled(_stop(remaining, iterations), settle),
                seed=seed,
                collect_stats=False,
                display=False,
                initial_solution=_initial_solution(model, warm),
            )
        solution = result.best

    routes: list[_RouteOut] = []
    placed: set[str] = set()
    for route in solution.routes():
        vehicle_index = model.type_vehicle[route.vehicle_type()]
        vehicle = vehicles[vehicle_index]
        stops: list[Stop] = []
        here = vehicle.start
        travelled = distance = 0
        for activity in route.schedule():
            if not activity.is_client():
                continue
            item = model.modelled[model.client_visit[activity.idx]]
            if item.anchor:
                continue
            visit = item.visit
            leg = travel.time(here, visit.place)
            leg_distance = travel.distance(here, visit.place)
            travelled += leg
            distance += leg_distance
            stops.append(
                Stop(
                    visit=visit.key,
                    arrival=int(activity.start_time) - int(activity.wait_duration),
                    start=int(activity.start_time),
                    end=int(activity.end_time),
                    travel_before=leg,
                    distance_before=leg_distance,
                )
            )
            placed.add(visit.key)
            here = visit.place
        travelled += travel.time(here, vehicle.end)
        distance += travel.distance(here, vehicle.end)
        routes.append(
            _RouteOut(
                vehicle=vehicle_index,
                stops=stops,
                leaves_at=int(route.start_time()),
                returns_at=int(route.end_time()),
                travel=travelled,
                distance=distance,
            )
        )

    for item in modelled:
        key = item.visit.key
        if key in placed or item.anchor:
            continue
        if item.visit.required or not _insertion_fits(model, solution, key):
            reasons[key] = Reason.DAY_FULL
        else:
            reasons[key] = Reason.NOT_WORTH_IT
    return _Outcome(routes=routes, unplaced=reasons, feasible=bool(solution.is_feasible()))


def plan_cost(problem: Problem, routes: Iterable[Route], unplaced: Iterable[Unplaced]) -> int:
    """The objective of a whole day, the way the solver weighs it: travel and
    preference costs of every route plus the prizes of optional visits left out.
    Used for merged re-plans and for comparing plans made any other way."""
    weights = problem.weights
    visits = {visit.key: visit for visit in problem.visits}
    staff = {member.key: member for member in problem.staff}
    total = 0
    for route in routes:
        member = staff[route.staff]
        total += weights.per_travel_time * route.travel + weights.per_distance * route.distance
        for stop in route.stops:
            if stop.visit in visits:
                total += preference_cost(visits[stop.visit], member, weights)
    for item in unplaced:
        visit = visits.get(item.visit)
        if visit is not None and not visit.required:
            total += max(0, visit.prize)
    return total


def _unplaced_in_order(
    visits: Sequence[Visit], reasons: Mapping[str, Reason]
) -> tuple[Unplaced, ...]:
    return tuple(Unplaced(v.key, reasons[v.key]) for v in visits if v.key in reasons)


def _routes_in_order(staff: Sequence[Staff], routes: Iterable[Route]) -> tuple[Route, ...]:
    order = {member.key: n for n, member in enumerate(staff)}
    return tuple(sorted(routes, key=lambda r: (order.get(r.staff, len(order)), r.leaves_at)))


def _check_keys(problem: Problem) -> None:
    for kind, keys in (
        ("staff", [member.key for member in problem.staff]),
        ("visit", [visit.key for visit in problem.visits]),
    ):
        if len(set(keys)) != len(keys):
            raise ValueError(f"{kind} keys must be unique")


# --- Public -------------------------------------------------------------------------


def solve(
    problem: Problem,
    *,
    seconds: float,
    seed: int = 0,
    initial: Plan | None = None,
    iterations: int | None = None,
) -> Plan:
    """Plan the day. ``seconds`` bounds the whole call (model building and
    search); ``iterations``, when given, also stops the search of each
    independent part of the day (see ``_independent_parts``) after that many
    iterations, which makes the answer repeatable for a seed on any machine.
    ``initial`` warm-starts the search from an earlier plan (its routes, minus
    whatever no longer fits)."""
    _check_keys(problem)
    started = time.perf_counter()
    vehicles = [_Vehicle.of(member) for member in problem.staff]
    travel = _Travel(
        [p for member in problem.staff for p in (member.start, member.end)]
        + [visit.place for visit in problem.visits],
        problem.travel,
    )
    warm: list[tuple[int, list[tuple[str, int]]]] = []
    if initial is not None:
        index = {member.key: i for i, member in enumerate(problem.staff)}
        for route in initial.routes:
            if route.staff in index:
                warm.append((index[route.staff], [(s.visit, s.start) for s in route.stops]))
    outcome = _plan(
        problem.weights,
        vehicles,
        problem.visits,
        travel,
        seconds=seconds - (time.perf_counter() - started),
        seed=seed,
        iterations=iterations,
        warm_start=warm,
    )
    routes = [
        Route(
            staff=vehicles[r.vehicle].staff.key,
            stops=tuple(r.stops),
            leaves_at=r.leaves_at,
            returns_at=r.returns_at,
            travel=r.travel,
            distance=r.distance,
        )
        for r in outcome.routes
    ]
    unplaced = _unplaced_in_order(problem.visits, outcome.unplaced)
    return Plan(
        routes=_routes_in_order(problem.staff, routes),
        unplaced=unplaced,
        cost=plan_cost(problem, routes, unplaced),
        feasible=outcome.feasible,
        seconds=time.perf_counter() - started,
    )


def replan(
    problem: Problem,
    current: Plan,
    *,
    now: int,
    started: Mapping[str, int] | Collection[str] = (),
    done: Collection[str] = (),
    seconds: float = 1.0,
    seed: int = 0,
    moved_threshold: int = DEFAULT_MOVED_THRESHOLD,
    iterations: int | None = None,
) -> Plan:
    """Re-plan the rest of the day at ``now`` (e.g. to fit an urgent visit).

    ``problem`` is the day as it now stands: every visit still wanted, the new
    ones included (give an urgent one ``priority=1`` if it may bump a routine
    visit when nothing else works), and the visits already done or under way
    (their places are where people's days resume). ``current`` is the plan
    being followed. Each visit of ``current`` is, in this order of precedence:

    - done (listed in ``done``): kept as it was, not planned again;
    - under way (listed in ``started`` – a mapping of visit key to the real
      start time, or a plain collection meaning "started as planned"): kept,
      ending ``duration`` after its start; its staff member's day continues
      from that visit's place when it ends;
    - otherwise what the plan says by ``now``: planned to end by ``now`` is done,
      planned to start by ``now`` is under way, and the visit someone has
      already set off for (planned departure by ``now``) is kept too – they go;
    - anything else may move: ``Weights.moved_from_current_staff`` pulls it
      towards whoever has it now, ``Weights.changed_order`` towards its place in
      their day, and the search starts from the current routes.

    A staff member with nothing kept resumes from their start place at ``now``
    (or their shift start, if later); limits (``max_visits``, capacity) count
    what they have kept. Visits listed in ``done`` that the current plan does
    not hold are taken as dealt with and left out. Every ``Staff.count`` must
    be 1. Returns the whole day's plan; ``moved`` lists visits of the current
    plan whose staff member changed, whose start moved by more than
    ``moved_threshold`` (problem time units; the default is 15 minutes in
    seconds), or that this plan no longer places.
    """
    _check_keys(problem)
    clock = time.perf_counter()
    for member in problem.staff:
        if member.count != 1:
            raise ValueError("replan plans named staff: every Staff.count must be 1")
    visits = {visit.key: visit for visit in problem.visits}
    staff_index = {member.key: i for i, member in enumerate(problem.staff)}
    started_at: Mapping[str, int] = started if isinstance(started, Mapping) else {}
    started_keys = set(started)
    done_keys = set(done)

    kept: dict[str, list[Stop]] = {member.key: [] for member in problem.staff}
    movable: dict[str, list[Stop]] = {member.key: [] for member in problem.staff}
    was: dict[str, tuple[str, Stop]] = {}
    for route in current.routes:
        if route.staff not in staff_index:
            raise ValueError(f"the current plan has staff {route.staff!r} the problem lacks")
        for stop in sorted(route.stops, key=lambda s: s.start):
            was[stop.visit] = (route.staff, stop)
            # What the caller says beats what the plan assumed.
            if stop.visit in done_keys or (stop.visit not in started_keys and stop.end <= now):
                kept[route.staff].append(stop)
            elif stop.visit in started_keys or stop.start <= now:
                if stop.visit not in visits:
                    raise ValueError(f"visit {stop.visit!r} is under way but not in the problem")
                if stop.visit in started_at:
                    begin = started_at[stop.visit]
                    stop = replace(
                        stop,
                        arrival=min(stop.arrival, begin),
                        start=begin,
                        end=begin + visits[stop.visit].duration,
                    )
                kept[route.staff].append(stop)
            elif stop.visit in visits:
                movable[route.staff].append(stop)
        # Someone who has set off for their next visit goes there.
        following = movable[route.staff]
        if following and following[0].arrival - following[0].travel_before <= now:
            kept[route.staff].append(following.pop(0))
    kept_keys = {stop.visit for stops in kept.values() for stop in stops}

    vehicles: list[_Vehicle] = []
    for member in problem.staff:
        stops = sorted(kept[member.key], key=lambda s: s.end)
        vehicle = _Vehicle.of(member)
        if stops:
            last = stops[-1]
            if last.visit not in visits:
                raise ValueError(
                    f"visit {last.visit!r} is {member.key}'s latest kept visit but not in the "
                    "problem: its place is where the day resumes"
                )
            carried = sum(visits[s.visit].demand for s in stops if s.visit in visits)
            vehicle = replace(
                vehicle,
                anchored=True,
                start=visits[last.visit].place,
                earliest=max(last.end, now, member.shift.start),
                max_visits=None if member.max_visits is None else member.max_visits - len(stops),
                capacity=None if member.capacity is None else member.capacity - carried,
            )
        else:
            vehicle = replace(vehicle, earliest=max(member.shift.start, now))
        vehicles.append(vehicle)

    to_plan: list[Visit] = []
    for visit in problem.visits:
        if visit.key in kept_keys or visit.key in done_keys:
            continue
        if visit.current_staff is None and visit.key in was:
            visit = replace(visit, current_staff=was[visit.key][0])
        to_plan.append(visit)

    travel = _Travel(
        [p for v in vehicles for p in (v.start, v.end)]
        + [p for m in problem.staff for p in (m.start, m.end)]
        + [visit.place for visit in problem.visits],
        problem.travel,
    )
    warm = [
        (staff_index[key], [(s.visit, s.start) for s in stops])
        for key, stops in movable.items()
        if stops
    ]
    outcome = _plan(
        problem.weights,
        vehicles,
        to_plan,
        travel,
        seconds=seconds - (time.perf_counter() - clock),
        seed=seed,
        iterations=iterations,
        warm_start=warm,
        placed_before={stop.visit for stops in movable.values() for stop in stops},
        sequences={
            staff_index[key]: [stop.visit for stop in stops] for key, stops in movable.items()
        },
    )

    new_routes = {vehicles[r.vehicle].staff.key: r for r in outcome.routes}
    routes: list[Route] = []
    for i, member in enumerate(problem.staff):
        fixed = sorted(kept[member.key], key=lambda s: s.start)
        fresh = new_routes.get(member.key)
        if not fixed and fresh is None:
            continue
        if fresh is not None:
            previous = next((r for r in current.routes if r.staff == member.key), None)
            leaves_at = previous.leaves_at if fixed and previous else fresh.leaves_at
            routes.append(
                Route(
                    staff=member.key,
                    stops=(*fixed, *fresh.stops),
                    leaves_at=leaves_at,
                    returns_at=fresh.returns_at,
                    travel=sum(s.travel_before for s in fixed) + fresh.travel,
                    distance=sum(s.distance_before for s in fixed) + fresh.distance,
                )
            )
        else:
            previous = next((r for r in current.routes if r.staff == member.key), None)
            end_place = vehicles[i].start
            back = travel.time(end_place, member.end)
            back_distance = travel.distance(end_place, member.end)
            routes.append(
                Route(
                    staff=member.key,
                    stops=tuple(fixed),
                    leaves_at=previous.leaves_at if previous else fixed[0].arrival,
                    returns_at=fixed[-1].end + back,
                    travel=sum(s.travel_before for s in fixed) + back,
                    distance=sum(s.distance_before for s in fixed) + back_distance,
                )
            )

    unplaced = _unplaced_in_order(to_plan, outcome.unplaced)
    merged = _routes_in_order(problem.staff, routes)
    now_at = {stop.visit: (route.staff, stop) for route in merged for stop in route.stops}
    moved: list[str] = []
    for key, (old_staff, old_stop) in was.items():
        if key in kept_keys or key not in visits:
            continue
        new = now_at.get(key)
        if (
            new is None
            or new[0] != old_staff
            or abs(new[1].start - old_stop.start) > moved_threshold
        ):
            moved.append(key)
    order = {visit.key: n for n, visit in enumerate(problem.visits)}
    moved.sort(key=lambda key: order.get(key, len(order)))

    # The cost as the re-plan weighed it: with each visit's current carer,
    # and what changing the order of anyone's day cost.
    planned = {visit.key: visit for visit in to_plan}
    weighed = replace(
        problem, visits=tuple(planned.get(visit.key, visit) for visit in problem.visits)
    )
    cost = plan_cost(weighed, merged, unplaced)
    if problem.weights.changed_order:
        before = {
            stop.visit: (route.staff, route.stops[n - 1].visit if n else None)
            for route in current.routes
            for n, stop in enumerate(route.stops)
        }
        for route in merged:
            for n, stop in enumerate(route.stops):
                if stop.visit in kept_keys:
                    continue
                if before.get(stop.visit) != (route.staff, route.stops[n - 1].visit if n else None):
                    cost += problem.weights.changed_order
    return Plan(
        routes=merged,
        unplaced=unplaced,
        cost=cost,
        feasible=outcome.feasible,
        seconds=time.perf_counter() - clock,
        moved=tuple(moved),
    )
