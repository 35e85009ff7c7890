"""Object permissions on a patient, for pages, the API and templates alike.

Every rule takes ``(user, patient)``. Services check these before writing.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import Discipline
from hearth.patients import access


def discipline_in(*disciplines: str) -> Any:
    @rules.predicate(name="discipline_in_" + "_".join(disciplines))
    def predicate(user: Any) -> bool:
        return access.is_staff(user) and user.discipline in disciplines

    return predicate


staff_can_open = rules.predicate(access.staff_can_open)
portal_can_open = rules.predicate(access.portal_can_open)
sees_whole_service = rules.predicate(access.sees_whole_service)
is_commission_member = rules.predicate(
    lambda user: access.is_staff(user) and user.is_commission_member,
    name="is_commission_member",
)
is_clinical_lead = rules.predicate(
    lambda user: access.is_staff(user) and user.is_clinical_lead, name="is_clinical_lead"
)
can_use_emergency_access = rules.predicate(access.can_use_emergency_access)

physician = discipline_in(Discipline.PHYSICIAN)
physician_or_nurse = discipline_in(Discipline.PHYSICIAN, Discipline.NURSE)
coordinator = discipline_in(Discipline.COORDINATOR)
administrator = discipline_in(Discipline.ADMINISTRATOR)
record_keepers = discipline_in(
    Discipline.PHYSICIAN, Discipline.NURSE, Discipline.SOCIAL_WORKER, Discipline.COORDINATOR
)
referrers = discipline_in(
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.SOCIAL_WORKER,
    Discipline.PSYCHOLOGIST,
    Discipline.CHAPLAIN,
    Discipline.COORDINATOR,
)
family_support = discipline_in(
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.SOCIAL_WORKER,
    Discipline.PSYCHOLOGIST,
    Discipline.CHAPLAIN,
    Discipline.COORDINATOR,
)

# Reading
rules.add_perm("patients.view_patient", staff_can_open | portal_can_open)
rules.add_perm("patients.view_clinical_record", staff_can_open)
rules.add_perm("patients.view_audit_trail", administrator)
rules.add_perm("patients.review_emergency_access", is_clinical_lead)
rules.add_perm("patients.use_emergency_access", can_use_emergency_access)
# Writing (object = patient)
rules.add_perm("patients.refer_new_patient", referrers)
rules.add_perm("patients.change_patient", record_keepers & staff_can_open)
rules.add_perm("patients.manage_diagnoses", physician_or_nurse & staff_can_open)
rules.add_perm("patients.manage_caregivers", record_keepers & staff_can_open)
rules.add_perm("patients.refer_again", (referrers & staff_can_open) | portal_can_open)
rules.add_perm("patients.screen_eligibility", (physician_or_nurse & staff_can_open) | coordinator)
rules.add_perm("patients.record_commission_decision", is_commission_member & staff_can_open)
rules.add_perm("patients.admit", (physician & staff_can_open) | coordinator)
rules.add_perm("patients.discharge", (physician & staff_can_open) | coordinator)
rules.add_perm("patients.record_death", physician_or_nurse & staff_can_open)
rules.add_perm("patients.bereavement", (family_support & staff_can_open) | coordinator)
rules.add_perm("patients.manage_care_team", coordinator)
