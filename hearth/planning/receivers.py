"""A new urgent visit request on a day already published is fitted in at once."""

from __future__ import annotations

from typing import Any

from hearth.planning.tasks import insert_urgent_visit_task
from hearth.visits.choices import PlanStatus
from hearth.visits.models import DayPlan, UrgentVisitRequest


def fit_into_published_day(sender: Any, request: UrgentVisitRequest, **kwargs: Any) -> None:
    """When today is already published, the planner fits the visit in at once
    (a background task, so triage is not held up by the search). The task row
    is written in the transaction that wrote the request: if the request rolls
    back, so does it."""
    if DayPlan.objects.filter(date=request.for_date, status=PlanStatus.PUBLISHED).exists():
        insert_urgent_visit_task.enqueue(request_id=request.pk)
