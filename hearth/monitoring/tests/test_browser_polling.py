"""A list that refreshes itself (the alert list, htmx polling every
``HEARTH_ALERT_LIST_REFRESH_SECONDS``, 15 s by default) is the page, not the
person: in Debian's Chromium its polls say so, so a tablet left open on the
alert list still signs out when idle, and once it has, the next poll takes
the screen to the sign-in page instead of leaving the list on it."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from hearth.accounts.middleware import LAST_ACTIVITY_KEY
from hearth.conftest import World
from hearth.core.tests.browser import needs_chromium

pytestmark = needs_chromium

POLL_SECONDS = 1  # HEARTH_ALERT_LIST_REFRESH_SECONDS, set below (15 by default)


def _is_poll(request: Any) -> bool:
    return request.headers.get("hx-request") == "true" and "/alerts/" in request.url


def test_the_alert_lists_polls_do_not_keep_an_idle_tablet_signed_in(
    phone_of: Any, world: World, settings: Any
) -> None:
    settings.HEARTH_ALERT_LIST_REFRESH_SECONDS = POLL_SECONDS
    phone = phone_of(world.nurse)
    phone.goto(phone.base_url + "/alerts/")
    with phone.expect_request(_is_poll, timeout=(POLL_SECONDS + 10) * 1000) as first:
        pass
    assert first.value.headers.get("x-hearth-background") == "refresh"

    # Nobody has touched the tablet for longer than the idle limit.
    session_key = next(c["value"] for c in phone.context.cookies() if c["name"] == "sessionid")
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    store[LAST_ACTIVITY_KEY] = time.time() - 60 * (settings.HEARTH_STAFF_IDLE_MINUTES + 1)
    store.save()
    phone.wait_for_url("**/accounts/login/**", timeout=(POLL_SECONDS + 10) * 1000)
    assert "Alerts" not in phone.locator("main").inner_text()
