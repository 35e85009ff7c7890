"""Every change in monitoring: check-ins, devices and their readings, personal
thresholds, acting on alerts, and the on-call roster.

Each function checks the rules, validates naming the field, writes in one
transaction and leaves an audit event. Pages and the API call these only.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User, UserKind
from hearth.assessments import instruments
from hearth.assessments import services as assessments
from hearth.assessments.choices import Context
from hearth.careplans.choices import InterventionChoice
from hearth.careplans.models import AdvanceCarePlan
from hearth.core import audit, clock, idempotency, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import (
    DomainError,
    InvalidTransition,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm, unknown_keys, year_in_range
from hearth.monitoring import evaluation, paging, signals
from hearth.monitoring.alerts import (
    Evidence,
    acknowledge_deadline,
    in_service_language,
    owner_for,
    raise_alert,
    schedule_escalation,
    severity_for,
)
from hearth.monitoring.choices import (
    AlertOwnerRole,
    AlertRule,
    AlertStatus,
    DeviceKind,
    OnCallRole,
    PhysiologicalRouting,
    TriageOutcome,
)
from hearth.monitoring.codes import CODES
from hearth.monitoring.models import (
    Alert,
    CheckIn,
    MonitoringDevice,
    Observation,
    OnCallShift,
    PersonalThresholds,
)
from hearth.notifications import outbox
from hearth.notifications.choices import Channel, MessageKind
from hearth.notifications.models import ContactPoint, Message, masked_phone
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment, Patient
from hearth.patients.signals import CareEndSummary, care_end_reason

CLOCK_SKEW = timedelta(minutes=5)


# --- Daily check-in ---------------------------------------------------------


@transaction.atomic
def record_check_in(
    *,
    actor: User,
    patient: Patient,
    esas: Mapping[str, Any] | None = None,
    other_problem: str = "",
    completed_by: str = "",
    note: str = "",
    help_requested: bool = False,
    cannot_cope: bool = False,
    idempotency_key: str = "",
) -> CheckIn:
    """The family's (or patient's) daily check-in.

    "We need help now" raises a high alert before anything else is looked at.
    A repeated submit with the same ``idempotency_key`` returns the first
    check-in and creates nothing.
    """
    require_perm(actor, "monitoring.check_in", patient)
    esas = {key: value for key, value in dict(esas or {}).items() if value not in ("", None)}
    note = (note or "").strip()
    claimed: idempotency.Claim | None = None
    if idempotency_key:
        claimed = idempotency.claim(
            actor=actor,
            scope="monitoring.check_in",
            key=idempotency_key,
            body={
                "patient": patient.external_id,
                "esas": esas,
                "other_problem": other_problem,
                "completed_by": completed_by,
                "note": note,
                "help_requested": help_requested,
                "cannot_cope": cannot_cope,
            },
        )
        if claimed.replay is not None:
            return cast(CheckIn, claimed.replay)
    if not esas and not note and not help_requested and not cannot_cope:
        raise ValidationFailed(
            _("There is nothing to send yet: move a slider, write a note, or ask for help."),
            field_errors={"__all__": [_("Nothing to send.")]},
        )
    if cannot_cope and actor.kind == UserKind.PATIENT:
        raise ValidationFailed(
            _("“I cannot cope with caring” is for a family caregiver."),
            field_errors={"cannot_cope": [_("For family caregivers.")]},
        )
    now = clock.now()
    check_in = CheckIn(
        patient=patient,
        submitted_by=actor,
        submitted_at=now,
        note=note,
        help_requested=help_requested,
        cannot_cope=cannot_cope,
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError as error:  # the key was used before and has since been forgotten
        raise idempotency.reused() from error
    who = actor.display_name
    if help_requested:
        _check_in_alert(
            actor=actor, patient=patient, check_in=check_in, rule=AlertRule.HELP_REQUESTED
        )
    if esas:
        check_in.esas = assessments.record_assessment(
            actor=actor,
            patient=patient,
            instrument=instruments.ESAS_R.code,
            answers=esas,
            other_problem=other_problem,
            completed_by=completed_by,
            assessed_at=now,
            context=Context.CHECK_IN,
        )
        check_in.save(update_fields=["esas"])
    if cannot_cope:
        _check_in_alert(
            actor=actor, patient=patient, check_in=check_in, rule=AlertRule.CAREGIVER_CANNOT_COPE
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CHECK_IN_RECORDED,
        patient=patient,
        obj=check_in,
        summary=messages.text(
            gettext_noop("Check-in from %(who)s: help requested")
            if help_requested
            else gettext_noop("Check-in from %(who)s"),
            who=who,
        ),
        changes={"esas": esas, "help_requested": help_requested, "cannot_cope": cannot_cope},
    )
    if claimed is not None:
        claimed.done(check_in)
    return check_in


@in_service_language
def _check_in_alert(*, actor: User, patient: Patient, check_in: CheckIn, rule: str) -> None:
    """The two buttons that must never wait: "we need help now" and "I cannot cope"."""
    who = actor.display_name
    note = check_in.note
    if rule == AlertRule.HELP_REQUESTED:
        pressed = messages.text(gettext_noop("%(who)s pressed “We need help now”."), who=who)
        # The family's own words follow as they typed them.
        summary: messages.Message = (
            messages.text("%(pressed)s %(note)s", pressed=pressed, note=note[:200])
            if note
            else pressed
        )
        description = messages.text(gettext_noop("Help requested by %(who)s"), who=who)
        severity = severity_for("help_requested")
    else:
        summary = messages.text(
            gettext_noop("%(who)s says they cannot cope with caring right now."), who=who
        )
        description = messages.text(gettext_noop("Check-in from %(who)s"), who=who)
        severity = severity_for("caregiver_cannot_cope")
    raise_alert(
        actor=actor,
        patient=patient,
        rule=rule,
        severity=severity,
        summary=summary,
        evidence=[
            Evidence(
                description=description,
                source="check_in",
                source_id=str(check_in.external_id),
                observed_at=check_in.submitted_at,
                values={"note": note[:300]},
            )
        ],
    )


# --- Devices and their readings --------------------------------------------


@transaction.atomic
def register_device(
    *, actor: User, patient: Patient, kind: str, label: str, serial_number: str = ""
) -> tuple[MonitoringDevice, str]:
    """Returns the device and its token. The token is shown once and only its
    SHA-256 is stored; it can write readings for this patient only."""
    require_perm(actor, "monitoring.manage_devices", patient)
    errors = Errors()
    if kind not in DeviceKind.values:
        errors.add("kind", _("Not a known kind of device."))
    label = (label or "").strip()
    if not label:
        errors.add("label", _("Name the device so the family and the team recognise it."))
    if len(label) > 100:
        errors.add("label", _("At most 100 characters."))
    if len(serial_number or "") > 60:
        errors.add("serial_number", _("At most 60 characters."))
    errors.raise_if_any()
    secret = MonitoringDevice.TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = MonitoringDevice.objects.create(
        patient=patient,
        kind=kind,
        label=label,
        serial_number=(serial_number or "").strip(),
        prefix=secret[:12],
        digest=MonitoringDevice.digest_of(secret),
        issued_at=clock.now(),
        issued_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.DEVICE_REGISTERED,
        patient=patient,
        obj=device,
        summary=messages.text(gettext_noop("Home device registered: %(label)s"), label=label),
        changes={"kind": kind, "prefix": device.prefix},
    )
    return device, secret


@transaction.atomic
def revoke_device(*, actor: User, device: MonitoringDevice) -> MonitoringDevice:
    require_perm(actor, "monitoring.manage_devices", device.patient)
    locked = MonitoringDevice.objects.select_for_update().get(pk=device.pk)
    if locked.revoked_at is not None:
        raise InvalidTransition(_("This device's token is already revoked."))
    locked.revoked_at = clock.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.DEVICE_REVOKED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Home device token revoked: %(label)s"), label=locked.label
        ),
    )
    return locked


def authenticate_device(secret: str) -> MonitoringDevice | None:
    """The device behind a token, if it is still in use."""
    if not secret or not secret.startswith(MonitoringDevice.TOKEN_PREFIX):
        return None
    return (
        MonitoringDevice.objects.usable()
        .select_related("patient")
        .filter(digest=MonitoringDevice.digest_of(secret))
        .first()
    )


@dataclass
class ReadingResult:
    index: int
    status: str  # "stored", "duplicate" or "rejected"
    errors: dict[str, list[str]] = field(default_factory=dict)


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError:
            return None
    return None


def _check_reading(
    reading: Mapping[str, Any], device: MonitoringDevice, now: datetime
) -> tuple[dict[str, list[str]], Observation | None]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for key in reading:
        if key not in ("code", "value", "unit", "observed_at", "patient_id"):
            add(key, _("Unknown field."))
    code = reading.get("code")
    spec = CODES.get(code) if isinstance(code, str) else None
    if spec is None:
        add("code", _("Unknown code. Known codes: %(codes)s.") % {"codes": ", ".join(CODES)})
    value = reading.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        add("value", _("Give a number."))
        value = None
    unit = reading.get("unit")
    if spec is not None and unit != spec.unit:
        add("unit", _("%(code)s is sent in %(unit)s.") % {"code": spec.code, "unit": spec.unit})
    if spec is not None and value is not None and not spec.minimum <= value <= spec.maximum:
        add(
            "value",
            _(
                "%(value)s %(unit)s is not physiologically possible for %(code)s "
                "(%(low)s to %(high)s)."
            )
            % {
                "value": value,
                "unit": spec.unit,
                "code": spec.code,
                "low": spec.minimum,
                "high": spec.maximum,
            },
        )
    observed_at = _parse_time(reading.get("observed_at"))
    if observed_at is None:
        add("observed_at", _("Give the time of the reading (ISO 8601, with a time zone)."))
    elif timezone.is_naive(observed_at):
        add("observed_at", _("The time needs a time zone (for example 2026-11-24T08:00:00Z)."))
        observed_at = None
    elif (out_of_range := year_in_range(observed_at)) is not None:
        # A year-1 reading would overflow the NEWS2 window arithmetic and
        # lose the whole batch; it is refused on its own, like any bad reading.
        add("observed_at", out_of_range)
        observed_at = None
    elif observed_at > now + CLOCK_SKEW:
        add("observed_at", _("The reading is timed in the future."))
    patient_id = reading.get("patient_id")
    if patient_id not in (None, "") and str(patient_id) != str(device.patient.external_id):
        add("patient_id", _("This device writes readings only for its own patient."))
    if errors:
        return errors, None
    assert spec is not None and observed_at is not None and value is not None
    return errors, Observation(
        patient_id=device.patient_id,
        device=device,
        code=spec.code,
        value=float(value),
        unit=spec.unit,
        observed_at=observed_at,
        received_at=now,
    )


#: The columns a reading is stored with, in the order of ``_insert_readings``'s arrays.
_READING_COLUMNS = (
    ("patient_id", "bigint"),
    ("device_id", "bigint"),
    ("code", "varchar"),
    ("value", "double precision"),
    ("unit", "varchar"),
    ("observed_at", "timestamptz"),
    ("received_at", "timestamptz"),
)


def _insert_readings(readings: list[Observation]) -> None:
    """Store a batch's new readings and give each its id (the alert evidence
    names the reading). On PostgreSQL one ``INSERT ... SELECT FROM unnest``
    with one array per column: the same rows and constraints as
    ``bulk_create``, without preparing every value of every row through the
    ORM one by one, which is most of a batch's time outside the database."""
    if not readings:
        return
    if connection.vendor != "postgresql":
        Observation.objects.bulk_create(readings, batch_size=500)
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name, _type in _READING_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in _READING_COLUMNS)
    # WITH ORDINALITY + ORDER BY: rows go in, and ids come back, in the batch's order.
    sql = (
        # Names from the model, every value bound: nothing from the request in the text.
        f"INSERT INTO {table} ({names}) "  # noqa: S608  # nosec B608 - model names only
        f"SELECT {names} FROM unnest({arrays}) WITH ORDINALITY "
        f"AS reading({names}, position) ORDER BY position RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [[getattr(reading, name) for reading in readings] for name, _type in _READING_COLUMNS],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for reading, pk in zip(readings, ids, strict=True):
        reading.pk = pk
        reading._state.adding = False
        reading._state.db = connection.alias


@transaction.atomic
def ingest_readings(
    *, device: MonitoringDevice, readings: Sequence[Mapping[str, Any]]
) -> list[ReadingResult]:
    """Store a batch from one device: each reading is checked on its own, good
    ones are stored even when others are refused, and a reading already stored
    (same device, code and time) is reported as a duplicate, not stored twice.

    The device row is locked for the batch, so two deliveries of the same
    batch cannot both pass the duplicate check.
    """
    limit = settings.HEARTH_OBSERVATION_BATCH_LIMIT
    if len(readings) > limit:
        raise ValidationFailed(
            _("Send at most %(limit)d readings at a time.") % {"limit": limit},
            field_errors={"readings": [_("Too many readings in one batch.")]},
        )
    device = (
        MonitoringDevice.objects.select_for_update().select_related("patient").get(pk=device.pk)
    )
    if device.revoked_at is not None:
        raise NotAllowed(_("This device's token has been revoked."), code="device_revoked")
    now = clock.now()
    results: list[ReadingResult] = []
    candidates: list[tuple[int, Observation]] = []
    for index, reading in enumerate(readings):
        if not isinstance(reading, Mapping):
            results.append(ReadingResult(index, "rejected", {"__all__": [_("Not a reading.")]}))
            continue
        errors, observation = _check_reading(reading, device, now)
        if observation is None:
            results.append(ReadingResult(index, "rejected", errors))
        else:
            results.append(ReadingResult(index, "stored"))
            candidates.append((index, observation))
    stored: list[Observation] = []
    if candidates:
        times = [observation.observed_at for _index, observation in candidates]
        seen = set(
            Observation.objects.filter(
                device=device,
                observed_at__gte=min(times),
                observed_at__lte=max(times),
                code__in={observation.code for _index, observation in candidates},
            ).values_list("code", "observed_at")
        )
        for index, observation in candidates:
            key = (observation.code, observation.observed_at)
            if key in seen:
                results[index].status = "duplicate"
                continue
            seen.add(key)
            stored.append(observation)
        _insert_readings(stored)
        if stored:
            newest = max(observation.observed_at for observation in stored)
            if device.last_reading_at is None or newest > device.last_reading_at:
                device.last_reading_at = newest
                device.save(update_fields=["last_reading_at"])
    counts = {
        status: sum(1 for result in results if result.status == status)
        for status in ("stored", "duplicate", "rejected")
    }
    # The rules' reads before the first audit write: that write takes the audit
    # chain's lock, held to the commit, which every other batch waits for.
    assessment = (
        evaluation.assess_readings(patient=device.patient, stored=stored) if stored else None
    )
    audit.record(
        actor=None,
        action=AuditAction.CREATE,
        event_type=AuditEventType.OBSERVATIONS_RECEIVED,
        patient=device.patient,
        obj=device,
        # Key + parameters, each count with its own plural form, so the
        # timeline reads right in every reader's language (Russian: 1/2/5).
        summary=messages.plural_text(
            "%(count)d reading from %(device)s (%(duplicates)s, %(refused)s)",
            "%(count)d readings from %(device)s (%(duplicates)s, %(refused)s)",
            count=counts["stored"],
            device=device.label,
            duplicates=messages.plural_text(
                "%(count)d duplicate", "%(count)d duplicates", count=counts["duplicate"]
            ),
            refused=messages.plural_text(
                "%(count)d refused", "%(count)d refused", count=counts["rejected"]
            ),
        ),
        changes=counts,
    )
    if assessment is not None:
        evaluation.raise_reading_alerts(assessment, actor=None)
    return results


# --- Personal thresholds ----------------------------------------------------

THRESHOLD_FIELDS = (
    "esas_item_threshold",
    "esas_item_overrides",
    "esas_rise_threshold",
    "physiological_routing",
    "spo2_scale",
)


@transaction.atomic
def set_thresholds(
    *, actor: User, patient: Patient, changes: Mapping[str, Any], reason: str
) -> PersonalThresholds:
    """A physician sets this person's own thresholds. Muting NEWS2 or routing it
    as comfort checks is for comfort-focused care or the terminal phase only
    (docs/clinical-reference.md); the reason is kept and shown beside every reading."""
    require_perm(
        actor, "monitoring.set_thresholds", patient, _("Only a physician on the team sets these.")
    )
    errors = Errors()
    unknown_keys(changes, THRESHOLD_FIELDS, errors)
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why these thresholds suit this person."))
    errors.raise_if_any()
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    row = PersonalThresholds.objects.filter(patient=patient).first() or PersonalThresholds(
        patient=patient, set_by=actor
    )
    before = {name: getattr(row, name) for name in THRESHOLD_FIELDS}
    for name in ("esas_item_threshold", "esas_rise_threshold"):
        if name in changes:
            value = changes[name]
            if value in (None, ""):
                setattr(row, name, None)
            elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                errors.add(name, _("A whole number from 1 to 10."))
            else:
                setattr(row, name, value)
    if "esas_item_overrides" in changes:
        overrides = changes["esas_item_overrides"] or {}
        if not isinstance(overrides, Mapping):
            errors.add("esas_item_overrides", _("Give item: threshold pairs."))
        else:
            clean: dict[str, int] = {}
            for item, value in overrides.items():
                if item not in instruments.ESAS_ITEM_KEYS:
                    errors.add(
                        "esas_item_overrides", _("%(item)s is not an ESAS-r item.") % {"item": item}
                    )
                elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
                    errors.add(
                        "esas_item_overrides",
                        _("%(item)s: a whole number from 1 to 10.")
                        % {"item": instruments.ESAS_R.item(item).label},  # type: ignore[union-attr]
                    )
                else:
                    clean[item] = value
            row.esas_item_overrides = clean
    if "physiological_routing" in changes:
        routing = changes["physiological_routing"]
        if routing not in PhysiologicalRouting.values:
            errors.add("physiological_routing", _("Not a known choice."))
        else:
            row.physiological_routing = routing
    if "spo2_scale" in changes:
        if changes["spo2_scale"] not in (1, 2):
            errors.add("spo2_scale", _("Scale 1 or scale 2."))
        else:
            row.spo2_scale = changes["spo2_scale"]
    errors.raise_if_any()
    if row.physiological_routing in (
        PhysiologicalRouting.MUTED,
        PhysiologicalRouting.COMFORT_CHECK,
    ):
        require(
            bool(evaluation.goals_of_care_reason(patient)),
            "physiological_routing",
            _(
                "NEWS2 alerts can be muted or made comfort checks only when the advance care plan "
                "is comfort-focused or the person is in the terminal phase."
            ),
        )
    row.reason = reason
    row.set_by = actor
    row.set_at = clock.now()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.THRESHOLDS_SET,
        patient=patient,
        obj=patient,
        summary=messages.text(
            gettext_noop("Personal alert thresholds set: %(reason)s"), reason=reason[:200]
        ),
        changes={
            **audit.diff(before, {n: getattr(row, n) for n in THRESHOLD_FIELDS}),
            "reason": reason,
        },
    )
    return row


# --- Acting on alerts -------------------------------------------------------


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: Alert) -> Alert:
    """ "I have seen it and I am on it": stops the escalation timer and makes the
    acknowledging clinician the owner."""
    require_perm(actor, "monitoring.act_on_alert", alert)
    alert = lock(Alert, alert.pk, related=("patient",))
    if alert.status != AlertStatus.OPEN:
        raise InvalidTransition(
            _("This alert was already acknowledged by %(who)s.")
            % {"who": alert.acknowledged_by.display_name if alert.acknowledged_by else _("someone")}
            if alert.status == AlertStatus.ACKNOWLEDGED
            else _("This alert is already resolved.")
        )
    now = clock.now()
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = actor
    alert.owner = actor
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "owner"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.ALERT_ACKNOWLEDGED,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Alert acknowledged: %(summary)s"), summary=alert.summary_message
        ),
        changes={"minutes_to_acknowledge": round((now - alert.raised_at).total_seconds() / 60, 1)},
    )
    _after_acknowledgement(alert, actor)
    return alert


def _after_acknowledgement(alert: Alert, actor: User) -> None:
    """However it was acknowledged: the pages stop, and those who must hear
    of it (the family who called for help) are told, in this transaction."""
    paging.stop_pages(
        alert,
        reason=messages.text(gettext_noop("Acknowledged by %(who)s."), who=actor.display_name),
    )
    signals.alert_acknowledged.send(sender=Alert, alert=alert, actor=actor)


#: "ACK 4821", any case, spaces anywhere around (a phone's keyboard adds them).
ACK_REPLY = re.compile(r"^\s*ACK\s*(\d{4,8})\s*$", re.IGNORECASE)


def _e164(number: str) -> str | None:
    """The sender's number as contact points store it, or None if it is not one."""
    try:
        parsed = phonenumbers.parse(number or "", settings.HEARTH_PHONE_REGIONS[0])
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def acknowledge_by_text_reply(*, sender: str, text: str) -> Alert:
    """A reply to an alert page ("ACK 4821") from the SMS gateway's inbound
    webhook. It acknowledges only an open alert whose page carried that code,
    and only from a verified number of the alert's current owner; anything
    else is refused and the refusal is audited (the number masked), so a
    forged or mistaken reply leaves a trace and changes nothing."""
    try:
        return _acknowledge_by_text_reply(sender=sender, text=text)
    except DomainError as error:
        refuse_text_reply(sender=sender, text=text, error=error)
        raise


@transaction.atomic
def refuse_text_reply(*, sender: str, text: str, error: DomainError) -> None:
    """Audit a refused text reply (also a bad gateway token, from the API)."""
    alert: Alert | None = getattr(error, "alert", None)
    audit.record(
        actor=None,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ALERT_SMS_REPLY_REFUSED,
        patient=alert.patient if alert is not None else None,
        obj=alert,
        summary=messages.text(
            gettext_noop("Text reply from %(number)s refused: %(reason)s"),
            number=masked_phone(sender),
            reason=error.message,
        ),
        changes={"from": masked_phone(sender), "text": (text or "")[:20], "code": error.code},
    )


def _refusal(error: DomainError, alert: Alert | None = None) -> DomainError:
    error.alert = alert  # type: ignore[attr-defined]
    return error


@transaction.atomic
def _acknowledge_by_text_reply(*, sender: str, text: str) -> Alert:
    match = ACK_REPLY.match(text or "")
    if match is None:
        raise ValidationFailed(
            _("Reply ACK and the code from the page, for example ACK 4821."),
            field_errors={"text": [_("Not an acknowledgement (ACK and the code).")]},
        )
    code = match.group(1)
    number = _e164(sender)
    points = (
        list(
            ContactPoint.objects.filter(channel=Channel.SMS, address=number).select_related("user")
        )
        if number
        else []
    )
    if not points:
        raise _refusal(
            NotAllowed(_("This number is not known to the service."), code="unknown_sender")
        )
    senders = {
        point.user_id: point.user for point in points if point.is_verified and point.user.is_active
    }
    if not senders:
        raise _refusal(
            NotAllowed(
                _("This number has not been verified: acknowledge on the alert's page."),
                code="unverified_sender",
            )
        )
    topics = set(
        Message.objects.filter(
            kind=MessageKind.ALERT_PAGE, reply_code=code, recipient_id__in=list(senders)
        ).values_list("topic", flat=True)
    )
    pks = [int(topic.split(":", 1)[1]) for topic in topics if topic.startswith("alert:")]
    alerts = list(
        Alert.objects.select_for_update()
        .select_related("patient")
        .filter(pk__in=pks)
        .order_by("-pk")
    )
    if not alerts:
        raise _refusal(
            NotFound(_("No page to this number carried that code."), code="unknown_code")
        )
    open_alerts = [alert for alert in alerts if alert.status == AlertStatus.OPEN]
    owned = [alert for alert in open_alerts if alert.owner_id in senders]
    if not owned:
        if open_alerts:
            raise _refusal(
                NotAllowed(
                    _(
                        "This alert is now with someone else on call: only its owner "
                        "acknowledges it."
                    ),
                    code="not_owner",
                ),
                open_alerts[0],
            )
        raise _refusal(
            InvalidTransition(
                _("This alert has already been acknowledged."), code="already_acknowledged"
            ),
            alerts[0],
        )
    alert = owned[0]
    owner = senders[alert.owner_id]  # type: ignore[index]
    alert = acknowledge_alert(actor=owner, alert=alert)
    audit.record(
        actor=owner,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ALERT_ACKNOWLEDGED_BY_SMS,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Alert acknowledged by a text reply from %(number)s"),
            number=masked_phone(number or ""),
        ),
        changes={"from": masked_phone(number or ""), "code": code},
    )
    return alert


def _emergency_services_allowed(patient: Patient) -> str:
    """ "" if the advance care plan allows emergency services, else why not."""
    plan = AdvanceCarePlan.objects.current().filter(patient=patient).first()
    if plan is not None and plan.hospital_transfer == InterventionChoice.DO_NOT_CONSIDER:
        return _(
            "The signed advance care plan says not to consider transfer to hospital. Talk with "
            "the physician on call; treat at home."
        )
    return ""


@transaction.atomic
def triage_alert(*, actor: User, alert: Alert, outcome: str, note: str = "") -> Alert:
    """Decide what happens: advice, a change of treatment, a teleconsult, a
    visit, emergency services (only where the advance care plan allows), or no
    action with the reason. An urgent physician visit asks for a visit today."""
    require_perm(actor, "monitoring.act_on_alert", alert)
    alert = lock(Alert, alert.pk, related=("patient",))
    note = (note or "").strip()
    errors = Errors()
    if outcome not in TriageOutcome.values:
        errors.add("outcome", _("Choose what happens next."))
    if outcome == TriageOutcome.NO_ACTION and not note:
        errors.add("note", _("Say why no action is needed."))
    errors.raise_if_any()
    if alert.status == AlertStatus.RESOLVED:
        raise InvalidTransition(_("This alert is already resolved."))
    if outcome == TriageOutcome.EMERGENCY_SERVICES:
        refusal = _emergency_services_allowed(alert.patient)
        if refusal:
            raise ValidationFailed(refusal, field_errors={"outcome": [refusal]})
    now = clock.now()
    before = alert.triage_outcome
    acknowledges = alert.status == AlertStatus.OPEN
    if acknowledges:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at = now
        alert.acknowledged_by = actor
        alert.owner = actor
    alert.triage_outcome = outcome
    alert.triage_note = note
    alert.triaged_at = now
    alert.triaged_by = actor
    alert.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_TRIAGED,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Alert triaged: %(outcome)s"), outcome=TriageOutcome(outcome).label
        ),
        changes={"triage_outcome": {"from": before, "to": outcome}, "note": note},
    )
    if acknowledges:
        _after_acknowledgement(alert, actor)
    signals.alert_triaged.send(sender=Alert, alert=alert, actor=actor, outcome=outcome)
    return alert


@transaction.atomic
def resolve_alert(*, actor: User, alert: Alert, note: str) -> Alert:
    require_perm(actor, "monitoring.act_on_alert", alert)
    alert = lock(Alert, alert.pk, related=("patient",))
    note = (note or "").strip()
    require(bool(note), "note", _("Say what was done."))
    if alert.status == AlertStatus.RESOLVED:
        raise InvalidTransition(_("This alert is already resolved."))
    if not alert.triage_outcome:
        raise InvalidTransition(
            _("Record the triage (what happens next) before resolving the alert.")
        )
    alert.status = AlertStatus.RESOLVED
    alert.resolved_at = clock.now()
    alert.resolved_by = actor
    alert.resolution_note = note
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.ALERT_RESOLVED,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(gettext_noop("Alert resolved: %(note)s"), note=note[:200]),
    )
    return alert


# --- On-call roster ---------------------------------------------------------

ROLE_DISCIPLINE: dict[str, str] = {
    OnCallRole.NURSE: Discipline.NURSE,
    OnCallRole.PHYSICIAN: Discipline.PHYSICIAN,
}


@transaction.atomic
def add_on_call_shift(
    *, actor: User, role: str, staff: User, starts_at: datetime, ends_at: datetime
) -> OnCallShift:
    require_perm(actor, "monitoring.manage_on_call")
    errors = Errors()
    if role not in OnCallRole.values:
        errors.add("role", _("Not a step of the on-call chain."))
    elif role == OnCallRole.CLINICAL_LEAD:
        if not staff.is_clinical_lead:
            errors.add("staff_id", _("Only a clinical lead takes the clinical lead's calls."))
    elif staff.kind != UserKind.STAFF or staff.discipline != ROLE_DISCIPLINE[role]:
        errors.add(
            "staff_id",
            _("The %(role)s must be a %(discipline)s.")
            % {
                "role": OnCallRole(role).label.lower(),
                "discipline": Discipline(ROLE_DISCIPLINE[role]).label.lower(),
            },
        )
    if not staff.is_active:
        errors.add("staff_id", _("This account is not active."))
    if ends_at <= starts_at:
        errors.add("ends_at", _("The shift must end after it starts."))
    elif ends_at - starts_at > timedelta(hours=24):
        errors.add("ends_at", _("A shift lasts at most 24 hours."))
    errors.raise_if_any()
    shift = OnCallShift.objects.create(
        role=role, staff=staff, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ON_CALL_SHIFT_ADDED,
        obj=shift,
        summary=messages.text(
            gettext_noop("On call: %(who)s, %(role)s"),
            who=staff.display_name,
            role=messages.choice(shift, "role"),
        ),
        changes={"starts_at": starts_at, "ends_at": ends_at},
    )
    if starts_at <= clock.now() < ends_at:
        _hand_over_open_alerts(
            actor=actor,
            role=role,
            because=_("%(who)s came on call.") % {"who": staff.display_name},
        )
    return shift


@transaction.atomic
def cancel_on_call_shift(*, actor: User, shift: OnCallShift) -> OnCallShift:
    require_perm(actor, "monitoring.manage_on_call")
    locked = OnCallShift.objects.select_for_update().get(pk=shift.pk)
    if locked.cancelled_at is not None:
        raise InvalidTransition(_("This shift is already cancelled."))
    locked.cancelled_at = clock.now()
    locked.save(update_fields=["cancelled_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ON_CALL_SHIFT_CANCELLED,
        obj=locked,
        summary=messages.text(
            gettext_noop("On-call shift cancelled: %(shift)s"), shift=str(locked)
        ),
    )
    if locked.starts_at <= locked.cancelled_at < locked.ends_at:
        _hand_over_open_alerts(
            actor=actor,
            role=locked.role,
            because=_("The on-call shift of %(who)s was cancelled.")
            % {"who": locked.staff.display_name},
        )
    return locked


def _covers(user_id: int | None, role: str, moment: datetime) -> bool:
    return (
        user_id is not None
        and OnCallShift.objects.covering(moment).filter(role=role, staff_id=user_id).exists()
    )


def _hand_over_open_alerts(*, actor: User, role: str, because: str) -> list[Alert]:
    """The roster changed now for ``role``: an open, unacknowledged alert of
    that step whose owner is no longer on call for it (their shift was
    cancelled) or was only a stand-in (nobody was on call: the key nurse, the
    clinical lead, or nobody at all) goes to whoever should own it now, who is
    paged. An owner who is on call keeps the alert they were paged about. The
    deadline stays: the patient's clock does not restart with the roster."""
    now = clock.now()
    handed: list[Alert] = []
    candidates = (
        # of=("self",): PostgreSQL locks no row of the outer-joined owner.
        Alert.objects.select_for_update(of=("self",))
        .select_related("patient", "owner")
        .filter(status=AlertStatus.OPEN, owner_role=role)
        .order_by("pk")
    )
    for alert in candidates:
        if _covers(alert.owner_id, role, now):
            continue
        new_owner = owner_for(role, alert.patient, now)
        if new_owner == alert.owner:
            continue
        previous = alert.owner
        alert.owner = new_owner
        alert.save(update_fields=["owner"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.ALERT_REOWNED,
            patient=alert.patient,
            obj=alert,
            summary=messages.text(
                gettext_noop("Alert handed to %(who)s: %(because)s"),
                who=new_owner.display_name if new_owner else _("nobody on call"),
                because=because,
            ),
            changes={
                "owner": {
                    "from": previous.display_name if previous else None,
                    "to": new_owner.display_name if new_owner else None,
                },
                "role": role,
            },
        )
        paging.page_owner(alert, reason="reowned")
        handed.append(alert)
    return handed


# --- The end of home care ---------------------------------------------------


def coordinator_for(patient: Patient) -> User | None:
    """The patient's own care coordinator (care team), else the service's
    first active coordinator: the person who arranges equipment collection."""
    assignment = (
        CareTeamAssignment.objects.current()
        .filter(patient=patient, role=CareTeamRole.COORDINATOR, staff__is_active=True)
        .select_related("staff")
        .order_by("pk")
        .first()
    )
    if assignment is not None:
        return assignment.staff
    return (
        User.objects.filter(is_active=True, kind=UserKind.STAFF, discipline=Discipline.COORDINATOR)
        .order_by("pk")
        .first()
    )


def is_equipment_safety_alert(alert: Alert) -> bool:
    """Equipment still in the home (oxygen above all) keeps its alert open
    after a death or a discharge: the risk does not leave with the patient."""
    return alert.rule in settings.HEARTH_CARE_END_EQUIPMENT_ALERT_RULES


@in_service_language
def close_alerts_at_care_end(
    *, actor: User, episode: Any, summary: CareEndSummary
) -> tuple[list[Alert], list[Alert]]:
    """Home care ended (``patients.signals.home_care_ended``, in that
    transaction; no permission check: recording the death or the discharge
    was checked). Every open alert of the person is resolved with the reason,
    its escalation stops (the row decides: the sweep and the timer skip a
    resolved alert) and its pages not yet sent are cancelled. An equipment
    safety alert stays open and goes to the care coordinator instead.
    Idempotent: a resolved alert, or one already with the coordinator, is
    left alone. Returns ``(closed, handed_over)``."""
    if not settings.HEARTH_CARE_END_CLOSE_ALERTS:
        return [], []
    reason = care_end_reason(episode)
    now = clock.now()
    alerts = list(
        Alert.objects.select_for_update(of=("self",))
        .select_related("patient", "owner")
        .open()
        .filter(patient_id=episode.patient_id)
        .order_by("pk")
    )
    closed: list[Alert] = []
    handed: list[Alert] = []
    for alert in alerts:
        if is_equipment_safety_alert(alert):
            if _hand_to_coordinator(alert, actor=actor, reason=reason, now=now):
                handed.append(alert)
            continue
        before = alert.status
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = now
        alert.resolved_by = actor
        alert.resolution_note = reason
        # A timer still queued finds another version and a resolved row: nothing.
        alert.timer_version += 1
        alert.save(
            update_fields=[
                "status",
                "resolved_at",
                "resolved_by",
                "resolution_note",
                "timer_version",
            ]
        )
        cancelled = outbox.cancel(
            topic=paging.topic_of(alert), kinds=(MessageKind.ALERT_PAGE,), reason=reason
        )
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=AuditEventType.ALERT_CLOSED_CARE_ENDED,
            patient=alert.patient,
            obj=alert,
            summary=messages.text(
                gettext_noop("Alert closed: %(summary)s. %(reason)s"),
                summary=alert.summary[:150],
                reason=reason,
            ),
            changes={
                "status": {"from": before, "to": AlertStatus.RESOLVED},
                "reason": reason,
                "pages_cancelled": cancelled,
            },
        )
        closed.append(alert)
    for alert in closed:
        summary.add(
            "alert_closed",
            _("Alert closed: %(kind)s (%(severity)s).")
            % {
                "kind": alert.get_rule_display(),
                "severity": alert.get_severity_display().lower(),
            },
        )
    for alert in handed:
        summary.add(
            "alert_handed_over",
            _("Kept open and handed to %(who)s: %(kind)s (the equipment is still in the home).")
            % {
                "who": alert.owner.display_name if alert.owner else _("the care coordinator"),
                "kind": alert.get_rule_display(),
            },
        )
    return closed, handed


def _hand_to_coordinator(alert: Alert, *, actor: User, reason: str, now: datetime) -> bool:
    """The equipment alert goes to the coordinator, with a fresh deadline for
    its severity (the coordinator needs the time; unacknowledged it goes to
    the clinical lead). Pages still waiting for the clinician are cancelled and
    the coordinator is paged. False when it is already theirs."""
    if alert.owner_role == AlertOwnerRole.COORDINATOR:
        return False
    coordinator = coordinator_for(alert.patient)
    previous = alert.owner
    previous_role = alert.owner_role
    alert.owner = coordinator
    alert.owner_role = AlertOwnerRole.COORDINATOR
    fields = ["owner", "owner_role"]
    if alert.status == AlertStatus.OPEN:
        alert.acknowledge_by = acknowledge_deadline(alert.severity, now)
        fields.append("acknowledge_by")
    alert.save(update_fields=fields)
    outbox.cancel(topic=paging.topic_of(alert), kinds=(MessageKind.ALERT_PAGE,), reason=reason)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_HANDED_TO_COORDINATOR,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Equipment alert kept open and handed to %(who)s: %(reason)s"),
            who=coordinator.display_name if coordinator else _("the care coordinator"),
            reason=reason,
        ),
        changes={
            "owner": {
                "from": previous.display_name if previous else None,
                "to": coordinator.display_name if coordinator else None,
            },
            "role": {"from": previous_role, "to": AlertOwnerRole.COORDINATOR},
            "reason": reason,
            "acknowledge_by": alert.acknowledge_by,
        },
    )
    if alert.status == AlertStatus.OPEN:
        schedule_escalation(alert)
        paging.page_owner(alert, reason="care_ended")
    return True
