"""Planning the team's day: run the planner, change the draft by hand,
publish it, and fit an urgent visit into today's published plan.

Same conventions as ``services``: keyword-only arguments with the acting user
first, a permission check (the coordinator: ``visits.plan_visits``),
validation that names the field and the rule, one transaction for the
writes and an audit event. The solver runs *before* the transaction opens (it
takes seconds and must not hold locks); the transaction re-checks that the
day has not changed meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, UserKind, discipline_label, lazy_discipline_label
from hearth.core import audit, clock, dates, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.planning import preparation, reasons
from hearth.planning.route_check import RouteCheck, Rule, Violation, retime
from hearth.routing.problem import (
    Place,
    Plan,
    Problem,
    Reason,
    Route,
    Staff,
    Stop,
    TravelTimes,
)
from hearth.routing.problem import Visit as RoutingVisit
from hearth.routing.travel import Matrix
from hearth.visits import family_messages
from hearth.visits.choices import (
    PlanStatus,
    Skill,
    UnplacedReason,
    UrgentRequestStatus,
    VisitKind,
    VisitStatus,
)
from hearth.visits.models import (
    DayPlan,
    PlannedVisit,
    UrgentVisitRequest,
    Visit,
    VisitTimeChange,
    window_around,
)

PLAN_PERM = "visits.plan_visits"


def _refuse_unless_planner(actor: Any) -> None:
    require_perm(actor, PLAN_PERM, None, _("Only the care coordinator plans the team's day."))


def default_coordinator() -> User | None:
    """The first active care coordinator: who background planning acts as."""
    from hearth.accounts.models import Discipline

    return (
        User.objects.filter(kind=UserKind.STAFF, discipline=Discipline.COORDINATOR, is_active=True)
        .order_by("pk")
        .first()
    )


def _clock_time(day: dt.date, seconds: int) -> str:
    return formats.time_format(preparation.at_seconds(day, seconds).time(), "H:i")


def _family_window(start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return window_around(timezone.localtime(start), minutes=settings.HEARTH_FAMILY_WINDOW_MINUTES)


# --- Running the planner ------------------------------------------------------------


def plan_day(*, actor: User, date: dt.date, seconds: float | None = None) -> DayPlan:
    """Plan ``date`` from scratch as a draft (an earlier draft is replaced).

    A day already published is refused: families have been told their times,
    and an urgent visit is fitted in with ``insert_urgent_visit`` instead.
    ``seconds`` shortens the search for callers that cannot wait (the demo)."""
    _refuse_unless_planner(actor)
    require(date >= clock.today(), "date", _("That day is over: plan today or a later day."))
    _refuse_if_published(date)
    prepared = preparation.prepare_day(date)
    plan = preparation.solve_day(
        prepared, seconds=settings.HEARTH_PLANNER_SECONDS if seconds is None else seconds
    )
    try:
        return _save_draft(actor=actor, date=date, prepared=prepared, plan=plan)
    except IntegrityError as error:
        raise Conflict(
            _("Someone else planned this day at the same moment. Open the day again.")
        ) from error


def _refuse_if_published(date: dt.date) -> None:
    if DayPlan.objects.filter(date=date, status=PlanStatus.PUBLISHED).exists():
        message = _(
            "The plan for %(day)s is already published and families have their times. "
            "To add an urgent visit, use “Insert urgent visit” on today's plan."
        ) % {"day": dates.date_format(date, "j E Y")}
        raise Conflict(message, field_errors={"date": [message]})


@transaction.atomic
def _save_draft(
    *, actor: User, date: dt.date, prepared: preparation.PreparedDay, plan: Plan
) -> DayPlan:
    existing = list(
        DayPlan.objects.select_for_update().filter(
            date=date, status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED]
        )
    )
    _refuse_if_published(date)
    for old in existing:
        old.delete()
    day_plan = DayPlan.objects.create(
        date=date,
        created_by=actor,
        solver_seconds=round(plan.seconds, 3),
        travel_minutes=preparation.plan_travel_minutes(plan),
    )
    rows = PlannedVisit.objects.bulk_create(preparation.planned_rows(plan, prepared, day_plan))
    placed = sum(1 for row in rows if row.staff_id)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_PLAN_DRAFTED,
        obj=day_plan,
        summary=messages.text(
            gettext_noop("Visits for %(day)s planned: %(placed)s placed, %(unplaced)s not placed."),
            day=date,
            placed=placed,
            unplaced=len(rows) - placed,
        ),
        changes={"replaced_draft": bool(existing), "solver_seconds": day_plan.solver_seconds},
    )
    return day_plan


# --- Moving a visit by hand ----------------------------------------------------------


def _patient_place_or_refuse(row: PlannedVisit | Visit) -> Place:
    place = preparation.patient_place(row.patient)
    if place is None:
        raise ValidationFailed(
            str(UnplacedReason.NO_ADDRESS.label),
            field_errors={"staff": [str(UnplacedReason.NO_ADDRESS.label)]},
        )
    return place


def _routing_visit_of(row: PlannedVisit, key: str | None = None) -> RoutingVisit:
    return RoutingVisit(
        key=key or f"pv:{row.pk}",
        place=_patient_place_or_refuse(row),
        duration=row.duration_minutes * 60,
        windows=tuple(preparation.windows_from_minutes(row.windows)),
        patient=str(row.patient_id),
        discipline=row.discipline or None,
        skills=frozenset(row.skills or []),
    )


class _OnceTravel:
    """One travel matrix for a whole re-check (one OSRM call, not one per member)."""

    def __init__(self, provider: TravelTimes, places: Sequence[Place]) -> None:
        distinct: dict[str, Place] = {}
        for place in places:
            distinct.setdefault(place.key, place)
        durations, distances = provider.matrix(list(distinct.values()))
        self.matrix_provider = Matrix(
            durations, distances, {key: i for i, key in enumerate(distinct)}
        )

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        return self.matrix_provider.matrix(places)


def _violation_message(violation: Violation, day: dt.date, names: dict[str, str]) -> str:
    who = names.get(violation.visit or "", "")
    if violation.rule == Rule.QUALIFICATION:
        return _("%(who)s: this staff member lacks the discipline or a skill it needs.") % {
            "who": who
        }
    if violation.rule == Rule.WINDOW:
        return _(
            "%(who)s could not be reached before %(limit)s, the latest start the person can "
            "be visited (earliest arrival %(at)s)."
        ) % {
            "who": who,
            "limit": _clock_time(day, violation.limit),
            "at": _clock_time(day, violation.at),
        }
    if violation.rule == Rule.BEFORE_SHIFT:
        return _("%(who)s would start at %(at)s, before the shift starts at %(limit)s.") % {
            "who": who,
            "at": _clock_time(day, violation.at),
            "limit": _clock_time(day, violation.limit),
        }
    if violation.rule == Rule.SHIFT_END:
        return _("The day would end back at %(at)s, after the shift ends at %(limit)s.") % {
            "at": _clock_time(day, violation.at),
            "limit": _clock_time(day, violation.limit),
        }
    return _("That makes %(at)s visits, more than this staff member's limit of %(limit)s.") % {
        "at": violation.at,
        "limit": violation.limit,
    }


_RULE_FIELD = {
    Rule.QUALIFICATION: "staff",
    Rule.MAX_VISITS: "staff",
    Rule.WINDOW: "start",
    Rule.BEFORE_SHIFT: "start",
    Rule.SHIFT_END: "start",
}


@dataclass
class _Day:
    """A member of staff's day in a draft, as the planner sees it."""

    member: Staff
    rows: dict[str, PlannedVisit]
    visits: list[RoutingVisit]
    wanted: dict[str, int]


def _staff_day(plan: DayPlan, user: Any, *, without: PlannedVisit | None = None) -> _Day | None:
    shift = preparation.on_shift(plan.date, user)
    if shift is None:
        return None
    rows = (
        PlannedVisit.objects.filter(plan=plan, staff=user, starts_at__isnull=False)
        .select_related("patient")
        .order_by("starts_at", "pk")
    )
    day = _Day(preparation.staff_of(shift), {}, [], {})
    for row in rows:
        if without is not None and row.pk == without.pk:
            continue
        key = f"pv:{row.pk}"
        day.rows[key] = row
        day.visits.append(_routing_visit_of(row, key))
        day.wanted[key] = preparation.seconds_of(plan.date, row.starts_at)  # type: ignore[arg-type]
    return day


def _write_times(plan: DayPlan, day: _Day, check: RouteCheck) -> None:
    for sequence, stop in enumerate(check.stops, start=1):
        row = day.rows[stop.visit]
        row.sequence = sequence
        row.starts_at = preparation.at_seconds(plan.date, stop.start)
        row.ends_at = preparation.at_seconds(plan.date, stop.end)
        row.travel_minutes_before = round(stop.travel_before / 60)
        row.save(update_fields=["sequence", "starts_at", "ends_at", "travel_minutes_before"])


@transaction.atomic
def move_planned_visit(
    *, actor: User, planned_visit: PlannedVisit, staff: User, start: dt.datetime
) -> PlannedVisit:
    """Put a visit of a draft on ``staff``'s day at ``start`` (also a visit the
    planner could not place). The same hard rules as the planner: refused with
    the rule it breaks; otherwise the member's day is re-timed in start order."""
    _refuse_unless_planner(actor)
    plan = DayPlan.objects.select_for_update().get(pk=planned_visit.plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft plan can be changed by hand; this one is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    row = PlannedVisit.objects.select_related("patient", "staff").get(pk=planned_visit.pk)
    errors = Errors()
    if timezone.is_naive(start):
        errors.add("start", _("Give the time with its time zone."))
    elif timezone.localdate(start) != plan.date:
        errors.add(
            "start",
            _("The plan is for %(day)s: choose a time on that day.")
            % {"day": dates.date_format(plan.date, "j E Y")},
        )
    if staff.kind != UserKind.STAFF or not staff.is_active:
        errors.add("staff", _("Choose an active member of staff."))
    errors.raise_if_any()
    shift = preparation.on_shift(plan.date, staff)
    require(
        shift is not None,
        "staff",
        _("%(who)s has no shift on %(day)s.")
        % {"who": staff.display_name, "day": dates.date_format(plan.date, "j E Y")},
    )
    assert shift is not None
    member = preparation.staff_of(shift)
    moving = _routing_visit_of(row, "moving")
    if moving.discipline is not None and moving.discipline != member.discipline:
        require(
            False,
            "staff",
            _("This visit needs the discipline %(needed)s; %(who)s has the discipline %(is)s.")
            % {
                "needed": discipline_label(moving.discipline).lower(),
                "who": staff.display_name,
                "is": discipline_label(member.discipline).lower(),
            },
        )
    missing = sorted(moving.skills - member.skills)
    require(
        not missing,
        "staff",
        _("%(who)s is not signed off for: %(skills)s.")
        % {
            "who": staff.display_name,
            "skills": ", ".join(str(Skill(s).label) if s in Skill.values else s for s in missing),
        },
    )
    wanted_start = preparation.seconds_of(plan.date, start)
    require(
        any(w.start <= wanted_start <= w.end for w in moving.windows),
        "start",
        _("The person can be visited starting %(windows)s, not at %(time)s.")
        % {
            "windows": ", ".join(
                f"{_clock_time(plan.date, w.start)}–{_clock_time(plan.date, w.end)}"
                for w in moving.windows
            )
            or _("at no time that day"),
            "time": _clock_time(plan.date, wanted_start),
        },
    )

    day = _staff_day(plan, staff, without=row)
    assert day is not None
    day.rows["moving"] = row
    day.visits.append(moving)
    day.wanted["moving"] = wanted_start
    travel = _OnceTravel(
        preparation.travel_provider(),
        [member.start, member.end, *(v.place for v in day.visits)],
    )
    check = retime(member, day.visits, day.wanted, travel)
    if not check.ok:
        names = {key: r.patient.full_name for key, r in day.rows.items()}
        errors = Errors()
        for violation in check.violations:
            errors.add(_RULE_FIELD[violation.rule], _violation_message(violation, plan.date, names))
        errors.raise_if_any()

    old_staff, old_start = row.staff, row.starts_at
    row.staff = staff
    row.unplaced_reason = ""
    row.moved_by_hand = True
    row.save(update_fields=["staff", "unplaced_reason", "moved_by_hand"])
    _write_times(plan, day, check)
    if old_staff is not None and old_staff.pk != staff.pk:
        _retime_after_removal(plan, old_staff)
    _refresh_travel(plan)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VISIT_PLAN_VISIT_MOVED,
        patient=row.patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Planned visit on %(day)s moved by hand to %(who)s at %(time)s."),
            day=plan.date,
            who=staff.display_name,
            time=formats.time_format(timezone.localtime(row.starts_at), "H:i"),
        ),
        changes={
            "staff": [old_staff.display_name if old_staff else None, staff.display_name],
            "starts_at": [
                old_start.isoformat() if old_start else None,
                row.starts_at.isoformat() if row.starts_at else None,
            ],
        },
    )
    return row


def _retime_after_removal(plan: DayPlan, user: Any) -> None:
    """The day the visit left: same order, travel counted again. Taking a visit
    out never makes a day break a rule it kept before."""
    day = _staff_day(plan, user)
    if day is None:
        rows = PlannedVisit.objects.filter(plan=plan, staff=user).order_by("starts_at", "pk")
        for sequence, row in enumerate(rows, start=1):
            row.sequence = sequence
            row.save(update_fields=["sequence"])
        return
    travel = _OnceTravel(
        preparation.travel_provider(),
        [day.member.start, day.member.end, *(v.place for v in day.visits)],
    )
    _write_times(plan, day, retime(day.member, day.visits, day.wanted, travel))


def _refresh_travel(plan: DayPlan) -> None:
    total = 0
    staff_ids = (
        PlannedVisit.objects.filter(plan=plan, staff__isnull=False)
        .values_list("staff_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(staff_ids)):
        day = _staff_day(plan, user)
        if day is None:
            continue
        check = retime(day.member, day.visits, day.wanted, preparation.travel_provider())
        total += check.travel
    plan.travel_minutes = round(total / 60)
    plan.save(update_fields=["travel_minutes"])


# --- Publishing ----------------------------------------------------------------------


@transaction.atomic
def publish_plan(*, actor: User, plan: DayPlan) -> list[Visit]:
    """The draft becomes the day: one scheduled ``Visit`` per placed visit,
    each with the window the family is told. Visits the planner could not
    place stay on the draft's list for the coordinator to arrange."""
    _refuse_unless_planner(actor)
    plan = DayPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft can be published; this plan is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    require(plan.date >= clock.today(), "date", _("That day is over: plan a new one."))
    now = clock.now()
    replaced, replaced_key, replaced_params = messages.stored(
        messages.text(gettext_noop("Replaced by a new plan for the day.")),
        language=settings.LANGUAGE_CODE,
    )
    for old in DayPlan.objects.select_for_update().filter(
        date=plan.date, status=PlanStatus.PUBLISHED
    ):
        old.status = PlanStatus.REPLACED
        old.save(update_fields=["status"])
        old.visits.filter(status=VisitStatus.SCHEDULED).update(
            status=VisitStatus.CANCELLED,
            cancelled_reason=replaced,
            cancelled_reason_key=replaced_key,
            cancelled_reason_params=replaced_params,
        )
    rows = (
        PlannedVisit.objects.filter(plan=plan, staff__isnull=False, starts_at__isnull=False)
        .select_related("patient", "need", "urgent_request", "staff")
        .order_by("staff_id", "sequence", "pk")
    )
    visits: list[Visit] = []
    for row in rows:
        assert row.starts_at is not None and row.ends_at is not None and row.staff is not None
        low, high = _family_window(row.starts_at)
        urgent = row.urgent_request
        purpose = row.need.description if row.need else (urgent.reason[:500] if urgent else "")
        visit = Visit.objects.create(
            patient=row.patient,
            staff=row.staff,
            kind=VisitKind.HOME_VISIT,
            discipline=row.discipline,
            purpose=purpose,
            need=row.need,
            urgent_request=urgent,
            alert=urgent.alert if urgent else None,
            plan=plan,
            date=plan.date,
            sequence=row.sequence,
            planned_start=row.starts_at,
            planned_end=row.ends_at,
            family_window_start=low,
            family_window_end=high,
            windows=row.windows,
            skills=row.skills,
        )
        if urgent is not None and urgent.status == UrgentRequestStatus.WAITING:
            urgent.status = UrgentRequestStatus.SCHEDULED
            urgent.save(update_fields=["status"])
        visits.append(visit)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            event_type=AuditEventType.VISIT_PLANNED,
            patient=row.patient,
            obj=visit,
            summary=messages.text(
                gettext_noop(
                    "%(discipline)s home visit on %(day)s, the family told %(low)s–%(high)s."
                ),
                discipline=lazy_discipline_label(row.discipline),
                day=plan.date,
                low=formats.time_format(timezone.localtime(low), "H:i"),
                high=formats.time_format(timezone.localtime(high), "H:i"),
            ),
        )
    plan.status = PlanStatus.PUBLISHED
    plan.published_by = actor
    plan.published_at = now
    plan.save(update_fields=["status", "published_by", "published_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_PLAN_PUBLISHED,
        obj=plan,
        summary=messages.text(
            gettext_noop("Plan for %(day)s published: %(count)s visits."),
            day=plan.date,
            count=len(visits),
        ),
    )
    return visits


# --- An urgent visit today -----------------------------------------------------------


@dataclass
class InsertionReport:
    """What fitting an urgent visit into today did."""

    request: UrgentVisitRequest
    visit: Visit | None
    reason: str = ""  # a code ``reasons.explain`` understands, when not placed
    moved: list[Visit] = field(default_factory=list)
    changes: list[VisitTimeChange] = field(default_factory=list)
    solver_seconds: float = 0.0
    #: With ``reason`` ``NOT_BEFORE_DEADLINE``: what stood in the way, if known.
    cause: str = ""
    #: The day's staff as the planner saw them, to name what is missing.
    staff: tuple[Staff, ...] = ()

    @property
    def placed(self) -> bool:
        return self.visit is not None

    @property
    def reason_label(self) -> str:
        """Why it was not placed, in the reader's (active) language."""
        message = self.reason_message
        return message.render() if message is not None else ""

    @property
    def reason_message(self) -> messages.Message | None:
        """Why it was not placed, as a key and parameters (for the audit
        trail and the dispatch, read in each reader's language)."""
        if not self.reason:
            return None
        if self.reason == DROPS_A_PROMISED_VISIT:
            return messages.text(
                gettext_noop(
                    "Fitting it in today would leave out a visit already promised to a "
                    "family. Arrange it by phone, or cancel or move a visit first."
                )
            )
        details: dict[str, Any] = {
            "day": self.request.for_date,
            "discipline": self.request.discipline,
            "skills": (),
            "staff": self.staff,
            "deadline": self.request.respond_by,
        }
        label = reasons.explain_message(self.reason, **details)
        if self.cause:
            return messages.text(
                gettext_noop("%(reason)s %(cause)s"),
                reason=label,
                cause=reasons.explain_message(self.cause, **details),
            )
        return label


#: Not an ``UnplacedReason``: the urgent visit fits only if another visit goes.
DROPS_A_PROMISED_VISIT = "drops_a_promised_visit"

#: Router reasons that, for a visit with a deadline, mean "not in time".
_TIME_REASONS = {"outside_shifts", "cannot_reach_in_time", "day_full"}


def _visit_key(visit: Visit) -> str:
    return f"visit:{visit.pk}"


def _today_visits(day: dt.date) -> list[Visit]:
    return list(
        Visit.objects.not_cancelled()
        .filter(date=day, kind=VisitKind.HOME_VISIT)
        .select_related("patient", "staff")
        .order_by("staff_id", "planned_start", "pk")
    )


def _snapshot(visits: Sequence[Visit]) -> set[tuple[Any, ...]]:
    return {(v.pk, v.status, v.staff_id, v.planned_start) for v in visits}


def _routing_visit_of_published(visit: Visit, place: Place, day: dt.date) -> RoutingVisit:
    start = preparation.seconds_of(day, visit.planned_start)
    windows = preparation.windows_from_minutes(visit.windows or [])
    if not windows or visit.status != VisitStatus.SCHEDULED:
        # booked by hand, or already happening: it stays where it is
        from hearth.routing.problem import Window

        windows = [Window(start, start)]
    duration = int((visit.planned_end - visit.planned_start).total_seconds())
    return RoutingVisit(
        key=_visit_key(visit),
        place=place,
        duration=max(duration, 60),
        windows=tuple(windows),
        patient=str(visit.patient_id),
        discipline=visit.discipline or None,
        skills=frozenset(visit.skills or []),
        current_staff=preparation.staff_key(visit.staff),
    )


def _current_plan(
    day: dt.date, visits: Sequence[Visit], problem: Problem, staff_keys: set[str]
) -> Plan:
    """Today's published visits as the planner's own answer, with the journey
    to each: the re-plan keeps a visit whose carer has already set off
    (planned start minus travel is past), so the travel must be real."""
    by_staff: dict[str, list[Visit]] = defaultdict(list)
    for visit in visits:
        key = preparation.staff_key(visit.staff)
        if key in staff_keys:
            by_staff[key].append(visit)
    starts = {member.key: member.start for member in problem.staff}
    places = {visit.key: visit.place for visit in problem.visits}
    spots = list({place.key: place for place in [*starts.values(), *places.values()]}.values())
    durations, distances = problem.travel.matrix(spots)
    index = {place.key: n for n, place in enumerate(spots)}
    routes: list[Route] = []
    for key, rows in by_staff.items():
        stops = []
        here = index[starts[key].key]
        for visit in sorted(rows, key=lambda v: v.planned_start):
            start = preparation.seconds_of(day, visit.planned_start)
            end = preparation.seconds_of(day, visit.planned_end)
            there = index[places[_visit_key(visit)].key]
            stops.append(
                Stop(
                    _visit_key(visit),
                    start,
                    start,
                    end,
                    durations[here][there],
                    distances[here][there],
                )
            )
            here = there
        routes.append(
            Route(
                key,
                tuple(stops),
                stops[0].start - stops[0].travel_before,
                stops[-1].end,
                sum(stop.travel_before for stop in stops),
                sum(stop.distance_before for stop in stops),
            )
        )
    return Plan(routes=tuple(routes), unplaced=(), cost=0, feasible=True)


def insert_urgent_visit(*, actor: User, request: UrgentVisitRequest) -> InsertionReport:
    """Fit a waiting urgent visit into today's published plan.

    Visits finished or under way stay as they are; the rest may move, the
    planner preferring to keep each with its staff member. Every visit whose
    family window or staff member changes gets a ``VisitTimeChange`` for the
    coordinator to tell the family. The urgent visit starts no later than
    the request's ``respond_by`` (a hard window, never after routine visits
    that could wait). If it cannot start by then, or only by leaving out a
    visit already promised, nothing in the day changes, the report says why
    and the request goes to the clinician on call (``hand_to_on_call``)."""
    from hearth.routing.solver import replan

    _refuse_unless_planner(actor)
    day = clock.today()
    if request.status != UrgentRequestStatus.WAITING:
        raise InvalidTransition(
            _("This urgent visit is no longer waiting (%(status)s).")
            % {"status": request.get_status_display().lower()}
        )
    require(
        request.for_date == day,
        "for_date",
        _("Only today's urgent visits are fitted into a published plan."),
    )
    if not DayPlan.objects.filter(date=day, status=PlanStatus.PUBLISHED).exists():
        raise Conflict(
            _(
                "There is no published plan for today: plan and publish today first "
                "(the urgent visit is then planned with the rest)."
            )
        )
    request = UrgentVisitRequest.objects.select_related("patient", "alert").get(pk=request.pk)
    key = f"urgent:{request.pk}"
    urgent_place = preparation.patient_place(request.patient)
    windows = preparation.urgent_windows(day, request.duration_minutes, request.respond_by)
    shifts = preparation.shifts_on(day)
    staff = tuple(preparation.staff_of(shift) for shift in shifts)
    if urgent_place is None:
        return _not_placed(actor, request, UnplacedReason.NO_ADDRESS, 0.0)
    if not staff:
        return _not_placed(actor, request, Reason.NO_STAFF_ON_SHIFT, 0.0)
    if not windows:
        too_late = request.respond_by is not None
        reason = reasons.NOT_BEFORE_DEADLINE if too_late else UnplacedReason.NO_FREE_TIME
        return _not_placed(actor, request, reason, 0.0, staff=staff)

    users = {preparation.staff_key(shift.staff): shift.staff for shift in shifts}
    visits = _today_visits(day)
    snapshot = _snapshot(visits)
    routing_visits: list[RoutingVisit] = []
    by_key: dict[str, Visit] = {}
    for visit in visits:
        place = preparation.patient_place(visit.patient)
        if place is None:
            continue
        by_key[_visit_key(visit)] = visit
        routing_visits.append(_routing_visit_of_published(visit, place, day))
    due = preparation.DueVisit(
        key=key,
        patient=request.patient,
        discipline=request.discipline,
        skills=[],
        duration_minutes=request.duration_minutes,
        windows=windows,
        purpose=request.reason[:500],
        urgent_request=request,
        languages=frozenset({request.patient.preferred_language}) - {""},
    )
    routing_visits.append(preparation.routing_visit(due, urgent_place))
    problem = Problem(
        staff=staff,
        visits=tuple(routing_visits),
        travel=preparation.travel_provider(),
        weights=preparation.weights(),
    )
    current = _current_plan(day, [by_key[k] for k in by_key], problem, set(users))
    plan = replan(
        problem,
        current,
        now=preparation.now_seconds(day),
        started={
            _visit_key(v): preparation.seconds_of(day, v.arrived_at)
            for v in by_key.values()
            if v.status == VisitStatus.UNDER_WAY and v.arrived_at is not None
        },
        done=[_visit_key(v) for v in by_key.values() if v.status == VisitStatus.COMPLETED],
        seconds=settings.HEARTH_URGENT_REPLAN_SECONDS,
        moved_threshold=settings.HEARTH_REPLAN_MOVED_MINUTES * 60,
    )
    assignments = plan.assignments
    if key not in assignments:
        reason = next((u.reason.value for u in plan.unplaced if u.visit == key), "day_full")
        if request.respond_by is not None and reason in _TIME_REASONS:
            return _not_placed(
                actor, request, reasons.NOT_BEFORE_DEADLINE, plan.seconds, cause=reason
            )
        return _not_placed(actor, request, reason, plan.seconds, staff=staff)
    dropped = [k for k in plan.moved if k in by_key and k not in assignments]
    if dropped:
        return _not_placed(actor, request, DROPS_A_PROMISED_VISIT, plan.seconds)
    deadline = preparation.seconds_of(day, request.respond_by) if request.respond_by else None
    if deadline is not None and assignments[key][1].start > deadline:
        # The window forbids it; should the search ever break it, the on-call
        # clinician goes rather than the family waiting past the deadline.
        return _not_placed(actor, request, reasons.NOT_BEFORE_DEADLINE, plan.seconds)
    return _apply_insertion(
        actor=actor,
        request=request,
        plan=plan,
        day=day,
        by_key=by_key,
        users=users,
        windows=windows,
        snapshot=snapshot,
    )


def _not_placed(
    actor: User,
    request: UrgentVisitRequest,
    reason: str,
    seconds: float,
    *,
    cause: str = "",
    staff: tuple[Staff, ...] = (),
) -> InsertionReport:
    report = InsertionReport(
        request=request,
        visit=None,
        reason=str(reason),
        solver_seconds=seconds,
        cause=cause,
        staff=staff,
    )
    hand_to_on_call(actor=actor, request=request, reason=report.reason_message or "")
    return report


@transaction.atomic
def hand_to_on_call(
    *, actor: User | None, request: UrgentVisitRequest, reason: str | messages.Message
) -> None:
    """The day's plan cannot start this urgent visit before its deadline:
    say why in the audit trail and hand it, in the same transaction, to the
    clinician on call (``urgent_visit_not_placed_in_time``; visits' receiver
    offers it), so it never waits for a later route. ``actor`` is who the
    planner acted for (None: nobody, e.g. no coordinator)."""
    from hearth.visits.signals import urgent_visit_not_placed_in_time

    request = (
        UrgentVisitRequest.objects.select_for_update().select_related("patient").get(pk=request.pk)
    )
    if request.status != UrgentRequestStatus.WAITING:
        return  # placed, done or cancelled meanwhile: nothing to hand on
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=AuditEventType.URGENT_VISIT_NOT_PLACED,
        patient=request.patient,
        obj=request,
        summary=messages.text(
            gettext_noop(
                "The urgent visit could not be started before its deadline in today's plan: "
                "%(reason)s It goes to the clinician on call."
            ),
            reason=reason,
        ),
        changes={"respond_by": request.respond_by.isoformat() if request.respond_by else None},
    )
    urgent_visit_not_placed_in_time.send(sender=UrgentVisitRequest, request=request, reason=reason)


@transaction.atomic
def _apply_insertion(
    *,
    actor: User,
    request: UrgentVisitRequest,
    plan: Plan,
    day: dt.date,
    by_key: dict[str, Visit],
    users: dict[str, User],
    windows: Sequence[Any],
    snapshot: set[tuple[Any, ...]],
) -> InsertionReport:
    locked = UrgentVisitRequest.objects.select_for_update().get(pk=request.pk)
    current = list(
        Visit.objects.select_for_update()
        .not_cancelled()
        .filter(date=day, kind=VisitKind.HOME_VISIT)
    )
    if locked.status != UrgentRequestStatus.WAITING or _snapshot(current) != snapshot:
        raise Conflict(_("Today's plan changed while the planner was working. Try again."))
    published = DayPlan.objects.filter(date=day, status=PlanStatus.PUBLISHED).first()
    moved_keys = set(plan.moved)
    sequences: dict[str, int] = {}
    for route in plan.routes:
        for n, stop in enumerate(sorted(route.stops, key=lambda s: s.start), start=1):
            sequences[stop.visit] = n
    report = InsertionReport(request=locked, visit=None, solver_seconds=plan.seconds)
    because = _("An urgent visit was fitted into the day.")
    for key, (staff_key, stop) in plan.assignments.items():
        visit = by_key.get(key)
        if visit is None or visit.status != VisitStatus.SCHEDULED:
            continue
        new_staff = users[staff_key]
        new_start = preparation.at_seconds(day, stop.start)
        new_end = preparation.at_seconds(day, stop.end)
        staff_changed = new_staff.pk != visit.staff_id
        old_window = (visit.family_window_start, visit.family_window_end)
        new_window = old_window
        if key in moved_keys or staff_changed:
            new_window = _family_window(new_start)
        changed = (
            new_start != visit.planned_start
            or new_staff.pk != visit.staff_id
            or sequences[key] != visit.sequence
        )
        if not changed:
            continue
        old_staff = visit.staff
        visit.staff = new_staff
        visit.planned_start, visit.planned_end = new_start, new_end
        visit.sequence = sequences[key]
        visit.family_window_start, visit.family_window_end = new_window
        visit.save(
            update_fields=[
                "staff",
                "planned_start",
                "planned_end",
                "sequence",
                "family_window_start",
                "family_window_end",
            ]
        )
        if staff_changed or new_window != old_window:
            change = VisitTimeChange.objects.create(
                visit=visit,
                old_window_start=old_window[0],
                old_window_end=old_window[1],
                new_window_start=new_window[0],
                new_window_end=new_window[1],
                old_staff=old_staff,
                new_staff=new_staff,
                because=because,
            )
            report.moved.append(visit)
            report.changes.append(change)
            family_messages.visit_moved(change)
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                event_type=AuditEventType.VISIT_MOVED,
                patient=visit.patient,
                obj=visit,
                summary=messages.text(
                    gettext_noop(
                        "Visit moved to fit in an urgent visit: now %(who)s, %(low)s–%(high)s."
                    ),
                    who=new_staff.display_name,
                    low=formats.time_format(timezone.localtime(new_window[0]), "H:i"),
                    high=formats.time_format(timezone.localtime(new_window[1]), "H:i"),
                ),
                changes={
                    "staff": [old_staff.display_name, new_staff.display_name],
                    "family_window_start": [old_window[0].isoformat(), new_window[0].isoformat()],
                },
            )
    staff_key, stop = plan.assignments[f"urgent:{locked.pk}"]
    start = preparation.at_seconds(day, stop.start)
    low, high = _family_window(start)
    visit = Visit.objects.create(
        patient=locked.patient,
        staff=users[staff_key],
        kind=VisitKind.HOME_VISIT,
        discipline=locked.discipline,
        purpose=locked.reason[:500],
        urgent_request=locked,
        alert=locked.alert,
        plan=published,
        date=day,
        sequence=sequences[f"urgent:{locked.pk}"],
        planned_start=start,
        planned_end=preparation.at_seconds(day, stop.end),
        family_window_start=low,
        family_window_end=high,
        windows=preparation.windows_to_minutes(windows),
        skills=[],
    )
    locked.status = UrgentRequestStatus.SCHEDULED
    locked.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.URGENT_VISIT_SCHEDULED,
        patient=locked.patient,
        obj=visit,
        summary=messages.text(
            gettext_noop(
                "Urgent visit fitted into today: %(who)s at about %(time)s; %(moved)s other "
                "visits moved."
            ),
            who=visit.staff.display_name,
            time=formats.time_format(timezone.localtime(start), "H:i"),
            moved=len(report.moved),
        ),
    )
    report.visit = visit
    return report


# --- Telling the family --------------------------------------------------------------


@transaction.atomic
def mark_family_told(*, actor: User, change: VisitTimeChange) -> VisitTimeChange:
    _refuse_unless_planner(actor)
    change = (
        VisitTimeChange.objects.select_for_update()
        .select_related("visit__patient")
        .get(pk=change.pk)
    )
    if change.family_told_at is not None:
        raise InvalidTransition(_("The family has already been told about this change."))
    change.family_told_at = clock.now()
    change.family_told_by = actor
    change.save(update_fields=["family_told_at", "family_told_by"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VISIT_FAMILY_TOLD,
        patient=change.visit.patient,
        obj=change.visit,
        summary=messages.text(
            gettext_noop("The family was told the visit's new time: %(low)s–%(high)s."),
            low=formats.time_format(timezone.localtime(change.new_window_start), "H:i"),
            high=formats.time_format(timezone.localtime(change.new_window_end), "H:i"),
        ),
    )
    return change
