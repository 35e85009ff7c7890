"""Demo data for the team's own support, through the real services, once.

Mandatory courses (kept by the administrator); training for every demo member
of staff, with two courses expiring soon, one expired and one missing; the
reminders those produce; private wellbeing check-ins from most of the team over
two months (so the clinical lead's figures show the whole team and the
doctors-and-nurses group, and the two smaller groups say "too few answers");
and
the team's debrief after the death of HH-1005.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from hearth.accounts.models import Discipline, User
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.team import services
from hearth.team.models import Debrief, MandatoryCourse, TrainingRecord, WellbeingCheckIn

EVERYONE: list[str] = [
    value for value in Discipline.values if value != Discipline.COMMISSION_MEMBER
]
HANDS_ON: list[str] = [Discipline.PHYSICIAN, Discipline.NURSE, Discipline.VOLUNTEER]
CLINICAL: list[str] = [
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.CHAPLAIN,
    Discipline.COORDINATOR,
    Discipline.VOLUNTEER,
]

#: (title, renew every months, disciplines, description). Intervals are a
#: demo service's choices, not a standard: each service sets its own.
COURSES: list[tuple[str, int, list[str], str]] = [
    ("Basic life support", 12, CLINICAL, "Annual update, face to face."),
    ("Manual handling", 24, HANDS_ON, "Safe moving and turning in the home."),
    ("Safeguarding adults and children", 36, EVERYONE, "Level appropriate to the role."),
    ("Information governance", 12, EVERYONE, "Data protection and confidentiality."),
    (
        "Controlled drugs: safe handling",
        12,
        [Discipline.PHYSICIAN, Discipline.NURSE],
        "Home controlled-drug register, disposal, discrepancies.",
    ),
]

#: Demo exceptions: days until expiry (negative: expired), or None: missing.
EXCEPTIONS: dict[tuple[str, str], int | None] = {
    ("nurse.brennan", "Basic life support"): 20,
    ("dr.patel", "Information governance"): 10,
    ("sw.garcia", "Safeguarding adults and children"): -15,
    ("vol.hughes", "Manual handling"): None,
}

OTHER_TRAINING: list[tuple[str, str, str, str, int]] = [
    ("psych.mensah", "Advanced communication skills", "Connected Communication", "21", 200),
    ("nurse.sokolova", "Syringe driver update", "Hospice education team", "3.5", 45),
    ("chaplain.davies", "Spiritual care at the end of life", "Marie Curie", "6", 120),
]

Answers = list[tuple[str, int, int, int, int, int]]

#: Two months of check-ins: (username, energy, sleep, supported, emotional load, workload).
LAST_MONTH: Answers = [
    ("dr.okafor", 3, 3, 4, 3, 2),
    ("dr.ivanova", 4, 3, 4, 2, 3),
    ("dr.patel", 4, 4, 5, 4, 3),
    ("dr.hale", 4, 4, 3, 4, 4),
    ("nurse.brennan", 2, 2, 4, 2, 2),
    ("nurse.sokolova", 3, 2, 4, 2, 3),
    ("psych.mensah", 4, 4, 4, 3, 4),
    ("coord.lewis", 3, 3, 3, 4, 2),
    ("sw.garcia", 3, 4, 3, 3, 3),
    ("chaplain.davies", 4, 4, 4, 3, 4),
    ("vol.hughes", 5, 4, 4, 4, 5),
]
THIS_MONTH: Answers = [
    ("dr.okafor", 3, 4, 4, 3, 3),
    ("dr.ivanova", 3, 3, 4, 2, 3),
    ("dr.patel", 4, 4, 4, 4, 4),
    ("nurse.brennan", 3, 3, 5, 3, 2),
    ("nurse.sokolova", 2, 3, 4, 1, 3),
    ("psych.mensah", 4, 3, 5, 3, 4),
    ("sw.garcia", 3, 3, 3, 3, 3),
    ("chaplain.davies", 4, 3, 4, 3, 4),
    ("coord.lewis", 3, 2, 3, 4, 2),
    ("admin.kaur", 4, 4, 3, 5, 3),
]


def _courses(admin: User) -> dict[str, MandatoryCourse]:
    found = {course.title: course for course in MandatoryCourse.objects.all()}
    for title, months, disciplines, description in COURSES:
        if title not in found:
            found[title] = services.create_mandatory_course(
                actor=admin,
                title=title,
                renew_every_months=months,
                disciplines=disciplines,
                description=description,
            )
    return found


def _training(staff: dict[str, User], courses: dict[str, MandatoryCourse]) -> None:
    today = clock.today()
    for username, person in sorted(staff.items()):
        if TrainingRecord.objects.filter(staff=person).exists():
            continue
        for index, course in enumerate(courses.values()):
            if not course.applies_to(person):
                continue
            key = (username, course.title)
            if key in EXCEPTIONS:
                days = EXCEPTIONS[key]
                if days is None:
                    continue
                expires = today + timedelta(days=days)
            else:
                expires = today + timedelta(days=60 + 37 * index + 11 * len(username))
            completed = services.add_months(expires, -course.renew_every_months)
            services.record_training(
                actor=person,
                staff=person,
                course_title=course.title,
                provider="Hearth education team",
                hours=Decimal("3.5") if course.renew_every_months <= 12 else Decimal(6),
                completed_on=completed,
                expires_on=expires,
                mandatory_course=course,
            )
        for who, title, provider, hours, days_ago in OTHER_TRAINING:
            if who == username:
                services.record_training(
                    actor=person,
                    staff=person,
                    course_title=title,
                    provider=provider,
                    hours=Decimal(hours),
                    completed_on=today - timedelta(days=days_ago),
                )


def _check_ins(staff: dict[str, User], month: date, answers: Answers) -> None:
    moment = timezone.make_aware(datetime.combine(month.replace(day=10), time(16, 30)))
    moment = min(moment, clock.now())
    with clock.travel_to(moment):
        for username, energy, sleep, supported, emotional_load, workload in answers:
            person = staff.get(username)
            if (
                person is None
                or WellbeingCheckIn.objects.filter(staff=person, period=month).exists()
            ):
                continue
            services.submit_wellbeing_check_in(
                actor=person,
                energy=energy,
                sleep=sleep,
                supported=supported,
                emotional_load=emotional_load,
                workload=workload,
            )


def _debrief(staff: dict[str, User]) -> None:
    patient = Patient.objects.filter(record_number="HH-1005").first()
    if patient is None or "psych.mensah" not in staff:
        return
    episode = services.death_episode(patient)
    if episode is None or Debrief.objects.filter(episode=episode).exists():
        return
    assert episode.died_at is not None
    held = min(timezone.localdate(episode.died_at) + timedelta(days=5), clock.today())
    team = [
        staff[name] for name in ("dr.ivanova", "nurse.sokolova", "psych.mensah") if name in staff
    ]
    services.record_debrief(
        actor=staff["psych.mensah"],
        patient=patient,
        held_on=held,
        facilitator=staff["psych.mensah"],
        attendees=team,
        went_well=(
            "Olga died at home with her son, as she wished. Anticipatory medicines were in "
            "the house in time; the Russian-speaking nurse could talk with her to the end."
        ),
        could_be_better=(
            "The night before she died the syringe driver alarm woke Andrei twice and he "
            "did not know whom to call first. The out-of-hours number was on the fridge, "
            "but not in his phone."
        ),
        actions=(
            "Put the service number into the main carer's phone at admission (coordinator). "
            "Teach the syringe driver alarms to carers in the skills curriculum (nursing)."
        ),
    )


def seed_team(staff: dict[str, User]) -> None:
    """Idempotent: a second run adds nothing."""
    admin = staff.get("admin.kaur")
    if admin is None:
        return
    courses = _courses(admin)
    _training(staff, courses)
    services.send_training_reminders()
    this_month = services.month_of(clock.today())
    last_month = services.month_of(this_month - timedelta(days=1))
    _check_ins(staff, last_month, LAST_MONTH)
    _check_ins(staff, this_month, THIS_MONTH)
    _debrief(staff)
