"""The end of home care: visits that will not happen.

Called from ``visits.receivers`` when ``patients.signals.home_care_ended`` is
sent, in the transaction that records the death or the discharge; no
permission check here: recording the death or the discharge was checked (the
recorder need not be the coordinator). Everything is idempotent: what is
already cancelled or ended is left alone, so a second run cancels nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind
from hearth.patients.signals import CareEndSummary, care_end_reason_message, ended_by_death
from hearth.visits import family_messages
from hearth.visits.choices import DispatchStatus, PlanStatus, UrgentRequestStatus, VisitStatus
from hearth.visits.models import (
    DayPlan,
    Dispatch,
    PlannedVisit,
    UrgentVisitRequest,
    Visit,
    VisitNeed,
)
from hearth.visits.services.visit_record import cancel_locked_visit

#: Dispatches nobody has arrived at: cancelled. One whose clinician is at the
#: home (ARRIVED) is theirs to finish; they may be the one verifying the death.
CANCELLABLE_DISPATCH = (DispatchStatus.OFFERED, DispatchStatus.ACCEPTED, DispatchStatus.ON_THE_WAY)
#: Family messages about a visit that will not happen and should not go out.
VISIT_MESSAGES = (MessageKind.VISIT_REMINDER, MessageKind.VISIT_MOVED)


def cancel_at_care_end(*, actor: User, episode: Any, summary: CareEndSummary) -> list[Visit]:
    """Cancel every scheduled visit of the person (they leave the staff's day
    pages, which show visits not cancelled), take them out of draft plans,
    cancel urgent requests and dispatches not yet arrived at, end the visit
    needs, and tell the family as the service chose. A visit under way is
    left to the clinician at the home. Returns the visits cancelled."""
    if not settings.HEARTH_CARE_END_CANCEL_VISITS:
        return []
    patient = episode.patient
    died = ended_by_death(episode)
    reason = care_end_reason_message(episode)
    visits = list(
        Visit.objects.select_for_update(of=("self",))
        .select_related("patient", "staff")
        .filter(patient=patient, status=VisitStatus.SCHEDULED)
        .order_by("planned_start", "pk")
    )
    for visit in visits:
        cancel_locked_visit(actor=actor, visit=visit, reason=reason)
        outbox.cancel(topic=f"visit:{visit.pk}", kinds=VISIT_MESSAGES, reason=reason)
        summary.add(
            "visit_cancelled",
            _("Visit cancelled: %(kind)s with %(who)s on %(day)s at %(time)s.")
            % {
                "kind": visit.get_kind_display().lower(),
                "who": visit.staff.display_name,
                "day": family_messages.day_text(visit.planned_start),
                "time": family_messages.time_text(visit.planned_start),
            },
        )
    _remove_from_drafts(actor=actor, patient=patient, reason=reason, summary=summary)
    _cancel_dispatches(actor=actor, patient=patient, reason=reason, summary=summary)
    _cancel_urgent_requests(actor=actor, patient=patient, reason=reason, summary=summary)
    _end_visit_needs(actor=actor, patient=patient, reason=reason, summary=summary)
    _tell_family(patient=patient, visits=visits, died=died)
    under_way = Visit.objects.filter(patient=patient, status=VisitStatus.UNDER_WAY).count()
    if under_way:
        summary.add(
            "visit_under_way",
            _("A visit is still under way: close it from the visit's page when it ends."),
        )
    return visits


def _said(reason: messages.Message) -> str:
    """The reason as stored beside its key, in the service's language."""
    return reason.in_language(settings.LANGUAGE_CODE)[:300]


def _remove_from_drafts(
    *, actor: User, patient: Any, reason: messages.Message, summary: CareEndSummary
) -> None:
    """A draft plan for today or later would publish the visit again."""
    rows = PlannedVisit.objects.filter(
        patient=patient, plan__status=PlanStatus.DRAFT, plan__date__gte=clock.today()
    )
    plans = DayPlan.objects.filter(pk__in=rows.values("plan_id")).order_by("date")
    for plan in plans:
        removed, _by_kind = rows.filter(plan=plan).delete()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.PLANNED_VISIT_REMOVED,
            patient=patient,
            obj=plan,
            summary=messages.text(
                gettext_noop("Taken out of the draft plan for %(day)s: %(reason)s"),
                day=plan.date,
                reason=reason,
            ),
            changes={"removed": removed, "reason": _said(reason)},
        )
        summary.add(
            "draft_visit_removed",
            _("Taken out of the draft plan for %(day)s.") % {"day": plan.date.isoformat()},
        )


def _cancel_dispatches(
    *, actor: User, patient: Any, reason: messages.Message, summary: CareEndSummary
) -> None:
    dispatches = (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("request", "offered_to", "accepted_by")
        .filter(patient=patient, status__in=CANCELLABLE_DISPATCH)
        .order_by("pk")
    )
    for dispatch in dispatches:
        before = dispatch.status
        dispatch.status = DispatchStatus.CANCELLED
        dispatch.done_at = clock.now()
        dispatch.done_note = _said(reason)
        dispatch.save(update_fields=["status", "done_at", "done_note"])
        outbox.cancel(
            topic=f"dispatch:{dispatch.pk}",
            kinds=(MessageKind.DISPATCH_PAGE, MessageKind.HELP_ON_THE_WAY),
            reason=reason,
        )
        request = dispatch.request
        request.status = UrgentRequestStatus.CANCELLED
        request.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=AuditEventType.DISPATCH_CANCELLED,
            patient=patient,
            obj=dispatch,
            summary=messages.text(
                gettext_noop("Urgent visit cancelled: %(reason)s"), reason=reason
            ),
            changes={
                "status": {"from": before, "to": DispatchStatus.CANCELLED},
                "reason": _said(reason),
            },
        )
        clinician = dispatch.accepted_by or dispatch.offered_to
        if clinician is not None:
            _tell_clinician(dispatch, clinician)
        summary.add(
            "dispatch_cancelled",
            _("Urgent visit cancelled (it was with %(who)s).")
            % {"who": clinician.display_name if clinician else _("nobody yet")},
        )


def _tell_clinician(dispatch: Dispatch, clinician: User) -> None:
    """Urgent, like the offer itself: they may be on the way. Only the record
    number, as on the offer's page (no name or diagnosis on a lock screen)."""
    with outbox.speaking_to(clinician):
        outbox.notify(
            recipient=clinician,
            kind=MessageKind.DISPATCH_CANCELLED,
            event_key=f"dispatch:{dispatch.pk}:cancelled",
            subject=_("Urgent visit no longer needed · record %(record)s")
            % {"record": dispatch.patient.record_number},
            body=_(
                "The urgent visit for record %(record)s is no longer needed: home care has "
                "ended. You do not need to go."
            )
            % {"record": dispatch.patient.record_number},
            topic=f"dispatch:{dispatch.pk}",
            patient=dispatch.patient,
            urgent=True,
        )


def _cancel_urgent_requests(
    *, actor: User, patient: Any, reason: messages.Message, summary: CareEndSummary
) -> None:
    requests = (
        UrgentVisitRequest.objects.select_for_update()
        .filter(
            patient=patient,
            status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED],
        )
        .order_by("pk")
    )
    for request in requests:
        before = request.status
        request.status = UrgentRequestStatus.CANCELLED
        request.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=AuditEventType.URGENT_VISIT_CANCELLED,
            patient=patient,
            obj=request,
            summary=messages.text(
                gettext_noop("Urgent visit request cancelled: %(reason)s"), reason=reason
            ),
            changes={
                "status": {"from": before, "to": UrgentRequestStatus.CANCELLED},
                "reason": _said(reason),
            },
        )
        summary.add("urgent_request_cancelled", _("Urgent visit request cancelled."))


def _end_visit_needs(
    *, actor: User, patient: Any, reason: messages.Message, summary: CareEndSummary
) -> None:
    needs = list(
        VisitNeed.objects.select_for_update().current().filter(patient=patient).order_by("pk")
    )
    now = clock.now()
    for need in needs:
        need.ended_at = now
        need.ended_by = actor
        need.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=AuditEventType.VISIT_NEED_ENDED,
            patient=patient,
            obj=need,
            summary=messages.text(
                gettext_noop("Visit need ended: %(need)s. %(reason)s"),
                need=need.description[:150],
                reason=reason,
            ),
            changes={"reason": _said(reason)},
        )
    if needs:
        summary.add(
            "visit_needs_ended",
            _("No more visits will be planned (%(count)d regular visit needs ended).")
            % {"count": len(needs)},
        )


def _tell_family(*, patient: Any, visits: list[Visit], died: bool) -> None:
    """After a discharge the family hears of each cancelled visit, as when a
    visit is cancelled by hand. After a death, never a list: one kind message
    (or none, as the service chose), and only if visits were expected."""
    if not visits:
        return
    if not died:
        if settings.HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE == "each":
            for visit in visits:
                family_messages.visit_cancelled(visit, discharged=True)
        return
    if settings.HEARTH_CARE_END_FAMILY_AFTER_DEATH == "one":
        family_messages.no_more_visits_after_death(patient)
