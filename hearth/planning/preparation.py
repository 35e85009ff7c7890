"""Between the visits app's rows and the planner's plain types.

``due_visits`` decides which visits a day needs; ``prepare_day`` turns them
and the day's shifts into a ``hearth.routing`` ``Problem``; ``planned_rows``
turns the solver's ``Plan`` back into ``PlannedVisit`` rows. Reads only: the
services in ``planner`` write.

Times given to the planner are seconds after local midnight (settings.TIME_ZONE)
of the planned day; ``PlannedVisit.windows`` and ``Visit.windows`` keep the
same windows in minutes.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import Count, F, Q
from django.db.models.functions import RowNumber
from django.utils import timezone

from hearth.accounts.models import User
from hearth.careplans.conflicts import visiting_hours
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.personhood.models import Communication, WeeklyWindow
from hearth.planning import availability
from hearth.routing.problem import (
    Place,
    Plan,
    Problem,
    Reason,
    Staff,
    TravelTimes,
    Visit,
    Weights,
    Window,
)
from hearth.routing.travel import OsrmTable, StraightLine, TravelTimesUnavailable
from hearth.visits.choices import (
    Endpoint,
    Per,
    UnplacedReason,
    UrgentRequestStatus,
    VisitKind,
    VisitStatus,
)
from hearth.visits.models import (
    DayPlan,
    PlannedVisit,
    Shift,
    StaffPlanningProfile,
    UrgentVisitRequest,
    VisitNeed,
    VisitTimeRequest,
)
from hearth.visits.models import Visit as VisitRow

logger = logging.getLogger(__name__)

#: Most home visits in a day for staff without a planning profile (the model's default).
DEFAULT_MAX_VISITS = 8
BASE_KEY = "base"


# --- Time ---------------------------------------------------------------------------


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def at_seconds(day: date, seconds: int) -> datetime:
    """Seconds after local midnight of ``day`` → an aware datetime (wall clock,
    so a day with a clock change still reads as the clock on the wall)."""
    return timezone.make_aware(datetime.combine(day, time()) + timedelta(seconds=seconds))


def seconds_of(day: date, moment: datetime) -> int:
    """An aware datetime → seconds after local midnight of ``day`` (may be
    negative or beyond a day when ``moment`` is on another date)."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    return int((local - datetime.combine(day, time())).total_seconds())


def seconds_of_time(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def windows_to_minutes(windows: Iterable[Window]) -> list[list[int]]:
    return [[w.start // 60, w.end // 60] for w in windows]


def windows_from_minutes(stored: Iterable[Sequence[int]]) -> list[Window]:
    return [Window(int(start) * 60, int(end) * 60) for start, end in stored]


def now_seconds(day: date) -> int:
    """Now, in seconds after midnight of ``day``, rounded up to the minute."""
    value = seconds_of(day, clock.now())
    return math.ceil(value / 60) * 60


# --- Settings -------------------------------------------------------------------------


def weights() -> Weights:
    """Preferences in seconds of travel (settings give minutes)."""
    return Weights(
        per_travel_time=1,
        not_preferred_staff=settings.HEARTH_CONTINUITY_WORTH_MINUTES * 60,
        no_shared_language=settings.HEARTH_SHARED_LANGUAGE_WORTH_MINUTES * 60,
        moved_from_current_staff=settings.HEARTH_REPLAN_KEEP_STAFF_WORTH_MINUTES * 60,
    )


def straight_line() -> StraightLine:
    return StraightLine(
        road_factor=settings.HEARTH_ROAD_FACTOR,
        average_speed_kmh=settings.HEARTH_AVERAGE_SPEED_KMH,
    )


class FallbackTravel:
    """OSRM when it answers; straight lines when it does not. A day planned
    on estimated travel is better than no plan at 7 in the morning; the
    warning in the log says the times are estimates."""

    def __init__(self, primary: TravelTimes, fallback: TravelTimes) -> None:
        self.primary = primary
        self.fallback = fallback

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        try:
            return self.primary.matrix(places)
        except TravelTimesUnavailable as error:
            logger.warning("Road travel times unavailable, using straight lines: %s", error)
            return self.fallback.matrix(places)


def travel_provider() -> TravelTimes:
    if settings.HEARTH_OSRM_URL:
        return FallbackTravel(OsrmTable(settings.HEARTH_OSRM_URL), straight_line())
    return straight_line()


def base_place() -> Place:
    latitude, longitude = settings.HEARTH_SERVICE_BASE
    return Place(BASE_KEY, float(latitude), float(longitude))


def patient_place(patient: Patient) -> Place | None:
    if patient.latitude is None or patient.longitude is None:
        return None
    return Place(f"patient:{patient.pk}", float(patient.latitude), float(patient.longitude))


def staff_key(user: Any) -> str:
    return str(user.pk)


# --- Who works -----------------------------------------------------------------------


def shifts_on(day: date) -> list[Shift]:
    return list(
        Shift.objects.current()
        .filter(date=day, staff__is_active=True)
        .select_related("staff", "staff__planning_profile")
        .order_by("starts_at", "staff_id")
    )


def _profile(user: User) -> StaffPlanningProfile | None:
    try:
        return user.planning_profile  # type: ignore[attr-defined,no-any-return]
    except StaffPlanningProfile.DoesNotExist:
        return None


def staff_of(shift: Shift) -> Staff:
    """A shift as the planner's ``Staff``: from and back to the base, or the
    staff member's home when the shift says so and the home is on the map."""
    user = shift.staff
    profile = _profile(user)
    home: Place | None = None
    if profile is not None and profile.home_latitude is not None:
        home = Place(
            f"home:{user.pk}", float(profile.home_latitude), float(profile.home_longitude or 0)
        )
    base = base_place()
    return Staff(
        key=staff_key(user),
        discipline=user.discipline,
        start=home if shift.starts_from == Endpoint.HOME and home else base,
        end=home if shift.ends_at_place == Endpoint.HOME and home else base,
        shift=Window(seconds_of_time(shift.starts_at), seconds_of_time(shift.ends_at)),
        skills=frozenset(profile.skills if profile else ()),
        languages=frozenset(user.spoken_languages or ()),
        max_visits=profile.max_visits_per_day if profile else DEFAULT_MAX_VISITS,
    )


# --- What is due ---------------------------------------------------------------------


@dataclass
class DueVisit:
    """One visit the day needs, before planning."""

    key: str
    patient: Patient
    discipline: str
    skills: list[str]
    duration_minutes: int
    windows: list[Window]
    purpose: str
    need: VisitNeed | None = None
    urgent_request: UrgentVisitRequest | None = None
    preferred_staff: User | None = None
    languages: frozenset[str] = frozenset()


def active_patients() -> Any:
    """People in active home care today (alive, their episode active)."""
    return Patient.objects.in_care()


def week_target(day: date, times: int) -> int:
    """How many of ``times`` visits a week should have happened by the end of
    ``day`` if they are spread evenly over the ISO week."""
    return math.ceil((day.weekday() + 1) * times / 7)


def weekly_visit_is_due(day: date, times: int, done_this_week_before: int) -> bool:
    """Due when counting today's visit still does not run ahead of an even spread."""
    return done_this_week_before + 1 <= week_target(day, times)


def _continuity(patient_ids: Iterable[int], day: date) -> dict[tuple[int, str], User]:
    """The staff member of each person's most recent completed visit before
    ``day``, by discipline: the carer the person last saw is the one they
    should see again (continuity of carer, CLINICAL.md).

    Only the latest visit per (person, discipline) leaves the database (DISTINCT
    ON on PostgreSQL, a window function elsewhere): a person visited daily for
    months has hundreds of past visits and the planner needs one of them. When
    two visits started at the same minute the one recorded last wins."""
    ids = list(patient_ids)
    if not ids:
        return {}
    completed = VisitRow.objects.filter(
        patient_id__in=ids, status=VisitStatus.COMPLETED, date__lt=day
    )
    if connections[completed.db].vendor == "postgresql":
        latest = completed.order_by("patient_id", "discipline", "-planned_start", "-pk").distinct(
            "patient_id", "discipline"
        )
    else:
        latest = completed.annotate(
            newest=models.Window(
                RowNumber(),
                partition_by=[F("patient_id"), F("discipline")],
                order_by=[F("planned_start").desc(), F("pk").desc()],
            )
        ).filter(newest=1)
    rows = list(latest.values_list("patient_id", "discipline", "staff_id"))
    staff = User.objects.in_bulk({staff_id for _patient, _discipline, staff_id in rows})
    return {(patient, discipline): staff[staff_id] for patient, discipline, staff_id in rows}


def _languages(patients: Sequence[Patient]) -> dict[int, frozenset[str]]:
    found = {p.pk: {p.preferred_language} - {""} for p in patients}
    for section in Communication.objects.filter(patient_id__in=list(found)):
        found.setdefault(section.patient_id, set()).update(section.languages)
    return {pk: frozenset(languages) for pk, languages in found.items()}


def _due_need_counts(day: date) -> dict[int, int]:
    """How many visits each current home-visit need of a person in care asks
    of ``day`` (needs with none left out).

    Reads one row per need and one count per need visited this week, never
    the people themselves: which needs are due is decided before any patient,
    window or past visit is loaded, so the cost follows the needs, not the
    size of the service."""
    needs = VisitNeed.objects.current().filter(
        patient__in=active_patients(), kind=VisitKind.HOME_VISIT
    )
    rules = list(needs.values_list("pk", "per", "times"))
    if not rules:
        return {}
    week_start = day - timedelta(days=day.weekday())
    counted = (
        VisitRow.objects.not_cancelled()
        .filter(need__in=needs.values("pk"), date__gte=week_start, date__lte=day)
        .order_by()
        .values("need_id")
        .annotate(today=Count("pk", filter=Q(date=day)), total=Count("pk"))
    )
    today: dict[int, int] = {}
    before: dict[int, int] = {}
    for row in counted:
        today[row["need_id"]] = row["today"]
        before[row["need_id"]] = row["total"] - row["today"]
    due: dict[int, int] = {}
    for pk, per, times in rules:
        done_today = today.get(pk, 0)
        if per == Per.DAY:
            count = max(0, times - done_today)
        else:
            already = before.get(pk, 0) + done_today
            count = 1 if not done_today and weekly_visit_is_due(day, times, already) else 0
        if count:
            due[pk] = count
    return due


def due_visits(day: date) -> list[DueVisit]:
    """Every home visit ``day`` needs: the daily needs, the weekly needs whose
    even spread says today, and the urgent requests waiting for the day.

    Reads only what the day needs (a constant number of queries whatever the
    size of the service): first which needs are due, then the people, their
    windows, languages and last carers for those visits alone."""
    due_counts = _due_need_counts(day)
    needs = (
        list(
            VisitNeed.objects.filter(pk__in=list(due_counts))
            .select_related("preferred_staff")
            .order_by("patient_id", "pk")
        )
        if due_counts
        else []
    )
    urgent = list(
        UrgentVisitRequest.objects.filter(
            for_date=day, status=UrgentRequestStatus.WAITING
        ).select_related("patient", "alert")
    )
    wanted = {need.patient_id for need in needs} | {request.patient_id for request in urgent}
    # The people of the due visits, and those of the urgent requests who are
    # in care (an urgent request outlives a discharge; its person then gets no
    # preferred carer or profile languages, as before).
    patients = list(active_patients().filter(pk__in=list(wanted))) if wanted else []
    by_pk = {p.pk: p for p in patients}
    ids = list(by_pk)
    need_ids = list({need.patient_id for need in needs})
    weekly_by_patient: dict[int, list[WeeklyWindow]] = defaultdict(list)
    requests_by_patient: dict[int, list[VisitTimeRequest]] = defaultdict(list)
    if need_ids:
        for window in WeeklyWindow.objects.current().filter(patient_id__in=need_ids):
            weekly_by_patient[window.patient_id].append(window)
        for asked in VisitTimeRequest.objects.current().filter(patient_id__in=need_ids, date=day):
            requests_by_patient[asked.patient_id].append(asked)
    continuity = _continuity(ids, day)
    languages = _languages(patients) if patients else {}
    earliest = now_seconds(day) if day == clock.today() else None

    def windows_for(patient: Patient, minutes: int) -> list[Window]:
        found = availability.start_windows(
            patient,
            day,
            minutes,
            weekly=weekly_by_patient[patient.pk],
            requests=requests_by_patient[patient.pk],
        )
        return availability.not_before(found, earliest) if earliest is not None else found

    due: list[DueVisit] = []
    for need in needs:
        patient = by_pk[need.patient_id]
        count = due_counts[need.pk]
        windows = windows_for(patient, need.duration_minutes)
        parts = availability.split(windows, count) if count > 1 else [windows]
        preferred = need.preferred_staff or continuity.get((patient.pk, need.discipline))
        for n, part in enumerate(parts, start=1):
            due.append(
                DueVisit(
                    key=f"need:{need.pk}:{n}",
                    patient=patient,
                    discipline=need.discipline,
                    skills=list(need.skills or []),
                    duration_minutes=need.duration_minutes,
                    windows=part,
                    purpose=need.description,
                    need=need,
                    preferred_staff=preferred,
                    languages=languages.get(patient.pk, frozenset()),
                )
            )
    for request in urgent:
        patient = request.patient
        due.append(
            DueVisit(
                key=f"urgent:{request.pk}",
                patient=patient,
                discipline=request.discipline,
                skills=[],
                duration_minutes=request.duration_minutes,
                windows=urgent_windows(day, request.duration_minutes, request.respond_by),
                purpose=request.reason[:500],
                urgent_request=request,
                preferred_staff=continuity.get((patient.pk, request.discipline)),
                languages=languages.get(patient.pk, frozenset({patient.preferred_language})) - {""},
            )
        )
    return due


def urgent_windows(
    day: date, duration_minutes: int, respond_by: datetime | None = None
) -> list[Window]:
    """An urgent visit may start from now (or the start of visiting hours)
    until it can still end within visiting hours, and no later than its
    ``respond_by`` (a hard limit: a visit the plan cannot start by then goes
    to the clinician on call, CLINICAL.md "urgent response"); prayer times and
    the family's requests do not hold back an urgent visit. Empty when no
    start is left."""
    start, end = visiting_hours()
    first = start * 60
    if day == clock.today():
        first = max(first, now_seconds(day))
    last = (end - duration_minutes) * 60
    if respond_by is not None:
        last = min(last, seconds_of(day, respond_by))
    return [Window(first, last)] if last >= first else []


# --- The problem ---------------------------------------------------------------------


@dataclass
class PreparedDay:
    """A day ready for the solver, and what was found before it."""

    day: date
    problem: Problem
    due: dict[str, DueVisit]
    staff: dict[str, User]
    unplaced_before: dict[str, UnplacedReason] = field(default_factory=dict)


def routing_visit(due: DueVisit, place: Place) -> Visit:
    return Visit(
        key=due.key,
        place=place,
        duration=due.duration_minutes * 60,
        windows=tuple(due.windows),
        patient=str(due.patient.pk),
        discipline=due.discipline or None,
        skills=frozenset(due.skills),
        languages=due.languages,
        preferred_staff=staff_key(due.preferred_staff) if due.preferred_staff else None,
    )


def prepare_day(day: date, due: Sequence[DueVisit] | None = None) -> PreparedDay:
    """The day as a ``Problem``. People with no map position or no free time
    are set aside with their reason: the solver never sees them."""
    if due is None:
        due = due_visits(day)
    shifts = shifts_on(day)
    staff = tuple(staff_of(shift) for shift in shifts)
    unplaced: dict[str, UnplacedReason] = {}
    visits: list[Visit] = []
    for item in due:
        place = patient_place(item.patient)
        if place is None:
            unplaced[item.key] = UnplacedReason.NO_ADDRESS
        elif not item.windows:
            unplaced[item.key] = UnplacedReason.NO_FREE_TIME
        else:
            visits.append(routing_visit(item, place))
    return PreparedDay(
        day=day,
        problem=Problem(
            staff=staff, visits=tuple(visits), travel=travel_provider(), weights=weights()
        ),
        due={item.key: item for item in due},
        staff={staff_key(shift.staff): shift.staff for shift in shifts},
        unplaced_before=unplaced,
    )


def solve_day(prepared: PreparedDay, *, seconds: float) -> Plan:
    """Run the solver; a day with nothing to plan needs no solver."""
    from hearth.routing.solver import solve

    if not prepared.problem.visits:
        return Plan(routes=(), unplaced=(), cost=0, feasible=True)
    if not prepared.problem.staff:
        from hearth.routing.problem import Unplaced

        return Plan(
            routes=(),
            unplaced=tuple(
                Unplaced(v.key, Reason.NO_STAFF_ON_SHIFT) for v in prepared.problem.visits
            ),
            cost=0,
            feasible=True,
        )
    return solve(prepared.problem, seconds=seconds)


def planned_rows(plan: Plan, prepared: PreparedDay, day_plan: DayPlan) -> list[PlannedVisit]:
    """The solver's answer as unsaved ``PlannedVisit`` rows, placed ones first."""
    rows: list[PlannedVisit] = []

    def row(item: DueVisit, **values: Any) -> PlannedVisit:
        return PlannedVisit(
            plan=day_plan,
            patient=item.patient,
            need=item.need,
            urgent_request=item.urgent_request,
            discipline=item.discipline,
            skills=list(item.skills),
            duration_minutes=item.duration_minutes,
            windows=windows_to_minutes(item.windows),
            **values,
        )

    for route in plan.routes:
        for sequence, stop in enumerate(sorted(route.stops, key=lambda s: s.start), start=1):
            item = prepared.due[stop.visit]
            rows.append(
                row(
                    item,
                    staff=prepared.staff[route.staff],
                    sequence=sequence,
                    starts_at=at_seconds(prepared.day, stop.start),
                    ends_at=at_seconds(prepared.day, stop.end),
                    travel_minutes_before=round(stop.travel_before / 60),
                )
            )
    reasons: dict[str, UnplacedReason] = dict(prepared.unplaced_before)
    from hearth.planning.reasons import stored_reason

    reasons.update({u.visit: stored_reason(u.reason) for u in plan.unplaced})
    placed = set(plan.assignments)
    for key, item in prepared.due.items():
        if key in placed:
            continue
        reason = reasons.get(key, UnplacedReason.DAY_FULL)
        rows.append(row(item, unplaced_reason=reason))
    return rows


def plan_travel_minutes(plan: Plan) -> int:
    return round(sum(route.travel for route in plan.routes) / 60)


def visits_by_staff(rows: Iterable[Any]) -> Mapping[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.staff_id].append(row)
    return grouped


def on_shift(day: date, user: Any) -> Shift | None:
    return (
        Shift.objects.current()
        .filter(date=day, staff=user)
        .select_related("staff", "staff__planning_profile")
        .first()
    )
