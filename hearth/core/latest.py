"""The newest (or oldest) row of each group, computed by the database.

Worklist columns (the latest PPS, the latest IPOS, the oldest open review
task) need one row per listed patient. Reading every row of those patients
and keeping the first in Python grows with each patient's history (issue 21:
the PPS column read 600k assessments to show 10,000 numbers). Here the
database keeps one row per group:

- PostgreSQL: ``SELECT DISTINCT ON (patient_id) ... ORDER BY patient_id,
  assessed_at DESC`` — one pass over the matching index;
- SQLite (no ``DISTINCT ON``): ``ROW_NUMBER() OVER (PARTITION BY patient_id
  ORDER BY assessed_at DESC)`` filtered to the first row (Django ≥ 4.2 filters
  on window functions by wrapping the query).

Both give the same rows; ties are broken by the last ``order_by`` field
(give ``-id`` or ``id`` so the choice never depends on the plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db import connections
from django.db.models import F, Model, OrderBy, QuerySet, Window
from django.db.models.functions import RowNumber

M = TypeVar("M", bound=Model)

_RANK = "one_per_group_rank"


def _order(field: str) -> OrderBy:
    return F(field[1:]).desc() if field.startswith("-") else F(field).asc()


def first_per_group(
    queryset: QuerySet[M], *, group_by: str, order_by: Sequence[str]
) -> QuerySet[M]:
    """The first row of each ``group_by`` value in ``order_by`` order
    (``"-assessed_at", "-id"``: the newest). Filter ``queryset`` to the listed
    groups first, so the cost follows the list, not the whole table."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.order_by(group_by, *order_by).distinct(group_by)
    ranked = queryset.order_by().annotate(
        **{
            _RANK: Window(
                RowNumber(),
                partition_by=[F(group_by)],
                order_by=[_order(field) for field in order_by],
            )
        }
    )
    return ranked.filter(**{_RANK: 1})
