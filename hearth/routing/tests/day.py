"""Small hand-checkable days for the planner tests: places on a straight road,
one minute of driving per kilometre, times in minutes after midnight."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hearth.routing.problem import Place, Staff, Visit, Window
from hearth.routing.travel import Matrix

H = 60  # minutes in an hour
SHIFT = Window(8 * H, 16 * H)


def road(positions: Mapping[str, int]) -> Matrix:
    """Places at kilometre marks on one road: |a - b| minutes and km apart."""
    keys = list(positions)
    return Matrix(
        durations=[[abs(positions[a] - positions[b]) for b in keys] for a in keys],
        distances=[[1000 * abs(positions[a] - positions[b]) for b in keys] for a in keys],
        index_by_key={key: i for i, key in enumerate(keys)},
    )


def place(key: str) -> Place:
    return Place(key, 0.0, 0.0)  # coordinates unused: the road matrix answers


def nurse(
    key: str,
    base: str = "base",
    *,
    shift: Window = SHIFT,
    skills: Iterable[str] = (),
    languages: Iterable[str] = ("en",),
    max_visits: int | None = None,
    discipline: str = "nurse",
) -> Staff:
    return Staff(
        key=key,
        discipline=discipline,
        start=place(base),
        end=place(base),
        shift=shift,
        skills=frozenset(skills),
        languages=frozenset(languages),
        max_visits=max_visits,
    )


def visit(
    key: str,
    where: str,
    *,
    duration: int = 30,
    windows: Iterable[tuple[int, int]] = ((8 * H, 16 * H),),
    **extra: object,
) -> Visit:
    return Visit(
        key=key,
        place=place(where),
        duration=duration,
        windows=tuple(Window(a, b) for a, b in windows),
        **extra,  # type: ignore[arg-type]
    )
