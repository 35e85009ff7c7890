"""The visits part of the demo that belongs to the whole service, written
through the same services the coordinator uses: the team's planning profiles
(who is signed off for syringe drivers, wound care, tube feeding; how many
home visits fit in a day; where the nurses live, as they start from home),
shifts for every weekday of the coming week, the visit needs of each person in
care from their active care plan, and today planned and published by the
planner. The visits about one patient (a family's time request, a video
review, yesterday's visit) are in that patient's story.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hearth.accounts.models import User
from hearth.careplans.models import CarePlan, PlanIntervention
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.visits import services as visit_services
from hearth.visits.choices import Endpoint, Skill
from hearth.visits.models import Shift, StaffPlanningProfile, VisitNeed

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


def local_moment(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return timezone.make_aware(datetime.combine(day, time(int(hours), int(minutes))))


def clock_time(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def user_named(staff: dict[str, User], username: str) -> User | None:
    return staff.get(username) or User.objects.filter(username=username).first()


def patient_in_care(record_number: str) -> Patient | None:
    patient = Patient.objects.filter(record_number=record_number).first()
    return patient if patient is not None and patient.is_receiving_care else None


def planning_profiles(coordinator: User, staff: dict[str, User]) -> None:
    for username, (skills, most, home) in PROFILES.items():
        person = user_named(staff, username)
        if person is None or StaffPlanningProfile.objects.filter(staff=person).exists():
            continue
        visit_services.set_planning_profile(
            actor=coordinator,
            staff=person,
            skills=[str(skill) for skill in skills],
            max_visits_per_day=most,
            home_latitude=home[0] if home else None,
            home_longitude=home[1] if home else None,
        )


def shifts(coordinator: User, staff: dict[str, User]) -> None:
    today, now = clock.today(), clock.now()
    for username, (start, end, starts_from, ends_at, weekdays) in SHIFTS.items():
        person = user_named(staff, username)
        if person is None:
            continue
        for offset in range(7):
            day = today + timedelta(days=offset)
            if day.weekday() not in weekdays:
                continue
            if day == today and local_moment(day, end) <= now:
                continue  # loaded after that shift ended
            if Shift.objects.filter(staff=person, date=day).exists():
                continue
            visit_services.add_shift(
                actor=coordinator,
                staff=person,
                date=day,
                starts_at=clock_time(start),
                ends_at=clock_time(end),
                starts_from=starts_from,
                ends_at_place=ends_at,
            )


def skills_for(description: str) -> list[str]:
    text = description.lower()
    return list(dict.fromkeys(skill for word, skill in SKILL_WORDS.items() if word in text))


def needs_from_care_plans(coordinator: User) -> None:
    """Each care-plan visit once, with the skill its words name; then the
    service's own sync ends needs of replaced plans (and finds nothing new)."""
    for record_number in ("HH-1001", "HH-1002", "HH-1006"):
        patient = patient_in_care(record_number)
        if patient is None:
            continue
        plan = CarePlan.objects.active().for_patient(patient).first()
        if plan is None:
            continue
        current = VisitNeed.objects.current().filter(intervention__isnull=False)
        taken = current.values("intervention")
        for intervention in (
            PlanIntervention.objects.filter(
                goal__need__plan=plan, kind__in=visit_services.VISIT_KINDS_FROM_PLAN
            )
            .exclude(pk__in=taken)
            .select_related("goal__need__plan", "responsible")
            .order_by("pk")
        ):
            visit_services.visit_need_from_intervention(
                actor=coordinator,
                intervention=intervention,
                skills=skills_for(intervention.description),
            )
        visit_services.sync_needs_from_care_plan(actor=coordinator, patient=patient)


def todays_plan(coordinator: User) -> None:
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
