"""When a person can be visited: visiting hours, prayer, the family's requests."""

from __future__ import annotations

from datetime import time
from typing import Any

from hearth.personhood import services as profile
from hearth.planning import availability
from hearth.planning.tests.planning_world import MONDAY
from hearth.routing.problem import Window
from hearth.visits.models import VisitTimeRequest

H = 3600


def _ask(world: Any, kind: str, start: str, end: str, day: Any = MONDAY) -> VisitTimeRequest:
    return VisitTimeRequest.objects.create(
        patient=world.patient,
        date=day,
        kind=kind,
        starts_at=time.fromisoformat(start),
        ends_at=time.fromisoformat(end),
        requested_by=world.family,
    )


def _pray(world: Any, start: str, end: str, weekdays: list[int] | None = None) -> None:
    profile.add_weekly_window(
        actor=world.nurse,
        patient=world.patient,
        kind="prayer",
        label="Dhuhr",
        weekdays=weekdays if weekdays is not None else [0, 1, 2, 3, 4, 5, 6],
        starts_at=start,
        ends_at=end,
    )


def test_it_is_the_visiting_hours_without_windows_or_requests(world: Any) -> None:
    windows = availability.start_windows(world.patient, MONDAY, 60)
    assert windows == [Window(8 * H, 19 * H)]  # 08:00–20:00, last start 19:00


def test_it_takes_out_a_prayer_time(world: Any) -> None:
    _pray(world, "12:30", "13:00")
    windows = availability.start_windows(world.patient, MONDAY, 30)
    assert windows == [Window(8 * H, 12 * H), Window(13 * H, 19 * H + 30 * 60)]


def test_a_prayer_on_another_weekday_does_not_block(world: Any) -> None:
    _pray(world, "12:30", "13:00", weekdays=[4])
    assert availability.start_windows(world.patient, MONDAY, 30) == [
        Window(8 * H, 19 * H + 30 * 60)
    ]


def test_it_takes_out_the_familys_please_do_not_come(world: Any) -> None:
    _pray(world, "12:30", "13:00")
    _ask(world, "not", "09:00", "11:00")
    windows = availability.start_windows(world.patient, MONDAY, 30)
    assert windows == [
        Window(8 * H, 8 * H + 30 * 60),
        Window(11 * H, 12 * H),
        Window(13 * H, 19 * H + 30 * 60),
    ]


def test_please_come_only_between_narrows_the_day(world: Any) -> None:
    _pray(world, "12:30", "13:00")
    _ask(world, "only", "12:00", "15:00")
    assert availability.start_windows(world.patient, MONDAY, 30) == [
        Window(12 * H, 12 * H),
        Window(13 * H, 14 * H + 30 * 60),
    ]


def test_a_withdrawn_or_other_day_request_is_ignored(world: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    withdrawn = _ask(world, "not", "08:00", "18:00")
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    _ask(world, "not", "08:00", "18:00", day=MONDAY + timedelta(days=1))
    assert availability.start_windows(world.patient, MONDAY, 60) == [Window(8 * H, 19 * H)]


def test_windows_too_short_for_the_visit_are_dropped(world: Any) -> None:
    _ask(world, "not", "08:40", "19:30")
    assert availability.start_windows(world.patient, MONDAY, 45) == []
    assert availability.start_windows(world.patient, MONDAY, 30) == [
        Window(8 * H, 8 * H + 10 * 60),
        Window(19 * H + 30 * 60, 19 * H + 30 * 60),
    ]


def test_split_gives_consecutive_parts_of_equal_length() -> None:
    parts = availability.split([Window(8 * H, 12 * H), Window(13 * H, 15 * H)], 3)
    assert parts == [
        [Window(8 * H, 10 * H)],
        [Window(10 * H, 12 * H)],
        [Window(13 * H, 15 * H)],
    ]
