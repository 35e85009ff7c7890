"""The urgent visit the clinician on call takes: offered, accepted or declined,
on the way, arrived, done (CLINICAL.md "Urgent response").

Out of planned hours (outside ``HEARTH_VISITING_HOURS`` in the service's time
zone, or a day with no published plan) an urgent request never waits for a day
plan: it is offered at once to the clinician on call for its discipline. Within
hours the planner places it, and when it cannot start it before ``respond_by``
it sends ``urgent_visit_not_placed_in_time`` and it is offered the same way.

One person holds the offer at a time and is paged. Unaccepted by
``accept_by`` (``HEARTH_DISPATCH_ACCEPT_MINUTES``, "escalates like an alert")
or declined, it is offered to the next on the chain (physician → clinical
lead; nurse → physician → clinical lead), by the sweep from the row's own
deadline, so each step is taken once whatever runs it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User, discipline_in_a_sentence
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed
from hearth.core.models import AuditAction
from hearth.core.sweeps import MOST_STEPS_AT_ONCE, locked_for_a_step, step_each
from hearth.core.validation import require, require_perm
from hearth.monitoring.alerts import owner_for
from hearth.monitoring.choices import AlertRule, AlertStatus, TriageOutcome
from hearth.monitoring.models import Alert
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind
from hearth.patients.models import Patient
from hearth.visits.choices import DispatchStatus, PlanStatus, UrgentRequestStatus
from hearth.visits.models import (
    OPEN_DISPATCH,
    DayPlan,
    Dispatch,
    UrgentVisitRequest,
    Visit,
)
from hearth.visits.rules import DISPATCH_CHAIN

logger = logging.getLogger(__name__)

#: Latest expected arrival accepted for "on my way": later is not urgent.
LONGEST_JOURNEY = timedelta(hours=6)


def out_of_planned_hours(moment: datetime, respond_by: datetime | None = None) -> bool:
    """No day plan will start it in time: no plan published for the day (a
    Sunday with no shifts), or nothing of today's visiting hours
    (``HEARTH_VISITING_HOURS``, the service's time zone) falls between now and
    ``respond_by``. A request at 07:30 due by 09:30 is the planner's (it can
    start at 08:00); one at 02:34 is the clinician on call's."""
    local = timezone.localtime(moment)
    start, end = (time.fromisoformat(str(value)) for value in settings.HEARTH_VISITING_HOURS)
    opens = timezone.make_aware(datetime.combine(local.date(), start))
    closes = timezone.make_aware(datetime.combine(local.date(), end))
    deadline = respond_by or moment
    if not (moment < closes and deadline >= opens):
        return True
    return not DayPlan.objects.filter(date=local.date(), status=PlanStatus.PUBLISHED).exists()


def require_in_care(patient: Patient) -> None:
    if not patient.is_receiving_care:
        raise InvalidTransition(
            _(
                "Nobody can be sent: this person is no longer in home care "
                "(discharged or died). Check the record."
            )
        )


def _accept_deadline(moment: datetime) -> datetime:
    return moment + timedelta(minutes=settings.HEARTH_DISPATCH_ACCEPT_MINUTES)


def dispatch_link(dispatch: Dispatch) -> str:
    return settings.HEARTH_PUBLIC_URL + reverse("dispatch", args=[dispatch.external_id])


def _local_time(moment: datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _page(dispatch: Dispatch) -> None:
    """Page whoever holds the offer now (inside the caller's transaction). Only
    what a lock screen may show: the record number, the deadline, the link."""
    person = dispatch.offered_to
    if person is None:
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.DISPATCH_NOBODY_TO_PAGE,
            patient=dispatch.patient,
            obj=dispatch,
            summary=messages.text(
                gettext_noop("Nobody could be paged: nobody is on call for this urgent visit.")
            ),
            changes={"role": dispatch.offered_role},
        )
        return
    with outbox.speaking_to(person):
        values = {
            "record": dispatch.patient.record_number,
            "time": _local_time(dispatch.accept_by) if dispatch.accept_by else "",
        }
        text = _("Urgent visit needed · record %(record)s · accept by %(time)s") % values
        outbox.notify(
            recipient=person,
            kind=MessageKind.DISPATCH_PAGE,
            event_key=f"dispatch:{dispatch.pk}:offer:{dispatch.offer_count}:to:{person.pk}",
            subject=text,
            body=text,
            link=dispatch_link(dispatch),
            topic=f"dispatch:{dispatch.pk}",
            patient=dispatch.patient,
            urgent=True,
        )


def _offer(dispatch: Dispatch, *, role: str, moment: datetime) -> None:
    dispatch.offered_role = role
    dispatch.offered_to = owner_for(role, dispatch.patient, moment)
    dispatch.offered_at = moment
    dispatch.accept_by = _accept_deadline(moment)


@transaction.atomic
def offer_to_on_call(*, request: UrgentVisitRequest, reason: str | messages.Message) -> Dispatch:
    """Hand an urgent request to the clinician on call: from the request itself
    (out of hours) or from planning's ``urgent_visit_not_placed_in_time``. A
    request already dispatched keeps its dispatch."""
    request = (
        UrgentVisitRequest.objects.select_for_update().select_related("patient").get(pk=request.pk)
    )
    existing = Dispatch.objects.filter(request=request).first()
    if existing is not None:
        return existing
    require_in_care(request.patient)
    require(
        request.discipline in DISPATCH_CHAIN,
        "discipline",
        _("Only a physician or a nurse visit goes to the clinician on call."),
    )
    now = clock.now()
    why_text, why_key, why_params = messages.stored(reason or "", language=settings.LANGUAGE_CODE)
    dispatch = Dispatch(
        request=request,
        patient=request.patient,
        discipline=request.discipline,
        why_on_call=why_text[:300],
        why_on_call_key=why_key[:300],
        why_on_call_params=why_params,
        created_at=now,
    )
    _offer(dispatch, role=DISPATCH_CHAIN[request.discipline][0], moment=now)
    dispatch.save()
    request.status = UrgentRequestStatus.DISPATCHED
    request.save(update_fields=["status"])
    audit.record(
        actor=None,
        action=AuditAction.CREATE,
        event_type=AuditEventType.DISPATCH_OFFERED,
        patient=request.patient,
        obj=dispatch,
        summary=messages.text(
            gettext_noop("Urgent %(discipline)s visit offered to %(who)s (on call): %(why)s"),
            discipline=discipline_in_a_sentence(dispatch.discipline),
            who=dispatch.offered_to.display_name if dispatch.offered_to else _("nobody"),
            why=messages.from_row(why_key, why_params, dispatch.why_on_call),
        ),
        changes={"role": dispatch.offered_role, "accept_by": dispatch.accept_by},
    )
    _page(dispatch)
    return dispatch


def _locked(dispatch: Dispatch) -> Dispatch:
    return (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("patient", "request")
        .get(pk=dispatch.pk)
    )


def _require_status(dispatch: Dispatch, *allowed: str) -> None:
    if dispatch.status not in allowed:
        raise InvalidTransition(
            _("This urgent visit is %(status)s; that step is not possible now.")
            % {"status": dispatch.get_status_display().lower()}
        )


@transaction.atomic
def accept_dispatch(*, actor: User, dispatch: Dispatch) -> Dispatch:
    """The one who goes. Two clinicians accepting at once: the conditional
    update lets exactly one through; the other is told who has it."""
    require_perm(actor, "visits.answer_dispatch", dispatch)
    now = clock.now()
    taken = Dispatch.objects.filter(pk=dispatch.pk, status=DispatchStatus.OFFERED).update(
        status=DispatchStatus.ACCEPTED, accepted_by=actor, accepted_at=now, accept_by=None
    )
    dispatch = Dispatch.objects.select_related("patient", "request", "accepted_by").get(
        pk=dispatch.pk
    )
    if not taken:
        if dispatch.accepted_by_id is not None:
            raise Conflict(
                _("%(who)s has already accepted this urgent visit.")
                % {"who": dispatch.accepted_by.display_name}  # type: ignore[union-attr]
            )
        _require_status(dispatch, DispatchStatus.OFFERED)
    outbox.cancel(
        topic=f"dispatch:{dispatch.pk}",
        kinds=(MessageKind.DISPATCH_PAGE,),
        reason=messages.text(gettext_noop("Accepted by %(who)s."), who=actor.display_name),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DISPATCH_ACCEPTED,
        patient=dispatch.patient,
        obj=dispatch,
        summary=messages.text(
            gettext_noop("Urgent visit accepted by %(who)s"), who=actor.display_name
        ),
    )
    return dispatch


def _next_role(dispatch: Dispatch) -> str:
    chain = DISPATCH_CHAIN[dispatch.discipline]
    current = chain.index(dispatch.offered_role) if dispatch.offered_role in chain else 0
    return chain[min(current + 1, len(chain) - 1)]


def _pass_on(dispatch: Dispatch, *, moment: datetime) -> None:
    """Offer to the next step of the chain (the clinical lead again at the end)."""
    _offer(dispatch, role=_next_role(dispatch), moment=moment)
    dispatch.offer_count += 1


@transaction.atomic
def decline_dispatch(*, actor: User, dispatch: Dispatch, reason: str) -> Dispatch:
    """Only the person offered it declines, with a reason; it goes to the next
    on the chain at once and they are paged."""
    require_perm(actor, "visits.answer_dispatch", dispatch)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why you cannot go, so the next person knows."))
    dispatch = _locked(dispatch)
    _require_status(dispatch, DispatchStatus.OFFERED)
    if dispatch.offered_to_id != actor.pk:
        raise NotAllowed(_("Only the person it is offered to can decline it."))
    now = clock.now()
    _pass_on(dispatch, moment=now)
    dispatch.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DISPATCH_DECLINED,
        patient=dispatch.patient,
        obj=dispatch,
        summary=messages.text(
            gettext_noop("Urgent visit declined by %(who)s: %(reason)s; offered to %(next)s"),
            who=actor.display_name,
            reason=reason[:200],
            next=dispatch.offered_to.display_name if dispatch.offered_to else _("nobody"),
        ),
        changes={"reason": reason, "role": dispatch.offered_role},
    )
    _page(dispatch)
    return dispatch


def _require_goer(actor: User, dispatch: Dispatch) -> None:
    require_perm(actor, "visits.answer_dispatch", dispatch)
    if dispatch.accepted_by_id != actor.pk:
        raise NotAllowed(_("Only the clinician who accepted this urgent visit can do that."))


@transaction.atomic
def set_on_the_way(*, actor: User, dispatch: Dispatch, expected_arrival: datetime) -> Dispatch:
    """The family is told the window (``HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES``
    either side of the expected arrival)."""
    from hearth.visits import family_messages

    dispatch = _locked(dispatch)
    _require_goer(actor, dispatch)
    _require_status(dispatch, DispatchStatus.ACCEPTED, DispatchStatus.ON_THE_WAY)
    now = clock.now()
    require(
        expected_arrival is not None and timezone.is_aware(expected_arrival),
        "expected_arrival",
        _("Give the expected arrival time."),
    )
    require(
        expected_arrival >= now - timedelta(minutes=1),
        "expected_arrival",
        _("The expected arrival cannot be in the past."),
    )
    require(
        expected_arrival <= now + LONGEST_JOURNEY,
        "expected_arrival",
        _("The expected arrival is more than 6 hours away; that is not an urgent visit."),
    )
    dispatch.status = DispatchStatus.ON_THE_WAY
    dispatch.on_the_way_at = dispatch.on_the_way_at or now
    dispatch.expected_arrival = expected_arrival
    dispatch.save(update_fields=["status", "on_the_way_at", "expected_arrival"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DISPATCH_ON_THE_WAY,
        patient=dispatch.patient,
        obj=dispatch,
        summary=messages.text(
            gettext_noop("On the way to the home, expected at %(time)s"),
            time=_local_time(expected_arrival),
        ),
        changes={"expected_arrival": expected_arrival},
    )
    family_messages.help_on_the_way(dispatch)
    return dispatch


@transaction.atomic
def arrive_at_dispatch(*, actor: User, dispatch: Dispatch) -> Dispatch:
    dispatch = _locked(dispatch)
    _require_goer(actor, dispatch)
    _require_status(dispatch, DispatchStatus.ACCEPTED, DispatchStatus.ON_THE_WAY)
    dispatch.status = DispatchStatus.ARRIVED
    dispatch.arrived_at = clock.now()
    dispatch.save(update_fields=["status", "arrived_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DISPATCH_ARRIVED,
        patient=dispatch.patient,
        obj=dispatch,
        summary=messages.text(gettext_noop("Arrived at the home for the urgent visit")),
    )
    return dispatch


@transaction.atomic
def finish_dispatch(
    *, actor: User, dispatch: Dispatch, note: str, visit: Visit | None = None
) -> Dispatch:
    """Done, with what was done; the visit record when one was written."""
    dispatch = _locked(dispatch)
    _require_goer(actor, dispatch)
    _require_status(dispatch, DispatchStatus.ARRIVED)
    note = (note or "").strip()
    require(bool(note), "note", _("Write what was done."))
    if visit is not None:
        require(
            visit.patient_id == dispatch.patient_id,
            "visit_id",
            _("That visit record is for another person."),
        )
    dispatch.status = DispatchStatus.DONE
    dispatch.done_at = clock.now()
    dispatch.done_note = note
    dispatch.visit = visit
    dispatch.save(update_fields=["status", "done_at", "done_note", "visit"])
    UrgentVisitRequest.objects.filter(pk=dispatch.request_id).update(
        status=UrgentRequestStatus.DONE
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DISPATCH_DONE,
        patient=dispatch.patient,
        obj=dispatch,
        summary=messages.text(gettext_noop("Urgent visit done: %(note)s"), note=note[:200]),
        changes={"visit": str(visit.external_id) if visit else None},
    )
    return dispatch


def answered_by_visit(*, actor: User, request: UrgentVisitRequest, visit: Visit) -> None:
    """A visit already with the person answered the request (a visit closed
    for it, or an alert triaged at the bedside): its open dispatch is done, and
    the pages not yet sent are withdrawn. Runs inside the visit's transaction."""
    for dispatch in Dispatch.objects.select_for_update(of=("self",)).filter(
        request=request, status__in=OPEN_DISPATCH
    ):
        dispatch.status = DispatchStatus.DONE
        dispatch.done_at = clock.now()
        answered = messages.text(gettext_noop("Answered by a visit."))
        # No key column for the note: the service's language, as for every stored text.
        dispatch.done_note = answered.in_language(settings.LANGUAGE_CODE)
        dispatch.visit = visit
        dispatch.accept_by = None
        dispatch.save(update_fields=["status", "done_at", "done_note", "visit", "accept_by"])
        outbox.cancel(
            topic=f"dispatch:{dispatch.pk}",
            kinds=(MessageKind.DISPATCH_PAGE,),
            reason=answered,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.DISPATCH_DONE,
            patient=dispatch.patient,
            obj=dispatch,
            summary=messages.text(gettext_noop("Urgent visit answered by a visit")),
            changes={"visit": str(visit.external_id)},
        )


# --- Nobody accepted in time -------------------------------------------------------


def pass_on_unaccepted(*, dispatch_id: int, now: datetime | None = None, wait: bool = True) -> int:
    """Offer a dispatch nobody accepted by ``accept_by`` to the next on the
    chain. The row decides, read locked: only an offered dispatch past its
    deadline moves, so two workers never take the same step twice. After an
    outage the steps are taken from the deadlines, and only the last person is
    paged. Returns the steps taken."""
    with transaction.atomic():
        rows = locked_for_a_step(
            Dispatch.objects.select_related("patient", "offered_to"), wait=wait
        )
        dispatch = rows.filter(pk=dispatch_id).first()
        moment = now or clock.now()
        if (
            dispatch is None
            or dispatch.status != DispatchStatus.OFFERED
            or dispatch.accept_by is None
            or dispatch.accept_by > moment
        ):
            return 0
        steps = 0
        while (
            dispatch.accept_by is not None
            and dispatch.accept_by <= moment
            and steps < MOST_STEPS_AT_ONCE
        ):
            due = dispatch.accept_by
            previous = dispatch.offered_to
            _pass_on(dispatch, moment=due)
            steps += 1
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                event_type=AuditEventType.DISPATCH_PASSED_ON,
                patient=dispatch.patient,
                obj=dispatch,
                summary=messages.text(
                    gettext_noop(
                        "Urgent visit not accepted by %(who)s in time; offered to %(next)s"
                    ),
                    who=previous.display_name if previous else _("anyone"),
                    next=dispatch.offered_to.display_name if dispatch.offered_to else _("nobody"),
                ),
                changes={"role": dispatch.offered_role, "due_at": due},
            )
        # The last offer runs from now, so the person paged has their full time.
        dispatch.offered_to = owner_for(dispatch.offered_role, dispatch.patient, moment)
        dispatch.offered_at = moment
        dispatch.accept_by = _accept_deadline(moment)
        dispatch.save()
        _page(dispatch)
        return steps


def pass_on_overdue(now: datetime | None = None) -> int:
    """The periodic job: every offered dispatch past its ``accept_by``, each in
    its own transaction. Returns how many were passed on."""
    moment = now or clock.now()
    overdue = list(
        Dispatch.objects.filter(status=DispatchStatus.OFFERED, accept_by__lte=moment)
        .order_by("accept_by", "id")
        .values_list("pk", flat=True)
    )
    return step_each(
        overdue,
        lambda dispatch_id: pass_on_unaccepted(dispatch_id=dispatch_id, now=now, wait=False),
        logger=logger,
        what="Dispatch",
    )


# --- Reading ------------------------------------------------------------------------


def board_for(actor: User) -> QuerySet[Dispatch]:
    """Open dispatches (and those done in the last 12 hours): the coordinator and
    the clinical lead see all; a clinician on call, those offered to or taken by
    them."""
    recent = clock.now() - timedelta(hours=12)
    rows = (
        Dispatch.objects.filter(Q(status__in=OPEN_DISPATCH) | Q(done_at__gte=recent))
        .select_related("patient", "request", "offered_to", "accepted_by")
        .order_by("created_at", "id")
    )
    if actor.discipline == "coordinator" or actor.is_clinical_lead:
        return rows
    return rows.filter(Q(offered_to=actor) | Q(accepted_by=actor))


def waiting_for_the_plan() -> QuerySet[UrgentVisitRequest]:
    """Urgent requests still with the planner (not dispatched)."""
    return (
        UrgentVisitRequest.objects.filter(
            status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED]
        )
        .select_related("patient")
        .order_by("respond_by", "requested_at")
    )


def family_window(dispatch: Dispatch) -> tuple[datetime, datetime] | None:
    if dispatch.expected_arrival is None:
        return None
    either_side = timedelta(minutes=settings.HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES)
    return dispatch.expected_arrival - either_side, dispatch.expected_arrival + either_side


@dataclass
class HelpStatus:
    """What the family's "help on the way" panel says: who saw the call and
    when, what was decided, the window and the arrival. A first name and a
    role only: never a surname or a phone number of the clinician."""

    seen_by: str = ""
    seen_role: str = ""
    seen_at: datetime | None = None
    decided: str = ""
    coming: bool = False
    window: tuple[datetime, datetime] | None = None
    arrived_at: datetime | None = None
    done: bool = False


def _role_of(user: User | None) -> str:
    if user is None or user.discipline not in Discipline.values:
        return _("member of the team")
    return str(Discipline(user.discipline).label).lower()


def help_status_for_family(patient: Patient) -> HelpStatus | None:
    """The family's call for help (an open or recent "We need help now" alert)
    and the urgent visit sent for it; None when there is nothing to tell."""
    recent = clock.now() - timedelta(hours=12)
    dispatch = latest_for_family(patient)
    alert = dispatch.request.alert if dispatch is not None else None
    if alert is None:
        alert = (
            Alert.objects.filter(patient=patient, rule=AlertRule.HELP_REQUESTED)
            .filter(Q(status=AlertStatus.OPEN) | Q(raised_at__gte=recent))
            .select_related("acknowledged_by")
            .order_by("-raised_at")
            .first()
        )
    if dispatch is None and alert is None:
        return None
    status = HelpStatus()
    if alert is not None and alert.acknowledged_at is not None:
        status.seen_by = alert.acknowledged_by.first_name if alert.acknowledged_by else ""
        status.seen_role = _role_of(alert.acknowledged_by)
        status.seen_at = alert.acknowledged_at
    if dispatch is not None:
        status.coming = dispatch.status != DispatchStatus.CANCELLED
        status.decided = (
            _("A doctor is coming to you.")
            if dispatch.discipline == Discipline.PHYSICIAN
            else _("A nurse is coming to you.")
        )
        status.window = family_window(dispatch)
        status.arrived_at = dispatch.arrived_at
        status.done = dispatch.status == DispatchStatus.DONE
    elif alert is not None and alert.triage_outcome:
        status.decided = (
            _("Advice by phone.")
            if alert.triage_outcome == TriageOutcome.ADVICE_BY_PHONE
            else str(alert.get_triage_outcome_display())
        )
    return status


def latest_for_family(patient: Patient) -> Dispatch | None:
    """The dispatch the family's panel tells of: open, or done in the last 12 hours."""
    recent = clock.now() - timedelta(hours=12)
    return (
        Dispatch.objects.filter(patient=patient)
        .filter(Q(status__in=OPEN_DISPATCH) | Q(done_at__gte=recent))
        .select_related("request__alert__acknowledged_by", "accepted_by")
        .order_by("-created_at")
        .first()
    )
