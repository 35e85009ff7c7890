"""At 3 a.m. on a phone (Debian's Chromium, Playwright, 390×844): the nurse on
call acknowledges and triages an alert in at most three taps from its page,
with the family's number on the first screen; the family pressing "We need
help now" sees the service number above the fold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.tests.browser import above_the_fold, needs_chromium
from hearth.monitoring import services
from hearth.monitoring.models import Alert
from hearth.notifications.models import ContactPoint

pytestmark = needs_chromium


@pytest.mark.django_db(transaction=True)
def test_the_nurse_on_call_acknowledges_and_triages_in_two_taps(
    phone_of: Any, world: World
) -> None:
    services.add_on_call_shift(
        actor=world.coordinator,
        role="nurse",
        staff=world.outsider_nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=8),
    )
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    alert = Alert.objects.get()
    phone = phone_of(world.outsider_nurse)
    phone.goto(f"{phone.base_url}/alerts/{alert.external_id}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Acknowledge, Call with the family's number, and the triage on the first screen.
    assert above_the_fold(phone, "button.acknowledge-now")
    assert above_the_fold(phone, "a.call-now")
    assert phone.locator("a.call-now").get_attribute("href") == f"tel:{world.patient.phone_primary}"
    taps = 0
    phone.click("button.acknowledge-now")
    taps += 1
    phone.wait_for_load_state()
    assert above_the_fold(phone, "form.triage-now button[value=advice_by_phone]")
    phone.click("form.triage-now button[value=advice_by_phone]")
    taps += 1
    phone.wait_for_load_state()
    assert "Triage recorded." in phone.content()
    alert.refresh_from_db()
    assert (alert.status, alert.triage_outcome, alert.acknowledged_by) == (
        "acknowledged",
        "advice_by_phone",
        world.outsider_nurse,
    )
    assert taps <= 3


@pytest.mark.django_db(transaction=True)
def test_the_family_sees_the_service_number_above_the_fold_after_pressing_help(
    phone_of: Any, world: World
) -> None:
    ContactPoint.objects.create(
        user=world.nurse,
        channel="email",
        address="nurse@example.org",
        created_at=clock.now(),
        verified_at=clock.now(),
    )
    phone = phone_of(world.family)
    phone.goto(phone.base_url + "/portal/")
    phone.click("text=We need help now")
    phone.wait_for_url("**/portal/help/")
    assert "The nurse on call has been told at" in phone.content()
    assert above_the_fold(phone, "a.service-phone")
    # htmx came from our own static files, so the status refreshes by itself.
    assert phone.evaluate("typeof window.htmx") == "object"
    assert phone.locator("a.service-phone").get_attribute("href", timeout=1000).startswith("tel:")
    assert Alert.objects.get().rule == "help_requested"
