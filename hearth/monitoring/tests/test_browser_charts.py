"""The symptom charts on a 360 × 740 phone in Debian's Chromium: every image
fits its card, its text is shown at 12 px or more, nothing scrolls sideways,
and each drawn chart has its table of numbers behind "Show the numbers"."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest

from hearth.assessments import services as assessments
from hearth.conftest import World
from hearth.core import charts as kit
from hearth.core import clock
from hearth.core.tests.browser import needs_chromium
from hearth.monitoring import services

pytestmark = needs_chromium


def _history(world: World) -> None:
    for days_ago, pain, breath in ((6, 3, 2), (5, 4, None), (2, 6, 3), (1, 7, 4)):
        answers = {"pain": pain, "tiredness": 5, "shortness_of_breath": breath}
        with clock.travel_to(clock.now() - timedelta(days=days_ago)):
            services.record_check_in(
                actor=world.family,
                patient=world.patient,
                esas={key: value for key, value in answers.items() if value is not None},
            )
    assessments.record_assessment(
        actor=world.nurse, patient=world.patient, instrument="pps", answers={"level": 50}
    )


@pytest.mark.django_db(transaction=True)
def test_the_charts_fit_a_small_phone_with_readable_text_and_their_numbers(
    phone_of: Any, world: World
) -> None:
    _history(world)
    page = phone_of(world.nurse)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base_url}/patients/{world.patient.external_id}/symptoms/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    images = page.locator("img.chart-image")
    # Pain, tiredness, shortness of breath and PPS.
    assert images.count() == 4
    for index in range(images.count()):
        size = images.nth(index).evaluate(
            "img => ({shown: img.getBoundingClientRect().width, drawn: img.naturalWidth,"
            " right: img.getBoundingClientRect().right, card: img.closest('.card')"
            ".getBoundingClientRect().right})"
        )
        assert size["right"] <= size["card"]
        # The text inside is FONT px at the drawn width: at least 12 px as shown.
        assert kit.FONT * size["shown"] / size["drawn"] >= 12
        assert images.nth(index).get_attribute("alt")
    tables = page.locator("figure.chart details.chart-numbers table")
    assert tables.count() == 4
    first = page.locator("figure.chart details.chart-numbers").first
    first.locator("summary").click()
    assert first.locator("tbody tr").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if os.environ.get("HEARTH_SCREENSHOTS"):
        page.screenshot(path=os.environ["HEARTH_SCREENSHOTS"], full_page=True)
