"""Reads of a person's own notifications: their contact points and their messages.

Everything here is filtered to the signed-in person: nobody, the administrator
included, reads another person's contact points or messages through these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from hearth.core.errors import NotFound
from hearth.notifications.models import (
    ContactPoint,
    DeliveryAttempt,
    Message,
    NotificationPreferences,
)
from hearth.notifications.outbox import preferences_of

if TYPE_CHECKING:
    from hearth.accounts.models import User


def contact_points_of(actor: User) -> QuerySet[ContactPoint]:
    """The person's own contact points, in the order messages try them."""
    return ContactPoint.objects.filter(user_id=actor.pk).in_order()


def contact_point_of(actor: User, contact_point_id: UUID | str) -> ContactPoint:
    """One of the person's own contact points. Someone else's is "not found",
    whoever asks: a contact point is private to the person it reaches."""
    try:
        found = contact_points_of(actor).filter(external_id=contact_point_id).first()
    except (ValidationError, ValueError):
        found = None
    if found is None:
        raise NotFound(_("Not found."))
    return found


def messages_of(actor: User) -> QuerySet[Message]:
    """The person's own messages, newest first, each with its delivery attempts
    (two queries for any number of messages)."""
    attempts = Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("started_at", "id"))
    return (
        Message.objects.filter(recipient_id=actor.pk)
        .order_by("-created_at", "-id")
        .prefetch_related(attempts)
    )


def preferences_row(actor: User) -> NotificationPreferences:
    """The person's preferences row, or an unsaved one with the defaults."""
    return preferences_of(actor)
