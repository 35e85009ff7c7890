"""The shape every deadline sweep shares (overdue alerts, unaccepted
dispatches): the row's own deadline decides, each row is stepped in its own
transaction under a row lock, and a row another worker holds is left to it.

Two pieces, so a sweep cannot drift from the others: ``locked_for_a_step``
(the lock) and ``step_each`` (the loop that keeps one bad row from holding up
the rest, and stops at once when the database itself is away).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model, QuerySet

#: A row overdue for longer than this many steps (days of outage) is caught up
#: over several transactions, so none holds its lock for long.
MOST_STEPS_AT_ONCE = 100

M = TypeVar("M", bound=Model)


def locked_for_a_step(rows: QuerySet[M], *, wait: bool) -> QuerySet[M]:
    """Lock only the row itself (PostgreSQL refuses to lock the nullable side
    of a join). ``wait=False`` skips a row another worker is stepping, where
    the database can (SQLite takes one writer at a time anyway)."""
    return rows.select_for_update(
        of=("self",),
        skip_locked=not wait and connection.features.has_select_for_update_skip_locked,
    )


def step_each(
    row_ids: Iterable[int], step: Callable[[int], int], *, logger: logging.Logger, what: str
) -> int:
    """Call ``step(row_id)`` (which returns the steps it took) for each row;
    returns how many rows moved. An error in one row is logged and the next
    sweep tries it again; a database outage stops the sweep, since every other
    row would fail the same way."""
    moved = 0
    for row_id in row_ids:
        try:
            steps = step(row_id)
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception(
                "%s %s could not be stepped; the next sweep tries again.", what, row_id
            )
            continue
        if steps:
            moved += 1
            logger.info("%s %s was overdue: %s step(s).", what, row_id, steps)
    return moved
