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


@pytest.mark.parametrize("route", list_routes(), ids=lambda route: route.path)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_answers_every_list_for_every_patient(route: Route, language: str) -> None:
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) >= 7
    nurse = User.objects.get(username="nurse.brennan")
    ids = (
        [patient.external_id for patient in patients]
        if "patient_id" in route.parameters
        else [None]
    )
    clients = [_client(name, language) for name in READERS]
    for patient_id in ids:
        url = route.url(
            {"patient_id": patient_id, "staff_id": nurse.external_id, "section": Section.values[0]}
        )
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
