"""Patients and admission over JSON: parse, call a service or query, answer a schema."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from hearth.accounts.models import User
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access, queries, services
from hearth.patients.models import CaregiverLink, CareTeamAssignment, Diagnosis, EmergencyAccess
from hearth.patients.schemas import (
    AuditEventOut,
    CaregiverIn,
    CaregiverOut,
    CareTeamIn,
    CareTeamOut,
    CommissionDecisionIn,
    CommissionDecisionOut,
    DeathIn,
    DiagnosisIn,
    DiagnosisOut,
    DischargeIn,
    EmergencyAccessIn,
    EmergencyAccessOut,
    EmergencyReviewIn,
    EpisodeOut,
    NewPatientReferralIn,
    NoteIn,
    PatientOut,
    PatientPatch,
    ReasonIn,
    ReferralIn,
    ScreeningIn,
    ScreeningOut,
    WorklistRowOut,
)

router = Router(tags=["patients"])


class WorklistQuery(Schema):
    state: str | None = None
    mine: bool = False
    search: str = ""


@router.get("/patients", response={200: CursorPage.of(WorklistRowOut), **ERROR_RESPONSES})
def list_patients(
    request: HttpRequest, filters: Query[WorklistQuery], paging: Query[CursorQuery]
) -> Any:
    """The worklist: everyone the caller may see (family: their one patient),
    most urgent open alert first, then by name, a page at a time (follow
    ``next``)."""
    actor = actor_of(request)
    page = cursor_page(
        request,
        queries.worklist_patients(
            actor, state=filters.state, mine_only=filters.mine, search=filters.search[:100]
        ),
        list_name="patients",
        ordering=queries.worklist_order(),
        paging=paging,
    )
    rows = queries.worklist_rows(actor, page.items)
    keys = [key for key, _title in rows.columns]
    items = [
        {
            **row.__dict__,
            "columns": {
                key: (cell or {}).get("text")
                for key, (_title, cell) in zip(keys, row.extra, strict=True)
            },
        }
        for row in rows
    ]
    return {"items": items, "next": page.next}


@router.post("/referrals", response={201: EpisodeOut, **ERROR_RESPONSES})
def refer_new_patient(request: HttpRequest, payload: NewPatientReferralIn) -> Any:
    episode = services.refer_new_patient(
        actor=actor_of(request),
        patient=payload.patient.model_dump(),
        referral=payload.referral.model_dump(),
        diagnoses=[d.model_dump() for d in payload.diagnoses],
    )
    return Status(201, episode)


@router.get("/patients/{patient_id}", response={200: PatientOut, **ERROR_RESPONSES})
def get_patient(request: HttpRequest, patient_id: UUID) -> Any:
    return access.access_patient(actor_of(request), patient_id, clinical=False)


@router.patch("/patients/{patient_id}", response={200: PatientOut, **ERROR_RESPONSES})
def update_patient(request: HttpRequest, patient_id: UUID, payload: PatientPatch) -> Any:
    patient = access.access_patient(actor_of(request), patient_id, audit_read=False)
    changes = payload.model_dump(exclude_unset=True)
    return services.update_patient(actor=actor_of(request), patient=patient, changes=changes)


@router.post("/patients/{patient_id}/diagnoses", response={201: DiagnosisOut, **ERROR_RESPONSES})
def add_diagnosis(request: HttpRequest, patient_id: UUID, payload: DiagnosisIn) -> Any:
    patient = access.access_patient(actor_of(request), patient_id, audit_read=False)
    return Status(
        201, services.add_diagnosis(actor=actor_of(request), patient=patient, **payload.dict())
    )


@router.post(
    "/diagnoses/{diagnosis_id}/entered-in-error",
    response={200: DiagnosisOut, **ERROR_RESPONSES},
)
def diagnosis_entered_in_error(request: HttpRequest, diagnosis_id: UUID, payload: ReasonIn) -> Any:
    diagnosis = get_by_external_id(Diagnosis, diagnosis_id, select=("patient",))
    access.access_patient(actor_of(request), diagnosis.patient.external_id, audit_read=False)
    return services.mark_diagnosis_entered_in_error(
        actor=actor_of(request), diagnosis=diagnosis, reason=payload.reason
    )


@router.post("/patients/{patient_id}/referrals", response={201: EpisodeOut, **ERROR_RESPONSES})
def refer_existing_patient(request: HttpRequest, patient_id: UUID, payload: ReferralIn) -> Any:
    patient = access.access_patient(actor_of(request), patient_id, clinical=False, audit_read=False)
    episode = services.refer_existing_patient(
        actor=actor_of(request), patient=patient, referral=payload.model_dump()
    )
    return Status(201, episode)


@router.get(
    "/patients/{patient_id}/episodes", response={200: CursorPage.of(EpisodeOut), **ERROR_RESPONSES}
)
def list_episodes(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Every episode of care, newest first, a page at a time."""
    patient = access.access_patient(
        actor_of(request), patient_id, event_type=AuditEventType.EPISODES_VIEWED
    )
    return cursor_page(
        request,
        patient.episodes.select_related("patient", "referral"),
        list_name="episodes",
        ordering=("-opened_at", "-id"),
        paging=paging,
    ).answer()


@router.get("/episodes/{episode_id}", response={200: EpisodeOut, **ERROR_RESPONSES})
def get_episode(request: HttpRequest, episode_id: UUID) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    access.access_patient(
        actor_of(request), episode.patient.external_id, event_type=AuditEventType.EPISODE_VIEWED
    )
    return episode


@router.post("/episodes/{episode_id}/screenings", response={201: ScreeningOut, **ERROR_RESPONSES})
def screen(request: HttpRequest, episode_id: UUID, payload: ScreeningIn) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    screening = services.record_eligibility_screening(
        actor=actor_of(request), episode=episode, **payload.dict()
    )
    return Status(201, screening)


@router.post(
    "/episodes/{episode_id}/commission-decisions",
    response={201: CommissionDecisionOut, **ERROR_RESPONSES},
)
def decide(request: HttpRequest, episode_id: UUID, payload: CommissionDecisionIn) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    decision = services.record_commission_decision(
        actor=actor_of(request), episode=episode, **payload.dict()
    )
    return Status(201, decision)


@router.post("/episodes/{episode_id}/admit", response={200: EpisodeOut, **ERROR_RESPONSES})
def admit(request: HttpRequest, episode_id: UUID) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    return services.admit_to_home_care(actor=actor_of(request), episode=episode)


@router.post("/episodes/{episode_id}/discharge", response={200: EpisodeOut, **ERROR_RESPONSES})
def discharge(request: HttpRequest, episode_id: UUID, payload: DischargeIn) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    return services.discharge(
        actor=actor_of(request), episode=episode, reason=payload.reason, note=payload.note
    )


@router.post("/episodes/{episode_id}/death", response={200: EpisodeOut, **ERROR_RESPONSES})
def record_death(request: HttpRequest, episode_id: UUID, payload: DeathIn) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    return services.record_death(actor=actor_of(request), episode=episode, **payload.dict())


@router.post("/episodes/{episode_id}/bereavement", response={200: EpisodeOut, **ERROR_RESPONSES})
def start_bereavement(request: HttpRequest, episode_id: UUID) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    return services.start_bereavement_follow_up(actor=actor_of(request), episode=episode)


@router.post("/episodes/{episode_id}/close", response={200: EpisodeOut, **ERROR_RESPONSES})
def close(request: HttpRequest, episode_id: UUID, payload: NoteIn) -> Any:
    episode = services.get_episode(actor=actor_of(request), episode_id=episode_id)
    return services.close_episode(actor=actor_of(request), episode=episode, note=payload.note)


@router.get(
    "/patients/{patient_id}/care-team", response={200: list[CareTeamOut], **ERROR_RESPONSES}
)
def care_team(request: HttpRequest, patient_id: UUID) -> Any:
    patient = access.access_patient(
        actor_of(request), patient_id, clinical=False, event_type=AuditEventType.CARE_TEAM_VIEWED
    )
    return list(queries.care_team(patient))


@router.post("/patients/{patient_id}/care-team", response={201: CareTeamOut, **ERROR_RESPONSES})
def assign(request: HttpRequest, patient_id: UUID, payload: CareTeamIn) -> Any:
    patient = access.access_patient(actor_of(request), patient_id, audit_read=False)
    staff = get_by_external_id(User, payload.staff_id)
    assignment = services.assign_to_care_team(
        actor=actor_of(request), patient=patient, staff=staff, role=payload.role
    )
    return Status(201, assignment)


@router.post("/care-team/{assignment_id}/end", response={200: CareTeamOut, **ERROR_RESPONSES})
def end_assignment(request: HttpRequest, assignment_id: UUID) -> Any:
    assignment = get_by_external_id(CareTeamAssignment, assignment_id, select=("patient", "staff"))
    access.access_patient(actor_of(request), assignment.patient.external_id, audit_read=False)
    return services.end_care_team_assignment(actor=actor_of(request), assignment=assignment)


@router.get(
    "/patients/{patient_id}/caregivers", response={200: list[CaregiverOut], **ERROR_RESPONSES}
)
def caregivers(request: HttpRequest, patient_id: UUID) -> Any:
    patient = access.access_patient(
        actor_of(request), patient_id, clinical=False, event_type=AuditEventType.CAREGIVERS_VIEWED
    )
    return list(patient.caregivers.filter(ended_at__isnull=True).select_related("user"))


@router.post("/patients/{patient_id}/caregivers", response={201: CaregiverOut, **ERROR_RESPONSES})
def add_caregiver(request: HttpRequest, patient_id: UUID, payload: CaregiverIn) -> Any:
    patient = access.access_patient(actor_of(request), patient_id, audit_read=False)
    return Status(
        201,
        services.add_family_caregiver(actor=actor_of(request), patient=patient, **payload.dict()),
    )


@router.post("/caregivers/{link_id}/end", response={200: CaregiverOut, **ERROR_RESPONSES})
def end_caregiver(request: HttpRequest, link_id: UUID, payload: ReasonIn) -> Any:
    link = get_by_external_id(CaregiverLink, link_id, select=("patient", "user"))
    access.access_patient(actor_of(request), link.patient.external_id, audit_read=False)
    return services.end_caregiver_access(actor=actor_of(request), link=link, reason=payload.reason)


@router.post(
    "/patients/{patient_id}/emergency-access",
    response={201: EmergencyAccessOut, **ERROR_RESPONSES},
)
def break_glass(request: HttpRequest, patient_id: UUID, payload: EmergencyAccessIn) -> Any:
    actor = actor_of(request)
    if not access.is_staff(actor):
        raise NotFound(_("No patient with that identifier."))
    access.refuse_a_volunteer(actor)
    patient = access.find_patient(patient_id)
    return Status(
        201, services.use_emergency_access(actor=actor, patient=patient, reason=payload.reason)
    )


@router.get(
    "/emergency-access", response={200: CursorPage.of(EmergencyAccessOut), **ERROR_RESPONSES}
)
def emergency_access_to_review(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Break-glass openings waiting for review, newest first, a page at a time."""
    if not actor_of(request).has_perm("patients.review_emergency_access"):
        raise NotAllowed(_("Only the clinical lead reviews emergency access."))
    return cursor_page(
        request,
        queries.emergency_access_for_review(),
        list_name="emergency-access",
        ordering=("-started_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/emergency-access/{grant_id}/review",
    response={200: EmergencyAccessOut, **ERROR_RESPONSES},
)
def review_emergency_access(
    request: HttpRequest, grant_id: UUID, payload: EmergencyReviewIn
) -> Any:
    grant = get_by_external_id(EmergencyAccess, grant_id, select=("patient", "user"))
    return services.review_emergency_access(
        actor=actor_of(request), grant=grant, outcome=payload.outcome, note=payload.note
    )


@router.get(
    "/patients/{patient_id}/timeline",
    response={200: CursorPage.of(AuditEventOut), **ERROR_RESPONSES},
)
def timeline(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Writes to the record, newest first, a page at a time."""
    patient = access.access_patient(
        actor_of(request), patient_id, event_type=AuditEventType.TIMELINE_VIEWED
    )
    return cursor_page(
        request,
        queries.timeline_events(patient),
        list_name="timeline",
        ordering=queries.EVENT_ORDER,
        paging=paging,
    ).answer()


@router.get(
    "/patients/{patient_id}/audit", response={200: CursorPage.of(AuditEventOut), **ERROR_RESPONSES}
)
def audit_trail(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Every read and write, newest first, a page at a time, back to the first."""
    actor = actor_of(request)
    access.refuse_a_volunteer(actor)
    if not actor.has_perm("patients.view_audit_trail"):
        raise NotAllowed(_("Only an administrator can see who opened a record."))
    patient = access.access_patient(actor, patient_id, event_type=AuditEventType.AUDIT_TRAIL_VIEWED)
    return cursor_page(
        request,
        queries.audit_trail_events(patient),
        list_name="audit",
        ordering=queries.EVENT_ORDER,
        paging=paging,
    ).answer()


@router.get("/commission/queue", response={200: CursorPage.of(EpisodeOut), **ERROR_RESPONSES})
def commission_queue(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Episodes waiting for the commission, oldest referral first, a page at a
    time; only the patients of the page served are audited as listed."""
    actor = actor_of(request)
    if not actor.is_commission_member:
        raise NotAllowed(_("Only members of the medical commission see its queue."))
    page = cursor_page(
        request,
        queries.commission_queue_rows(actor),
        list_name="commission-queue",
        ordering=("opened_at", "id"),
        paging=paging,
    )
    queries.audit_commission_queue(actor, page.items)
    return page.answer()
