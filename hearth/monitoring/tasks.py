"""Background work: the alert acknowledgement timer (the fast path).

Enqueued with ``run_after`` = the deadline, on the database backend, inside the
transaction that raised or escalated the alert. ``manage.py run_worker`` runs
it. Not the truth: ``escalate`` decides from the alert's own row, so a stale
timer does nothing, and a timer lost with a dead worker is made good by the
overdue-alert sweep (``monitoring.sweep``).
"""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_alert(alert_id: int, timer_version: int) -> bool:
    """``timer_version`` is kept for the tasks already queued; the row decides."""
    from hearth.monitoring.alerts import escalate

    return escalate(alert_id=alert_id) > 0
