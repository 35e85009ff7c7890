"""Record numbers the service gives: in the configured pattern, unique, and
never the same for two referrals saved at the same moment (PostgreSQL)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from hearth.conftest import World, at_once, build_world, patient_details, referral_details
from hearth.core.errors import ValidationFailed
from hearth.patients import services
from hearth.patients.record_numbers import check_pattern


def refer(world: World, number: str | None = None, **details: Any) -> Any:
    return services.refer_new_patient(
        actor=world.coordinator,
        patient=patient_details(number, **details),  # type: ignore[arg-type]
        referral=referral_details(),
    ).patient


def test_a_referral_without_a_number_gets_the_next_in_the_series(world: World) -> None:
    with override_settings(HEARTH_RECORD_NUMBER_PATTERN="H-{year}-{sequence:05d}"):
        first = refer(world)
        second = refer(world)
    assert re.fullmatch(r"H-\d{4}-00001", first.record_number)
    assert re.fullmatch(r"H-\d{4}-00002", second.record_number)


def test_an_imported_number_is_kept_and_skipped_by_the_series(world: World) -> None:
    with override_settings(HEARTH_RECORD_NUMBER_PATTERN="N-{sequence}"):
        imported = refer(world, "N-1")
        given = refer(world)
    assert imported.record_number == "N-1"
    assert given.record_number == "N-2"


def test_a_number_already_in_use_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        refer(world, world.patient.record_number)
    assert "record_number" in refused.value.field_errors


@pytest.mark.parametrize("pattern", ["H-{year}", "H-{month}-{sequence}", "X" * 30 + "{sequence}"])
def test_a_pattern_that_cannot_number_records_is_refused(pattern: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        check_pattern(pattern)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent connections with row locks (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_referrals_never_share_a_number() -> None:
    world = build_world()
    with override_settings(HEARTH_RECORD_NUMBER_PATTERN="C-{sequence:04d}"):
        results = at_once(*[lambda i=i: refer(world, given_name=f"Same{i}") for i in range(6)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    numbers = sorted(p.record_number for p in results)
    assert numbers == [f"C-{n:04d}" for n in range(1, 7)]


def test_a_referral_over_the_api_may_leave_the_number_to_the_service(
    world: World, client_for: Any
) -> None:
    patient = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in patient_details(given_name="Api").items()
        if k != "record_number"
    }
    with override_settings(HEARTH_RECORD_NUMBER_PATTERN="A-{sequence:03d}"):
        response = client_for(world.coordinator).post(
            "/api/v1/referrals",
            data={"patient": patient, "referral": referral_details()},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    from hearth.patients.models import Patient

    assert Patient.objects.get(given_name="Api").record_number == "A-001"
