from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.models import Discipline
from hearth.allergies.schemas import AllergySummaryOut
from hearth.careplans.choices import (
    AcpStatus,
    Domain,
    FoodContent,
    InterventionKind,
    InterventionPeriod,
    NeedSeverity,
    PlanStatus,
    ReviewTaskStatus,
    ReviewTrigger,
)
from hearth.core.validation import CalendarDate
from hearth.patients.schemas import StrictIn
from hearth.personhood.schemas import PersonOut


class AssessedNeedIn(StrictIn):
    domain: Domain
    description: str = Field(min_length=1, max_length=500)
    severity: NeedSeverity


class HolisticAssessmentIn(StrictIn):
    assessed_on: CalendarDate
    summary: str = ""
    needs: list[AssessedNeedIn]


class AssessedNeedOut(Schema):
    id: UUID = Field(alias="external_id")
    domain: Domain
    description: str
    severity: NeedSeverity


class HolisticAssessmentOut(Schema):
    id: UUID = Field(alias="external_id")
    assessed_on: date
    assessed_by: PersonOut
    summary: str
    needs: list[AssessedNeedOut]

    @staticmethod
    def resolve_needs(obj: Any) -> list[Any]:
        return list(obj.needs.all())


class StartPlanIn(StrictIn):
    assessment_id: UUID | None = None


class PlanPatch(StrictIn):
    summary: str | None = None
    review_date: CalendarDate | None = None


class NeedIn(StrictIn):
    domain: Domain
    description: str = Field(min_length=1, max_length=500)
    severity: NeedSeverity


class GoalIn(StrictIn):
    in_own_words: str = Field(min_length=1, max_length=500)
    measurable_target: str = Field(min_length=1, max_length=300)
    target_date: CalendarDate | None = None


class InterventionIn(StrictIn):
    description: str = Field(min_length=1, max_length=500)
    kind: InterventionKind
    discipline: Discipline
    responsible_id: UUID | None = None
    times: int | None = None
    per: InterventionPeriod | None = None
    duration_minutes: int | None = None
    food_contains: list[FoodContent] = []


class InterventionOut(Schema):
    id: UUID = Field(alias="external_id")
    description: str
    kind: InterventionKind
    discipline: str
    responsible: PersonOut | None
    times: int | None
    per: str
    duration_minutes: int | None
    food_contains: list[str]
    frequency: str = Field(alias="frequency_label")


class GoalOut(Schema):
    id: UUID = Field(alias="external_id")
    in_own_words: str
    measurable_target: str
    target_date: date | None
    interventions: list[InterventionOut]

    @staticmethod
    def resolve_interventions(obj: Any) -> list[Any]:
        return list(obj.interventions.all())


class NeedOut(Schema):
    id: UUID = Field(alias="external_id")
    domain: Domain
    description: str
    severity: NeedSeverity
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return list(obj.goals.all())


class ConflictOut(Schema):
    kind: str
    intervention: str
    message: str


class PlanVersionOut(Schema):
    id: UUID = Field(alias="external_id")
    version: int
    status: PlanStatus
    review_date: date | None
    created_by: PersonOut
    created_at: datetime
    activated_by: PersonOut | None
    activated_at: datetime | None


class PlanOut(PlanVersionOut):
    summary: str
    needs: list[NeedOut]
    conflicts: list[ConflictOut] = []

    @staticmethod
    def resolve_needs(obj: Any) -> list[Any]:
        return list(obj.needs.all())


class DiffLineOut(Schema):
    change: str
    text: str


class DiffOut(Schema):
    older_version: int
    newer_version: int
    lines: list[DiffLineOut]


class PlanSummaryOut(Schema):
    """What the family sees: goals in the person's words and who does what."""

    version: int
    summary: str
    review_date: date | None
    goals: list[str]
    support: list[str]


class MeetingIn(StrictIn):
    held_on: CalendarDate
    attendee_ids: list[UUID] = Field(min_length=1)
    other_attendees: str = ""
    discussion: str = ""
    decisions: str = Field(min_length=1)
    approve_plan_id: UUID | None = None


class MeetingOut(Schema):
    id: UUID = Field(alias="external_id")
    held_on: date
    attendees: list[PersonOut]
    other_attendees: str
    discussion: str
    decisions: str
    approved_plan_version: int | None

    @staticmethod
    def resolve_attendees(obj: Any) -> list[Any]:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_approved_plan_version(obj: Any) -> int | None:
        return obj.approved_plan.version if obj.approved_plan else None


class AdvanceCarePlanOut(Schema):
    id: UUID = Field(alias="external_id")
    version: int
    status: AcpStatus
    content: dict[str, Any]
    created_by: PersonOut
    created_at: datetime
    signed_by: PersonOut | None
    signed_at: datetime | None
    missing_before_signing: dict[str, list[str]]

    @staticmethod
    def resolve_content(obj: Any) -> dict[str, Any]:
        return {field: getattr(obj, field) for field in obj.CONTENT_FIELDS}

    @staticmethod
    def resolve_missing_before_signing(obj: Any) -> dict[str, list[str]]:
        from hearth.core import clock

        return obj.signing_problems(clock.today()) if obj.status == "draft" else {}


class EmergencySummaryOut(Schema):
    has_signed_plan: bool
    version: int | None = None
    cpr: str | None = None
    cpr_label: str | None = None
    focus_of_care: str | None = None
    focus_of_care_label: str | None = None
    preferred_place_of_death: str | None = None
    proxy: str | None = None
    signed_by: str | None = None
    signed_at: datetime | None = None
    review_date: date | None = None
    allergies: AllergySummaryOut


# --- Care plan reviews after a change of phase ------------------------------------


class CarePlanReviewAssigneeOut(Schema):
    id: UUID
    name: str


class CarePlanReviewTaskOut(Schema):
    id: UUID
    patient_id: UUID
    phase: ReviewTrigger
    phase_started_at: datetime
    #: Why, in plain words: "Entered the terminal phase on …: review goals…".
    reason: str
    status: ReviewTaskStatus
    assignees: list[CarePlanReviewAssigneeOut]
    created_at: datetime
    closed_at: datetime | None
    outcome: str
    #: The care plan version whose activation completed the review, if any.
    reviewed_in_version: int | None
    #: The care plan page (where the review is done).
    care_plan_url: str


class CarePlanReviewCompleteIn(StrictIn):
    note: str = Field(max_length=4000)


class CarePlanReviewDismissIn(StrictIn):
    reason: str = Field(max_length=4000)
