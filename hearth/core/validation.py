"""Turning Django's ValidationError into our field-keyed domain error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from hearth.core.errors import NotAllowed, ValidationFailed


def field_errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): [
                str(message) for item in items for message in item.messages
            ]
            for field, items in error.error_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def clean_or_raise(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run the model's own validation; raise ``ValidationFailed`` naming each field."""
    try:
        instance.full_clean(exclude=list(exclude or []), validate_unique=True)
    except ValidationError as error:
        raise ValidationFailed(
            _("Some details need correcting."), field_errors=field_errors_of(error)
        ) from error


def require(condition: bool, field: str, message: str) -> None:
    """Collect-free single rule check used by services for cross-field rules."""
    if not condition:
        raise ValidationFailed(message, field_errors={field: [message]})


class Errors:
    """Collects several rule failures so the user sees them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_field:
            first = next(iter(self.by_field.values()))[0]
            raise ValidationFailed(first, field_errors=self.by_field)


def require_perm(actor: Any, perm: str, obj: Any = None, message: str | None = None) -> None:
    """Every service starts here: the rules decide, the refusal says why."""
    if not actor.has_perm(perm, obj):
        raise NotAllowed(message or _("Your role does not allow this."))


def unknown_keys(data: Mapping[str, Any], allowed: Sequence[str], errors: Errors) -> None:
    """Name every field the caller sent that does not exist, instead of ignoring it."""
    for key in data:
        if key not in allowed:
            errors.add(key, _("Unknown field."))


def validated_form(form: Any) -> dict[str, Any]:
    """Validate through the same Django form the page shows, so a page and the
    API refuse the same input in the same words."""
    if not form.is_valid():
        raise ValidationFailed(
            _("Some details need correcting."),
            field_errors={
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            },
        )
    return dict(form.cleaned_data)


# --- Dates and times over the API ---------------------------------------------
#
# One set of types for every schema, so every bad date, date-time or time is a
# 422 naming the field (pydantic puts the field in the error's location) instead
# of reaching a service that compares it with an aware "now" (TypeError) or
# subtracts a window from year 1 (OverflowError).

DateOrDatetime = TypeVar("DateOrDatetime", date, datetime)


def year_in_range(value: date | datetime) -> str | None:
    """Why ``value`` is outside the years the service accepts, or None. Shared
    by the schemas and by services that parse dates themselves (device readings)."""
    earliest, latest = settings.HEARTH_EARLIEST_YEAR, settings.HEARTH_LATEST_YEAR
    if earliest <= value.year <= latest:
        return None
    return _("Give a year from %(earliest)d to %(latest)d.") % {
        "earliest": earliest,
        "latest": latest,
    }


def _sane_year(value: DateOrDatetime) -> DateOrDatetime:
    problem = year_in_range(value)
    if problem is not None:
        raise PydanticCustomError("year_out_of_range", problem)
    return value


def _aware(value: datetime) -> datetime:
    # A date-only value ("2026-05-01") is parsed as midnight without a zone and
    # is refused here with the same words.
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "timezone_required", _("Give a time zone, e.g. 2026-05-01T08:00+01:00.")
        )
    return value


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "wall_clock_time",
            _("Give a local wall-clock time such as 08:30, without a time zone or offset."),
        )
    return value


#: A moment: ISO 8601 with a time zone, in the years the service accepts.
AwareDateTime = Annotated[datetime, AfterValidator(_aware), AfterValidator(_sane_year)]
#: A calendar day (ISO 8601 ``YYYY-MM-DD``) in the years the service accepts.
CalendarDate = Annotated[date, AfterValidator(_sane_year)]
#: A local wall-clock time in the service's time zone (``HH:MM``): routines,
#: shifts and requested times are not moments, so an offset is refused rather
#: than silently dropped or compared with a naive time.
WallClockTime = Annotated[
    time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "examples": ["08:30"],
            "description": "Local wall-clock time, HH:MM, without a time zone.",
        }
    ),
]
