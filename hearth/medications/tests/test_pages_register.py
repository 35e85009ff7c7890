"""The controlled-drug register at home and the formulary pages: who may use
them, and their forms writing through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import DrugRoute, MedicationOrder, StockEntry, StockHolding
from hearth.medications.tests.conftest import formulary, formulation


def _register(active: Any) -> str:
    return f"/patients/{active.patient.external_id}/medicines/controlled-drugs/"


def _oral_solution() -> str:
    return str(formulation("Morphine", "oral", "10 mg/5 ml").external_id)


def test_a_nurse_records_stock_received(active: Any, client_for: Any) -> None:
    response = client_for(active.nurse).post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "received", "quantity": "100"},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    entry = StockEntry.objects.get()
    assert (entry.movement, entry.quantity, entry.balance_after) == (
        "received",
        Decimal("100"),
        Decimal("100"),
    )
    assert AuditEvent.objects.filter(event_type="controlled_drug.recorded").count() == 1
    page = client_for(active.nurse).get(_register(active)).content.decode()
    assert "Received at home" in page and "balance 100 ml" in page


def test_a_destruction_needs_a_witness_and_nothing_is_written_without(
    active: Any, client_for: Any
) -> None:
    client = client_for(active.physician)
    client.post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "received", "quantity": "50"},
    )
    response = client.post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "destroyed", "quantity": "50"},
    )
    assert response.status_code == 422
    assert "A second person witnesses a return or destruction." in response.content.decode()
    assert StockEntry.objects.count() == 1


def test_a_non_controlled_medicine_is_refused(active: Any, client_for: Any) -> None:
    paracetamol = formulation("Paracetamol", "oral", "500 mg")
    response = client_for(active.nurse).post(
        _register(active),
        {"formulation": str(paracetamol.external_id), "movement": "received", "quantity": "10"},
    )
    assert response.status_code == 422
    assert not StockEntry.objects.exists()


def test_a_count_that_differs_is_flagged_and_closed_with_a_note(
    active: Any, client_for: Any
) -> None:
    client = client_for(active.nurse)
    client.post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "received", "quantity": "100"},
    )
    client.post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "counted", "quantity": "90"},
    )
    holding = StockHolding.objects.get()
    assert holding.discrepancy_open
    page = client.get(_register(active)).content.decode()
    close = f"{_register(active)}{_oral_solution()}/close/"
    assert close in page and "discrepancy" in page
    medicines = client.get(f"/patients/{active.patient.external_id}/medicines/").content.decode()
    assert "Controlled-drug register discrepancy" in medicines
    record = client.get(f"/patients/{active.patient.external_id}/").content.decode()
    assert "controlled-drug register discrepancy" in record
    assert client.post(close, {"note": ""}).status_code == 422
    assert client_for(active.psychologist).post(close, {"note": "x"}).status_code == 403
    assert client.post(close, {"note": "Spilled 10 ml, seen by the daughter"}).status_code == 302
    holding.refresh_from_db()
    assert not holding.discrepancy_open
    assert StockEntry.objects.count() == 2  # the entries stay as they were
    assert AuditEvent.objects.filter(event_type="controlled_drug.discrepancy_closed").exists()


def test_stock_left_after_a_stop_is_listed_to_return_or_destroy(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    client = client_for(active.nurse)
    client.post(
        _register(active),
        {"formulation": _oral_solution(), "movement": "received", "quantity": "100"},
    )
    notice = "Still at home after the order was stopped"
    assert notice not in client.get(_register(active)).content.decode()
    services.stop_order(actor=active.physician, order=prn_morphine, reason="Pain settled")
    page = client.get(_register(active)).content.decode()
    assert notice in page
    assert "Morphine 10 mg/5 ml oral solution: 100 ml" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nurse", 200),
        ("physician", 200),
        ("psychologist", 403),
        ("coordinator", 403),
        ("family", 302),
        ("outsider_nurse", 302),
    ],
)
def test_who_keeps_the_register(active: Any, client_for: Any, role: str, status: int) -> None:
    assert client_for(getattr(active, role)).get(_register(active)).status_code == status


# --- Formulary --------------------------------------------------------------------


def test_any_staff_reads_the_formulary_without_edit_links(active: Any, client_for: Any) -> None:
    morphine_sc = formulary("Morphine", "subcutaneous")
    page = client_for(active.volunteer).get("/formulary/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Morphine" in text and "Methadone has no linear ratio" in text
    assert f"/formulary/{morphine_sc.external_id}/" not in text
    assert client_for(active.family).get("/formulary/").status_code == 302


def test_the_administrator_changes_a_factor_with_a_reason(active: Any, client_for: Any) -> None:
    hydromorphone = formulary("Hydromorphone", "oral")
    url = f"/formulary/{hydromorphone.external_id}/"
    client = client_for(active.administrator)
    assert url in client.get("/formulary/").content.decode()
    assert client.get(url).status_code == 200
    data = {
        "conversion": "per_dose_unit",
        "ome_factor": "5",
        "source": "CLINICAL.md: Canada 5",
    }
    assert client.post(url, data).status_code == 422  # no reason
    response = client.post(url, {**data, "reason": "The service follows the Canadian table."})
    assert response.status_code == 302
    hydromorphone.refresh_from_db()
    assert hydromorphone.ome_factor == Decimal("5")
    page = client.get("/formulary/").content.decode()
    assert "The service follows the Canadian table." in page
    assert active.administrator.display_name in page
    assert AuditEvent.objects.filter(event_type="formulary.changed").count() == 1


@pytest.mark.parametrize("role", ["physician", "nurse", "coordinator"])
def test_only_the_administrator_edits_the_formulary(
    active: Any, client_for: Any, role: str
) -> None:
    row = formulary("Oxycodone", "oral")
    url = f"/formulary/{row.external_id}/"
    client = client_for(getattr(active, role))
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"conversion": "per_dose_unit", "ome_factor": "2", "reason": "Because"}
    )
    assert response.status_code == 403
    assert DrugRoute.objects.get(pk=row.pk).ome_factor == Decimal("1.5")
