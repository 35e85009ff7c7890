"""Template filters for dates in the reader's language (``hearth.core.dates``):
``{% load hearth_dates %}{{ visit.date|weekday_day_month }}``,
``{% day_range first last %}``. An empty value renders as nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date

from hearth.core import dates

register = template.Library()


def _or_empty(function: Any) -> Any:
    def wrapper(value: Any) -> str:
        if not isinstance(value, date | datetime):
            return "" if value in (None, "") else str(value)
        return str(function(value))

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


for _name in (
    "day_month",
    "day_month_year",
    "weekday_day_month",
    "short_day",
    "short_date_time",
    "long_date_time",
):
    register.filter(_name, _or_empty(getattr(dates, _name)), is_safe=False)


@register.simple_tag
def day_range(start: date | datetime | None, end: date | datetime | None) -> str:
    """``{% day_range first last %}``: «11–14 декабря»; one day said once."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        return dates.short_day(start or end)  # type: ignore[arg-type]
    return dates.day_range(start, end)


@register.filter("date", expects_localtime=True, is_safe=False)
def date_filter(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter with the grammar of the reader's language
    (``dates.date_format``): this library is a template builtin (settings), so
    every ``{{ value|date:"j M" }}`` reads «6 дек.» in Russian, not «6 Дек»."""
    if not isinstance(value, date | datetime):
        return str(django_date(value, arg))  # "", a time of day, anything else: as Django
    return dates.date_format(value, arg)
