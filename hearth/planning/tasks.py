"""Background work: fit a new urgent visit into today's published plan.

Enqueue ``insert_urgent_visit_task`` on commit of the transaction that created
the request (``transaction.on_commit(lambda: insert_urgent_visit_task.enqueue(
request.pk))``); ``manage.py db_worker`` runs it. It acts as the first active
care coordinator, so the audit trail shows who the planner worked for. With no
published plan today, or no coordinator, it does nothing: the request waits on
the coordinator's page.
"""

from __future__ import annotations

from django_tasks import task


@task()
def insert_urgent_visit_task(request_id: int) -> str:
    """What happened, in a word: placed, not_placed (with the reason), or skipped."""
    from hearth.core.errors import DomainError
    from hearth.planning import planner
    from hearth.visits.choices import UrgentRequestStatus
    from hearth.visits.models import UrgentVisitRequest

    request = UrgentVisitRequest.objects.filter(
        pk=request_id, status=UrgentRequestStatus.WAITING
    ).first()
    coordinator = planner.default_coordinator()
    if request is None or coordinator is None:
        return "skipped"
    try:
        report = planner.insert_urgent_visit(actor=coordinator, request=request)
    except DomainError as error:
        return f"skipped: {error.message}"
    return "placed" if report.placed else f"not_placed: {report.reason}"
