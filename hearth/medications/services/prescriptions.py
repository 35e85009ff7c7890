"""Prescriptions (physicians only): a new order, a dose change as a new
version, and stopping."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications.allergy_check import check_allergies
from hearth.medications.choices import OrderKind, OrderStatus
from hearth.medications.models import (
    DrugRoute,
    Formulation,
    MedicationOrder,
    OrderVersion,
    dose_param,
)
from hearth.medications.services import dose_safety
from hearth.medications.services._common import _decimal
from hearth.patients.models import Patient

TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
#: The longest minimum interval and the most doses a day an as-needed order may carry.
MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_DOSES_PER_DAY = 48


@dataclass
class _Dosing:
    dose: Decimal
    times: list[str]
    every_days: int
    indication: str
    minimum_interval_minutes: int | None
    maximum_doses_24h: int | None
    instructions: str
    formulation: Formulation | None
    volume_ml: Decimal | None = None


def _dosing(
    *,
    kind: str,
    drug_route: DrugRoute,
    dose: Any,
    times: Sequence[str] | None,
    every_days: Any,
    indication: str,
    minimum_interval_minutes: Any,
    maximum_doses_24h: Any,
    instructions: str,
    formulation: Formulation | None,
    errors: Errors,
) -> _Dosing | None:
    amount = _decimal(dose, "dose", errors)
    indication = (indication or "").strip()
    if not indication:
        errors.add("indication", _("Say what it is for (the family chart shows it)."))
    elif len(indication) > 200:
        errors.add("indication", _("At most 200 characters."))
    if formulation is not None and formulation.drug_route_id != drug_route.pk:
        errors.add("formulation", _("This form is not of the drug and route prescribed."))
    volume = (
        dose_safety.volume_for(formulation, amount, errors)
        if "formulation" not in errors.by_field
        else None
    )
    dose_safety.check_typed_volume(instructions, errors)
    clean_times: list[str] = []
    days = 1
    interval: int | None = None
    maximum: int | None = None
    if kind == OrderKind.REGULAR:
        for value in times or []:
            text = str(value).strip()
            if not TIME_OF_DAY.match(text):
                errors.add(
                    "times",
                    _("Times are HH:MM, 24-hour clock: “%(value)s” is not.") % {"value": text},
                )
            elif text in clean_times:
                errors.add("times", _("%(value)s is listed twice.") % {"value": text})
            else:
                clean_times.append(text)
        if not (times or []):
            errors.add("times", _("A regular order needs at least one time of day."))
        if len(clean_times) > MAX_DOSES_PER_DAY:
            errors.add("times", _("At most %(count)s times a day.") % {"count": MAX_DOSES_PER_DAY})
        try:
            days = 1 if every_days in (None, "") else int(every_days)
        except (TypeError, ValueError):
            errors.add("every_days", _("Enter a whole number of days."))
        else:
            if not 1 <= days <= 28:
                errors.add("every_days", _("Between 1 and 28 days."))
        if minimum_interval_minutes not in (None, "") or maximum_doses_24h not in (None, ""):
            errors.add(
                "minimum_interval_minutes",
                _("The interval and the 24-hour maximum are for as-needed orders."),
            )
    elif kind == OrderKind.AS_NEEDED:
        if times:
            errors.add("times", _("An as-needed order has no set times."))
        if every_days not in (None, "", 1, "1"):
            errors.add("every_days", _("An as-needed order has no schedule."))
        try:
            interval = int(minimum_interval_minutes)
        except (TypeError, ValueError):
            errors.add("minimum_interval_minutes", _("Required: minutes between doses."))
        else:
            if not 1 <= interval <= MAX_INTERVAL_MINUTES:
                errors.add("minimum_interval_minutes", _("Between 1 minute and 7 days."))
        try:
            maximum = int(maximum_doses_24h)
        except (TypeError, ValueError):
            errors.add("maximum_doses_24h", _("Required: the most doses in any 24 hours."))
        else:
            if not 1 <= maximum <= MAX_DOSES_PER_DAY:
                errors.add(
                    "maximum_doses_24h",
                    _("Between 1 and %(count)s.") % {"count": MAX_DOSES_PER_DAY},
                )
    else:
        errors.add("kind", _("Choose regular or as needed."))
    if amount is None or errors.by_field:
        return None
    return _Dosing(
        dose=amount,
        times=sorted(clean_times),
        every_days=days,
        indication=indication,
        minimum_interval_minutes=interval,
        maximum_doses_24h=maximum,
        instructions=(instructions or "").strip()[:2000],
        formulation=formulation,
        volume_ml=volume,
    )


def _describe(order: MedicationOrder, version: OrderVersion) -> messages.Message:
    """The order as one sentence for the record's history, kept as a key and
    parameters: the dose unit and the route are read in each reader's language
    and the numbers that count something choose the plural form."""
    words: dict[str, Any] = {
        "drug": order.drug_route.drug.name,
        "dose": dose_param(version.dose, version.dose_unit),
        "route": messages.lower_case(messages.choice(order.drug_route, "route")),
    }
    if order.kind != OrderKind.REGULAR:
        return messages.plural_text(
            "%(drug)s %(dose)s %(route)s as needed, at least %(minutes)s min apart, "
            "at most %(count)s in 24 h",
            "%(drug)s %(dose)s %(route)s as needed, at least %(minutes)s min apart, "
            "at most %(count)s in 24 h",
            count=version.maximum_doses_24h or 0,
            minutes=version.minimum_interval_minutes,
            **words,
        )
    times = ", ".join(version.times)
    if version.every_days > 1:
        return messages.plural_text(
            "%(drug)s %(dose)s %(route)s at %(times)s every %(count)s day",
            "%(drug)s %(dose)s %(route)s at %(times)s every %(count)s days",
            count=version.every_days,
            times=times,
            **words,
        )
    return messages.text(
        gettext_noop("%(drug)s %(dose)s %(route)s at %(times)s"), times=times, **words
    )


def _version_fields(version: OrderVersion) -> dict[str, Any]:
    return {
        "dose": version.dose,
        "dose_unit": version.dose_unit,
        "times": version.times,
        "every_days": version.every_days,
        "indication": version.indication,
        "minimum_interval_minutes": version.minimum_interval_minutes,
        "maximum_doses_24h": version.maximum_doses_24h,
        "instructions": version.instructions,
        "formulation": version.formulation_id and str(version.formulation),
        "volume_ml": version.volume_ml,
        "confirmation_reason": version.confirmation_reason,
        "confirmed_checks": version.confirmed_checks,
    }


@transaction.atomic
def prescribe(
    *,
    actor: User,
    patient: Patient,
    drug_route: DrugRoute,
    kind: str,
    dose: Any,
    indication: str,
    times: Sequence[str] | None = None,
    every_days: Any = 1,
    minimum_interval_minutes: Any = None,
    maximum_doses_24h: Any = None,
    instructions: str = "",
    formulation: Formulation | None = None,
    allergy_override_reason: str = "",
    dose_unit: str = "",
    confirmation_reason: str = "",
) -> MedicationOrder:
    """A new order. Only a physician; only for a patient in active home care.
    Duplicate therapy is refused; dose checks need ``confirmation_reason``
    (``services.dose_safety``)."""
    require_perm(actor, "medications.prescribe", patient, _("Only a physician can prescribe."))
    if not patient.is_receiving_care:
        raise InvalidTransition(_("Medicines can be prescribed only during active home care."))
    lock(Patient, patient.pk, of=("self",))  # two prescribers at once queue (duplicates)
    errors = Errors()
    dose_safety.check_unit(drug_route, dose_unit, errors)
    if not drug_route.drug.active:
        errors.add("drug_route", _("This medicine is no longer in the formulary."))
    dosing = _dosing(
        kind=kind,
        drug_route=drug_route,
        dose=dose,
        times=times,
        every_days=every_days,
        indication=indication,
        minimum_interval_minutes=minimum_interval_minutes,
        maximum_doses_24h=maximum_doses_24h,
        instructions=instructions,
        formulation=formulation,
        errors=errors,
    )
    errors.raise_if_any()
    assert dosing is not None
    # Allergies (hazards M13-M16): refused, or the physician's override reason.
    override = check_allergies(
        patient=patient, drug_route=drug_route, override_reason=allergy_override_reason
    )
    now = clock.now()
    version = OrderVersion(
        number=1, dose_unit=drug_route.dose_unit, prescribed_by=actor, valid_from=now
    )
    for name, value in dosing.__dict__.items():
        setattr(version, name, value)
    for name, value in dose_safety.screen(
        patient=patient,
        drug_route=drug_route,
        kind=kind,
        candidate=version,
        confirmation_reason=confirmation_reason,
    ).items():
        setattr(version, name, value)
    order = MedicationOrder.objects.create(
        patient=patient, drug_route=drug_route, kind=kind, created_at=now, created_by=actor
    )
    version.allergy_override_reason = override
    version.order = order
    version.save()
    order.current = version
    order.save(update_fields=["current"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PRESCRIPTION_CREATED,
        patient=patient,
        obj=order,
        summary=messages.text(
            gettext_noop("Prescribed: %(order)s"), order=_describe(order, version)
        ),
        changes={
            "kind": kind,
            "drug_route": str(drug_route),
            **_version_fields(version),
            **({"allergy_override_reason": override} if override else {}),
        },
    )
    return order


@transaction.atomic
def change_order(
    *,
    actor: User,
    order: MedicationOrder,
    reason: str,
    dose: Any,
    indication: str,
    times: Sequence[str] | None = None,
    every_days: Any = 1,
    minimum_interval_minutes: Any = None,
    maximum_doses_24h: Any = None,
    instructions: str = "",
    formulation: Formulation | None = None,
    allergy_override_reason: str = "",
    dose_unit: str = "",
    confirmation_reason: str = "",
) -> MedicationOrder:
    """A dose change is a new version: the old one ends now and stays readable;
    doses already given stay against the version they were given under. The
    same duplicate and dose checks as a new order; a change clears
    ``physician_check``."""
    require_perm(
        actor, "medications.prescribe", order.patient, _("Only a physician can change a dose.")
    )
    lock(Patient, order.patient_id, of=("self",))  # as prescribe(): duplicates queue
    locked = lock(
        MedicationOrder,
        order.pk,
        related=("drug_route__drug", "current", "patient"),
        of=("self",),
    )
    if locked.status != OrderStatus.ACTIVE or locked.current is None:
        raise InvalidTransition(_("This order was stopped; write a new one."))
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why the order changes."))
    dose_safety.check_unit(locked.drug_route, dose_unit, errors)
    dosing = _dosing(
        kind=locked.kind,
        drug_route=locked.drug_route,
        dose=dose,
        times=times,
        every_days=every_days,
        indication=indication,
        minimum_interval_minutes=minimum_interval_minutes,
        maximum_doses_24h=maximum_doses_24h,
        instructions=instructions,
        formulation=formulation,
        errors=errors,
    )
    errors.raise_if_any()
    assert dosing is not None
    # Allergies (hazards M13-M16): an allergy recorded since the order was written counts too.
    override = check_allergies(
        patient=locked.patient,
        drug_route=locked.drug_route,
        override_reason=allergy_override_reason,
    )
    previous = locked.current
    before = _version_fields(previous)
    now = clock.now()
    candidate = OrderVersion(
        order=locked,
        number=previous.number + 1,
        dose_unit=locked.drug_route.dose_unit,
        prescribed_by=actor,
        valid_from=now,
        change_reason=reason[:2000],
        allergy_override_reason=override,
        **dosing.__dict__,
    )
    after = _version_fields(candidate)
    confirmation = ("confirmation_reason", "confirmed_checks")
    if {k: v for k, v in after.items() if k not in confirmation} == {
        k: v for k, v in before.items() if k not in confirmation
    }:
        raise ValidationFailed(
            _("Nothing changed: the order already says this."),
            field_errors={"dose": [_("Nothing changed.")]},
        )
    for name, value in dose_safety.screen(
        patient=locked.patient,
        drug_route=locked.drug_route,
        kind=locked.kind,
        candidate=candidate,
        confirmation_reason=confirmation_reason,
        order=locked,
    ).items():
        setattr(candidate, name, value)
    after = _version_fields(candidate)
    previous.valid_until = now
    previous.save(update_fields=["valid_until"])
    candidate.save()
    locked.current = candidate
    locked.physician_check = ""
    locked.save(update_fields=["current", "physician_check"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PRESCRIPTION_CHANGED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Changed to version %(number)s: %(order)s"),
            number=candidate.number,
            order=_describe(locked, candidate),
        ),
        changes={
            "before": before,
            "after": after,
            "reason": reason,
            **({"allergy_override_reason": override} if override else {}),
        },
    )
    return locked


@transaction.atomic
def stop_order(*, actor: User, order: MedicationOrder, reason: str) -> MedicationOrder:
    require_perm(
        actor, "medications.prescribe", order.patient, _("Only a physician can stop a medicine.")
    )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the medicine is stopped."))
    locked = lock(
        MedicationOrder,
        order.pk,
        related=("drug_route__drug", "current", "patient"),
        of=("self",),
    )
    if locked.status != OrderStatus.ACTIVE:
        raise InvalidTransition(_("This order was already stopped."))
    now = clock.now()
    if locked.current is not None:
        locked.current.valid_until = now
        locked.current.save(update_fields=["valid_until"])
    locked.status = OrderStatus.STOPPED
    locked.stopped_at = now
    locked.stopped_by = actor
    locked.stop_reason = reason[:2000]
    locked.save(update_fields=["status", "stopped_at", "stopped_by", "stop_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PRESCRIPTION_STOPPED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Stopped: %(drug)s"), drug=locked.drug_route.as_message()
        ),
        changes={"reason": reason},
    )
    return locked
