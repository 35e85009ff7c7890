"""The family's time requests: for one day, visits only (or never) between two
times, so a hospital appointment or a rest is respected by the planner."""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.patients.models import Patient
from hearth.visits.choices import TimeRequestKind
from hearth.visits.models import VisitTimeRequest
from hearth.visits.services.checks import _local, _require_in_care


@transaction.atomic
def request_visit_time(
    *,
    actor: User,
    patient: Patient,
    date: date,
    kind: str,
    starts_at: time,
    ends_at: time,
    note: str = "",
) -> VisitTimeRequest:
    """The family asks, for one day, that visits come only between two times
    or not between them (a hospital appointment, a family gathering). The
    planner treats it as a wish for that day."""
    require_perm(actor, "visits.request_visit_time", patient)
    _require_in_care(patient)
    note = (note or "").strip()
    errors = Errors()
    today = clock.today()
    if date < today:
        errors.add("date", _("Choose today or a later day."))
    if kind not in TimeRequestKind.values:
        errors.add("kind", _("Choose “only between” or “not between”."))
    if starts_at >= ends_at:
        errors.add("ends_at", _("The end is after the start, on the same day."))
    elif date == today and _local(date, ends_at) <= clock.now():
        errors.add("ends_at", _("That time is already over today."))
    if len(note) > 300:
        errors.add("note", _("At most 300 characters."))
    errors.raise_if_any()
    request = VisitTimeRequest.objects.create(
        patient=patient,
        date=date,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_TIME_REQUEST_MADE,
        patient=patient,
        obj=request,
        summary=messages.text(
            gettext_noop("Visit time request for %(date)s: %(kind)s %(start)s–%(end)s"),
            date=date,
            kind=TimeRequestKind(kind).label,
            start=starts_at.strftime("%H:%M"),
            end=ends_at.strftime("%H:%M"),
        ),
        changes={"note": note},
    )
    return request


@transaction.atomic
def withdraw_visit_time_request(*, actor: User, request: VisitTimeRequest) -> VisitTimeRequest:
    require_perm(actor, "visits.request_visit_time", request.patient)
    request = (
        VisitTimeRequest.objects.select_for_update().select_related("patient").get(pk=request.pk)
    )
    if request.withdrawn_at is not None:
        raise InvalidTransition(_("This request was already withdrawn."))
    if request.date < clock.today():
        raise InvalidTransition(_("That day is over: the request stays on record."))
    request.withdrawn_at = clock.now()
    request.save(update_fields=["withdrawn_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_TIME_REQUEST_WITHDRAWN,
        patient=request.patient,
        obj=request,
        summary=messages.text(
            gettext_noop("Visit time request for %(date)s withdrawn"), date=request.date
        ),
    )
    return request
