"""Paging an alert's owner on their phone until someone acts.

(Being written: issue 16. ``page_owner`` is called wherever an alert gets an
owner — raised, re-owned, escalated — inside that transaction; ``repeat_pages``
is a periodic job of the worker.)
"""

from __future__ import annotations

from datetime import datetime

from hearth.monitoring.models import Alert
from hearth.notifications.models import Message


def page_owner(alert: Alert, *, reason: str) -> Message | None:
    """Queue a page to the alert's current owner (in the caller's transaction)."""
    return None


def repeat_pages(*, now: datetime | None = None) -> int:
    """Page again the owners of open, unacknowledged alerts whose last page is
    older than HEARTH_PAGE_REPEAT_MINUTES. Returns how many pages were queued."""
    return 0
