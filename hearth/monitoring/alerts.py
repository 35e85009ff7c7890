"""Raising alerts, choosing their owner and escalating them until someone acts.

Called only from services (inside their transaction), the escalation timer
task and the overdue-alert sweep. One open alert per rule and patient: new
evidence is attached to the open one, and raises its severity if the evidence
is worse.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User
from hearth.core import audit, clock, dates, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.messages import Message
from hearth.core.models import AuditAction
from hearth.core.sweeps import MOST_STEPS_AT_ONCE, locked_for_a_step
from hearth.monitoring import paging
from hearth.monitoring.choices import (
    SEVERITY_RANK,
    AlertOwnerRole,
    AlertStatus,
    OnCallRole,
    Severity,
)
from hearth.monitoring.models import Alert, AlertEscalation, AlertEvidence, OnCallShift
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment, Patient

P = ParamSpec("P")
R = TypeVar("R")

#: The on-call chain, first to last (docs/clinical-reference.md:
#: nurse → physician on call → clinical lead).
CHAIN = (OnCallRole.NURSE, OnCallRole.PHYSICIAN, OnCallRole.CLINICAL_LEAD)


@dataclass
class Evidence:
    #: A ``Message`` is rendered in each reader's language (hearth.core.messages).
    description: str | Message
    source: str
    observed_at: datetime
    source_id: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def in_service_language(function: Callable[P, R]) -> Callable[P, R]:
    """Alert texts are stored once and read by whoever is on call, so they are
    written in the service's language, not in that of the family member whose
    check-in raised them."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def local_time(moment: datetime) -> str:
    return dates.date_format(timezone.localtime(moment), "j M H:i")


def severity_for(rule_key: str) -> str:
    return str(settings.HEARTH_ALERT_SEVERITY[rule_key])


def acknowledge_deadline(severity: str, moment: datetime, within: int | None = None) -> datetime:
    """``moment`` plus ``within`` minutes when the rule gave the alert its own
    deadline (NEWS2: a physiological alert never waits over a weekend), else
    plus the severity's minutes; "low" waits for the start of the next working
    day (Monday to Friday, ``HEARTH_WORKING_DAY_START`` local).

    Always later than ``moment``, so the catch-up after an outage ends: a
    deadline of 0 or less minutes is refused (settings refuse it at start-up;
    this guards a value changed later, in a test or a shell)."""
    minutes = within if within is not None else settings.HEARTH_ACKNOWLEDGE_MINUTES.get(severity)
    if minutes is not None:
        if minutes <= 0:
            raise ImproperlyConfigured(
                f"The time to acknowledge a {severity} alert must be more than 0 minutes, "
                f"not {minutes!r}."
            )
        return moment + timedelta(minutes=minutes)
    start = time.fromisoformat(settings.HEARTH_WORKING_DAY_START)
    local = timezone.localtime(moment)
    day = local.date()
    while True:
        candidate = timezone.make_aware(datetime.combine(day, start))
        if candidate > moment and candidate.weekday() < 5:
            return candidate
        day += timedelta(days=1)


def on_call(role: str, moment: datetime) -> User | None:
    shift = (
        OnCallShift.objects.covering(moment)
        .filter(role=role, staff__is_active=True)
        .select_related("staff")
        .order_by("starts_at", "id")
        .first()
    )
    return shift.staff if shift else None


def _fallback(role: str, patient: Patient) -> User | None:
    """Nobody on the roster: the patient's own key nurse or lead physician, or
    the clinical lead, so an alert always has a named owner when anyone fits."""
    if role == OnCallRole.CLINICAL_LEAD:
        return (
            User.objects.filter(is_active=True, is_clinical_lead=True, kind="staff")
            .order_by("id")
            .first()
        )
    roles = (
        (CareTeamRole.KEY_NURSE, CareTeamRole.NURSE)
        if role == OnCallRole.NURSE
        else (CareTeamRole.LEAD_PHYSICIAN, CareTeamRole.PHYSICIAN)
    )
    discipline = Discipline.NURSE if role == OnCallRole.NURSE else Discipline.PHYSICIAN
    for team_role in roles:
        assignment = (
            CareTeamAssignment.objects.current()
            .filter(patient=patient, role=team_role, staff__is_active=True)
            .filter(staff__discipline=discipline)
            .select_related("staff")
            .first()
        )
        if assignment is not None:
            return assignment.staff
    return None


def owner_for(role: str, patient: Patient, moment: datetime) -> User | None:
    return on_call(role, moment) or _fallback(role, patient)


def _schedule(alert: Alert) -> None:
    """The fast path: a database task that runs at the deadline, so an alert
    escalates on the second. It is not the truth (the alert's own deadline is):
    a task lost with a worker killed mid-run, or left RUNNING or FAILED by the
    queue, is made good by the sweep (``monitoring.sweep``), and a timer that
    is stale or runs twice does nothing, since ``escalate`` decides from the
    row. The caller has saved the alert."""
    from hearth.monitoring.tasks import escalate_alert

    alert.timer_version += 1
    alert.save(update_fields=["timer_version"])
    if alert.acknowledge_by is None:
        return
    escalate_alert.using(run_after=alert.acknowledge_by).enqueue(
        alert_id=alert.pk, timer_version=alert.timer_version
    )


#: The public name for services that re-own an alert (the end of home care).
schedule_escalation = _schedule


def _add_evidence(alert: Alert, evidence: Sequence[Evidence]) -> None:
    rows = []
    for item in evidence:
        text, key, params = messages.stored(item.description, language=settings.LANGUAGE_CODE)
        rows.append(
            AlertEvidence(
                alert=alert,
                observed_at=item.observed_at,
                description=text[:300],
                description_key=key[:300],
                description_params=params,
                source=item.source,
                source_id=item.source_id,
                values=item.values,
            )
        )
    AlertEvidence.objects.bulk_create(rows)


def raise_alert(
    *,
    actor: Any,
    patient: Patient,
    rule: str,
    severity: str,
    summary: str | Message,
    evidence: Sequence[Evidence],
    routing_note: str | Message = "",
    first_role: str = CHAIN[0],
    acknowledge_within: int | None = None,
) -> tuple[Alert, bool]:
    """Open an alert, or attach the evidence to the one already open for this
    rule and patient. Returns ``(alert, created)``. Must run inside the
    caller's transaction. ``first_role`` starts the chain further up when the
    decision belongs there (a dose review goes to the physician first).
    ``acknowledge_within`` (minutes) gives the alert its own deadline, kept on
    the alert for every step up the chain, instead of the severity's default
    (NEWS2 uses it: a physiological low alert must not wait over a weekend).
    A ``summary`` given as a ``Message`` is stored as its key and parameters and
    read in each reader's language; its service-language text is kept beside it.
    So is a ``routing_note`` given as a ``Message``."""
    now = clock.now()
    summary_text, summary_key, summary_params = messages.stored(
        summary, language=settings.LANGUAGE_CODE
    )
    note_text, note_key, note_params = messages.stored(
        routing_note, language=settings.LANGUAGE_CODE
    )
    existing = Alert.objects.select_for_update().open().filter(patient=patient, rule=rule).first()
    if existing is None:
        alert = Alert(
            patient=patient,
            rule=rule,
            severity=severity,
            summary=summary_text[:300],
            summary_key=summary_key[:300],
            summary_params=summary_params,
            raised_at=now,
            last_evidence_at=now,
            routing_note=note_text[:300],
            routing_note_key=note_key[:300],
            routing_note_params=note_params,
            owner_role=first_role,
            owner=owner_for(first_role, patient, now),
            acknowledge_within_minutes=acknowledge_within,
            acknowledge_by=acknowledge_deadline(severity, now, acknowledge_within),
        )
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:
            # Another request opened it a moment ago: attach to that one.
            existing = Alert.objects.select_for_update().open().get(patient=patient, rule=rule)
        else:
            _add_evidence(alert, evidence)
            _schedule(alert)
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                event_type=AuditEventType.ALERT_RAISED,
                patient=patient,
                obj=alert,
                summary=messages.text(
                    gettext_noop("Alert (%(severity)s): %(summary)s"),
                    severity=Severity(alert.severity).label,
                    summary=summary,
                ),
                changes={
                    "rule": rule,
                    "severity": severity,
                    "owner": alert.owner.display_name if alert.owner else None,
                    "acknowledge_by": alert.acknowledge_by,
                    "acknowledge_within_minutes": acknowledge_within,
                },
            )
            paging.page_owner(alert, reason="raised")
            return alert, True
    assert existing is not None
    _add_evidence(existing, evidence)
    existing.last_evidence_at = now
    changes: dict[str, Any] = {
        "evidence": [
            messages.stored(item.description, language=settings.LANGUAGE_CODE)[0]
            for item in evidence
        ]
    }
    worse = SEVERITY_RANK[severity] > SEVERITY_RANK[existing.severity]
    # Same severity but a shorter response (NEWS2 5-6 after a single 3, both
    # medium): the shorter deadline applies from now on, as a worse severity would.
    shorter = (
        not worse
        and SEVERITY_RANK[severity] == SEVERITY_RANK[existing.severity]
        and acknowledge_deadline(severity, now, acknowledge_within)
        < acknowledge_deadline(existing.severity, now, existing.acknowledge_within_minutes)
    )
    if worse or shorter:
        if worse:
            changes["severity"] = {"from": existing.severity, "to": severity}
            existing.severity = severity
        changes["acknowledge_within_minutes"] = {
            "from": existing.acknowledge_within_minutes,
            "to": acknowledge_within,
        }
        existing.acknowledge_within_minutes = acknowledge_within
        existing.summary = summary_text[:300]
        existing.summary_key = summary_key[:300]
        existing.summary_params = summary_params
        if existing.status == AlertStatus.OPEN:
            sooner = acknowledge_deadline(severity, now, acknowledge_within)
            if existing.acknowledge_by is None or sooner < existing.acknowledge_by:
                existing.acknowledge_by = sooner
        existing.save(
            update_fields=[
                "last_evidence_at",
                "severity",
                "summary",
                "summary_key",
                "summary_params",
                "acknowledge_by",
                "acknowledge_within_minutes",
            ]
        )
        if existing.status == AlertStatus.OPEN:
            _schedule(existing)
    else:
        existing.save(update_fields=["last_evidence_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_EVIDENCE_ADDED,
        patient=patient,
        obj=existing,
        summary=messages.text(
            gettext_noop("More evidence for an open alert: %(summary)s"), summary=summary
        ),
        changes=changes,
    )
    return existing, False


@in_service_language
def escalate(*, alert_id: int, now: datetime | None = None, wait: bool = True) -> int:
    """Hand an alert whose deadline passed unacknowledged to the next person on
    the chain (the clinical lead is asked again and again). The one way an
    alert escalates, for the timer task and the sweep alike.

    The alert's own row decides, read locked: only an open alert whose
    ``acknowledge_by`` has passed moves, so two workers, or the timer and the
    sweep, never take the same step twice. ``wait=False`` (the sweep) skips an
    alert another worker holds instead of queueing behind it.

    After an outage the chain catches up from the deadlines, not from now:
    each missed step is recorded as due at its deadline, the next deadline
    counts from the previous one, and only the final owner is paged, once.
    Each step's owner is whoever was on call when it was due; the last one's,
    whoever is on call now (they are the one paged). Returns the steps taken.
    """
    from hearth.monitoring.paging import page_owner

    with transaction.atomic():
        rows = locked_for_a_step(Alert.objects.select_related("patient"), wait=wait)
        alert = rows.filter(pk=alert_id).first()
        moment = now or clock.now()
        if (
            alert is None
            or alert.status != AlertStatus.OPEN
            or alert.acknowledge_by is None
            or alert.acknowledge_by > moment
        ):
            return 0
        steps = 0
        while alert.acknowledge_by <= moment and steps < MOST_STEPS_AT_ONCE:
            _take_step(alert, due=alert.acknowledge_by, moment=moment)
            steps += 1
        alert.save(update_fields=["escalation_count", "owner_role", "owner", "acknowledge_by"])
        _schedule(alert)
        page_owner(alert, reason="escalated")
        return steps


def _take_step(alert: Alert, *, due: datetime, moment: datetime) -> None:
    """One step up the chain, due at ``due`` and taken at ``moment``."""
    if alert.owner_role == AlertOwnerRole.COORDINATOR:
        # An equipment alert handed to the coordinator when home care ended:
        # not the clinical chain's from the start, so the clinical lead next.
        role: str = OnCallRole.CLINICAL_LEAD
    else:
        current = CHAIN.index(alert.owner_role) if alert.owner_role in CHAIN else 0
        role = CHAIN[min(current + 1, len(CHAIN) - 1)]
    deadline = acknowledge_deadline(alert.severity, due, alert.acknowledge_within_minutes)
    previous = alert.owner
    alert.escalation_count += 1
    alert.owner_role = role
    alert.owner = owner_for(role, alert.patient, moment if deadline > moment else due)
    alert.acknowledge_by = deadline
    note = _("Not acknowledged by %(who)s in time.") % {
        "who": previous.display_name if previous else _("anyone")
    }
    late = moment - due
    if late > timedelta(minutes=1):
        note += " " + _("Due at %(due)s, escalated late at %(now)s.") % {
            "due": local_time(due),
            "now": local_time(moment),
        }
    AlertEscalation.objects.create(
        alert=alert, escalated_at=moment, due_at=due, role=role, to_user=alert.owner, note=note
    )
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_ESCALATED,
        patient=alert.patient,
        obj=alert,
        summary=messages.text(
            gettext_noop("Alert escalated to the %(role)s: %(who)s"),
            role=OnCallRole(role).label.lower(),
            who=alert.owner.display_name if alert.owner else _("nobody on call"),
        ),
        changes={
            "escalation": alert.escalation_count,
            "role": role,
            "note": note,
            "due_at": due,
            "late_seconds": round(late.total_seconds()),
            "acknowledge_by": deadline,
        },
    )
