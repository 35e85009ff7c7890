"""Bereavement over JSON: what goes in and what comes out.

Objects are named by their external UUID. Relatives are the patient's family
links (``CaregiverLink`` ids, as the patients API shows them). Date-times
carry a time zone; a due date is a local date in the service's time zone.
The family's schema (``PortalBereavementOut``) holds months and kinds only:
never staff notes, risk screens or who could not be reached.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.patients.schemas import StrictIn

from .choices import BereavementContactKind, ReferralTo, RiskFactor, RiskLevel


def _name(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


class RelativeOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    relationship: str
    is_primary_caregiver: bool
    current: bool

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return _name(obj.user)

    @staticmethod
    def resolve_current(obj: Any) -> bool:
        return obj.ended_at is None


class ContactOut(Schema):
    id: UUID = Field(alias="external_id")
    due_on: date
    kind: str
    source: str
    planned_days_after_death: int | None
    purpose: str
    status: str
    overdue: bool
    relatives: list[RelativeOut]
    done_at: datetime | None
    done_by: str
    outcome_note: str
    not_needed_reason: str

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.is_overdue())

    @staticmethod
    def resolve_relatives(obj: Any) -> list[Any]:
        return sorted(
            obj.relatives.all(), key=lambda link: (not link.is_primary_caregiver, link.pk)
        )

    @staticmethod
    def resolve_done_by(obj: Any) -> str:
        return _name(obj.done_by)


class ScreenOut(Schema):
    id: UUID = Field(alias="external_id")
    screened_at: datetime
    screened_by: str
    factors: list[str]
    rule_result: str
    raised_to: str
    result: str
    banding: dict[str, Any]
    note: str
    referral_suggested: bool
    referred_to: str
    extra_contact_id: UUID | None
    entered_in_error: bool
    entered_in_error_reason: str

    @staticmethod
    def resolve_screened_by(obj: Any) -> str:
        return _name(obj.screened_by)

    @staticmethod
    def resolve_extra_contact_id(obj: Any) -> UUID | None:
        return obj.extra_contact.external_id if obj.extra_contact_id else None

    @staticmethod
    def resolve_entered_in_error(obj: Any) -> bool:
        return obj.entered_in_error_at is not None


class BereavementChecklistItemOut(Schema):
    id: str
    description: str


class ReturnsOut(Schema):
    equipment_at_home: list[BereavementChecklistItemOut]
    controlled_drugs_at_home: list[BereavementChecklistItemOut]
    equipment_confirmed_at: datetime | None
    equipment_confirmed_by: str
    controlled_drugs_confirmed_at: datetime | None
    controlled_drugs_confirmed_by: str


class BereavementPlanOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    episode_id: UUID
    episode_state: str
    died_on: date
    status: str
    risk_level: str
    created_at: datetime
    contacts: list[ContactOut]
    screens: list[ScreenOut]
    returns: ReturnsOut
    closed_at: datetime | None
    closed_by: str
    closing_note: str

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_episode_id(obj: Any) -> UUID:
        return obj.episode.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_episode_state(obj: Any) -> str:
        return str(obj.episode.state)

    @staticmethod
    def resolve_contacts(obj: Any) -> list[Any]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_screens(obj: Any) -> list[Any]:
        return list(obj.screens.all())

    @staticmethod
    def resolve_closed_by(obj: Any) -> str:
        return _name(obj.closed_by)

    @staticmethod
    def resolve_returns(obj: Any) -> dict[str, Any]:
        from hearth.bereavement import queries

        checklist = queries.returns_checklist(obj.patient)
        return {
            "equipment_at_home": [
                {"id": str(loan.external_id), "description": queries.describe_loan(loan)}
                for loan in checklist.loans
            ],
            "controlled_drugs_at_home": [
                {
                    "id": str(holding.formulation.external_id),
                    "description": queries.describe_holding(holding),
                }
                for holding in checklist.controlled_drugs
            ],
            "equipment_confirmed_at": obj.equipment_confirmed_at,
            "equipment_confirmed_by": _name(obj.equipment_confirmed_by),
            "controlled_drugs_confirmed_at": obj.drugs_confirmed_at,
            "controlled_drugs_confirmed_by": _name(obj.drugs_confirmed_by),
        }


class BereavementWorklistRowOut(Schema):
    plan_id: UUID
    patient_id: UUID
    patient_name: str
    record_number: str
    died_on: date
    risk_level: str
    next_due: date | None
    overdue: bool
    open_contacts: int


class RiskFactorOut(Schema):
    code: str
    label: str


class RiskFactorsOut(Schema):
    factors: list[RiskFactorOut]
    banding: dict[str, Any]
    high_risk_contact_days: int
    note: str


# --- Inputs ----------------------------------------------------------------------


class ContactIn(StrictIn):
    due_on: CalendarDate
    kind: BereavementContactKind = BereavementContactKind.PHONE_CALL
    relative_ids: list[UUID] = []
    purpose: str = Field("", max_length=300)


class ContactPatch(StrictIn):
    due_on: CalendarDate | None = None
    kind: BereavementContactKind | None = None
    relative_ids: list[UUID] | None = None
    reason: str = Field("", max_length=300)


class ContactOutcomeIn(StrictIn):
    outcome: str = Field(description="done or not_reached")
    note: str = Field("", max_length=4000)
    done_at: AwareDateTime | None = None
    relative_ids: list[UUID] = []
    retry_on: CalendarDate | None = None


class NotNeededIn(StrictIn):
    reason: str = Field(min_length=1, max_length=4000)


class RiskScreenIn(StrictIn):
    factors: list[RiskFactor] = []
    relative_ids: list[UUID] = []
    raised_to: RiskLevel | None = None
    note: str = Field("", max_length=4000)
    referred_to: ReferralTo = ReferralTo.NONE


class ConfirmIn(StrictIn):
    note: str = Field("", max_length=4000)


class ClosePlanIn(StrictIn):
    note: str = Field(min_length=1, max_length=4000)
    close_episode: bool = False


class PortalContactOut(Schema):
    month: date
    kind: str
    done_on: date | None


class PortalBereavementOut(Schema):
    has_plan: bool
    upcoming: list[PortalContactOut]
    past: list[PortalContactOut]
    helpline_phone: str
    helpline_hours: str
