"""Demo volunteers, told through the real services, once.

Bethan Hughes (vol.hughes, already on Amina Hassan's care team) is vetted and
trained, free on Tuesday afternoons and Thursday mornings, and has sat with
Amina for three weeks so that Leila can rest. Two more volunteers are created
the way seed_demo creates staff: Olga Petrova speaks Russian and is proposed
as a companion for Pyotr Smirnov; Gareth Morgan has not finished his training,
so proposing him is refused and the page says which modules are missing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.volunteers import services
from hearth.volunteers.choices import Activity, TrainingModule
from hearth.volunteers.models import VolunteerAssignment, VolunteerProfile

NEW_VOLUNTEERS: list[dict[str, Any]] = [
    {
        "username": "vol.petrova",
        "first_name": "Olga",
        "last_name": "Petrova",
        "phone": "+44 20 7946 0402",
        "spoken_languages": ["ru", "en"],
        "preferred_language": "ru",
    },
    {
        "username": "vol.morgan",
        "first_name": "Gareth",
        "last_name": "Morgan",
        "phone": "+44 20 7946 0403",
        "spoken_languages": ["en"],
    },
]
ALL_MODULES = [module.value for module in TrainingModule]


def _volunteer_user(spec: dict[str, Any]) -> User:
    from hearth.patients.management.commands.seed_demo import DEMO_PASSWORD

    user = User.objects.filter(username=spec["username"]).first()
    if user is not None:
        return user
    values = {key: value for key, value in spec.items() if key != "username"}
    return User.objects.create_user(
        username=spec["username"],
        password=DEMO_PASSWORD,
        kind=UserKind.STAFF,
        discipline=Discipline.VOLUNTEER,
        **values,
    )


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _profile(
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
    profile = services.create_profile(
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
        services.record_training(
            actor=coordinator,
            profile=profile,
            module=module,
            completed_on=completed,
            expires_on=completed + timedelta(days=3 * 365),
        )
    for weekday, start, end in slots:
        services.add_weekly_slot(
            actor=volunteer,
            profile=profile,
            weekday=weekday,
            starts_at=time.fromisoformat(start),
            ends_at=time.fromisoformat(end),
        )
    return profile


def seed_volunteers(staff: dict[str, User]) -> None:
    coordinator = staff["coord.lewis"]
    hughes = staff["vol.hughes"]
    petrova, morgan = (_volunteer_user(spec) for spec in NEW_VOLUNTEERS)
    today = clock.today()

    # Profiles are dated three weeks back so Bethan's sitting can have started then.
    with clock.travel_to(_moment(today - timedelta(days=21))):
        bethan = _profile(
            coordinator,
            hughes,
            started_years_ago=2,
            offers=[Activity.SITTING, Activity.COMPANIONSHIP, Activity.BEREAVEMENT_BEFRIENDING],
            area="Tower Hamlets and Hackney",
            modules=ALL_MODULES,
            slots=[(1, "13:00", "17:30"), (3, "10:00", "13:00")],
        )
        amina = Patient.objects.filter(record_number="HH-1001").first()
        if (
            amina is not None
            and not VolunteerAssignment.objects.filter(
                patient=amina, volunteer=hughes, kind=Activity.SITTING
            ).exists()
        ):
            sitting = services.propose_assignment(
                actor=coordinator,
                patient=amina,
                volunteer=hughes,
                kind=Activity.SITTING,
                starts_on=clock.today(),
                usual_times="Tuesdays 2–5 pm",
                note="Sit with Amina so Leila can rest or go out. Amina likes the radio "
                "and talking about her garden; she prays at about 1 pm and 4 pm.",
            )
            services.activate_assignment(actor=coordinator, assignment=sitting)

    _profile(
        coordinator,
        petrova,
        started_years_ago=1,
        offers=[Activity.COMPANIONSHIP, Activity.ERRANDS],
        area="Kensington and Chelsea",
        modules=ALL_MODULES,
        slots=[(0, "10:00", "13:00"), (4, "14:00", "18:00")],
    )
    _profile(
        coordinator,
        morgan,
        started_years_ago=0,
        offers=[Activity.TRANSPORT, Activity.ERRANDS],
        area="Islington",
        # Safeguarding, palliative-care awareness and manual handling still to do.
        modules=[TrainingModule.INDUCTION, TrainingModule.CONFIDENTIALITY],
        slots=[(2, "09:00", "12:00")],
    )
    if not bethan.unavailable_periods.exists():
        services.add_unavailable_period(
            actor=hughes,
            profile=bethan,
            starts_on=today + timedelta(days=24),
            ends_on=today + timedelta(days=31),
            note="Family holiday",
        )
    pyotr = Patient.objects.filter(record_number="HH-1002").first()
    if (
        pyotr is not None
        and not VolunteerAssignment.objects.filter(patient=pyotr, volunteer=petrova).exists()
    ):
        services.propose_assignment(
            actor=coordinator,
            patient=pyotr,
            volunteer=petrova,
            kind=Activity.COMPANIONSHIP,
            starts_on=today + timedelta(days=3),
            usual_times="Mondays 10 am–12 noon",
            note="Pyotr would like to talk in Russian; he enjoys chess.",
        )
