"""POST /api/v1/observations: each reading judged on its own, nothing lost,
nothing stored twice, and a token writes only for its own patient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.monitoring import services
from hearth.monitoring.models import Alert, Observation

URL = "/api/v1/observations"


@pytest.fixture
def device(world: World) -> tuple[Any, str]:
    world.bring_to("active")
    return services.register_device(
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )


def post(readings: list[Any], token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(
        URL, data={"readings": readings}, content_type="application/json", **headers
    )


def reading(code: str = "pulse", value: Any = 72, unit: str = "/min", **extra: Any) -> dict:
    moment = extra.pop("at", clock.now() - timedelta(minutes=1))
    return {"code": code, "value": value, "unit": unit, "observed_at": moment.isoformat(), **extra}


def test_it_stores_good_readings_and_explains_each_bad_one(world: World, device: Any) -> None:
    _device, token = device
    now = clock.now()
    batch = [
        reading("spo2", 97, "%", at=now - timedelta(minutes=3)),
        reading("heart_beat", 70, "/min"),
        reading("temperature", 98.6, "[degF]"),
        reading("spo2", 120, "%", at=now - timedelta(minutes=2)),
        reading("pulse", 80, "/min", at=now + timedelta(hours=1)),
        {"code": "pulse", "value": 80, "unit": "/min", "observed_at": "2026-11-24T08:00:00"},
        reading("pulse", "fast", "/min"),
        reading("pulse", 75, "/min", patient_id=str(world.other_patient.external_id)),
        "not a reading",
        reading("pulse", 76, "/min", colour="red"),
        reading("temperature", 37.1, "Cel", at=now - timedelta(minutes=4)),
    ]
    response = post(batch, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stored"], body["duplicates"], body["rejected"]) == (2, 0, 9)
    results = body["results"]
    assert [r["status"] for r in results] == [
        "stored",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "stored",
    ]
    assert "Unknown code" in results[1]["errors"]["code"][0]
    assert "Cel" in results[2]["errors"]["unit"][0]
    assert "not physiologically possible" in results[3]["errors"]["value"][0]
    assert "future" in results[4]["errors"]["observed_at"][0]
    assert "time zone" in results[5]["errors"]["observed_at"][0]
    assert results[6]["errors"]["value"]
    assert "own patient" in results[7]["errors"]["patient_id"][0]
    assert results[8]["errors"]["__all__"]
    assert results[9]["errors"]["colour"]
    stored = Observation.objects.filter(patient=world.patient)
    assert sorted(stored.values_list("code", "value")) == [("spo2", 97.0), ("temperature", 37.1)]
    assert not Observation.objects.filter(patient=world.other_patient).exists()


def test_a_repeated_batch_stores_nothing_twice(world: World, device: Any) -> None:
    _device, token = device
    now = clock.now()
    batch = [reading("pulse", 70 + i, "/min", at=now - timedelta(minutes=i)) for i in range(5)]
    first = post(batch, token).json()
    again = post(batch, token).json()
    assert (first["stored"], first["duplicates"]) == (5, 0)
    assert (again["stored"], again["duplicates"], again["rejected"]) == (0, 5, 0)
    assert {r["status"] for r in again["results"]} == {"duplicate"}
    within = post([reading(at=now - timedelta(hours=1))] * 2, token).json()
    assert [r["status"] for r in within["results"]] == ["stored", "duplicate"]
    assert Observation.objects.count() == 6


def test_a_revoked_or_unknown_token_writes_nothing(world: World, device: Any) -> None:
    registered, token = device
    assert post([reading()], "hdv_not-a-real-token").status_code == 401
    assert post([reading()], None).status_code == 401
    services.revoke_device(actor=world.nurse, device=registered)
    response = post([reading()], token)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Observation.objects.exists()


def test_a_person_cannot_post_readings_with_their_own_sign_in(
    world: World, device: Any, client_for: Any
) -> None:
    for person in (world.nurse, world.family, world.physician):
        response = client_for(person).post(
            URL, data={"readings": [reading()]}, content_type="application/json"
        )
        assert response.status_code == 401
    assert not Observation.objects.exists()


def test_another_patients_device_writes_only_for_its_own_patient(world: World) -> None:
    world.bring_to("active")
    other_device, other_token = services.register_device(
        actor=world.coordinator, patient=world.other_patient, kind="thermometer", label="Thermo"
    )
    body = post(
        [
            reading("temperature", 37.0, "Cel", patient_id=str(world.patient.external_id)),
            reading("temperature", 37.2, "Cel", at=clock.now() - timedelta(minutes=9)),
        ],
        other_token,
    ).json()
    assert [r["status"] for r in body["results"]] == ["rejected", "stored"]
    assert not Observation.objects.filter(patient=world.patient).exists()
    assert Observation.objects.get().patient == world.other_patient
    assert other_device.observations.count() == 1


def test_a_batch_over_the_limit_is_refused_whole(world: World, device: Any) -> None:
    _device, token = device
    now = clock.now()
    batch = [reading(at=now - timedelta(seconds=i + 1)) for i in range(1001)]
    response = post(batch, token)
    assert response.status_code == 422
    assert "1000" in response.json()["detail"]
    assert not Observation.objects.exists()


def test_each_batch_leaves_one_audit_event(world: World, device: Any) -> None:
    _device, token = device
    now = clock.now()
    post([reading(at=now - timedelta(minutes=i)) for i in range(3)] + [reading("x")], token)
    event = AuditEvent.objects.get(event_type="observations.received")
    assert event.patient_id == world.patient.pk
    assert event.changes == {"stored": 3, "duplicate": 0, "rejected": 1}
    assert event.actor is None and "Oximeter" in event.summary


def _deteriorating(token: str) -> Any:
    now = clock.now() - timedelta(minutes=1)
    return post(
        [
            reading("spo2", 88, "%", at=now),
            reading("pulse", 135, "/min", at=now),
            reading("respiratory_rate", 27, "/min", at=now),
        ],
        token,
    )


def test_readings_that_meet_news2_raise_one_alert_with_evidence(world: World, device: Any) -> None:
    _device, token = device
    assert _deteriorating(token).status_code == 200
    alert = Alert.objects.get(rule="news2")
    # SpO2 88 → 3, pulse 135 → 3, breathing 27 → 3: NEWS2 9, partial (no BP, temperature…).
    assert alert.severity == "high"
    assert "NEWS2 9" in alert.summary and "partial" in alert.summary
    assert alert.owner == world.nurse
    later = clock.now()
    post([reading("spo2", 87, "%", at=later)], token)
    assert Alert.objects.filter(rule="news2").count() == 1
    assert alert.evidence.count() == 2


def test_normal_readings_raise_nothing(world: World, device: Any) -> None:
    _device, token = device
    now = clock.now() - timedelta(minutes=1)
    post(
        [
            reading("spo2", 97, "%", at=now),
            reading("pulse", 72, "/min", at=now),
            reading("temperature", 36.8, "Cel", at=now),
        ],
        token,
    )
    assert not Alert.objects.exists()


def test_a_concentrator_fault_is_an_equipment_alert(world: World) -> None:
    world.bring_to("active")
    _concentrator, token = services.register_device(
        actor=world.nurse, patient=world.patient, kind="oxygen_concentrator", label="Concentrator"
    )
    post([reading("oxygen_concentrator_fault", 1, "{status}")], token)
    alert = Alert.objects.get(rule="oxygen_equipment")
    assert alert.severity == "high"
    assert "Concentrator" in alert.evidence.get().description


def test_the_alert_evidence_names_the_reading_that_raised_it(world: World) -> None:
    """Each stored reading gets its own id back, in the batch's order (one
    ``INSERT ... unnest`` on PostgreSQL): the evidence points at the fault
    reading, not at a neighbour in the batch."""
    world.bring_to("active")
    _concentrator, token = services.register_device(
        actor=world.nurse, patient=world.patient, kind="oxygen_concentrator", label="Concentrator"
    )
    now = clock.now() - timedelta(minutes=10)
    batch = [reading("oxygen_flow", 2, "L/min", at=now + timedelta(minutes=i)) for i in range(6)]
    batch.insert(3, reading("oxygen_concentrator_fault", 1, "{status}", at=now))
    assert post(batch, token).json()["stored"] == 7
    fault = Observation.objects.get(code="oxygen_concentrator_fault")
    evidence = Alert.objects.get(rule="oxygen_equipment").evidence.get()
    assert evidence.source_id == str(fault.pk)
    assert evidence.observed_at == fault.observed_at
    flows = Observation.objects.filter(code="oxygen_flow").order_by("pk")
    assert [o.observed_at for o in flows] == [now + timedelta(minutes=i) for i in range(6)]


def test_the_readings_event_comes_before_the_alert_it_raised(world: World, device: Any) -> None:
    """The rules read before the first audit write (the audit chain's lock),
    but the timeline still says readings arrived, then the alert was raised."""
    _device, token = device
    assert _deteriorating(token).status_code == 200
    kinds = list(
        AuditEvent.objects.filter(patient_id=world.patient.pk)
        .filter(event_type__in=["observations.received", "alert.raised"])
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert kinds == ["observations.received", "alert.raised"]


def test_a_batch_costs_the_same_queries_whatever_its_size(world: World, device: Any) -> None:
    """No query per reading: 10 readings and 140 readings of a device that
    already has readings and an open alert cost the same number of queries
    (140: SQLite's 999 bound values per statement split a longer batch's insert)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _device, token = device
    assert _deteriorating(token).status_code == 200  # an open NEWS2 alert to add to

    def batch_of(size: int, start: Any) -> list[dict]:
        codes = [("spo2", 88, "%"), ("pulse", 135, "/min"), ("respiratory_rate", 27, "/min")]
        return [
            reading(*codes[i % 3], at=start + timedelta(seconds=i // 3 + 1)) for i in range(size)
        ]

    counts = []
    for size, minutes in ((10, 30), (140, 20)):
        with CaptureQueriesContext(connection) as queries:
            answer = post(batch_of(size, clock.now() - timedelta(minutes=minutes)), token)
        assert answer.json()["stored"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
