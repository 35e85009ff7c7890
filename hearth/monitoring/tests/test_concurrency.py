"""Two devices, two phones, the same moment: one alert, no reading twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from hearth.conftest import at_once, build_world
from hearth.core import clock
from hearth.monitoring import services
from hearth.monitoring.models import Alert, CheckIn, Observation

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)


@pytest.mark.django_db(transaction=True)
def test_two_help_presses_at_once_open_one_alert_with_both_as_evidence() -> None:
    world = build_world()
    world.bring_to("active")
    results = at_once(
        lambda: services.record_check_in(
            actor=world.family, patient=world.patient, help_requested=True, note="Daughter"
        ),
        lambda: services.record_check_in(
            actor=world.patient_user, patient=world.patient, help_requested=True, note="Me"
        ),
    )
    assert all(isinstance(result, CheckIn) for result in results), results
    alert = Alert.objects.get(rule="help_requested")
    assert alert.evidence.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_delivered_twice_at_once_is_stored_once() -> None:
    world = build_world()
    world.bring_to("active")
    device, _token = services.register_device(
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )
    moment = clock.now() - timedelta(minutes=5)
    batch = [
        {
            "code": "pulse",
            "value": 70 + i,
            "unit": "/min",
            "observed_at": (moment - timedelta(minutes=i)).isoformat(),
        }
        for i in range(50)
    ]
    results = at_once(
        lambda: services.ingest_readings(device=device, readings=batch),
        lambda: services.ingest_readings(device=device, readings=batch),
    )
    statuses = sorted(
        sum(1 for r in result if r.status == "stored")
        for result in results  # type: ignore[union-attr]
    )
    assert statuses == [0, 50]
    assert Observation.objects.count() == 50
