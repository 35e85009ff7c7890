"""Demo volunteers' profiles, vetting, training and weekly availability,
through the same services the coordinator uses. Bethan Hughes (vol.hughes,
already on Amina Hassan's care team) is vetted and trained, free on Tuesday
afternoons and Thursday mornings; Olga Petrova speaks Russian; Gareth Morgan
has not finished his training, so proposing him is refused and the page says
which modules are missing. Their work with families is in the stories.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hearth.accounts.models import User
from hearth.core import clock
from hearth.volunteers import services as volunteer_services
from hearth.volunteers.choices import TrainingModule
from hearth.volunteers.models import VolunteerProfile

ALL_MODULES = [module.value for module in TrainingModule]


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def volunteer_profile(
    coordinator: User,
    volunteer: User,
    *,
    started_years_ago: int,
    offers: list[str],
    area: str,
    modules: list[str],
    slots: list[tuple[int, str, str]],
) -> VolunteerProfile:
    existing = VolunteerProfile.objects.filter(volunteer=volunteer).first()
    if existing is not None:
        return existing
    today = clock.today()
    checked = today - timedelta(days=200)
    profile = volunteer_services.create_profile(
        actor=coordinator,
        volunteer=volunteer,
        started_on=today - timedelta(days=365 * started_years_ago + 30),
        offers=offers,
        area=area,
        vetting_checked_on=checked,
        vetting_expires_on=checked + timedelta(days=3 * 365),
    )
    completed = today - timedelta(days=150)
    for module in modules:
        volunteer_services.record_training(
            actor=coordinator,
            profile=profile,
            module=module,
            completed_on=completed,
            expires_on=completed + timedelta(days=3 * 365),
        )
    for weekday, start, end in slots:
        volunteer_services.add_weekly_slot(
            actor=volunteer,
            profile=profile,
            weekday=weekday,
            starts_at=time.fromisoformat(start),
            ends_at=time.fromisoformat(end),
        )
    return profile


def holiday(hughes: User, bethan: VolunteerProfile, today: date) -> None:
    """Bethan is away on a family holiday in just over three weeks."""
    if not bethan.unavailable_periods.exists():
        volunteer_services.add_unavailable_period(
            actor=hughes,
            profile=bethan,
            starts_on=today + timedelta(days=24),
            ends_on=today + timedelta(days=31),
            note="Family holiday",
        )
