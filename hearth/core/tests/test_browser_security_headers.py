"""The enforced Content-Security-Policy breaks nothing, in Debian's Chromium:
the key pages (staff and family, the Django admin, the sign-in page, the
charts) load with no violation reported by the browser, and the language
switch (a script from our static files, no inline handler) still works."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from hearth.accounts.models import User
from hearth.assessments import services as assessments
from hearth.conftest import World
from hearth.core import clock
from hearth.core.tests.browser import CHROMIUM, FLAGS, needs_chromium
from hearth.monitoring import services as monitoring

pytestmark = needs_chromium
# Every violation the page reports, collected before any of its own scripts run.
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Browser:
    def __init__(self, playwright_browser: Any, base_url: str) -> None:
        self.browser = playwright_browser
        self.base_url = base_url

    def open_as(self, user: User | None) -> tuple[Any, list[str]]:
        context = self.browser.new_context()
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": self.base_url,
                    }
                ]
            )
        context.add_init_script(LISTEN_FOR_VIOLATIONS)
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )
        return page, refused

    def visit(self, page: Any, refused: list[str], path: str) -> None:
        response = page.goto(f"{self.base_url}{path}")
        assert response is not None and response.status == 200, path
        assert "Content-Security-Policy" in {name.title() for name in response.headers}, path
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # reports are delivered asynchronously
        assert page.evaluate("window.__violations") == [], path
        assert refused == [], (path, refused)


@pytest.fixture
def browser(live_server: Any, monkeypatch: Any) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield Browser(chromium, live_server.url)
        chromium.close()
        connections.close_all()


def _with_charts(world: World) -> None:
    for days, pain in ((3, 2), (2, 5), (1, 7)):
        with clock.travel_to(clock.now() - timedelta(days=days)):
            monitoring.record_check_in(
                actor=world.family, patient=world.patient, esas={"pain": pain, "nausea": 1}
            )
    assessments.record_assessment(
        actor=world.nurse, patient=world.patient, instrument="pps", answers={"level": 50}
    )


@pytest.mark.django_db(transaction=True)
def test_key_pages_load_without_a_single_policy_violation(browser: Browser, world: World) -> None:
    world.bring_to("active")
    _with_charts(world)
    patient = world.patient.external_id
    superuser = User.objects.create_superuser(
        username="admin.root", password="a-long-password-1", email="root@example.org"
    )
    visits: list[tuple[User | None, list[str]]] = [
        (
            world.nurse,
            [
                "/",
                f"/patients/{patient}/",
                "/alerts/",
                f"/patients/{patient}/medicines/",
                f"/patients/{patient}/symptoms/",
                "/notifications/settings/",
                "/accounts/2fa/totp/activate/",
            ],
        ),
        (world.family, ["/portal/", "/portal/check-in/", "/portal/help/"]),
        (world.coordinator, ["/volunteers/", "/visits/dispatches/"]),
        (
            superuser,
            ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{world.nurse.pk}/change/"],
        ),
        (None, ["/accounts/login/", "/accounts/password/reset/", "/admin/login/", "/api/v1/docs"]),
    ]
    for user, paths in visits:
        page, refused = browser.open_as(user)
        for path in paths:
            browser.visit(page, refused, path)
            if path.endswith("/symptoms/"):
                # The charts are drawn: images that decoded, not broken ones.
                widths = page.eval_on_selector_all(
                    "img.chart-image", "images => images.map(image => image.naturalWidth)"
                )
                assert len(widths) == 3 and all(width > 0 for width in widths)
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_language_switch_still_works(browser: Browser, world: World) -> None:
    page, refused = browser.open_as(world.nurse)
    browser.visit(page, refused, "/patients/")
    assert page.get_attribute("html", "lang") == "en"
    page.click("details.menu > summary")  # signed in, the language is under "You" in the menu
    with page.expect_navigation():
        page.select_option("#language", "ru")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "ru"
    assert page.url.endswith("/patients/")
    assert page.evaluate("window.__violations") == [] and refused == []
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_day_plan_timeline_is_positioned_by_its_nonced_style_sheet(
    browser: Browser, world: World, settings: Any
) -> None:
    """The one page with computed positions: without the nonce'd style sheet
    every block would sit at the start of its lane."""
    from hearth.planning import planner
    from hearth.planning.tests.planning_world import MONDAY, at, planning_world

    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        planner.plan_day(actor=world.coordinator, date=MONDAY)
    page, refused = browser.open_as(world.coordinator)
    browser.visit(page, refused, f"/visits/plan/?date={built.day.isoformat()}")
    offsets = page.eval_on_selector_all(
        ".plan-lane .block, .plan-hours span", "nodes => nodes.map(node => node.offsetLeft)"
    )
    assert len(offsets) > 3
    assert sum(1 for offset in offsets if offset > 0) >= len(offsets) - 2
    page.context.close()
