"""Where a care plan contradicts the person's profile.

Three checks, each explained in words a nurse can act on:

* a visit or teleconsultation cannot happen as often as planned outside the
  person's prayer and do-not-disturb windows, within the service's visiting hours;
* a meal or feed contains something the person's diet rules out;
* the responsible staff member does not speak the person's language and no
  interpreter is arranged.

Reads only; the plan page and the API show the result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from hearth.careplans.choices import TIMED_KINDS, FoodContent, InterventionPeriod
from hearth.careplans.models import CarePlan, PlanIntervention
from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.personhood.choices import BLOCKING_WINDOW_KINDS, DietPractice, Weekday
from hearth.personhood.models import Communication, Diet, WeeklyWindow

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Conflict:
    kind: str  # "timing", "diet" or "language"
    intervention_id: int
    intervention: str
    message: str


def _minutes(value: str | time) -> int:
    if isinstance(value, str):
        hours, minutes = value.split(":")
        return int(hours) * 60 + int(minutes)
    return value.hour * 60 + value.minute


def visiting_hours() -> tuple[int, int]:
    start, end = settings.HEARTH_VISITING_HOURS
    return _minutes(str(start)), _minutes(str(end))


def free_intervals(
    windows: Iterable[WeeklyWindow], weekday: int, hours: tuple[int, int]
) -> list[tuple[int, int]]:
    """Visiting hours of ``weekday`` minus every blocking window, as [start, end) minutes."""
    blocked = sorted(
        span
        for window in windows
        if window.kind in BLOCKING_WINDOW_KINDS
        for span in window.minutes_on(weekday)
    )
    free: list[tuple[int, int]] = []
    cursor, day_end = hours
    for start, end in blocked:
        if end <= cursor:
            continue
        if start >= day_end:
            break
        if start > cursor:
            free.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < day_end:
        free.append((cursor, day_end))
    return free


def visits_that_fit(intervals: Sequence[tuple[int, int]], duration: int) -> int:
    return sum((end - start) // duration for start, end in intervals)


def timing_problem(
    intervention: PlanIntervention, windows: Sequence[WeeklyWindow], hours: tuple[int, int]
) -> str | None:
    """Why the visits cannot all fit in a week, or None.

    Daily: every day needs ``times`` visits. Weekly: visits are spread over
    days, at most ceil(times / 7) on one day, so "3× a week" needs three days
    with a free slot, not three slots on Sunday afternoon.
    """
    if intervention.kind not in TIMED_KINDS or not intervention.times:
        return None
    duration = intervention.duration_minutes or 1
    fits = {day: visits_that_fit(free_intervals(windows, day, hours), duration) for day in range(7)}
    names = dict(Weekday.choices)
    if intervention.per == InterventionPeriod.DAY:
        short = [day for day, count in fits.items() if count < intervention.times]
        if not short:
            return None
        return _(
            "%(times)s visits of %(minutes)s min a day do not fit outside prayer and "
            "do-not-disturb times on %(days)s."
        ) % {
            "times": intervention.times,
            "minutes": duration,
            "days": ", ".join(str(names[day]) for day in short),
        }
    per_day = math.ceil(intervention.times / 7)
    capacity = sum(min(count, per_day) for count in fits.values())
    if capacity >= intervention.times:
        return None
    return _(
        "%(times)s visits of %(minutes)s min a week need free time on %(times)s days; "
        "outside prayer and do-not-disturb times only %(capacity)s fit."
    ) % {"times": intervention.times, "minutes": duration, "capacity": capacity}


def diet_problem(intervention: PlanIntervention, practices: Iterable[str]) -> str | None:
    rules: dict[str, list[str]] = settings.HEARTH_DIET_CONFLICTS
    contents = set(intervention.food_contains or [])
    clashes = []
    for practice in practices:
        forbidden = contents & set(rules.get(practice, []))
        if forbidden:
            clashes.append((practice, sorted(forbidden)))
    if not clashes:
        return None
    practice_names = dict(DietPractice.choices)
    content_names = dict(FoodContent.choices)
    parts = [
        _("%(practice)s rules out %(contents)s")
        % {
            "practice": practice_names[practice],
            "contents": ", ".join(str(content_names[item]).lower() for item in forbidden),
        }
        for practice, forbidden in clashes
    ]
    return _("Contradicts the person's diet: %(clashes)s.") % {"clashes": "; ".join(parts)}


def language_problem(
    intervention: PlanIntervention, communication: Communication | None
) -> str | None:
    if communication is None or not communication.preferred_language:
        return None
    if communication.interpreter_arranged or intervention.responsible is None:
        return None
    spoken = set(intervention.responsible.spoken_languages or [])
    if spoken & communication.languages:
        return None
    language = dict(SPOKEN_LANGUAGES).get(communication.preferred_language, "")
    if not spoken:
        return _(
            "No languages are recorded for %(staff)s: check they speak %(language)s "
            "or arrange an interpreter."
        ) % {"staff": intervention.responsible.display_name, "language": _(language)}
    return _("%(staff)s does not speak %(language)s and no interpreter is arranged.") % {
        "staff": intervention.responsible.display_name,
        "language": _(language),
    }


def find_conflicts(plan: CarePlan) -> list[Conflict]:
    """Every conflict of ``plan`` with the patient's current profile."""
    patient = plan.patient
    windows = list(WeeklyWindow.objects.current().for_patient(patient))
    diet = Diet.objects.filter(patient=patient).first()
    practices = list(diet.practices) if diet else []
    communication = Communication.objects.filter(patient=patient).first()
    hours = visiting_hours()
    interventions = PlanIntervention.objects.filter(goal__need__plan=plan).select_related(
        "responsible"
    )
    found: list[Conflict] = []
    for intervention in interventions:
        checks: list[tuple[str, Any]] = [
            ("timing", timing_problem(intervention, windows, hours)),
            ("diet", diet_problem(intervention, practices)),
            ("language", language_problem(intervention, communication)),
        ]
        found.extend(
            Conflict(kind, intervention.pk, intervention.description, message)
            for kind, message in checks
            if message
        )
    return found
