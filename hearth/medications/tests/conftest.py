"""Medicines fixtures: the shared ``world`` in active home care, formulary rows
from the seeded formulary, and orders a physician wrote."""

from __future__ import annotations

import importlib
import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps

from hearth.core import clock
from hearth.medications import services
from hearth.medications.models import DrugRoute, Formulation, MedicationOrder

_keys = itertools.count(1)

#: For tests about something else: a physician's reason for a dose the checks
#: of ``services.dose_safety`` ask to confirm (they are tested in test_dose_checks.py).
CONFIRMED = "Checked with the patient's previous opioid use (test)"


def formulary(drug: str, route: str) -> DrugRoute:
    return DrugRoute.objects.select_related("drug").get(drug__name=drug, route=route)


def formulation(drug: str, route: str, strength: str, form: str | None = None) -> Formulation:
    found = Formulation.objects.filter(
        drug_route__drug__name=drug, drug_route__route=route, strength=strength
    )
    return found.get(form=form) if form else found.get()


def new_key() -> str:
    return f"test-key-{next(_keys)}"


def give(actor: Any, order: MedicationOrder, **overrides: Any) -> services.Recorded:
    """Record the ordered dose by the ordered route now, unless told otherwise."""
    order.refresh_from_db()
    values: dict[str, Any] = {
        "dose": order.current.dose if order.current else "1",
        "route": order.drug_route.route,
        "idempotency_key": new_key(),
    }
    values.update(overrides)
    return services.record_administration(actor=actor, order=order, **values)


@pytest.fixture
def prn_morphine(active: Any) -> MedicationOrder:
    """Oral morphine 5 mg as needed, at least 60 minutes apart, at most 6 in 24 h."""
    return services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
        kind="as_needed",
        dose="5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )


@pytest.fixture
def regular_morphine(active: Any) -> MedicationOrder:
    """Modified-release oral morphine 20 mg at 08:00 and 20:00."""
    return services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
        kind="regular",
        dose="20",
        times=["08:00", "20:00"],
        indication="pain",
        # 40 mg OME a day for a person on no regular opioid: above the opioid-naive
        # start (30 mg), so the physician confirms (services.dose_safety).
        confirmation_reason=CONFIRMED,
    )


@pytest.fixture
def signed_family(active: Any) -> Any:
    """The daughter, signed off for oral and subcutaneous medicines today."""
    today = clock.today()
    for route in ("oral", "subcutaneous"):
        services.sign_off_caregiver(
            actor=active.nurse,
            patient=active.patient,
            caregiver=active.family,
            route=route,
            signed_off_on=today,
            expires_on=today + timedelta(days=90),
        )
    return active.family


@pytest.fixture
def seeded_formulary() -> None:
    """The starting formulary, loaded by the data migration's own function
    (idempotent): for transactional tests, which run after a flush."""
    migration = importlib.import_module("hearth.medications.migrations.0002_formulary_defaults")
    migration.load(apps, None)
    volumes = importlib.import_module("hearth.medications.migrations.0006_strengths_maxima_volumes")
    volumes.forward(apps, None)
