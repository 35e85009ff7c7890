"""Writing messages to the outbox, inside the caller's transaction.

Every app that tells someone something calls :func:`notify` from its service,
in the same transaction as the change. Nothing is sent here: the worker sends
after commit (``hearth.notifications.delivery``), so a rolled-back change
never pages anyone and a committed one always does.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from hearth.core import clock, messages
from hearth.notifications.choices import MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, Message, NotificationPreferences

if TYPE_CHECKING:
    from hearth.accounts.models import User


def language_of(user: User) -> str:
    """Family members are written to in their own language; staff in theirs if
    they chose one, else the service's."""
    preferred = getattr(user, "preferred_language", "") or ""
    available = {code for code, _name in settings.LANGUAGES}
    return preferred if preferred in available else settings.LANGUAGE_CODE


@contextlib.contextmanager
def speaking_to(user: User) -> Iterator[str]:
    """Render a message's texts inside this block: they come out in the
    recipient's language whatever language the request that caused them used."""
    language = language_of(user)
    with translation.override(language):
        yield language


def preferences_of(user: User) -> NotificationPreferences:
    preferences = NotificationPreferences.objects.filter(user=user).first()
    return preferences or NotificationPreferences(user=user)


def quiet_until(user: User, moment: datetime) -> datetime | None:
    """The end of the quiet hours ``moment`` falls in, or None. Quiet hours are
    local wall-clock times and may run over midnight (22:00 to 07:00)."""
    preferences = preferences_of(user)
    start, end = preferences.quiet_hours_start, preferences.quiet_hours_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(moment)
    now = local.time()
    inside = (start <= now < end) if start < end else (now >= start or now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end))


def new_reply_code() -> str:
    """Four digits a person can type back from a phone's keyboard."""
    return f"{secrets.randbelow(9000) + 1000}"


def notify(
    *,
    recipient: User,
    kind: MessageKind | str,
    event_key: str,
    subject: str,
    body: str,
    link: str = "",
    topic: str = "",
    patient: Any = None,
    urgent: bool = False,
    contact_point: ContactPoint | None = None,
    reply_code: str = "",
) -> Message:
    """Queue one message for ``recipient`` about one event. The same
    ``event_key`` for the same person returns the message already queued, so a
    retried request or a second worker never queues it twice. Texts must be
    rendered in the recipient's language (:func:`speaking_to`). Pages carry
    no diagnosis and no medicine: they are read on lock screens. ``reply_code``
    is what a text reply quotes to act on the message ("ACK 4821")."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must run inside the transaction of the change it tells of")
    now = clock.now()
    held_until = None if urgent else quiet_until(recipient, now)
    message = Message(
        recipient=recipient,
        kind=kind,
        event_key=event_key[:200],
        topic=topic[:64],
        patient=patient,
        contact_point=contact_point,
        subject=subject[:200],
        body=body,
        link=link[:500],
        language=translation.get_language() or language_of(recipient),
        urgent=urgent,
        reply_code=reply_code,
        created_at=now,
        status=MessageStatus.PENDING,
        not_before=held_until or now,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return Message.objects.get(recipient=recipient, event_key=event_key[:200])
    return message


def cancel(*, topic: str, kinds: tuple[str, ...], reason: str | messages.Message) -> int:
    """Messages about ``topic`` that have not gone out yet and no longer need to
    (the alert was acknowledged before its repeat page was sent). A ``Message``
    reason is kept as its key and parameters, read in each reader's language."""
    text, key, params = messages.stored(reason, language=settings.LANGUAGE_CODE)
    return (
        Message.objects.about(topic)
        .pending()
        .filter(kind__in=kinds)
        .update(
            status=MessageStatus.CANCELLED,
            finished_reason=text[:300],
            finished_reason_key=key[:300],
            finished_reason_params=params,
        )
    )
