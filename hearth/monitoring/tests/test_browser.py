"""The family's check-in in a real browser (Debian's Chromium, driven by
Playwright) at phone width: an untouched slider sends nothing, a touched one
sends its value, and "We need help now" reaches the nurse at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from hearth.conftest import World
from hearth.core import clock
from hearth.core.tests.browser import CHROMIUM, FLAGS, needs_chromium
from hearth.monitoring.models import Alert, CheckIn
from hearth.notifications.models import ContactPoint

pytestmark = needs_chromium


@pytest.fixture
def phone(live_server: Any, world: World, monkeypatch: Any) -> Iterator[Any]:
    """A phone-sized browser signed in as patient A's daughter."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own
    # database reads are still plain synchronous code (the server is another thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world.bring_to("active")
    client = Client()
    client.force_login(world.family)
    session = client.cookies["sessionid"].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.base_url = live_server.url  # type: ignore[attr-defined]
        yield page
        browser.close()
        # Database reads made while Playwright's loop runs get a connection of
        # their own (another context); close it so the test database can be dropped.
        connections.close_all()


def _open_check_in(page: Any) -> None:
    page.goto(page.base_url + "/portal/check-in/")
    assert page.locator("#id_pain_value").inner_text() == "not answered"
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_only_the_sliders_that_were_moved_are_sent(phone: Any, world: World) -> None:
    _open_check_in(phone)
    phone.focus("#id_pain")
    for _ in range(6):
        phone.keyboard.press("ArrowRight")
    assert phone.locator("#id_pain_value").inner_text() == "6"
    phone.fill("#id_note", "A better night")
    phone.click("text=Send to the team")
    phone.wait_for_url("**/portal/check-ins/")
    assert "A better night" in phone.content()
    check_in = CheckIn.objects.select_related("esas").get()
    assert check_in.esas is not None
    assert check_in.esas.answers == {"pain": 6}
    assert check_in.esas.partial


@pytest.mark.django_db(transaction=True)
def test_we_need_help_now_in_one_tap(phone: Any, world: World) -> None:
    ContactPoint.objects.create(
        user=world.nurse,
        channel="email",
        address="nurse@example.org",
        created_at=clock.now(),
        verified_at=clock.now(),
    )
    _open_check_in(phone)
    phone.click("text=We need help now")
    phone.wait_for_url("**/portal/help/")
    assert "The nurse on call has been told at" in phone.content()
    alert = Alert.objects.get()
    assert (alert.rule, alert.severity, alert.owner) == ("help_requested", "high", world.nurse)
    assert CheckIn.objects.get().esas is None
