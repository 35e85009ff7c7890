"""The referral form on a 360-px phone in Debian's Chromium: nothing scrolls
sideways, the fieldsets stack in one column (two on a desktop), the required
marker is explained, and a saved referral opens on its next step."""

from __future__ import annotations

import os
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.tests.browser import needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def test_the_referral_form_fits_a_small_phone(world: World, phone_of: Any) -> None:
    page = phone_of(world.coordinator)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/patients/refer/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".required-legend").is_visible()
    assert page.locator("fieldset.form-group").count() == 5
    boxes = [
        page.locator(selector).bounding_box() for selector in ("#id_given_name", "#id_family_name")
    ]
    assert boxes[0] and boxes[1] and boxes[1]["y"] > boxes[0]["y"]  # one column
    assert page.locator("#id_latitude").is_visible()  # no search set up: fallback open
    if os.environ.get("HEARTH_SCREENSHOTS"):
        page.screenshot(path=os.environ["HEARTH_SCREENSHOTS"] + "/referral-360.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    wide = [
        page.locator(selector).bounding_box() for selector in ("#id_given_name", "#id_family_name")
    ]
    assert wide[0] and wide[1] and wide[1]["y"] == wide[0]["y"]  # two columns


def test_a_referral_typed_on_a_phone_lands_on_its_next_step(world: World, phone_of: Any) -> None:
    page = phone_of(world.coordinator)
    page.goto(page.base_url + "/patients/refer/")
    page.fill("#id_given_name", "Nadia")
    page.fill("#id_family_name", "Petrova")
    page.fill("#id_date_of_birth", "1948-03-02")
    page.check("input[name=sex][value=female]")
    page.fill("#id_phone_primary", "+44 20 7946 0001")
    page.select_option("#id_preferred_language", "ru")
    page.fill("#id_address_line", "2 Garden Row")
    page.fill("#id_city", "London")
    page.fill("#id_icd10_code", "C50.9")
    page.fill("#id_diagnosis_text", "Breast cancer")
    page.select_option("#id_diagnosis_group", "cancer")
    page.fill("#id_reason", "Wishes to stay at home.")
    page.select_option("#id_urgency", "soon")
    page.select_option("#id_referrer_type", "gp")
    page.fill("#id_referrer_name", "Dr Who")
    page.click("form.card button[type=submit]:not([name])")
    page.wait_for_url("**/patients/*/")
    assert page.locator(".next-step").first.is_visible()
    assert "Record eligibility screening" in page.locator(".next-step").first.inner_text()
