"""The team support JSON API: the same services, queries and rules as the pages.

Everything is for staff. Wellbeing: ``POST/GET /team/wellbeing/check-ins``
are the caller's own (no path names another person's check-in), and
``GET /team/wellbeing/summary`` is the clinical lead's aggregates.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from hearth.accounts.models import User
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.schemas import ReasonIn
from hearth.team import queries, services
from hearth.team.models import MandatoryCourse, TrainingRecord, TrainingReminder
from hearth.team.schemas import (
    CaseloadOut,
    ComplianceRowOut,
    DeathOut,
    DebriefIn,
    DebriefOut,
    MandatoryCourseIn,
    MandatoryCourseOut,
    MandatoryCoursePatch,
    MonthSummaryOut,
    OwnCheckInOut,
    ReminderOut,
    TrainingIn,
    TrainingOut,
    WellbeingIn,
    caseload_out,
    compliance_out,
    course_out,
    death_out,
    debrief_out,
    figures_out,
    reminder_out,
    training_out,
)

router = Router(tags=["team support"])


def _staff(request: HttpRequest) -> User:
    actor = actor_of(request)
    if not access.is_staff(actor):
        raise NotAllowed(_("This is for members of staff."))
    return actor


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _staff_member(actor: User, staff_id: UUID | None, field: str = "staff_id") -> User:
    if staff_id is None:
        return actor
    found = queries.find_staff(staff_id)
    if found is None:
        raise _refused(field, _("No member of staff with that identifier."))
    return found


class StaffQuery(Schema):
    staff_id: UUID | None = None


# --- Mandatory courses ---------------------------------------------------------------


@router.get("/team/mandatory-courses", response={200: list[MandatoryCourseOut], **ERROR_RESPONSES})
def list_mandatory_courses(request: HttpRequest) -> Any:
    actor = _staff(request)
    if not actor.has_perm("team.view_mandatory_courses"):
        raise NotAllowed(_("Your role does not allow this."))
    return [course_out(course) for course in MandatoryCourse.objects.all()]


@router.post("/team/mandatory-courses", response={201: MandatoryCourseOut, **ERROR_RESPONSES})
def create_mandatory_course(request: HttpRequest, payload: MandatoryCourseIn) -> Any:
    course = services.create_mandatory_course(
        actor=_staff(request),
        title=payload.title,
        renew_every_months=payload.renew_every_months,
        disciplines=[str(item) for item in payload.disciplines],
        description=payload.description,
    )
    return Status(201, course_out(course))


@router.patch(
    "/team/mandatory-courses/{course_id}", response={200: MandatoryCourseOut, **ERROR_RESPONSES}
)
def change_mandatory_course(
    request: HttpRequest, course_id: UUID, payload: MandatoryCoursePatch
) -> Any:
    actor = _staff(request)
    course = MandatoryCourse.objects.filter(external_id=course_id).first()
    if course is None:
        raise NotFound(_("Not found."))
    changes = payload.model_dump(exclude_unset=True)
    if "disciplines" in changes and changes["disciplines"] is not None:
        changes["disciplines"] = [str(item) for item in changes["disciplines"]]
    course = services.update_mandatory_course(actor=actor, course=course, changes=changes)
    return course_out(course)


# --- Training records ------------------------------------------------------------------


@router.get("/team/training", response={200: CursorPage.of(TrainingOut), **ERROR_RESPONSES})
def list_training(
    request: HttpRequest, filters: Query[StaffQuery], paging: Query[CursorQuery]
) -> Any:
    """The caller's own training records; the administrator, the clinical lead
    and the coordinator see everyone's (``staff_id`` narrows to one person).
    The newest completed first, a page at a time."""
    actor = _staff(request)
    staff = _staff_member(actor, filters.staff_id) if filters.staff_id else None
    if staff is not None and not actor.has_perm("team.view_training", staff):
        raise NotAllowed(_("You may see your own training records only."))
    return cursor_page(
        request,
        queries.training_records_for(actor, staff),
        list_name="training",
        ordering=("-completed_on", "-id"),
        paging=paging,
    ).answer(training_out)


@router.post("/team/training", response={201: TrainingOut, **ERROR_RESPONSES})
def record_training(request: HttpRequest, payload: TrainingIn) -> Any:
    actor = _staff(request)
    staff = _staff_member(actor, payload.staff_id)
    course = None
    if payload.mandatory_course_id is not None:
        course = MandatoryCourse.objects.filter(external_id=payload.mandatory_course_id).first()
        if course is None:
            raise _refused("mandatory_course_id", _("No mandatory course with that identifier."))
    record = services.record_training(
        actor=actor,
        staff=staff,
        course_title=payload.course_title,
        provider=payload.provider,
        hours=payload.hours,
        completed_on=payload.completed_on,
        expires_on=payload.expires_on,
        mandatory_course=course,
    )
    return Status(201, training_out(record))


@router.post("/team/training/{record_id}/withdraw", response={200: TrainingOut, **ERROR_RESPONSES})
def withdraw_training(request: HttpRequest, record_id: UUID, payload: ReasonIn) -> Any:
    actor = _staff(request)
    record = queries.training_records_for(actor).filter(external_id=record_id).first()
    if record is None:
        raise NotFound(_("Not found."))
    record = services.withdraw_training(actor=actor, record=record, reason=payload.reason)
    return training_out(TrainingRecord.objects.get(pk=record.pk))


@router.get("/team/compliance", response={200: CursorPage.of(ComplianceRowOut), **ERROR_RESPONSES})
def compliance(request: HttpRequest, filters: Query[StaffQuery], paging: Query[CursorQuery]) -> Any:
    """Mandatory training per person: current, expiring, expired, missing.
    Everyone's for the administrator, the clinical lead and the coordinator;
    otherwise the caller's own. A row per person, by name, a page at a time."""
    actor = _staff(request)
    staff = _staff_member(actor, filters.staff_id) if filters.staff_id else None
    if not actor.has_perm("team.view_compliance"):
        if staff is not None and staff.pk != actor.pk:
            raise NotAllowed(_("You may see your own training only."))
        staff = actor
    people = queries.active_staff()
    if staff is not None:
        people = people.filter(pk=staff.pk)
    page = cursor_page(
        request,
        people,
        list_name="compliance",
        ordering=queries.STAFF_ORDER,
        paging=paging,
    )
    rows = queries.compliance(people=page.items)
    return {"items": [compliance_out(row) for row in rows], "next": page.next}


@router.get("/team/reminders", response={200: CursorPage.of(ReminderOut), **ERROR_RESPONSES})
def list_reminders(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """The caller's own training reminders that are not put away, newest
    first, a page at a time."""
    return cursor_page(
        request,
        queries.own_reminders(_staff(request)),
        list_name="reminders",
        ordering=("-created_at", "-id"),
        paging=paging,
    ).answer(reminder_out)


@router.post(
    "/team/reminders/{reminder_id}/dismiss", response={200: ReminderOut, **ERROR_RESPONSES}
)
def dismiss_reminder(request: HttpRequest, reminder_id: UUID) -> Any:
    actor = _staff(request)
    reminder = (
        TrainingReminder.objects.filter(external_id=reminder_id, staff=actor)
        .select_related("course")
        .first()
    )
    if reminder is None:
        raise NotFound(_("Not found."))
    return reminder_out(services.dismiss_reminder(actor=actor, reminder=reminder))


# --- Wellbeing -----------------------------------------------------------------------


def _own(check_in: Any) -> dict[str, Any]:
    return {
        "period": check_in.period,
        "submitted_at": check_in.submitted_at,
        "energy": check_in.energy,
        "sleep": check_in.sleep,
        "supported": check_in.supported,
        "emotional_load": check_in.emotional_load,
        "workload": check_in.workload,
    }


@router.get(
    "/team/wellbeing/check-ins", response={200: CursorPage.of(OwnCheckInOut), **ERROR_RESPONSES}
)
def own_check_ins(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Your own wellbeing check-ins, the newest month first, a page at a time.
    Nobody else's can be read, by anyone."""
    return cursor_page(
        request,
        queries.own_check_ins(_staff(request)),
        list_name="wellbeing-check-ins",
        ordering=("-period", "-id"),
        paging=paging,
    ).answer(_own)


@router.post("/team/wellbeing/check-ins", response={201: OwnCheckInOut, **ERROR_RESPONSES})
def submit_check_in(request: HttpRequest, payload: WellbeingIn) -> Any:
    check_in = services.submit_wellbeing_check_in(actor=_staff(request), **payload.model_dump())
    return Status(201, _own(check_in))


@router.get("/team/wellbeing/summary", response={200: list[MonthSummaryOut], **ERROR_RESPONSES})
def wellbeing_summary(request: HttpRequest) -> Any:
    """The clinical lead's aggregates per month and discipline group; groups
    below the minimum size say only that there are too few answers."""
    actor = _staff(request)
    if not actor.has_perm("team.view_wellbeing_summary"):
        raise NotAllowed(_("Only the clinical lead sees the team's wellbeing figures."))
    minimum = queries.wellbeing_minimum()
    return [
        {
            "period": month.period,
            "minimum_group": minimum,
            "team": figures_out(month.team),
            "groups": [figures_out(group) for group in month.groups],
        }
        for month in queries.wellbeing_summary()
    ]


# --- Case-load -------------------------------------------------------------------------


@router.get("/team/caseload", response={200: CursorPage.of(CaseloadOut), **ERROR_RESPONSES})
def caseload(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Counts per member of staff (the coordinator and the clinical lead: everyone;
    others: their own), by name, a page at a time."""
    actor = _staff(request)
    page = cursor_page(
        request,
        queries.caseload_people(actor),
        list_name="caseload",
        ordering=queries.STAFF_ORDER,
        paging=paging,
    )
    rows = queries.caseload(actor, people=page.items)
    return {"items": [caseload_out(row) for row in rows], "next": page.next}


# --- Debriefs --------------------------------------------------------------------------


@router.get("/team/debriefs", response={200: CursorPage.of(DebriefOut), **ERROR_RESPONSES})
def list_debriefs(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Debriefs the caller may read, the newest first, a page at a time (it
    used to stop at 100); only the patients of the page served are audited."""
    actor = _staff(request)
    page = cursor_page(
        request,
        queries.debriefs_visible_to(actor),
        list_name="debriefs",
        ordering=queries.DEBRIEF_ORDER,
        paging=paging,
    )
    queries.audit_debriefs_listed(actor, page.items)
    return page.answer(debrief_out)


@router.get(
    "/team/deaths-without-debrief", response={200: CursorPage.of(DeathOut), **ERROR_RESPONSES}
)
def deaths_without_debrief(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Recent deaths with no debrief yet, the oldest first, a page at a time;
    only the patients of the page served are audited as listed."""
    actor = _staff(request)
    if not actor.has_perm("team.view_deaths_without_debrief"):
        raise NotAllowed(_("Your role does not allow this."))
    page = cursor_page(
        request,
        queries.death_without_debrief_rows(),
        list_name="deaths-without-debrief",
        ordering=queries.DEATH_ORDER,
        paging=paging,
    )
    queries.audit_deaths_listed(actor, page.items)
    return page.answer(death_out)


@router.get("/team/debriefs/{debrief_id}", response={200: DebriefOut, **ERROR_RESPONSES})
def get_debrief(request: HttpRequest, debrief_id: UUID) -> Any:
    actor = actor_of(request)
    debrief = queries.debrief_detail(debrief_id)
    if debrief is None or not access.is_staff(actor):
        raise NotFound(_("Not found."))
    queries.open_for_debriefs(
        actor, debrief.patient.external_id, "team.view_debriefs", read=AuditEventType.DEBRIEF_VIEWED
    )
    return debrief_out(debrief)


@router.post("/team/debriefs/{debrief_id}/withdraw", response={200: DebriefOut, **ERROR_RESPONSES})
def withdraw_debrief(request: HttpRequest, debrief_id: UUID, payload: ReasonIn) -> Any:
    actor = actor_of(request)
    debrief = queries.debrief_detail(debrief_id)
    if debrief is None or not access.is_staff(actor):
        raise NotFound(_("Not found."))
    queries.open_for_debriefs(actor, debrief.patient.external_id, "team.record_debrief")
    services.withdraw_debrief(actor=actor, debrief=debrief, reason=payload.reason)
    fresh = queries.debrief_detail(debrief_id)
    assert fresh is not None
    return debrief_out(fresh)


@router.get(
    "/patients/{patient_id}/debriefs", response={200: CursorPage.of(DebriefOut), **ERROR_RESPONSES}
)
def patient_debriefs(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """The patient's debriefs, withdrawn ones marked, newest first, a page at a time."""
    patient = queries.open_for_debriefs(
        actor_of(request), patient_id, "team.view_debriefs", read=AuditEventType.DEBRIEF_VIEWED
    )
    return cursor_page(
        request,
        queries.patient_debrief_rows(patient),
        list_name="patient-debriefs",
        ordering=queries.DEBRIEF_ORDER,
        paging=paging,
    ).answer(debrief_out)


@router.post("/patients/{patient_id}/debriefs", response={201: DebriefOut, **ERROR_RESPONSES})
def record_debrief(request: HttpRequest, patient_id: UUID, payload: DebriefIn) -> Any:
    actor = actor_of(request)
    patient = queries.open_for_debriefs(actor, patient_id, "team.record_debrief")
    facilitator = queries.find_staff(payload.facilitator_id)
    if facilitator is None:
        raise _refused("facilitator_id", _("No member of staff with that identifier."))
    attendees = []
    for attendee_id in payload.attendee_ids:
        found = queries.find_staff(attendee_id)
        if found is None:
            raise _refused("attendee_ids", _("No member of staff with that identifier."))
        attendees.append(found)
    debrief = services.record_debrief(
        actor=actor,
        patient=patient,
        held_on=payload.held_on,
        facilitator=facilitator,
        attendees=attendees,
        went_well=payload.went_well,
        could_be_better=payload.could_be_better,
        actions=payload.actions,
    )
    fresh = queries.debrief_detail(debrief.external_id)
    return Status(201, debrief_out(fresh))
