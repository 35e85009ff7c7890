"""A person's past visits are read a page at a time on the page and in the
API, never cut off silently (issue 21: a year in care is hundreds of visits)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings

from hearth.conftest import World
from hearth.core import clock
from hearth.visits.tests.conftest import home_visit


def _past_visits(world: World, count: int) -> list[str]:
    """``count`` completed visits, one a day before today, newest first."""
    return [
        str(
            home_visit(
                world, day=clock.today() - timedelta(days=days), status="completed"
            ).external_id
        )
        for days in range(1, count + 1)
    ]


@override_settings(HEARTH_PAGE_SIZE=5)
def test_the_visits_page_pages_through_every_past_visit(active: World, client_for: Any) -> None:
    ids = _past_visits(active, 12)
    home_visit(active)  # today's, still ahead: not a past visit
    browser = client_for(active.nurse)
    url = f"/patients/{active.patient.external_id}/visits/"
    first = browser.get(url).content.decode()
    assert ids[0] in first and ids[4] in first and ids[5] not in first
    assert "?page=2" in first
    last = browser.get(url + "?page=3").content.decode()
    assert ids[11] in last and ids[9] not in last
    assert browser.get(url + "?page=two").status_code == 400


def test_the_api_follows_next_to_the_oldest_past_visit_once_each(
    active: World, client_for: Any
) -> None:
    ids = _past_visits(active, 7)
    api = client_for(active.nurse)
    url: str | None = f"/api/v1/patients/{active.patient.external_id}/visits/past?limit=3"
    seen: list[str] = []
    while url:
        body = api.get(url).json()
        seen += [visit["id"] for visit in body["items"]]
        url = body["next"]
    assert seen == ids
    refused = api.get(f"/api/v1/patients/{active.patient.external_id}/visits/past?cursor=nonsense")
    assert refused.status_code == 400
    outsider = client_for(active.outsider_nurse)
    assert (
        outsider.get(f"/api/v1/patients/{active.patient.external_id}/visits/past").status_code
        == 403
    )
