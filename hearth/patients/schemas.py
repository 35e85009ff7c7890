from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict

from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.patients.choices import (
    CareTeamRole,
    CommissionOutcome,
    DiagnosisGroup,
    DischargeReason,
    EpisodeStage,
    EpisodeState,
    FormOfCare,
    PlaceOfDeath,
    ReferrerType,
    ScreeningOutcome,
    Sex,
    Urgency,
)


class StrictIn(Schema):
    """Inputs refuse unknown fields, so a typo is an error rather than lost data."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PatientIn(StrictIn):
    record_number: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="Only to keep an existing number from another system; "
        "left out, the service gives the next number in its series.",
    )
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    preferred_name: str = Field("", max_length=100)
    date_of_birth: CalendarDate
    sex: Sex
    address_line: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postal_code: str = Field("", max_length=20)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    phone_primary: str = Field(min_length=1, max_length=40)
    phone_secondary: str = Field("", max_length=40)
    preferred_language: str = Field("en", min_length=2, max_length=8)
    interpreter_needed: bool = False
    faith: str = Field("", max_length=100)


class PatientPatch(StrictIn):
    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    preferred_name: str | None = Field(None, max_length=100)
    date_of_birth: CalendarDate | None = None
    sex: Sex | None = None
    address_line: str | None = Field(None, min_length=1, max_length=200)
    city: str | None = Field(None, min_length=1, max_length=100)
    postal_code: str | None = Field(None, max_length=20)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    phone_primary: str | None = Field(None, min_length=1, max_length=40)
    phone_secondary: str | None = Field(None, max_length=40)
    preferred_language: str | None = Field(None, min_length=2, max_length=8)
    interpreter_needed: bool | None = None
    faith: str | None = Field(None, max_length=100)


class DiagnosisIn(StrictIn):
    icd10_code: str = Field(min_length=1, max_length=10)
    text: str = Field(min_length=1, max_length=200)
    group: DiagnosisGroup
    is_primary: bool = False


class ReferralIn(StrictIn):
    referrer_type: ReferrerType
    referrer_name: str = Field(min_length=1, max_length=150)
    referrer_organisation: str = Field("", max_length=150)
    referrer_phone: str = Field("", max_length=40)
    reason: str = Field(min_length=1, max_length=4000)
    urgency: Urgency


class NewPatientReferralIn(StrictIn):
    patient: PatientIn
    referral: ReferralIn
    diagnoses: list[DiagnosisIn] = Field(default_factory=list, max_length=20)


class DiagnosisOut(Schema):
    id: UUID = Field(alias="external_id")
    icd10_code: str
    text: str
    group: str
    is_primary: bool
    entered_in_error: bool
    recorded_at: datetime


class EpisodeSummaryOut(Schema):
    id: UUID = Field(alias="external_id")
    state: EpisodeState
    #: The state refined by the decision in force (e.g. ``awaiting_admission``).
    stage: EpisodeStage
    opened_at: datetime
    admitted_at: datetime | None
    next_review_date: date | None


class PatientOut(Schema):
    id: UUID = Field(alias="external_id")
    record_number: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    sex: str
    address_line: str
    city: str
    postal_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    phone_primary: str
    phone_secondary: str
    preferred_language: str
    interpreter_needed: bool
    faith: str
    date_of_death: date | None
    diagnoses: list[DiagnosisOut]
    current_episode: EpisodeSummaryOut | None

    @staticmethod
    def resolve_diagnoses(obj: object) -> list[object]:
        return list(obj.diagnoses.current())  # type: ignore[attr-defined]


class WorklistRowOut(Schema):
    id: UUID
    name: str
    record_number: str
    diagnosis_group: str | None
    episode_state: str | None
    days_since_admission: int | None
    next_review_date: date | None
    emergency_access: bool
    #: Columns other apps add: open alerts, phase of illness, latest PPS.
    columns: dict[str, str | None] = {}


class ReferralOut(Schema):
    id: UUID = Field(alias="external_id")
    referrer_type: str
    referrer_name: str
    referrer_organisation: str
    referrer_phone: str
    reason: str
    urgency: str
    received_at: datetime


class ScreeningIn(StrictIn):
    general_indicators: list[str] = Field(default_factory=list, max_length=20)
    condition_indicators: list[str] = Field(default_factory=list, max_length=20)
    condition_details: str = Field("", max_length=4000)
    conclusion: str = Field(min_length=1, max_length=4000)
    outcome: ScreeningOutcome


class ScreeningOut(Schema):
    id: UUID = Field(alias="external_id")
    general_indicators: list[str]
    condition_indicators: list[str]
    condition_details: str
    conclusion: str
    outcome: str
    screened_at: datetime
    screened_by: str

    @staticmethod
    def resolve_screened_by(obj: object) -> str:
        return obj.screened_by.display_name  # type: ignore[attr-defined]


class CommissionDecisionIn(StrictIn):
    decided_on: CalendarDate
    member_ids: list[UUID] = Field(min_length=1, max_length=15)
    chair_id: UUID
    diagnosis_code: str = Field(min_length=1, max_length=10)
    diagnosis_text: str = Field(min_length=1, max_length=200)
    indications: str = Field(min_length=1, max_length=4000)
    form_of_care: FormOfCare
    outcome: CommissionOutcome
    reason: str = Field("", max_length=4000)
    review_date: CalendarDate | None = None


class CareTeamMemberOut(Schema):
    id: UUID
    name: str
    discipline: str


class CommissionDecisionOut(Schema):
    id: UUID = Field(alias="external_id")
    decided_on: date
    members: list[CareTeamMemberOut]
    chair: CareTeamMemberOut
    diagnosis_code: str
    diagnosis_text: str
    indications: str
    form_of_care: str
    outcome: str
    reason: str
    review_date: date | None
    signed_by: CareTeamMemberOut
    signed_at: datetime
    supersedes_id: UUID | None

    @staticmethod
    def resolve_members(obj: object) -> list[dict[str, object]]:
        return [person(m) for m in obj.members.all()]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_chair(obj: object) -> dict[str, object]:
        return person(obj.chair)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_signed_by(obj: object) -> dict[str, object]:
        return person(obj.signed_by)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_supersedes_id(obj: object) -> UUID | None:
        previous = obj.supersedes  # type: ignore[attr-defined]
        return previous.external_id if previous else None


def person(user: object) -> dict[str, object]:
    return {
        "id": user.external_id,  # type: ignore[attr-defined]
        "name": user.display_name,  # type: ignore[attr-defined]
        "discipline": user.discipline,  # type: ignore[attr-defined]
    }


class CareEndItemOut(Schema):
    """One thing the end of home care closed, cancelled or handed over
    (``kind``: alert_closed, alert_handed_over, visit_cancelled,
    volunteer_ended, support_task_cancelled, ..., or failed: close by hand)."""

    kind: str
    text: str


class EpisodeOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    state: EpisodeState
    #: The state refined by the decision in force (e.g. ``awaiting_admission``).
    stage: EpisodeStage
    opened_at: datetime
    admitted_at: datetime | None
    next_review_date: date | None
    discharged_at: datetime | None
    discharge_reason: str
    died_at: datetime | None
    place_of_death: str
    bereavement_started_at: datetime | None
    closed_at: datetime | None
    referral: ReferralOut | None
    screenings: list[ScreeningOut]
    commission_decisions: list[CommissionDecisionOut]
    #: Only in the answer to a discharge or a recorded death: what it closed.
    care_end_summary: list[CareEndItemOut]

    @staticmethod
    def resolve_care_end_summary(obj: object) -> list[object]:
        summary = getattr(obj, "care_end_summary", None)
        return list(summary.items) if summary is not None else []

    @staticmethod
    def resolve_patient_id(obj: object) -> UUID:
        return obj.patient.external_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_referral(obj: object) -> object:
        return getattr(obj, "referral", None)

    @staticmethod
    def resolve_screenings(obj: object) -> list[object]:
        return list(obj.screenings.select_related("screened_by"))  # type: ignore[attr-defined]

    @staticmethod
    def resolve_commission_decisions(obj: object) -> list[object]:
        return list(
            obj.commission_decisions.select_related(  # type: ignore[attr-defined]
                "chair", "signed_by", "supersedes"
            ).prefetch_related("members")
        )


class DischargeIn(StrictIn):
    reason: DischargeReason
    note: str = Field("", max_length=4000)


class DeathIn(StrictIn):
    died_at: AwareDateTime
    place_of_death: PlaceOfDeath
    note: str = Field("", max_length=4000)


class NoteIn(StrictIn):
    note: str = Field(min_length=1, max_length=4000)


class ReasonIn(StrictIn):
    reason: str = Field(min_length=1, max_length=4000)


class CareTeamIn(StrictIn):
    staff_id: UUID
    role: CareTeamRole


class CareTeamOut(Schema):
    id: UUID = Field(alias="external_id")
    staff: CareTeamMemberOut
    role: str
    phone: str
    started_at: datetime

    @staticmethod
    def resolve_staff(obj: object) -> dict[str, object]:
        return person(obj.staff)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_phone(obj: object) -> str:
        return obj.staff.phone  # type: ignore[attr-defined]


class CaregiverIn(StrictIn):
    username: str = Field(min_length=3, max_length=150)
    password: str = Field(min_length=1, max_length=128)
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field(min_length=1, max_length=150)
    relationship: str = Field(min_length=1, max_length=60)
    is_primary_caregiver: bool = False
    is_proxy_decision_maker: bool = False
    phone: str = Field("", max_length=40)
    preferred_language: str = Field("", max_length=8)


class CaregiverOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    relationship: str
    is_primary_caregiver: bool
    is_proxy_decision_maker: bool
    phone: str
    active: bool

    @staticmethod
    def resolve_name(obj: object) -> str:
        return obj.user.display_name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_active(obj: object) -> bool:
        return obj.ended_at is None  # type: ignore[attr-defined]


class EmergencyAccessIn(StrictIn):
    reason: str = Field(min_length=1, max_length=2000)


class EmergencyAccessOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    patient_name: str
    user: CareTeamMemberOut
    reason: str
    started_at: datetime
    expires_at: datetime
    reviewed_at: datetime | None
    review_outcome: str

    @staticmethod
    def resolve_patient_id(obj: object) -> UUID:
        return obj.patient.external_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_patient_name(obj: object) -> str:
        return obj.patient.full_name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_user(obj: object) -> dict[str, object]:
        return person(obj.user)  # type: ignore[attr-defined]


class EmergencyReviewIn(StrictIn):
    outcome: str = Field(pattern="^(appropriate|concern)$")
    note: str = Field("", max_length=4000)


class AuditEventOut(Schema):
    id: UUID = Field(alias="external_id")
    occurred_at: datetime
    actor: str = Field(alias="actor_label")
    action: str
    event_type: str
    object_type: str
    object_id: str
    #: In the request's language; the key and parameters as stored (empty for
    #: events written before keys: ``summary`` is then the text written then).
    summary: str = Field(alias="summary_text")
    summary_key: str
    summary_params: dict[str, object]
    changes: dict[str, object]
    ip_address: str | None
    channel: str
    purpose: str
    emergency: bool
