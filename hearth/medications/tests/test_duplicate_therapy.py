"""Duplicate therapy is refused (shared/CLINICAL.md "Duplicate therapy"):
a second active order of the same drug and route for the same indication,
on a page, through the API and through a change; never half-written; and
two prescribers at once cannot both pass (the patient row is locked)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from hearth.conftest import at_once, build_world
from hearth.core.errors import ValidationFailed
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import MedicationOrder, OrderVersion
from hearth.medications.services.dose_safety import normalise_indication
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation


def prn(world: Any, drug: str = "Paracetamol", route: str = "oral", **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.physician,
        "patient": world.patient,
        "drug_route": formulary(drug, route),
        "kind": "as_needed",
        "dose": "1000" if drug == "Paracetamol" else "2.5",
        "indication": "pain or fever",
        "minimum_interval_minutes": 240,
        "maximum_doses_24h": 4,
    }
    values.update(overrides)
    return services.prescribe(**values)


def regular(world: Any, drug: str = "Paracetamol", **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "actor": world.physician,
        "patient": world.patient,
        "drug_route": formulary(drug, "oral"),
        "kind": "regular",
        "dose": "1000",
        "times": ["08:00", "14:00", "20:00"],
        "indication": "pain or fever",
    }
    values.update(overrides)
    return services.prescribe(**values)


def refused(action: Any) -> ValidationFailed:
    before = (MedicationOrder.objects.count(), OrderVersion.objects.count())
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        action()
    assert caught.value.code == "duplicate_order"
    assert list(caught.value.field_errors) == ["drug_route"]
    assert "Change or stop that order" in caught.value.message
    # Nothing half-written.
    assert (MedicationOrder.objects.count(), OrderVersion.objects.count()) == before
    assert AuditEvent.objects.count() == events
    return caught.value


def test_it_refuses_68_identical_as_needed_paracetamol_orders(active: Any) -> None:
    """The testers' case: 68 identical orders were accepted for one patient."""
    prn(active)
    for _ in range(67):
        refused(lambda: prn(active))
    assert MedicationOrder.objects.active().count() == 1


def test_any_second_as_needed_order_of_the_same_drug_and_route_is_a_duplicate(
    active: Any,
) -> None:
    prn(active)
    error = refused(lambda: prn(active, indication="headache", dose="500"))
    assert "Paracetamol is already prescribed by mouth" in error.message


def test_a_regular_opioid_with_an_as_needed_dose_of_it_stays_allowed(active: Any) -> None:
    """Morphine MR twice a day plus oral solution for breakthrough pain is normal."""
    services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
        kind="regular",
        dose="10",
        times=["08:00", "20:00"],
        indication="pain",
    )
    services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
        kind="as_needed",
        dose="2.5",
        indication="pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )
    assert MedicationOrder.objects.active().count() == 2


def test_regular_and_as_needed_paracetamol_for_the_same_indication_is_a_duplicate(
    active: Any,
) -> None:
    regular(active)
    refused(lambda: prn(active, indication="Pain or fever."))


def test_two_regular_orders_for_the_same_indication_are_duplicates(active: Any) -> None:
    regular(active, drug="Dexamethasone", dose="4", times=["08:00"], indication="Nausea")
    refused(
        lambda: regular(
            active, drug="Dexamethasone", dose="2", times=["14:00"], indication="nausea"
        )
    )
    # Another indication is another therapy.
    regular(active, drug="Dexamethasone", dose="4", times=["14:00"], indication="liver pain")
    assert MedicationOrder.objects.active().count() == 2


def test_another_route_or_a_stopped_order_is_not_a_duplicate(active: Any) -> None:
    oral = prn(active, drug="Morphine", route="oral", minimum_interval_minutes=60)
    prn(active, drug="Morphine", route="subcutaneous", minimum_interval_minutes=60, dose="1")
    services.stop_order(actor=active.physician, order=oral, reason="Cannot swallow")
    prn(active, drug="Morphine", route="oral", minimum_interval_minutes=60)
    assert MedicationOrder.objects.active().count() == 2


def test_a_change_that_makes_a_duplicate_is_refused(active: Any) -> None:
    regular(active, drug="Dexamethasone", dose="4", times=["08:00"], indication="nausea")
    other = regular(
        active, drug="Dexamethasone", dose="4", times=["14:00"], indication="liver pain"
    )
    refused(
        lambda: services.change_order(
            actor=active.physician,
            order=other,
            reason="Both for nausea now",
            dose="4",
            times=["14:00"],
            indication="  NAUSEA ",
            confirmation_reason=CONFIRMED,
        )
    )
    other.refresh_from_db()
    assert other.current is not None and other.current.number == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [("Breakthrough pain.", "breakthrough  PAIN"), ("pain/fever", "Pain, fever")],
)
def test_indications_are_compared_ignoring_case_spacing_and_punctuation(
    one: str, other: str
) -> None:
    assert normalise_indication(one) == normalise_indication(other)


def test_the_api_refuses_a_duplicate_naming_the_field(active: Any, client_for: Any) -> None:
    prn(active)
    response = client_for(active.physician).post(
        f"/api/v1/patients/{active.patient.external_id}/medication-orders",
        data={
            "drug_route": str(formulary("Paracetamol", "oral").external_id),
            "kind": "as_needed",
            "dose": "1000",
            "indication": "pain or fever",
            "minimum_interval_minutes": 240,
            "maximum_doses_24h": 4,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "duplicate_order" and "drug_route" in body["errors"]
    assert MedicationOrder.objects.count() == 1


def test_the_prescribe_page_shows_the_refusal_on_the_medicine(active: Any, client_for: Any) -> None:
    prn(active)
    response = client_for(active.physician).post(
        f"/patients/{active.patient.external_id}/medicines/prescribe/",
        {
            "drug_route": str(formulary("Paracetamol", "oral").external_id),
            "kind": "as_needed",
            "dose": "1000",
            "every_days": "1",
            "minimum_interval_minutes": "240",
            "maximum_doses_24h": "4",
            "indication": "pain",
        },
    )
    assert response.status_code == 422
    assert "Change or stop that order" in str(response.context["form"].errors["drug_route"])


# --- Two prescribers at once ---------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_two_prescribers_writing_the_same_order_at_once_make_one() -> None:
    world = build_world()
    world.bring_to("active")
    results = at_once(lambda: prn(world), lambda: prn(world))
    written = [r for r in results if isinstance(r, MedicationOrder)]
    refusals = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(written) == 1 and len(refusals) == 1, results
    assert refusals[0].code == "duplicate_order"
    assert MedicationOrder.objects.filter(patient=world.patient).count() == 1
