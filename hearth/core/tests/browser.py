"""Debian's Chromium for browser tests, driven by Playwright (never a
downloaded browser): the launch flags for this closed network, the phone's
screen, and a fixture opening a phone signed in as someone.

Registered in ``hearth/conftest.py`` so every app's browser tests share it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client

CHROMIUM = shutil.which("chromium")
#: Mark a browser test module with ``pytestmark = needs_chromium``.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"
)
#: Without the background-networking flags Chromium keeps trying to reach
#: Google's hosts, which this machine's closed network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A nurse's or a family's phone (the viewport ``phone_of`` opens).
PHONE_SCREEN = {"width": 390, "height": 844}


def above_the_fold(page: Any, selector: str) -> bool:
    """The first element matching ``selector`` is whole on the first screen."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] < PHONE_SCREEN["height"]


@pytest.fixture
def phone_of(live_server: Any, world: Any, monkeypatch: Any) -> Iterator[Callable[[Any], Any]]:
    """``phone_of(user)``: a phone-sized page signed in as ``user`` (the world in
    active home care); ``page.base_url`` is the live server's address."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world.bring_to("active")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        def open_as(user: Any) -> Any:
            client = Client()
            client.force_login(user)
            context = browser.new_context(
                viewport={"width": PHONE_SCREEN["width"], "height": PHONE_SCREEN["height"]}
            )
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
            page.base_url = live_server.url  # type: ignore[attr-defined]
            return page

        yield open_as
        browser.close()
        connections.close_all()
