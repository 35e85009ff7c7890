"""The page shell on a phone, in Debian's Chromium (issue 20): no page scrolls
sideways at 360×740, the menu is one short bar, a refusal is on the first
screen and focused, the alert count refreshes by itself, the skip link comes
first, and dark mode and reduced motion follow the system."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.tests.browser import PHONE_SCREEN, above_the_fold, needs_chromium
from hearth.directory import services as directory
from hearth.medications import services as medicines
from hearth.medications.tests.conftest import (
    CONFIRMED,
    formulary,
    formulation,
    new_key,
    seeded_formulary,  # noqa: F401 (a fixture the tests below use)
)
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import Alert
from hearth.personhood import services as personhood

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
#: A long word with no place to break, as people type them (a web address).
UNBROKEN = "https://www.example.org/benefits/attendance-allowance/how-to-claim-step-by-step"


def as_needed_morphine(world: World) -> Any:
    return medicines.prescribe(
        actor=world.physician,
        patient=world.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
        kind="as_needed",
        dose="2.5",
        indication="breathlessness",
        instructions="With the oral syringe. Sit him up and open the window first.",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )


def a_full_record(world: World) -> dict[str, Any]:
    """Patient A with what made the four pages of the issue overflow: controlled
    medicines with long instructions, a next step with a long address and list
    of languages, a profile in the person's own long words, and an open alert."""
    prn = as_needed_morphine(world)
    medicines.prescribe(
        actor=world.physician,
        patient=world.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
        kind="regular",
        dose="20",
        times=["08:00", "20:00"],
        indication="pain (a low regular dose to ease breathlessness at night)",
        instructions="Swallow whole with water; do not crush. " + UNBROKEN,
        confirmation_reason=CONFIRMED,
    )
    medicines.record_administration(
        actor=world.nurse,
        order=prn,
        idempotency_key=new_key(),
        outcome="given",
        dose="2.5",
        route="oral",
    )
    entry = directory.create_entry(
        actor=world.coordinator,
        category="paperwork",
        topic="benefits",
        name="Citizens Advice: benefits and attendance allowance for carers",
        organisation="Citizens Advice Camden and Islington",
        description="Free help with benefit forms. " + UNBROKEN,
        how_to="Phone first; bring the letter from the GP and the medicines list.",
        regions=["all"],
        address="Flat 12, Wedgwood House, 144 Kensington Church Street, London W8 4BH",
        phone="0808 555 0107",
        email="attendance.allowance.helpline@citizensadvice.example.org",
        website=UNBROKEN,
        opening_hours="Mon–Fri 8:00–20:00",
        languages=["en", "ru", "ar", "ur", "bn", "pl"],
        faiths_served=[],
    )
    directory.add_next_step(
        actor=world.social_worker,
        patient=world.patient,
        entry=entry,
        note="Call them on Monday to ask for the attendance allowance form. " + UNBROKEN,
    )
    world.personal_care(drafts=False)
    personhood.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="values",
        changes={
            "what_matters_most": (
                "Tatiana, his wife of more than fifty years; his grandchildren; the "
                "allotment he kept until last spring. " + UNBROKEN
            ),
            "good_day": "Tea with lemon at the window, the radio, Tatiana reading aloud.",
            "fears_and_worries": "Not to die in intensive care “with tubes”.",
        },
    )
    monitoring.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    return {"prn": prn, "alert": Alert.objects.get()}


@pytest.mark.usefixtures("seeded_formulary")
def test_no_page_scrolls_sideways_on_a_small_phone(phone_of: Any, world: World) -> None:
    made = a_full_record(world)
    patient = world.patient.external_id
    staff_pages = [
        "/patients/",
        f"/patients/{patient}/",
        f"/patients/{patient}/medicines/",
        f"/patients/{patient}/next-steps/",
        f"/patients/{patient}/profile/",
        "/alerts/",
        f"/alerts/{made['alert'].external_id}/",
    ]
    family_pages = ["/portal/", "/portal/medicines/", "/portal/next-steps/", "/portal/profile/"]
    for user, paths in ((world.nurse, staff_pages), (world.family, family_pages)):
        phone = phone_of(user)
        phone.set_viewport_size(SMALL_PHONE)
        for language in ("en", "ru"):
            phone.context.add_cookies(
                [{"name": "django_language", "value": language, "url": phone.base_url}]
            )
            for path in paths:
                response = phone.goto(phone.base_url + path)
                assert response is not None and response.status == 200, path
                assert phone.evaluate(FITS), (language, path, widest(phone))
    # The controlled-drug badge is a small label beside the name, not a giant oval.
    phone = phone_of(world.nurse)
    phone.set_viewport_size(SMALL_PHONE)
    phone.goto(f"{phone.base_url}/patients/{patient}/medicines/")
    badge = phone.locator("td .badge", has_text="controlled").first.bounding_box()
    assert badge is not None and badge["height"] < 30 and badge["width"] < 120


def widest(phone: Any) -> list[str]:
    """What sticks out on the right, to say why a page overflows."""
    return list(
        phone.evaluate(
            """() => [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' +
                (el.textContent || '').trim().slice(0, 40))"""
        )
    )


@pytest.mark.usefixtures("seeded_formulary")
def test_a_refused_dose_is_on_the_first_screen_and_focused(phone_of: Any, world: World) -> None:
    prn = as_needed_morphine(world)
    medicines.record_administration(
        actor=world.nurse,
        order=prn,
        idempotency_key=new_key(),
        outcome="given",
        dose="2.5",
        route="oral",
    )
    phone = phone_of(world.nurse)
    assert phone.viewport_size == PHONE_SCREEN
    phone.goto(f"{phone.base_url}/patients/{world.patient.external_id}/medicines/give/")
    phone.click("form.card button[type=submit]")
    phone.wait_for_load_state()
    refusal = phone.locator("main .refusals")
    assert "Too soon" in refusal.inner_text()
    assert above_the_fold(phone, "main .refusals")
    assert phone.evaluate("document.activeElement.classList.contains('refusals')")
    assert refusal.get_attribute("role") == "alert"
    # Its link leads to the field it is about.
    refusal.locator("a").first.click()
    assert phone.evaluate("location.hash") == "#id_given_at"


def test_the_menu_is_one_short_bar_that_opens_and_closes(phone_of: Any, world: World) -> None:
    phone = phone_of(world.coordinator)
    phone.goto(phone.base_url + "/patients/")
    header = phone.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 110  # the page starts on the first screen
    for name in ("My patients", "Alerts", "My day"):
        link = phone.locator("nav.quick a", has_text=name)
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, name
    panel = phone.locator(".menu-panel")
    assert not panel.is_visible()
    phone.click("details.menu > summary")
    assert panel.is_visible()
    assert "plan the day" in panel.inner_text().lower() and "planning" in panel.inner_text().lower()
    for link in panel.locator("a").all():
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, link.inner_text()
    phone.keyboard.press("Escape")
    assert not panel.is_visible()
    assert phone.evaluate(FITS)


def test_the_skip_link_is_the_first_tab_and_lands_on_the_page(phone_of: Any, world: World) -> None:
    phone = phone_of(world.nurse)
    phone.goto(f"{phone.base_url}/patients/{world.patient.external_id}/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip-link"
    assert above_the_fold(phone, "a.skip-link")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "content"


def test_tap_targets_are_at_least_44_px(phone_of: Any, world: World) -> None:
    phone = phone_of(world.family)
    phone.goto(phone.base_url + "/portal/check-in/")
    cannot_cope = phone.locator("label", has=phone.locator("input[name=cannot_cope]"))
    box = cannot_cope.bounding_box()
    assert box is not None and box["height"] >= 44
    for selector in ("footer a.phone", "nav.quick a", "details.menu > summary"):
        for element in phone.locator(selector).all():
            box = element.bounding_box()
            assert box is not None and box["height"] >= 44, selector
    phone.click("details.menu > summary")
    for selector in ("#language", ".menu-panel button.link"):
        box = phone.locator(selector).bounding_box()
        assert box is not None and box["height"] >= 44, selector


def test_the_alert_count_refreshes_without_a_reload(
    phone_of: Any, world: World, settings: Any
) -> None:
    settings.HEARTH_ALERT_COUNT_REFRESH_SECONDS = 1
    phone = phone_of(world.nurse)
    phone.goto(phone.base_url + "/patients/")
    assert phone.locator("[data-alert-count]").get_attribute("data-alert-count") == "0"
    assert not phone.locator("[data-alert-count]").is_visible()  # no badge for none
    phone.evaluate("window.__samePage = true")
    monitoring.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    # (A locator, not wait_for_function: the Content-Security-Policy refuses eval.)
    phone.locator('[data-alert-count="1"]').wait_for(state="attached", timeout=10000)
    assert phone.evaluate("window.__samePage") is True  # no reload
    alerts = phone.locator("nav.quick a", has_text="Alerts")
    assert alerts.locator("[aria-hidden=true]").inner_text() == "1"  # for the eye
    assert alerts.inner_text().split() == ["Alerts", "1", "(1", "open)"]  # and read out
    news = phone.locator("[data-alert-count-news]")
    assert news.get_attribute("aria-live") == "polite"
    assert news.inner_text() == "1 open alert on your patients"


def _luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


COLOURS = """(selector) => {
  const element = document.querySelector(selector);
  let back = element;
  const clear = (el) => getComputedStyle(el).backgroundColor === 'rgba(0, 0, 0, 0)';
  while (back && clear(back)) back = back.parentElement;
  return [getComputedStyle(element).color, getComputedStyle(back || document.body).backgroundColor];
}"""


@pytest.mark.usefixtures("seeded_formulary")
def test_dark_mode_follows_the_system_with_readable_text(phone_of: Any, world: World) -> None:
    monitoring.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    phone = phone_of(world.nurse)
    phone.emulate_media(color_scheme="dark")
    phone.goto(phone.base_url + "/patients/")
    ink, background = phone.evaluate(COLOURS, "main h1")
    assert _luminance(background) < 0.05  # a dark page
    for selector in ("main h1", "nav.quick a", "footer", "footer a.phone", "a.brand"):
        ink, background = phone.evaluate(COLOURS, selector)
        assert contrast(ink, background) >= 4.5, (selector, ink, background)
    ink, background = phone.evaluate(COLOURS, ".alert-count")
    assert contrast(ink, background) >= 4.5
    phone.emulate_media(color_scheme="light")
    ink, background = phone.evaluate(COLOURS, "main h1")
    assert _luminance(background) > 0.8 and contrast(ink, background) >= 4.5


def test_reduced_motion_turns_transitions_off(phone_of: Any, world: World) -> None:
    phone = phone_of(world.nurse)
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(phone.base_url + "/alerts/")
    seconds = phone.evaluate(
        """() => { const probe = document.createElement('div');
        probe.className = 'htmx-indicator htmx-request'; document.body.append(probe);
        return parseFloat(getComputedStyle(probe).transitionDuration); }"""
    )
    assert seconds < 0.01
    assert phone.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
