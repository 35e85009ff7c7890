"""The notifications JSON API: the caller's own contact points, preferences and
messages. No path names another person: a contact point id that is not the
caller's is "not found", whoever calls."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import get_language_info
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts.models import UserKind
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.notifications import outbox, queries, services
from hearth.notifications.schemas import (
    CodeIn,
    ContactPointIn,
    ContactPointMoveIn,
    ContactPointOrderIn,
    ContactPointOut,
    MessageOut,
    PreferencesIn,
    PreferencesOut,
    contact_point_out,
    message_out,
)

router = Router(tags=["notifications"])


@router.get(
    "/notifications/contact-points",
    response={200: list[ContactPointOut], **ERROR_RESPONSES},
)
def list_contact_points(request: HttpRequest) -> Any:
    """The caller's contact points, in the order messages try them."""
    return [contact_point_out(cp) for cp in queries.contact_points_of(actor_of(request))]


@router.post(
    "/notifications/contact-points",
    response={201: ContactPointOut, **ERROR_RESPONSES},
)
def add_contact_point(request: HttpRequest, payload: ContactPointIn) -> Any:
    """Adds a contact point and sends a verification code to it; it is used for
    messages once the code is typed back (``.../verify``)."""
    contact_point = services.add_contact_point(
        actor=actor_of(request),
        channel=payload.channel,
        address=payload.address,
        label=payload.label,
        keys=payload.keys,
    )
    return Status(201, contact_point_out(contact_point))


@router.put(
    "/notifications/contact-points/order",
    response={200: list[ContactPointOut], **ERROR_RESPONSES},
)
def set_order(request: HttpRequest, payload: ContactPointOrderIn) -> Any:
    """Every one of the caller's contact points, once, in the order to try them."""
    ordered = services.set_contact_point_order(
        actor=actor_of(request), contact_point_ids=payload.contact_point_ids
    )
    return [contact_point_out(cp) for cp in ordered]


@router.post(
    "/notifications/contact-points/{contact_point_id}/verify",
    response={200: ContactPointOut, **ERROR_RESPONSES},
)
def verify(request: HttpRequest, contact_point_id: UUID, payload: CodeIn) -> Any:
    actor = actor_of(request)
    contact_point = queries.contact_point_of(actor, contact_point_id)
    return contact_point_out(
        services.verify_contact_point(actor=actor, contact_point=contact_point, code=payload.code)
    )


@router.post(
    "/notifications/contact-points/{contact_point_id}/send-code",
    response={200: ContactPointOut, **ERROR_RESPONSES},
)
def send_code(request: HttpRequest, contact_point_id: UUID) -> Any:
    """A new verification code (at most one a minute); the old one stops working."""
    actor = actor_of(request)
    contact_point = queries.contact_point_of(actor, contact_point_id)
    return contact_point_out(services.send_new_code(actor=actor, contact_point=contact_point))


@router.post(
    "/notifications/contact-points/{contact_point_id}/move",
    response={200: list[ContactPointOut], **ERROR_RESPONSES},
)
def move(request: HttpRequest, contact_point_id: UUID, payload: ContactPointMoveIn) -> Any:
    actor = actor_of(request)
    contact_point = queries.contact_point_of(actor, contact_point_id)
    ordered = services.move_contact_point(
        actor=actor, contact_point=contact_point, direction=payload.direction
    )
    return [contact_point_out(cp) for cp in ordered]


@router.delete(
    "/notifications/contact-points/{contact_point_id}",
    response={204: None, **ERROR_RESPONSES},
)
def remove(request: HttpRequest, contact_point_id: UUID) -> Any:
    actor = actor_of(request)
    contact_point = queries.contact_point_of(actor, contact_point_id)
    services.remove_contact_point(actor=actor, contact_point=contact_point)
    return Status(204, None)


def preferences_out(actor: Any) -> PreferencesOut:
    preferences = queries.preferences_row(actor)
    language = outbox.language_of(actor)
    return PreferencesOut(
        quiet_hours_start=preferences.quiet_hours_start,
        quiet_hours_end=preferences.quiet_hours_end,
        visit_changes=preferences.visit_changes,
        visit_reminders=preferences.visit_reminders,
        help_request_seen=preferences.help_request_seen,
        opt_ins_offered=actor.kind != UserKind.STAFF,
        language=language,
        language_name=str(get_language_info(language)["name_translated"]),
    )


@router.get("/notifications/preferences", response={200: PreferencesOut, **ERROR_RESPONSES})
def get_preferences(request: HttpRequest) -> Any:
    """Quiet hours, the family's opt-ins and the language messages are written in."""
    return preferences_out(actor_of(request))


@router.put("/notifications/preferences", response={200: PreferencesOut, **ERROR_RESPONSES})
def set_preferences(request: HttpRequest, payload: PreferencesIn) -> Any:
    actor = actor_of(request)
    services.set_notification_preferences(actor=actor, **payload.model_dump())
    return preferences_out(actor)


@router.get("/notifications/messages", response={200: CursorPage.of(MessageOut), **ERROR_RESPONSES})
def list_messages(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """The caller's own messages, newest first, each with its delivery attempts
    (retries and the fall-through to the next channel), a page at a time:
    follow ``next`` until it is null."""
    return cursor_page(
        request,
        queries.messages_of(actor_of(request)),
        list_name="messages",
        ordering=("-created_at", "-id"),
        paging=paging,
    ).answer(message_out)
