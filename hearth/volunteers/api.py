"""The volunteers JSON API: the same services and rules as the pages.

The coordinator manages profiles, training, status and assignments; a
volunteer reads ``GET /volunteers/me`` and changes their own availability;
the team reads ``GET /patients/{id}/volunteers``; the family reads
``GET /portal/volunteers`` (first name, kind and usual times, never a phone).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.schemas import ReasonIn
from hearth.volunteers import queries, services
from hearth.volunteers.brief import volunteer_brief
from hearth.volunteers.models import (
    UnavailablePeriod,
    VolunteerAssignment,
    VolunteerProfile,
    VolunteerTraining,
    WeeklySlot,
)
from hearth.volunteers.schemas import (
    AssignmentIn,
    AssignmentOut,
    AwayIn,
    AwayOut,
    EndAssignmentIn,
    MyVolunteerOut,
    PortalVolunteersOut,
    ProfileIn,
    ProfilePatch,
    SlotIn,
    SlotOut,
    StatusIn,
    VolunteerBriefOut,
    VolunteerDetailOut,
    VolunteerSummaryOut,
    VolunteerTrainingIn,
    VolunteerTrainingOut,
)

router = Router(tags=["volunteers"])


# --- Shapes ------------------------------------------------------------------------


def _person(user: User) -> dict[str, Any]:
    return {"id": user.external_id, "name": user.display_name}


def assignment_out(row: queries.AssignmentRow) -> dict[str, Any]:
    a = row.assignment
    return {
        "id": a.external_id,
        "patient_id": a.patient.external_id,
        "patient_name": a.patient.full_name,
        "volunteer": _person(a.volunteer),
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "usual_times": a.usual_times,
        "note": a.note,
        "status": a.status,
        "end_reason": a.end_reason,
        "end_note": a.end_note,
        "on_care_team": a.care_team_assignment_id is not None and a.status == "active",
        "care_ended": row.care_ended,
    }


def _training_out(record: VolunteerTraining) -> dict[str, Any]:
    return {
        "id": record.external_id,
        "module": record.module,
        "module_label": str(record.get_module_display()),
        "completed_on": record.completed_on,
        "expires_on": record.expires_on,
        "current": record.current_on(clock.today()),
        "withdrawn": record.withdrawn_at is not None,
    }


def _slot_out(slot: WeeklySlot) -> dict[str, Any]:
    return {
        "id": slot.external_id,
        "weekday": slot.weekday,
        "weekday_label": str(slot.get_weekday_display()),
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
    }


def _away_out(period: UnavailablePeriod) -> dict[str, Any]:
    return {
        "id": period.external_id,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "note": period.note,
    }


def _summary(row: queries.VolunteerRow) -> dict[str, Any]:
    profile = row.profile
    return {
        "id": profile.external_id,
        "volunteer": _person(profile.volunteer),
        "status": profile.status,
        "offers": list(profile.offers or []),
        "area": profile.area,
        "languages": list(profile.volunteer.spoken_languages or []),
        "vetting_expires_on": profile.vetting_expires_on,
        "vetting_current": row.vetting_current,
        "training_complete": row.training_complete,
        "missing_training": row.missing,
        "availability": row.availability,
        "away_now": row.away_now is not None,
        "assignments": [assignment_out(a) for a in row.assignments],
    }


def _detail(detail: queries.ProfileDetail, *, with_notes: bool) -> dict[str, Any]:
    profile = detail.profile
    body = {
        **_summary(detail.row),
        "assignments": [assignment_out(a) for a in detail.assignments],
        "started_on": profile.started_on,
        "vetting_checked_on": profile.vetting_checked_on,
        "training": [_training_out(t) for t in detail.training],
        "weekly_slots": [_slot_out(s) for s in detail.slots],
        "away": [_away_out(p) for p in detail.away],
    }
    if with_notes:
        body["notes"] = profile.notes
    return body


def _coordinator(actor: User) -> None:
    if not actor.has_perm("volunteers.view_volunteers"):
        raise NotAllowed(_("Only the coordinator manages volunteers."))


def _profile(profile_id: UUID) -> VolunteerProfile:
    found = queries.find_profile(profile_id)
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _volunteer_user(user_id: UUID) -> User:
    found = User.objects.filter(external_id=user_id, kind=UserKind.STAFF).first()
    if found is None:
        raise ValidationFailed(
            _("No member of staff with that identifier."),
            field_errors={"volunteer_id": [_("No member of staff with that identifier.")]},
        )
    return found


def _fresh_detail(actor: User, profile: VolunteerProfile) -> dict[str, Any]:
    return _detail(queries.profile_detail(actor, _profile(profile.external_id)), with_notes=True)


def _assignment(assignment_id: UUID) -> VolunteerAssignment:
    found = queries.find_assignment(assignment_id)
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _assignment_body(assignment: VolunteerAssignment) -> dict[str, Any]:
    fresh = _assignment(assignment.external_id)
    return assignment_out(queries.assignment_row(fresh))


# --- Profiles (the coordinator) ------------------------------------------------------


@router.get("/volunteers", response={200: CursorPage.of(VolunteerSummaryOut), **ERROR_RESPONSES})
def list_volunteers(
    request: HttpRequest, paging: Query[CursorQuery], status: str | None = None
) -> Any:
    """Every volunteer with status, vetting, training, languages, open
    assignments and availability, by name, a page at a time; only the families
    named on the page served are audited. The coordinator only."""
    actor = actor_of(request)
    _coordinator(actor)
    page = cursor_page(
        request,
        queries.volunteer_profiles(status=status or None),
        list_name="volunteers",
        ordering=queries.VOLUNTEER_ORDER,
        paging=paging,
    )
    rows = queries.volunteer_summaries(actor, page.items)
    return {"items": [_summary(row) for row in rows], "next": page.next}


@router.post("/volunteers", response={201: VolunteerDetailOut, **ERROR_RESPONSES})
def create_profile(request: HttpRequest, payload: ProfileIn) -> Any:
    actor = actor_of(request)
    data = payload.model_dump(exclude={"volunteer_id"})
    data["offers"] = [str(o) for o in payload.offers]
    profile = services.create_profile(
        actor=actor, volunteer=_volunteer_user(payload.volunteer_id), **data
    )
    return Status(201, _fresh_detail(actor, profile))


@router.get("/volunteers/me", response={200: MyVolunteerOut, **ERROR_RESPONSES})
def my_profile(request: HttpRequest) -> Any:
    """The signed-in volunteer's own profile, availability and assignments."""
    actor = actor_of(request)
    if not actor.has_perm("volunteers.view_own"):
        raise NotAllowed(_("This page is for volunteers."))
    detail = queries.my_page(actor)
    if detail is None:
        raise NotFound(_("The coordinator has not set up your volunteer profile yet."))
    return _detail(detail, with_notes=False)


@router.get("/volunteers/{profile_id}", response={200: VolunteerDetailOut, **ERROR_RESPONSES})
def get_profile(request: HttpRequest, profile_id: UUID) -> Any:
    actor = actor_of(request)
    _coordinator(actor)
    return _detail(queries.profile_detail(actor, _profile(profile_id)), with_notes=True)


@router.patch("/volunteers/{profile_id}", response={200: VolunteerDetailOut, **ERROR_RESPONSES})
def update_profile(request: HttpRequest, profile_id: UUID, payload: ProfilePatch) -> Any:
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    if "offers" in changes and changes["offers"] is not None:
        changes["offers"] = [str(o) for o in changes["offers"]]
    profile = services.update_profile(actor=actor, profile=_profile(profile_id), changes=changes)
    return _fresh_detail(actor, profile)


@router.post(
    "/volunteers/{profile_id}/status", response={200: VolunteerDetailOut, **ERROR_RESPONSES}
)
def set_status(request: HttpRequest, profile_id: UUID, payload: StatusIn) -> Any:
    actor = actor_of(request)
    profile = services.set_status(
        actor=actor, profile=_profile(profile_id), status=str(payload.status), note=payload.note
    )
    return _fresh_detail(actor, profile)


@router.post(
    "/volunteers/{profile_id}/training", response={201: VolunteerTrainingOut, **ERROR_RESPONSES}
)
def record_training(request: HttpRequest, profile_id: UUID, payload: VolunteerTrainingIn) -> Any:
    record = services.record_training(
        actor=actor_of(request),
        profile=_profile(profile_id),
        module=str(payload.module),
        completed_on=payload.completed_on,
        expires_on=payload.expires_on,
    )
    return Status(201, _training_out(record))


@router.post(
    "/volunteer-training/{training_id}/withdraw",
    response={200: VolunteerTrainingOut, **ERROR_RESPONSES},
)
def withdraw_training(request: HttpRequest, training_id: UUID, payload: ReasonIn) -> Any:
    record = (
        VolunteerTraining.objects.select_related("profile").filter(external_id=training_id).first()
    )
    if record is None:
        raise NotFound(_("Not found."))
    return _training_out(
        services.withdraw_training(actor=actor_of(request), training=record, reason=payload.reason)
    )


# --- Availability (the volunteer their own; the coordinator anyone's) -----------------


@router.post("/volunteers/{profile_id}/weekly-slots", response={201: SlotOut, **ERROR_RESPONSES})
def add_weekly_slot(request: HttpRequest, profile_id: UUID, payload: SlotIn) -> Any:
    slot = services.add_weekly_slot(
        actor=actor_of(request), profile=_profile(profile_id), **payload.model_dump()
    )
    return Status(201, _slot_out(slot))


@router.delete("/volunteer-slots/{slot_id}", response={204: None, **ERROR_RESPONSES})
def remove_weekly_slot(request: HttpRequest, slot_id: UUID) -> Any:
    slot = WeeklySlot.objects.select_related("profile").filter(external_id=slot_id).first()
    if slot is None:
        raise NotFound(_("Not found."))
    services.remove_weekly_slot(actor=actor_of(request), slot=slot)
    return Status(204, None)


@router.post("/volunteers/{profile_id}/away", response={201: AwayOut, **ERROR_RESPONSES})
def add_away(request: HttpRequest, profile_id: UUID, payload: AwayIn) -> Any:
    period = services.add_unavailable_period(
        actor=actor_of(request), profile=_profile(profile_id), **payload.model_dump()
    )
    return Status(201, _away_out(period))


@router.delete("/volunteer-away/{period_id}", response={204: None, **ERROR_RESPONSES})
def remove_away(request: HttpRequest, period_id: UUID) -> Any:
    period = (
        UnavailablePeriod.objects.select_related("profile").filter(external_id=period_id).first()
    )
    if period is None:
        raise NotFound(_("Not found."))
    services.remove_unavailable_period(actor=actor_of(request), period=period)
    return Status(204, None)


# --- A person's volunteers -----------------------------------------------------------


@router.get(
    "/patients/{patient_id}/volunteers",
    response={200: CursorPage.of(AssignmentOut), **ERROR_RESPONSES},
)
def patient_volunteers(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Every assignment for the person, open first. Staff who may open the
    record; the family reads ``GET /portal/volunteers``."""
    actor = actor_of(request)
    if actor.kind != UserKind.STAFF:
        raise NotAllowed(_("Your role does not allow this."))
    patient = access.access_patient_for(
        actor,
        patient_id,
        "volunteers.view_patient_volunteers",
        read=AuditEventType.VOLUNTEERS_VIEWED,
    )
    page = cursor_page(
        request,
        queries.patient_assignment_rows(patient),
        list_name="patient-volunteers",
        ordering=queries.ASSIGNMENT_ORDER,
        paging=paging,
    )
    return page.answer(lambda assignment: assignment_out(queries.assignment_row(assignment)))


@router.post("/patients/{patient_id}/volunteers", response={201: AssignmentOut, **ERROR_RESPONSES})
def propose_assignment(request: HttpRequest, patient_id: UUID, payload: AssignmentIn) -> Any:
    """Propose a volunteer for the family (status ``proposed``). Refused, naming
    what is missing, when the volunteer is not eligible or the person is not
    on the service."""
    actor = actor_of(request)
    patient = access.access_patient_for(actor, patient_id, "volunteers.assign_volunteers")
    data = payload.model_dump(exclude={"volunteer_id"})
    data["kind"] = str(payload.kind)
    assignment = services.propose_assignment(
        actor=actor, patient=patient, volunteer=_volunteer_user(payload.volunteer_id), **data
    )
    return Status(201, _assignment_body(assignment))


@router.post(
    "/volunteer-assignments/{assignment_id}/activate",
    response={200: AssignmentOut, **ERROR_RESPONSES},
)
def activate_assignment(request: HttpRequest, assignment_id: UUID) -> Any:
    """Start it: the volunteer joins the person's care team (role volunteer)."""
    assignment = services.activate_assignment(
        actor=actor_of(request), assignment=_assignment(assignment_id)
    )
    return _assignment_body(assignment)


@router.post(
    "/volunteer-assignments/{assignment_id}/end",
    response={200: AssignmentOut, **ERROR_RESPONSES},
)
def end_assignment(request: HttpRequest, assignment_id: UUID, payload: EndAssignmentIn) -> Any:
    assignment = services.end_assignment(
        actor=actor_of(request),
        assignment=_assignment(assignment_id),
        reason=str(payload.reason),
        note=payload.note,
    )
    return _assignment_body(assignment)


# --- The volunteer brief -----------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/volunteer-brief",
    response={200: VolunteerBriefOut, **ERROR_RESPONSES},
)
def get_volunteer_brief(request: HttpRequest, patient_id: UUID) -> Any:
    """The brief a volunteer on assignment reads instead of the record (name,
    address, what matters, safety, who to call, the visit); staff who may open
    the record read it too. Everyone else: 404 (staff outside the caseload are
    offered emergency access)."""
    actor = actor_of(request)
    patient = access.access_volunteer_brief(actor, patient_id)
    brief = volunteer_brief(actor, patient)
    body: dict[str, Any] = {
        item.name: [asdict(entry) for entry in value] if isinstance(value, list) else value
        for item in fields(brief)
        if item.name != "patient" and (value := getattr(brief, item.name)) is not None
    }
    body["patient_id"] = patient.external_id
    return body


# --- The family -------------------------------------------------------------------------


@router.get("/portal/volunteers", response={200: PortalVolunteersOut, **ERROR_RESPONSES})
def portal_volunteers(request: HttpRequest) -> Any:
    """The family's volunteer(s): first name, what they do and usual times.
    To reach them, call the service (``service_phone``)."""
    actor = actor_of(request)
    patient = access.portal_patient(actor)
    if patient is None:
        raise NotAllowed(_("This is for the family's portal."))
    access.access_patient_for(
        actor,
        patient.external_id,
        "volunteers.view_portal_volunteers",
        read=AuditEventType.VOLUNTEERS_PORTAL_VIEWED,
    )
    return {
        "volunteers": [v.__dict__ for v in queries.portal_volunteers(patient)],
        "service_phone": settings.HEARTH_SERVICE_PHONE,
    }
