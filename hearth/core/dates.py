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
from typing import Any

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _

from hearth.core import clock

#: Languages that write weekday and month names in lower case inside a date
#: and abbreviate a month after a day from its genitive («6 дек.», «6 мая»).
_LOWER_CASE_NAMES = {"ru", "uk", "be"}


def _lower_case_language() -> bool:
    return (translation.get_language() or "en").split("-")[0] in _LOWER_CASE_NAMES


class _GrammaticalFormat(dateformat.DateFormat):
    """Django's format characters with the grammar of the active language:
    where a day is in the format, a month is in the genitive («6 декабря», not
    «6 Декабрь»); weekdays and short months are lower case in the languages
    that write them so («воскресенье», «6 дек.», not «Воскресенье», «6 Дек»)."""

    def __init__(self, obj: Any, *, with_day: bool) -> None:
        super().__init__(obj)
        self._with_day = with_day
        self._lower = _lower_case_language()

    def F(self) -> str:
        if self._lower and self._with_day:
            return str(self.E())
        return str(super().F())

    def M(self) -> str:
        if self._lower:
            if self._with_day:
                genitive = str(self.E())
                return genitive if len(genitive) <= 4 else f"{self.b()}."
            return str(self.b())
        return str(super().M())

    def N(self) -> str:
        return self.M() if self._lower else str(super().N())

    def l(self) -> str:  # noqa: E743 (Django's format character)
        text = str(super().l())
        return text.lower() if self._lower else text

    def D(self) -> str:
        text = str(super().D())
        return text.lower() if self._lower else text


def date_format(value: date | datetime | None, format: str | None = None) -> str:
    """As ``django.utils.formats.date_format`` (a format string or a named
    locale format), with the grammar of the active language; an aware
    datetime is shown in the service's time zone."""
    if value in (None, ""):
        return ""
    assert value is not None
    pattern = str(formats.get_format(format or "DATE_FORMAT"))
    with_day = any(char in pattern for char in "jd")
    return str(_GrammaticalFormat(_local(value), with_day=with_day).format(pattern))


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
    a month, «28 нояб. – 3 дек.» across months; the year is added when the span
    is not all in this year."""
    first, last = _day(_local(start)), _day(_local(end))  # type: ignore[arg-type]
    if last < first:
        first, last = last, first
    this_year = clock.today().year
    if first.year != last.year:
        return f"{day_month_year(first)} – {day_month_year(last)}"
    with_year = first.year != this_year
    if first == last:
        return day_month_year(first) if with_year else short_day(first)
    if first.month == last.month:
        return f"{first.day}–{day_month_year(last) if with_year else day_month(last)}"
    span = f"{short_day(first)} – {short_day(last)}"
    return f"{span} {first.year}" if with_year else span


__all__ = [
    "date_format",
    "day_month",
    "day_month_year",
    "day_range",
    "long_date_time",
    "short_date_time",
    "short_day",
    "short_month",
    "weekday_day_month",
]
