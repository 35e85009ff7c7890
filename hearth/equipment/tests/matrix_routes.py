"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Home equipment: the service's store (no patient) and patient A's loans. The
objects the routes act on are made through ``hearth.equipment.services`` by
the coordinator, the team's nurse or the family, never by the role under test:
``world.item`` (a mattress in the store), ``world.loan`` (that mattress lent to
patient A) and ``world.fault`` (a fault the daughter reported on it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.patients.tests.matrix import OPENERS, PORTAL, PORTAL_PAGES, SIGNED_IN, Route

#: ``equipment.view_inventory``: every coordinator, nurse and physician of the
#: service (the store is service-wide; whose home an item is in is shown only
#: for patients the reader may see).
STORE_READERS = {"physician", "nurse", "coordinator", "clinical_lead", "outsider_nurse"}
#: ``equipment.manage_inventory``: coordinators and nurses keep the store.
STORE_KEEPERS = {"nurse", "coordinator", "outsider_nurse"}
#: ``equipment.view_equipment``: anyone who may open patient A, the family and the patient.
EQUIPMENT_READERS = OPENERS | PORTAL
#: ``equipment.lend`` / ``resolve_fault`` / ``return_loan``: the coordinator and the team's nurse.
LENDERS = {"nurse", "coordinator"}
#: ``equipment.check_safety``: the team's physician and nurse.
CHECKERS = {"physician", "nurse"}
#: ``equipment.report_fault``: ``staff_can_open | portal_can_open`` (see the report).
FAULT_REPORTERS = OPENERS | PORTAL
#: The same on the staff page (the family and the patient use the portal page).
FAULT_REPORTERS_STAFF_PAGE = OPENERS

KIND = "pressure_mattress"


def _item(world: World, actor: Any) -> None:
    """A mattress in the store, serviced, ready to lend (``world.item``)."""
    from hearth.equipment import services

    world.item = services.add_item(  # type: ignore[attr-defined]
        actor=world.coordinator,
        kind=KIND,
        serial_number="MATRIX-0001",
        model_name="Alternating air",
        maintenance_due_on=clock.today() + timedelta(days=90),
    )


def _loan(world: World, actor: Any) -> None:
    """The mattress delivered to patient A by the team's nurse (``world.loan``)."""
    from hearth.equipment import services

    _item(world, actor)
    world.loan = services.lend(  # type: ignore[attr-defined]
        actor=world.nurse,
        item=world.item,  # type: ignore[attr-defined]
        patient=world.patient,
    )


def _fault(world: World, actor: Any) -> None:
    """The daughter reports the mattress pump alarming (``world.fault``)."""
    from hearth.equipment import services

    _loan(world, actor)
    world.fault = services.report_fault(  # type: ignore[attr-defined]
        actor=world.family,
        loan=world.loan,  # type: ignore[attr-defined]
        description="The pump alarm keeps sounding.",
    )


def _new_item_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "kind": "commode",
        "serial_number": "MATRIX-NEW-1",
        "maintenance_due_on": (clock.today() + timedelta(days=180)).isoformat(),
    }


def _maintenance_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "done_on": clock.today().isoformat(),
        "next_due_on": (clock.today() + timedelta(days=365)).isoformat(),
        "note": "Annual service.",
    }


def _lend_body(world: World, actor: Any) -> dict[str, Any]:
    return {"item_id": str(world.item.external_id)}  # type: ignore[attr-defined]


def _check_body(world: World, actor: Any) -> dict[str, Any]:
    from hearth.equipment import checklists

    return {"answers": {item.code: "safe" for item in checklists.checklist_for(KIND)}}


API_ROUTES: list[Route] = [
    # The safety checklists: the same for everyone signed in (no patient data).
    Route("GET", "/api/v1/equipment/checklists", SIGNED_IN),
    # The store
    Route("GET", "/api/v1/equipment/items", STORE_READERS, prepare=_loan),
    Route("POST", "/api/v1/equipment/items", STORE_KEEPERS, body=_new_item_body),
    Route("GET", "/api/v1/equipment/items/{item}", STORE_READERS, prepare=_loan),
    Route(
        "POST",
        "/api/v1/equipment/items/{item}/maintenance",
        STORE_KEEPERS,
        prepare=_item,
        body=_maintenance_body,
    ),
    Route(
        "POST",
        "/api/v1/equipment/items/{item}/status",
        STORE_KEEPERS,
        prepare=_item,
        body=lambda w, a: {"status": "maintenance", "reason": "Annual service"},
    ),
    # Patient A's equipment
    Route("GET", "/api/v1/patients/{patient}/equipment", EQUIPMENT_READERS, prepare=_loan),
    Route("POST", "/api/v1/patients/{patient}/equipment", LENDERS, prepare=_item, body=_lend_body),
    Route("GET", "/api/v1/equipment/loans/{loan}", EQUIPMENT_READERS, prepare=_loan),
    Route(
        "POST",
        "/api/v1/equipment/loans/{loan}/safety-checks",
        CHECKERS,
        prepare=_loan,
        body=_check_body,
    ),
    Route(
        "POST",
        "/api/v1/equipment/loans/{loan}/faults",
        FAULT_REPORTERS,
        prepare=_loan,
        body=lambda w, a: {"description": "The mattress is going flat."},
    ),
    Route(
        "POST",
        "/api/v1/equipment/faults/{fault}/resolve",
        LENDERS,
        prepare=_fault,
        body=lambda w, a: {"resolution": "Pump replaced at home."},
    ),
    Route(
        "POST",
        "/api/v1/equipment/loans/{loan}/return",
        LENDERS,
        prepare=_loan,
        body=lambda w, a: {"condition_note": "Clean, working."},
    ),
]

PAGE_ROUTES: list[Route] = [
    # The store
    Route("GET", "/equipment/", STORE_READERS, prepare=_loan),
    Route("GET", "/equipment/add/", STORE_KEEPERS),
    Route("GET", "/equipment/items/{item}/", STORE_READERS, prepare=_loan),
    Route("GET", "/equipment/items/{item}/maintenance/", STORE_KEEPERS, prepare=_item),
    Route("GET", "/equipment/items/{item}/status/", STORE_KEEPERS, prepare=_item),
    # Patient A's equipment (staff pages)
    Route("GET", "/patients/{patient}/equipment/", OPENERS, prepare=_fault),
    Route("GET", "/patients/{patient}/equipment/lend/", LENDERS, prepare=_item),
    Route("GET", "/equipment/loans/{loan}/check/", CHECKERS, prepare=_loan),
    Route("GET", "/equipment/loans/{loan}/fault/", FAULT_REPORTERS_STAFF_PAGE, prepare=_loan),
    Route("GET", "/equipment/loans/{loan}/return/", LENDERS, prepare=_loan),
    Route("GET", "/equipment/faults/{fault}/resolve/", LENDERS, prepare=_fault),
    # The family portal: their own patient's equipment (another family sees theirs).
    Route("GET", "/portal/equipment/", PORTAL_PAGES, prepare=_loan),
    # Reporting on the portal: patient A's family and patient A (another family: not found).
    Route("GET", "/portal/equipment/{loan}/fault/", PORTAL, prepare=_loan),
]
