"""A volunteer at the door, on a phone (Debian's Chromium, Playwright,
390×844): from their own page one tap opens the brief; who to call is on the
first screen with a number to tap; nothing is wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.tests.browser import above_the_fold, needs_chromium
from hearth.medications.tests.conftest import seeded_formulary  # noqa: F401 - a fixture

from .test_brief import _fill_the_record, _volunteer_on_assignment

pytestmark = needs_chromium


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
    assert above_the_fold(phone, "a.brief-phone")
    assert phone.locator("a.brief-phone").first.get_attribute("href") == "tel:+44 20 7946 0000"
    text = phone.locator("article.volunteer-brief").inner_text()
    assert "Oxygen in the home" in text and "Key safe by the back door" in text
    assert "Lung cancer" not in phone.content() and "Morphine" not in phone.content()
    # The record itself is not there for them.
    response = phone.goto(f"{phone.base_url}/patients/{world.patient.external_id}/")
    assert response.status == 404
