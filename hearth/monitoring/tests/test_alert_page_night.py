"""The alert page as the nurse on call reads it at 3 a.m. on a phone: who to
phone, where to go, the emergency summary, as-needed medicines, the latest
symptoms and NEWS2, and acknowledge + triage in two taps."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.monitoring import services
from hearth.monitoring.models import Alert
from hearth.patients.models import CaregiverLink, Patient


def _on_call_alert(world: World) -> Alert:
    services.add_on_call_shift(
        actor=world.coordinator,
        role="nurse",
        staff=world.outsider_nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=8),
    )
    CaregiverLink.objects.filter(user=world.family).update(phone="+44 7700 900123")
    services.record_check_in(
        actor=world.family,
        patient=world.patient,
        help_requested=True,
        esas={"pain": 8, "tiredness": 5},
    )
    # A severe pain score raises its own alert as well; the help call is the one paged.
    return Alert.objects.get(rule="help_requested")


def test_the_first_screen_has_the_phones_the_map_and_the_latest_symptoms(
    active: World, client_for: Any
) -> None:
    alert = _on_call_alert(active)
    html = client_for(active.outsider_nurse).get(f"/alerts/{alert.external_id}/").content.decode()
    patient = active.patient
    assert f'href="tel:{patient.phone_primary}"' in html
    assert 'href="tel:+44 7700 900123"' in html
    assert "https://www.openstreetmap.org/search?query=" in html
    assert "Emergency summary" in html
    assert "As-needed medicines" in html
    assert "Latest symptoms" in html and "<strong>8</strong>" in html
    # Acknowledge comes first, then the call, then the triage buttons.
    assert html.index("acknowledge-now") < html.index("call-now") < html.index("triage-now")
    assert 'name="outcome" value="advice_by_phone"' in html


def test_a_known_position_opens_the_map_at_the_point(active: World, client_for: Any) -> None:
    alert = _on_call_alert(active)
    Patient.objects.filter(pk=active.patient.pk).update(
        latitude=Decimal("51.5"), longitude=Decimal("-0.1")
    )
    html = client_for(active.outsider_nurse).get(f"/alerts/{alert.external_id}/").content.decode()
    assert "https://www.openstreetmap.org/?mlat=51.5" in html


def test_acknowledge_and_triage_in_two_taps_from_the_alert_page(
    active: World, client_for: Any
) -> None:
    alert = _on_call_alert(active)
    page = client_for(active.outsider_nurse)
    url = f"/alerts/{alert.external_id}/"
    assert page.post(url + "acknowledge/").status_code == 302
    response = page.post(url + "triage/", {"outcome": "advice_by_phone", "note": ""})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.triage_outcome) == ("acknowledged", "advice_by_phone")
    assert alert.acknowledged_by == active.outsider_nurse


def test_no_action_from_the_alert_page_still_needs_a_reason(active: World, client_for: Any) -> None:
    alert = _on_call_alert(active)
    page = client_for(active.outsider_nurse)
    response = page.post(f"/alerts/{alert.external_id}/triage/", {"outcome": "no_action"})
    assert response.status_code in (400, 422)
    alert.refresh_from_db()
    assert alert.triage_outcome == ""


def test_the_page_takes_a_fixed_number_of_queries(
    active: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    alert = _on_call_alert(active)
    page = client_for(active.outsider_nurse)
    # 39 today; NEWS2 from home readings adds one look-up per parameter on SQLite.
    with django_assert_max_num_queries(50):
        assert page.get(f"/alerts/{alert.external_id}/").status_code == 200


def test_someone_who_cannot_open_the_record_sees_no_phones(active: World, client_for: Any) -> None:
    alert = _on_call_alert(active)
    for each in Alert.objects.open():
        services.triage_alert(actor=active.outsider_nurse, alert=each, outcome="advice_by_phone")
        services.resolve_alert(actor=active.outsider_nurse, alert=each, note="Settled")
    response = client_for(active.outsider_nurse).get(f"/alerts/{alert.external_id}/")
    assert response.status_code == 200
    assert "tel:+44 7700 900123" not in response.content.decode()


def test_an_urgent_push_vibrates_and_stays_until_tapped(client_for: Any) -> None:
    text = client_for(None).get("/sw.js").content.decode()
    assert "requireInteraction: urgent" in text
    assert "options.vibrate" in text
    assert "renotify: Boolean(tag)" in text
