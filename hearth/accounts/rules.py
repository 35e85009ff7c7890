"""Role predicates. Patient-relationship predicates live in ``patients.rules``."""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import CLINICAL_DISCIPLINES, Discipline, UserKind


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return _is_active(user) and user.kind == UserKind.STAFF


@rules.predicate
def is_family_member(user: Any) -> bool:
    return _is_active(user) and user.kind == UserKind.FAMILY


@rules.predicate
def is_patient_user(user: Any) -> bool:
    return _is_active(user) and user.kind == UserKind.PATIENT


def has_discipline(*disciplines: str) -> Any:
    names = "_or_".join(disciplines)

    @rules.predicate(name=f"is_{names}")
    def predicate(user: Any) -> bool:
        return bool(is_staff_member(user) and user.discipline in disciplines)

    return predicate


is_physician = has_discipline(Discipline.PHYSICIAN)
is_nurse = has_discipline(Discipline.NURSE)
is_coordinator = has_discipline(Discipline.COORDINATOR)
is_administrator = has_discipline(Discipline.ADMINISTRATOR)
is_clinician = has_discipline(*CLINICAL_DISCIPLINES)
sees_whole_service = is_coordinator | is_administrator


@rules.predicate
def is_commission_member(user: Any) -> bool:
    return bool(is_staff_member(user) and user.is_commission_member)


@rules.predicate
def is_clinical_lead(user: Any) -> bool:
    return bool(is_staff_member(user) and user.is_clinical_lead)


rules.add_perm("accounts.manage_security_policy", is_administrator)
rules.add_perm("accounts.view_service_audit", is_administrator)
rules.add_perm("accounts.use_api_tokens", rules.is_active)
