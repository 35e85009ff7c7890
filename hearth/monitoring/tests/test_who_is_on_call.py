"""Who is on call now, at the top of the roster, the alerts page and the staff
home; the coordinator and the clinical lead are warned days ahead of an
on-call slot with nobody in it (hazard S24); the alerts list refreshes itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.monitoring import queries, services


def _shift(
    world: World, role: str, staff: Any, starts: timedelta, ends: timedelta, now: Any
) -> None:
    services.add_on_call_shift(
        actor=world.coordinator, role=role, staff=staff, starts_at=now + starts, ends_at=now + ends
    )


START = timedelta(hours=-1)
DAY = timedelta(days=1)


def _cover_everything_but_physicians_at_the_weekend(world: World) -> None:
    """Day-long shifts for eight days; no physician on days 3 and 4."""
    now = clock.now()
    for day in range(8):
        begins = START + day * DAY
        _shift(world, "nurse", world.nurse, begins, begins + DAY, now)
        _shift(world, "clinical_lead", world.clinical_lead, begins, begins + DAY, now)
        if day not in (3, 4):
            _shift(world, "physician", world.physician, begins, begins + DAY, now)


def test_who_is_on_call_now_shows_on_the_roster_the_alerts_page_and_the_staff_home(
    active: World, client_for: Any
) -> None:
    _cover_everything_but_physicians_at_the_weekend(active)
    page = client_for(active.nurse)
    for url in ("/on-call/", "/alerts/", "/patients/"):
        html = page.get(url).content.decode()
        assert "On call now" in html, url
        assert "Physician on call: Dr Team" in html, url
        assert 'href="tel:+44 1"' in html, url


def test_a_role_with_nobody_now_says_so(active: World, client_for: Any) -> None:
    now = queries.on_call_now()
    assert [slot.shift for slot in now] == [None, None, None]
    html = client_for(active.nurse).get("/alerts/").content.decode()
    assert "nobody" in html


def test_a_weekend_without_a_physician_is_found_days_ahead(active: World) -> None:
    _cover_everything_but_physicians_at_the_weekend(active)
    gaps = queries.on_call_gaps(days=7)
    assert [(gap.role, gap.ends_at - gap.starts_at) for gap in gaps] == [("physician", 2 * DAY)]
    assert abs(gaps[0].starts_at - (clock.now() + START + 3 * DAY)) < timedelta(minutes=1)


def test_the_warning_window_is_a_setting(active: World, settings: Any) -> None:
    _cover_everything_but_physicians_at_the_weekend(active)
    settings.HEARTH_ON_CALL_GAP_WARNING_DAYS = 2
    assert queries.on_call_gaps() == []


def test_cancelling_a_shift_opens_a_gap(active: World) -> None:
    _cover_everything_but_physicians_at_the_weekend(active)
    shift = queries.on_call_roster(days=8).filter(role="nurse").last()
    assert shift is not None
    services.cancel_on_call_shift(actor=active.coordinator, shift=shift)
    assert any(gap.role == "nurse" for gap in queries.on_call_gaps())


def test_the_coordinator_and_the_clinical_lead_see_the_gap_warning_others_do_not(
    active: World, client_for: Any
) -> None:
    _cover_everything_but_physicians_at_the_weekend(active)
    for person in (active.coordinator, active.clinical_lead):
        for url in ("/on-call/", "/patients/"):
            html = client_for(person).get(url).content.decode()
            assert "Gaps in the on-call roster" in html, (person, url)
            assert "Physician on call: nobody from" in html
    assert (
        "Gaps in the on-call roster"
        not in client_for(active.nurse).get("/on-call/").content.decode()
    )


def test_the_alerts_list_polls_every_15_seconds_and_a_poll_returns_only_the_list(
    active: World, client_for: Any
) -> None:
    page = client_for(active.nurse)
    html = page.get("/alerts/").content.decode()
    assert 'hx-trigger="every 15s"' in html
    assert "htmx" in html and "<script>" not in html
    services.record_check_in(actor=active.family, patient=active.patient, help_requested=True)
    fragment = page.get("/alerts/?status=open", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="alert-list"')
    assert "Alice Able" in fragment
    assert "<html" not in fragment
