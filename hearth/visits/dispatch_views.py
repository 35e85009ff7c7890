"""Pages of the dispatch to the clinician on call: the clinician's phone page
(accept, decline, on my way, arrived, done: one tap each) and the
coordinator's live board, which reloads its table every 20 seconds (htmx).

Every change goes through ``hearth.visits.services``; a refusal shows on the
page as a message, a page the person may not open as the refusal page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_time
from django.utils.translation import gettext as _

from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed, ValidationFailed
from hearth.core.web import AuthenticatedRequest, refusal, staff_required
from hearth.patients import access
from hearth.visits import services
from hearth.visits.models import Dispatch

#: The one-tap "there in N minutes" buttons of "On my way".
ARRIVAL_CHOICES = (15, 20, 30, 45, 60, 90)


def _dispatch(dispatch_id: Any) -> Dispatch:
    found = (
        Dispatch.objects.select_related("patient", "request", "offered_to", "accepted_by")
        .filter(external_id=dispatch_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _expected_arrival(data: Any) -> datetime:
    """ "In N minutes" from a button, or a clock time typed (today, or just
    after midnight when typed before it)."""
    now = clock.now()
    minutes = (data.get("in_minutes") or "").strip()
    if minutes.isdigit():
        return now + timedelta(minutes=int(minutes))
    typed = parse_time((data.get("at") or "").strip())
    if typed is None:
        message = _("Tap how long until you arrive, or give the time.")
        raise ValidationFailed(message, field_errors={"expected_arrival": [message]})
    local = timezone.localtime(now)
    moment = timezone.make_aware(datetime.combine(local.date(), typed))
    if moment < now - timedelta(hours=12):
        moment += timedelta(days=1)
    return moment


def _act(request: AuthenticatedRequest, dispatch: Dispatch) -> str:
    action = request.POST.get("action", "")
    actor = request.user
    if action == "accept":
        services.accept_dispatch(actor=actor, dispatch=dispatch)
        return _("Accepted: you are going.")
    if action == "decline":
        services.decline_dispatch(
            actor=actor, dispatch=dispatch, reason=request.POST.get("reason", "")
        )
        return _("Declined: offered to the next person on call.")
    if action == "on_the_way":
        services.set_on_the_way(
            actor=actor, dispatch=dispatch, expected_arrival=_expected_arrival(request.POST)
        )
        return _("On the way: the family has been told when to expect you.")
    if action == "arrived":
        services.arrive_at_dispatch(actor=actor, dispatch=dispatch)
        return _("Arrival recorded.")
    if action == "done":
        services.finish_dispatch(actor=actor, dispatch=dispatch, note=request.POST.get("note", ""))
        return _("Urgent visit done.")
    raise ValidationFailed(_("Choose what to do."))


@staff_required
def dispatch_page(request: AuthenticatedRequest, dispatch_id: Any) -> HttpResponse:
    """The on-call clinician's phone page for one urgent visit."""
    if access.is_volunteer(request.user):
        raise Http404
    dispatch = _dispatch(dispatch_id)
    if not request.user.has_perm("visits.view_dispatch", dispatch):
        return refusal(request, NotAllowed(_("This urgent visit is not yours to see.")))
    if request.method == "POST":
        try:
            done = _act(request, dispatch)
        except NotAllowed as error:
            return refusal(request, error)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect("dispatch", dispatch.external_id)
    may_answer = request.user.has_perm("visits.answer_dispatch", dispatch)
    return render(
        request,
        "visits/dispatch.html",
        {
            "dispatch": dispatch,
            "may_answer": may_answer,
            "is_offered_to_me": dispatch.offered_to_id == request.user.pk,
            "is_mine": dispatch.accepted_by_id == request.user.pk,
            "late": dispatch.is_late(clock.now()),
            "arrival_choices": ARRIVAL_CHOICES,
            "window": services.family_window(dispatch),
        },
    )


@staff_required
def dispatch_board(request: AuthenticatedRequest) -> HttpResponse:
    """Every open dispatch and every urgent request still with the planner;
    the late ones in red. The table reloads itself (htmx) every 20 seconds."""
    actor = request.user
    if not actor.has_perm("visits.view_dispatch_board"):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    now = clock.now()
    dispatches = list(services.board_for(actor))
    sees_all = actor.discipline == "coordinator" or actor.is_clinical_lead
    waiting = list(services.waiting_for_the_plan()) if sees_all else []
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.DISPATCH_BOARD_VIEWED,
        patients={row.patient for row in dispatches} | {row.patient for row in waiting},
    )
    context = {
        "rows": [(row, row.is_late(now)) for row in dispatches],
        "waiting": [(row, bool(row.respond_by and row.respond_by <= now)) for row in waiting],
        "sees_all": sees_all,
        "now": now,
    }
    partial = request.headers.get("HX-Request") == "true"  # htmx's poll: the table only
    template = "visits/_dispatch_board.html" if partial else "visits/dispatch_board.html"
    return render(request, template, context)


urlpatterns = [
    path("visits/dispatch/<uuid:dispatch_id>/", dispatch_page, name="dispatch"),
    path("visits/dispatches/", dispatch_board, name="dispatch_board"),
]
