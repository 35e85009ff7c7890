"""Equipment fixtures: the shared ``world`` in active home care, items in the
store, and a helper that answers a kind's checklist."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.equipment import checklists, services
from hearth.equipment.choices import CheckAnswer, EquipmentKind
from hearth.equipment.models import EquipmentItem, Loan

_serials = itertools.count(1)


def new_item(
    world: World, kind: str = EquipmentKind.PRESSURE_MATTRESS, *, due_in: int = 90, **extra: Any
) -> EquipmentItem:
    return services.add_item(
        actor=world.coordinator,
        kind=kind,
        serial_number=extra.pop("serial_number", f"SN-{next(_serials):04d}"),
        maintenance_due_on=clock.today() + timedelta(days=due_in),
        **extra,
    )


def answers(kind: str, **overrides: str) -> dict[str, str]:
    """Every item of the kind's checklist answered "safe", except ``overrides``."""
    given = {item.code: CheckAnswer.SAFE.value for item in checklists.checklist_for(kind)}
    given.update(overrides)
    return given


def lend(world: World, item: EquipmentItem) -> Loan:
    return services.lend(actor=world.nurse, item=item, patient=world.patient)


@pytest.fixture
def oxygen_loan(active: World) -> Loan:
    return lend(active, new_item(active, EquipmentKind.OXYGEN_CONCENTRATOR))


@pytest.fixture
def mattress_loan(active: World) -> Loan:
    return lend(active, new_item(active, EquipmentKind.PRESSURE_MATTRESS))
