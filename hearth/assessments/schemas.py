from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.assessments.choices import Context, Phase, Respondent
from hearth.core.validation import AwareDateTime
from hearth.patients.schemas import StrictIn


class InstrumentItemOut(Schema):
    key: str
    label: str
    minimum: int
    maximum: int
    step: int
    low_anchor: str
    high_anchor: str
    choices: list[tuple[int, str]]
    optional: bool


class BandOut(Schema):
    key: str
    label: str
    minimum: int
    maximum: int


class InstrumentOut(Schema):
    code: str
    name: str
    source: str
    items: list[InstrumentItemOut]
    subscales: dict[str, list[str]]
    item_bands: list[BandOut]
    total_bands: list[BandOut]
    bands_are_guidance: bool
    respondents: list[str]
    maximum_total: int
    single_level: bool
    about_caregiver: bool
    licensed_wording: bool


class AssessmentIn(StrictIn):
    instrument: str
    answers: dict[str, int | None]
    completed_by: Respondent | None = None
    assessed_at: AwareDateTime | None = None
    other_problem: str = Field(default="", max_length=100)
    caregiver_id: UUID | None = None
    context: Context = Context.OTHER
    idempotency_key: str = Field(default="", max_length=80)


class AssessmentOut(Schema):
    id: UUID = Field(alias="external_id")
    instrument: str
    answers: dict[str, Any]
    other_problem: str
    completed_by: str
    context: str
    assessed_at: datetime
    recorded_by: PersonOut
    total: int | None
    subscores: dict[str, int | None]
    item_bands: dict[str, str]
    total_band: str
    partial: bool
    entered_in_error_at: datetime | None
    entered_in_error_reason: str


class EnteredInErrorIn(StrictIn):
    reason: str = Field(min_length=1, max_length=300)


class PhaseIn(StrictIn):
    phase: Phase
    note: str = Field(default="", max_length=300)
    end_reason: str = Field(default="", max_length=300)
    started_at: AwareDateTime | None = None


class PhaseOut(Schema):
    id: UUID = Field(alias="external_id")
    phase: Phase
    started_at: datetime
    started_by: PersonOut
    note: str
    ended_at: datetime | None
    end_reason: str
