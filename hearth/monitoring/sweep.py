"""The overdue-alert sweep: escalation that cannot be lost.

The timer task (``tasks.escalate_alert``) may die with its worker, be left
RUNNING or FAILED by the queue, or never run while the database was away. The
alert's own deadline is the truth: every worker runs this sweep every few
seconds (``HEARTH_PERIODIC_JOBS``), so an alert past its deadline is escalated
within a minute of any worker being able to run, whatever became of its timer.
"""

from __future__ import annotations

import logging
from datetime import datetime

from hearth.core import clock
from hearth.core.sweeps import step_each
from hearth.monitoring.alerts import escalate
from hearth.monitoring.choices import AlertStatus
from hearth.monitoring.models import Alert

logger = logging.getLogger(__name__)


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every open, unacknowledged alert whose deadline has passed, each
    in its own transaction (one alert's failure does not hold up the others);
    an alert another worker is escalating right now is left to that worker.
    Returns how many alerts were escalated."""
    moment = now or clock.now()
    overdue = list(
        Alert.objects.filter(status=AlertStatus.OPEN, acknowledge_by__lte=moment)
        .order_by("acknowledge_by", "id")
        .values_list("pk", flat=True)
    )
    return step_each(
        overdue,
        lambda alert_id: escalate(alert_id=alert_id, now=now, wait=False),
        logger=logger,
        what="Alert",
    )
