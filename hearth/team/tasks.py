"""Background work: the daily training reminders.

The worker (``manage.py run_worker``) runs ``services.send_training_reminders``
once a day as a periodic job (``HEARTH_PERIODIC_JOBS``); this task and
``manage.py send_training_reminders`` run the same service by hand. It acts as
the system. Reminders are in-app: each is a row on the person's own team page
and a log line.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_training_reminders_task() -> int:
    """How many new reminders were written (0 when all were already there)."""
    from hearth.team import services

    return len(services.send_training_reminders())
