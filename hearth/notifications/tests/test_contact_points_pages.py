"""The same contact point steps on the settings page, for a family member and a
member of staff; the push script and the service worker it registers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.notifications import services
from hearth.notifications.choices import Channel
from hearth.notifications.models import ContactPoint, Message
from hearth.notifications.tests.contact_helpers import (  # noqa: F401
    channels_off,
    channels_on,
    code_sent_to,
)

PAGE = "/notifications/settings/"
ADD = "/notifications/settings/contact-points/add/"


def _path(contact_point: ContactPoint, step: str) -> str:
    return f"/notifications/settings/contact-points/{contact_point.external_id}/{step}/"


@pytest.mark.parametrize("person", ["family", "nurse"])
def test_add_then_verify_on_the_page(world: World, client_for: Any, person: str) -> None:
    user = getattr(world, person)
    client = client_for(user)

    added = client.post(ADD, {"channel": "email", "address": f"{person}@example.org"})

    assert added.status_code == 302
    assert added["Location"] == PAGE
    contact_point = ContactPoint.objects.get(user=user)
    page = client.get(PAGE).content.decode()
    assert f"{person}@example.org" in page
    assert "waiting for its code" in page
    assert "A code was sent to" in page

    verified = client.post(
        _path(contact_point, "verify"), {f"{contact_point.pk}-code": code_sent_to(contact_point)}
    )

    assert verified.status_code == 302
    contact_point.refresh_from_db()
    assert contact_point.is_verified
    assert "verified" in client.get(PAGE).content.decode()


def test_a_wrong_code_on_the_page_is_shown_on_that_contact_point(
    world: World, client_for: Any
) -> None:
    contact_point = services.add_contact_point(
        actor=world.family, channel=Channel.EMAIL, address="family@example.org"
    )
    wrong = "000000" if code_sent_to(contact_point) != "000000" else "111111"

    response = client_for(world.family).post(
        _path(contact_point, "verify"), {f"{contact_point.pk}-code": wrong}
    )

    assert response.status_code == 422
    assert "That code is not right." in response.content.decode()
    contact_point.refresh_from_db()
    assert contact_point.verification_attempts == 1


def test_bad_input_on_the_page_is_shown_on_the_field(world: World, client_for: Any) -> None:
    response = client_for(world.family).post(ADD, {"channel": "email", "address": "family@"})

    assert response.status_code == 422
    assert "Enter a whole e-mail address" in response.content.decode()
    assert not ContactPoint.objects.exists()


@pytest.mark.usefixtures("channels_off")
def test_the_page_explains_there_is_no_sms_gateway(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    assert 'value="sms"' not in client.get(PAGE).content.decode()

    response = client.post(ADD, {"channel": "sms", "address": "07400 123456"})

    assert response.status_code == 422
    assert "no text message (SMS) gateway" in response.content.decode()
    assert not ContactPoint.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.usefixtures("channels_on")
def test_a_foreign_number_on_the_page_names_the_accepted_regions(
    world: World, client_for: Any
) -> None:
    response = client_for(world.nurse).post(ADD, {"channel": "sms", "address": "+1 202 555 0143"})

    assert response.status_code == 422
    assert "GB (+44), IE (+353)" in response.content.decode()
    assert not ContactPoint.objects.exists()


def test_new_code_move_and_remove_on_the_page(world: World, client_for: Any) -> None:
    first, second = (
        services.add_contact_point(actor=world.nurse, channel=Channel.EMAIL, address=address)
        for address in ("a@example.org", "b@example.org")
    )
    client = client_for(world.nurse)

    client.post(_path(first, "send-code"))
    assert "less than a minute ago" in client.get(PAGE).content.decode()
    with clock.travel_to(clock.now() + timedelta(minutes=2)):
        client.post(_path(first, "send-code"))
    assert Message.objects.filter(contact_point=first).count() == 2

    assert client.post(_path(second, "move"), {"direction": "up"}).status_code == 302
    order = list(ContactPoint.objects.filter(user=world.nurse).in_order())
    assert order == [second, first]

    assert client.post(_path(second, "remove")).status_code == 302
    assert list(ContactPoint.objects.filter(user=world.nurse)) == [first]


@pytest.mark.parametrize("intruder", ["administrator", "other_family"])
def test_another_persons_contact_point_is_not_found_on_the_page(
    world: World, client_for: Any, intruder: str
) -> None:
    theirs = services.add_contact_point(
        actor=world.family, channel=Channel.EMAIL, address="family@example.org"
    )
    client = client_for(getattr(world, intruder))

    for step, body in (
        ("verify", {f"{theirs.pk}-code": code_sent_to(theirs)}),
        ("send-code", {}),
        ("move", {"direction": "up"}),
        ("remove", {}),
    ):
        assert client.post(_path(theirs, step), body).status_code == 404
    assert "family@example.org" not in client.get(PAGE).content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_verified


def test_the_menu_leads_to_the_notifications_pages(world: World, client_for: Any) -> None:
    for person in ("nurse", "family"):
        client = client_for(getattr(world, person))
        assert 'href="/notifications/"' in client.get("/notifications/settings/").content.decode()
        assert 'href="/notifications/settings/"' in client.get("/notifications/").content.decode()


# --- Web push in the browser ---------------------------------------------------------


@pytest.mark.usefixtures("channels_on")
def test_the_settings_page_offers_this_phone_with_the_public_key_and_no_inline_script(
    world: World, client_for: Any
) -> None:
    from django.conf import settings

    page = client_for(world.family).get(PAGE).content.decode()

    assert 'id="push-subscribe"' in page
    assert f'data-key="{settings.HEARTH_VAPID_PUBLIC_KEY}"' in page
    assert 'data-endpoint="/api/v1/notifications/contact-points"' in page
    assert 'data-worker="/sw.js"' in page
    assert 'src="/static/hearth/push-subscribe.js"' in page
    settings_section = page[page.index('id="add-contact-point"') :]
    assert "<script>" not in settings_section


@pytest.mark.usefixtures("channels_off")
def test_no_push_button_without_vapid_keys(world: World, client_for: Any) -> None:
    assert 'id="push-subscribe"' not in client_for(world.family).get(PAGE).content.decode()


def test_the_service_worker_is_served_from_the_root(client_for: Any, db: Any) -> None:
    response = client_for(None).get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert 'addEventListener("push"' in body
    assert "showNotification" in body
    assert 'addEventListener("notificationclick"' in body
    assert "openWindow" in body


def test_the_push_script_is_a_static_file(client_for: Any, db: Any) -> None:
    response = client_for(None).get("/static/hearth/push-subscribe.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "applicationServerKey" in body
    assert "X-CSRFToken" in body
