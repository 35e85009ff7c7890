"""Every list the JSON API gives answers 200 for every demo patient.

The demo's patients between them have every kind of record (phases, alerts,
medicines, equipment, bereavement, volunteers...), so a value that cannot be
put in its schema (the lazy "phase" label that made ``GET /api/v1/patients`` a
500 for every role) shows up here. The routes are found by walking the API.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hearth.accounts.models import User
from hearth.assessments.models import PhaseOfIllness
from hearth.demo.tests.api_routes import Route, list_routes
from hearth.medications.models import StockHolding
from hearth.patients.models import Patient
from hearth.personhood.choices import Section

pytestmark = pytest.mark.usefixtures("seeded_demo")

#: Who reads the lists: the coordinator sees every patient; the clinical lead
#: reads the few lists kept from coordinators (wellbeing summary, commission,
#: emergency access); the nurse has a staff day of her own; the administrator
#: reads the audit trail.
READERS = ("coord.lewis", "dr.okafor", "nurse.brennan", "admin.kaur")


def _is_a_list(body: Any) -> bool:
    """A bare list, or a page of one (``{"items": [...], "next": url or null}``)."""
    if isinstance(body, dict):
        return isinstance(body.get("items"), list) and "next" in body
    return isinstance(body, list)


def _client(username: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(User.objects.get(username=username))
    return client


def _urls(route: Route, patient: Patient | None) -> list[str]:
    """The route's URLs for one patient (or none): one per controlled drug
    held at their home when the route names a formulation, else one."""
    values = {
        "patient_id": patient.external_id if patient else None,
        "staff_id": User.objects.get(username="nurse.brennan").external_id,
        "section": Section.values[0],
    }
    if "formulation_id" not in route.parameters:
        return [route.url(values)]
    held = StockHolding.objects.filter(patient=patient).values_list(
        "formulation__external_id", flat=True
    )
    return [route.url({**values, "formulation_id": formulation}) for formulation in held]


@pytest.mark.parametrize("route", list_routes(), ids=lambda route: route.path)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_answers_every_list_for_every_patient(route: Route, language: str) -> None:
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) >= 7
    urls = [
        url
        for patient in (patients if "patient_id" in route.parameters else [None])
        for url in _urls(route, patient)
    ]
    assert urls, "no demo patient has what this route lists"
    clients = [_client(name, language) for name in READERS]
    for url in urls:
        answers = {}
        for name, client in zip(READERS, clients, strict=True):
            response = client.get(url)
            assert response.status_code < 500, (name, url, response.content[:500])
            answers[name] = response
        readable = [response for response in answers.values() if response.status_code == 200]
        assert readable, (url, {name: r.status_code for name, r in answers.items()})
        assert all(_is_a_list(response.json()) for response in readable)


def test_the_worklist_shows_the_phase_of_illness_to_every_role() -> None:
    """The regression itself: a current phase made the worklist a 500."""
    with_phase = set(
        PhaseOfIllness.objects.current().values_list("patient__external_id", flat=True)
    )
    assert with_phase
    for username in ("coord.lewis", "dr.okafor", "nurse.brennan", "family.hassan"):
        response = _client(username, "en").get("/api/v1/patients")
        assert response.status_code == 200, (username, response.content[:300])
    rows = _client("coord.lewis", "ru").get("/api/v1/patients?limit=500").json()["items"]
    phases = [row["columns"]["phase"] for row in rows if row["id"] in {str(i) for i in with_phase}]
    assert phases and all(isinstance(phase, str) and phase for phase in phases)


#: Lists that a read itself adds to: the audit trail records each reading of
#: it, so two readings never show the same rows.
GROWS_WHEN_READ = {"/patients/{patient_id}/audit"}


def _paged_routes() -> list[Route]:
    return [route for route in list_routes() if route.paged and route.path not in GROWS_WHEN_READ]


def _walk(client: Client, url: str, stop_after: int) -> list[Any]:
    """The items of every page from ``url`` on, until ``next`` is null or
    ``stop_after`` items were read."""
    items: list[Any] = []
    next_url: str | None = url
    while next_url and len(items) < stop_after:
        response = client.get(next_url)
        assert response.status_code == 200, (next_url, response.content[:300])
        body = response.json()
        assert set(body) == {"items", "next"}, body.keys()
        items += body["items"]
        next_url = body["next"]
    return items


@pytest.mark.parametrize("route", _paged_routes(), ids=lambda route: route.path)
def test_following_next_reads_the_same_rows_as_one_long_page(route: Route) -> None:
    """Each paged list, read a few rows a page, gives the rows of one long
    page in the same order, none repeated or lost: the ordering is unique and
    the cursor keeps its place (for the first demo patient and reader with at
    least two rows; the list's own filters stay in ``next``)."""
    patients = list(Patient.objects.order_by("pk")) if "patient_id" in route.parameters else [None]
    clients = [_client(name, "en") for name in READERS]
    for url in (url for patient in patients for url in _urls(route, patient)):
        for client in clients:
            whole = client.get(url, {"limit": 500})
            if whole.status_code != 200 or len(whole.json()["items"]) < 2:
                continue
            rows = whole.json()["items"]
            limit = max(1, len(rows) // 4)
            walked = _walk(client, f"{url}?limit={limit}", stop_after=len(rows))
            assert walked[: len(rows)] == rows
            return
    pytest.skip("no demo reader has two rows of this list")
