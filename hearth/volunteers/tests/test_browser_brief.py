"""A volunteer at the door, on a phone (Debian's Chromium, Playwright,
390×844): from their own page one tap opens the brief; who to call is on the
first screen with a number to tap; nothing is wider than the screen."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from hearth.conftest import World
from hearth.medications.tests.conftest import seeded_formulary  # noqa: F401 - a fixture

from .test_brief import _fill_the_record, _volunteer_on_assignment

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"
)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREEN = {"width": 390, "height": 844}


@pytest.fixture
def phone_of(live_server: Any, world: World, monkeypatch: Any) -> Iterator[Callable[[Any], Any]]:
    """A phone-sized browser signed in as the given person."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world.bring_to("active")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        def open_as(user: Any) -> Any:
            client = Client()
            client.force_login(user)
            context = browser.new_context(viewport=SCREEN)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.base_url = live_server.url
            return page

        yield open_as
        browser.close()
        connections.close_all()


def _above_the_fold(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] < SCREEN["height"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")  # a transactional test starts after a flush
def test_a_volunteer_opens_the_brief_on_a_phone(phone_of: Any, world: World) -> None:
    assignment = _volunteer_on_assignment(world)
    _fill_the_record(world)
    phone = phone_of(assignment.volunteer)
    phone.goto(phone.base_url + "/patients/")  # their worklist is their own page
    phone.wait_for_url("**/volunteers/me/")
    phone.click("a.volunteer-brief-link")
    phone.wait_for_url(f"**/patients/{world.patient.external_id}/volunteer-brief/")
    assert phone.locator("h1").inner_text() == "Alice"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _above_the_fold(phone, "a.brief-phone")
    assert phone.locator("a.brief-phone").first.get_attribute("href") == "tel:+44 20 7946 0000"
    text = phone.locator("article.volunteer-brief").inner_text()
    assert "Oxygen in the home" in text and "Key safe by the back door" in text
    assert "Lung cancer" not in phone.content() and "Morphine" not in phone.content()
    # The record itself is not there for them.
    response = phone.goto(f"{phone.base_url}/patients/{world.patient.external_id}/")
    assert response.status == 404
