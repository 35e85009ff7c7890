"""Visits for the demo, written through the same services the coordinator,
the clinicians and the families use (published visits excepted: only the
planner publishes, so yesterday's visit is laid down as publishing leaves it).

* The team's planning profiles: who is signed off for syringe drivers, wound
  care, tube feeding; how many home visits fit in a day; where the nurses
  live (they start from home).
* Shifts for every weekday of the coming week.
* Visit needs for each person in care, from their active care plan (the
  syringe-pump visits need a syringe-driver nurse).
* Leila Hassan asks that nobody comes tomorrow 13:00–14:30: her mother has a
  bone scan at the Royal London.
* Dr Ivanova's video review in Russian with Pyotr and Tatiana Smirnov is
  booked for tomorrow at 11:00, with nurse Sokolova joining.
* Yesterday nurse Brennan visited Tom Whitaker: notes, vital signs, done.

Safe to run again: each part is written once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import Discipline, User
from hearth.careplans.models import CarePlan, PlanIntervention
from hearth.core import clock
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient
from hearth.visits import services
from hearth.visits.choices import Endpoint, Skill, VisitKind, VisitStatus
from hearth.visits.models import (
    Shift,
    StaffPlanningProfile,
    Visit,
    VisitNeed,
    VisitTimeRequest,
    window_around,
)

COORDINATOR = "coord.lewis"

#: username: (skills, most home visits a day, home position or None)
PROFILES: dict[str, tuple[list[str], int, tuple[str, str] | None]] = {
    "nurse.brennan": (
        [Skill.SYRINGE_DRIVER, Skill.WOUND_CARE, Skill.CATHETER_CARE],
        7,
        ("51.531900", "-0.060300"),  # Bethnal Green
    ),
    "nurse.sokolova": (
        [Skill.SYRINGE_DRIVER, Skill.ENTERAL_FEEDING, Skill.TRACHEOSTOMY],
        7,
        ("51.512000", "-0.205000"),  # Notting Hill
    ),
    "dr.okafor": ([Skill.SYRINGE_DRIVER], 5, None),
    "dr.ivanova": ([], 5, None),
    "dr.patel": ([], 5, None),
    "psych.mensah": ([], 4, None),
    "sw.garcia": ([], 4, None),
    "chaplain.davies": ([], 4, None),
    "vol.hughes": ([], 2, None),
}

#: username: (start, end, starts from, ends at, weekdays worked: Monday is 0)
SHIFTS: dict[str, tuple[str, str, str, str, tuple[int, ...]]] = {
    "nurse.brennan": ("08:00", "16:00", Endpoint.HOME, Endpoint.HOME, (0, 1, 2, 3, 4)),
    "nurse.sokolova": ("08:30", "16:30", Endpoint.HOME, Endpoint.BASE, (0, 1, 2, 3, 4)),
    "dr.okafor": ("09:00", "17:00", Endpoint.BASE, Endpoint.BASE, (0, 1, 2, 3, 4)),
    "dr.ivanova": ("09:00", "17:00", Endpoint.BASE, Endpoint.BASE, (0, 1, 2, 3)),
    "dr.patel": ("10:00", "18:00", Endpoint.BASE, Endpoint.BASE, (0, 2, 3, 4)),
    "psych.mensah": ("10:00", "16:00", Endpoint.BASE, Endpoint.BASE, (0, 1, 3)),
    "sw.garcia": ("09:30", "15:30", Endpoint.BASE, Endpoint.BASE, (1, 2, 4)),
    "chaplain.davies": ("10:00", "15:00", Endpoint.BASE, Endpoint.BASE, (0, 2, 4)),
    "vol.hughes": ("13:00", "17:00", Endpoint.BASE, Endpoint.BASE, (1,)),
}

#: Words in a care-plan visit that say which skill it needs.
SKILL_WORDS: dict[str, str] = {
    "syringe": Skill.SYRINGE_DRIVER,
    "pump": Skill.SYRINGE_DRIVER,
    "dressing": Skill.WOUND_CARE,
    "wound": Skill.WOUND_CARE,
    "gastrostomy": Skill.ENTERAL_FEEDING,
}

VIDEO_LINK = "https://meet.hearth.example/smirnov-review"


def _local(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return timezone.make_aware(datetime.combine(day, time(int(hours), int(minutes))))


def _clock(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def _user(staff: dict[str, User], username: str) -> User | None:
    return staff.get(username) or User.objects.filter(username=username).first()


def _in_care(record_number: str) -> Patient | None:
    patient = Patient.objects.filter(record_number=record_number).first()
    if patient is None:
        return None
    episode = patient.current_episode
    if episode is None or episode.state != EpisodeState.ACTIVE:
        return None
    return patient


def _profiles(coordinator: User, staff: dict[str, User]) -> None:
    for username, (skills, most, home) in PROFILES.items():
        person = _user(staff, username)
        if person is None or StaffPlanningProfile.objects.filter(staff=person).exists():
            continue
        services.set_planning_profile(
            actor=coordinator,
            staff=person,
            skills=[str(skill) for skill in skills],
            max_visits_per_day=most,
            home_latitude=home[0] if home else None,
            home_longitude=home[1] if home else None,
        )


def _shifts(coordinator: User, staff: dict[str, User]) -> None:
    today, now = clock.today(), clock.now()
    for username, (start, end, starts_from, ends_at, weekdays) in SHIFTS.items():
        person = _user(staff, username)
        if person is None:
            continue
        for offset in range(7):
            day = today + timedelta(days=offset)
            if day.weekday() not in weekdays:
                continue
            if day == today and _local(day, end) <= now:
                continue  # loaded after that shift ended
            if Shift.objects.filter(staff=person, date=day).exists():
                continue
            services.add_shift(
                actor=coordinator,
                staff=person,
                date=day,
                starts_at=_clock(start),
                ends_at=_clock(end),
                starts_from=starts_from,
                ends_at_place=ends_at,
            )


def _skills_for(description: str) -> list[str]:
    text = description.lower()
    return list(dict.fromkeys(skill for word, skill in SKILL_WORDS.items() if word in text))


def _needs(coordinator: User) -> None:
    """Each care-plan visit once, with the skill its words name; then the
    service's own sync ends needs of replaced plans (and finds nothing new)."""
    for record_number in ("HH-1001", "HH-1002", "HH-1006"):
        patient = _in_care(record_number)
        if patient is None:
            continue
        plan = CarePlan.objects.active().for_patient(patient).first()
        if plan is None:
            continue
        current = VisitNeed.objects.current().filter(intervention__isnull=False)
        taken = current.values("intervention")
        for intervention in (
            PlanIntervention.objects.filter(
                goal__need__plan=plan, kind__in=services.VISIT_KINDS_FROM_PLAN
            )
            .exclude(pk__in=taken)
            .select_related("goal__need__plan", "responsible")
            .order_by("pk")
        ):
            services.visit_need_from_intervention(
                actor=coordinator,
                intervention=intervention,
                skills=_skills_for(intervention.description),
            )
        services.sync_needs_from_care_plan(actor=coordinator, patient=patient)


def _time_request(staff: dict[str, User]) -> None:
    patient = _in_care("HH-1001")
    leila = _user(staff, "family.hassan")
    if patient is None or leila is None:
        return
    if VisitTimeRequest.objects.filter(patient=patient).exists():
        return
    services.request_visit_time(
        actor=leila,
        patient=patient,
        date=clock.today() + timedelta(days=1),
        kind="not",
        starts_at=time(13, 0),
        ends_at=time(14, 30),
        note="Mum has a bone scan at the Royal London; we will be out.",
    )


def _teleconsult(staff: dict[str, User]) -> None:
    patient = _in_care("HH-1002")
    doctor, nurse = _user(staff, "dr.ivanova"), _user(staff, "nurse.sokolova")
    wife = _user(staff, "family.smirnova")
    if patient is None or doctor is None:
        return
    if Visit.objects.filter(patient=patient, kind=VisitKind.TELECONSULT).exists():
        return
    need = VisitNeed.objects.current().filter(patient=patient, kind=VisitKind.TELECONSULT).first()
    services.book_teleconsult(
        actor=doctor,
        patient=patient,
        staff=doctor,
        starts_at=_local(clock.today() + timedelta(days=1), "11:00"),
        duration_minutes=30,
        video_link=VIDEO_LINK,
        participants=[person for person in (nurse, wife) if person is not None],
        participants_note="Queen Square respiratory nurse may join for the NIV settings",
        purpose="Video review in Russian: breathing at night, NIV settings",
        need=need,
    )


def _yesterdays_visit(staff: dict[str, User]) -> None:
    """Published the day before yesterday (as the planner leaves a visit),
    made and closed yesterday through the services."""
    patient = _in_care("HH-1006")
    nurse = _user(staff, "nurse.brennan")
    if patient is None or nurse is None:
        return
    if Visit.objects.filter(patient=patient, status=VisitStatus.COMPLETED).exists():
        return
    yesterday = clock.today() - timedelta(days=1)
    planned = _local(yesterday, "11:00")
    need = (
        VisitNeed.objects.current()
        .filter(patient=patient, discipline=Discipline.NURSE, kind=VisitKind.HOME_VISIT)
        .first()
    )
    low, high = window_around(planned, minutes=settings.HEARTH_FAMILY_WINDOW_MINUTES)
    visit = Visit.objects.create(
        patient=patient,
        staff=nurse,
        kind=VisitKind.HOME_VISIT,
        discipline=Discipline.NURSE,
        purpose=need.description if need else "Nurse visit",
        need=need,
        date=yesterday,
        sequence=2,
        planned_start=planned,
        planned_end=planned + timedelta(minutes=45),
        family_window_start=low,
        family_window_end=high,
    )
    with clock.travel_to(_local(yesterday, "11:04")):
        services.arrive(actor=nurse, visit=visit)
    with clock.travel_to(_local(yesterday, "11:20")):
        services.add_visit_note(
            actor=nurse,
            visit=visit,
            text=(
                "Headache 3/10 this morning, no seizures since Sunday. Blood sugar 9.8 two "
                "hours after breakfast on dexamethasone: within what Dr Patel asked for."
            ),
        )
    with clock.travel_to(_local(yesterday, "11:52")):
        services.close_visit(
            actor=nurse,
            visit=visit,
            departed_at=clock.now(),
            actions_taken=(
                "Went through the seizure plan with Jess again: she showed how she would "
                "give buccal midazolam. Checked the seizure diary and the steroid card."
            ),
            notes="Jess tired but coping; asked about the carer's assessment (sw.garcia).",
            pulse=78,
            systolic_pressure=132,
            diastolic_pressure=84,
            respiratory_rate=16,
            temperature=Decimal("36.8"),
            oxygen_saturation=98,
        )


def seed_visits(staff: dict[str, User]) -> None:
    """Each part once (``staff`` keyed by username); after the care plans,
    monitoring and medicines, since visit needs come from the care plans."""
    coordinator = _user(staff, COORDINATOR)
    if coordinator is None:
        return
    with transaction.atomic():
        _profiles(coordinator, staff)
        _shifts(coordinator, staff)
        _needs(coordinator)
        _time_request(staff)
        _teleconsult(staff)
        _yesterdays_visit(staff)
    _todays_plan(coordinator)


def _todays_plan(coordinator: User) -> None:
    """Today planned by the planner and published, as the coordinator would
    each morning (outside the transaction above: the planner searches first
    and writes after). A short search is enough for a handful of visits."""
    from hearth.planning import planner
    from hearth.visits.models import DayPlan

    today = clock.today()
    if DayPlan.objects.filter(date=today).exists():
        return
    if not Shift.objects.current().filter(date=today).exists():
        return
    plan = planner.plan_day(actor=coordinator, date=today, seconds=1.0)
    planner.publish_plan(actor=coordinator, plan=plan)


__all__ = ["seed_visits"]
