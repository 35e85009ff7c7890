from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.assessments.choices import Context, Phase, Respondent
from hearth.assessments.instruments import CONCERN
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
    #: The answer comes with a name (``item_names``), e.g. an IPOS other symptom.
    named: bool
    #: The words run from the good end (IPOS "at peace": 0 = "Always"); the
    #: value sent is still the score printed beside the words.
    reverse_worded: bool
    #: A tick box: 1 ticked, 0 not.
    checkbox: bool
    #: A few words for what a whole-question item is about ("Information needs").
    topic: str


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
    minimum_total: int
    single_level: bool
    about_caregiver: bool
    licensed_wording: bool
    #: Every scored item must be answered (or, where allowed, marked not assessable).
    all_required: bool
    #: Items may be listed in ``not_assessed`` ("cannot assess", IPOS staff version).
    allows_not_assessed: bool
    #: Items scoring at or above this are concerns (IPOS: 3).
    concern_from: int | None
    higher_is_worse: bool
    recall: str


class AssessmentIn(StrictIn):
    instrument: str
    answers: dict[str, int | None]
    completed_by: Respondent | None = None
    assessed_at: AwareDateTime | None = None
    other_problem: str = Field(default="", max_length=100)
    caregiver_id: UUID | None = None
    context: Context = Context.OTHER
    idempotency_key: str = Field(default="", max_length=80)
    #: Items the proxy could not assess (only where the instrument allows it).
    not_assessed: list[str] = Field(default_factory=list, max_length=40)
    #: Names given to free-text items, by item ("other_symptom_1": "itching").
    item_names: dict[str, str] = Field(default_factory=dict, max_length=10)


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
    not_assessed: list[str]
    item_names: dict[str, str]
    #: Items marked as a concern (IPOS: scored 3 or 4), in form order.
    concerns: list[str]
    entered_in_error_at: datetime | None
    entered_in_error_reason: str

    @staticmethod
    def resolve_concerns(obj: Any) -> list[str]:
        return [key for key, band in obj.item_bands.items() if band == CONCERN]


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
