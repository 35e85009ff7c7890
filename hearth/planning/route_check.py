"""Re-time one member of staff's day and say which hard rule it breaks.

Used when the coordinator moves a visit by hand: the solver's hard rules
(the right discipline and skills, within a shift, each visit started inside
one of its windows, back by the end of the shift, no more visits than the
member's limit) must still hold, and the coordinator needs to know which one
does not. Plain Python on the planner's types, no Django, no solver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from hearth.routing.problem import Place, Staff, TravelTimes, Visit

# Rules, as the service names them to the coordinator.


class Rule(StrEnum):
    QUALIFICATION = "qualification"  # discipline or a skill missing
    BEFORE_SHIFT = "before_shift"  # a visit would start before the shift does
    WINDOW = "window"  # a visit cannot start inside any of its windows
    SHIFT_END = "shift_end"  # back at the end place after the shift ends
    MAX_VISITS = "max_visits"  # more visits than the member's limit


@dataclass(frozen=True)
class Violation:
    rule: Rule
    visit: str | None = None  # the visit concerned, if one
    at: int = 0  # when it would happen (seconds)
    limit: int = 0  # the limit it passes (seconds, or a count)


@dataclass(frozen=True)
class Timed:
    visit: str
    arrival: int
    start: int
    end: int
    travel_before: int


@dataclass(frozen=True)
class RouteCheck:
    stops: tuple[Timed, ...]
    leaves_at: int
    returns_at: int
    travel: int
    violations: tuple[Violation, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.violations


def qualified(visit: Visit, staff: Staff) -> bool:
    if visit.discipline is not None and visit.discipline != staff.discipline:
        return False
    return visit.skills <= staff.skills


def _travel_table(
    staff: Staff, visits: Sequence[Visit], travel: TravelTimes
) -> tuple[dict[str, int], list[list[int]]]:
    places: dict[str, Place] = {}
    for place in (staff.start, staff.end, *(v.place for v in visits)):
        places.setdefault(place.key, place)
    index = {key: i for i, key in enumerate(places)}
    durations, _distances = travel.matrix(list(places.values()))
    return index, durations


def retime(
    staff: Staff,
    visits: Sequence[Visit],
    wanted: Mapping[str, int],
    travel: TravelTimes,
) -> RouteCheck:
    """Put ``visits`` in order of their ``wanted`` start, leave at the start of
    the shift, and start each visit at the later of its wanted start and the
    arrival (waiting for its next window if needed). Every rule broken on the
    way is listed, not just the first, so the page can name them all."""
    ordered = sorted(visits, key=lambda v: (wanted[v.key], v.key))
    violations: list[Violation] = []
    for visit in ordered:
        if not qualified(visit, staff):
            violations.append(Violation(Rule.QUALIFICATION, visit.key))
    if staff.max_visits is not None and len(ordered) > staff.max_visits:
        violations.append(Violation(Rule.MAX_VISITS, None, len(ordered), staff.max_visits))
    if not ordered:
        return RouteCheck((), staff.shift.start, staff.shift.start, 0, tuple(violations))
    index, durations = _travel_table(staff, ordered, travel)

    def between(a: Place, b: Place) -> int:
        return 0 if a.key == b.key else int(durations[index[a.key]][index[b.key]])

    first_travel = between(staff.start, ordered[0].place)
    leaves_at = max(staff.shift.start, wanted[ordered[0].key] - first_travel)
    here = staff.start
    clock = leaves_at
    stops: list[Timed] = []
    total = 0
    for visit in ordered:
        moving = between(here, visit.place)
        total += moving
        arrival = clock + moving
        start = max(arrival, wanted[visit.key])
        window = next(
            (w for w in sorted(visit.windows, key=lambda w: w.start) if w.end >= start), None
        )
        if window is None:
            last = max((w.end for w in visit.windows), default=start)
            violations.append(Violation(Rule.WINDOW, visit.key, start, last))
        else:
            start = max(start, window.start)
        if start < staff.shift.start:
            violations.append(Violation(Rule.BEFORE_SHIFT, visit.key, start, staff.shift.start))
        end = start + visit.duration
        stops.append(Timed(visit.key, arrival, start, end, moving))
        clock = end
        here = visit.place
    back = between(here, staff.end)
    total += back
    returns_at = clock + back
    if returns_at > staff.shift.end:
        violations.append(Violation(Rule.SHIFT_END, None, returns_at, staff.shift.end))
    return RouteCheck(tuple(stops), leaves_at, returns_at, total, tuple(violations))
