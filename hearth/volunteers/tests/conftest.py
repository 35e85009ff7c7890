"""Volunteers for the tests: profiles made through the real services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from hearth.accounts.models import Discipline, User
from hearth.conftest import World, make_user
from hearth.core import clock
from hearth.volunteers import services
from hearth.volunteers.choices import Activity, TrainingModule
from hearth.volunteers.models import VolunteerAssignment, VolunteerProfile

ALL_MODULES = [module.value for module in TrainingModule]
ALL_ACTIVITIES = [activity.value for activity in Activity]


def make_profile(
    world: World,
    volunteer: User,
    *,
    modules: Sequence[str] = ALL_MODULES,
    vetting: tuple[date, date] | None = None,
    offers: Sequence[str] = ALL_ACTIVITIES,
) -> VolunteerProfile:
    today = clock.today()
    checked, expires = vetting or (today - timedelta(days=100), today + timedelta(days=900))
    profile = services.create_profile(
        actor=world.coordinator,
        volunteer=volunteer,
        started_on=today - timedelta(days=400),
        offers=list(offers),
        area="Hackney",
        vetting_checked_on=checked,
        vetting_expires_on=expires,
        notes="Prefers afternoons.",
    )
    for module in modules:
        services.record_training(
            actor=world.coordinator,
            profile=profile,
            module=module,
            completed_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=700),
        )
    return profile


def new_volunteer(username: str = "vol.new", **extra: Any) -> User:
    return make_user(username, discipline=Discipline.VOLUNTEER, phone="+44 7700 900999", **extra)


def propose(world: World, volunteer: User, **overrides: Any) -> VolunteerAssignment:
    arguments: dict[str, Any] = {
        "actor": world.coordinator,
        "patient": world.patient,
        "volunteer": volunteer,
        "kind": Activity.SITTING,
        "starts_on": clock.today(),
        "usual_times": "Tuesdays 2–5 pm",
    }
    arguments.update(overrides)
    return services.propose_assignment(**arguments)
