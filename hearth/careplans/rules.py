"""Who may read and change assessments, care plans and advance care plans."""

from __future__ import annotations

import rules

from hearth.accounts.models import Discipline
from hearth.patients.rules import (
    coordinator,
    discipline_in,
    is_clinical_lead,
    physician,
    portal_can_open,
    staff_can_open,
)

#: The interdisciplinary team's clinicians: they assess and write the care plan.
clinicians = discipline_in(
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.CHAPLAIN,
)
#: Advance care planning conversations are led by physicians and nurses;
#: only a physician signs (docs/clinical-reference.md, ReSPECT: "clinician signatures").
acp_writers = discipline_in(Discipline.PHYSICIAN, Discipline.NURSE)

rules.add_perm("careplans.view_care_plan", staff_can_open)
rules.add_perm("careplans.view_plan_summary", staff_can_open | portal_can_open)
rules.add_perm("careplans.change_care_plan", clinicians & staff_can_open)
rules.add_perm("careplans.view_advance_care_plan", staff_can_open | portal_can_open)
rules.add_perm("careplans.draft_advance_care_plan", acp_writers & staff_can_open)
rules.add_perm("careplans.sign_advance_care_plan", physician & staff_can_open)
#: The list of open care plan reviews (no object; it holds only the patients
#: each may see): the clinicians, the coordinator and the clinical lead.
rules.add_perm("careplans.view_review_tasks", clinicians | coordinator | is_clinical_lead)
