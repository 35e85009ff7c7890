"""The query-count table (NetBox's ``query_counts.json``, in code): every list
page and API list costs a pinned number of queries, the same with three times
the patients, alerts, readings and audit events. A change that adds a query
per row (an N+1) fails here, whatever the machine's speed; timings live in
``bench/``.

To re-pin after an intended change: run this file, read the measured counts
from the failure message, and update ``PINNED`` with the reason in the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.conftest import World, patient_details, referral_details
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import MonitoringDevice, Observation
from hearth.patients import services as patients
from hearth.patients.models import CareTeamAssignment, Patient


@dataclass(frozen=True)
class Listed:
    """One row of the table: a list, read by one role."""

    name: str
    role: str
    url: Callable[[World], str]


def _patient_path(world: World, tail: str) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/{tail}"


LISTS = [
    Listed("worklist", "coordinator", lambda w: reverse("worklist")),
    Listed("worklist", "nurse", lambda w: reverse("worklist")),
    Listed("alerts", "nurse", lambda w: reverse("alerts")),
    Listed(
        "audit_trail",
        "administrator",
        lambda w: reverse("audit_trail", args=[w.patient.external_id]),
    ),
    Listed("equipment_inventory", "coordinator", lambda w: reverse("equipment_inventory")),
    Listed("api:patients", "coordinator", lambda w: "/api/v1/patients"),
    Listed("api:patients", "nurse", lambda w: "/api/v1/patients"),
    Listed("api:alerts", "nurse", lambda w: "/api/v1/alerts"),
    Listed("api:observations", "nurse", lambda w: _patient_path(w, "observations")),
    Listed("api:timeline", "nurse", lambda w: _patient_path(w, "timeline")),
    Listed("api:audit", "administrator", lambda w: _patient_path(w, "audit")),
    Listed("api:equipment_items", "coordinator", lambda w: "/api/v1/equipment/items"),
]

#: (list, role) → the most queries one request may cost, whatever the size of
#: the service (measured on SQLite; the session, sign-in and menu badge
#: included). A ceiling, not an exact count, so work that removes queries
#: (request-level permission caching) passes; the 1x = 3x check below is exact.
PINNED: dict[tuple[str, str], int] = {
    ("worklist", "coordinator"): 35,
    ("worklist", "nurse"): 34,
    ("alerts", "nurse"): 20,
    ("audit_trail", "administrator"): 23,
    ("equipment_inventory", "coordinator"): 14,
    ("api:patients", "coordinator"): 31,
    ("api:patients", "nurse"): 31,
    ("api:alerts", "nurse"): 17,
    ("api:observations", "nurse"): 23,
    ("api:timeline", "nurse"): 22,
    ("api:audit", "administrator"): 21,
    ("api:equipment_items", "coordinator"): 13,
}


def _grow(world: World, device: MonitoringDevice, *, patients_added: int, batch: int) -> None:
    """More of everything a list reads: patients on the nurse's caseload, each
    with an open alert; readings and record changes for patient A."""
    start = Patient.objects.count()
    for number in range(start, start + patients_added):
        patient = patients.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details(
                f"Q-{number}", given_name="Quinn", family_name=f"Q{number:03d}"
            ),
            referral=referral_details(),
            diagnoses=[{"icd10_code": "C34.1", "text": "Lung cancer", "group": "cancer"}],
        ).patient
        CareTeamAssignment.objects.create(
            patient=patient, staff=world.nurse, role="key_nurse", assigned_by=world.coordinator
        )
        monitoring.record_check_in(
            actor=world.nurse, patient=patient, help_requested=True, note="Please call"
        )
    now = clock.now()
    offset = Observation.objects.count()
    Observation.objects.bulk_create(
        Observation(
            patient=world.patient,
            device=device,
            code="pulse",
            value=70,
            unit="/min",
            observed_at=now - timedelta(minutes=offset + minute + 1),
            received_at=now,
        )
        for minute in range(batch)
    )
    for number in range(batch // 10):
        patients.update_patient(
            actor=world.coordinator,
            patient=world.patient,
            changes={"city": f"Town {offset + number}"},
        )


def _measure(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


@pytest.mark.parametrize("listed", LISTS, ids=lambda listed: f"{listed.name}-{listed.role}")
def test_a_list_costs_the_same_queries_at_three_times_the_size(
    world: World, client_for: Any, listed: Listed
) -> None:
    world.bring_to("active")
    device, _token = monitoring.register_device(
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )
    _grow(world, device, patients_added=2, batch=30)
    client = client_for(getattr(world, listed.role))
    url = listed.url(world)
    client.get(url)  # the first request of a session may set it up
    once = _measure(client, url)
    _grow(world, device, patients_added=4, batch=60)
    thrice = _measure(client, url)
    pinned = PINNED[(listed.name, listed.role)]
    measured = f"{listed.name} as {listed.role}: {once} queries at 1x, {thrice} at 3x"
    assert once == thrice, measured
    assert thrice <= pinned, f"{measured}; pinned at most {pinned}"
