"""The family support JSON API: the same services and rules as the pages.

Family training, the caregiver-strain schedule, support tasks, counselling and
social-work contacts, respite. Nothing here writes a model; objects are named
by their external UUIDs. A family member reaches only their own patient, and
in training only their own record.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts.models import User, UserKind
from hearth.caregiving import curriculum, queries, services
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask
from hearth.caregiving.schemas import (
    CarerTrainingOut,
    OutcomeIn,
    RespiteBookIn,
    RespiteIn,
    RespiteNoteIn,
    RespiteOut,
    SkillOut,
    StrainDueOut,
    SupportContactIn,
    SupportContactOut,
    SupportTaskIn,
    SupportTaskOut,
    SupportTaskPatch,
    TrainingStepIn,
    TrainingWithdrawIn,
    carer_training_out,
    contact_out,
    respite_out,
    skill_out,
    strain_out,
    task_out,
)
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.models import CaregiverLink, Patient
from hearth.patients.schemas import ReasonIn

router = Router(tags=["family support"])


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _open_staff_or_portal(
    request: HttpRequest, patient_id: Any, staff_perm: str, portal_perm: str, read: str
) -> Patient:
    actor = actor_of(request)
    perm = staff_perm if actor.kind == UserKind.STAFF else portal_perm
    return _open(request, patient_id, perm, read)


def _carer(patient: Patient, caregiver_id: UUID | None, field: str = "caregiver_id") -> Any:
    if caregiver_id is None:
        return None
    link = (
        CaregiverLink.objects.select_related("user")
        .filter(patient=patient, external_id=caregiver_id)
        .first()
    )
    if link is None:
        message = _("Choose a family caregiver of this patient.")
        raise ValidationFailed(message, field_errors={field: [message]})
    return link


def _staff(user_id: UUID | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(external_id=user_id, kind=UserKind.STAFF).first()
    if user is None:
        message = _("No such member of staff.")
        raise ValidationFailed(message, field_errors={field: [message]})
    return user


# --- Curriculum and training ----------------------------------------------------------


@router.get("/caregiving/skills", response={200: list[SkillOut], **ERROR_RESPONSES})
def list_skills(request: HttpRequest) -> Any:
    """The family training curriculum, with the written guidance for each
    skill, in the caller's language. Any signed-in user."""
    return [skill_out(skill) for skill in curriculum.all_skills()]


@router.get("/caregiving/skills/{code}", response={200: SkillOut, **ERROR_RESPONSES})
def get_skill(request: HttpRequest, code: str) -> Any:
    skill = curriculum.get(code)
    if skill is None:
        raise NotFound(_("Not a skill of the training curriculum."))
    return skill_out(skill)


@router.get(
    "/patients/{patient_id}/training", response={200: list[CarerTrainingOut], **ERROR_RESPONSES}
)
def get_training(request: HttpRequest, patient_id: UUID) -> Any:
    """Staff on the caseload: every current carer × every skill. A family
    member: their own training only."""
    actor = actor_of(request)
    patient = _open_staff_or_portal(
        request,
        patient_id,
        "caregiving.view_training",
        "caregiving.view_own_training",
        AuditEventType.TRAINING_VIEWED,
    )
    if actor.kind == UserKind.STAFF:
        carers = queries.training_for(patient)
    else:
        own = queries.own_training(actor, patient)
        carers = [own] if own else []
    return [carer_training_out(carer) for carer in carers]


@router.post(
    "/patients/{patient_id}/training/steps",
    response={200: list[CarerTrainingOut], **ERROR_RESPONSES},
)
def record_training_step(request: HttpRequest, patient_id: UUID, payload: TrainingStepIn) -> Any:
    """A nurse or physician records shown / practised / signed off. Signing
    off a medicine skill creates the medicines sign-off for that route.
    Answers the carer's training after the change."""
    patient = _open(request, patient_id, "caregiving.record_training")
    link = _carer(patient, payload.caregiver_id)
    services.record_training_step(
        actor=actor_of(request),
        patient=patient,
        caregiver=link,
        skill=payload.skill,
        step=payload.step.value,
        on=payload.on,
        expires_on=payload.expires_on,
        note=payload.note,
    )
    return [carer_training_out(carer) for carer in queries.training_for(patient, [link])]


@router.post(
    "/patients/{patient_id}/training/withdrawals",
    response={200: list[CarerTrainingOut], **ERROR_RESPONSES},
)
def withdraw_training(request: HttpRequest, patient_id: UUID, payload: TrainingWithdrawIn) -> Any:
    patient = _open(request, patient_id, "caregiving.record_training")
    link = _carer(patient, payload.caregiver_id)
    services.withdraw_training(
        actor=actor_of(request),
        patient=patient,
        caregiver=link,
        skill=payload.skill,
        reason=payload.reason,
    )
    return [carer_training_out(carer) for carer in queries.training_for(patient, [link])]


# --- Strain schedule and support tasks -----------------------------------------------------


@router.get(
    "/patients/{patient_id}/caregiver-strain-schedule",
    response={200: list[StrainDueOut], **ERROR_RESPONSES},
)
def strain_schedule(request: HttpRequest, patient_id: UUID) -> Any:
    patient = _open(
        request,
        patient_id,
        "caregiving.view_family_support",
        AuditEventType.CAREGIVER_STRAIN_SCHEDULE_VIEWED,
    )
    return [strain_out(item) for item in queries.strain_schedule([patient.pk]).get(patient.pk, [])]


@router.get("/support-tasks", response={200: CursorPage.of(SupportTaskOut), **ERROR_RESPONSES})
def list_open_tasks(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Open support tasks for every patient the caller may see (the
    family-support disciplines only), soonest due first, a page at a time;
    only the patients of the page served are audited as listed."""
    actor = actor_of(request)
    if not actor.has_perm("caregiving.view_support_tasks"):
        raise NotFound(_("Not found."))
    page = cursor_page(
        request,
        queries.open_task_rows(actor),
        list_name="support-tasks",
        ordering=queries.OPEN_TASK_ORDER,
        paging=paging,
    )
    queries.audit_tasks_listed(actor, page.items)
    return page.answer(task_out)


@router.get(
    "/patients/{patient_id}/support-tasks",
    response={200: CursorPage.of(SupportTaskOut), **ERROR_RESPONSES},
)
def list_patient_tasks(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """The patient's support tasks, open first, soonest due first, a page at a time."""
    patient = _open(
        request, patient_id, "caregiving.view_family_support", AuditEventType.SUPPORT_TASKS_VIEWED
    )
    return cursor_page(
        request,
        queries.task_rows(patient),
        list_name="patient-support-tasks",
        ordering=queries.TASK_ORDER,
        paging=paging,
    ).answer(task_out)


@router.post(
    "/patients/{patient_id}/support-tasks", response={201: SupportTaskOut, **ERROR_RESPONSES}
)
def create_task(request: HttpRequest, patient_id: UUID, payload: SupportTaskIn) -> Any:
    patient = _open(request, patient_id, "caregiving.manage_support_tasks")
    task = services.create_support_task(
        actor=actor_of(request),
        patient=patient,
        caregiver=_carer(patient, payload.caregiver_id),
        reason=payload.reason,
        suggested_actions=[action.value for action in payload.suggested_actions],
        due_on=payload.due_on,
        assigned_discipline=payload.assigned_discipline,
        assigned_to=_staff(payload.assigned_to_id, "assigned_to_id"),
    )
    return Status(201, task_out(task))


def _task(request: HttpRequest, task_id: UUID) -> SupportTask:
    task: SupportTask = get_by_external_id(
        SupportTask, task_id, select=("patient", "caregiver__user", "assigned_to")
    )
    _open(request, task.patient.external_id, "caregiving.view_family_support")
    return task


@router.patch("/support-tasks/{task_id}", response={200: SupportTaskOut, **ERROR_RESPONSES})
def update_task(request: HttpRequest, task_id: UUID, payload: SupportTaskPatch) -> Any:
    task = _task(request, task_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for key, value in sent.items():
        if key == "assigned_to_id":
            changes["assigned_to"] = _staff(value, "assigned_to_id")
        elif key == "suggested_actions":
            changes[key] = [getattr(v, "value", v) for v in value or []]
        elif key == "assigned_discipline":
            changes[key] = value or ""
        else:
            changes[key] = value
    updated = services.update_support_task(actor=actor_of(request), task=task, changes=changes)
    return task_out(updated)


@router.post("/support-tasks/{task_id}/complete", response={200: SupportTaskOut, **ERROR_RESPONSES})
def complete_task(request: HttpRequest, task_id: UUID, payload: OutcomeIn) -> Any:
    task = _task(request, task_id)
    return task_out(
        services.complete_support_task(actor=actor_of(request), task=task, outcome=payload.outcome)
    )


@router.post("/support-tasks/{task_id}/cancel", response={200: SupportTaskOut, **ERROR_RESPONSES})
def cancel_task(request: HttpRequest, task_id: UUID, payload: ReasonIn) -> Any:
    task = _task(request, task_id)
    return task_out(
        services.cancel_support_task(actor=actor_of(request), task=task, reason=payload.reason)
    )


# --- Counselling and social-work contacts ------------------------------------------------------


@router.get(
    "/patients/{patient_id}/support-contacts",
    response={200: CursorPage.of(SupportContactOut), **ERROR_RESPONSES},
)
def list_contacts(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Counselling and social-work contacts, newest first, a page at a time."""
    patient = _open(
        request,
        patient_id,
        "caregiving.view_family_support",
        AuditEventType.SUPPORT_CONTACTS_VIEWED,
    )
    return cursor_page(
        request,
        queries.contact_rows(patient),
        list_name="support-contacts",
        ordering=("-occurred_at", "-id"),
        paging=paging,
    ).answer(contact_out)


@router.post(
    "/patients/{patient_id}/support-contacts",
    response={201: SupportContactOut, **ERROR_RESPONSES},
)
def record_contact(request: HttpRequest, patient_id: UUID, payload: SupportContactIn) -> Any:
    """Counselling (psychologists) or a social-work action (social workers)."""
    patient = _open(request, patient_id, "caregiving.view_family_support")
    relatives = [_carer(patient, key, "relative_ids") for key in payload.relative_ids]
    contact = services.record_support_contact(
        actor=actor_of(request),
        patient=patient,
        kind=payload.kind.value,
        mode=payload.mode.value,
        occurred_at=payload.occurred_at,
        duration_minutes=payload.duration_minutes,
        relatives=relatives,
        others_present=payload.others_present,
        outcome=payload.outcome,
        next_step=payload.next_step,
        next_contact_on=payload.next_contact_on,
    )
    return Status(201, contact_out(contact))


@router.post(
    "/support-contacts/{contact_id}/entered-in-error",
    response={200: SupportContactOut, **ERROR_RESPONSES},
)
def contact_entered_in_error(request: HttpRequest, contact_id: UUID, payload: ReasonIn) -> Any:
    contact: SupportContact = get_by_external_id(
        SupportContact, contact_id, select=("patient", "recorded_by")
    )
    _open(request, contact.patient.external_id, "caregiving.view_family_support")
    return contact_out(
        services.mark_contact_entered_in_error(
            actor=actor_of(request), contact=contact, reason=payload.reason
        )
    )


# --- Respite ------------------------------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/respite", response={200: CursorPage.of(RespiteOut), **ERROR_RESPONSES}
)
def list_respite(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Staff of the family-support disciplines, or the family (their own
    patient). Newest first, a page at a time."""
    patient = _open_staff_or_portal(
        request,
        patient_id,
        "caregiving.view_family_support",
        "caregiving.view_own_support",
        AuditEventType.RESPITE_VIEWED,
    )
    return cursor_page(
        request,
        queries.respite_rows(patient),
        list_name="respite",
        ordering=("-requested_at", "-id"),
        paging=paging,
    ).answer(respite_out)


@router.post("/patients/{patient_id}/respite", response={201: RespiteOut, **ERROR_RESPONSES})
def request_respite(request: HttpRequest, patient_id: UUID, payload: RespiteIn) -> Any:
    patient = _open(request, patient_id, "caregiving.request_respite")
    respite = services.request_respite(
        actor=actor_of(request),
        patient=patient,
        kind=payload.kind.value,
        wanted_from=payload.wanted_from,
        wanted_to=payload.wanted_to,
        reason=payload.reason,
        caregiver=_carer(patient, payload.caregiver_id),
    )
    return Status(201, respite_out(respite))


def _respite(request: HttpRequest, respite_id: UUID) -> RespiteRequest:
    respite: RespiteRequest = get_by_external_id(
        RespiteRequest,
        respite_id,
        select=("patient", "caregiver__user", "requested_by", "volunteer"),
    )
    actor = actor_of(request)
    perm = (
        "caregiving.view_family_support"
        if actor.kind == UserKind.STAFF
        else "caregiving.view_own_support"
    )
    _open(request, respite.patient.external_id, perm)
    return respite


@router.post("/respite/{respite_id}/book", response={200: RespiteOut, **ERROR_RESPONSES})
def book_respite(request: HttpRequest, respite_id: UUID, payload: RespiteBookIn) -> Any:
    """The coordinator books: a volunteer for sitting, a place otherwise."""
    respite = _respite(request, respite_id)
    return respite_out(
        services.book_respite(
            actor=actor_of(request),
            respite=respite,
            booked_from=payload.booked_from,
            booked_to=payload.booked_to,
            volunteer=_staff(payload.volunteer_id, "volunteer_id"),
            place=payload.place,
            note=payload.note,
        )
    )


@router.post("/respite/{respite_id}/complete", response={200: RespiteOut, **ERROR_RESPONSES})
def complete_respite(request: HttpRequest, respite_id: UUID, payload: RespiteNoteIn) -> Any:
    respite = _respite(request, respite_id)
    return respite_out(
        services.complete_respite(actor=actor_of(request), respite=respite, note=payload.note)
    )


@router.post("/respite/{respite_id}/decline", response={200: RespiteOut, **ERROR_RESPONSES})
def decline_respite(request: HttpRequest, respite_id: UUID, payload: ReasonIn) -> Any:
    respite = _respite(request, respite_id)
    return respite_out(
        services.decline_respite(actor=actor_of(request), respite=respite, reason=payload.reason)
    )


@router.post("/respite/{respite_id}/cancel", response={200: RespiteOut, **ERROR_RESPONSES})
def cancel_respite(request: HttpRequest, respite_id: UUID, payload: ReasonIn) -> Any:
    respite = _respite(request, respite_id)
    return respite_out(
        services.cancel_respite(actor=actor_of(request), respite=respite, reason=payload.reason)
    )
