"""The visit planner's problem and answer, in plain Python.

Nothing here knows Django or PyVRP: the visits app translates its rows into a
``Problem``, the benchmarks translate Solomon instances into the same type, and
``solver.solve`` answers both through one code path. Times are integers in one
unit chosen by the caller (the visits app uses seconds after local midnight of
the planned day; the Solomon benchmark uses its own scaled time units).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class Place:
    """Where someone starts, ends or is visited. ``key`` identifies the place
    for travel-time lookups; two places with the same key are the same spot."""

    key: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Window:
    """When service may *start* (inclusive both ends)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Staff:
    """One member of staff's day (or, with ``count`` > 1, that many identical
    vehicles, as benchmark instances have)."""

    key: str
    discipline: str
    start: Place
    end: Place
    shift: Window  # leave the start place no earlier than shift.start, be back by shift.end
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    max_visits: int | None = None
    capacity: int | None = None  # load capacity (benchmarks); None = unlimited
    count: int = 1


@dataclass(frozen=True)
class Visit:
    """Something to be done at a place by one member of staff.

    ``windows`` are alternatives (e.g. before and after a prayer time): service
    starts inside exactly one of them. ``pinned_staff``/``pinned_start`` fix a
    visit during a re-plan (visits already published keep a pull towards their
    staff member through ``current_staff``)."""

    key: str
    place: Place
    duration: int
    windows: tuple[Window, ...]
    patient: str = ""
    discipline: str | None = None  # None: anyone may go
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()  # spoken by the person; a preference
    preferred_staff: str | None = None  # continuity of carer; a preference
    current_staff: str | None = None  # in a re-plan: who has it now; a preference
    required: bool = True
    prize: int = 0  # for optional visits: what placing it is worth in cost units
    demand: int = 0  # load (benchmarks)
    # When the day cannot hold every required visit: one visit of higher
    # priority is kept over any one of lower priority (an urgent visit, say 1,
    # may bump one routine visit, 0, but not two). Among equals, a re-plan
    # keeps visits the current plan holds over new ones.
    priority: int = 0


@dataclass(frozen=True)
class Weights:
    """The objective, in cost units per unit. Hard rules are never weighed."""

    per_travel_time: int = 1
    per_distance: int = 0
    not_preferred_staff: int = 0  # extra cost of a visit by someone other than the preferred carer
    no_shared_language: int = 0  # extra cost of a visit by someone who shares no language
    moved_from_current_staff: int = 0  # extra cost, in a re-plan, of giving a visit to someone else
    # Extra cost, in a re-plan, of each visit reached from anywhere but the
    # stop before it in the current plan: keeps the order of people's days
    # (and so their times) unless changing it is worth this much.
    changed_order: int = 0


class TravelTimes(Protocol):
    """Travel between places, for one planning problem."""

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        """(durations, distances) between every pair of ``places``, in the
        problem's time unit and in metres (or the benchmark's distance unit)."""
        ...


@dataclass(frozen=True)
class Problem:
    staff: tuple[Staff, ...]
    visits: tuple[Visit, ...]
    travel: TravelTimes
    weights: Weights = Weights()


class Reason(StrEnum):
    """Why a visit could not be placed (the page translates these)."""

    # Nobody can do it at all, most basic cause first:
    NO_STAFF_ON_SHIFT = "no_staff_on_shift"  # nobody has a shift that day
    NO_STAFF_OF_DISCIPLINE = "no_staff_of_discipline"  # nobody on shift has the discipline
    NO_STAFF_WITH_SKILLS = "no_staff_with_skills"  # some have the discipline, none every skill
    OUTSIDE_SHIFTS = "outside_shifts"  # no qualified shift overlaps any of the visit's windows
    CANNOT_REACH_IN_TIME = "cannot_reach_in_time"  # window too narrow once travel is counted
    DAY_FULL = "day_full"  # qualified staff could go, but their days are full
    NOT_WORTH_IT = "not_worth_it"  # optional visit left out because it cost more than its prize


@dataclass(frozen=True)
class Stop:
    visit: str
    arrival: int
    start: int
    end: int
    travel_before: int  # time travelled to get here
    distance_before: int


@dataclass(frozen=True)
class Route:
    staff: str
    stops: tuple[Stop, ...]
    leaves_at: int
    returns_at: int
    travel: int
    distance: int


@dataclass(frozen=True)
class Unplaced:
    visit: str
    reason: Reason


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unplaced: tuple[Unplaced, ...]
    cost: int
    feasible: bool
    seconds: float = 0.0  # wall-clock solve time
    moved: tuple[str, ...] = field(default=())  # re-plans: visits whose staff or start changed

    @property
    def assignments(self) -> Mapping[str, tuple[str, Stop]]:
        return {stop.visit: (route.staff, stop) for route in self.routes for stop in route.stops}
