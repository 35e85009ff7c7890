"""Bereavement fixtures: patient A (the shared ``world``) died at home, with
the daughter as primary caregiver; helpers for equipment and controlled drugs
left in the home."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.bereavement.models import BereavementPlan
from hearth.conftest import World, stage_fixture
from hearth.core import clock
from hearth.equipment.models import EquipmentItem, Loan
from hearth.medications import services as medicines
from hearth.medications.models import Formulation

JSON = "application/json"


#: Patient A died at home (saved once, see ``hearth.conftest.stage_fixture``).
deceased = stage_fixture("deceased", "deceased")


@pytest.fixture
def plan(deceased: World) -> BereavementPlan:
    return BereavementPlan.objects.get(patient=deceased.patient)


def lend(world: World, serial: str = "MAT-001", kind: str = "pressure_mattress") -> Loan:
    """An item at the patient's home (a fixture row; the equipment app owns the services)."""
    item = EquipmentItem.objects.create(kind=kind, serial_number=serial, status="on_loan")
    return Loan.objects.create(
        item=item,
        patient=world.patient,
        status="in_use",
        delivered_at=clock.now(),
        delivered_by=world.nurse,
    )


def bring_back(loan: Loan) -> None:
    loan.status = "returned"
    loan.returned_at = clock.now()
    loan.save(update_fields=["status", "returned_at"])


def morphine_solution() -> Formulation:
    return Formulation.objects.get(
        drug_route__drug__name="Morphine", drug_route__route="oral", strength="10 mg/5 ml"
    )


def stock(world: World, movement: str, quantity: str, **extra: Any) -> Any:
    return medicines.record_stock(
        actor=world.nurse,
        patient=world.patient,
        formulation=morphine_solution(),
        movement=movement,
        quantity=quantity,
        **extra,
    )
