"""Every change to home equipment: the store (adding items, servicing, taking
out of use), lending to a patient, the safety check at home, faults and
returns.

Each function checks the rules, validates naming the field, writes in one
transaction with the rows it changes locked, and leaves an audit event. A
failed safety check or a fault report raises a monitoring alert for the team
(oxygen: ``oxygen_equipment``; anything else: ``equipment_safety_check`` or
``equipment_fault``), inside the same transaction. Pages and the API call
these only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, dates, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.equipment import checklists
from hearth.equipment.choices import (
    SETTABLE_ITEM_STATUSES,
    CheckAnswer,
    CheckOutcome,
    EquipmentKind,
    ItemStatus,
    LoanStatus,
)
from hearth.equipment.models import EquipmentItem, FaultReport, Loan, SafetyCheck
from hearth.monitoring.alerts import Evidence, in_service_language, raise_alert, severity_for
from hearth.monitoring.choices import AlertRule
from hearth.patients.models import Patient

CLOCK_SKEW = timedelta(minutes=5)
MAX_TEXT = 2000


def _text(value: Any, field: str, errors: Errors, *, required: bool, what: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.add(field, what or _("Required."))
    if len(text) > MAX_TEXT:
        errors.add(field, _("At most %(count)s characters.") % {"count": MAX_TEXT})
    return text


def _moment(value: datetime | None, field: str, errors: Errors) -> datetime:
    """A time given by the caller (or now): with its time zone, not in the future."""
    now = clock.now()
    if value is None:
        return now
    if timezone.is_naive(value):
        errors.add(field, _("Give the time with its time zone, e.g. 2026-05-01T08:00+01:00."))
        return now
    if value > now + CLOCK_SKEW:
        errors.add(field, _("Cannot be in the future."))
    return value


def _item_label(item: EquipmentItem) -> str:
    """The kind and serial number for a refusal, said now to the person asking."""
    return f"{item.get_kind_display()} {item.serial_number}"


def _item_name(item: EquipmentItem) -> messages.Message:
    """The kind (translated for each reader) and the serial number."""
    return messages.text(
        "%(kind)s %(serial)s", kind=EquipmentKind(item.kind).label, serial=item.serial_number
    )


def delivered_summary(item: EquipmentItem) -> messages.Message:
    """The audit summary of a delivery (also laid down by the demo)."""
    return messages.text(gettext_noop("Equipment delivered: %(item)s"), item=_item_name(item))


def safety_check_summary(item: EquipmentItem, *, failed: bool) -> messages.Message:
    """The audit summary of a safety check at home (also laid down by the demo)."""
    if failed:
        return messages.text(gettext_noop("Safety check failed: %(item)s"), item=_item_name(item))
    return messages.text(gettext_noop("Safety check passed: %(item)s"), item=_item_name(item))


# --- The store ------------------------------------------------------------------


@transaction.atomic
def add_item(
    *,
    actor: User,
    kind: str,
    serial_number: str,
    maintenance_due_on: date | None,
    model_name: str = "",
    last_maintained_on: date | None = None,
    notes: str = "",
) -> EquipmentItem:
    """A new item in the store, ready to lend. Every item has a next service
    date, so nothing goes into a home without one."""
    require_perm(
        actor, "equipment.manage_inventory", None, _("Only coordinators and nurses keep the store.")
    )
    errors = Errors()
    if kind not in EquipmentKind.values:
        errors.add("kind", _("Choose one of the listed kinds."))
    serial = str(serial_number or "").strip()
    if not serial:
        errors.add("serial_number", _("Give the serial number on the item's label."))
    elif len(serial) > 60:
        errors.add("serial_number", _("At most 60 characters."))
    elif EquipmentItem.objects.filter(serial_number__iexact=serial).exists():
        errors.add("serial_number", _("Another item already has this serial number."))
    model = _text(model_name, "model_name", errors, required=False)[:120]
    note = _text(notes, "notes", errors, required=False)
    today = clock.today()
    if maintenance_due_on is None:
        errors.add("maintenance_due_on", _("Give the date the next service is due."))
    if last_maintained_on is not None and last_maintained_on > today:
        errors.add("last_maintained_on", _("Cannot be in the future."))
    if (
        maintenance_due_on is not None
        and last_maintained_on is not None
        and maintenance_due_on <= last_maintained_on
    ):
        errors.add("maintenance_due_on", _("The next service must come after the last one."))
    errors.raise_if_any()
    item = EquipmentItem(
        kind=kind,
        serial_number=serial,
        model_name=model,
        maintenance_due_on=maintenance_due_on,
        last_maintained_on=last_maintained_on,
        notes=note,
        status=ItemStatus.AVAILABLE,
        added_at=clock.now(),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise ValidationFailed(
            _("Another item already has this serial number."),
            field_errors={"serial_number": [_("Another item already has this serial number.")]},
        ) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.EQUIPMENT_ITEM_ADDED,
        obj=item,
        summary=messages.text(
            gettext_noop("Equipment added to the store: %(item)s"), item=_item_name(item)
        ),
        changes={
            "kind": kind,
            "serial_number": serial,
            "maintenance_due_on": maintenance_due_on,
            "last_maintained_on": last_maintained_on,
        },
    )
    return item


@transaction.atomic
def record_maintenance(
    *,
    actor: User,
    item: EquipmentItem,
    done_on: date,
    next_due_on: date,
    note: str = "",
) -> EquipmentItem:
    """A service done (in the store or at the patient's home): the date it was
    done and the date the next one is due. The status is not changed here."""
    require_perm(
        actor, "equipment.manage_inventory", None, _("Only coordinators and nurses keep the store.")
    )
    locked = lock(EquipmentItem, item.pk)
    errors = Errors()
    if locked.status == ItemStatus.RETIRED:
        raise InvalidTransition(_("This item is retired and is not serviced any more."))
    if done_on is None:
        errors.add("done_on", _("Give the date of the service."))
    elif done_on > clock.today():
        errors.add("done_on", _("Cannot be in the future."))
    if next_due_on is None:
        errors.add("next_due_on", _("Give the date the next service is due."))
    elif done_on is not None and next_due_on <= done_on:
        errors.add("next_due_on", _("The next service must come after this one."))
    text = _text(note, "note", errors, required=False)
    errors.raise_if_any()
    before = {
        "last_maintained_on": locked.last_maintained_on,
        "maintenance_due_on": locked.maintenance_due_on,
    }
    locked.last_maintained_on = done_on
    locked.maintenance_due_on = next_due_on
    locked.save(update_fields=["last_maintained_on", "maintenance_due_on"])
    loan = locked.loans.at_home().select_related("patient").first()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.EQUIPMENT_ITEM_SERVICED,
        patient=loan.patient if loan else None,
        obj=locked,
        summary=messages.text(gettext_noop("Service recorded: %(item)s"), item=_item_name(locked)),
        changes={
            **audit.diff(
                before,
                {"last_maintained_on": done_on, "maintenance_due_on": next_due_on},
            ),
            "note": text,
        },
    )
    return locked


@transaction.atomic
def change_item_status(
    *, actor: User, item: EquipmentItem, status: str, reason: str = ""
) -> EquipmentItem:
    """Send an item for servicing or repair, back to the store, or retire it.
    An item at a patient's home is returned first; a retired item stays retired."""
    require_perm(
        actor, "equipment.manage_inventory", None, _("Only coordinators and nurses keep the store.")
    )
    locked = lock(EquipmentItem, item.pk)
    errors = Errors()
    if status not in SETTABLE_ITEM_STATUSES:
        errors.add("status", _("Choose available, maintenance or retired; lending sets 'on loan'."))
    text = _text(
        reason,
        "reason",
        errors,
        required=status == ItemStatus.RETIRED,
        what=_("Say why the item is retired."),
    )
    errors.raise_if_any()
    if locked.status == ItemStatus.ON_LOAN or locked.loans.at_home().exists():
        raise Conflict(
            _("This item is at a patient's home. Record its return first."), code="on_loan"
        )
    if locked.status == ItemStatus.RETIRED:
        raise InvalidTransition(_("This item is retired; it cannot be used again."))
    if locked.status == status:
        raise InvalidTransition(
            _("The item is already %(status)s.") % {"status": locked.get_status_display()}
        )
    if (
        status == ItemStatus.AVAILABLE
        and FaultReport.objects.open().filter(loan__item=locked).exists()
    ):
        raise InvalidTransition(
            _("A fault on this item is still open. Record what was done before lending it again.")
        )
    before = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.EQUIPMENT_ITEM_STATUS_CHANGED,
        obj=locked,
        summary=messages.text(
            gettext_noop("%(item)s: %(status)s"),
            item=_item_name(locked),
            status=messages.choice(locked, "status"),
        ),
        changes={"status": {"from": before, "to": status}, "reason": text},
    )
    return locked


# --- Lending -----------------------------------------------------------------------


@transaction.atomic
def lend(
    *,
    actor: User,
    item: EquipmentItem,
    patient: Patient,
    delivered_at: datetime | None = None,
) -> Loan:
    """Deliver an item to a patient in home care. The item must be in the store,
    serviced (its next service not overdue) and the patient in active care. The
    loan starts "delivered": a safety check at home puts it in use."""
    require_perm(
        actor,
        "equipment.lend",
        patient,
        _("Only a coordinator or a nurse of this patient's team can lend equipment."),
    )
    locked = lock(EquipmentItem, item.pk)
    errors = Errors()
    moment = _moment(delivered_at, "delivered_at", errors)
    errors.raise_if_any()
    if locked.status == ItemStatus.ON_LOAN or locked.loans.at_home().exists():
        raise Conflict(
            _("%(item)s is already at a patient's home.") % {"item": _item_label(locked)},
            code="on_loan",
            field_errors={"item": [_("This item is already on loan.")]},
        )
    if locked.status != ItemStatus.AVAILABLE:
        message = _("%(item)s cannot be lent: it is %(status)s.") % {
            "item": _item_label(locked),
            "status": locked.get_status_display().lower(),
        }
        raise InvalidTransition(message, field_errors={"item": [message]})
    today = clock.today()
    if locked.maintenance_due_on is None or locked.maintenance_due_on < today:
        message = (
            _(
                "%(item)s is overdue for its service (due %(due)s). Service it and record "
                "the service before lending it."
            )
            % {"item": _item_label(locked), "due": dates.day_month_year(locked.maintenance_due_on)}
            if locked.maintenance_due_on is not None
            else _("%(item)s has no service date. Record its service before lending it.")
            % {"item": _item_label(locked)}
        )
        raise InvalidTransition(
            message, code="maintenance_overdue", field_errors={"item": [message]}
        )
    if not patient.is_receiving_care:
        raise InvalidTransition(
            _("Equipment is lent only to a patient in active home care."), code="not_in_care"
        )
    loan = Loan(
        item=locked,
        patient=patient,
        status=LoanStatus.DELIVERED,
        delivered_at=moment,
        delivered_by=actor,
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError as error:
        raise Conflict(_("This item is already on loan."), code="on_loan") from error
    locked.status = ItemStatus.ON_LOAN
    locked.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.EQUIPMENT_LOAN_DELIVERED,
        patient=patient,
        obj=loan,
        summary=delivered_summary(locked),
        changes={"item": locked, "delivered_at": moment, "kind": locked.kind},
    )
    return loan


def validate_answers(kind: str, answers: Mapping[str, Any] | None) -> dict[str, str]:
    """Every item of the kind's checklist answered with an answer it allows;
    codes not on the checklist refused. Raises ``ValidationFailed`` naming each
    item code (or ``answers`` for codes that do not belong)."""
    errors = Errors()
    given = dict(answers or {}) if isinstance(answers, Mapping) else {}
    if not isinstance(answers, Mapping):
        errors.add("answers", _("Send the answers as item code: answer."))
    items = checklists.checklist_for(kind)
    known = {item.code for item in items}
    for code in given:
        if code not in known:
            errors.add(
                "answers",
                _("“%(code)s” is not on the checklist for this equipment.") % {"code": code},
            )
    cleaned: dict[str, str] = {}
    for item in items:
        value = given.get(item.code)
        if value in (None, ""):
            errors.add(item.code, _("Answer this item."))
        elif value not in CheckAnswer.values:
            errors.add(item.code, _("Answer safe, not safe or not applicable."))
        elif value not in item.allowed_answers():
            errors.add(item.code, _("This item must be checked: answer safe or not safe."))
        else:
            cleaned[item.code] = str(value)
    errors.raise_if_any()
    return cleaned


def _alert_rule(item: EquipmentItem, other: str) -> tuple[str, str]:
    if item.kind == EquipmentKind.OXYGEN_CONCENTRATOR:
        return AlertRule.OXYGEN_EQUIPMENT, severity_for("oxygen_equipment")
    return other, severity_for(other)


@in_service_language
def _alert_failed_check(*, actor: User, check: SafetyCheck, loan: Loan) -> int:
    failed = [
        checklists.item_named(loan.item.kind, code)
        for code, answer in check.answers.items()
        if answer == CheckAnswer.NOT_SAFE
    ]
    points = messages.Joined([item.question for item in failed if item is not None], "; ")
    rule, severity = _alert_rule(loan.item, AlertRule.EQUIPMENT_SAFETY_CHECK)
    alert, _created = raise_alert(
        actor=actor,
        patient=loan.patient,
        rule=rule,
        severity=severity,
        summary=messages.text(
            gettext_noop("Safety check failed at home: %(item)s"), item=_item_name(loan.item)
        ),
        evidence=[
            Evidence(
                description=messages.text(
                    gettext_noop("Not safe: %(points)s %(note)s"), points=points, note=check.note
                ),
                source="safety_check",
                source_id=str(check.external_id),
                observed_at=check.checked_at,
                values={"kind": loan.item.kind, "serial_number": loan.item.serial_number},
            )
        ],
    )
    return alert.pk


@transaction.atomic
def record_safety_check(
    *,
    actor: User,
    loan: Loan,
    answers: Mapping[str, Any],
    note: str = "",
    checked_at: datetime | None = None,
) -> SafetyCheck:
    """The checklist for the item's kind, done at home. Any "not safe" fails the
    check and raises an alert for the team; the first passing check puts a
    delivered item in use."""
    require_perm(
        actor,
        "equipment.check_safety",
        loan.patient,
        _("Only a physician or nurse of this patient's team records a safety check."),
    )
    locked = lock(Loan, loan.pk, related=("item", "patient"), of=("self",))
    if not locked.is_at_home:
        raise InvalidTransition(_("This item has been returned; there is nothing to check."))
    cleaned = validate_answers(locked.item.kind, answers)
    errors = Errors()
    moment = _moment(checked_at, "checked_at", errors)
    if moment < locked.delivered_at:
        errors.add("checked_at", _("Cannot be before the item was delivered."))
    failed = CheckAnswer.NOT_SAFE in cleaned.values()
    text = _text(
        note,
        "note",
        errors,
        required=failed,
        what=_("Say what was not safe and what was done or advised."),
    )
    errors.raise_if_any()
    check = SafetyCheck.objects.create(
        loan=locked,
        checked_at=moment,
        checked_by=actor,
        answers=cleaned,
        outcome=CheckOutcome.FAILED if failed else CheckOutcome.PASSED,
        note=text,
    )
    changes: dict[str, Any] = {"outcome": check.outcome, "answers": cleaned}
    if failed:
        check.alert_id = _alert_failed_check(actor=actor, check=check, loan=locked)
        check.save(update_fields=["alert_id"])
        changes["alert_id"] = check.alert_id
    elif locked.status == LoanStatus.DELIVERED:
        locked.status = LoanStatus.IN_USE
        locked.save(update_fields=["status"])
        changes["loan_status"] = {"from": LoanStatus.DELIVERED, "to": LoanStatus.IN_USE}
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.EQUIPMENT_CHECK_RECORDED,
        patient=locked.patient,
        obj=check,
        summary=safety_check_summary(locked.item, failed=failed),
        changes=changes,
    )
    return check


# --- Faults ------------------------------------------------------------------------


@in_service_language
def _alert_fault(*, actor: User, fault: FaultReport, loan: Loan) -> int:
    rule, severity = _alert_rule(loan.item, AlertRule.EQUIPMENT_FAULT)
    alert, _created = raise_alert(
        actor=actor,
        patient=loan.patient,
        rule=rule,
        severity=severity,
        summary=messages.text(
            gettext_noop("Equipment fault reported: %(item)s"), item=_item_name(loan.item)
        ),
        evidence=[
            Evidence(
                description=messages.text(
                    gettext_noop("%(who)s: %(description)s"),
                    who=actor.display_name,
                    description=fault.description,
                ),
                source="equipment_fault",
                source_id=str(fault.external_id),
                observed_at=fault.reported_at,
                values={"kind": loan.item.kind, "serial_number": loan.item.serial_number},
            )
        ],
    )
    return alert.pk


@transaction.atomic
def report_fault(*, actor: User, loan: Loan, description: str) -> FaultReport:
    """The family (through the portal) or anyone on the team says an item at
    home is not working; the team is alerted."""
    require_perm(
        actor,
        "equipment.report_fault",
        loan.patient,
        _("Only the family and the team of this patient can report a fault."),
    )
    locked = lock(Loan, loan.pk, related=("item", "patient"), of=("self",))
    if not locked.is_at_home:
        raise InvalidTransition(_("This item has been returned; report it to the store instead."))
    errors = Errors()
    text = _text(description, "description", errors, required=True, what=_("Say what is wrong."))
    errors.raise_if_any()
    fault = FaultReport.objects.create(
        loan=locked, reported_at=clock.now(), reported_by=actor, description=text
    )
    fault.alert_id = _alert_fault(actor=actor, fault=fault, loan=locked)
    fault.save(update_fields=["alert_id"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.EQUIPMENT_FAULT_REPORTED,
        patient=locked.patient,
        obj=fault,
        summary=messages.text(
            gettext_noop("Fault reported: %(item)s"), item=_item_name(locked.item)
        ),
        changes={"description": text, "alert_id": fault.alert_id},
    )
    return fault


@transaction.atomic
def resolve_fault(*, actor: User, fault: FaultReport, resolution: str) -> FaultReport:
    """What was done about a fault (repaired at home, item swapped, collected)."""
    patient = fault.loan.patient
    require_perm(
        actor,
        "equipment.resolve_fault",
        patient,
        _("Only a coordinator or a nurse of this patient's team closes a fault."),
    )
    locked = FaultReport.objects.select_for_update(of=("self",)).get(pk=fault.pk)
    if locked.resolved_at is not None:
        raise InvalidTransition(_("This fault was already closed."))
    errors = Errors()
    text = _text(resolution, "resolution", errors, required=True, what=_("Say what was done."))
    errors.raise_if_any()
    locked.resolved_at = clock.now()
    locked.resolved_by = actor
    locked.resolution = text
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.EQUIPMENT_FAULT_RESOLVED,
        patient=patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Fault closed: %(item)s"), item=_item_name(fault.loan.item)
        ),
        changes={"resolution": text},
    )
    return locked


# --- Returning ------------------------------------------------------------------------


@transaction.atomic
def return_loan(
    *,
    actor: User,
    loan: Loan,
    condition_note: str = "",
    returned_at: datetime | None = None,
) -> Loan:
    """The item came back to the store (also after a death or a discharge). It
    goes back on the shelf, or to servicing when a fault is open or its
    service is overdue."""
    require_perm(
        actor,
        "equipment.return_loan",
        loan.patient,
        _("Only a coordinator or a nurse of this patient's team records a return."),
    )
    locked = lock(Loan, loan.pk, related=("item", "patient"), of=("self",))
    if not locked.is_at_home:
        raise InvalidTransition(_("This item was already returned."))
    errors = Errors()
    moment = _moment(returned_at, "returned_at", errors)
    if moment < locked.delivered_at:
        errors.add("returned_at", _("Cannot be before the item was delivered."))
    text = _text(condition_note, "condition_note", errors, required=False)
    errors.raise_if_any()
    item = lock(EquipmentItem, locked.item.pk)
    open_fault = FaultReport.objects.open().filter(loan__item=item).exists()
    overdue = item.maintenance_due_on is None or item.maintenance_due_on < clock.today()
    before = locked.status
    locked.status = LoanStatus.RETURNED
    locked.returned_at = moment
    locked.returned_to = actor
    locked.return_note = text
    locked.save(update_fields=["status", "returned_at", "returned_to", "return_note"])
    item.status = ItemStatus.MAINTENANCE if open_fault or overdue else ItemStatus.AVAILABLE
    item.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.EQUIPMENT_LOAN_RETURNED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Equipment returned: %(item)s"), item=_item_name(item)),
        changes={
            "status": {"from": before, "to": LoanStatus.RETURNED},
            "returned_at": moment,
            "condition": text,
            "item_status": item.status,
            "open_fault": open_fault,
        },
    )
    return locked


def get_loan(loan_id: Any) -> Loan:
    """A loan by its external id (the caller then opens its patient)."""
    try:
        return Loan.objects.select_related("item", "patient").get(external_id=loan_id)
    except (Loan.DoesNotExist, DjangoValidationError, ValueError, TypeError) as error:
        raise NotFound(_("Not found.")) from error
