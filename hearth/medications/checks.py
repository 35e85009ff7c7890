"""Timing rules for doses, as plain functions of times so they can be tested
on their own (and by hypothesis) without a database.

"Within 24 h" means less than 24 hours apart: doses exactly 24 hours apart
fall in different windows. The maximum is over a *rolling* 24 hours
(docs/clinical-reference.md), so a dose recorded late, between two earlier ones, is checked
against the doses after it as well as before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

DAY = timedelta(hours=24)


def lookback(minimum: timedelta | None, window: timedelta = DAY) -> timedelta:
    """How far either side of a dose the other doses can matter: the 24 h
    window, or the minimum interval when that is longer (up to 7 days)."""
    return max(window, minimum or timedelta(0))


def due_on(day: date, first_day: date, every_days: int) -> bool:
    """Whether a regular order given every ``every_days`` days, counted from
    the day it was first written, has doses on ``day``."""
    return (day - first_day).days % max(every_days, 1) == 0


def too_close(new: datetime, others: Sequence[datetime], minimum: timedelta) -> datetime | None:
    """The nearest other dose closer than ``minimum`` to ``new``, if any."""
    closest: datetime | None = None
    for other in others:
        gap = abs(new - other)
        if gap < minimum and (closest is None or gap < abs(new - closest)):
            closest = other
    return closest


def busiest_window(new: datetime, others: Sequence[datetime], window: timedelta = DAY) -> int:
    """The most doses, ``new`` included, in any window of length ``window``
    that contains ``new``. The busiest such window starts at a dose time, so
    only those starts are tried."""
    times = sorted([*others, new])
    starts = [t for t in times if new - window < t <= new]
    return max(sum(1 for t in times if start <= t < start + window) for start in starts)


def over_maximum(
    new: datetime, others: Sequence[datetime], maximum: int, window: timedelta = DAY
) -> bool:
    return busiest_window(new, others, window) > maximum


def next_allowed(
    moment: datetime,
    given: Sequence[datetime],
    minimum: timedelta | None,
    maximum: int | None,
    window: timedelta = DAY,
) -> datetime:
    """The earliest time at or after ``moment`` when one more dose passes both
    rules (for the family chart: "you can give the next dose at ...").

    Only doses up to ``moment`` matter for the family's next dose; candidates
    are ``moment`` itself and the times when a blocking dose stops blocking.
    """
    past = sorted(t for t in given if t <= moment)
    candidates = {moment}
    for t in past:
        if minimum is not None:
            candidates.add(t + minimum)
        candidates.add(t + window)
    for candidate in sorted(c for c in candidates if c >= moment):
        if minimum is not None and too_close(candidate, past, minimum) is not None:
            continue
        if maximum is not None and over_maximum(candidate, past, maximum, window):
            continue
        return candidate
    return moment  # unreachable: the last candidate is always clear
