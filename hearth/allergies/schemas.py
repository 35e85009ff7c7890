"""Allergies over JSON. Schema names start with "Allergy" or "Nkda" so they
stay unique across the whole API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.allergies.choices import (
    AllergyType,
    Certainty,
    ReactionSeverity,
    RecordStatus,
    SubstanceKind,
    SummaryStatus,
)
from hearth.core.validation import CalendarDate
from hearth.patients.schemas import StrictIn

SUBSTANCE = "A code from GET /api/v1/allergy-substances, e.g. “morphine”, “opioids”, “latex”."


class AllergySubstanceOut(Schema):
    code: str
    kind: SubstanceKind
    label: str
    members: list[str] = Field(description="For a group of medicines: its members' codes.")

    @staticmethod
    def resolve_members(obj: Any) -> list[str]:
        return [member.code for member in obj.members.all()]


class AllergySummaryEntryOut(Schema):
    id: UUID
    substance: str
    substance_label: str
    substance_kind: SubstanceKind
    type: AllergyType
    type_label: str
    reaction: str
    severity: ReactionSeverity | None
    severity_label: str | None
    certainty: Certainty
    certainty_label: str
    reported_by: str
    reported_on: date


class AllergySummaryOut(Schema):
    """What every page and printout shows: not asked, none known (with the
    date of the statement) or the list of active allergies."""

    status: SummaryStatus
    status_label: str
    nkda_date: date | None
    nkda_by: str | None
    nkda_reported_by: str | None
    entries: list[AllergySummaryEntryOut]
    proposed: list[AllergySummaryEntryOut] = Field(
        description="The family's proposals, not yet confirmed by a clinician."
    )


class AllergyOut(Schema):
    id: UUID = Field(alias="external_id")
    substance: str
    substance_label: str
    substance_text: str
    type: AllergyType
    reaction: str
    severity: ReactionSeverity | None
    certainty: Certainty
    status: RecordStatus
    active: bool = Field(alias="is_active")
    reported_by: str
    reported_on: date
    recorded_by: PersonOut | None
    recorded_at: datetime | None
    proposed_by: PersonOut | None
    proposed_at: datetime | None
    decided_by: PersonOut | None
    decided_at: datetime | None
    decline_reason: str
    change_reason: str
    entered_in_error: bool
    entered_in_error_at: datetime | None
    entered_in_error_reason: str

    @staticmethod
    def resolve_substance(obj: Any) -> str:
        return obj.substance.code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_severity(obj: Any) -> str | None:
        return obj.severity or None

    @staticmethod
    def resolve_entered_in_error(obj: Any) -> bool:
        return obj.entered_in_error_at is not None


class NkdaOut(Schema):
    id: UUID = Field(alias="external_id")
    reported_by: str
    note: str
    stated_by: PersonOut
    stated_at: datetime
    ended_at: datetime | None
    end_reason: str = Field(
        description="Why the statement ended, in the request's language (the service "
        "writes it: a drug allergy recorded, or the statement made again)."
    )

    @staticmethod
    def resolve_end_reason(obj: Any) -> str:
        return obj.end_reason_text  # type: ignore[no-any-return]


class AllergyListOut(Schema):
    summary: AllergySummaryOut
    allergies: list[AllergyOut] = Field(description="Every record, entered in error included.")
    nkda_statements: list[NkdaOut]


class AllergyVersionOut(Schema):
    number: int
    at: datetime
    by: str
    type_label: str
    reaction: str
    severity_label: str
    certainty_label: str
    status_label: str
    reported_by: str
    reported_on: date
    change_reason: str
    entered_in_error_reason: str
    changed: list[str]


class AllergyHistoryOut(Schema):
    id: UUID
    substance_label: str
    versions: list[AllergyVersionOut] = Field(description="Newest first.")


class AllergyIn(StrictIn):
    substance: str = Field(max_length=60, description=SUBSTANCE)
    substance_text: str = Field("", max_length=200, description="Required for “other”.")
    type: AllergyType = AllergyType.ALLERGY
    reaction: str = Field("", max_length=2000)
    severity: ReactionSeverity
    certainty: Certainty = Certainty.SUSPECTED
    reported_by: str = Field(max_length=120, description="Who told the team.")
    reported_on: CalendarDate | None = Field(None, description="Today when left out.")


class AllergyProposalIn(StrictIn):
    substance: str = Field(max_length=60, description=SUBSTANCE)
    substance_text: str = Field("", max_length=200, description="Required for “other”.")
    type: AllergyType = AllergyType.ALLERGY
    reaction: str = Field(max_length=2000, description="What happened, in your own words.")
    severity: ReactionSeverity | None = None


class AllergyAcceptIn(StrictIn):
    severity: ReactionSeverity
    certainty: Certainty
    type: AllergyType | None = None
    reaction: str | None = Field(None, max_length=2000)


class AllergyChangeIn(StrictIn):
    """Fields left out keep their value."""

    reason: str = Field(min_length=1, max_length=2000)
    type: AllergyType | None = None
    reaction: str | None = Field(None, max_length=2000)
    severity: ReactionSeverity | None = None
    certainty: Certainty | None = None
    reported_by: str | None = Field(None, max_length=120)
    reported_on: CalendarDate | None = None


class NkdaIn(StrictIn):
    reported_by: str = Field(max_length=120, description="Who told the team.")
    note: str = Field("", max_length=2000)
