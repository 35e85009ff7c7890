"""The directory over JSON: what goes in and what comes out.

Objects are named by their external UUID (areas also by their short code,
which is what search takes). ``regions`` is a list of area codes, or
``["all"]`` for an entry that serves every area.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.directory.choices import ALL_REGIONS, Category, NextStepStatus, Topic
from hearth.patients.schemas import StrictIn


def _name(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


# --- Areas --------------------------------------------------------------------------


class RegionOut(Schema):
    id: UUID = Field(alias="external_id")
    code: str
    name: str
    active: bool


class RegionIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    code: str = Field("", max_length=40, description="Made from the name when left out.")


class RegionPatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=100)
    active: bool | None = None


# --- Entries ------------------------------------------------------------------------


class SearchQuery(Schema):
    text: str = Field("", max_length=200)
    region: str | None = Field(None, description=f"An area code, or “{ALL_REGIONS}”.")
    language: str | None = Field(None, description="A language code, e.g. ru.")
    category: Category | None = None
    topic: Topic | None = None
    include_retired: bool = Field(False, description="Staff only; ignored for others.")
    page: int = Field(1, ge=1, le=10_000)


class EntryOut(Schema):
    id: UUID = Field(alias="external_id")
    category: str
    topic: str
    topic_label: str
    name: str
    organisation: str
    description: str
    how_to: str
    regions: list[str]
    address: str
    phone: str
    email: str
    website: str
    opening_hours: str
    languages: list[str]
    faiths_served: list[str]
    active: bool
    retired_reason: str
    last_reviewed_on: date
    reviewed_by: str
    review_due: bool

    @staticmethod
    def resolve_topic_label(obj: Any) -> str:
        return str(obj.get_topic_display())

    @staticmethod
    def resolve_regions(obj: Any) -> list[str]:
        if obj.serves_all_regions:
            return [ALL_REGIONS]
        return sorted(region.code for region in obj.regions.all())

    @staticmethod
    def resolve_reviewed_by(obj: Any) -> str:
        return _name(obj.reviewed_by)


class EntryPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[EntryOut]


class EntryIn(StrictIn):
    category: str
    topic: str
    name: str = Field(max_length=200)
    organisation: str = Field("", max_length=200)
    description: str = Field(max_length=2000)
    how_to: str = Field("", max_length=3000)
    regions: list[str] = Field(description=f"Area codes, or [“{ALL_REGIONS}”].")
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=300)
    opening_hours: str = Field("", max_length=300)
    languages: list[str] = Field(default_factory=list)
    faiths_served: list[str] = Field(default_factory=list)


class EntryPatch(StrictIn):
    category: str | None = None
    topic: str | None = None
    name: str | None = Field(None, max_length=200)
    organisation: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)
    how_to: str | None = Field(None, max_length=3000)
    regions: list[str] | None = None
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=300)
    opening_hours: str | None = Field(None, max_length=300)
    languages: list[str] | None = None
    faiths_served: list[str] | None = None
    reviewed: bool = Field(False, description="The details were checked and are current.")
    active: bool | None = Field(None, description="false retires the entry; true lists it again.")
    retired_reason: str = Field("", max_length=300)


# --- Next steps ---------------------------------------------------------------------


class NextStepIn(StrictIn):
    entry_id: UUID
    note: str = Field("", max_length=500)


class NextStepPatch(StrictIn):
    note: str | None = Field(None, max_length=500)
    status: NextStepStatus | None = None


class NextStepOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    entry: EntryOut
    note: str
    status: str
    added_by: str
    added_at: datetime
    status_changed_at: datetime | None
    status_changed_by: str

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_added_by(obj: Any) -> str:
        return _name(obj.added_by)

    @staticmethod
    def resolve_status_changed_by(obj: Any) -> str:
        return _name(obj.status_changed_by)
