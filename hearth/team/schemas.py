"""Shapes of the team-support API. Wellbeing answers appear in one output
only, ``OwnCheckInOut``, which the API builds from the caller's own rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.models import Discipline
from hearth.core.validation import CalendarDate
from hearth.patients.schemas import StrictIn
from hearth.team.models import MAX_TRAINING_HOURS, RENEW_MONTHS_RANGE


class TeamMemberOut(Schema):
    id: UUID
    name: str
    discipline: str


def person(user: Any) -> dict[str, Any]:
    return {"id": user.external_id, "name": user.display_name, "discipline": user.discipline}


# --- Mandatory courses and training ------------------------------------------------------


class MandatoryCourseIn(StrictIn):
    title: str = Field(min_length=1, max_length=150)
    renew_every_months: int = Field(ge=RENEW_MONTHS_RANGE[0], le=RENEW_MONTHS_RANGE[1])
    disciplines: list[Discipline] = Field(min_length=1)
    description: str = Field("", max_length=10_000)


class MandatoryCoursePatch(StrictIn):
    title: str | None = Field(None, min_length=1, max_length=150)
    renew_every_months: int | None = Field(None, ge=RENEW_MONTHS_RANGE[0], le=RENEW_MONTHS_RANGE[1])
    disciplines: list[Discipline] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=10_000)
    is_active: bool | None = None


class MandatoryCourseOut(Schema):
    id: UUID
    title: str
    description: str
    renew_every_months: int
    disciplines: list[str]
    is_active: bool


def course_out(course: Any) -> dict[str, Any]:
    return {
        "id": course.external_id,
        "title": course.title,
        "description": course.description,
        "renew_every_months": course.renew_every_months,
        "disciplines": list(course.disciplines or []),
        "is_active": course.is_active,
    }


class TrainingIn(StrictIn):
    staff_id: UUID | None = Field(None, description="Whose training; leave out for your own.")
    mandatory_course_id: UUID | None = None
    course_title: str = Field("", max_length=200)
    provider: str = Field(min_length=1, max_length=200)
    hours: Decimal = Field(gt=0, le=MAX_TRAINING_HOURS, max_digits=5, decimal_places=2)
    completed_on: CalendarDate
    expires_on: CalendarDate | None = None


class TrainingOut(Schema):
    id: UUID
    staff: TeamMemberOut
    course_title: str
    mandatory_course_id: UUID | None
    provider: str
    hours: Decimal
    completed_on: date
    expires_on: date | None
    recorded_by: TeamMemberOut
    recorded_at: datetime
    withdrawn: bool
    withdrawn_reason: str


def training_out(record: Any) -> dict[str, Any]:
    return {
        "id": record.external_id,
        "staff": person(record.staff),
        "course_title": record.course_title,
        "mandatory_course_id": record.mandatory_course.external_id
        if record.mandatory_course
        else None,
        "provider": record.provider,
        "hours": record.hours,
        "completed_on": record.completed_on,
        "expires_on": record.expires_on,
        "recorded_by": person(record.recorded_by),
        "recorded_at": record.recorded_at,
        "withdrawn": record.withdrawn_at is not None,
        "withdrawn_reason": record.withdrawn_reason,
    }


class ComplianceCellOut(Schema):
    course_id: UUID
    course: str
    state: str
    expires_on: date | None
    record_id: UUID | None


class ComplianceRowOut(Schema):
    staff: TeamMemberOut
    courses: list[ComplianceCellOut]


def compliance_out(row: Any) -> dict[str, Any]:
    return {
        "staff": person(row.staff),
        "courses": [
            {
                "course_id": cell.course.external_id,
                "course": cell.course.title,
                "state": cell.state,
                "expires_on": cell.expires_on,
                "record_id": cell.record.external_id if cell.record else None,
            }
            for cell in row.courses
        ],
    }


class ReminderOut(Schema):
    id: UUID
    course_id: UUID
    course: str
    kind: str
    expires_on: date | None
    created_at: datetime


def reminder_out(reminder: Any) -> dict[str, Any]:
    return {
        "id": reminder.external_id,
        "course_id": reminder.course.external_id,
        "course": reminder.course.title,
        "kind": reminder.kind,
        "expires_on": reminder.expires_on,
        "created_at": reminder.created_at,
    }


# --- Wellbeing --------------------------------------------------------------------------


class WellbeingIn(StrictIn):
    energy: int = Field(ge=1, le=5)
    sleep: int = Field(ge=1, le=5)
    supported: int = Field(ge=1, le=5)
    emotional_load: int = Field(ge=1, le=5)
    workload: int = Field(ge=1, le=5)


class OwnCheckInOut(Schema):
    """One of the caller's own check-ins (never anyone else's)."""

    period: date
    submitted_at: datetime
    energy: int
    sleep: int
    supported: int
    emotional_load: int
    workload: int


class FiguresOut(Schema):
    group: str
    label: str
    shown: bool = Field(description="False: too few answers to show; nothing else is given.")
    respondents: int | None
    means: dict[str, Decimal] | None
    low_share_percent: dict[str, int] | None = Field(
        description="Share answering 1 or 2 (descriptive, not a cut-off)."
    )


class MonthSummaryOut(Schema):
    period: date
    minimum_group: int
    team: FiguresOut
    groups: list[FiguresOut]


def figures_out(figures: Any) -> dict[str, Any]:
    return {
        "group": figures.key,
        "label": figures.label,
        "shown": figures.shown,
        "respondents": figures.respondents if figures.shown else None,
        "means": figures.means if figures.shown else None,
        "low_share_percent": figures.low_share if figures.shown else None,
    }


# --- Case-load ---------------------------------------------------------------------------


class CaseloadOut(Schema):
    staff: TeamMemberOut
    patients: int
    in_active_care: int
    by_role: dict[str, int]
    visits_this_week: int
    visits_done_this_week: int
    open_alerts: int


def caseload_out(row: Any) -> dict[str, Any]:
    return {
        "staff": person(row.staff),
        "patients": row.patients,
        "in_active_care": row.in_active_care,
        "by_role": dict(row.by_role),
        "visits_this_week": row.visits_this_week,
        "visits_done_this_week": row.visits_done_this_week,
        "open_alerts": row.open_alerts,
    }


# --- Debriefs ----------------------------------------------------------------------------


class DebriefIn(StrictIn):
    held_on: CalendarDate
    facilitator_id: UUID
    attendee_ids: list[UUID] = Field(min_length=1, max_length=60)
    went_well: str = Field(min_length=1, max_length=10_000)
    could_be_better: str = Field(min_length=1, max_length=10_000)
    actions: str = Field("", max_length=10_000)


class DebriefOut(Schema):
    id: UUID
    patient_id: UUID
    patient_name: str
    died_at: datetime | None
    held_on: date
    facilitator: TeamMemberOut
    attendees: list[TeamMemberOut]
    went_well: str
    could_be_better: str
    actions: str
    recorded_by: TeamMemberOut
    recorded_at: datetime
    withdrawn: bool
    withdrawn_reason: str


def debrief_out(debrief: Any) -> dict[str, Any]:
    return {
        "id": debrief.external_id,
        "patient_id": debrief.patient.external_id,
        "patient_name": debrief.patient.full_name,
        "died_at": debrief.episode.died_at,
        "held_on": debrief.held_on,
        "facilitator": person(debrief.facilitator),
        "attendees": [person(user) for user in debrief.attendees.all()],
        "went_well": debrief.went_well,
        "could_be_better": debrief.could_be_better,
        "actions": debrief.actions,
        "recorded_by": person(debrief.recorded_by),
        "recorded_at": debrief.recorded_at,
        "withdrawn": debrief.withdrawn_at is not None,
        "withdrawn_reason": debrief.withdrawn_reason,
    }


class DeathOut(Schema):
    patient_id: UUID
    patient_name: str
    record_number: str
    died_at: datetime


def death_out(episode: Any) -> dict[str, Any]:
    return {
        "patient_id": episode.patient.external_id,
        "patient_name": episode.patient.full_name,
        "record_number": episode.patient.record_number,
        "died_at": episode.died_at,
    }
