"""Volumes of liquids are computed, never typed (shared/CLINICAL.md
"Volumes"): from the dose and the product's strength per ml, rounded to what
an oral syringe measures, recomputed on every dose change and shown on the
order, the staff page, the family's page and chart; typed volumes left from
before are checked by the data migration and flagged for a physician."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from hearth.core.errors import ValidationFailed
from hearth.medications import services
from hearth.medications.models import MedicationOrder, OrderVersion
from hearth.medications.services.dose_safety import syringe_volume
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation
from hearth.patients import queries as patient_queries

volumes = importlib.import_module("hearth.medications.migrations.0006_strengths_maxima_volumes")


def morphine_liquid(world: Any, dose: str = "5", **extra: Any) -> MedicationOrder:
    values: dict[str, Any] = {
        "actor": world.physician,
        "patient": world.patient,
        "drug_route": formulary("Morphine", "oral"),
        "formulation": formulation("Morphine", "oral", "10 mg/5 ml"),
        "kind": "as_needed",
        "dose": dose,
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }
    values.update(extra)
    return services.prescribe(**values)


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        ("0.25", "0.3"),
        ("0.94", "0.9"),
        ("1", "1"),
        ("1.3", "1.25"),
        ("2.5", "2.5"),
        ("4.9", "5"),
        ("5", "5"),
        ("6.3", "6.5"),
        ("7.2", "7"),
    ],
)
def test_it_rounds_to_what_an_oral_syringe_measures(exact: str, shown: str) -> None:
    assert syringe_volume(Decimal(exact)) == Decimal(shown)


@given(st.decimals(min_value="0.05", max_value="100", places=3))
def test_a_rounded_volume_is_a_step_and_within_half_a_step(exact: Decimal) -> None:
    step = Decimal("0.1") if exact < 1 else Decimal("0.25") if exact < 5 else Decimal("0.5")
    volume = syringe_volume(exact)
    assert volume % step == 0
    assert abs(volume - exact) <= step / 2


def test_it_computes_and_recomputes_the_volume_on_every_dose_change(
    active: Any, client_for: Any
) -> None:
    """The testers' case: 5 mg "2.5 ml" changed to 10 mg still said 2.5 ml."""
    order = morphine_liquid(active, "5")
    assert order.current is not None
    assert order.current.volume_ml == Decimal("2.5")
    assert order.current.volume_text == "2.5 ml"
    changed = services.change_order(
        actor=active.physician,
        order=order,
        reason="More pain",
        dose="10",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        formulation=order.current.formulation,
        confirmation_reason=CONFIRMED,
    )
    assert changed.current is not None and changed.current.volume_text == "5 ml"
    staff = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/medicines/")
    assert "5 ml" in staff.content.decode()
    family = client_for(active.family).get("/portal/medicines/").content.decode()
    assert "5 ml" in family and "2.5 ml" not in family
    chart = client_for(active.family).get(
        f"/api/v1/patients/{active.patient.external_id}/medication-chart"
    )
    assert chart.status_code == 200
    assert [line["volume_text"] for line in chart.json()["lines"]] == ["5 ml"]
    detail = client_for(active.physician).get(f"/api/v1/medication-orders/{order.external_id}")
    versions = detail.json()["versions"]
    assert [v["volume_text"] for v in versions] == ["5 ml", "2.5 ml"]


def test_a_tablet_has_no_volume(active: Any) -> None:
    order = services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Paracetamol", "oral"),
        formulation=formulation("Paracetamol", "oral", "500 mg"),
        kind="as_needed",
        dose="1000",
        indication="pain",
        minimum_interval_minutes=240,
        maximum_doses_24h=4,
    )
    assert order.current is not None
    assert order.current.volume_ml is None and order.current.volume_text == ""


def test_an_injection_uses_its_strength_per_ml(active: Any) -> None:
    """Midazolam 10 mg/2 ml: 2.5 mg is 0.5 ml."""
    order = services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Midazolam", "subcutaneous"),
        formulation=formulation("Midazolam", "subcutaneous", "10 mg/2 ml"),
        kind="as_needed",
        dose="2.5",
        indication="agitation",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )
    assert order.current is not None and order.current.volume_text == "0.5 ml"


def _nothing_written(action: Any, field: str) -> ValidationFailed:
    before = (MedicationOrder.objects.count(), OrderVersion.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        action()
    assert field in caught.value.field_errors, caught.value.field_errors
    assert (MedicationOrder.objects.count(), OrderVersion.objects.count()) == before
    return caught.value


def test_a_liquid_without_a_strength_per_ml_is_refused_naming_the_form(active: Any) -> None:
    """Diamorphine "5 mg ampoule" is a powder made up at the bedside."""
    error = _nothing_written(
        lambda: services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Diamorphine", "subcutaneous"),
            formulation=formulation("Diamorphine", "subcutaneous", "5 mg ampoule"),
            kind="as_needed",
            dose="1",
            indication="pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        ),
        "formulation",
    )
    assert "strength per ml" in error.field_errors["formulation"][0]


def test_a_dose_in_the_wrong_unit_is_refused_naming_the_unit(active: Any, client_for: Any) -> None:
    error = _nothing_written(lambda: morphine_liquid(active, dose_unit="mcg"), "dose_unit")
    assert "prescribed in mg, not in mcg" in error.field_errors["dose_unit"][0]
    response = client_for(active.physician).post(
        f"/api/v1/patients/{active.patient.external_id}/medication-orders",
        data={
            "drug_route": str(formulary("Morphine", "oral").external_id),
            "kind": "as_needed",
            "dose": "500",
            "dose_unit": "mcg",
            "indication": "pain",
            "minimum_interval_minutes": 60,
            "maximum_doses_24h": 6,
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and "dose_unit" in response.json()["errors"]


def test_a_dose_too_small_to_measure_is_refused(active: Any) -> None:
    _nothing_written(lambda: morphine_liquid(active, dose="0.01"), "dose")


@pytest.mark.parametrize("typed", ["2.5 ml of the liquid", "give 5ml", "1,25 мл"])
def test_a_volume_typed_in_the_instructions_is_refused(active: Any, typed: str) -> None:
    _nothing_written(lambda: morphine_liquid(active, instructions=typed), "instructions")


def _legacy(
    world: Any, dose: str, instructions: str, strength: str = "10 mg/5 ml", form: str = ""
) -> Any:
    """An order written before volumes were computed: a typed volume, none stored."""
    order = morphine_liquid(world, dose, confirmation_reason=CONFIRMED)
    assert order.current is not None
    OrderVersion.objects.filter(pk=order.current.pk).update(
        instructions=instructions,
        volume_ml=None,
        formulation=formulation("Morphine", "oral", strength, form=form or None),
    )
    return order


def test_the_migration_keeps_an_agreeing_volume_and_flags_a_wrong_one(
    active: Any, client_for: Any
) -> None:
    right = _legacy(active, "5", "2.5 ml of the liquid")
    volumes.forward(apps, None)
    right.refresh_from_db()
    assert right.current is not None and right.current.volume_ml == Decimal("2.5")
    assert right.physician_check == ""
    services.stop_order(actor=active.physician, order=right, reason="Rewritten")
    wrong = _legacy(active, "10", "2.5 ml of the liquid")
    volumes.forward(apps, None)
    wrong.refresh_from_db()
    assert "say 2.5 ml" in wrong.physician_check and "is 5 ml" in wrong.physician_check
    page = client_for(active.physician).get(f"/patients/{active.patient.external_id}/medicines/")
    assert "physician-check" in page.content.decode()
    # A change clears the flag; it refuses the typed volume, so the text goes.
    assert wrong.current is not None
    with pytest.raises(ValidationFailed):
        services.change_order(
            actor=active.physician,
            order=wrong,
            reason="Checked",
            dose="10",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            instructions=wrong.current.instructions,
            formulation=wrong.current.formulation,
            confirmation_reason=CONFIRMED,
        )
    checked = services.change_order(
        actor=active.physician,
        order=wrong,
        reason="Checked: the volume is shown beside the dose now",
        dose="10",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        instructions="",
        formulation=wrong.current.formulation,
        confirmation_reason=CONFIRMED,
    )
    assert checked.physician_check == ""
    assert checked.current is not None and checked.current.volume_text == "5 ml"


def test_the_migration_flags_a_typed_volume_it_cannot_check(active: Any) -> None:
    order = _legacy(active, "10", "5 ml", strength="10 mg", form="tablet")  # a tablet with "5 ml"
    volumes.forward(apps, None)
    order.refresh_from_db()
    assert "cannot be worked out" in order.physician_check


@pytest.mark.django_db
def test_the_migration_reads_strengths_per_ml_in_the_routes_unit() -> None:
    assert volumes.per_ml("10 mg/5 ml", "mg") == Decimal(2)
    assert volumes.per_ml("100 mcg/2 ml", "mcg") == Decimal(50)
    assert volumes.per_ml("1 mg/2 ml", "mcg") == Decimal(500)
    assert volumes.per_ml("5 mg ampoule", "mg") is None
    assert formulation("Fentanyl", "subcutaneous", "100 mcg/2 ml").strength_per_ml == 50


def test_the_worklist_shows_orders_flagged_for_a_physician_until_the_order_changes(
    active: Any, client_for: Any
) -> None:
    """A flag the migration raised is seen by the team each day on the
    worklist, not only by whoever opens the medicines page (hazard M26)."""
    wrong = _legacy(active, "10", "2.5 ml of the liquid")
    volumes.forward(apps, None)
    wrong.refresh_from_db()
    assert wrong.physician_check

    def cell() -> Any:
        rows = patient_queries.worklist(active.physician)
        title = dict(rows.columns)["medicines_to_check"]
        row = next(r for r in rows if r.id == active.patient.external_id)
        return dict(row.extra)[title]

    flagged = cell()
    assert flagged is not None and flagged["text"] == "1 order needs a physician's check"
    assert flagged["url"] == f"/patients/{active.patient.external_id}/medicines/"
    page = client_for(active.physician).get("/patients/").content.decode()
    assert "1 order needs a physician&#x27;s check" in page
    assert wrong.current is not None
    services.change_order(
        actor=active.physician,
        order=wrong,
        reason="Checked: the volume is shown beside the dose now",
        dose="10",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        instructions="",
        formulation=wrong.current.formulation,
        confirmation_reason=CONFIRMED,
    )
    assert cell() is None
