"""Re-read one row, locked, inside the transaction that is about to change it.

Every service that moves a record from one state to another first reads it
again with ``SELECT ... FOR UPDATE``: two nurses pressing the same button at
once then queue, and the second one sees the first one's change instead of
overwriting it. On PostgreSQL that is a row lock; SQLite takes no row locks
but starts every write transaction ``IMMEDIATE``, so writers queue there too.

The lock only means something inside ``transaction.atomic``: PostgreSQL
refuses ``FOR UPDATE`` outside one, and this helper refuses it on every
database, so a service that forgot its transaction fails in the tests on
SQLite as it would in production.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.transaction import TransactionManagementError

ModelT = TypeVar("ModelT", bound=models.Model)


def lock(
    rows: type[ModelT] | models.QuerySet[ModelT],
    pk: Any,
    *,
    related: Sequence[str] = (),
    of: Sequence[str] = (),
) -> ModelT:
    """The row ``pk`` of ``rows`` (a model, or a queryset of it), fresh from the
    database and locked until the transaction ends.

    ``related`` names the rows read along with it (``select_related``), so the
    caller need not fetch them one by one afterwards. ``of=("self",)`` locks
    only this row, not the rows read along: PostgreSQL refuses ``FOR UPDATE``
    on the nullable side of an outer join. Raises ``Model.DoesNotExist`` as
    ``get`` does.
    """
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    locked = queryset.select_for_update(of=tuple(of))
    if related:
        locked = locked.select_related(*related)
    if not transaction.get_connection(locked.db).in_atomic_block:
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    return locked.get(pk=pk)
