"""Weekly usual times and time away: from before to, no overlaps, and each
volunteer changes only their own (the coordinator anyone's)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import NotAllowed, ValidationFailed
from hearth.volunteers import queries, services

from .conftest import make_profile, new_volunteer


def _slot(actor, profile, weekday=1, start="13:00", end="17:00"):  # type: ignore[no-untyped-def]
    return services.add_weekly_slot(
        actor=actor,
        profile=profile,
        weekday=weekday,
        starts_at=time.fromisoformat(start),
        ends_at=time.fromisoformat(end),
    )


def test_from_must_be_before_to(world: World) -> None:
    volunteer = new_volunteer()
    profile = make_profile(world, volunteer)
    for start, end in (("13:00", "13:00"), ("15:00", "09:00")):
        with pytest.raises(ValidationFailed) as refused:
            _slot(volunteer, profile, start=start, end=end)
        assert "ends_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        _slot(volunteer, profile, weekday=7)
    assert "weekday" in refused.value.field_errors


def test_weekly_slots_may_not_overlap(world: World) -> None:
    volunteer = new_volunteer()
    profile = make_profile(world, volunteer)
    _slot(volunteer, profile, start="13:00", end="17:00")
    with pytest.raises(ValidationFailed, match="overlaps Tuesday 13:00–17:00"):
        _slot(volunteer, profile, start="16:00", end="18:00")
    with pytest.raises(ValidationFailed):
        _slot(volunteer, profile, start="14:00", end="15:00")
    _slot(volunteer, profile, start="17:00", end="19:00")  # touching is fine
    _slot(volunteer, profile, weekday=2, start="13:00", end="17:00")  # another day
    assert profile.weekly_slots.count() == 3
    row = queries.volunteer_rows(world.coordinator)[0]
    assert row.availability.startswith("Tue 13:00–17:00, Tue 17:00–19:00, Wed 13:00–17:00")


def test_time_away_is_checked(world: World) -> None:
    volunteer = new_volunteer()
    profile = make_profile(world, volunteer)
    today = clock.today()

    def away(start: int, end: int) -> object:
        return services.add_unavailable_period(
            actor=volunteer,
            profile=profile,
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
            note="Holiday",
        )

    with pytest.raises(ValidationFailed) as refused:
        away(10, 5)
    assert "ends_on" in refused.value.field_errors
    with pytest.raises(ValidationFailed, match="past"):
        away(-10, -5)
    away(10, 17)
    with pytest.raises(ValidationFailed, match="overlaps"):
        away(15, 20)
    with pytest.raises(ValidationFailed, match="overlaps"):
        away(5, 10)
    away(18, 20)
    assert profile.unavailable_periods.count() == 2
    assert "away" in queries.volunteer_rows(world.coordinator)[0].availability


def test_a_volunteer_changes_only_their_own_availability(world: World) -> None:
    mine = make_profile(world, new_volunteer("vol.mine"))
    other_volunteer = new_volunteer("vol.other")
    theirs = make_profile(world, other_volunteer)
    slot = _slot(mine.volunteer, mine)
    with pytest.raises(NotAllowed, match="only your own"):
        _slot(mine.volunteer, theirs)
    with pytest.raises(NotAllowed):
        services.remove_weekly_slot(actor=other_volunteer, slot=slot)
    with pytest.raises(NotAllowed):
        services.add_unavailable_period(
            actor=other_volunteer,
            profile=mine,
            starts_on=clock.today(),
            ends_on=clock.today(),
        )
    for outsider in (world.nurse, world.physician, world.family):
        with pytest.raises(NotAllowed):
            _slot(outsider, mine, weekday=4)
    # The coordinator changes anyone's.
    _slot(world.coordinator, theirs, weekday=5)
    services.remove_weekly_slot(actor=world.coordinator, slot=slot)
    assert not mine.weekly_slots.exists()
