"""The one place that asks what time it is, so tests and demo data can move time deliberately."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.utils import timezone

_offset: contextvars.ContextVar[timedelta] = contextvars.ContextVar(
    "hearth_clock_offset", default=timedelta(0)
)


def now() -> datetime:
    return timezone.now() + _offset.get()


def today() -> date:
    """Today's date in the service's time zone (not UTC)."""
    return timezone.localdate(now())


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (the clock keeps ticking from there).

    Used by the demo data to tell a week of history, and by tests that need
    time to pass; never by request handling.
    """
    if timezone.is_naive(moment):
        raise ValueError("travel_to needs an aware datetime")
    token = _offset.set(moment - timezone.now())
    try:
        yield
    finally:
        _offset.reset(token)
