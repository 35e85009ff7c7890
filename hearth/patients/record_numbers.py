"""Record numbers the service gives out itself (``HEARTH_RECORD_NUMBER_PATTERN``).

A number typed by hand is a number typed twice, or mistyped: the referral
service takes the next one in the series, inside the referral's transaction,
with the series' counter row locked (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite writes one transaction at a time), so two referrals saved together get
two numbers. A number already taken (one imported with an older record) is
skipped. The unique constraint on ``Patient.record_number`` stays as the last
guard.
"""

from __future__ import annotations

import string
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hearth.core import clock
from hearth.patients.models import Patient, RecordNumberCounter

#: The fields a pattern may use.
PATTERN_FIELDS = frozenset({"year", "sequence"})
#: How many taken numbers in a row are skipped before giving up (an imported
#: block of numbers in the same series).
MAX_SKIPS = 10_000


def check_pattern(pattern: str) -> None:
    """Refuse a pattern that cannot number records: one without
    ``{sequence}``, with an unknown field, or too long for the record."""
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
    if "sequence" not in fields:
        raise ImproperlyConfigured(
            f"HEARTH_RECORD_NUMBER_PATTERN must contain {{sequence}}: {pattern!r}"
        )
    unknown = fields - PATTERN_FIELDS
    if unknown:
        raise ImproperlyConfigured(
            f"HEARTH_RECORD_NUMBER_PATTERN may use only {sorted(PATTERN_FIELDS)}, "
            f"not {sorted(unknown)}: {pattern!r}"
        )
    if len(pattern.format(year=9999, sequence=99999)) > 32:
        raise ImproperlyConfigured("HEARTH_RECORD_NUMBER_PATTERN makes numbers over 32 characters")


def series_of(pattern: str, day: date) -> str:
    """The pattern with everything but the sequence filled in: the counter's key
    ("H-2026-{sequence:05d}")."""
    parts: list[str] = []
    for text, name, spec, conversion in string.Formatter().parse(pattern):
        parts.append(text.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if name == "sequence":
            conv = f"!{conversion}" if conversion else ""
            parts.append("{sequence" + conv + (f":{spec}" if spec else "") + "}")
        else:
            parts.append(format(day.year, spec or ""))
    return "".join(parts)


def next_record_number(*, pattern: str | None = None) -> str:
    """The next free number in today's series. Call it inside the transaction
    that saves the patient: the counter stays locked until it commits."""
    pattern = pattern or settings.HEARTH_RECORD_NUMBER_PATTERN
    check_pattern(pattern)
    series = series_of(pattern, clock.today())
    with transaction.atomic():
        # Create the series' row if this is its first number; a concurrent
        # first number is not an error (ignore_conflicts), the lock below orders them.
        RecordNumberCounter.objects.bulk_create(
            [RecordNumberCounter(series=series[:64], last=0)], ignore_conflicts=True
        )
        counter = RecordNumberCounter.objects.select_for_update().get(series=series[:64])
        for _attempt in range(MAX_SKIPS):
            counter.last += 1
            number = series.format(sequence=counter.last)
            if not Patient.objects.filter(record_number=number).exists():
                counter.save(update_fields=["last"])
                return number
    raise ImproperlyConfigured(f"No free record number in the series {series!r}")
