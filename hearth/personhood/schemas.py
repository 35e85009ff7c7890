from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.core.validation import WallClockTime
from hearth.patients.schemas import StrictIn
from hearth.personhood.choices import (
    LegacyKind,
    LegacyStatus,
    ProposalStatus,
    Section,
    Weekday,
    WindowKind,
)


class SectionOut(Schema):
    section: Section
    title: str
    recorded_by: PersonOut | None
    recorded_at: datetime | None
    content: dict[str, Any]


class SectionVersionOut(Schema):
    recorded_by: PersonOut | None
    recorded_at: datetime | None
    changed: list[str]
    content: dict[str, Any]


class WeeklyWindowIn(StrictIn):
    kind: WindowKind
    label: str = Field(min_length=1, max_length=200)
    weekdays: list[Weekday] = Field(min_length=1)
    starts_at: WallClockTime
    ends_at: WallClockTime


class WeeklyWindowOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: WindowKind
    label: str
    weekdays: list[int]
    starts_at: WallClockTime
    ends_at: WallClockTime
    crosses_midnight: bool


class LegacyItemIn(StrictIn):
    kind: LegacyKind
    title: str = Field(min_length=1, max_length=300)
    status: LegacyStatus = LegacyStatus.IDEA
    support_needed: str = ""


class LegacyItemPatch(StrictIn):
    kind: LegacyKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    status: LegacyStatus | None = None
    support_needed: str | None = None


class LegacyItemOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: LegacyKind
    title: str
    status: LegacyStatus
    support_needed: str


class ProposalIn(StrictIn):
    section: Section
    text: str = Field(min_length=1, max_length=5000)


class AcceptProposalIn(StrictIn):
    response: str = ""
    changes: dict[str, Any] | None = None


class DeclineProposalIn(StrictIn):
    response: str = Field(min_length=1)


class ProposalOut(Schema):
    id: UUID = Field(alias="external_id")
    section: Section
    text: str
    proposed_by: PersonOut
    proposed_at: datetime
    status: ProposalStatus
    decided_by: PersonOut | None
    decided_at: datetime | None
    response: str


class ProfileOut(Schema):
    sections: list[SectionOut]
    weekly_windows: list[WeeklyWindowOut]
    legacy_items: list[LegacyItemOut]
    proposals: list[ProposalOut]
