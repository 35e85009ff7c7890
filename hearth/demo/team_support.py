"""Demo data for the team's own support, through the real services: mandatory
courses (kept by the administrator); training for every demo member of staff,
with two courses expiring soon, one expired and one missing; the reminders
those produce; private wellbeing check-ins from most of the team over two
months (so the clinical lead's figures show the whole team and the
doctors-and-nurses group, and the two smaller groups say "too few answers").
The team's debrief after a death is in that patient's story.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from hearth.accounts.models import Discipline, User
from hearth.core import clock
from hearth.team import services as team_services
from hearth.team.models import MandatoryCourse, TrainingRecord, WellbeingCheckIn

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


def mandatory_courses(admin: User) -> dict[str, MandatoryCourse]:
    found = {course.title: course for course in MandatoryCourse.objects.all()}
    for title, months, disciplines, description in COURSES:
        if title not in found:
            found[title] = team_services.create_mandatory_course(
                actor=admin,
                title=title,
                renew_every_months=months,
                disciplines=disciplines,
                description=description,
            )
    return found


def training(staff: dict[str, User], courses: dict[str, MandatoryCourse]) -> None:
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
            completed = team_services.add_months(expires, -course.renew_every_months)
            team_services.record_training(
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
                team_services.record_training(
                    actor=person,
                    staff=person,
                    course_title=title,
                    provider=provider,
                    hours=Decimal(hours),
                    completed_on=today - timedelta(days=days_ago),
                )


def wellbeing_check_ins(staff: dict[str, User], month: date, answers: Answers) -> None:
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
            team_services.submit_wellbeing_check_in(
                actor=person,
                energy=energy,
                sleep=sleep,
                supported=supported,
                emotional_load=emotional_load,
                workload=workload,
            )
