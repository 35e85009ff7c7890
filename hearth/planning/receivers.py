"""A new urgent visit request: fitted into today's published plan at once, or,
with no published plan for today, handed straight to the clinician on call."""

from __future__ import annotations

from typing import Any

from hearth.core import clock
from hearth.planning.tasks import insert_urgent_visit_task
from hearth.visits.choices import PlanStatus, UrgentRequestStatus
from hearth.visits.models import DayPlan, UrgentVisitRequest


def fit_into_published_day(sender: Any, request: UrgentVisitRequest, **kwargs: Any) -> None:
    """When today is already published, the planner fits the visit in at once
    (a background task, so triage is not held up by the search). The task row
    is written in the transaction that wrote the request: if the request rolls
    back, so does it.

    With no published plan for today there is no route to start it before its
    deadline (a night, a Sunday, before the morning's plan): it is handed to
    the clinician on call in this same transaction instead of waiting for a
    plan made later (issue 17: a 02:34 request went into the 13:25 route)."""
    from hearth.planning import planner, reasons

    if request.status != UrgentRequestStatus.WAITING:
        return
    if DayPlan.objects.filter(date=request.for_date, status=PlanStatus.PUBLISHED).exists():
        insert_urgent_visit_task.enqueue(request_id=request.pk)
        return
    if request.for_date == clock.today():
        planner.hand_to_on_call(
            actor=planner.default_coordinator(),
            request=request,
            reason=reasons.explain_message(reasons.NO_PUBLISHED_PLAN, day=request.for_date),
        )
