"""The controlled-drug register at home: stock received, doses given taken out
from the administration record, counts that differ flagged and kept, returns
and destruction witnessed, and a dose entered in error put back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hearth.core import clock
from hearth.core.errors import Conflict, NotAllowed
from hearth.core.models import AuditEvent
from hearth.medications import queries, services
from hearth.medications.models import Formulation, MedicationOrder, StockEntry, StockHolding
from hearth.medications.tests.conftest import formulation
from hearth.medications.tests.test_administration import at, dose_at, prescribe_prn, refused

D = Decimal


@pytest.fixture
def solution() -> Formulation:
    """Oral morphine 10 mg/5 ml: 2 mg per ml, counted in ml."""
    return formulation("Morphine", "oral", "10 mg/5 ml")


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    """5 mg as needed from the 10 mg/5 ml solution: 2.5 ml a dose."""
    return prescribe_prn(active)


def stock(world: Any, item: Formulation, movement: str, quantity: Any, **extra: Any) -> StockEntry:
    with clock.travel_to(extra.pop("when", at(0, "09:00"))):
        return services.record_stock(
            actor=extra.pop("actor", world.nurse),
            patient=world.patient,
            formulation=item,
            movement=movement,
            quantity=quantity,
            **extra,
        )


def holding(world: Any, item: Formulation) -> StockHolding:
    return StockHolding.objects.get(patient=world.patient, formulation=item)


def test_stock_received_makes_the_balance(active: Any, solution: Any) -> None:
    entry = stock(active, solution, "received", "100", note="Pharmacy delivery")
    assert (entry.movement, entry.quantity, entry.balance_after, entry.discrepancy) == (
        "received",
        D(100),
        D(100),
        D(0),
    )
    stock(active, solution, "received", "50")
    assert holding(active, solution).balance == D(150)
    assert AuditEvent.objects.filter(event_type="controlled_drug.recorded").count() == 2


def test_a_dose_given_takes_dose_over_amount_per_unit_out(
    active: Any, solution: Any, prn: Any
) -> None:
    stock(active, solution, "received", "100")
    dose = dose_at(active.nurse, prn, at(0, "10:00")).administration
    assert dose is not None
    entry = StockEntry.objects.get(administration=dose)
    assert (entry.movement, entry.quantity, entry.balance_after) == ("given", D("2.5"), D("97.5"))
    assert entry.occurred_at == dose.given_at
    assert holding(active, solution).balance == D("97.5")


def test_without_a_register_line_a_dose_takes_nothing(active: Any, prn: Any) -> None:
    assert dose_at(active.nurse, prn, at(0, "10:00")).administration
    assert not StockEntry.objects.exists() and not StockHolding.objects.exists()


def test_a_dose_with_no_stock_left_is_recorded_and_flags_the_register(
    active: Any, solution: Any, prn: Any
) -> None:
    """It was given: the record keeps it and the register shows the discrepancy."""
    stock(active, solution, "received", "2")
    assert dose_at(active.nurse, prn, at(0, "10:00")).administration
    line = holding(active, solution)
    assert line.balance == D("-0.5") and line.discrepancy_open


def test_a_count_that_differs_is_a_discrepancy_kept_and_flagged(
    active: Any, solution: Any, prn: Any
) -> None:
    stock(active, solution, "received", "100")
    dose_at(active.nurse, prn, at(0, "10:00"))
    matching = stock(active, solution, "counted", "97.5", when=at(0, "11:00"))
    assert matching.discrepancy == 0 and not holding(active, solution).discrepancy_open
    short = stock(active, solution, "counted", "95", when=at(0, "12:00"))
    assert (short.expected_balance, short.balance_after, short.discrepancy) == (
        D("97.5"),
        D(95),
        D("-2.5"),
    )
    line = holding(active, solution)
    assert line.balance == D(95) and line.discrepancy_open
    latest = AuditEvent.objects.filter(event_type="controlled_drug.recorded").latest("id")
    assert "discrepancy" in latest.summary


def test_an_empty_bottle_can_be_counted(active: Any, solution: Any) -> None:
    stock(active, solution, "received", "5")
    entry = stock(active, solution, "counted", "0")
    assert entry.balance_after == 0 and entry.discrepancy == D(-5)


@pytest.mark.parametrize("movement", ["returned", "destroyed"])
def test_removing_stock_needs_a_witness_and_no_more_than_the_balance(
    active: Any, solution: Any, movement: str
) -> None:
    stock(active, solution, "received", "100")
    refused(lambda: stock(active, solution, movement, "10"), field="witness")
    refused(
        lambda: stock(active, solution, movement, "100.5", witness="J. Pharmacist"),
        field="quantity",
    )
    entry = stock(active, solution, movement, "100", witness="J. Pharmacist")
    assert entry.witness == "J. Pharmacist" and entry.balance_after == 0
    assert not holding(active, solution).discrepancy_open


def test_a_medicine_that_is_not_controlled_is_refused(active: Any) -> None:
    haloperidol = formulation("Haloperidol", "oral", "500 mcg")
    refused(lambda: stock(active, haloperidol, "received", "28"), field="formulation")
    assert not StockHolding.objects.exists()


@pytest.mark.parametrize(
    ("movement", "quantity", "field"),
    [
        ("given", "1", "movement"),
        ("corrected", "1", "movement"),
        ("received", "0", "quantity"),
        ("received", "-3", "quantity"),
        ("received", "lots", "quantity"),
    ],
)
def test_register_input_is_validated(
    active: Any, solution: Any, movement: str, quantity: str, field: str
) -> None:
    refused(lambda: stock(active, solution, movement, quantity), field=field)


def test_a_movement_in_the_future_is_refused(active: Any, solution: Any) -> None:
    refused(
        lambda: stock(active, solution, "received", "10", occurred_at=at(0, "10:00")),
        field="occurred_at",
    )


@pytest.mark.parametrize("role", ["family", "psychologist", "outsider_nurse", "patient_user"])
def test_only_the_nurses_and_physicians_of_the_team_keep_the_register(
    active: Any, solution: Any, role: str
) -> None:
    refused(
        lambda: stock(active, solution, "received", "10", actor=getattr(active, role)), NotAllowed
    )


def test_a_dose_entered_in_error_puts_the_stock_back(active: Any, solution: Any, prn: Any) -> None:
    stock(active, solution, "received", "100")
    dose = dose_at(active.nurse, prn, at(0, "10:00")).administration
    assert dose is not None
    with clock.travel_to(at(0, "10:30")):
        services.mark_administration_entered_in_error(
            actor=active.nurse, administration=dose, reason="Tapped twice."
        )
    back = StockEntry.objects.get(movement="corrected")
    assert (back.quantity, back.balance_after) == (D("2.5"), D(100))
    assert holding(active, solution).balance == D(100)


def test_a_discrepancy_is_closed_with_a_note_once(active: Any, solution: Any) -> None:
    stock(active, solution, "received", "100")
    stock(active, solution, "counted", "90")
    line = holding(active, solution)
    with clock.travel_to(at(0, "13:00")):
        refused(lambda: services.close_discrepancy(actor=active.nurse, holding=line, note=" "))
        refused(
            lambda: services.close_discrepancy(actor=active.family, holding=line, note="ok"),
            NotAllowed,
        )
        services.close_discrepancy(
            actor=active.nurse, holding=line, note="Spilt 10 ml; confirmed with the daughter."
        )
        closed = holding(active, solution)
        assert not closed.discrepancy_open and closed.balance == D(90)
        refused(
            lambda: services.close_discrepancy(actor=active.nurse, holding=closed, note="again"),
            Conflict,
        )
    # The entries stay as they were.
    assert StockEntry.objects.get(movement="counted").discrepancy == D(-10)


def test_the_register_lists_each_holding_with_its_lines(
    active: Any, solution: Any, prn: Any
) -> None:
    stock(active, solution, "received", "100")
    dose_at(active.nurse, prn, at(0, "10:00"))
    (line,) = queries.controlled_drug_register(active.patient)
    assert line.holding.balance == D("97.5")
    assert [entry.movement for entry in line.entries] == ["given", "received"]
    with clock.travel_to(at(0, "11:00")):
        services.stop_order(actor=active.physician, order=prn, reason="Pain settled.")
    assert [found.formulation for found in queries.stopped_with_stock(active.patient)] == [solution]


def test_the_close_discrepancy_page_says_when_there_is_nothing_to_close(
    active: Any, solution: Any, client_for: Any
) -> None:
    """A link followed after someone else closed the discrepancy: the page says
    so rather than offering a form that can only be refused."""
    stock(active, solution, "received", "100")
    stock(active, solution, "counted", "90")
    url = (
        f"/patients/{active.patient.external_id}/medicines/controlled-drugs/"
        f"{solution.external_id}/close/"
    )
    nurse = client_for(active.nurse)
    assert 'name="note"' in nurse.get(url).content.decode()
    with clock.travel_to(at(0, "13:00")):
        response = nurse.post(url, {"note": "Spilt 10 ml; confirmed with the daughter."})
    assert response.status_code == 302
    assert not holding(active, solution).discrepancy_open

    page = nurse.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="note"' not in text
    assert "There is no open discrepancy for this medicine" in text
    with clock.travel_to(at(0, "13:05")):
        again = nurse.post(url, {"note": "again"})
    assert again.status_code == 409
    assert "There is no open discrepancy for this medicine." in again.content.decode()
    active.nurse.preferred_language = "ru"
    active.nurse.save(update_fields=["preferred_language"])
    assert "закрывать нечего" in nurse.get(url).content.decode()
