"""Assessments, care plans, team meetings and advance care plans over JSON."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from ninja.responses import Status

from hearth.careplans import conflicts, queries, services
from hearth.careplans.models import (
    AdvanceCarePlan,
    CarePlan,
    CarePlanReviewTask,
    HolisticAssessment,
    PlanGoal,
    PlanIntervention,
    PlanNeed,
)
from hearth.careplans.pdf import advance_care_plan_pdf, care_plan_pdf
from hearth.careplans.schemas import (
    AdvanceCarePlanOut,
    CarePlanReviewCompleteIn,
    CarePlanReviewDismissIn,
    CarePlanReviewTaskOut,
    DiffOut,
    EmergencySummaryOut,
    GoalIn,
    GoalOut,
    HolisticAssessmentIn,
    HolisticAssessmentOut,
    InterventionIn,
    InterventionOut,
    MeetingIn,
    MeetingOut,
    NeedIn,
    NeedOut,
    PlanOut,
    PlanPatch,
    PlanSummaryOut,
    PlanVersionOut,
    StartPlanIn,
)
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.models import Patient

router = Router(tags=["care plans"])


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _plan(request: HttpRequest, plan_id: UUID, read: str | None = None) -> CarePlan:
    plan: CarePlan = get_by_external_id(CarePlan, plan_id, select=("patient",))
    _open(request, plan.patient.external_id, "careplans.view_care_plan", read)
    return plan


def _plan_out(plan: CarePlan) -> CarePlan:
    plan = (
        queries.with_tree(CarePlan.objects.filter(pk=plan.pk))
        .select_related("patient", "created_by", "activated_by")
        .get()
    )
    plan.conflicts = conflicts.find_conflicts(plan)  # type: ignore[attr-defined]
    return plan


# --- Holistic assessment -----------------------------------------------------------


@router.get(
    "/patients/{patient_id}/holistic-assessments",
    response={200: CursorPage.of(HolisticAssessmentOut), **ERROR_RESPONSES},
)
def list_assessments(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Holistic assessments, newest first, a page at a time."""
    patient = _open(
        request, patient_id, "careplans.view_care_plan", AuditEventType.ASSESSMENTS_VIEWED
    )
    return cursor_page(
        request,
        queries.assessments_for(patient),
        list_name="holistic-assessments",
        ordering=("-assessed_on", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/holistic-assessments",
    response={201: HolisticAssessmentOut, **ERROR_RESPONSES},
)
def record_assessment(request: HttpRequest, patient_id: UUID, payload: HolisticAssessmentIn) -> Any:
    patient = _open(request, patient_id, "careplans.view_care_plan")
    assessment = services.record_holistic_assessment(
        actor=actor_of(request),
        patient=patient,
        assessed_on=payload.assessed_on,
        summary=payload.summary,
        needs=[need.model_dump() for need in payload.needs],
    )
    return Status(201, assessment)


# --- Care plans ---------------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/care-plans",
    response={200: CursorPage.of(PlanVersionOut), **ERROR_RESPONSES},
)
def list_care_plans(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Care plan versions, the newest first, a page at a time."""
    patient = _open(
        request, patient_id, "careplans.view_care_plan", AuditEventType.CARE_PLANS_VIEWED
    )
    return cursor_page(
        request,
        queries.plans_for(patient),
        list_name="care-plans",
        ordering=("-version", "-id"),
        paging=paging,
    ).answer()


@router.post("/patients/{patient_id}/care-plans", response={201: PlanOut, **ERROR_RESPONSES})
def start_care_plan(request: HttpRequest, patient_id: UUID, payload: StartPlanIn) -> Any:
    """Start the next version: a copy of the active plan, plus an assessment's needs."""
    patient = _open(request, patient_id, "careplans.view_care_plan")
    assessment = None
    if payload.assessment_id:
        try:
            assessment = HolisticAssessment.objects.get(
                external_id=payload.assessment_id, patient=patient
            )
        except HolisticAssessment.DoesNotExist as error:
            raise ValidationFailed(
                _("No such assessment for this patient."),
                field_errors={"assessment_id": [_("Not found.")]},
            ) from error
    plan = services.start_care_plan_draft(
        actor=actor_of(request), patient=patient, from_assessment=assessment
    )
    return Status(201, _plan_out(plan))


@router.get(
    "/patients/{patient_id}/care-plan-summary", response={200: PlanSummaryOut, **ERROR_RESPONSES}
)
def care_plan_summary(request: HttpRequest, patient_id: UUID) -> Any:
    """The active plan as the family reads it."""
    patient = _open(
        request, patient_id, "careplans.view_plan_summary", AuditEventType.CARE_PLAN_SUMMARY_VIEWED
    )
    plan = queries.with_tree(queries.plans_for(patient).active()).first()
    if plan is None:
        raise NotFound(_("There is no active care plan yet."))
    return queries.family_summary(plan)


@router.get("/care-plans/{plan_id}", response={200: PlanOut, **ERROR_RESPONSES})
def get_care_plan(request: HttpRequest, plan_id: UUID) -> Any:
    return _plan_out(_plan(request, plan_id, AuditEventType.CARE_PLAN_VIEWED))


@router.patch("/care-plans/{plan_id}", response={200: PlanOut, **ERROR_RESPONSES})
def update_care_plan(request: HttpRequest, plan_id: UUID, payload: PlanPatch) -> Any:
    plan = services.update_care_plan(
        actor=actor_of(request),
        plan=_plan(request, plan_id),
        changes=payload.model_dump(exclude_unset=True),
    )
    return _plan_out(plan)


@router.post("/care-plans/{plan_id}/needs", response={201: NeedOut, **ERROR_RESPONSES})
def add_need(request: HttpRequest, plan_id: UUID, payload: NeedIn) -> Any:
    need = services.add_need(
        actor=actor_of(request), plan=_plan(request, plan_id), **payload.model_dump()
    )
    return Status(201, need)


@router.post("/plan-needs/{need_id}/goals", response={201: GoalOut, **ERROR_RESPONSES})
def add_goal(request: HttpRequest, need_id: UUID, payload: GoalIn) -> Any:
    need: PlanNeed = get_by_external_id(PlanNeed, need_id, select=("plan__patient",))
    _open(request, need.plan.patient.external_id, "careplans.view_care_plan")
    return Status(
        201, services.add_goal(actor=actor_of(request), need=need, **payload.model_dump())
    )


@router.post(
    "/plan-goals/{goal_id}/interventions", response={201: InterventionOut, **ERROR_RESPONSES}
)
def add_intervention(request: HttpRequest, goal_id: UUID, payload: InterventionIn) -> Any:
    goal: PlanGoal = get_by_external_id(PlanGoal, goal_id, select=("need__plan__patient",))
    _open(request, goal.need.plan.patient.external_id, "careplans.view_care_plan")
    details = payload.model_dump()
    responsible = details.pop("responsible_id")
    details["responsible"] = str(responsible) if responsible else None
    details["per"] = details["per"] or ""
    return Status(201, services.add_intervention(actor=actor_of(request), goal=goal, **details))


def _remove(request: HttpRequest, model: Any, item_id: UUID, path: str) -> Any:
    item = get_by_external_id(model, item_id, select=(path,))
    patient = item
    for step in path.split("__"):
        patient = getattr(patient, step)
    _open(request, patient.external_id, "careplans.view_care_plan")
    return _plan_out(services.remove_plan_item(actor=actor_of(request), item=item))


@router.post("/plan-needs/{need_id}/remove", response={200: PlanOut, **ERROR_RESPONSES})
def remove_need(request: HttpRequest, need_id: UUID) -> Any:
    return _remove(request, PlanNeed, need_id, "plan__patient")


@router.post("/plan-goals/{goal_id}/remove", response={200: PlanOut, **ERROR_RESPONSES})
def remove_goal(request: HttpRequest, goal_id: UUID) -> Any:
    return _remove(request, PlanGoal, goal_id, "need__plan__patient")


@router.post(
    "/plan-interventions/{intervention_id}/remove", response={200: PlanOut, **ERROR_RESPONSES}
)
def remove_intervention(request: HttpRequest, intervention_id: UUID) -> Any:
    return _remove(request, PlanIntervention, intervention_id, "goal__need__plan__patient")


@router.post("/care-plans/{plan_id}/activate", response={200: PlanOut, **ERROR_RESPONSES})
def activate_care_plan(request: HttpRequest, plan_id: UUID) -> Any:
    plan = services.activate_care_plan(actor=actor_of(request), plan=_plan(request, plan_id))
    return _plan_out(plan)


@router.post("/care-plans/{plan_id}/discard", response={200: PlanVersionOut, **ERROR_RESPONSES})
def discard_care_plan(request: HttpRequest, plan_id: UUID) -> Any:
    return services.discard_care_plan_draft(actor=actor_of(request), plan=_plan(request, plan_id))


@router.get("/care-plans/{plan_id}/pdf", response={200: None, **ERROR_RESPONSES})
def care_plan_document(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return care_plan_pdf(request, _plan(request, plan_id, AuditEventType.CARE_PLAN_PRINTED))


class DiffQuery(Schema):
    against: UUID | None = None


@router.get("/care-plans/{plan_id}/diff", response={200: DiffOut, **ERROR_RESPONSES})
def diff_care_plan(request: HttpRequest, plan_id: UUID, filters: Query[DiffQuery]) -> Any:
    """What changed from the version this one was based on (or ``against``)."""
    plan = _plan(request, plan_id, AuditEventType.CARE_PLAN_VIEWED)
    older, newer = queries.versions_to_compare(plan, filters.against)
    return {
        "older_version": older.version,
        "newer_version": newer.version,
        "lines": queries.diff_plans(older, newer),
    }


# --- Team meetings ------------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/team-meetings",
    response={200: CursorPage.of(MeetingOut), **ERROR_RESPONSES},
)
def list_meetings(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Team meetings about the patient, newest first, a page at a time."""
    patient = _open(
        request, patient_id, "careplans.view_care_plan", AuditEventType.TEAM_MEETINGS_VIEWED
    )
    return cursor_page(
        request,
        queries.meetings_for(patient),
        list_name="team-meetings",
        ordering=("-held_on", "-id"),
        paging=paging,
    ).answer()


@router.post("/patients/{patient_id}/team-meetings", response={201: MeetingOut, **ERROR_RESPONSES})
def record_meeting(request: HttpRequest, patient_id: UUID, payload: MeetingIn) -> Any:
    patient = _open(request, patient_id, "careplans.view_care_plan")
    plan = None
    if payload.approve_plan_id:
        plan = CarePlan.objects.filter(external_id=payload.approve_plan_id).first()
        if plan is None:
            raise ValidationFailed(
                _("No such care plan."), field_errors={"approve_plan_id": [_("Not found.")]}
            )
    meeting = services.record_team_meeting(
        actor=actor_of(request),
        patient=patient,
        held_on=payload.held_on,
        attendee_ids=payload.attendee_ids,
        other_attendees=payload.other_attendees,
        discussion=payload.discussion,
        decisions=payload.decisions,
        approve_plan=plan,
    )
    return Status(201, meeting)


# --- Advance care plan -----------------------------------------------------------------


def _acp(request: HttpRequest, acp_id: UUID, read: str | None = None) -> AdvanceCarePlan:
    plan: AdvanceCarePlan = get_by_external_id(
        AdvanceCarePlan, acp_id, select=("patient", "created_by", "signed_by")
    )
    _open(request, plan.patient.external_id, "careplans.view_advance_care_plan", read)
    if plan.status == "draft" and not actor_of(request).has_perm(
        "careplans.view_care_plan", plan.patient
    ):
        raise NotFound(_("Not found."))  # drafts are the team's working papers
    return plan


@router.get(
    "/patients/{patient_id}/advance-care-plans",
    response={200: CursorPage.of(AdvanceCarePlanOut), **ERROR_RESPONSES},
)
def list_advance_care_plans(
    request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]
) -> Any:
    """Advance care plan versions, the newest first, a page at a time (drafts
    only for those who may see the care plan)."""
    patient = _open(
        request,
        patient_id,
        "careplans.view_advance_care_plan",
        AuditEventType.ADVANCE_CARE_PLANS_VIEWED,
    )
    plans = AdvanceCarePlan.objects.filter(patient=patient).select_related(
        "created_by", "signed_by"
    )
    if not actor_of(request).has_perm("careplans.view_care_plan", patient):
        plans = plans.exclude(status="draft")
    return cursor_page(
        request,
        plans,
        list_name="advance-care-plans",
        ordering=("-version", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/advance-care-plans",
    response={201: AdvanceCarePlanOut, **ERROR_RESPONSES},
)
def start_advance_care_plan(request: HttpRequest, patient_id: UUID) -> Any:
    patient = _open(request, patient_id, "careplans.view_advance_care_plan")
    return Status(201, services.start_advance_care_plan(actor=actor_of(request), patient=patient))


@router.get("/advance-care-plans/{acp_id}", response={200: AdvanceCarePlanOut, **ERROR_RESPONSES})
def get_advance_care_plan(request: HttpRequest, acp_id: UUID) -> Any:
    return _acp(request, acp_id, AuditEventType.ADVANCE_CARE_PLAN_VIEWED)


@router.patch("/advance-care-plans/{acp_id}", response={200: AdvanceCarePlanOut, **ERROR_RESPONSES})
def update_advance_care_plan(
    request: HttpRequest, acp_id: UUID, payload: Body[dict[str, Any]]
) -> Any:
    """Send only the fields that change."""
    return services.update_advance_care_plan(
        actor=actor_of(request), plan=_acp(request, acp_id), changes=payload
    )


@router.post(
    "/advance-care-plans/{acp_id}/sign", response={200: AdvanceCarePlanOut, **ERROR_RESPONSES}
)
def sign_advance_care_plan(request: HttpRequest, acp_id: UUID) -> Any:
    return services.sign_advance_care_plan(actor=actor_of(request), plan=_acp(request, acp_id))


@router.get("/advance-care-plans/{acp_id}/pdf", response={200: None, **ERROR_RESPONSES})
def advance_care_plan_document(request: HttpRequest, acp_id: UUID) -> HttpResponse:
    plan = _acp(request, acp_id, AuditEventType.ADVANCE_CARE_PLAN_PRINTED)
    return advance_care_plan_pdf(request, plan)


@router.get(
    "/patients/{patient_id}/emergency-summary",
    response={200: EmergencySummaryOut, **ERROR_RESPONSES},
)
def emergency_summary(request: HttpRequest, patient_id: UUID) -> Any:
    """What an out-of-hours clinician reads first (also under emergency access)."""
    patient = _open(
        request,
        patient_id,
        "careplans.view_advance_care_plan",
        AuditEventType.EMERGENCY_SUMMARY_VIEWED,
    )
    return queries.emergency_summary_data(patient)


# --- Care plan reviews after a change of phase ---------------------------------------


def review_out(task: CarePlanReviewTask) -> dict[str, Any]:
    return {
        "id": task.external_id,
        "patient_id": task.patient.external_id,
        "phase": task.phase,
        "phase_started_at": task.phase_started_at,
        "reason": task.reason,
        "status": task.status,
        "assignees": [
            {"id": person.external_id, "name": person.display_name}
            for person in task.assignees.all()
        ],
        "created_at": task.created_at,
        "closed_at": task.closed_at,
        "outcome": task.outcome_text,
        "reviewed_in_version": task.reviewed_in.version if task.reviewed_in else None,
        "care_plan_url": reverse("care_plan_home", args=[task.patient.external_id]),
    }


@router.get(
    "/care-plan-reviews", response={200: CursorPage.of(CarePlanReviewTaskOut), **ERROR_RESPONSES}
)
def list_open_reviews(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Open care plan reviews for every patient the caller may see (clinicians,
    the coordinator and the clinical lead), oldest first, a page at a time;
    only the patients of the page served are audited as listed."""
    actor = actor_of(request)
    if not actor.has_perm("careplans.view_review_tasks"):
        raise NotFound(_("Not found."))
    page = cursor_page(
        request,
        queries.open_review_task_rows(actor),
        list_name="care-plan-reviews",
        ordering=("created_at", "id"),
        paging=paging,
    )
    queries.audit_review_tasks_listed(actor, page.items)
    return page.answer(review_out)


@router.get(
    "/patients/{patient_id}/care-plan-reviews",
    response={200: CursorPage.of(CarePlanReviewTaskOut), **ERROR_RESPONSES},
)
def list_patient_reviews(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Every review task of the patient, open first, then newest first."""
    patient = _open(
        request,
        patient_id,
        "careplans.view_care_plan",
        AuditEventType.CARE_PLAN_REVIEW_TASKS_VIEWED,
    )
    return cursor_page(
        request,
        queries.review_task_rows(patient),
        list_name="patient-care-plan-reviews",
        ordering=queries.REVIEW_TASK_ORDER,
        paging=paging,
    ).answer(review_out)


def _review(request: HttpRequest, task_id: UUID) -> CarePlanReviewTask:
    task: CarePlanReviewTask = get_by_external_id(CarePlanReviewTask, task_id, select=("patient",))
    _open(request, task.patient.external_id, "careplans.view_care_plan")
    return task


@router.post(
    "/care-plan-reviews/{task_id}/complete",
    response={200: CarePlanReviewTaskOut, **ERROR_RESPONSES},
)
def complete_review(request: HttpRequest, task_id: UUID, payload: CarePlanReviewCompleteIn) -> Any:
    """Record the review ("goals still fit", "meals goal stopped") without a new version."""
    task = services.complete_care_plan_review(
        actor=actor_of(request), task=_review(request, task_id), note=payload.note
    )
    return review_out(task)


@router.post(
    "/care-plan-reviews/{task_id}/dismiss",
    response={200: CarePlanReviewTaskOut, **ERROR_RESPONSES},
)
def dismiss_review(request: HttpRequest, task_id: UUID, payload: CarePlanReviewDismissIn) -> Any:
    task = services.dismiss_care_plan_review(
        actor=actor_of(request), task=_review(request, task_id), reason=payload.reason
    )
    return review_out(task)
