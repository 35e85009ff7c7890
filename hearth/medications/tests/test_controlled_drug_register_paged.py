"""A controlled drug's register at home is read whole, a page at a time, on the
page and in the API; the register's summary shows only each drug's newest
entries and says how many there are (issue 21: it used to read every entry
of every drug and keep the newest 50 without a word)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hearth.medications import queries
from hearth.medications.models import Formulation
from hearth.medications.tests.conftest import formulation
from hearth.medications.tests.test_administration import at
from hearth.medications.tests.test_controlled_drugs import stock


@pytest.fixture
def solution() -> Formulation:
    return formulation("Morphine", "oral", "10 mg/5 ml")


def counted(world: Any, item: Formulation, times: int) -> list[str]:
    """A delivery, then a count every ten minutes: the entries' ids, newest first."""
    ids = [str(stock(world, item, "received", "100", when=at(0, "06:00")).external_id)]
    for n in range(times):
        when = at(0, f"{7 + n // 6:02d}:{n % 6 * 10:02d}")
        ids.append(str(stock(world, item, "counted", "100", when=when).external_id))
    return ids[::-1]


def test_the_register_keeps_the_newest_entries_and_says_how_many_there_are(
    active: Any, solution: Formulation
) -> None:
    ids = counted(active, solution, 14)
    (line,) = queries.controlled_drug_register(active.patient, entries=5)
    assert [str(entry.external_id) for entry in line.entries] == ids[:5]
    assert line.total_entries == 15


def test_the_register_reads_the_same_queries_however_long_it_is(
    active: Any, solution: Formulation
) -> None:
    counted(active, solution, 2)
    with CaptureQueriesContext(connection) as short:
        queries.controlled_drug_register(active.patient)
    counted(active, formulation("Oxycodone", "oral", "5 mg/5 ml"), 12)
    with CaptureQueriesContext(connection) as long:
        morphine, oxycodone = queries.controlled_drug_register(active.patient, entries=4)
    assert len(long) == len(short)
    assert (len(morphine.entries), morphine.total_entries) == (3, 3)
    assert (len(oxycodone.entries), oxycodone.total_entries) == (4, 13)


@override_settings(HEARTH_PAGE_SIZE=5)
def test_the_page_links_to_the_whole_register_which_pages_through_every_entry(
    active: Any, solution: Formulation, client_for: Any
) -> None:
    ids = counted(active, solution, 24)  # 25 entries: more than the 20 shown
    browser = client_for(active.nurse)
    patient = active.patient.external_id
    summary = browser.get(f"/patients/{patient}/medicines/controlled-drugs/").content.decode()
    assert ids[19] in summary and ids[20] not in summary
    whole = f"/patients/{patient}/medicines/controlled-drugs/{solution.external_id}/"
    assert whole in summary and "25 entries" in summary
    first = browser.get(whole).content.decode()
    assert ids[0] in first and ids[4] in first and ids[5] not in first
    assert "?page=2" in first
    last = browser.get(whole + "?page=5").content.decode()
    assert ids[24] in last and ids[19] not in last
    assert browser.get(whole + "?page=none").status_code == 400
    unknown = formulation("Oxycodone", "oral", "5 mg/5 ml")
    missing = f"/patients/{patient}/medicines/controlled-drugs/{unknown.external_id}/"
    assert browser.get(missing).status_code == 404
    outsider = client_for(active.outsider_nurse).get(whole)  # not on their caseload
    assert outsider.status_code == 302 and outsider.url.endswith("/emergency-access/")


def test_the_api_follows_next_through_one_drugs_whole_register_once_each(
    active: Any, solution: Formulation, client_for: Any
) -> None:
    ids = counted(active, solution, 24)
    api = client_for(active.nurse)
    patient = active.patient.external_id
    (line,) = api.get(f"/api/v1/patients/{patient}/controlled-drugs").json()
    assert line["total_entries"] == 25
    assert [entry["id"] for entry in line["entries"]] == ids[:20]
    route = f"/api/v1/patients/{patient}/controlled-drugs/{solution.external_id}/entries"
    url: str | None = route + "?limit=7"
    seen: list[str] = []
    while url:
        body = api.get(url).json()
        seen += [entry["id"] for entry in body["items"]]
        url = body["next"]
    assert seen == ids
    assert api.get(route + "?cursor=nonsense").status_code == 400
    unknown = formulation("Oxycodone", "oral", "5 mg/5 ml")
    missing = f"/api/v1/patients/{patient}/controlled-drugs/{unknown.external_id}/entries"
    assert api.get(missing).status_code == 404
    assert client_for(active.outsider_nurse).get(route).status_code == 403
