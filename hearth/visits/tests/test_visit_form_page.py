"""The visit page as a nurse uses it (issue 20): "Left" is not filled in
before it happens, one note box, ACVPU and supplemental oxygen complete the
visit's NEWS2, and the PPS recorded at the visit is in its summary."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.urls import reverse

from hearth.conftest import World
from hearth.core import clock
from hearth.visits import services
from hearth.visits.models import Visit, VisitNote

from .conftest import home_visit

FULL_SIGNS = {
    "actions_taken": "Checked pain; changed the dressing.",
    "pulse": "96",
    "systolic_pressure": "105",
    "diastolic_pressure": "70",
    "respiratory_rate": "22",
    "temperature": "37.2",
    "oxygen_saturation": "95",
}


def _page(client: Any, visit: Visit) -> str:
    response = client.get(reverse("visit_record", args=[visit.external_id]))
    assert response.status_code == 200
    return response.content.decode()


def _close(client: Any, visit: Visit, **fields: str) -> Any:
    return client.post(reverse("visit_close", args=[visit.external_id]), fields)


def test_left_is_empty_when_the_page_loads_and_empty_means_now(
    active: World, client_for: Any
) -> None:
    visit = home_visit(active, start="00:01")
    nurse = client_for(active.nurse)
    page = _page(nurse, visit)
    left = re.search(r'<input[^>]*name="departed_at"[^>]*>', page)
    assert left is not None and "value=" not in left.group(0)
    # The page was opened, then the nurse arrived: closing with "Left" empty works.
    arrived = nurse.post(reverse("visit_arrive", args=[visit.external_id]), {"at": ""})
    assert arrived.status_code == 302
    closed = _close(nurse, visit, departed_at="", **FULL_SIGNS)
    assert closed.status_code == 302, closed.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.status == "completed"
    assert visit.arrived_at is not None and visit.departed_at is not None
    assert visit.departed_at > visit.arrived_at


def test_a_visit_with_acvpu_and_oxygen_has_a_complete_news2_in_its_summary(
    active: World, client_for: Any
) -> None:
    visit = home_visit(active, start="00:01")
    services.arrive(actor=active.nurse, visit=visit, at=clock.now() - timedelta(minutes=20))
    nurse = client_for(active.nurse)
    response = _close(
        nurse,
        visit,
        consciousness="alert",
        supplemental_oxygen="yes",
        pps="50",
        **FULL_SIGNS,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.consciousness == "alert" and visit.supplemental_oxygen is True
    result = visit.news2()
    # RR 22 → 2, SpO2 95 → 1, oxygen → 2, SBP 105 → 1, pulse 96 → 1, alert → 0, 37.2 → 0.
    assert not result.partial and result.total == 7
    page = _page(nurse, visit)
    assert "<strong>7</strong> (high)" in page
    assert "Supplemental oxygen" in page and "Alert" in page
    assert "50%" in page  # the PPS recorded at the visit


def test_without_acvpu_and_oxygen_the_news2_says_it_is_partial(
    active: World, client_for: Any
) -> None:
    visit = home_visit(active, start="00:01")
    services.arrive(actor=active.nurse, visit=visit, at=clock.now() - timedelta(minutes=20))
    nurse = client_for(active.nurse)
    assert _close(nurse, visit, **FULL_SIGNS).status_code == 302
    visit.refresh_from_db()
    assert visit.news2().partial
    page = _page(nurse, visit)
    assert "Partial: 5 from 5 of 7 parameters" in page
    assert "air or oxygen, consciousness (ACVPU)" in page


def test_an_unknown_acvpu_is_refused_by_field(active: World, client_for: Any) -> None:
    visit = home_visit(active, start="00:01")
    services.arrive(actor=active.nurse, visit=visit, at=clock.now() - timedelta(minutes=20))
    response = _close(client_for(active.nurse), visit, consciousness="sleepy", **FULL_SIGNS)
    assert response.status_code == 422
    visit.refresh_from_db()
    assert visit.status == "under_way"


def test_an_open_visit_has_one_note_box_that_keeps_the_closing_boxes(
    active: World, client_for: Any
) -> None:
    visit = home_visit(active, start="00:01")
    services.arrive(actor=active.nurse, visit=visit, at=clock.now() - timedelta(minutes=20))
    nurse = client_for(active.nurse)
    page = _page(nurse, visit)
    assert page.count('<textarea name="text"') == 1 and 'name="notes"' not in page
    saved = nurse.post(
        reverse("visit_note", args=[visit.external_id]),
        {"text": "Daughter worried about the nights.", "pulse": "88"},
    )
    assert saved.status_code == 200
    assert VisitNote.objects.filter(visit=visit, text__startswith="Daughter").exists()
    assert re.search(
        r'name="pulse"[^>]*value="88"|value="88"[^>]*name="pulse"', saved.content.decode()
    )
    closed = _close(nurse, visit, text="Settled at the end.", **FULL_SIGNS)
    assert closed.status_code == 302
    assert list(
        VisitNote.objects.filter(visit=visit).values_list("text", flat=True).order_by("id")
    ) == [
        "Daughter worried about the nights.",
        "Settled at the end.",
    ]
