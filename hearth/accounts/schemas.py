from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict


class PersonOut(Schema):
    """Who did something, by their external id and the name shown to people:
    one class for every app, so the OpenAPI document has one ``PersonOut``."""

    id: UUID = Field(alias="external_id")
    name: str = Field(alias="display_name")


class MeOut(Schema):
    id: UUID = Field(alias="external_id")
    username: str
    name: str = Field(alias="display_name")
    kind: str
    discipline: str
    is_commission_member: bool
    is_clinical_lead: bool
    preferred_language: str


class StaffOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str = Field(alias="display_name")
    discipline: str
    phone: str
    is_commission_member: bool


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(None, ge=1, le=365)


class TokenOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class IssuedTokenOut(TokenOut):
    secret: str


class SecurityPolicyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    require_staff_mfa: bool


class SecurityPolicyOut(Schema):
    require_staff_mfa: bool
    updated_at: datetime
