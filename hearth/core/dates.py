"""Dates and times as people read them, in the active language, with its grammar.

One place for every date shown on a page, in a PDF or in a generated sentence,
so none is an ISO string ("2026-11-03") or a hand-made ``strftime``. The month
is always a word, so a date is never misread for its day/month order (03.11 is
the 3rd of November in Moscow and the 11th of March in New York).

Russian needs the genitive month after a day («6 декабря», Django's ``E``) and
writes weekdays and short months in lower case («воскресенье, 6 дек.»); Django's
own translations give the words, this module gives the grammar.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

#: Languages that write weekday and month names in lower case inside a date
#: and abbreviate a month after a day from its genitive («6 дек.», «6 мая»).
_LOWER_CASE_NAMES = {"ru", "uk", "be"}


def _lower_case_language() -> bool:
    return (translation.get_language() or "en").split("-")[0] in _LOWER_CASE_NAMES


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def day_month(value: date | datetime) -> str:
    """«6 декабря» / "6 December"."""
    return dateformat.format(_local(value), "j E")


def day_month_year(value: date | datetime) -> str:
    """«6 декабря 2026» / "6 December 2026": for documents and anything not this year."""
    return dateformat.format(_local(value), "j E Y")


def weekday_day_month(value: date | datetime) -> str:
    """«воскресенье, 6 декабря» / "Sunday, 6 December"."""
    local = _local(value)
    weekday = dateformat.format(local, "l")
    if _lower_case_language():
        weekday = weekday.lower()
    return _("%(weekday)s, %(day)s") % {"weekday": weekday, "day": day_month(local)}


def short_month(value: date | datetime) -> str:
    """«дек.», «мая» / "Dec"."""
    local = _local(value)
    if _lower_case_language():
        genitive = dateformat.format(local, "E")
        # A short month name is not abbreviated («мая», «июня»).
        return genitive if len(genitive) <= 4 else dateformat.format(local, "b") + "."
    return dateformat.format(local, "M")


def short_day(value: date | datetime) -> str:
    """«6 дек.» / "6 Dec"."""
    local = _local(value)
    return f"{dateformat.format(local, 'j')} {short_month(local)}"


def short_date_time(value: datetime) -> str:
    """«6 дек. 14:30» / "6 Dec 14:30"."""
    local = _local(value)
    return f"{short_day(local)} {dateformat.format(local, 'H:i')}"


def long_date_time(value: datetime) -> str:
    """«6 декабря 2026, 14:30» / "6 December 2026, 14:30"."""
    local = _local(value)
    return _("%(day)s, %(time)s") % {
        "day": day_month_year(local),
        "time": dateformat.format(local, "H:i"),
    }


def day_range(start: date | datetime, end: date | datetime) -> str:
    """A span of days said once: «11 дек.» for one day, «11–14 декабря» within
    a month, «28 нояб. – 3 дек.» across months, years added across years."""
    first, last = _day(_local(start)), _day(_local(end))  # type: ignore[arg-type]
    if last < first:
        first, last = last, first
    if first == last:
        return short_day(first)
    if first.year != last.year:
        return f"{day_month_year(first)} – {day_month_year(last)}"
    if first.month == last.month:
        return f"{first.day}–{day_month(last)}"
    return f"{short_day(first)} – {short_day(last)}"


__all__ = [
    "day_month",
    "day_month_year",
    "day_range",
    "long_date_time",
    "short_date_time",
    "short_day",
    "short_month",
    "weekday_day_month",
]
