"""The visit record: arrival, notes by discipline, and closing a visit with
vital signs, PPS, phase and the outcome for the alert that caused it.

Scores, phases and alerts are changed through their own apps' services, so
they are checked and audited the way they always are."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User, discipline_in_a_sentence
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient
from hearth.visits import family_messages
from hearth.visits.choices import (
    AlertOutcome,
    Consciousness,
    UrgentRequestStatus,
    VisitKind,
    VisitStatus,
)
from hearth.visits.models import UrgentVisitRequest, Visit, VisitNote
from hearth.visits.services import dispatch
from hearth.visits.services.checks import _aware, _check_field, _local_date

#: A phone's or a laptop's clock may run a little fast; later than this is "in the future".
CLOCK_SKEW = timedelta(minutes=5)


def lock_visit(visit: Visit) -> Visit:
    """Only the visit row: PostgreSQL cannot lock the nullable side of the
    outer joins to the alert and the urgent request."""
    return lock(
        Visit,
        visit.pk,
        related=("patient", "staff", "alert", "urgent_request__alert"),
        of=("self",),
    )


def _moment(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    moment = _aware(value, field, errors)
    if moment is not None and moment > clock.now() + CLOCK_SKEW:
        errors.add(field, _("Cannot be in the future."))
        return None
    return moment


@transaction.atomic
def arrive(*, actor: User, visit: Visit, at: datetime | None = None) -> Visit:
    """ "I am at the door" (or on the call): the visit is under way."""
    require_perm(actor, "visits.record_visit", visit)
    visit = lock_visit(visit)
    if visit.status != VisitStatus.SCHEDULED:
        raise InvalidTransition(
            _("This visit is %(status)s: only a scheduled visit can start.")
            % {"status": visit.get_status_display().lower()}
        )
    errors = Errors()
    arrived = _moment(at or clock.now(), "at", errors)
    if arrived is not None and _local_date(arrived) != visit.date:
        errors.add("at", _("Arrival is on the day of the visit."))
    errors.raise_if_any()
    visit.arrived_at = arrived
    visit.status = VisitStatus.UNDER_WAY
    visit.save(update_fields=["arrived_at", "status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_ARRIVED,
        patient=visit.patient,
        obj=visit,
        summary=messages.text(
            gettext_noop("%(kind)s started at %(at)s"),
            kind=messages.choice(visit, "kind"),
            at=timezone.localtime(arrived).strftime("%H:%M") if arrived else "",
        ),
    )
    return visit


@transaction.atomic
def add_visit_note(*, actor: User, visit: Visit, text: str) -> VisitNote:
    """A note in the author's discipline; a chaplain's and a nurse's notes
    on the same visit stay apart."""
    require_perm(actor, "visits.record_visit", visit)
    visit = lock_visit(visit)
    if visit.status == VisitStatus.CANCELLED:
        raise InvalidTransition(_("This visit was cancelled."))
    text = (text or "").strip()
    require(bool(text), "text", _("Write the note."))
    require(len(text) <= 10000, "text", _("At most 10,000 characters."))
    note = VisitNote.objects.create(
        visit=visit, discipline=actor.discipline or "", text=text, written_by=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_NOTE_ADDED,
        patient=visit.patient,
        obj=note,
        summary=messages.text(
            gettext_noop("Visit note (%(discipline)s): %(text)s"),
            discipline=discipline_in_a_sentence(actor.discipline or ""),
            text=text[:150],
        ),
    )
    return note


VITAL_SIGNS = (
    "pulse",
    "systolic_pressure",
    "diastolic_pressure",
    "respiratory_rate",
    "temperature",
    "oxygen_saturation",
)


def linked_alert(visit: Visit) -> Alert | None:
    """The alert a visit answers: its own, or its urgent request's."""
    if visit.alert_id:
        return visit.alert
    if visit.urgent_request_id and visit.urgent_request and visit.urgent_request.alert_id:
        return visit.urgent_request.alert
    return None


def _vital_signs(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in VITAL_SIGNS:
        value: Any = values.get(name)
        if value is None or value == "":
            clean[name] = None
            continue
        try:
            number: Any = (
                Decimal(str(value)).quantize(Decimal("0.1"))
                if name == "temperature"
                else int(value)
            )
        except (InvalidOperation, TypeError, ValueError):
            errors.add(name, _("Give a number."))
            continue
        if name != "temperature" and Decimal(str(value)) != number:
            errors.add(name, _("Give a whole number."))
            continue
        _check_field(Visit, name, number, errors)
        clean[name] = number
    pressure_errors = "systolic_pressure" in errors.by_field or (
        "diastolic_pressure" in errors.by_field
    )
    systolic, diastolic = clean.get("systolic_pressure"), clean.get("diastolic_pressure")
    if pressure_errors:
        return clean
    if (systolic is None) != (diastolic is None):
        errors.add(
            "diastolic_pressure" if diastolic is None else "systolic_pressure",
            _("Give both blood pressure numbers, or neither."),
        )
    elif systolic is not None and diastolic is not None and diastolic >= systolic:
        errors.add("diastolic_pressure", _("The lower number is below the upper one."))
    return clean


def _check_pps(actor: User, patient: Patient, pps: Any, errors: Errors) -> None:
    if pps is None:
        return
    if not isinstance(pps, int) or not 0 <= pps <= 100 or pps % 10:
        errors.add("pps", _("PPS is 0 to 100 in steps of 10."))
    elif not actor.has_perm("assessments.record_clinical_assessment", patient):
        errors.add("pps", _("Only a physician or nurse records the PPS."))


def _check_phase(actor: User, patient: Patient, phase: str | None, errors: Errors) -> None:
    from hearth.assessments.choices import Phase

    if not phase:
        return
    if phase not in Phase.values:
        errors.add("phase", _("Not a known phase of illness."))
    elif not actor.has_perm("assessments.set_phase", patient):
        errors.add("phase", _("Only a physician or nurse records the phase of illness."))


def _check_alert_outcome(
    actor: User, alert: Alert | None, outcome: str | None, errors: Errors
) -> None:
    if alert is None:
        if outcome:
            errors.add("alert_outcome", _("This visit answers no alert."))
        return
    if outcome and outcome not in AlertOutcome.values:
        errors.add("alert_outcome", _("Resolved, or still needs attention."))
        return
    if not alert.is_open:
        if outcome == AlertOutcome.STILL_OPEN:
            errors.add("alert_outcome", _("The alert was already resolved."))
        return
    if not outcome:
        errors.add(
            "alert_outcome",
            _("This visit answers an alert: say whether it is resolved or still needs attention."),
        )
    elif outcome == AlertOutcome.RESOLVED and not actor.has_perm("monitoring.act_on_alert", alert):
        errors.add(
            "alert_outcome",
            _("Only a physician or nurse resolves an alert: choose “still needs attention”."),
        )


def _triage_outcome_for(visit: Visit) -> str:
    from hearth.monitoring.choices import TriageOutcome

    if visit.kind == VisitKind.TELECONSULT:
        return TriageOutcome.TELECONSULT
    if visit.discipline == Discipline.PHYSICIAN:
        return TriageOutcome.URGENT_PHYSICIAN_VISIT
    return TriageOutcome.NURSE_VISIT


def _settle_alert(actor: User, visit: Visit, alert: Alert, outcome: str) -> None:
    """Through the monitoring app's own services: an alert nobody triaged is
    triaged first (as this visit), since an alert is only resolved after a
    triage; a request that triage raises on the way is answered by this visit."""
    from hearth.monitoring import services as monitoring

    when = timezone.localtime(visit.departed_at or clock.now()).strftime("%Y-%m-%d %H:%M")
    what = visit.actions_taken[:200]
    if outcome == AlertOutcome.RESOLVED:
        if not alert.is_open:
            return
        if not alert.triage_outcome:
            pending = set(
                UrgentVisitRequest.objects.filter(
                    alert=alert,
                    status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED],
                ).values_list("pk", flat=True)
            )
            alert = monitoring.triage_alert(
                actor=actor,
                alert=alert,
                outcome=_triage_outcome_for(visit),
                note=_("Seen at a %(kind)s on %(when)s.")
                % {"kind": visit.get_kind_display().lower(), "when": when},
            )
            raised = UrgentVisitRequest.objects.filter(
                alert=alert,
                status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.DISPATCHED],
            ).exclude(pk__in=pending)
            for request in raised:
                dispatch.answered_by_visit(actor=actor, request=request, visit=visit)
            raised.update(status=UrgentRequestStatus.DONE)
        monitoring.resolve_alert(
            actor=actor,
            alert=alert,
            note=_("Resolved at the %(kind)s on %(when)s: %(what)s")
            % {"kind": visit.get_kind_display().lower(), "when": when, "what": what},
        )
        return
    # The monitoring app has no "add a note to an alert" service: the visit
    # keeps the outcome and the audit trail says the alert still needs attention.
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_STILL_OPEN_AFTER_VISIT,
        patient=visit.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Alert still needs attention after the %(kind)s on %(when)s: %(what)s"),
            kind=messages.lower_case(messages.choice(visit, "kind")),
            when=when,
            what=what,
        ),
        changes={"visit": visit},
    )


@transaction.atomic
def close_visit(
    *,
    actor: User,
    visit: Visit,
    departed_at: datetime | None,
    actions_taken: str,
    arrived_at: datetime | None = None,
    notes: str = "",
    pulse: Any = None,
    systolic_pressure: Any = None,
    diastolic_pressure: Any = None,
    respiratory_rate: Any = None,
    temperature: Any = None,
    oxygen_saturation: Any = None,
    consciousness: str | None = None,
    supplemental_oxygen: bool | None = None,
    pps: int | None = None,
    phase: str | None = None,
    phase_end_reason: str = "",
    alert_outcome: str | None = None,
) -> Visit:
    """What happened: when, what was done, the vital signs, and (through the
    assessments app) the PPS and the phase of illness. A visit that answers an
    alert says whether the alert is resolved (then it is resolved through the
    monitoring app) or still needs attention; its urgent request is done."""
    require_perm(actor, "visits.record_visit", visit)
    visit = lock_visit(visit)
    patient = visit.patient
    if visit.status not in (VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY):
        raise InvalidTransition(
            _("This visit is %(status)s: it cannot be closed again.")
            % {"status": visit.get_status_display().lower()}
        )
    actions_taken = (actions_taken or "").strip()
    notes = (notes or "").strip()
    errors = Errors()
    arrived = _moment(arrived_at, "arrived_at", errors) if arrived_at else visit.arrived_at
    if arrived is None and not errors.by_field.get("arrived_at"):
        errors.add("arrived_at", _("Say when the visit started."))
    departed = _moment(departed_at, "departed_at", errors) if departed_at else None
    if departed_at is None:
        errors.add("departed_at", _("Say when the visit ended."))
    if arrived is not None and departed is not None and departed <= arrived:
        errors.add("departed_at", _("The visit ends after it starts."))
    if arrived is not None and _local_date(arrived) != visit.date:
        errors.add("arrived_at", _("Arrival is on the day of the visit."))
    if not actions_taken:
        errors.add("actions_taken", _("Say what was done."))
    vitals = _vital_signs(
        {
            "pulse": pulse,
            "systolic_pressure": systolic_pressure,
            "diastolic_pressure": diastolic_pressure,
            "respiratory_rate": respiratory_rate,
            "temperature": temperature,
            "oxygen_saturation": oxygen_saturation,
        },
        errors,
    )
    consciousness = consciousness or ""
    if consciousness and consciousness not in Consciousness.values:
        errors.add("consciousness", _("Alert, new confusion, voice, pain or unresponsive."))
    if supplemental_oxygen is not None and not isinstance(supplemental_oxygen, bool):
        errors.add("supplemental_oxygen", _("Yes or no."))
    _check_pps(actor, patient, pps, errors)
    _check_phase(actor, patient, phase, errors)
    alert = linked_alert(visit)
    if alert is not None:
        alert = Alert.objects.select_related("patient").get(pk=alert.pk)
    _check_alert_outcome(actor, alert, alert_outcome, errors)
    errors.raise_if_any()
    assert arrived is not None and departed is not None

    before_status = visit.status
    visit.arrived_at = arrived
    visit.departed_at = departed
    visit.actions_taken = actions_taken
    for name, value in vitals.items():
        setattr(visit, name, value)
    visit.consciousness = consciousness
    visit.supplemental_oxygen = supplemental_oxygen
    visit.alert_outcome = alert_outcome or ""
    visit.status = VisitStatus.COMPLETED
    visit.closed_by = actor
    visit.closed_at = clock.now()
    visit.save()
    if notes:
        VisitNote.objects.create(
            visit=visit, discipline=actor.discipline or "", text=notes, written_by=actor
        )

    recorded: dict[str, Any] = {}
    if pps is not None or phase:
        from hearth.assessments import services as assessments
        from hearth.assessments.choices import Context

        context = Context.TELECONSULT if visit.kind == VisitKind.TELECONSULT else Context.HOME_VISIT
        if pps is not None:
            response = assessments.record_assessment(
                actor=actor,
                patient=patient,
                instrument="pps",
                answers={"level": pps},
                assessed_at=departed,
                context=context,
            )
            recorded["pps"] = {"level": pps, "response": response}
        if phase:
            current = assessments.current_phase(patient)
            if current is None or current.phase != phase:
                when = timezone.localtime(departed).strftime("%Y-%m-%d")
                reason = (phase_end_reason or "").strip() or _(
                    "Reassessed at the %(kind)s on %(when)s."
                ) % {"kind": visit.get_kind_display().lower(), "when": when}
                try:
                    started = assessments.start_phase(
                        actor=actor,
                        patient=patient,
                        phase=phase,
                        end_reason=reason if current is not None else "",
                        started_at=departed,
                    )
                except ValidationFailed as error:
                    raise ValidationFailed(
                        error.message, field_errors={"phase": [error.message]}
                    ) from error
                recorded["phase"] = {"phase": phase, "record": started}
            else:
                recorded["phase"] = {"phase": phase, "unchanged": True}

    if alert is not None and alert_outcome:
        _settle_alert(actor, visit, alert, alert_outcome)
    request = visit.urgent_request
    if request is not None and request.status in (
        UrgentRequestStatus.WAITING,
        UrgentRequestStatus.SCHEDULED,
        UrgentRequestStatus.DISPATCHED,
    ):
        dispatch.answered_by_visit(actor=actor, request=request, visit=visit)
        request.status = UrgentRequestStatus.DONE
        request.save(update_fields=["status"])

    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_COMPLETED,
        patient=patient,
        obj=visit,
        summary=messages.text(
            gettext_noop("%(kind)s by %(name)s completed: %(what)s"),
            kind=messages.choice(visit, "kind"),
            name=visit.staff.display_name,
            what=actions_taken[:150],
        ),
        changes={
            "status": {"from": before_status, "to": VisitStatus.COMPLETED},
            "arrived_at": arrived,
            "departed_at": departed,
            "vital_signs": {name: value for name, value in vitals.items() if value is not None},
            "consciousness": consciousness,
            "supplemental_oxygen": supplemental_oxygen,
            "pps": pps,
            "phase": phase,
            "alert_outcome": alert_outcome or "",
        },
    )
    return visit


@transaction.atomic
def cancel_visit(*, actor: User, visit: Visit, reason: str) -> Visit:
    """A visit that will not happen. An urgent request it was answering goes
    back to waiting, so the coordinator places it again."""
    require_perm(actor, "visits.cancel_visit", visit)
    visit = lock_visit(visit)
    if visit.status != VisitStatus.SCHEDULED:
        raise InvalidTransition(
            _("This visit is %(status)s: only a scheduled visit can be cancelled.")
            % {"status": visit.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the visit is cancelled."))
    require(len(reason) <= 300, "reason", _("At most 300 characters."))
    cancel_locked_visit(actor=actor, visit=visit, reason=reason)
    family_messages.visit_cancelled(visit)
    return visit


def cancel_locked_visit(*, actor: User, visit: Visit, reason: str | messages.Message) -> Visit:
    """The write and the audit of cancelling a scheduled visit, locked and
    checked by the caller; telling the family is the caller's choice (after a
    death the family is not sent a list of cancelled visits). A ``Message``
    reason (the service's own words) is quoted in the audit event as a key;
    the visit keeps it as a key and parameters, shown in each reader's
    language, with its text in the service's language beside them."""
    visit.status = VisitStatus.CANCELLED
    text, visit.cancelled_reason_key, visit.cancelled_reason_params = messages.stored(
        reason, language=settings.LANGUAGE_CODE
    )
    visit.cancelled_reason = text[:300]
    visit.closed_by = actor
    visit.closed_at = clock.now()
    visit.save(
        update_fields=[
            "status",
            "cancelled_reason",
            "cancelled_reason_key",
            "cancelled_reason_params",
            "closed_by",
            "closed_at",
        ]
    )
    request = visit.urgent_request
    if (
        request is not None
        and request.status == UrgentRequestStatus.SCHEDULED
        and not request.visits.filter(
            status__in=[VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY]
        ).exists()
    ):
        request.status = UrgentRequestStatus.WAITING
        request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_CANCELLED,
        patient=visit.patient,
        obj=visit,
        summary=messages.text(
            gettext_noop("%(kind)s on %(date)s cancelled: %(reason)s"),
            kind=messages.choice(visit, "kind"),
            date=visit.date,
            reason=reason if isinstance(reason, messages.Message) else reason[:200],
        ),
    )
    return visit
