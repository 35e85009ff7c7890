"""Planning the team's day over JSON.

The same services (``hearth.planning.planner``) and rules as the pages: the
coordinator plans, moves, publishes, fits in urgent visits and records that a
family was told; staff read their own day (the coordinator anyone's).
Planned visits and time changes have no external id yet, so they are named
by their integer id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from hearth.accounts.models import User
from hearth.core import audit, clock
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound, ValidationFailed
from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.patients.schemas import StrictIn
from hearth.planning import planner, reasons
from hearth.visits.models import (
    DayPlan,
    PlannedVisit,
    UrgentVisitRequest,
    Visit,
    VisitTimeChange,
)

router = Router(tags=["visit planning"])


# --- Schemas ------------------------------------------------------------------------


class PlanDayIn(StrictIn):
    date: CalendarDate


class MoveIn(StrictIn):
    staff_id: UUID
    start: AwareDateTime = Field(description="With its time zone, on the plan's day.")


class PlannedVisitOut(Schema):
    id: int
    patient_id: UUID
    patient_name: str
    need_id: UUID | None
    urgent_request_id: UUID | None
    discipline: str
    skills: list[str]
    duration_minutes: int
    windows: list[list[int]] = Field(description="Allowed starts, minutes after local midnight.")
    staff_id: UUID | None
    sequence: int | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    travel_minutes_before: int
    unplaced_reason: str
    unplaced_reason_label: str
    moved_by_hand: bool

    @staticmethod
    def resolve_patient_id(obj: PlannedVisit) -> UUID:
        return obj.patient.external_id

    @staticmethod
    def resolve_patient_name(obj: PlannedVisit) -> str:
        return obj.patient.full_name

    @staticmethod
    def resolve_need_id(obj: PlannedVisit) -> UUID | None:
        return obj.need.external_id if obj.need else None

    @staticmethod
    def resolve_urgent_request_id(obj: PlannedVisit) -> UUID | None:
        return obj.urgent_request.external_id if obj.urgent_request else None

    @staticmethod
    def resolve_staff_id(obj: PlannedVisit) -> UUID | None:
        return obj.staff.external_id if obj.staff else None

    @staticmethod
    def resolve_unplaced_reason_label(obj: PlannedVisit) -> str:
        return reasons.unplaced_text(obj)


class DayPlanOut(Schema):
    id: UUID = Field(alias="external_id")
    date: dt.date
    status: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    solver_seconds: float
    travel_minutes: int
    planned_visits: list[PlannedVisitOut]

    @staticmethod
    def resolve_planned_visits(obj: DayPlan) -> list[PlannedVisit]:
        return list(obj.planned_visits.select_related("patient", "need", "urgent_request", "staff"))


class PlannedDayVisitOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    patient_name: str
    address: str
    staff_id: UUID
    discipline: str
    purpose: str
    date: dt.date
    sequence: int | None
    planned_start: dt.datetime
    planned_end: dt.datetime
    family_window_start: dt.datetime
    family_window_end: dt.datetime
    status: str
    urgent: bool

    @staticmethod
    def resolve_patient_id(obj: Visit) -> UUID:
        return obj.patient.external_id

    @staticmethod
    def resolve_patient_name(obj: Visit) -> str:
        return obj.patient.full_name

    @staticmethod
    def resolve_address(obj: Visit) -> str:
        return f"{obj.patient.address_line}, {obj.patient.city} {obj.patient.postal_code}".strip()

    @staticmethod
    def resolve_staff_id(obj: Visit) -> UUID:
        return obj.staff.external_id

    @staticmethod
    def resolve_urgent(obj: Visit) -> bool:
        return obj.urgent_request_id is not None


class TimeChangeOut(Schema):
    id: int
    visit_id: UUID
    patient_name: str
    old_window_start: dt.datetime
    old_window_end: dt.datetime
    new_window_start: dt.datetime
    new_window_end: dt.datetime
    old_staff_id: UUID
    new_staff_id: UUID
    because: str
    changed_at: dt.datetime
    family_told_at: dt.datetime | None

    @staticmethod
    def resolve_visit_id(obj: VisitTimeChange) -> UUID:
        return obj.visit.external_id

    @staticmethod
    def resolve_patient_name(obj: VisitTimeChange) -> str:
        return obj.visit.patient.full_name

    @staticmethod
    def resolve_old_staff_id(obj: VisitTimeChange) -> UUID:
        return obj.old_staff.external_id

    @staticmethod
    def resolve_new_staff_id(obj: VisitTimeChange) -> UUID:
        return obj.new_staff.external_id


class InsertionOut(Schema):
    placed: bool
    visit: PlannedDayVisitOut | None
    reason: str
    reason_label: str
    moved: list[TimeChangeOut]
    solver_seconds: float


class DayQuery(Schema):
    date: CalendarDate | None = None


# --- Helpers ------------------------------------------------------------------------


def _coordinator(request: HttpRequest) -> User:
    actor = actor_of(request)
    if not actor.has_perm(planner.PLAN_PERM):
        raise NotAllowed(_("Only the care coordinator plans the team's day."))
    return actor


def _found(queryset: Any, **lookup: Any) -> Any:
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


# --- Routes -------------------------------------------------------------------------


@router.post("/visit-plans", response={201: DayPlanOut, **ERROR_RESPONSES})
def plan_day(request: HttpRequest, payload: PlanDayIn) -> Any:
    """Plan a day as a draft (replacing an earlier draft); takes a few seconds."""
    plan = planner.plan_day(actor=actor_of(request), date=payload.date)
    return Status(201, plan)


@router.get("/visit-plans/{plan_id}", response={200: DayPlanOut, **ERROR_RESPONSES})
def get_plan(request: HttpRequest, plan_id: UUID) -> Any:
    _coordinator(request)
    plan = _found(DayPlan.objects, external_id=plan_id)
    audit.record_list_view(
        actor=actor_of(request),
        event_type=AuditEventType.VISIT_PLAN_VIEWED,
        patients={row.patient for row in plan.planned_visits.select_related("patient")},
    )
    return plan


@router.post(
    "/visit-plans/{plan_id}/publish", response={200: list[PlannedDayVisitOut], **ERROR_RESPONSES}
)
def publish_plan(request: HttpRequest, plan_id: UUID) -> Any:
    actor = _coordinator(request)
    plan = _found(DayPlan.objects, external_id=plan_id)
    return planner.publish_plan(actor=actor, plan=plan)


@router.post(
    "/planned-visits/{planned_visit_id}/move", response={200: PlannedVisitOut, **ERROR_RESPONSES}
)
def move_planned_visit(request: HttpRequest, planned_visit_id: int, payload: MoveIn) -> Any:
    actor = _coordinator(request)
    row = _found(PlannedVisit.objects.select_related("plan"), pk=planned_visit_id)
    staff = User.objects.filter(external_id=payload.staff_id).first()
    if staff is None:
        message = _("No such member of staff.")
        raise ValidationFailed(message, field_errors={"staff_id": [message]})
    moved = planner.move_planned_visit(
        actor=actor, planned_visit=row, staff=staff, start=payload.start
    )
    return PlannedVisit.objects.select_related("patient", "need", "urgent_request", "staff").get(
        pk=moved.pk
    )


@router.post(
    "/urgent-visit-requests/{request_id}/insert",
    response={200: InsertionOut, **ERROR_RESPONSES},
)
def insert_urgent_visit(request: HttpRequest, request_id: UUID) -> Any:
    """Fit a waiting urgent visit into today's published plan. ``placed`` false
    with a ``reason`` when it cannot be fitted in (nothing changed)."""
    actor = _coordinator(request)
    urgent = _found(UrgentVisitRequest.objects, external_id=request_id)
    report = planner.insert_urgent_visit(actor=actor, request=urgent)
    return {
        "placed": report.placed,
        "visit": report.visit,
        "reason": report.reason,
        "reason_label": report.reason_label,
        "moved": report.changes,
        "solver_seconds": round(report.solver_seconds, 3),
    }


@router.get("/staff/{staff_id}/day", response={200: list[PlannedDayVisitOut], **ERROR_RESPONSES})
def staff_day(request: HttpRequest, staff_id: UUID, query: Query[DayQuery]) -> Any:
    """A staff member's published visits for a day (default today), in order."""
    actor = actor_of(request)
    member = User.objects.filter(external_id=staff_id).first()
    if member is None or not actor.has_perm("visits.view_staff_day", member):
        raise NotFound(_("Not found."))
    visits = list(
        Visit.objects.not_cancelled()
        .filter(staff=member, date=query.date or clock.today())
        .select_related("patient", "staff")
        .order_by("planned_start", "pk")
    )
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.STAFF_DAY_VIEWED,
        patients={v.patient for v in visits},
    )
    return visits


@router.post(
    "/visit-time-changes/{change_id}/family-told", response={200: TimeChangeOut, **ERROR_RESPONSES}
)
def family_told(request: HttpRequest, change_id: int) -> Any:
    actor = _coordinator(request)
    change = _found(
        VisitTimeChange.objects.select_related("visit__patient", "old_staff", "new_staff"),
        pk=change_id,
    )
    return planner.mark_family_told(actor=actor, change=change)
