"""End to end on loopback: a contact point added through the API gets its code
from the real channel (an SMTP server, an SMS gateway receiving Apprise's
POST, a push service decrypting the payload with the phone's keys), and the
code read from there verifies it."""

from __future__ import annotations

import re
from typing import Any

from hearth.conftest import World
from hearth.notifications import delivery
from hearth.notifications.choices import AttemptOutcome, MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, Message

API = "/api/v1/notifications/contact-points"


def _code_in(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)


def _verify(client: Any, contact_point_id: str, code: str) -> Any:
    return client.post(
        f"{API}/{contact_point_id}/verify", data={"code": code}, content_type="application/json"
    )


def test_an_email_contact_point_gets_its_code_by_smtp_and_typing_it_verifies(
    world: World, client_for: Any, smtp_sink: Any
) -> None:
    client = client_for(world.family)
    added = client.post(
        API,
        data={"channel": "email", "address": "family.a@example.org"},
        content_type="application/json",
    ).json()

    assert delivery.deliver_due() == 1
    [mail] = smtp_sink.wait_for(1)

    assert "family.a@example.org" in mail["X-Envelope-To"]
    code = _code_in(mail.get_payload(decode=True).decode())
    response = _verify(client, added["id"], code)
    assert response.status_code == 200, response.content
    assert ContactPoint.objects.get(external_id=added["id"]).is_verified
    message = Message.objects.get(kind=MessageKind.VERIFICATION)
    assert message.status == MessageStatus.SENT
    assert code not in message.body  # once sent, the outbox keeps no copy of the code
    assert [(a.channel, a.outcome) for a in message.attempts.all()] == [
        ("email", AttemptOutcome.SENT)
    ]
    page = client.get("/notifications/").content.decode()
    assert "Verification code" in page
    assert "fa…@example.org" in page


def test_a_code_goes_only_to_the_contact_point_being_verified(
    world: World, client_for: Any, smtp_sink: Any
) -> None:
    client = client_for(world.nurse)
    first = client.post(
        API,
        data={"channel": "email", "address": "first@example.org"},
        content_type="application/json",
    ).json()
    delivery.deliver_due()
    _verify(
        client, first["id"], _code_in(smtp_sink.wait_for(1)[0].get_payload(decode=True).decode())
    )

    client.post(
        API,
        data={"channel": "email", "address": "second@example.org"},
        content_type="application/json",
    )
    delivery.deliver_due()
    mails = smtp_sink.wait_for(2)

    assert len(smtp_sink.to("second@example.org")) == 1
    assert len(smtp_sink.to("first@example.org")) == 1
    assert len(mails) == 2


def test_an_sms_contact_point_gets_its_code_from_the_gateway(
    world: World, client_for: Any, sms_sink: Any, settings: Any
) -> None:
    settings.HEARTH_PHONE_REGIONS = ["GB"]
    client = client_for(world.family)
    added = client.post(
        API, data={"channel": "sms", "address": "07400 123456"}, content_type="application/json"
    ).json()

    delivery.deliver_due()
    [request] = sms_sink.wait_for(1)

    assert request.json()["to"] == "+447400123456"
    code = _code_in(request.json()["message"])
    assert _verify(client, added["id"], code).json()["verified"] is True


def test_this_phone_gets_its_code_as_a_push_notification(
    world: World, client_for: Any, push_sink: Any
) -> None:
    phone = push_sink.subscribe()
    client = client_for(world.nurse)
    added = client.post(
        API,
        data={"channel": "push", "address": phone.endpoint, "keys": phone.keys, "label": "Pixel"},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content

    delivery.deliver_due()
    [shown] = push_sink.delivered

    assert set(shown) >= {"title", "body", "url"}
    code = _code_in(shown["body"])
    assert _verify(client, added.json()["id"], code).json()["verified"] is True


def test_a_family_member_is_written_to_in_their_language(
    world: World, client_for: Any, smtp_sink: Any
) -> None:
    world.family.preferred_language = "ru"
    world.family.save(update_fields=["preferred_language"])

    client_for(world.family).post(
        API,
        data={"channel": "email", "address": "family.a@example.org"},
        content_type="application/json",
    )

    assert Message.objects.get(kind=MessageKind.VERIFICATION).language == "ru"
