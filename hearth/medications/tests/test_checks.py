"""The timing rules as plain functions, against brute force: every window
start and every candidate minute tried, on a grid, by the test itself.

Times are whole multiples of a grid step after a base moment, so a brute force
over grid points is exact: a half-open 24 h window starting between two grid
points holds the same doses as the one starting at the next grid point.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.medications import checks

BASE = datetime(2027, 1, 19, tzinfo=UTC)
DAY_MINUTES = 24 * 60


def moment(minutes: int) -> datetime:
    return BASE + timedelta(minutes=minutes)


def prefix_counts(points: list[int], length: int) -> list[int]:
    """``counts[i]`` = how many points are before grid index ``i``."""
    slots = [0] * (length + 1)
    for point in points:
        slots[point] += 1
    counts = [0]
    for value in slots:
        counts.append(counts[-1] + value)
    return counts


def brute_over(new: int, others: list[int], maximum: int, window: int) -> bool:
    """Some window [s, s + window) holding ``new`` holds more than ``maximum``
    doses (``new`` included): every start s from new - window + 1 to new."""
    points = [*others, new]
    top = max(points) + window + 1
    counts = prefix_counts(points, top)
    for start in range(max(new - window + 1, 0), new + 1):
        end = min(start + window, top)
        if counts[end] - counts[start] > maximum:
            return True
    # Starts before grid index 0 hold no more than the one at 0.
    return False


def brute_close(new: int, others: list[int], minimum: int) -> list[int]:
    return [other for other in others if abs(new - other) < minimum]


times = st.lists(st.integers(min_value=0, max_value=3 * DAY_MINUTES), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    new=st.integers(min_value=0, max_value=3 * DAY_MINUTES),
    others=times,
    minimum=st.integers(min_value=1, max_value=12 * 60),
)
def test_too_close_finds_the_nearest_dose_inside_the_interval(
    new: int, others: list[int], minimum: int
) -> None:
    found = checks.too_close(moment(new), [moment(t) for t in others], timedelta(minutes=minimum))
    close = brute_close(new, others, minimum)
    if not close:
        assert found is None
    else:
        assert found is not None
        gap = abs(found - moment(new))
        assert gap < timedelta(minutes=minimum)
        assert gap == timedelta(minutes=min(abs(new - t) for t in close))


@settings(max_examples=300, deadline=None)
@given(
    new=st.integers(min_value=DAY_MINUTES, max_value=2 * DAY_MINUTES),
    others=times,
    maximum=st.integers(min_value=1, max_value=8),
)
def test_over_maximum_matches_every_rolling_window(
    new: int, others: list[int], maximum: int
) -> None:
    expected = brute_over(new, others, maximum, DAY_MINUTES)
    found = checks.over_maximum(moment(new), [moment(t) for t in others], maximum)
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(
    new=st.integers(min_value=0, max_value=2 * 96),
    others=st.lists(st.integers(min_value=0, max_value=3 * 96), max_size=10),
    maximum=st.integers(min_value=1, max_value=6),
)
def test_over_maximum_on_a_coarse_grid_with_many_ties(
    new: int, others: list[int], maximum: int
) -> None:
    """Quarter hours: doses at the same moment and exactly 24 h apart are common."""
    step = 15
    expected = brute_over(new, others, maximum, 96)
    found = checks.over_maximum(moment(new * step), [moment(t * step) for t in others], maximum)
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(
    now=st.integers(min_value=0, max_value=96),
    ago=st.lists(st.integers(min_value=-8, max_value=130), max_size=10),
    minimum=st.one_of(st.none(), st.integers(min_value=1, max_value=32)),
    maximum=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
)
def test_next_allowed_is_the_first_quarter_hour_that_passes_both_rules(
    now: int, ago: list[int], minimum: int | None, maximum: int | None
) -> None:
    """On a 15-minute grid: try every quarter hour from now until one passes,
    against the doses given up to now (doses mostly in the last day, so the
    limit is often reached; a few are after now and must be ignored)."""
    step, window = 15, 96
    now += 200
    given_ = [now - back for back in ago]
    past = [t for t in given_ if t <= now]

    def passes(candidate: int) -> bool:
        if minimum is not None and brute_close(candidate, past, minimum):
            return False
        return maximum is None or not brute_over(candidate, past, maximum, window)

    expected = next(c for c in range(now, now + window + (minimum or 0) + 1) if passes(c))
    found = checks.next_allowed(
        moment(now * step),
        [moment(t * step) for t in given_],
        timedelta(minutes=minimum * step) if minimum is not None else None,
        maximum,
    )
    assert found == moment(expected * step)


def test_the_boundaries_are_exact() -> None:
    """Exactly the minimum apart is allowed; exactly 24 h apart is another window."""
    hour = timedelta(hours=1)
    assert checks.too_close(BASE + hour, [BASE], hour) is None
    assert checks.too_close(BASE + hour - timedelta(microseconds=1), [BASE], hour) == BASE
    assert not checks.over_maximum(BASE + checks.DAY, [BASE], 1)
    assert checks.over_maximum(BASE + checks.DAY - timedelta(microseconds=1), [BASE], 1)
    # A dose between two others is judged against both sides.
    assert checks.over_maximum(BASE + 10 * hour, [BASE, BASE + 20 * hour], 2)
    assert checks.next_allowed(BASE + hour, [BASE], hour, 1) == BASE + checks.DAY
