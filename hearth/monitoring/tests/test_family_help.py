"""The family presses "We need help now" (portal home or check-in) and sees at
once who was told and when, then who saw it and what was decided (hazard S26)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.monitoring import services
from hearth.monitoring.models import Alert
from hearth.notifications.models import ContactPoint


def _nurse_reachable(world: World) -> None:
    ContactPoint.objects.create(
        user=world.nurse,
        channel="email",
        address="nurse@example.org",
        created_at=clock.now(),
        verified_at=clock.now(),
    )


def test_the_button_is_on_the_portal_home_and_one_tap_raises_the_alert(
    active: World, client_for: Any
) -> None:
    _nurse_reachable(active)
    family = client_for(active.family)
    home = family.get("/portal/").content.decode()
    assert 'action="/portal/help/"' in home and "We need help now" in home
    response = family.post("/portal/help/", {"idempotency_key": "tap-1"})
    assert response.status_code == 302 and response["Location"] == "/portal/help/"
    alert = Alert.objects.get()
    assert (alert.rule, alert.severity, alert.owner) == ("help_requested", "high", active.nurse)
    page = family.get("/portal/help/").content.decode()
    told_at = timezone.localtime(alert.raised_at).strftime("%H:%M")
    assert f"The nurse on call has been told at {told_at}." in page
    assert f'href="tel:{"+44 20 7946 0000"}"' in page or "service-phone" in page
    # A second tap with the same key creates nothing twice.
    family.post("/portal/help/", {"idempotency_key": "tap-1"})
    assert Alert.objects.count() == 1


def test_the_check_in_button_leads_to_the_same_status_page(active: World, client_for: Any) -> None:
    _nurse_reachable(active)
    response = client_for(active.family).post(
        "/portal/check-in/", {"help_now": "1", "idempotency_key": "k1"}
    )
    assert response["Location"] == "/portal/help/"


def test_the_family_sees_who_saw_it_and_what_was_decided(active: World, client_for: Any) -> None:
    _nurse_reachable(active)
    family = client_for(active.family)
    family.post("/portal/help/", {"idempotency_key": "tap-1"})
    alert = Alert.objects.get()
    services.acknowledge_alert(actor=active.nurse, alert=alert)
    page = family.get("/portal/help/", HTTP_HX_REQUEST="true").content.decode()
    alert.refresh_from_db()
    seen_at = timezone.localtime(alert.acknowledged_at).strftime("%H:%M")
    assert f"Seen by Nurse (Nurse) at {seen_at}." in page
    assert page.startswith('<section id="help-status"')
    services.triage_alert(actor=active.nurse, alert=alert, outcome="nurse_visit")
    assert "A nurse is coming to the home." in family.get("/portal/help/").content.decode()


def test_when_nobody_can_be_paged_the_family_is_told_to_phone_now(
    active: World, client_for: Any
) -> None:
    family = client_for(active.family)  # the nurse has no verified way to be reached
    family.post("/portal/help/", {"idempotency_key": "tap-1"})
    page = family.get("/portal/help/").content.decode()
    assert "Phone the service now" in page
    assert "nobody on call could be reached" in page
    assert "has been told at" not in page


def test_staff_and_strangers_do_not_press_the_familys_button(
    active: World, client_for: Any
) -> None:
    assert client_for(active.nurse).post("/portal/help/").status_code == 302
    assert client_for(active.other_family).get("/portal/help/").status_code == 200
    assert Alert.objects.filter(patient=active.patient).count() == 0


def test_the_status_page_speaks_the_familys_language(active: World, client_for: Any) -> None:
    active.family.preferred_language = "ru"
    active.family.save(update_fields=["preferred_language"])
    home = client_for(active.family).get("/portal/").content.decode()
    assert '<html lang="ru">' in home
    page = client_for(active.family).get("/portal/help/").content.decode()
    assert '<html lang="ru">' in page
