"""Background work: fit a new urgent visit into today's published plan.

``planning.receivers`` enqueues ``insert_urgent_visit_task`` in the
transaction that created the request; the worker runs it. It acts as the
first active care coordinator, so the audit trail shows who the planner
worked for. Whenever it cannot start the visit before its deadline (not in
time, nobody fit, no coordinator, the plan gone) the request goes to the
clinician on call (``planner.hand_to_on_call``): it never sits waiting.
"""

from __future__ import annotations

from django_tasks import task


@task()
def insert_urgent_visit_task(request_id: int) -> str:
    """What happened, in a word: placed, not_placed (with the reason), or skipped."""
    from hearth.core.errors import DomainError
    from hearth.planning import planner, reasons
    from hearth.visits.choices import UrgentRequestStatus
    from hearth.visits.models import UrgentVisitRequest

    request = UrgentVisitRequest.objects.filter(
        pk=request_id, status=UrgentRequestStatus.WAITING
    ).first()
    if request is None:
        return "skipped"
    coordinator = planner.default_coordinator()
    if coordinator is None:
        planner.hand_to_on_call(
            actor=None,
            request=request,
            reason=reasons.explain_message(reasons.NO_COORDINATOR, day=request.for_date),
        )
        return f"not_placed: {reasons.NO_COORDINATOR}"
    try:
        report = planner.insert_urgent_visit(actor=coordinator, request=request)
    except DomainError as error:
        request.refresh_from_db()
        if request.status != UrgentRequestStatus.WAITING:
            return f"skipped: {error.message}"
        planner.hand_to_on_call(actor=coordinator, request=request, reason=error.message)
        return f"not_placed: {error.message}"
    return "placed" if report.placed else f"not_placed: {report.reason}"
