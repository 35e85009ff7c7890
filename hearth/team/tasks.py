"""Background work: the daily training reminders.

``send_training_reminders_task`` runs the same service as
``manage.py send_training_reminders`` (schedule either once a day, e.g. from
cron: ``manage.py send_training_reminders`` or enqueue the task, which
``manage.py db_worker`` runs). It acts as the system. Reminders are in-app
only: no e-mail server is configured, so nothing is sent; each reminder is a
row on the person's own team page and a log line.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_training_reminders_task() -> int:
    """How many new reminders were written (0 when all were already there)."""
    from hearth.team import services

    return len(services.send_training_reminders())
