"""What the notifications API reads and writes."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict

from hearth.core.validation import WallClockTime
from hearth.notifications.models import ContactPoint, DeliveryAttempt, Message


class ContactPointIn(Schema):
    """E-mail and SMS: ``address`` is the e-mail address or the phone number.
    Web push: ``address`` is the subscription's endpoint and ``keys`` its
    ``p256dh`` and ``auth`` (the browser's ``PushSubscription.toJSON()``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    channel: str = Field(max_length=16)
    address: str = Field(min_length=1, max_length=1000)
    label: str = Field("", max_length=200)
    keys: dict[str, str] | None = None


class ContactPointOut(Schema):
    id: UUID
    channel: str
    channel_name: str
    address: str
    shown_as: str
    label: str
    position: int
    verified: bool
    verified_at: datetime | None
    code_sent_at: datetime | None
    code_expires_at: datetime | None


def contact_point_out(contact_point: ContactPoint) -> ContactPointOut:
    sent_at = contact_point.verification_sent_at
    pending = not contact_point.is_verified and bool(contact_point.verification_code_hash)
    return ContactPointOut(
        id=contact_point.external_id,
        channel=contact_point.channel,
        channel_name=str(contact_point.get_channel_display()),
        address=contact_point.address,
        shown_as=str(contact_point.masked_address),
        label=contact_point.label,
        position=contact_point.position,
        verified=contact_point.is_verified,
        verified_at=contact_point.verified_at,
        code_sent_at=sent_at,
        code_expires_at=(
            sent_at + timedelta(minutes=settings.HEARTH_VERIFICATION_CODE_MINUTES)
            if pending and sent_at is not None
            else None
        ),
    )


class CodeIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(min_length=1, max_length=20)


class ContactPointMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    direction: str = Field(description="up or down")


class ContactPointOrderIn(Schema):
    model_config = ConfigDict(extra="forbid")
    contact_point_ids: list[UUID] = Field(max_length=100)


class PreferencesIn(Schema):
    """Quiet hours are local wall-clock times (both or neither; ``22:00`` to
    ``07:00`` runs over midnight). The three opt-ins are for families."""

    model_config = ConfigDict(extra="forbid")
    quiet_hours_start: WallClockTime | None = None
    quiet_hours_end: WallClockTime | None = None
    visit_changes: bool = False
    visit_reminders: bool = False
    help_request_seen: bool = False
    #: The language messages are written in ("en", "ru"); left out: unchanged.
    language: str | None = None


class PreferencesOut(Schema):
    quiet_hours_start: WallClockTime | None
    quiet_hours_end: WallClockTime | None
    visit_changes: bool
    visit_reminders: bool
    help_request_seen: bool
    #: Whether the opt-ins apply to this person (families, not staff).
    opt_ins_offered: bool
    #: The language messages to this person are written in.
    language: str
    language_name: str


class AttemptOut(Schema):
    channel: str
    address: str
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error: str


class MessageOut(Schema):
    id: UUID
    kind: str
    kind_name: str
    subject: str
    created_at: datetime
    status: str
    status_name: str
    sent_at: datetime | None
    acknowledged_at: datetime | None
    attempts: list[AttemptOut]


def attempt_out(attempt: DeliveryAttempt) -> AttemptOut:
    return AttemptOut(
        channel=attempt.channel,
        address=attempt.address,
        attempt=attempt.attempt,
        started_at=attempt.started_at,
        finished_at=attempt.finished_at,
        outcome=attempt.outcome,
        error=attempt.error,
    )


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.external_id,
        kind=message.kind,
        kind_name=str(message.get_kind_display()),
        subject=message.subject,
        created_at=message.created_at,
        status=message.status,
        status_name=str(message.get_status_display()),
        sent_at=message.sent_at,
        acknowledged_at=message.acknowledged_at,
        attempts=[attempt_out(attempt) for attempt in message.attempts.all()],
    )
