"""When a person can be visited on a given day.

The service's visiting hours, minus the person's prayer and do-not-disturb
times (``personhood``), minus the family's "please do not come" requests for
that day, and, if the family asked "please come only between", only inside
those. The answer is the planner's: start windows in seconds after local
midnight, each [first start, last start] so that the whole visit fits.

Reads only. With no personhood windows and no family requests the answer is
simply the visiting hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from hearth.careplans.conflicts import free_intervals, visiting_hours
from hearth.patients.models import Patient
from hearth.personhood.models import WeeklyWindow
from hearth.routing.problem import Window
from hearth.visits.choices import TimeRequestKind
from hearth.visits.models import VisitTimeRequest

Span = tuple[int, int]  # [start, end) minutes after local midnight


def _minute(moment: object) -> int:
    return moment.hour * 60 + moment.minute  # type: ignore[attr-defined,no-any-return]


def subtract(free: Sequence[Span], blocked: Iterable[Span]) -> list[Span]:
    """``free`` with every ``blocked`` span taken out."""
    result = list(free)
    for b_start, b_end in blocked:
        cut: list[Span] = []
        for start, end in result:
            if b_end <= start or b_start >= end:
                cut.append((start, end))
                continue
            if b_start > start:
                cut.append((start, b_start))
            if b_end < end:
                cut.append((b_end, end))
        result = cut
    return result


def intersect(free: Sequence[Span], allowed: Iterable[Span]) -> list[Span]:
    """The parts of ``free`` inside any of ``allowed``."""
    result: list[Span] = []
    for a_start, a_end in sorted(allowed):
        for start, end in free:
            low, high = max(start, a_start), min(end, a_end)
            if low < high:
                result.append((low, high))
    return _merge(result)


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def free_time(
    patient: Patient,
    day: date,
    *,
    weekly: Iterable[WeeklyWindow] | None = None,
    requests: Iterable[VisitTimeRequest] | None = None,
) -> list[Span]:
    """Free minutes of ``day`` for ``patient``. Pass ``weekly`` and ``requests``
    (already filtered to the patient and, for requests, the day) when planning
    many people at once, to read them in one query each."""
    if weekly is None:
        weekly = WeeklyWindow.objects.current().for_patient(patient)
    if requests is None:
        requests = VisitTimeRequest.objects.current().filter(patient=patient, date=day)
    free = free_intervals(weekly, day.weekday(), visiting_hours())
    asked = list(requests)
    free = subtract(
        free,
        [
            (_minute(r.starts_at), _minute(r.ends_at))
            for r in asked
            if r.kind == TimeRequestKind.NOT
        ],
    )
    only = [
        (_minute(r.starts_at), _minute(r.ends_at)) for r in asked if r.kind == TimeRequestKind.ONLY
    ]
    if only:
        free = intersect(free, only)
    return _merge(free)


def start_windows_from(free: Iterable[Span], duration_minutes: int) -> list[Window]:
    """Free spans → start windows in seconds; spans shorter than the visit are dropped."""
    return [
        Window(start * 60, (end - duration_minutes) * 60)
        for start, end in free
        if end - start >= duration_minutes
    ]


def start_windows(
    patient: Patient,
    day: date,
    duration_minutes: int,
    *,
    weekly: Iterable[WeeklyWindow] | None = None,
    requests: Iterable[VisitTimeRequest] | None = None,
) -> list[Window]:
    """When a visit of ``duration_minutes`` may start on ``day`` (seconds after
    local midnight). Empty: the person has no free time long enough that day."""
    return start_windows_from(
        free_time(patient, day, weekly=weekly, requests=requests), duration_minutes
    )


def not_before(windows: Iterable[Window], earliest: int) -> list[Window]:
    """The windows, cut so nothing starts before ``earliest`` (planning today)."""
    return [Window(max(w.start, earliest), w.end) for w in windows if w.end >= earliest]


def split(windows: Sequence[Window], parts: int) -> list[list[Window]]:
    """Cut the start windows into ``parts`` consecutive pieces of equal length,
    so that "three times a day" becomes a morning, a middle and a late visit
    instead of three visits that the planner piles into one hour."""
    if parts <= 1 or not windows:
        return [list(windows)] * max(parts, 1)
    total = sum(w.end - w.start for w in windows)
    if total == 0:
        return [list(windows)] * parts
    pieces: list[list[Window]] = [[] for _ in range(parts)]
    for n in range(parts):
        low = n * total / parts
        high = (n + 1) * total / parts
        passed = 0
        for window in windows:
            length = window.end - window.start
            w_low, w_high = passed, passed + length
            start, end = max(low, w_low), min(high, w_high)
            if start < end or (start == end and length == 0 and low <= w_low <= high):
                pieces[n].append(
                    Window(window.start + round(start - w_low), window.start + round(end - w_low))
                )
            passed += length
    return pieces
