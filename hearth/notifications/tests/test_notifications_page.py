"""The notifications page and ``GET /api/v1/notifications/messages``: one's own
messages only, newest first, each with its delivery attempts (retries and the
fall-through to the next channel), at a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import User
from hearth.conftest import World
from hearth.core import clock
from hearth.notifications.choices import AttemptOutcome, Channel, MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, DeliveryAttempt, Message
from hearth.notifications.tests.contact_helpers import code_sent_to

PAGE = "/notifications/"
API = "/api/v1/notifications/messages"


def message(user: User, key: str, *, minutes_ago: int = 0, **fields: Any) -> Message:
    now = clock.now() - timedelta(minutes=minutes_ago)
    values: dict[str, Any] = {
        "kind": MessageKind.VISIT_REMINDER,
        "subject": f"Subject {key}",
        "body": "Body",
        "language": "en",
        "status": MessageStatus.SENT,
        **fields,
    }
    return Message.objects.create(
        recipient=user, event_key=key, created_at=now, not_before=now, **values
    )


def attempt(
    msg: Message, number: int, channel: str, address: str, outcome: str, error: str = ""
) -> None:
    tried_before = DeliveryAttempt.objects.filter(message=msg).count()
    DeliveryAttempt.objects.create(
        message=msg,
        channel=channel,
        address=address,
        attempt=number,
        started_at=msg.created_at + timedelta(seconds=tried_before),
        finished_at=msg.created_at + timedelta(seconds=tried_before, milliseconds=300),
        outcome=outcome,
        error=error,
    )


def fell_through(user: User, key: str = "alert:1", **fields: Any) -> Message:
    """SMS failed twice (the gateway answered 503), then e-mail took it."""
    msg = message(user, key, kind=MessageKind.ALERT_PAGE, **fields)
    attempt(msg, 1, Channel.SMS, "…3456", AttemptOutcome.FAILED, "gateway answered 503")
    attempt(msg, 2, Channel.SMS, "…3456", AttemptOutcome.FAILED, "gateway answered 503")
    attempt(msg, 1, Channel.EMAIL, "nu…@example.org", AttemptOutcome.SENT)
    return msg


def test_the_page_shows_ones_own_messages_with_every_attempt(world: World, client_for: Any) -> None:
    fell_through(world.nurse)
    message(world.nurse, "verify:1", kind=MessageKind.VERIFICATION, status=MessageStatus.PENDING)
    message(world.family, "visit:9", kind=MessageKind.VISIT_CANCELLED, subject="NOT FOR THE NURSE")

    page = client_for(world.nurse).get(PAGE).content.decode()

    assert "Alert page" in page
    assert "Waiting to be sent" in page
    assert "gateway answered 503" in page
    assert page.count('class="attempt-failed"') == 2
    assert page.count('class="attempt-sent"') == 1
    assert "nu…@example.org" in page
    assert "Text message (SMS)" in page
    assert "Visit cancelled" not in page
    assert page.index("Verification code") < page.index("Alert page")  # newest first


def test_a_family_member_sees_only_their_own(world: World, client_for: Any) -> None:
    message(world.family, "visit:1", kind=MessageKind.VISIT_MOVED, status=MessageStatus.FAILED)
    message(world.other_family, "visit:2", kind=MessageKind.VISIT_CANCELLED)
    message(world.nurse, "alert:2", kind=MessageKind.ALERT_PAGE, status=MessageStatus.ACKNOWLEDGED)

    page = client_for(world.family).get(PAGE).content.decode()

    assert "Visit time changed" in page
    assert "Could not be delivered" in page
    assert "Visit cancelled" not in page
    assert "Alert page" not in page


def test_newest_first_and_paginated(world: World, client_for: Any) -> None:
    for number in range(25):
        message(world.family, f"m:{number}", minutes_ago=number, subject=f"Message {number}")
    client = client_for(world.family)

    first = client.get(API, {"limit": 20}).json()
    second = client.get(first["next"]).json()

    assert len(first["items"]) == 20 and first["next"]
    assert first["items"][0]["subject"] == "Message 0"
    assert [item["subject"] for item in second["items"]] == [f"Message {n}" for n in range(20, 25)]
    assert second["next"] is None
    assert "Page 1 of 2" in client.get(PAGE).content.decode()
    assert "Page 2 of 2" in client.get(PAGE, {"page": 2}).content.decode()


def test_the_api_lists_attempts_and_status(world: World, client_for: Any) -> None:
    fell_through(world.nurse, status=MessageStatus.ACKNOWLEDGED)
    message(world.family, "visit:3")

    body = client_for(world.nurse).get(API).json()

    [item] = body["items"]
    assert item["kind"] == "alert_page"
    assert item["status"] == "acknowledged"
    assert [(a["channel"], a["attempt"], a["outcome"]) for a in item["attempts"]] == [
        ("sms", 1, "failed"),
        ("sms", 2, "failed"),
        ("email", 1, "sent"),
    ]
    assert item["attempts"][0]["error"] == "gateway answered 503"


#: The session, the user, allauth's user session, the security policy and the
#: person's authenticators for the per-session MFA check (12 queries on any
#: signed-in page), the menu's count of open alerts (one COUNT, issue 20), then
#: the count, the messages and their attempts.
PAGE_QUERIES = 16
#: The API call's own: the messages and their attempts (bearer-free session
#: sign-in costs the same middleware queries as the page).
API_QUERIES = 15


def test_the_page_costs_the_same_few_queries_for_many_messages(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.nurse)
    client.get(PAGE)  # the first request of a session records it (allauth's user sessions)
    fell_through(world.nurse, key="alert:first")
    with CaptureQueriesContext(connection) as one_message:
        client.get(PAGE)
        client.get(API, {"limit": 20})
    for number in range(20):
        fell_through(world.nurse, key=f"alert:{number}")

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(PAGE)
    assert response.content.decode().count('class="attempt-sent"') == 20
    with django_assert_max_num_queries(API_QUERIES):
        assert len(client.get(API, {"limit": 20}).json()["items"]) == 20
    with CaptureQueriesContext(connection) as many_messages:
        client.get(PAGE)
        client.get(API, {"limit": 20})
    assert len(many_messages) == len(one_message)


def test_a_verification_code_cannot_be_read_from_ones_own_messages(
    world: World, client_for: Any
) -> None:
    """Otherwise anyone could "verify" an address they do not own by reading the
    code here instead of where it was sent."""
    client = client_for(world.family)
    client.post(
        "/api/v1/notifications/contact-points",
        data={"channel": "email", "address": "not.mine@example.org"},
        content_type="application/json",
    )
    contact_point = ContactPoint.objects.get(user=world.family)
    code = code_sent_to(contact_point)

    assert code not in client.get(PAGE).content.decode()
    assert code not in client.get(API).content.decode()
    assert "Verification code" in client.get(PAGE).content.decode()


def test_nobody_signed_in_is_sent_to_sign_in(client_for: Any, db: Any) -> None:
    response = client_for(None).get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client_for(None).get(API).status_code == 401
