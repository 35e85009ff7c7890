"""Every change to medicines: the formulary, prescriptions and their versions,
doses given or not given, the offline-sync review queue, family sign-off per
route, and the controlled-drug register at home.

Each function checks the rules, validates naming the field, writes in one
transaction and leaves an audit event. Pages and the API call these only.

Recording a dose is the one write that is *not* a single decorated
transaction: its idempotency key is claimed and committed first, so a retry
that arrives while the first attempt is still running is told to wait (409)
rather than recording the dose twice. The checks and the write then run in one
transaction with the order row locked (``select_for_update`` on PostgreSQL; on
SQLite every write transaction starts ``IMMEDIATE``, so writers queue).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock, idempotency
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications import checks
from hearth.medications.choices import (
    FAMILY_ROUTES,
    STOCK_OUT,
    AdministrationOutcome,
    Conversion,
    NotGivenReason,
    OrderKind,
    OrderStatus,
    ReviewStatus,
    Route,
    StockMovement,
)
from hearth.medications.models import (
    Administration,
    Drug,
    DrugRoute,
    Formulation,
    MedicationOrder,
    MedicineSignOff,
    OrderVersion,
    StockEntry,
    StockHolding,
    SyncReview,
    describe_dose,
)
from hearth.monitoring.alerts import (
    Evidence,
    in_service_language,
    local_time,
    raise_alert,
    severity_for,
)
from hearth.monitoring.choices import AlertRule, OnCallRole
from hearth.monitoring.models import Alert
from hearth.patients.choices import EpisodeState
from hearth.patients.models import CaregiverLink, Patient

CLOCK_SKEW = timedelta(minutes=5)
MICROSECOND = timedelta(microseconds=1)
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_DOSE = Decimal("100000")
#: The longest minimum interval and the most doses a day an as-needed order may carry.
MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_DOSES_PER_DAY = 48


def _decimal(value: Any, field: str, errors: Errors, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Required."))
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter a number."))
        return None
    if not number.is_finite() or number <= 0:
        errors.add(field, _("Must be more than zero."))
        return None
    if number >= MAX_DOSE or number != number.quantize(Decimal("0.001")):
        errors.add(field, _("At most 99,999 with up to three decimal places."))
        return None
    return number


def _aware(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        errors.add(field, _("Give the time with its time zone, e.g. 2026-05-01T08:00+01:00."))
        return None
    return value


def _receiving_care(patient: Patient) -> bool:
    episode = patient.current_episode
    return (
        patient.date_of_death is None
        and episode is not None
        and episode.state == EpisodeState.ACTIVE
    )


# --- Formulary (administrator) ---------------------------------------------


@transaction.atomic
def update_drug_route(
    *,
    actor: User,
    drug_route: DrugRoute,
    reason: str,
    ome_factor: Decimal | str | None = None,
    conversion: str | None = None,
    source: str | None = None,
) -> DrugRoute:
    """Change a conversion factor. The reason is kept with the history row and
    in the audit trail, because every opioid total after this uses it."""
    require_perm(actor, "medications.manage_formulary")
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why the factor changes (and its source)."))
    locked = DrugRoute.objects.select_for_update().select_related("drug").get(pk=drug_route.pk)
    before = {
        "ome_factor": locked.ome_factor,
        "conversion": locked.conversion,
        "source": locked.source,
    }
    if conversion is not None:
        if conversion not in Conversion.values:
            errors.add("conversion", _("Choose one of the listed conversions."))
        else:
            locked.conversion = conversion
    if ome_factor not in (None, ""):
        factor = _decimal(ome_factor, "ome_factor", errors)
        if factor is not None:
            locked.ome_factor = factor
    elif ome_factor == "":
        locked.ome_factor = None
    if source is not None:
        locked.source = source.strip()[:200]
    if locked.conversion in (Conversion.PER_DOSE_UNIT, Conversion.PATCH_RATE) and (
        locked.ome_factor is None
    ):
        errors.add("ome_factor", _("This conversion needs a factor."))
    errors.raise_if_any()
    after = {
        "ome_factor": locked.ome_factor,
        "conversion": locked.conversion,
        "source": locked.source,
    }
    if after == before:
        raise ValidationFailed(
            _("Nothing changed."), field_errors={"ome_factor": [_("Nothing changed.")]}
        )
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.FORMULARY_CHANGED,
        obj=locked,
        summary=_("Formulary: %(row)s changed") % {"row": str(locked)},
        changes={"before": before, "after": after, "reason": reason},
    )
    return locked


@transaction.atomic
def update_drug(
    *,
    actor: User,
    drug: Drug,
    reason: str,
    is_controlled: bool | None = None,
    is_opioid: bool | None = None,
    warning: str | None = None,
    active: bool | None = None,
) -> Drug:
    require_perm(actor, "medications.manage_formulary")
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why this changes."))
    locked = Drug.objects.select_for_update().get(pk=drug.pk)
    fields = {
        "is_controlled": is_controlled,
        "is_opioid": is_opioid,
        "warning": warning.strip()[:300] if warning is not None else None,
        "active": active,
    }
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        if value is not None:
            setattr(locked, name, value)
    after = {name: getattr(locked, name) for name in fields}
    if after == before:
        raise ValidationFailed(
            _("Nothing changed."), field_errors={"reason": [_("Nothing changed.")]}
        )
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.FORMULARY_CHANGED,
        obj=locked,
        summary=_("Formulary: %(drug)s changed") % {"drug": locked.name},
        changes={"before": before, "after": after, "reason": reason},
    )
    return locked


# --- Prescriptions (physicians only) ----------------------------------------


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
    )


def _describe(order: MedicationOrder, version: OrderVersion) -> str:
    text = f"{order.drug_route.drug.name} {describe_dose(version.dose, version.dose_unit)} "
    text += str(Route(order.drug_route.route).label).lower()
    if order.kind == OrderKind.REGULAR:
        text += " " + _("at %(times)s") % {"times": ", ".join(version.times)}
        if version.every_days > 1:
            text += " " + _("every %(days)s days") % {"days": version.every_days}
    else:
        text += " " + _("as needed, at least %(minutes)s min apart, at most %(count)s in 24 h") % {
            "minutes": version.minimum_interval_minutes,
            "count": version.maximum_doses_24h,
        }
    return text


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
) -> MedicationOrder:
    """A new order. Only a physician; only for a patient in active home care."""
    require_perm(actor, "medications.prescribe", patient, _("Only a physician can prescribe."))
    if not _receiving_care(patient):
        raise InvalidTransition(_("Medicines can be prescribed only during active home care."))
    errors = Errors()
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
    now = clock.now()
    order = MedicationOrder.objects.create(
        patient=patient, drug_route=drug_route, kind=kind, created_at=now, created_by=actor
    )
    version = OrderVersion.objects.create(
        order=order,
        number=1,
        dose_unit=drug_route.dose_unit,
        prescribed_by=actor,
        valid_from=now,
        **dosing.__dict__,
    )
    order.current = version
    order.save(update_fields=["current"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PRESCRIPTION_CREATED,
        patient=patient,
        obj=order,
        summary=_("Prescribed: %(order)s") % {"order": _describe(order, version)},
        changes={"kind": kind, "drug_route": str(drug_route), **_version_fields(version)},
    )
    return order


def _lock_order(order: MedicationOrder) -> MedicationOrder:
    # ``of=("self",)``: lock the order row only. PostgreSQL refuses FOR UPDATE on
    # the nullable side of the outer join to ``current``.
    return (
        MedicationOrder.objects.select_for_update(of=("self",))
        .select_related("drug_route__drug", "current", "patient")
        .get(pk=order.pk)
    )


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
) -> MedicationOrder:
    """A dose change is a new version: the old one ends now and stays readable;
    doses already given stay against the version they were given under."""
    require_perm(
        actor, "medications.prescribe", order.patient, _("Only a physician can change a dose.")
    )
    locked = _lock_order(order)
    if locked.status != OrderStatus.ACTIVE or locked.current is None:
        raise InvalidTransition(_("This order was stopped; write a new one."))
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why the order changes."))
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
        **dosing.__dict__,
    )
    after = _version_fields(candidate)
    if after == before:
        raise ValidationFailed(
            _("Nothing changed: the order already says this."),
            field_errors={"dose": [_("Nothing changed.")]},
        )
    previous.valid_until = now
    previous.save(update_fields=["valid_until"])
    candidate.save()
    locked.current = candidate
    locked.save(update_fields=["current"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PRESCRIPTION_CHANGED,
        patient=locked.patient,
        obj=locked,
        summary=_("Changed to version %(number)s: %(order)s")
        % {"number": candidate.number, "order": _describe(locked, candidate)},
        changes={"before": before, "after": after, "reason": reason},
    )
    return locked


@transaction.atomic
def stop_order(*, actor: User, order: MedicationOrder, reason: str) -> MedicationOrder:
    require_perm(
        actor, "medications.prescribe", order.patient, _("Only a physician can stop a medicine.")
    )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the medicine is stopped."))
    locked = _lock_order(order)
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
        summary=_("Stopped: %(drug)s") % {"drug": str(locked.drug_route)},
        changes={"reason": reason},
    )
    return locked


# --- Family sign-off per route ------------------------------------------------


@transaction.atomic
def sign_off_caregiver(
    *,
    actor: User,
    patient: Patient,
    caregiver: User,
    route: str,
    signed_off_on: date,
    expires_on: date,
    note: str = "",
) -> MedicineSignOff:
    """A nurse or physician saw this family member give medicines by ``route``
    and judged them competent. Without it, their doses by that route are refused."""
    require_perm(
        actor,
        "medications.sign_off_caregiver",
        patient,
        _("Only a nurse or physician can sign off a family member."),
    )
    errors = Errors()
    if not CaregiverLink.objects.filter(
        patient=patient, user=caregiver, ended_at__isnull=True
    ).exists():
        errors.add("caregiver", _("Choose a family caregiver of this patient."))
    if route not in FAMILY_ROUTES:
        errors.add(
            "route",
            _("Family members can be signed off for: %(routes)s.")
            % {"routes": ", ".join(str(Route(r).label).lower() for r in FAMILY_ROUTES)},
        )
    today = clock.today()
    if signed_off_on > today:
        errors.add("signed_off_on", _("Cannot be in the future."))
    if expires_on < signed_off_on:
        errors.add("expires_on", _("Must be on or after the sign-off date."))
    elif expires_on < today:
        errors.add("expires_on", _("This sign-off would already have expired."))
    errors.raise_if_any()
    sign_off = MedicineSignOff.objects.create(
        patient=patient,
        caregiver=caregiver,
        route=route,
        signed_off_on=signed_off_on,
        expires_on=expires_on,
        signed_off_by=actor,
        note=(note or "").strip()[:2000],
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.MEDICINE_SIGN_OFF_RECORDED,
        patient=patient,
        obj=sign_off,
        summary=_("%(who)s signed off for medicines %(route)s until %(until)s")
        % {
            "who": caregiver.display_name,
            "route": str(Route(route).label).lower(),
            "until": formats.date_format(expires_on, "j M Y"),
        },
        changes={"caregiver": caregiver, "route": route, "expires_on": expires_on},
    )
    return sign_off


@transaction.atomic
def revoke_sign_off(*, actor: User, sign_off: MedicineSignOff, reason: str) -> MedicineSignOff:
    require_perm(actor, "medications.sign_off_caregiver", sign_off.patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the sign-off ends."))
    locked = MedicineSignOff.objects.select_for_update().get(pk=sign_off.pk)
    if locked.revoked_at is not None:
        raise InvalidTransition(_("This sign-off was already withdrawn."))
    locked.revoked_at = clock.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason[:2000]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.MEDICINE_SIGN_OFF_WITHDRAWN,
        patient=locked.patient,
        obj=locked,
        summary=_("Medicine sign-off withdrawn"),
        changes={"reason": reason},
    )
    return locked


# --- Recording doses ----------------------------------------------------------


@dataclass
class Recorded:
    """A dose recorded (``administration``), or an offline dose that clashed
    after merging and waits for a clinician (``review``)."""

    administration: Administration | None = None
    review: SyncReview | None = None
    replayed: bool = False


def record_administration(
    *,
    actor: User,
    order: MedicationOrder,
    idempotency_key: str,
    outcome: str = AdministrationOutcome.GIVEN,
    dose: Any = None,
    route: str = "",
    given_at: datetime | None = None,
    scheduled_for: datetime | None = None,
    not_given_reason: str = "",
    note: str = "",
    recorded_offline: bool = False,
    device_recorded_at: datetime | None = None,
    client_id: str = "",
) -> Recorded:
    """A dose given (or a scheduled dose not given) against an active order.

    Refused with nothing written (docs/clinical-reference.md): no active order; a different
    dose or route; an as-needed dose before its minimum interval or over its
    rolling 24 h maximum; a scheduled slot already recorded; a family member
    not signed off for the route; the same submission twice. An offline dose
    that clashes only after merging goes to the clinician review queue instead.
    """
    require_perm(
        actor,
        "medications.record_administration",
        order.patient,
        _("Doses are recorded by the nurses and by family members trained to give them."),
    )
    body = {
        "order": order.external_id,
        "outcome": outcome,
        "dose": str(dose) if dose is not None else None,
        "route": route,
        "given_at": given_at,
        "scheduled_for": scheduled_for,
        "not_given_reason": not_given_reason,
        "note": note,
        "recorded_offline": recorded_offline,
        "device_recorded_at": device_recorded_at,
        "client_id": client_id,
    }
    claimed = idempotency.claim(
        actor=actor, scope="medications.administration", key=idempotency_key, body=body
    )
    if claimed.replay is not None:
        return _as_recorded(claimed.replay)
    with idempotency.settled(claimed) as done, transaction.atomic():
        result = _record(
            actor=actor,
            order=order,
            outcome=outcome,
            dose=dose,
            route=route,
            given_at=given_at,
            scheduled_for=scheduled_for,
            not_given_reason=not_given_reason,
            note=note,
            recorded_offline=recorded_offline,
            device_recorded_at=device_recorded_at,
            client_id=client_id,
            body=body,
        )
        done(result.administration or result.review)  # type: ignore[arg-type]
    return result


def _as_recorded(found: Any) -> Recorded:
    if isinstance(found, SyncReview):
        return Recorded(review=found, replayed=True)
    return Recorded(administration=found, replayed=True)


def _version_at(order: MedicationOrder, moment: datetime) -> OrderVersion | None:
    return (
        order.versions.filter(valid_from__lte=moment)
        .exclude(valid_until__lte=moment)
        .order_by("-number")
        .first()
    )


def _check_family(actor: User, order: MedicationOrder, moment: datetime) -> None:
    if actor.kind == UserKind.STAFF:
        return
    if actor.kind != UserKind.FAMILY:
        raise NotAllowed(
            _("Doses are recorded by the nurses and by family members trained to give them.")
        )
    route = order.drug_route.route
    signed = MedicineSignOff.objects.filter(
        patient_id=order.patient_id, caregiver=actor, route=route
    ).valid_on(timezone.localdate(moment))
    if not signed.exists():
        raise NotAllowed(
            _(
                "You have not been signed off to give medicines %(route)s (or your sign-off "
                "has expired). Nothing was recorded. Call the team: a nurse will give it or "
                "train you."
            )
            % {"route": str(Route(route).label).lower()},
            code="not_signed_off",
        )


def _slot_problem(
    order: MedicationOrder, version: OrderVersion, slot: datetime, given_at: datetime
) -> str:
    """Why ``slot`` is not one of this order's scheduled doses, or ""."""
    local = timezone.localtime(slot)
    if local.second or local.microsecond or local.strftime("%H:%M") not in version.times:
        return _("%(time)s is not one of this medicine's times (%(times)s).") % {
            "time": local.strftime("%H:%M"),
            "times": ", ".join(version.times),
        }
    if version.every_days > 1:
        first = order.versions.order_by("number").first()
        start = timezone.localtime(first.valid_from if first else version.valid_from).date()
        if not checks.due_on(local.date(), start, version.every_days):
            return _("This medicine is not due on %(day)s.") % {
                "day": formats.date_format(local.date(), "j M")
            }
    early = timedelta(minutes=settings.HEARTH_SCHEDULED_DOSE_EARLY_MINUTES)
    if given_at < slot - early:
        return _("The %(time)s dose cannot be recorded more than %(minutes)s minutes early.") % {
            "time": local_time(slot),
            "minutes": settings.HEARTH_SCHEDULED_DOSE_EARLY_MINUTES,
        }
    return ""


def _given_times(
    order: MedicationOrder, around: datetime, span: timedelta = checks.DAY
) -> list[datetime]:
    return list(
        Administration.objects.counting_towards(order)
        .filter(given_at__gt=around - span, given_at__lt=around + span)
        .values_list("given_at", flat=True)
    )


def _minimum_interval(version: OrderVersion) -> timedelta | None:
    minutes = version.minimum_interval_minutes
    return timedelta(minutes=minutes) if minutes else None


def _timing_problems(
    order: MedicationOrder, version: OrderVersion, given_at: datetime
) -> list[str]:
    """As-needed interval and rolling 24 h maximum, against every dose of this
    order (all versions, and a stopped order it replaced) either side of
    ``given_at``."""
    # An interval may be longer than the 24 h window (up to 7 days): look that far.
    others = _given_times(order, given_at, checks.lookback(_minimum_interval(version)))
    problems: list[str] = []
    if version.minimum_interval_minutes:
        minimum = timedelta(minutes=version.minimum_interval_minutes)
        clash = checks.too_close(given_at, others, minimum)
        if clash is not None and clash <= given_at:
            wait_until = checks.next_allowed(given_at, others, minimum, None)
            problems.append(
                _(
                    "Too soon: the last dose was at %(last)s and this medicine needs at least "
                    "%(minutes)s minutes between doses. The next dose can be given from %(next)s."
                )
                % {
                    "last": local_time(clash),
                    "minutes": version.minimum_interval_minutes,
                    "next": local_time(wait_until),
                }
            )
        elif clash is not None:
            # A dose dated before one already recorded (an offline phone, a late entry).
            problems.append(
                _(
                    "Too close to the dose recorded at %(other)s: this medicine needs at least "
                    "%(minutes)s minutes between doses."
                )
                % {"other": local_time(clash), "minutes": version.minimum_interval_minutes}
            )
    if version.maximum_doses_24h and checks.over_maximum(
        given_at, others, version.maximum_doses_24h
    ):
        problems.append(
            _(
                "The limit is reached: at most %(count)s doses in any 24 hours. Do not give "
                "more. Call the team on %(phone)s."
            )
            % {"count": version.maximum_doses_24h, "phone": settings.HEARTH_SERVICE_PHONE}
        )
    return problems


def _record(
    *,
    actor: User,
    order: MedicationOrder,
    outcome: str,
    dose: Any,
    route: str,
    given_at: datetime | None,
    scheduled_for: datetime | None,
    not_given_reason: str,
    note: str,
    recorded_offline: bool,
    device_recorded_at: datetime | None,
    client_id: str,
    body: dict[str, Any],
) -> Recorded:
    locked = _lock_order(order)
    now = clock.now()
    errors = Errors()
    note = (note or "").strip()
    if len(note) > 2000:
        errors.add("note", _("At most 2,000 characters."))
    if outcome not in AdministrationOutcome.values:
        errors.add("outcome", _("Choose given or not given."))
    given_at = _aware(given_at, "given_at", errors) or (None if given_at else now)
    scheduled_for = _aware(scheduled_for, "scheduled_for", errors)
    device_recorded_at = _aware(device_recorded_at, "device_recorded_at", errors)
    if given_at is not None:
        if given_at > now + CLOCK_SKEW:
            errors.add("given_at", _("Cannot be in the future."))
        if recorded_offline:
            if given_at < now - timedelta(days=settings.HEARTH_OFFLINE_SYNC_DAYS):
                errors.add(
                    "given_at",
                    _("Older than %(days)s days: tell the nurse, who records it by hand.")
                    % {"days": settings.HEARTH_OFFLINE_SYNC_DAYS},
                )
        elif given_at < now - timedelta(hours=settings.HEARTH_ADMINISTRATION_BACKDATE_HOURS):
            errors.add(
                "given_at",
                _("More than %(hours)s hours ago: ask a nurse to record it.")
                % {"hours": settings.HEARTH_ADMINISTRATION_BACKDATE_HOURS},
            )
    if recorded_offline:
        if not (client_id or "").strip():
            errors.add("client_id", _("An offline record carries the phone's own id for it."))
        if device_recorded_at is None and "device_recorded_at" not in errors.by_field:
            errors.add("device_recorded_at", _("An offline record carries the phone's own time."))
    if len(client_id or "") > 80:
        errors.add("client_id", _("At most 80 characters."))
    errors.raise_if_any()
    assert given_at is not None
    version = _version_at(locked, given_at)
    if version is None:
        raise ValidationFailed(
            _("There is no active order for %(drug)s at %(time)s. Nothing was recorded.")
            % {"drug": str(locked.drug_route), "time": local_time(given_at)},
            code="no_active_order",
            field_errors={"order": [_("No active order at that time.")]},
        )
    _check_family(actor, locked, given_at)

    ordered_route = locked.drug_route.route
    amount: Decimal | None = None
    if outcome == AdministrationOutcome.GIVEN:
        amount = _decimal(dose, "dose", errors)
        if amount is not None and amount != version.dose:
            errors.add(
                "dose",
                _("The order is %(ordered)s, not %(given)s. Only a doctor can change a dose.")
                % {
                    "ordered": describe_dose(version.dose, version.dose_unit),
                    "given": describe_dose(amount, version.dose_unit),
                },
            )
        if not_given_reason:
            errors.add("not_given_reason", _("Only for a dose that was not given."))
    else:
        if dose not in (None, ""):
            errors.add("dose", _("Leave the dose empty for a dose not given."))
        if not_given_reason not in NotGivenReason.values:
            errors.add("not_given_reason", _("Say why it was not given."))
        elif not_given_reason == NotGivenReason.OTHER and not note:
            errors.add("note", _("Say why it was not given."))
        if locked.kind == OrderKind.AS_NEEDED:
            errors.add("outcome", _("As-needed doses are recorded only when given."))
    if not route:
        errors.add("route", _("Say how it was given."))
    elif route != ordered_route:
        errors.add(
            "route",
            _("The order is %(ordered)s, not %(given)s. Only a doctor can change the route.")
            % {
                "ordered": str(Route(ordered_route).label).lower(),
                "given": str(Route(route).label).lower() if route in Route.values else route,
            },
        )
    if locked.kind == OrderKind.REGULAR:
        if scheduled_for is None:
            if "scheduled_for" not in errors.by_field:
                errors.add("scheduled_for", _("Say which scheduled dose this is."))
        else:
            slot_version = _version_at(locked, scheduled_for)
            problem = (
                _slot_problem(locked, slot_version, scheduled_for, given_at)
                if slot_version is not None
                else _("The order was not active at %(time)s.")
                % {"time": local_time(scheduled_for)}
            )
            if problem:
                errors.add("scheduled_for", problem)
    elif scheduled_for is not None:
        errors.add("scheduled_for", _("An as-needed dose has no scheduled time."))
    errors.raise_if_any()

    # Clashes with other records: refused live; sent for review from offline.
    problems: list[str] = []
    if locked.kind == OrderKind.REGULAR and scheduled_for is not None:
        taken = (
            Administration.objects.valid()
            .filter(order=locked, scheduled_for=scheduled_for)
            .select_related("recorded_by")
            .first()
        )
        if taken is not None:
            problems.append(
                _("The %(time)s dose was already recorded (%(outcome)s) by %(who)s.")
                % {
                    "time": local_time(scheduled_for),
                    "outcome": taken.get_outcome_display().lower(),
                    "who": taken.recorded_by.display_name,
                }
            )
    if outcome == AdministrationOutcome.GIVEN and locked.kind == OrderKind.AS_NEEDED:
        problems.extend(_timing_problems(locked, version, given_at))
    if problems and not recorded_offline:
        raise ValidationFailed(
            problems[0],
            code="dose_refused",
            field_errors={"given_at": problems},
        )
    if problems:
        return Recorded(
            review=_send_for_review(
                actor=actor,
                order=locked,
                version=version,
                given_at=given_at,
                device_recorded_at=device_recorded_at,
                client_id=client_id,
                body=body,
                problems=problems,
            )
        )
    administration = Administration.objects.create(
        patient=locked.patient,
        order=locked,
        version=version,
        outcome=outcome,
        not_given_reason=not_given_reason if outcome != AdministrationOutcome.GIVEN else "",
        note=note,
        dose=amount,
        dose_unit=version.dose_unit if amount is not None else "",
        route=route,
        scheduled_for=scheduled_for,
        given_at=given_at,
        recorded_at=now,
        recorded_by=actor,
        recorded_offline=recorded_offline,
        device_recorded_at=device_recorded_at,
        client_id=(client_id or "").strip(),
    )
    _after_dose(actor=actor, administration=administration, order=locked)
    return Recorded(administration=administration)


def _after_dose(*, actor: User, administration: Administration, order: MedicationOrder) -> None:
    """Audit, the controlled-drug register and the breakthrough review: what
    follows every dose stored, live, from offline or after review."""
    given = administration.outcome == AdministrationOutcome.GIVEN
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ADMINISTRATION_RECORDED,
        patient=order.patient,
        obj=administration,
        summary=(
            _("Given: %(drug)s %(dose)s at %(time)s")
            if given
            else _("Not given: %(drug)s at %(time)s (%(reason)s)")
        )
        % {
            "drug": order.drug_route.drug.name,
            "dose": describe_dose(administration.dose, administration.dose_unit),
            "time": local_time(administration.given_at),
            "reason": administration.get_not_given_reason_display(),
        },
        changes={
            "order": order,
            "outcome": administration.outcome,
            "dose": administration.dose,
            "route": administration.route,
            "given_at": administration.given_at,
            "scheduled_for": administration.scheduled_for,
            "offline": administration.recorded_offline,
        },
    )
    if not given:
        return
    _take_from_stock(actor=actor, administration=administration)
    if order.is_breakthrough:
        _review_breakthrough(actor=actor, administration=administration)


def _send_for_review(
    *,
    actor: User,
    order: MedicationOrder,
    version: OrderVersion,
    given_at: datetime,
    device_recorded_at: datetime | None,
    client_id: str,
    body: dict[str, Any],
    problems: list[str],
) -> SyncReview:
    review = SyncReview.objects.create(
        patient=order.patient,
        order=order,
        version=version,
        submitted_by=actor,
        given_at=given_at,
        device_recorded_at=device_recorded_at,
        client_id=(client_id or "").strip(),
        payload=audit._jsonable(body),
        problems=problems,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ADMINISTRATION_SENT_FOR_REVIEW,
        patient=order.patient,
        obj=review,
        summary=_("Offline dose of %(drug)s at %(time)s needs a clinician's review: %(problem)s")
        % {
            "drug": order.drug_route.drug.name,
            "time": local_time(given_at),
            "problem": problems[0],
        },
        changes={"problems": problems, "client_id": client_id},
    )
    return review


@transaction.atomic
def resolve_review(*, actor: User, review: SyncReview, decision: str, note: str) -> SyncReview:
    """A clinician decides about an offline dose that clashed: it was really
    given (accepted into the record, with the clash noted), it was the same
    dose recorded twice, or it was not given."""
    require_perm(actor, "medications.review_sync", review.patient)
    note = (note or "").strip()
    errors = Errors()
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.DUPLICATE, ReviewStatus.REJECTED):
        errors.add("decision", _("Choose accept, duplicate or not given."))
    if not note:
        errors.add("note", _("Say what you found (who you spoke to)."))
    errors.raise_if_any()
    locked = (
        SyncReview.objects.select_for_update()
        .select_related("order__drug_route__drug", "order__patient", "version", "submitted_by")
        .get(pk=review.pk)
    )
    if locked.status != ReviewStatus.WAITING:
        raise InvalidTransition(_("This dose was already reviewed."))
    now = clock.now()
    if decision == ReviewStatus.ACCEPTED:
        order = _lock_order(locked.order)
        payload = locked.payload
        slot = payload.get("scheduled_for")
        slot_time = datetime.fromisoformat(slot) if slot else None
        slot_taken = (
            slot_time is not None
            and Administration.objects.valid().filter(order=order, scheduled_for=slot_time).exists()
        )
        clash_note = "; ".join(locked.problems)
        administration = Administration.objects.create(
            patient=locked.patient,
            order=order,
            version=locked.version,
            outcome=payload.get("outcome") or AdministrationOutcome.GIVEN,
            not_given_reason=payload.get("not_given_reason") or "",
            note="\n".join(filter(None, [payload.get("note") or "", clash_note, note]))[:4000],
            dose=Decimal(payload["dose"]) if payload.get("dose") else None,
            dose_unit=locked.version.dose_unit if payload.get("dose") else "",
            route=payload.get("route") or order.drug_route.route,
            # The slot keeps the record it already has; this one says which slot in its note.
            scheduled_for=None if slot_taken else slot_time,
            given_at=locked.given_at,
            recorded_at=now,
            recorded_by=locked.submitted_by,
            recorded_offline=True,
            device_recorded_at=locked.device_recorded_at,
            client_id=locked.client_id,
            accepted_after_review=True,
        )
        locked.administration = administration
        _after_dose(actor=locked.submitted_by, administration=administration, order=order)
    locked.status = decision
    locked.reviewed_by = actor
    locked.reviewed_at = now
    locked.review_note = note[:2000]
    locked.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "administration"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ADMINISTRATION_REVIEWED,
        patient=locked.patient,
        obj=locked,
        summary=_("Offline dose reviewed: %(decision)s")
        % {"decision": locked.get_status_display()},
        changes={"decision": decision, "note": note},
    )
    return locked


@transaction.atomic
def mark_administration_entered_in_error(
    *, actor: User, administration: Administration, reason: str
) -> Administration:
    """A wrong record is kept, marked, and left out of every check and chart;
    its scheduled slot is free again and any stock it took is put back."""
    require_perm(actor, "medications.correct_administration", administration.patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why it is wrong."))
    _lock_order(administration.order)
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    if locked.entered_in_error_at is not None:
        raise InvalidTransition(_("This record is already marked as entered in error."))
    locked.entered_in_error_at = clock.now()
    locked.entered_in_error_by = actor
    locked.entered_in_error_reason = reason[:2000]
    locked.save(
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    entry = StockEntry.objects.filter(administration=locked).select_related("holding").first()
    if entry is not None:
        _move_stock(
            actor=actor,
            holding=entry.holding,
            movement=StockMovement.CORRECTED,
            quantity=entry.quantity,
            note=_("Dose entered in error: %(reason)s") % {"reason": reason[:200]},
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ADMINISTRATION_ENTERED_IN_ERROR,
        patient=locked.patient,
        obj=locked,
        summary=_("Dose record marked as entered in error"),
        changes={"reason": reason},
    )
    return locked


# --- Breakthrough review -------------------------------------------------------


def breakthrough_doses(
    patient: Patient, until: datetime, *, since: datetime | None = None
) -> list[Administration]:
    """As-needed opioid doses given after ``since`` (default: 24 h before
    ``until``) up to ``until``."""
    return list(
        Administration.objects.given()
        .filter(
            patient=patient,
            order__kind=OrderKind.AS_NEEDED,
            order__drug_route__drug__is_opioid=True,
            given_at__gt=since if since is not None else until - checks.DAY,
            given_at__lte=until,
        )
        .select_related("order__drug_route__drug")
        .order_by("given_at")
    )


def _busiest_breakthrough_day(administration: Administration) -> list[Administration]:
    """The breakthrough doses in the busiest rolling 24 h that holds this dose.
    A dose written down late can complete three with doses given after it, so
    the doses after it count too, not only the 24 h up to it."""
    moment = administration.given_at
    nearby = breakthrough_doses(
        administration.patient, moment + checks.DAY - MICROSECOND, since=moment - checks.DAY
    )
    busiest: list[Administration] = []
    for first in nearby:
        if not moment - checks.DAY < first.given_at <= moment:
            continue
        window = [d for d in nearby if first.given_at <= d.given_at < first.given_at + checks.DAY]
        if len(window) > len(busiest):
            busiest = window
    return busiest


@in_service_language
def _review_breakthrough(*, actor: User, administration: Administration) -> None:
    """Three or more breakthrough doses in 24 h: prompt the physician to review
    the regular dose (docs/clinical-reference.md), through the monitoring alerts."""
    doses = _busiest_breakthrough_day(administration)
    if len(doses) < settings.HEARTH_BREAKTHROUGH_REVIEW_COUNT:
        return
    already_open = (
        Alert.objects.open()
        .filter(patient=administration.patient, rule=AlertRule.BREAKTHROUGH_DOSES)
        .exists()
    )
    raise_alert(
        actor=actor,
        patient=administration.patient,
        rule=AlertRule.BREAKTHROUGH_DOSES,
        severity=severity_for("breakthrough_doses"),
        summary=_("%(count)s breakthrough doses in 24 hours: review the regular opioid dose.")
        % {"count": len(doses)},
        evidence=[
            Evidence(
                description=_("%(drug)s %(dose)s at %(time)s")
                % {
                    "drug": dose.order.drug_route.drug.name,
                    "dose": describe_dose(dose.dose, dose.dose_unit),
                    "time": local_time(dose.given_at),
                },
                source="administration",
                source_id=str(dose.external_id),
                observed_at=dose.given_at,
                values={"dose": str(dose.dose), "unit": dose.dose_unit},
            )
            # An open alert already lists the earlier doses: attach only this one.
            for dose in (doses if not already_open else [administration])
        ],
        first_role=OnCallRole.PHYSICIAN,
    )


# --- Controlled drugs at home -----------------------------------------------


def _holding(patient: Patient, formulation: Formulation, *, create: bool) -> StockHolding | None:
    holding = (
        StockHolding.objects.select_for_update()
        .filter(patient=patient, formulation=formulation)
        .first()
    )
    if holding is None and create:
        holding, _created = StockHolding.objects.get_or_create(
            patient=patient, formulation=formulation
        )
        holding = StockHolding.objects.select_for_update().get(pk=holding.pk)
    return holding


def _move_stock(
    *,
    actor: User,
    holding: StockHolding,
    movement: str,
    quantity: Decimal,
    occurred_at: datetime | None = None,
    witness: str = "",
    note: str = "",
    administration: Administration | None = None,
) -> StockEntry:
    expected = holding.balance
    if movement == StockMovement.COUNTED:
        balance = quantity
    elif movement in STOCK_OUT:
        balance = expected - quantity
    else:
        balance = expected + quantity
    if movement == StockMovement.COUNTED:
        discrepancy = quantity - expected
    else:
        discrepancy = balance if balance < 0 else Decimal(0)
    entry = StockEntry.objects.create(
        holding=holding,
        movement=movement,
        quantity=quantity,
        balance_after=balance,
        expected_balance=expected if movement == StockMovement.COUNTED else balance,
        discrepancy=discrepancy,
        administration=administration,
        occurred_at=occurred_at or clock.now(),
        recorded_by=actor,
        witness=witness,
        note=note,
    )
    holding.balance = balance
    if discrepancy:
        holding.discrepancy_open = True
    holding.save(update_fields=["balance", "discrepancy_open"])
    return entry


def _take_from_stock(*, actor: User, administration: Administration) -> None:
    """A controlled-drug dose comes out of the home register, when the service
    keeps one for that formulation (a holding exists) and the amount per unit
    is known. A dose with no stock left is still recorded (it was given) and
    the register shows the discrepancy."""
    version = administration.version
    formulation = version.formulation
    drug = administration.order.drug_route.drug
    if (
        formulation is None
        or not drug.is_controlled
        or not formulation.amount_per_unit
        or administration.dose is None
    ):
        return
    holding = _holding(administration.patient, formulation, create=False)
    if holding is None:
        return
    quantity = (administration.dose / formulation.amount_per_unit).quantize(Decimal("0.001"))
    _move_stock(
        actor=actor,
        holding=holding,
        movement=StockMovement.GIVEN,
        quantity=quantity,
        occurred_at=administration.given_at,
        administration=administration,
        note=str(administration.order.drug_route),
    )


@transaction.atomic
def record_stock(
    *,
    actor: User,
    patient: Patient,
    formulation: Formulation,
    movement: str,
    quantity: Any,
    occurred_at: datetime | None = None,
    witness: str = "",
    note: str = "",
) -> StockEntry:
    """Stock received, returned, destroyed or counted. Doses given come from the
    administration record, never typed here, so the two cannot disagree."""
    require_perm(
        actor,
        "medications.manage_controlled_drugs",
        patient,
        _("Only a nurse or physician keeps the controlled-drug register."),
    )
    errors = Errors()
    if not formulation.drug_route.drug.is_controlled:
        errors.add("formulation", _("This is not a controlled drug."))
    manual = (
        StockMovement.RECEIVED,
        StockMovement.RETURNED,
        StockMovement.DESTROYED,
        StockMovement.COUNTED,
    )
    if movement not in manual:
        errors.add("movement", _("Choose received, returned, destroyed or counted."))
    amount: Decimal | None
    if movement == StockMovement.COUNTED and quantity in (0, "0", Decimal(0)):
        amount = Decimal(0)
    else:
        amount = _decimal(quantity, "quantity", errors)
    witness = (witness or "").strip()[:150]
    note = (note or "").strip()[:2000]
    if movement in (StockMovement.DESTROYED, StockMovement.RETURNED) and not witness:
        errors.add("witness", _("A second person witnesses a return or destruction."))
    occurred = _aware(occurred_at, "occurred_at", errors) or clock.now()
    if occurred > clock.now() + CLOCK_SKEW:
        errors.add("occurred_at", _("Cannot be in the future."))
    errors.raise_if_any()
    assert amount is not None
    holding = _holding(patient, formulation, create=True)
    assert holding is not None
    if movement in STOCK_OUT and amount > holding.balance:
        raise ValidationFailed(
            _(
                "The register holds %(balance)s %(unit)s; you cannot remove %(amount)s. "
                "Count the stock first."
            )
            % {
                "balance": holding.balance.normalize(),
                "unit": formulation.stock_unit,
                "amount": amount.normalize(),
            },
            field_errors={"quantity": [_("More than the balance.")]},
        )
    entry = _move_stock(
        actor=actor,
        holding=holding,
        movement=movement,
        quantity=amount,
        occurred_at=occurred,
        witness=witness,
        note=note,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CONTROLLED_DRUG_RECORDED,
        patient=patient,
        obj=entry,
        summary=_(
            "Controlled drug %(movement)s: %(formulation)s × %(amount)s "
            "(balance %(balance)s)%(flag)s"
        )
        % {
            "movement": entry.get_movement_display().lower(),
            "formulation": str(formulation),
            "amount": amount.normalize(),
            "balance": entry.balance_after.normalize(),
            "flag": _(", discrepancy") if entry.has_discrepancy else "",
        },
        changes={
            "movement": movement,
            "quantity": amount,
            "balance": entry.balance_after,
            "discrepancy": entry.discrepancy,
            "witness": witness,
        },
    )
    return entry


@transaction.atomic
def close_discrepancy(*, actor: User, holding: StockHolding, note: str) -> StockHolding:
    """A clinician looked into a discrepancy and says what they found; the
    entries stay as they were."""
    require_perm(actor, "medications.manage_controlled_drugs", holding.patient)
    note = (note or "").strip()
    require(bool(note), "note", _("Say what you found."))
    locked = StockHolding.objects.select_for_update().get(pk=holding.pk)
    if not locked.discrepancy_open:
        raise Conflict(_("There is no open discrepancy for this medicine."))
    locked.discrepancy_open = False
    locked.save(update_fields=["discrepancy_open"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.CONTROLLED_DRUG_DISCREPANCY_CLOSED,
        patient=locked.patient,
        obj=locked.formulation,
        summary=_("Controlled-drug discrepancy looked into: %(note)s") % {"note": note[:200]},
        changes={"note": note},
    )
    return locked
