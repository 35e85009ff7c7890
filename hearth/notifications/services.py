"""Every change a person makes to how they are reached: contact points (added,
verified, ordered, removed) and their quiet hours and message choices.

A person manages only their own: each function takes the contact point the
caller found through ``queries.contact_point_of`` and refuses, as "not found",
one that belongs to someone else (no role, the administrator's included, gets
a way round that). Each change runs in one transaction and leaves an audit
event without a patient.

A contact point is used for messages only once verified: adding one queues a
six-digit code to it (urgent, so quiet hours do not hold it back) and the
person types it back. Only an HMAC of the code is kept on the contact point;
the code itself travels in the outbox message that carries it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hearth.accounts.models import UserKind
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import Errors
from hearth.notifications import outbox, validation
from hearth.notifications.choices import Channel, MessageKind
from hearth.notifications.models import ContactPoint, Message, NotificationPreferences

if TYPE_CHECKING:
    from hearth.accounts.models import User

#: A new code may be asked for once a minute: enough for a slow SMS to arrive
#: before the person asks again, too slow to flood their phone.
RESEND_AFTER = timedelta(minutes=1)
CODE_DIGITS = 6
LABEL_LIMIT = 80
#: The opt-ins on ``NotificationPreferences``: messages for families only.
FAMILY_OPT_INS = ("visit_changes", "visit_reminders", "help_request_seen")


# --- Shared helpers ------------------------------------------------------------------


def _require_person(actor: User) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise NotAllowed(_("Sign in to manage how you are reached."))


def _own(actor: User, contact_point: ContactPoint) -> ContactPoint:
    """The contact point, locked for this change, if it is the actor's own."""
    _require_person(actor)
    locked = (
        ContactPoint.objects.select_for_update()
        .filter(pk=contact_point.pk, user_id=actor.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Not found."))
    return locked


def _masked(contact_point: ContactPoint) -> str:
    return str(contact_point.masked_address)


def _code_hash(contact_point: ContactPoint, code: str) -> str:
    """An HMAC of the code bound to this contact point: the stored value is
    useless for another contact point and does not give the code back."""
    return salted_hmac(
        "hearth.notifications.verification_code",
        f"{contact_point.pk}:{code}",
        algorithm="sha256",
    ).hexdigest()


def _code_expires_at(contact_point: ContactPoint) -> datetime | None:
    if contact_point.verification_sent_at is None:
        return None
    return contact_point.verification_sent_at + timedelta(
        minutes=settings.HEARTH_VERIFICATION_CODE_MINUTES
    )


def _send_code(actor: User, contact_point: ContactPoint, now: datetime) -> Message:
    """A fresh code on the contact point and a message carrying it, queued to
    that contact point alone. Each code is its own event (``verify:<id>:<n>``),
    so the outbox never takes a new code for a repeat of the old one."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    contact_point.verification_code_hash = _code_hash(contact_point, code)
    contact_point.verification_sent_at = now
    contact_point.verification_attempts = 0
    contact_point.save(
        update_fields=["verification_code_hash", "verification_sent_at", "verification_attempts"]
    )
    number = (
        Message.objects.filter(contact_point=contact_point, kind=MessageKind.VERIFICATION).count()
        + 1
    )
    with outbox.speaking_to(actor):
        # The code is in the body only: the subject is listed on the person's
        # notifications page and API, where a code would prove nothing.
        subject = _("Your verification code for %(service)s") % {
            "service": settings.HEARTH_SERVICE_NAME
        }
        body = _(
            "Your code is %(code)s. Type it on your notification settings page within "
            "%(minutes)s minutes. If you did not ask for it, you can ignore this message."
        ) % {"code": code, "minutes": settings.HEARTH_VERIFICATION_CODE_MINUTES}
        return outbox.notify(
            recipient=actor,
            kind=MessageKind.VERIFICATION,
            event_key=f"verify:{contact_point.pk}:{number}",
            subject=subject,
            body=body,
            topic=f"contact_point:{contact_point.external_id}",
            urgent=True,
            contact_point=contact_point,
        )


def _renumber(contact_points: Sequence[ContactPoint]) -> list[ContactPoint]:
    """Positions 0, 1, 2… in the given order, saving only those that moved."""
    for position, contact_point in enumerate(contact_points):
        if contact_point.position != position:
            contact_point.position = position
            contact_point.save(update_fields=["position"])
    return list(contact_points)


def _locked_list(actor: User) -> list[ContactPoint]:
    return list(ContactPoint.objects.select_for_update().filter(user_id=actor.pk).in_order())


# --- Contact points ------------------------------------------------------------------


def add_contact_point(
    *,
    actor: User,
    channel: str,
    address: str,
    label: str = "",
    keys: Mapping[str, Any] | None = None,
) -> ContactPoint:
    """A new way to reach the actor, last in their order, unverified until the
    code queued to it is typed back. ``address`` is an e-mail address, a phone
    number or (web push) the subscription's endpoint with its ``keys``."""
    _require_person(actor)
    validation.channel_available(channel)
    push_keys: dict[str, str] = {}
    if channel == Channel.EMAIL:
        address = validation.email_address(address)
    elif channel == Channel.SMS:
        address = validation.phone_number(address)
    else:
        address = validation.push_endpoint(address)
        push_keys = validation.push_keys(keys)
    label = validation.label(label, LABEL_LIMIT)
    already = _("This is already one of your contact points.")
    now = clock.now()
    with transaction.atomic():
        mine = _locked_list(actor)
        if any(cp.channel == channel and cp.address.lower() == address.lower() for cp in mine):
            raise validation.refused("address", already)
        contact_point = ContactPoint(
            user=actor,
            channel=channel,
            address=address,
            push_keys=push_keys,
            label=label,
            position=max((cp.position for cp in mine), default=-1) + 1,
            created_at=now,
        )
        try:
            with transaction.atomic():
                contact_point.save()
        except IntegrityError as error:  # the same address added at the same moment
            raise validation.refused("address", already) from error
        _send_code(actor, contact_point, now)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            event_type=AuditEventType.CONTACT_POINT_ADDED,
            obj=contact_point,
            summary=f"{contact_point.get_channel_display()}: {_masked(contact_point)}",
            changes={"channel": channel, "address": _masked(contact_point)},
        )
    return contact_point


def send_new_code(*, actor: User, contact_point: ContactPoint) -> ContactPoint:
    """Another code for a contact point not yet verified (the last one expired,
    was tried too often or never came); at most one a minute. The old code stops
    working."""
    now = clock.now()
    with transaction.atomic():
        locked = _own(actor, contact_point)
        if locked.is_verified:
            raise InvalidTransition(_("This contact point is already verified."))
        sent_at = locked.verification_sent_at
        if sent_at is not None and now - sent_at < RESEND_AFTER:
            wait = int((sent_at + RESEND_AFTER - now).total_seconds()) + 1
            raise Conflict(
                _("A code was sent less than a minute ago. Ask again in %(seconds)s seconds.")
                % {"seconds": wait},
                code="too_soon",
            )
        _send_code(actor, locked, now)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.CONTACT_POINT_CODE_SENT,
            obj=locked,
            summary=f"{locked.get_channel_display()}: {_masked(locked)}",
        )
    return locked


def verify_contact_point(*, actor: User, contact_point: ContactPoint, code: str) -> ContactPoint:
    """The code typed back: the contact point is used for messages from now on.
    A wrong or expired code is counted and audited (and the count kept, though
    the call is refused); after ``HEARTH_VERIFICATION_ATTEMPTS`` wrong tries the
    code stops working and a new one must be sent."""
    limit = settings.HEARTH_VERIFICATION_ATTEMPTS
    typed = "".join((code or "").split())
    refusal = ""
    with transaction.atomic():
        locked = _own(actor, contact_point)
        if locked.is_verified:
            return locked
        now = clock.now()
        expires_at = _code_expires_at(locked)
        if not locked.verification_code_hash or locked.verification_attempts >= limit:
            reason = "no_code"
            refusal = _("This code can no longer be used. Ask for a new code.")
        elif expires_at is None or now > expires_at:
            reason = "expired"
            refusal = _("This code has expired. Ask for a new code.")
        elif not constant_time_compare(_code_hash(locked, typed), locked.verification_code_hash):
            reason = "wrong"
            left = limit - locked.verification_attempts - 1
            refusal = (
                _("That code is not right. %(left)s tries left.") % {"left": left}
                if left > 0
                else _("That code is not right, and that was the last try. Ask for a new code.")
            )
        else:
            reason = ""
        if reason:
            if reason != "no_code":
                locked.verification_attempts += 1
            if reason == "expired" or locked.verification_attempts >= limit:
                locked.verification_code_hash = ""
            locked.save(update_fields=["verification_attempts", "verification_code_hash"])
            audit.record(
                actor=actor,
                action=AuditAction.SECURITY,
                event_type=AuditEventType.CONTACT_POINT_VERIFICATION_FAILED,
                obj=locked,
                summary=f"{locked.get_channel_display()}: {_masked(locked)} ({reason})",
                changes={"reason": reason, "attempts": locked.verification_attempts},
            )
        else:
            locked.verified_at = now
            locked.verification_code_hash = ""
            locked.verification_attempts = 0
            locked.save(
                update_fields=["verified_at", "verification_code_hash", "verification_attempts"]
            )
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                event_type=AuditEventType.CONTACT_POINT_VERIFIED,
                obj=locked,
                summary=f"{locked.get_channel_display()}: {_masked(locked)}",
            )
    # Refused after the transaction, so the count and the audit event stay.
    if refusal:
        raise ValidationFailed(refusal, field_errors={"code": [refusal]})
    return locked


def remove_contact_point(*, actor: User, contact_point: ContactPoint) -> None:
    """The contact point is no longer tried; the rest close up in the same order."""
    with transaction.atomic():
        locked = _own(actor, contact_point)
        summary = f"{locked.get_channel_display()}: {_masked(locked)}"
        locked.delete()
        locked.pk = contact_point.pk  # for the audit event's object type and id
        _renumber(_locked_list(actor))
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.CONTACT_POINT_REMOVED,
            obj=locked,
            summary=summary,
            changes={"channel": locked.channel, "address": _masked(locked)},
        )


def move_contact_point(
    *, actor: User, contact_point: ContactPoint, direction: str
) -> list[ContactPoint]:
    """One place earlier (``up``) or later (``down``) in the order messages try
    them in. Returns the whole order."""
    if direction not in ("up", "down"):
        raise validation.refused("direction", _("Move a contact point up or down."))
    with transaction.atomic():
        locked = _own(actor, contact_point)
        mine = _locked_list(actor)
        index = next(i for i, cp in enumerate(mine) if cp.pk == locked.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(mine):
            mine[index], mine[other] = mine[other], mine[index]
        return _order_changed(actor, mine)


def set_contact_point_order(
    *, actor: User, contact_point_ids: Sequence[UUID | str]
) -> list[ContactPoint]:
    """The whole order at once: every one of the actor's contact points, once."""
    _require_person(actor)
    with transaction.atomic():
        mine = _locked_list(actor)
        by_id = {str(cp.external_id): cp for cp in mine}
        wanted = [str(item) for item in contact_point_ids]
        if sorted(wanted) != sorted(by_id):
            message = _("List each of your contact points exactly once.")
            raise validation.refused("order", message)
        return _order_changed(actor, [by_id[item] for item in wanted])


def _order_changed(actor: User, ordered: list[ContactPoint]) -> list[ContactPoint]:
    before = [str(cp.external_id) for cp in sorted(ordered, key=lambda cp: (cp.position, cp.pk))]
    _renumber(ordered)
    after = [str(cp.external_id) for cp in ordered]
    if before != after:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.CONTACT_POINTS_REORDERED,
            summary=", ".join(f"{cp.get_channel_display()}: {_masked(cp)}" for cp in ordered)[:300],
            changes={"order": {"from": before, "to": after}},
        )
    return ordered


# --- Quiet hours and message choices -------------------------------------------------


def set_notification_preferences(
    *,
    actor: User,
    quiet_hours_start: time | None,
    quiet_hours_end: time | None,
    visit_changes: bool = False,
    visit_reminders: bool = False,
    help_request_seen: bool = False,
    language: str | None = None,
) -> NotificationPreferences:
    """Quiet hours (both times or neither; they may run over midnight) hold back
    messages that can wait, never an urgent one. The opt-ins are messages for
    families: staff cannot switch them on. ``language`` is the one messages to
    this person are written in (kept on the person, so a phone's language
    switch, which lasts for one device, does not change what a page says)."""
    _require_person(actor)
    errors = Errors()
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        missing = "quiet_hours_end" if quiet_hours_end is None else "quiet_hours_start"
        errors.add(missing, _("Give both times of your quiet hours, or leave both empty."))
    elif quiet_hours_start is not None and quiet_hours_start == quiet_hours_end:
        errors.add("quiet_hours_end", _("Quiet hours must end at another time than they start."))
    opt_ins = {
        "visit_changes": bool(visit_changes),
        "visit_reminders": bool(visit_reminders),
        "help_request_seen": bool(help_request_seen),
    }
    if actor.kind == UserKind.STAFF:
        for field, chosen in opt_ins.items():
            if chosen:
                errors.add(field, _("These messages are for families; staff are not sent them."))
    language = language or None  # left empty: unchanged
    languages = dict(settings.LANGUAGES)
    if language is not None and language not in languages:
        errors.add(
            "language",
            _("Messages can be written in %(languages)s.")
            % {"languages": ", ".join(str(name) for name in languages.values())},
        )
    errors.raise_if_any()
    values: dict[str, Any] = {
        "quiet_hours_start": quiet_hours_start.replace(second=0, microsecond=0)
        if quiet_hours_start
        else None,
        "quiet_hours_end": quiet_hours_end.replace(second=0, microsecond=0)
        if quiet_hours_end
        else None,
        **opt_ins,
    }
    with transaction.atomic():
        preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
            user=actor
        )
        before = {field: getattr(preferences, field) for field in values}
        changes = audit.diff(before, values)
        if language is not None and language != actor.preferred_language:
            changes["language"] = {"from": actor.preferred_language, "to": language}
            actor.preferred_language = language
            actor.save(update_fields=["preferred_language"])
        if changes:
            for field, value in values.items():
                setattr(preferences, field, value)
            preferences.save(update_fields=list(values))
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                event_type=AuditEventType.NOTIFICATION_PREFERENCES_CHANGED,
                obj=preferences,
                summary=", ".join(sorted(changes)),
                changes=changes,
            )
    return preferences
