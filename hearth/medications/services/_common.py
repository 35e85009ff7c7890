"""What the medicine services share: reading a number or a time from a form."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.core.validation import Errors

CLOCK_SKEW = timedelta(minutes=5)
MAX_DOSE = Decimal("100000")


def _decimal(value: Any, field: str, errors: Errors, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Required."))
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter a number."))
        return None
    if not number.is_finite() or number <= 0:
        errors.add(field, _("Must be more than zero."))
        return None
    if number >= MAX_DOSE or number != number.quantize(Decimal("0.001")):
        errors.add(field, _("At most 99,999 with up to three decimal places."))
        return None
    return number


def _aware(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        errors.add(field, _("Give the time with its time zone, e.g. 2026-05-01T08:00+01:00."))
        return None
    return value
