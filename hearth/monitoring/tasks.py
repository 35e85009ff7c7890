"""Background work: the alert acknowledgement timer.

Enqueued with ``run_after`` = the deadline, on the database backend, inside the
transaction that raised or escalated the alert, so a timer exists exactly when
its alert does. ``manage.py db_worker`` runs it.
"""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_alert(alert_id: int, timer_version: int) -> bool:
    from hearth.monitoring.alerts import escalate

    return escalate(alert_id=alert_id, timer_version=timer_version)
