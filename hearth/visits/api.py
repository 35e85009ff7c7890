"""Visits over JSON: urgent requests, staff availability, visit needs, the
family's time requests, teleconsultations and the visit record.

The same services, queries and rules as the pages; nothing here writes a
model. The family reads ``GET /portal/visits`` (the family window of a home
visit, never its planned minute); ``GET /patients/{id}/visits`` is the staff
record's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.monitoring.models import Alert
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.schemas import ReasonIn
from hearth.visits import queries, services
from hearth.visits.models import Dispatch, Shift, Visit, VisitNeed, VisitTimeRequest
from hearth.visits.schemas import (
    ArriveIn,
    AvailabilityQuery,
    CloseVisitIn,
    DeclineIn,
    DispatchDoneIn,
    DispatchOut,
    FromCarePlanIn,
    OnTheWayIn,
    PatientVisitsOut,
    PlanningProfileIn,
    PlanningProfileOut,
    PortalVisitsOut,
    ShiftIn,
    ShiftOut,
    StaffAvailabilityOut,
    TeleconsultIn,
    TimeRequestIn,
    TimeRequestOut,
    UrgentVisitIn,
    UrgentVisitOut,
    VisitNeedIn,
    VisitNeedOut,
    VisitNoteIn,
    VisitNoteOut,
    VisitOut,
)

router = Router(tags=["visits"])
T = TypeVar("T", bound=Schema)

VIEW = "visits.view_visits"


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _staff_member(staff_id: UUID, field: str = "staff_id") -> User:
    found = User.objects.filter(external_id=staff_id, kind=UserKind.STAFF).first()
    if found is None:
        raise _refused(field, _("No member of staff with that identifier."))
    return found


def _staff_only(actor: User) -> None:
    if actor.kind != UserKind.STAFF:
        raise NotAllowed(_("Your role does not allow this."))


def _visit(request: HttpRequest, visit_id: UUID, read: str | None = None) -> Visit:
    """A visit is opened through its patient: staff who may see the record."""
    actor = actor_of(request)
    _staff_only(actor)
    visit = queries.visit_detail(visit_id)
    if visit is None:
        raise NotFound(_("Not found."))
    _open(request, visit.patient.external_id, VIEW, read)
    return visit


def _optional_body(request: HttpRequest, schema: type[T]) -> T | None:
    """An optional JSON body: an empty POST means "the defaults" (ninja
    refuses an empty body for a declared one)."""
    if request.content_type != "application/json" or not request.body.strip():
        return None
    try:
        return schema.model_validate_json(request.body)
    except PydanticValidationError as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors():
            field = ".".join(str(part) for part in item.get("loc", ())) or "__all__"
            errors.setdefault(field, []).append(str(item.get("msg", _("Invalid value."))))
        raise ValidationFailed(_("Some details need correcting."), field_errors=errors) from error


def _body_doc(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def _fresh(visit: Visit) -> Visit:
    found = queries.visit_detail(visit.external_id)
    assert found is not None
    return found


# --- Urgent visit requests -------------------------------------------------------


@router.get(
    "/urgent-visit-requests", response={200: CursorPage.of(UrgentVisitOut), **ERROR_RESPONSES}
)
def list_urgent_visits(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Waiting and scheduled urgent visits on the caller's patients (the
    coordinator: all), the soonest first, a page at a time; only the patients
    of the page served are audited as listed."""
    actor = actor_of(request)
    if not actor.has_perm("visits.view_urgent_requests"):
        raise NotFound(_("Not found."))
    page = cursor_page(
        request,
        queries.urgent_request_rows(actor),
        list_name="urgent-visit-requests",
        ordering=queries.URGENT_ORDER,
        paging=paging,
    )
    queries.audit_urgent_requests_listed(actor, page.items)
    return page.answer()


@router.post(
    "/patients/{patient_id}/urgent-visit-requests",
    response={201: UrgentVisitOut, **ERROR_RESPONSES},
)
def request_urgent_visit(request: HttpRequest, patient_id: UUID, payload: UrgentVisitIn) -> Any:
    patient = access.access_patient_for(
        actor_of(request), patient_id, "visits.request_urgent_visit"
    )
    return Status(
        201,
        services.request_urgent_visit(
            actor=actor_of(request), patient=patient, **payload.model_dump()
        ),
    )


# --- Staff availability ------------------------------------------------------------


@router.get(
    "/staff-availability",
    response={200: CursorPage.of(StaffAvailabilityOut), **ERROR_RESPONSES},
)
def staff_availability(
    request: HttpRequest, query: Query[AvailabilityQuery], paging: Query[CursorQuery]
) -> Any:
    """Staff planned onto visits, their skills, languages, visits a day and
    shifts from ``from`` to ``to`` (default: the next seven days), by
    discipline and name, a page at a time. The coordinator sees everyone;
    other staff see only themselves."""
    actor = actor_of(request)
    _staff_only(actor)
    start = query.start or clock.today()
    end = query.end or start + timedelta(days=6)
    if end < start:
        raise _refused("to", _("The last day is on or after the first."))
    if (end - start).days >= queries.AVAILABILITY_MAX_DAYS:
        raise _refused(
            "to", _("At most %(days)s days at once.") % {"days": queries.AVAILABILITY_MAX_DAYS}
        )
    page = cursor_page(
        request,
        queries.availability_people(actor, start, end),
        list_name="staff-availability",
        ordering=queries.AVAILABILITY_ORDER,
        paging=paging,
    )
    return {"items": queries.availability_rows(page.items), "next": page.next}


@router.put(
    "/staff/{staff_id}/planning-profile",
    response={200: PlanningProfileOut, **ERROR_RESPONSES},
)
def set_planning_profile(request: HttpRequest, staff_id: UUID, payload: PlanningProfileIn) -> Any:
    data = payload.model_dump()
    data["skills"] = [str(skill) for skill in payload.skills]
    return services.set_planning_profile(
        actor=actor_of(request), staff=get_by_external_id(User, staff_id), **data
    )


@router.post("/staff/{staff_id}/shifts", response={201: ShiftOut, **ERROR_RESPONSES})
def add_shift(request: HttpRequest, staff_id: UUID, payload: ShiftIn) -> Any:
    data = payload.model_dump()
    data["starts_from"] = str(payload.starts_from)
    data["ends_at_place"] = str(payload.ends_at_place)
    return Status(
        201,
        services.add_shift(
            actor=actor_of(request), staff=get_by_external_id(User, staff_id), **data
        ),
    )


def _cancel_shift(request: HttpRequest, shift_id: UUID) -> Any:
    shift = get_by_external_id(Shift, shift_id, select=("staff",))
    return services.cancel_shift(actor=actor_of(request), shift=shift)


@router.post("/shifts/{shift_id}/cancel", response={200: ShiftOut, **ERROR_RESPONSES})
def cancel_shift(request: HttpRequest, shift_id: UUID) -> Any:
    return _cancel_shift(request, shift_id)


@router.delete("/shifts/{shift_id}", response={200: ShiftOut, **ERROR_RESPONSES})
def delete_shift(request: HttpRequest, shift_id: UUID) -> Any:
    """The same as ``POST /shifts/{id}/cancel``: the shift is kept, cancelled."""
    return _cancel_shift(request, shift_id)


# --- A person's visits (staff) --------------------------------------------------


@router.get("/patients/{patient_id}/visits", response={200: PatientVisitsOut, **ERROR_RESPONSES})
def patient_visits(request: HttpRequest, patient_id: UUID) -> Any:
    """Needs, upcoming and past visits and the family's time requests. Staff
    only: the family reads ``GET /portal/visits``."""
    _staff_only(actor_of(request))
    patient = _open(request, patient_id, VIEW, AuditEventType.VISITS_VIEWED)
    return queries.patient_visits(patient)


@router.get(
    "/patients/{patient_id}/visits/past",
    response={200: CursorPage.of(VisitOut), **ERROR_RESPONSES},
)
def past_visits(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Every past visit and call, newest first, a page at a time: follow
    ``next`` until it is null (``GET …/visits`` carries only the newest 50)."""
    _staff_only(actor_of(request))
    patient = _open(request, patient_id, VIEW, AuditEventType.VISITS_VIEWED)
    return cursor_page(
        request,
        queries.past_visits(patient),
        list_name="past-visits",
        ordering=("-planned_start", "-id"),
        paging=paging,
    ).answer()


@router.post("/patients/{patient_id}/visit-needs", response={201: VisitNeedOut, **ERROR_RESPONSES})
def add_visit_need(request: HttpRequest, patient_id: UUID, payload: VisitNeedIn) -> Any:
    patient = _open(request, patient_id, "visits.manage_visit_needs")
    data = payload.model_dump(exclude={"preferred_staff_id"})
    data["kind"] = str(payload.kind)
    data["per"] = str(payload.per)
    data["skills"] = [str(skill) for skill in payload.skills]
    preferred = (
        _staff_member(payload.preferred_staff_id, "preferred_staff_id")
        if payload.preferred_staff_id
        else None
    )
    return Status(
        201,
        services.add_visit_need(
            actor=actor_of(request), patient=patient, preferred_staff=preferred, **data
        ),
    )


@router.post(
    "/patients/{patient_id}/visit-needs/from-care-plan",
    response={201: list[VisitNeedOut], **ERROR_RESPONSES},
    openapi_extra=_body_doc(FromCarePlanIn),
)
def visit_needs_from_care_plan(request: HttpRequest, patient_id: UUID) -> Any:
    """One care-plan line (``intervention_id``) or, with no body, every home
    visit and teleconsultation of the active plan that has no need yet (safe
    to repeat: the second call creates nothing and answers an empty list)."""
    from hearth.careplans.models import PlanIntervention

    patient = _open(request, patient_id, "visits.manage_visit_needs")
    actor = actor_of(request)
    payload = _optional_body(request, FromCarePlanIn)
    if payload is not None and payload.intervention_id is not None:
        intervention = (
            PlanIntervention.objects.select_related("goal__need__plan", "responsible")
            .filter(external_id=payload.intervention_id, goal__need__plan__patient=patient)
            .first()
        )
        if intervention is None:
            raise _refused("intervention_id", _("No such line in this person's care plan."))
        return Status(
            201, [services.visit_need_from_intervention(actor=actor, intervention=intervention)]
        )
    return Status(201, services.sync_needs_from_care_plan(actor=actor, patient=patient))


@router.post("/visit-needs/{need_id}/end", response={200: VisitNeedOut, **ERROR_RESPONSES})
def end_visit_need(request: HttpRequest, need_id: UUID) -> Any:
    need = get_by_external_id(VisitNeed, need_id, select=("patient", "preferred_staff"))
    _open(request, need.patient.external_id, "visits.manage_visit_needs")
    return services.end_visit_need(actor=actor_of(request), need=need)


# --- Time requests ---------------------------------------------------------------------


@router.post(
    "/patients/{patient_id}/visit-time-requests",
    response={201: TimeRequestOut, **ERROR_RESPONSES},
)
def request_visit_time(request: HttpRequest, patient_id: UUID, payload: TimeRequestIn) -> Any:
    """The family (or staff for them) asks that visits on one day come only
    between, or not between, two times."""
    patient = _open(request, patient_id, "visits.request_visit_time")
    data = payload.model_dump()
    data["kind"] = str(payload.kind)
    return Status(
        201, services.request_visit_time(actor=actor_of(request), patient=patient, **data)
    )


@router.post(
    "/visit-time-requests/{request_id}/withdraw",
    response={200: TimeRequestOut, **ERROR_RESPONSES},
)
def withdraw_visit_time_request(request: HttpRequest, request_id: UUID) -> Any:
    found = get_by_external_id(VisitTimeRequest, request_id, select=("patient", "requested_by"))
    _open(request, found.patient.external_id, "visits.request_visit_time")
    return services.withdraw_visit_time_request(actor=actor_of(request), request=found)


# --- Teleconsultations --------------------------------------------------------------


@router.post("/patients/{patient_id}/teleconsults", response={201: VisitOut, **ERROR_RESPONSES})
def book_teleconsult(request: HttpRequest, patient_id: UUID, payload: TeleconsultIn) -> Any:
    patient = _open(request, patient_id, "visits.book_teleconsult")
    participants = []
    for person_id in payload.participant_ids:
        person = User.objects.filter(external_id=person_id).first()
        if person is None:
            raise _refused("participant_ids", _("No such person."))
        participants.append(person)
    need = None
    if payload.need_id is not None:
        need = VisitNeed.objects.filter(external_id=payload.need_id, patient=patient).first()
        if need is None:
            raise _refused("need_id", _("No such visit need for this person."))
    alert = None
    if payload.alert_id is not None:
        alert = Alert.objects.filter(external_id=payload.alert_id, patient=patient).first()
        if alert is None:
            raise _refused("alert_id", _("No such alert for this person."))
    visit = services.book_teleconsult(
        actor=actor_of(request),
        patient=patient,
        staff=_staff_member(payload.staff_id),
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        video_link=payload.video_link,
        participants=participants,
        participants_note=payload.participants_note,
        purpose=payload.purpose,
        need=need,
        alert=alert,
    )
    return Status(201, _fresh(visit))


# --- The visit record ---------------------------------------------------------------------


@router.get("/visits/{visit_id}", response={200: VisitOut, **ERROR_RESPONSES})
def get_visit(request: HttpRequest, visit_id: UUID) -> Any:
    return _visit(request, visit_id, AuditEventType.VISIT_VIEWED)


@router.post(
    "/visits/{visit_id}/arrive",
    response={200: VisitOut, **ERROR_RESPONSES},
    openapi_extra=_body_doc(ArriveIn),
)
def arrive(request: HttpRequest, visit_id: UUID) -> Any:
    """Optional body ``{"at": ...}``; without one, the arrival is now."""
    visit = _visit(request, visit_id)
    payload = _optional_body(request, ArriveIn)
    at = payload.at if payload is not None else None
    return _fresh(services.arrive(actor=actor_of(request), visit=visit, at=at))


@router.post("/visits/{visit_id}/notes", response={201: VisitNoteOut, **ERROR_RESPONSES})
def add_visit_note(request: HttpRequest, visit_id: UUID, payload: VisitNoteIn) -> Any:
    visit = _visit(request, visit_id)
    return Status(
        201, services.add_visit_note(actor=actor_of(request), visit=visit, text=payload.text)
    )


@router.post("/visits/{visit_id}/close", response={200: VisitOut, **ERROR_RESPONSES})
def close_visit(request: HttpRequest, visit_id: UUID, payload: CloseVisitIn) -> Any:
    """Close with what happened; PPS and phase go to the assessments app and
    an alert the visit answers is resolved (or left open) through monitoring."""
    visit = _visit(request, visit_id)
    data = payload.model_dump()
    data["alert_outcome"] = str(payload.alert_outcome) if payload.alert_outcome else None
    return _fresh(services.close_visit(actor=actor_of(request), visit=visit, **data))


@router.post("/visits/{visit_id}/cancel", response={200: VisitOut, **ERROR_RESPONSES})
def cancel_visit(request: HttpRequest, visit_id: UUID, payload: ReasonIn) -> Any:
    visit = _visit(request, visit_id)
    return _fresh(
        services.cancel_visit(actor=actor_of(request), visit=visit, reason=payload.reason)
    )


# --- The family portal ------------------------------------------------------------------


@router.get("/portal/visits", response={200: PortalVisitsOut, **ERROR_RESPONSES})
def portal_visits(request: HttpRequest) -> Any:
    """The family's own patient: upcoming visits with the window they are
    told (never the planned minute of a home visit), who is coming,
    teleconsultations with their time and link, time changes and requests."""
    actor = actor_of(request)
    patient = access.portal_patient(actor)
    if patient is None:
        raise NotFound(_("Not found."))
    patient = _open(request, patient.external_id, VIEW, AuditEventType.VISITS_PORTAL_VIEWED)
    found = queries.portal_visits(patient)
    return {
        "patient_id": patient.external_id,
        "upcoming": found.upcoming,
        "recent": found.recent,
        "changes": found.changes,
        "time_requests": found.time_requests,
    }


# --- Dispatch to the clinician on call ------------------------------------------------


def _staff_only_or_not_found(actor: User) -> None:
    """A family or a patient is never told the dispatches exist."""
    if actor.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))


def _dispatch_for(request: HttpRequest, dispatch_id: UUID) -> Dispatch:
    """A dispatch the caller may see: staff who may not are refused, anyone
    else is told it does not exist."""
    _staff_only_or_not_found(actor_of(request))
    access.refuse_a_volunteer(actor_of(request))
    found = get_by_external_id(
        Dispatch, dispatch_id, select=("patient", "request", "offered_to", "accepted_by")
    )
    if not actor_of(request).has_perm("visits.view_dispatch", found):
        raise NotAllowed(_("This urgent visit is not yours to see."))
    return found  # type: ignore[no-any-return]


@router.get("/dispatches", response={200: CursorPage.of(DispatchOut), **ERROR_RESPONSES})
def list_dispatches(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """The live board: open dispatches (and those done in the last 12 hours),
    the oldest first, a page at a time; the coordinator and the clinical lead
    see all, a clinician their own. Only the patients of the page served are
    audited as listed."""
    actor = actor_of(request)
    _staff_only_or_not_found(actor)
    if not actor.has_perm("visits.view_dispatch_board"):
        raise NotAllowed(_("Your role does not allow this."))
    page = cursor_page(
        request,
        services.board_for(actor),
        list_name="dispatches",
        ordering=("created_at", "id"),
        paging=paging,
    )
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.DISPATCH_BOARD_VIEWED,
        patients={row.patient for row in page.items},
    )
    return page.answer()


@router.get("/dispatches/{dispatch_id}", response={200: DispatchOut, **ERROR_RESPONSES})
def get_dispatch(request: HttpRequest, dispatch_id: UUID) -> Any:
    return _dispatch_for(request, dispatch_id)


@router.post("/dispatches/{dispatch_id}/accept", response={200: DispatchOut, **ERROR_RESPONSES})
def accept_dispatch(request: HttpRequest, dispatch_id: UUID) -> Any:
    """409 when someone else accepted it first."""
    found = _dispatch_for(request, dispatch_id)
    return services.accept_dispatch(actor=actor_of(request), dispatch=found)


@router.post("/dispatches/{dispatch_id}/decline", response={200: DispatchOut, **ERROR_RESPONSES})
def decline_dispatch(request: HttpRequest, dispatch_id: UUID, payload: DeclineIn) -> Any:
    found = _dispatch_for(request, dispatch_id)
    return services.decline_dispatch(actor=actor_of(request), dispatch=found, reason=payload.reason)


@router.post("/dispatches/{dispatch_id}/on-the-way", response={200: DispatchOut, **ERROR_RESPONSES})
def dispatch_on_the_way(request: HttpRequest, dispatch_id: UUID, payload: OnTheWayIn) -> Any:
    found = _dispatch_for(request, dispatch_id)
    return services.set_on_the_way(
        actor=actor_of(request), dispatch=found, expected_arrival=payload.expected_arrival
    )


@router.post("/dispatches/{dispatch_id}/arrived", response={200: DispatchOut, **ERROR_RESPONSES})
def dispatch_arrived(request: HttpRequest, dispatch_id: UUID) -> Any:
    found = _dispatch_for(request, dispatch_id)
    return services.arrive_at_dispatch(actor=actor_of(request), dispatch=found)


@router.post("/dispatches/{dispatch_id}/done", response={200: DispatchOut, **ERROR_RESPONSES})
def dispatch_done(request: HttpRequest, dispatch_id: UUID, payload: DispatchDoneIn) -> Any:
    found = _dispatch_for(request, dispatch_id)
    visit = None
    if payload.visit_id is not None:
        visit = Visit.objects.filter(external_id=payload.visit_id).first()
        if visit is None:
            raise _refused("visit_id", _("No visit record with that identifier."))
    return services.finish_dispatch(
        actor=actor_of(request), dispatch=found, note=payload.note, visit=visit
    )
