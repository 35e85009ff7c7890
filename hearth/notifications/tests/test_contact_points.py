"""A person's own contact points through the API: added with a code queued to
them, verified by typing it back, reordered and removed; bad input refused by
name with nothing stored; someone else's contact point not found."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings

from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.notifications import services
from hearth.notifications.choices import Channel, MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, Message
from hearth.notifications.tests.contact_helpers import (  # noqa: F401
    PUSH_ENDPOINT,
    channels_off,
    channels_on,
    code_sent_to,
    push_keys,
)

API = "/api/v1/notifications/contact-points"


def post(client: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=body or {}, content_type="application/json")


def add(client: Any, **body: Any) -> Any:
    return post(client, API, body)


def events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


# --- Adding --------------------------------------------------------------------------


def test_it_adds_an_email_unverified_and_queues_a_code_to_it(world: World, client_for: Any) -> None:
    response = add(client_for(world.nurse), channel="email", address="Nurse.Team@Example.ORG")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verified"] is False
    assert body["address"] == "Nurse.Team@example.org"
    assert body["code_expires_at"] is not None
    contact_point = ContactPoint.objects.get(external_id=body["id"])
    assert contact_point.user == world.nurse
    message = Message.objects.get(kind=MessageKind.VERIFICATION)
    assert message.recipient == world.nurse
    assert message.contact_point == contact_point
    assert message.urgent is True
    assert message.status == MessageStatus.PENDING
    assert message.event_key == f"verify:{contact_point.pk}:1"
    code = code_sent_to(contact_point)
    assert code not in contact_point.verification_code_hash
    assert len(contact_point.verification_code_hash) == 64
    [added] = events("contact_point.added")
    assert added.actor == world.nurse
    assert added.patient_id is None
    assert "Nurse.Team" not in added.summary + str(added.changes)


@pytest.mark.usefixtures("channels_on")
def test_a_family_member_adds_a_mobile_number_stored_in_e164(world: World, client_for: Any) -> None:
    response = add(client_for(world.family), channel="sms", address="07400 123456", label="mine")

    assert response.status_code == 201, response.content
    assert response.json()["address"] == "+447400123456"
    assert response.json()["shown_as"] == "…3456"
    assert Message.objects.filter(recipient=world.family, kind=MessageKind.VERIFICATION).exists()


@pytest.mark.usefixtures("channels_on")
def test_a_number_from_another_accepted_region_is_accepted(world: World, client_for: Any) -> None:
    response = add(client_for(world.family), channel="sms", address="+353 85 123 4567")
    assert response.status_code == 201, response.content
    assert response.json()["address"] == "+353851234567"


@pytest.mark.usefixtures("channels_on")
def test_it_adds_this_phone_for_web_push_with_its_keys(world: World, client_for: Any) -> None:
    keys = push_keys()
    response = add(
        client_for(world.nurse), channel="push", address=PUSH_ENDPOINT, keys=keys, label="Pixel"
    )

    assert response.status_code == 201, response.content
    contact_point = ContactPoint.objects.get(external_id=response.json()["id"])
    assert contact_point.push_keys == keys
    assert contact_point.masked_address == "Pixel"
    assert Message.objects.get(contact_point=contact_point).kind == MessageKind.VERIFICATION


@pytest.mark.usefixtures("channels_on")
def test_a_loopback_push_service_over_http_is_accepted_in_tests(
    world: World, client_for: Any
) -> None:
    response = add(
        client_for(world.nurse),
        channel="push",
        address="http://127.0.0.1:8123/push/1",
        keys=push_keys(),
    )
    assert response.status_code == 201, response.content


def test_each_new_contact_point_goes_last(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        assert add(client, channel="email", address=address).status_code == 201

    listed = client.get(API).json()
    assert [item["address"] for item in listed] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    assert [item["position"] for item in listed] == [0, 1, 2]


# --- Bad input: refused by name, nothing stored -------------------------------------

BAD_INPUT = {
    "malformed phone": (
        {"channel": "sms", "address": "call me maybe"},
        "address",
        "not a phone number",
    ),
    "too short a phone number": ({"channel": "sms", "address": "12345"}, "address", "not valid"),
    "foreign phone": ({"channel": "sms", "address": "+1 202 555 0143"}, "address", "GB (+44)"),
    "bad e-mail": ({"channel": "email", "address": "nurse@"}, "address", "e-mail address"),
    "unknown channel": ({"channel": "pigeon", "address": "x"}, "channel", "Choose"),
    "push without keys": ({"channel": "push", "address": PUSH_ENDPOINT}, "keys.p256dh", "p256dh"),
    "push without auth": (
        {"channel": "push", "address": PUSH_ENDPOINT, "keys": {"p256dh": "set below"}},
        "keys.auth",
        "auth",
    ),
    "push with a short p256dh": (
        {"channel": "push", "address": PUSH_ENDPOINT, "keys": {"p256dh": "BAAA", "auth": "x"}},
        "keys.p256dh",
        "65 bytes",
    ),
    "push with a p256dh off the curve": (
        {
            "channel": "push",
            "address": PUSH_ENDPOINT,
            "keys": {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
        },
        "keys.p256dh",
        "P-256",
    ),
    "push with a short auth": (
        {
            "channel": "push",
            "address": PUSH_ENDPOINT,
            "keys": {"p256dh": "set below", "auth": "AAAA"},
        },
        "keys.auth",
        "16 bytes",
    ),
    "push with p256dh not base64url": (
        {"channel": "push", "address": PUSH_ENDPOINT, "keys": {"p256dh": "!!!!", "auth": "AAAA"}},
        "keys.p256dh",
        "base64url",
    ),
    "push address with a control character": (
        {"channel": "push", "address": PUSH_ENDPOINT + "\x00", "keys": "valid"},
        "address",
        "no usable push address",
    ),
    "a name over two lines": (
        {"channel": "email", "address": "a@example.org", "label": "my\nphone"},
        "label",
        "one line",
    ),
    "a name too long": (
        {"channel": "email", "address": "a@example.org", "label": "x" * 81},
        "label",
        "80 characters",
    ),
    "push over plain http": (
        {"channel": "push", "address": "http://push.example.org/1", "keys": "valid"},
        "address",
        "https://",
    ),
}


@pytest.mark.parametrize(("body", "field", "words"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
@pytest.mark.usefixtures("channels_on")
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    world: World, client_for: Any, body: dict[str, Any], field: str, words: str
) -> None:
    body = dict(body)
    valid = push_keys()
    if body.get("keys") == "valid":
        body["keys"] = valid
    elif isinstance(body.get("keys"), dict):
        body["keys"] = {
            name: (valid[name] if value == "set below" else value)
            for name, value in body["keys"].items()
        }
    client = client_for(world.family)
    before = (ContactPoint.objects.count(), Message.objects.count(), AuditEvent.objects.count())

    response = add(client, **body)

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert words in errors[field][0]
    after = (ContactPoint.objects.count(), Message.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_the_same_address_twice_is_refused(world: World, client_for: Any) -> None:
    client = client_for(world.nurse)
    assert add(client, channel="email", address="nurse@example.org").status_code == 201

    response = add(client, channel="email", address="NURSE@example.org")

    assert response.status_code == 422
    assert "already" in response.json()["errors"]["address"][0]
    assert ContactPoint.objects.filter(user=world.nurse).count() == 1
    assert Message.objects.filter(recipient=world.nurse).count() == 1


def test_another_person_may_add_the_same_address(world: World, client_for: Any) -> None:
    assert (
        add(client_for(world.family), channel="email", address="home@example.org").status_code
        == 201
    )
    response = add(client_for(world.other_family), channel="email", address="home@example.org")
    assert response.status_code == 201


@pytest.mark.usefixtures("channels_off")
def test_sms_is_refused_when_the_service_has_no_gateway(world: World, client_for: Any) -> None:
    response = add(client_for(world.family), channel="sms", address="07400 123456")

    assert response.status_code == 422
    assert "no text message (SMS) gateway" in response.json()["errors"]["channel"][0]
    assert not ContactPoint.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.usefixtures("channels_off")
def test_push_is_refused_when_the_service_has_no_vapid_keys(world: World, client_for: Any) -> None:
    response = add(client_for(world.nurse), channel="push", address=PUSH_ENDPOINT, keys=push_keys())

    assert response.status_code == 422
    assert "not set up" in response.json()["errors"]["channel"][0]
    assert not ContactPoint.objects.exists()


# --- Verifying -----------------------------------------------------------------------


def _added(world: World, user_name: str = "nurse", address: str = "me@example.org") -> Any:
    return services.add_contact_point(
        actor=getattr(world, user_name), channel=Channel.EMAIL, address=address
    )


def test_typing_the_code_back_verifies_the_contact_point(world: World, client_for: Any) -> None:
    contact_point = _added(world)

    response = post(
        client_for(world.nurse),
        f"{API}/{contact_point.external_id}/verify",
        {"code": " ".join(code_sent_to(contact_point))},
    )

    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True
    contact_point.refresh_from_db()
    assert contact_point.is_verified
    assert contact_point.verification_code_hash == ""
    assert ContactPoint.objects.filter(user=world.nurse).verified().count() == 1
    [verified] = events("contact_point.verified")
    assert verified.actor == world.nurse
    assert verified.patient_id is None


def test_a_wrong_code_is_refused_counted_and_audited(world: World, client_for: Any) -> None:
    contact_point = _added(world, "family")
    code = code_sent_to(contact_point)
    wrong = "000000" if code != "000000" else "111111"

    response = post(
        client_for(world.family), f"{API}/{contact_point.external_id}/verify", {"code": wrong}
    )

    assert response.status_code == 422
    assert "not right" in response.json()["errors"]["code"][0]
    assert f"{settings.HEARTH_VERIFICATION_ATTEMPTS - 1} tries left" in response.json()["detail"]
    contact_point.refresh_from_db()
    assert not contact_point.is_verified
    assert contact_point.verification_attempts == 1
    [failed] = events("contact_point.verification_failed")
    assert failed.changes == {"reason": "wrong", "attempts": 1}
    assert code not in str(failed.changes) + failed.summary


def test_after_too_many_wrong_tries_even_the_right_code_is_refused_until_a_new_one(
    world: World, client_for: Any
) -> None:
    contact_point = _added(world)
    code = code_sent_to(contact_point)
    wrong = "000000" if code != "000000" else "111111"
    client = client_for(world.nurse)
    verify = f"{API}/{contact_point.external_id}/verify"
    for _try in range(settings.HEARTH_VERIFICATION_ATTEMPTS):
        assert post(client, verify, {"code": wrong}).status_code == 422

    response = post(client, verify, {"code": code})

    assert response.status_code == 422
    assert "new code" in response.json()["detail"]
    contact_point.refresh_from_db()
    assert not contact_point.is_verified
    assert len(events("contact_point.verification_failed")) == (
        settings.HEARTH_VERIFICATION_ATTEMPTS + 1
    )
    with clock.travel_to(clock.now() + timedelta(minutes=2)):
        assert post(client, f"{API}/{contact_point.external_id}/send-code").status_code == 200
        assert post(client, verify, {"code": code_sent_to(contact_point)}).status_code == 200


def test_an_expired_code_is_refused_counted_and_audited(world: World, client_for: Any) -> None:
    contact_point = _added(world, "family")
    code = code_sent_to(contact_point)
    later = clock.now() + timedelta(minutes=settings.HEARTH_VERIFICATION_CODE_MINUTES, seconds=5)

    with clock.travel_to(later):
        response = post(
            client_for(world.family), f"{API}/{contact_point.external_id}/verify", {"code": code}
        )

    assert response.status_code == 422
    assert "expired" in response.json()["errors"]["code"][0]
    contact_point.refresh_from_db()
    assert not contact_point.is_verified
    assert contact_point.verification_attempts == 1
    assert events("contact_point.verification_failed")[0].changes["reason"] == "expired"


def test_a_new_code_is_sent_at_most_once_a_minute_and_replaces_the_old_one(
    world: World, client_for: Any
) -> None:
    contact_point = _added(world)
    old_code = code_sent_to(contact_point)
    client = client_for(world.nurse)
    send = f"{API}/{contact_point.external_id}/send-code"

    too_soon = post(client, send)
    assert too_soon.status_code == 409
    assert too_soon.json()["code"] == "too_soon"
    assert Message.objects.filter(contact_point=contact_point).count() == 1

    with clock.travel_to(clock.now() + timedelta(seconds=61)):
        assert post(client, send).status_code == 200
        keys = sorted(
            Message.objects.filter(contact_point=contact_point).values_list("event_key", flat=True)
        )
        assert keys == [f"verify:{contact_point.pk}:1", f"verify:{contact_point.pk}:2"]
        new_code = code_sent_to(contact_point)
        verify = f"{API}/{contact_point.external_id}/verify"
        if new_code != old_code:
            assert post(client, verify, {"code": old_code}).status_code == 422
        assert post(client, verify, {"code": new_code}).status_code == 200
    assert len(events("contact_point.code_sent")) == 1


def test_a_verified_contact_point_gets_no_new_code(world: World, client_for: Any) -> None:
    contact_point = _added(world)
    services.verify_contact_point(
        actor=world.nurse, contact_point=contact_point, code=code_sent_to(contact_point)
    )
    with clock.travel_to(clock.now() + timedelta(minutes=5)):
        response = post(client_for(world.nurse), f"{API}/{contact_point.external_id}/send-code")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.usefixtures("channels_on")
def test_push_is_verified_the_same_way(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    added = add(client, channel="push", address=PUSH_ENDPOINT, keys=push_keys()).json()
    contact_point = ContactPoint.objects.get(external_id=added["id"])

    response = post(client, f"{API}/{added['id']}/verify", {"code": code_sent_to(contact_point)})

    assert response.json()["verified"] is True


# --- Order and removal ---------------------------------------------------------------


def test_the_order_is_set_as_a_list(world: World, client_for: Any) -> None:
    first, second, third = (
        _added(world, "family", f"{name}@example.org") for name in ("a", "b", "c")
    )
    client = client_for(world.family)
    wanted = [str(third.external_id), str(first.external_id), str(second.external_id)]

    response = client.put(
        f"{API}/order", data={"contact_point_ids": wanted}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert [item["id"] for item in response.json()] == wanted
    assert [item["id"] for item in client.get(API).json()] == wanted
    [reordered] = events("contact_points.reordered")
    assert reordered.changes["order"]["to"] == wanted


def test_an_order_that_leaves_one_out_or_names_another_persons_is_refused(
    world: World, client_for: Any
) -> None:
    mine = [_added(world, "family", f"{name}@example.org") for name in ("a", "b")]
    theirs = _added(world, "nurse")
    client = client_for(world.family)
    for ids in (
        [mine[1].external_id],
        [mine[1].external_id, mine[0].external_id, theirs.external_id],
        [mine[1].external_id, mine[1].external_id],
    ):
        response = client.put(
            f"{API}/order",
            data={"contact_point_ids": [str(i) for i in ids]},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["order"]
    assert [cp.pk for cp in ContactPoint.objects.filter(user=world.family).in_order()] == [
        cp.pk for cp in mine
    ]


def test_moving_up_and_down(world: World, client_for: Any) -> None:
    first, second = (_added(world, "nurse", f"{name}@example.org") for name in ("a", "b"))
    client = client_for(world.nurse)

    moved = post(client, f"{API}/{second.external_id}/move", {"direction": "up"}).json()
    assert [item["id"] for item in moved] == [str(second.external_id), str(first.external_id)]
    moved = post(client, f"{API}/{second.external_id}/move", {"direction": "down"}).json()
    assert [item["id"] for item in moved] == [str(first.external_id), str(second.external_id)]
    assert post(client, f"{API}/{first.external_id}/move", {"direction": "sideways"}).json()[
        "errors"
    ] == {"direction": ["Move a contact point up or down."]}


def test_removing_one_closes_up_the_order(world: World, client_for: Any) -> None:
    first, second, third = (
        _added(world, "nurse", f"{name}@example.org") for name in ("a", "b", "c")
    )
    client = client_for(world.nurse)

    response = client.delete(f"{API}/{first.external_id}")

    assert response.status_code == 204
    assert not ContactPoint.objects.filter(pk=first.pk).exists()
    listed = client.get(API).json()
    assert [(item["id"], item["position"]) for item in listed] == [
        (str(second.external_id), 0),
        (str(third.external_id), 1),
    ]
    [removed] = events("contact_point.removed")
    assert removed.object_id == str(first.external_id)
    assert removed.patient_id is None


# --- Only one's own --------------------------------------------------------------------


@pytest.mark.parametrize(
    "intruder", ["administrator", "clinical_lead", "physician", "other_family"]
)
def test_another_persons_contact_point_is_not_found(
    world: World, client_for: Any, intruder: str
) -> None:
    theirs = _added(world, "family", "family@example.org")
    code = code_sent_to(theirs)
    client = client_for(getattr(world, intruder))
    path = f"{API}/{theirs.external_id}"
    events_before = AuditEvent.objects.count()

    answers = [
        post(client, f"{path}/verify", {"code": code}),
        post(client, f"{path}/send-code"),
        post(client, f"{path}/move", {"direction": "up"}),
        client.delete(path),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 4
    assert client.get(API).json() == []
    theirs.refresh_from_db()
    assert not theirs.is_verified
    assert theirs.verification_attempts == 0
    # Nothing recorded but the four refusals themselves (hearth.core.refusals).
    new_events = AuditEvent.objects.order_by("id")[events_before:]
    assert [(event.event_type, event.object_id) for event in new_events] == [
        ("access.not_found", str(theirs.external_id))
    ] * 4


def test_a_service_refuses_another_persons_contact_point_too(world: World) -> None:
    from hearth.core.errors import NotFound

    theirs = _added(world, "family", "family@example.org")
    with pytest.raises(NotFound):
        services.verify_contact_point(
            actor=world.administrator, contact_point=theirs, code=code_sent_to(theirs)
        )
    with pytest.raises(NotFound):
        services.remove_contact_point(actor=world.administrator, contact_point=theirs)
    assert ContactPoint.objects.filter(pk=theirs.pk, verified_at__isnull=True).exists()


def test_nobody_signed_in_is_refused(client_for: Any, db: Any) -> None:
    response = add(client_for(None), channel="email", address="x@example.org")
    assert response.status_code == 401
    assert not ContactPoint.objects.exists()
