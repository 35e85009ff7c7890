"""The plan is checked against the person: prayer and rest times, diet, language."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import override_settings

from hearth.careplans import conflicts, services
from hearth.careplans.models import CarePlan, PlanGoal
from hearth.conftest import World
from hearth.patients.choices import EpisodeState
from hearth.personhood import services as profile
from hearth.personhood.models import WeeklyWindow

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


@pytest.fixture
def goal(world: World) -> PlanGoal:
    world.bring_to(EpisodeState.ACTIVE)
    plan = services.start_care_plan_draft(actor=world.nurse, patient=world.patient)
    need = services.add_need(
        actor=world.nurse, plan=plan, domain="physical", description="Pain", severity=3
    )
    return services.add_goal(
        actor=world.nurse, need=need, in_own_words="Comfort", measurable_target="Pain < 4"
    )


def _visit(world: World, goal: PlanGoal, **overrides: Any) -> Any:
    details = {
        "description": "Nurse home visit",
        "kind": "home_visit",
        "discipline": "nurse",
        "responsible": str(world.nurse.external_id),
        "times": 3,
        "per": "week",
        "duration_minutes": 45,
        **overrides,
    }
    return services.add_intervention(actor=world.nurse, goal=goal, **details)


def _window(world: World, kind: str, start: str, end: str, days: list[int] | None = None) -> None:
    profile.add_weekly_window(
        actor=world.nurse,
        patient=world.patient,
        kind=kind,
        label=kind,
        weekdays=days or EVERY_DAY,
        starts_at=start,
        ends_at=end,
    )


def _kinds(plan: CarePlan) -> list[str]:
    return [conflict.kind for conflict in conflicts.find_conflicts(plan)]


def test_it_has_no_conflicts_when_nothing_is_in_the_way(world: World, goal: PlanGoal) -> None:
    _visit(world, goal)
    assert _kinds(goal.need.plan) == []


@override_settings(HEARTH_VISITING_HOURS=("08:00", "20:00"))
def test_it_flags_visits_that_cannot_fit_around_prayer_and_rest(
    world: World, goal: PlanGoal
) -> None:
    _visit(world, goal, times=2, per="day", duration_minutes=60)
    _window(world, "do_not_disturb", "08:00", "12:30")
    _window(world, "prayer", "12:30", "13:15")
    _window(world, "do_not_disturb", "14:00", "20:00")
    # Free: 13:15–14:00 (45 min) only: no 60-minute visit fits any day.
    found = conflicts.find_conflicts(goal.need.plan)
    assert [c.kind for c in found] == ["timing"]
    assert "Monday" in found[0].message


@override_settings(HEARTH_VISITING_HOURS=("08:00", "20:00"))
def test_weekly_visits_need_that_many_free_days(world: World, goal: PlanGoal) -> None:
    _visit(world, goal, times=3, per="week", duration_minutes=45)
    # Free only on Tuesday and Thursday: 3 visits a week do not fit.
    _window(world, "do_not_disturb", "08:00", "20:00", days=[0, 2, 4, 5, 6])
    assert _kinds(goal.need.plan) == ["timing"]
    WeeklyWindow.objects.update(weekdays=[0, 2, 5, 6])  # Friday frees up
    assert _kinds(goal.need.plan) == []


@override_settings(HEARTH_VISITING_HOURS=("08:00", "20:00"))
def test_a_night_window_crossing_midnight_blocks_the_next_morning(
    world: World, goal: PlanGoal
) -> None:
    _visit(world, goal, times=1, per="day", duration_minutes=60)
    _window(world, "do_not_disturb", "21:00", "19:30")  # all but 19:30–21:00
    assert _kinds(goal.need.plan) == ["timing"]
    free = conflicts.free_intervals(WeeklyWindow.objects.all(), 2, (8 * 60, 20 * 60))
    assert free == [(19 * 60 + 30, 20 * 60)]


def test_rest_and_meal_windows_do_not_block_visits(world: World, goal: PlanGoal) -> None:
    _visit(world, goal, times=7, per="week")
    _window(world, "rest", "08:00", "20:00")
    _window(world, "meal", "12:00", "13:00")
    assert _kinds(goal.need.plan) == []


def test_it_flags_a_feed_that_contradicts_the_diet(world: World, goal: PlanGoal) -> None:
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="diet",
        changes={"practices": ["halal", "lactose_free"]},
    )
    services.add_intervention(
        actor=world.nurse,
        goal=goal,
        description="Evening supplement drink",
        kind="meal_or_feeding",
        discipline="nurse",
        food_contains=["dairy", "egg"],
    )
    assert _kinds(goal.need.plan) == ["diet"]
    message = conflicts.find_conflicts(goal.need.plan)[0].message
    assert "Lactose-free" in message
    assert "Halal" not in message


@override_settings(HEARTH_DIET_CONFLICTS={"vegetarian": ["fish"]})
def test_the_diet_rules_come_from_settings(world: World, goal: PlanGoal) -> None:
    profile.update_section(
        actor=world.nurse, patient=world.patient, section="diet", changes={"practices": ["halal"]}
    )
    services.add_intervention(
        actor=world.nurse,
        goal=goal,
        description="Ham sandwich",
        kind="meal_or_feeding",
        discipline="nurse",
        food_contains=["pork"],
    )
    assert _kinds(goal.need.plan) == []  # the service removed halal from its rules


def test_it_flags_staff_who_do_not_share_the_language(world: World, goal: PlanGoal) -> None:
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="communication",
        changes={"preferred_language": "ru", "interpreter_needed": True},
    )
    world.nurse.spoken_languages = ["en"]
    world.nurse.save()
    _visit(world, goal)
    assert _kinds(goal.need.plan) == ["language"]
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="communication",
        changes={"interpreter_arranged": True},
    )
    assert _kinds(goal.need.plan) == []


def test_a_staff_member_speaking_another_of_the_persons_languages_is_fine(
    world: World, goal: PlanGoal
) -> None:
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="communication",
        changes={"preferred_language": "uk", "other_languages": ["ru"]},
    )
    world.nurse.spoken_languages = ["en", "ru"]
    world.nurse.save()
    _visit(world, goal)
    assert _kinds(goal.need.plan) == []


def test_the_plan_page_shows_each_conflict(world: World, goal: PlanGoal, client_for: Any) -> None:
    profile.update_section(
        actor=world.nurse, patient=world.patient, section="diet", changes={"practices": ["kosher"]}
    )
    services.add_intervention(
        actor=world.nurse,
        goal=goal,
        description="Prawn broth",
        kind="meal_or_feeding",
        discipline="nurse",
        food_contains=["shellfish"],
    )
    page = client_for(world.nurse).get(f"/care-plans/{goal.need.plan.external_id}/")
    assert "Kosher rules out shellfish" in page.content.decode()
    api = client_for(world.nurse).get(f"/api/v1/care-plans/{goal.need.plan.external_id}")
    assert [c["kind"] for c in api.json()["conflicts"]] == ["diet"]


def test_free_intervals_subtract_overlapping_windows() -> None:
    class Window:
        def __init__(self, start: time, end: time) -> None:
            self.kind = "prayer"
            self.weekdays = EVERY_DAY
            self.starts_at, self.ends_at = start, end

        minutes_on = WeeklyWindow.minutes_on
        crosses_midnight = WeeklyWindow.crosses_midnight

    windows = [Window(time(9), time(10)), Window(time(9, 30), time(11)), Window(time(15), time(16))]
    assert conflicts.free_intervals(windows, 0, (8 * 60, 18 * 60)) == [  # type: ignore[arg-type]
        (8 * 60, 9 * 60),
        (11 * 60, 15 * 60),
        (16 * 60, 18 * 60),
    ]


def test_staff_without_recorded_languages_are_flagged_to_check(
    world: World, goal: PlanGoal
) -> None:
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="communication",
        changes={"preferred_language": "ar"},
    )
    world.nurse.spoken_languages = []
    world.nurse.save()
    _visit(world, goal)
    found = conflicts.find_conflicts(goal.need.plan)
    assert [c.kind for c in found] == ["language"]
    assert "No languages are recorded" in found[0].message
