"""Caregiving over JSON: what goes in and what comes out.

Objects are named by their external UUID; dates are ISO 8601 and date-times
carry a time zone. Texts of the curriculum come back in the caller's language.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.caregiving.choices import (
    ContactKind,
    ContactMode,
    RespiteKind,
    RespiteStatus,
    SupportAction,
    SupportTaskSource,
    SupportTaskStatus,
    TrainingStatus,
    TrainingStep,
)
from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.patients.schemas import StrictIn

AWARE = "ISO 8601 with a time zone, e.g. 2026-05-01T08:00+01:00."


class CarerOut(Schema):
    id: UUID
    name: str
    relationship: str
    is_primary_caregiver: bool

    @staticmethod
    def of(link: Any) -> dict[str, Any]:
        return {
            "id": link.external_id,
            "name": link.user.display_name,
            "relationship": link.relationship,
            "is_primary_caregiver": link.is_primary_caregiver,
        }


# --- Curriculum and training --------------------------------------------------------


class SkillOut(Schema):
    code: str
    title: str
    order: int
    summary: str
    steps: list[str]
    call_us_if: list[str]
    medicine_route: str | None


def skill_out(skill: Any) -> dict[str, Any]:
    return {
        "code": skill.code,
        "title": str(skill.title),
        "order": skill.order,
        "summary": str(skill.summary),
        "steps": [str(step) for step in skill.steps],
        "call_us_if": [str(item) for item in skill.call_us_if],
        "medicine_route": skill.medicine_route,
    }


class SkillStateOut(Schema):
    skill: str
    title: str
    status: TrainingStatus
    status_label: str
    next_step: str
    demonstrated_on: date | None
    demonstrated_by: str | None
    practised_on: date | None
    practised_by: str | None
    signed_off_on: date | None
    signed_off_by: str | None
    expires_on: date | None
    medicine_sign_off_id: UUID | None = Field(
        description="For a medicine skill: the medicines sign-off in force (or expired)."
    )
    withdrawn_reason: str | None


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


def state_out(state: Any) -> dict[str, Any]:
    record = state.record
    return {
        "skill": state.skill.code,
        "title": str(state.skill.title),
        "status": state.status,
        "status_label": str(state.status_label),
        "next_step": str(state.next_step),
        "demonstrated_on": record.demonstrated_on if record else None,
        "demonstrated_by": _name(record.demonstrated_by) if record else None,
        "practised_on": record.practised_on if record else None,
        "practised_by": _name(record.practised_by) if record else None,
        "signed_off_on": state.signed_off_on,
        "signed_off_by": _name(state.signed_off_by),
        "expires_on": state.expires_on,
        "medicine_sign_off_id": state.sign_off.external_id if state.sign_off else None,
        "withdrawn_reason": state.withdrawn.withdraw_reason if state.withdrawn else None,
    }


class CarerTrainingOut(Schema):
    caregiver: CarerOut
    skills: list[SkillStateOut]


def carer_training_out(carer: Any) -> dict[str, Any]:
    return {
        "caregiver": CarerOut.of(carer.caregiver),
        "skills": [state_out(state) for state in carer.skills],
    }


class TrainingStepIn(StrictIn):
    caregiver_id: UUID
    skill: str = Field(max_length=32)
    step: TrainingStep
    on: CalendarDate | None = Field(None, description="Defaults to today.")
    expires_on: CalendarDate | None = Field(
        None, description="Sign-off only: an expiry earlier than the service's usual period."
    )
    note: str = Field("", max_length=4000)


class TrainingWithdrawIn(StrictIn):
    caregiver_id: UUID
    skill: str = Field(max_length=32)
    reason: str = Field(min_length=1, max_length=4000)


# --- Strain schedule and support tasks -------------------------------------------------


class StrainDueOut(Schema):
    caregiver: CarerOut
    last_assessed_at: datetime | None
    due_on: date
    is_due: bool


def strain_out(item: Any) -> dict[str, Any]:
    return {
        "caregiver": CarerOut.of(item.caregiver),
        "last_assessed_at": item.last_assessed_at,
        "due_on": item.due_on,
        "is_due": item.is_due,
    }


class TaskScoreOut(Schema):
    response_id: UUID
    instrument: str
    total: int | None
    assessed_at: datetime


class SupportTaskOut(Schema):
    id: UUID
    patient_id: UUID
    caregiver: CarerOut
    source: SupportTaskSource
    scores: list[TaskScoreOut]
    reason: str
    suggested_actions: list[SupportAction]
    assigned_discipline: str
    assigned_to: PersonOut | None
    due_on: date
    status: SupportTaskStatus
    outcome: str
    created_at: datetime
    closed_at: datetime | None


def task_out(task: Any) -> dict[str, Any]:
    return {
        "id": task.external_id,
        "patient_id": task.patient.external_id,
        "caregiver": CarerOut.of(task.caregiver),
        "source": task.source,
        "scores": [
            {
                "response_id": response.external_id,
                "instrument": response.instrument,
                "total": response.total,
                "assessed_at": response.assessed_at,
            }
            for response in task.responses.all()
        ],
        "reason": task.reason,
        "suggested_actions": list(task.suggested_actions or []),
        "assigned_discipline": task.assigned_discipline,
        "assigned_to": task.assigned_to,
        "due_on": task.due_on,
        "status": task.status,
        "outcome": task.outcome,
        "created_at": task.created_at,
        "closed_at": task.closed_at,
    }


class SupportTaskIn(StrictIn):
    caregiver_id: UUID
    reason: str = Field(min_length=1, max_length=4000)
    suggested_actions: list[SupportAction] = []
    due_on: CalendarDate | None = None
    assigned_discipline: str = Field("", max_length=32)
    assigned_to_id: UUID | None = None


class SupportTaskPatch(StrictIn):
    suggested_actions: list[SupportAction] | None = None
    due_on: CalendarDate | None = None
    assigned_discipline: str | None = Field(None, max_length=32)
    assigned_to_id: UUID | None = None


class OutcomeIn(StrictIn):
    outcome: str = Field(min_length=1, max_length=4000)


# --- Contacts -------------------------------------------------------------------------


class SupportContactOut(Schema):
    id: UUID
    kind: ContactKind
    discipline: str
    mode: ContactMode
    occurred_at: datetime
    duration_minutes: int | None
    relatives: list[CarerOut]
    others_present: str
    outcome: str
    next_step: str
    next_contact_on: date | None
    recorded_by: PersonOut
    entered_in_error: bool


def contact_out(contact: Any) -> dict[str, Any]:
    return {
        "id": contact.external_id,
        "kind": contact.kind,
        "discipline": contact.discipline,
        "mode": contact.mode,
        "occurred_at": contact.occurred_at,
        "duration_minutes": contact.duration_minutes,
        "relatives": [CarerOut.of(link) for link in contact.relatives.all()],
        "others_present": contact.others_present,
        "outcome": contact.outcome,
        "next_step": contact.next_step,
        "next_contact_on": contact.next_contact_on,
        "recorded_by": contact.recorded_by,
        "entered_in_error": contact.entered_in_error_at is not None,
    }


class SupportContactIn(StrictIn):
    kind: ContactKind
    mode: ContactMode
    occurred_at: AwareDateTime = Field(description=AWARE)
    duration_minutes: int | None = Field(None, ge=1, le=600)
    relative_ids: list[UUID] = []
    others_present: str = Field("", max_length=200)
    outcome: str = Field(min_length=1, max_length=4000)
    next_step: str = Field("", max_length=4000)
    next_contact_on: CalendarDate | None = None


# --- Respite --------------------------------------------------------------------------


class RespiteOut(Schema):
    id: UUID
    kind: RespiteKind
    status: RespiteStatus
    caregiver: CarerOut | None
    wanted_from: date
    wanted_to: date
    reason: str
    requested_by: PersonOut
    requested_at: datetime
    volunteer: PersonOut | None
    place: str
    booked_from: datetime | None
    booked_to: datetime | None
    booking_note: str
    close_reason: str


def respite_out(respite: Any) -> dict[str, Any]:
    return {
        "id": respite.external_id,
        "kind": respite.kind,
        "status": respite.status,
        "caregiver": CarerOut.of(respite.caregiver) if respite.caregiver else None,
        "wanted_from": respite.wanted_from,
        "wanted_to": respite.wanted_to,
        "reason": respite.reason,
        "requested_by": respite.requested_by,
        "requested_at": respite.requested_at,
        "volunteer": respite.volunteer,
        "place": respite.place,
        "booked_from": respite.booked_from,
        "booked_to": respite.booked_to,
        "booking_note": respite.booking_note,
        "close_reason": respite.close_reason,
    }


class RespiteIn(StrictIn):
    kind: RespiteKind
    wanted_from: CalendarDate
    wanted_to: CalendarDate
    reason: str = Field("", max_length=4000)
    caregiver_id: UUID | None = Field(None, description="Staff only; the family asks for themself.")


class RespiteBookIn(StrictIn):
    booked_from: AwareDateTime = Field(description=AWARE)
    booked_to: AwareDateTime = Field(description=AWARE)
    volunteer_id: UUID | None = None
    place: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)


class RespiteNoteIn(StrictIn):
    note: str = Field("", max_length=4000)
