"""Urgent visit requests: a visit today, asked for from triage or by hand.

The request waits on the coordinator's list; a new request is announced with
``signals.urgent_visit_requested``, so planning can fit it into a day already
published without visits importing planning."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, discipline_in_a_sentence
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.core.validation import require, require_perm
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient
from hearth.visits.choices import UrgentRequestStatus
from hearth.visits.models import UrgentVisitRequest
from hearth.visits.services import dispatch
from hearth.visits.signals import urgent_visit_requested


@transaction.atomic
def request_urgent_visit(
    *,
    actor: User,
    patient: Patient,
    reason: str,
    alert: Alert | None = None,
    discipline: str = "physician",
) -> UrgentVisitRequest:
    """A visit today. From triage the permission is the triage's own (the
    owner of the alert may dispatch even off their caseload)."""
    if alert is None or not actor.has_perm("monitoring.act_on_alert", alert):
        require_perm(actor, "visits.request_urgent_visit", patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the visit is urgent."))
    require(discipline in ("physician", "nurse"), "discipline", _("A physician or a nurse."))
    if alert is not None:
        existing = UrgentVisitRequest.objects.filter(
            alert=alert,
            status__in=[
                UrgentRequestStatus.WAITING,
                UrgentRequestStatus.SCHEDULED,
                UrgentRequestStatus.DISPATCHED,
            ],
        ).first()
        if existing is not None:
            return existing
    dispatch.require_in_care(patient)
    now = clock.now()
    request = UrgentVisitRequest.objects.create(
        patient=patient,
        alert=alert,
        discipline=discipline,
        for_date=clock.today(),
        reason=reason,
        requested_by=actor,
        requested_at=now,
        respond_by=now + timedelta(minutes=settings.HEARTH_URGENT_RESPONSE_MINUTES),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.URGENT_VISIT_REQUESTED,
        patient=patient,
        obj=request,
        summary=messages.text(
            gettext_noop("Urgent %(discipline)s visit requested for today: %(reason)s"),
            discipline=discipline_in_a_sentence(request.discipline),
            reason=reason[:200],
        ),
    )
    if dispatch.out_of_planned_hours(now, request.respond_by):
        # No day plan will start it: straight to the clinician on call.
        dispatch.offer_to_on_call(
            request=request,
            reason=messages.text(gettext_noop("Out of planned hours: no day plan will start it.")),
        )
        request.refresh_from_db()
    else:
        urgent_visit_requested.send(sender=UrgentVisitRequest, request=request)
    return request


def waiting_requests() -> Any:
    return (
        UrgentVisitRequest.objects.filter(
            status__in=[
                UrgentRequestStatus.WAITING,
                UrgentRequestStatus.SCHEDULED,
                UrgentRequestStatus.DISPATCHED,
            ]
        )
        .select_related("patient", "alert", "requested_by")
        .order_by("for_date", "requested_at")
    )
