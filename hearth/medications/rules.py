"""Who may prescribe, give, sign off, keep the register and edit the formulary.

Rules take ``(user, patient)``, except the formulary rules, which are
service-wide. A family member's right to *record* a dose is only the start:
the service also checks their sign-off for the order's route.
"""

from __future__ import annotations

import rules

from hearth.patients import access
from hearth.patients.rules import (
    administrator,
    physician,
    physician_or_nurse,
    portal_can_open,
    staff_can_open,
)

is_staff = rules.predicate(access.is_staff)
family_of_patient = rules.predicate(access.is_family_of)

rules.add_perm("medications.view_medicines", staff_can_open)
rules.add_perm("medications.view_home_chart", staff_can_open | portal_can_open)
rules.add_perm("medications.prescribe", physician & staff_can_open)
rules.add_perm(
    "medications.record_administration", (physician_or_nurse & staff_can_open) | family_of_patient
)
rules.add_perm("medications.correct_administration", physician_or_nurse & staff_can_open)
rules.add_perm("medications.review_sync", physician_or_nurse & staff_can_open)
rules.add_perm("medications.sign_off_caregiver", physician_or_nurse & staff_can_open)
rules.add_perm("medications.manage_controlled_drugs", physician_or_nurse & staff_can_open)
rules.add_perm("medications.view_formulary", is_staff)
rules.add_perm("medications.manage_formulary", administrator)
