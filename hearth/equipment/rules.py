"""Who may keep the store, lend, check, report and return home equipment.

The inventory rules are service-wide (no object); the rest take
``(user, patient)``. Coordinators and nurses keep the store and lend; a
physician or nurse on the caseload does the safety check at home; anyone on the
team, the family and the patient themself may report a fault.
"""

from __future__ import annotations

import rules

from hearth.accounts.models import Discipline
from hearth.patients.rules import (
    coordinator,
    discipline_in,
    physician_or_nurse,
    portal_can_open,
    staff_can_open,
)

nurse = discipline_in(Discipline.NURSE)
store_keepers = coordinator | nurse

# The store (no patient)
rules.add_perm(
    "equipment.view_inventory",
    discipline_in(Discipline.COORDINATOR, Discipline.NURSE, Discipline.PHYSICIAN),
)
rules.add_perm("equipment.manage_inventory", store_keepers)
# A patient's equipment (object = patient)
rules.add_perm("equipment.view_equipment", staff_can_open | portal_can_open)
rules.add_perm("equipment.lend", store_keepers & staff_can_open)
rules.add_perm("equipment.check_safety", physician_or_nurse & staff_can_open)
rules.add_perm("equipment.report_fault", staff_can_open | portal_can_open)
rules.add_perm("equipment.resolve_fault", store_keepers & staff_can_open)
rules.add_perm("equipment.return_loan", store_keepers & staff_can_open)
