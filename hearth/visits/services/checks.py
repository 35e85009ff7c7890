"""Checks every visits service shares: in home care, planned staff, a time
with its zone, a model field's own ranges, known skills. One copy, so each
service refuses the same thing with the same words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.accounts.models import CLINICAL_DISCIPLINES, Discipline, UserKind
from hearth.core.errors import InvalidTransition, ValidationFailed
from hearth.core.validation import Errors
from hearth.patients.models import Patient
from hearth.visits.choices import Skill

#: Disciplines whose members are planned onto visits: the clinical team and volunteers.
PLANNED_DISCIPLINES = frozenset({*CLINICAL_DISCIPLINES, Discipline.VOLUNTEER})


def _require_in_care(patient: Patient) -> None:
    if not patient.is_receiving_care:
        raise InvalidTransition(_("Visits are planned only for people in home care."))


def _aware(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        errors.add(field, _("Give the time with its time zone, e.g. 2026-05-01T08:00+01:00."))
        return None
    return value


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _is_planned_staff(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.kind == UserKind.STAFF
        and user.discipline in PLANNED_DISCIPLINES
    )


def _require_planned_staff(staff: Any) -> None:
    if not _is_planned_staff(staff):
        message = _("Only clinical staff and volunteers are planned onto visits.")
        raise ValidationFailed(message, field_errors={"staff": [message]})


def _check_field(model: Any, name: str, value: Any, errors: Errors, field: str = "") -> None:
    """Run one model field's own validators (its ranges), naming the field."""
    if value is None:
        return
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        for message in error.messages:
            errors.add(field or name, message)


def _skills(value: Iterable[str] | None, errors: Errors) -> list[str]:
    skills = [str(item) for item in (value or [])]
    unknown = [item for item in skills if item not in Skill.values]
    if unknown:
        errors.add("skills", _("Not a known skill: %(values)s.") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(skills))
