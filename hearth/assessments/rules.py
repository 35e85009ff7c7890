"""Who may record and read instrument scores and phases of illness."""

from __future__ import annotations

import rules

from hearth.accounts.models import Discipline
from hearth.patients.rules import discipline_in, physician_or_nurse, portal_can_open, staff_can_open

#: Clinicians who talk with the person at length: they may record symptom and
#: caregiver-strain forms. Performance scales and PAINAD need a physician or nurse.
symptom_recorders = discipline_in(
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.CHAPLAIN,
)

rules.add_perm("assessments.view_assessments", staff_can_open)
rules.add_perm("assessments.record_assessment", symptom_recorders & staff_can_open)
rules.add_perm("assessments.record_clinical_assessment", physician_or_nurse & staff_can_open)
#: The patient or their family fill in the forms the registry marks ``portal``.
rules.add_perm("assessments.record_own_assessment", portal_can_open)
rules.add_perm("assessments.set_phase", physician_or_nurse & staff_can_open)
rules.add_perm("assessments.mark_entered_in_error", physician_or_nurse & staff_can_open)
