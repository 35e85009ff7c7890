"""Sending what the outbox holds: claim, send, log, retry, fall through.

The worker calls :func:`deliver_due` every second. A message is claimed by a
conditional update (``claimed_until`` in the past or empty), which is atomic on
SQLite and PostgreSQL alike, so two workers never send the same message at
once; a worker killed while holding one lets go when the claim runs out, and
the next worker sends it again with the same ``external_id``. Nothing is sent
inside a database transaction: a slow provider never holds a lock.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from hearth.core import clock
from hearth.notifications import channels
from hearth.notifications.choices import AttemptOutcome, MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, DeliveryAttempt, Message

logger = logging.getLogger(__name__)


def _claimable(now: datetime) -> Q:
    return Q(status=MessageStatus.PENDING, not_before__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(message_id: int, now: datetime) -> datetime | None:
    """Take one message for this worker until the returned moment, or None if
    another worker has it (or it is no longer due)."""
    lease = now + timedelta(seconds=settings.HEARTH_NOTIFY_LEASE_SECONDS)
    taken = Message.objects.filter(_claimable(now), pk=message_id).update(claimed_until=lease)
    return lease if taken else None


def deliver_due(*, limit: int = 100) -> int:
    """Send the messages that are due, urgent first. Returns how many were
    handled (sent, failed, or put back for a retry)."""
    now = clock.now()
    candidates = list(
        Message.objects.filter(_claimable(now))
        .order_by("-urgent", "not_before", "id")
        .values_list("pk", flat=True)[:limit]
    )
    handled = 0
    for message_id in candidates:
        lease = _claim(message_id, now)
        if lease is None:
            continue
        try:
            deliver(message_id, lease=lease)
        except Exception:  # one bad message must not stop the others
            logger.exception("Delivering message %s failed unexpectedly", message_id)
        handled += 1
    return handled


def targets_of(message: Message) -> list[ContactPoint]:
    """Where the message may go, in the order to try: the one contact point a
    verification code is for, or the recipient's verified contact points."""
    if message.contact_point_id is not None:
        return [message.contact_point] if message.contact_point else []
    return list(ContactPoint.objects.filter(user_id=message.recipient_id).verified().in_order())


def deliver(message_id: int, *, lease: datetime) -> None:
    """Try the message on its current channel; on failure retry later or fall
    through to the next channel at once. Runs while holding the claim."""
    message = Message.objects.select_related("contact_point").get(pk=message_id)
    held = Message.objects.filter(pk=message_id, claimed_until=lease)
    while message.status == MessageStatus.PENDING and message.not_before <= clock.now():
        targets = targets_of(message)
        if message.channel_index >= len(targets):
            # Stored, so written in the service's language (the log's readers').
            with translation.override(settings.LANGUAGE_CODE):
                reason = (
                    _("Every way to reach this person failed.")
                    if message.channel_index
                    else _("This person has no verified way to be reached.")
                )
            held.update(status=MessageStatus.FAILED, finished_reason=reason, claimed_until=None)
            _forget_code(message)
            return
        contact_point = targets[message.channel_index]
        attempt = DeliveryAttempt.objects.create(
            message=message,
            contact_point=contact_point,
            channel=contact_point.channel,
            address=contact_point.masked_address[:120],
            attempt=message.attempts_on_channel + 1,
            started_at=clock.now(),
        )
        try:
            channels.send(contact_point, message)
        except channels.DeliveryFailed as failure:
            _failed(message, attempt, failure)
            # Still holding the claim: a back-off returns, a fall-through loops.
            held.update(
                channel_index=message.channel_index,
                attempts_on_channel=message.attempts_on_channel,
                not_before=message.not_before,
            )
            continue
        finished = clock.now()
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.SENT, finished_at=finished
        )
        # Acknowledged or cancelled meanwhile: keep that status, it says more.
        held.filter(status=MessageStatus.PENDING).update(
            status=MessageStatus.SENT, sent_at=finished
        )
        held.update(claimed_until=None)
        _forget_code(message)
        return
    held.update(claimed_until=None)


def _forget_code(message: Message) -> None:
    """A verification code is kept only until it has gone (or could not go):
    afterwards the outbox row must not let anyone read it back."""
    if message.kind == MessageKind.VERIFICATION:
        Message.objects.filter(pk=message.pk).update(body="")


def _failed(message: Message, attempt: DeliveryAttempt, failure: channels.DeliveryFailed) -> None:
    now = clock.now()
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        outcome=AttemptOutcome.FAILED, finished_at=now, error=failure.reason[:500]
    )
    logger.warning(
        "Message %s on %s failed (attempt %s): %s",
        message.pk,
        attempt.channel,
        attempt.attempt,
        failure.reason,
    )
    retries = settings.HEARTH_NOTIFY_RETRY_SECONDS
    if not failure.permanent and message.attempts_on_channel < len(retries):
        message.not_before = now + timedelta(seconds=retries[message.attempts_on_channel])
        message.attempts_on_channel += 1
    else:
        message.channel_index += 1
        message.attempts_on_channel = 0
        message.not_before = now


def send_now(message: Message) -> Message:
    """Deliver one message at once, retries due now included (tests, and the
    "send a new code" button's first try). Returns it as it ends up."""
    now = clock.now()
    lease = _claim(message.pk, now)
    if lease is not None:
        deliver(message.pk, lease=lease)
    message.refresh_from_db()
    return message
