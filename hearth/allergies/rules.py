"""Who may read and write allergies.

Clinicians (physician, nurse) on the caseload record, change, refute and mark
entered in error, and answer the family's proposals. The family and the
patient read them and propose one in their own words. Volunteers see nothing:
``staff_can_open`` never lets a volunteer open the record.
"""

from __future__ import annotations

import rules

from hearth.patients.rules import physician_or_nurse, portal_can_open, staff_can_open

rules.add_perm("allergies.view_allergies", staff_can_open | portal_can_open)
rules.add_perm("allergies.record_allergies", physician_or_nurse & staff_can_open)
rules.add_perm("allergies.propose_allergy", portal_can_open)
rules.add_perm("allergies.review_proposals", physician_or_nurse & staff_can_open)
