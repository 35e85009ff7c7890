"""Texts stored as a key and parameters, rendered in the reader's language.

An alert, a timeline event or an offline-sync problem is written once and read
later by people who do not share a language: a text translated when it is
written (in the writer's or the service's language) is wrong for every other
reader. So such texts are kept as a ``Message``: ``key`` is the English msgid of
a gettext string (``gettext_noop`` marks it for ``makemessages``), ``params``
its named placeholders. ``render`` translates at read time, in the active
language (the reader's on a page or in the API; the service's or the family's
where a caller has ``translation.override`` for what is printed or sent).

Parameters that are themselves translatable are stored as codes, never as a
translated word: a lazy translation (a choice label, an instrument item) is
stored as its msgid, a date as ISO text, a nested ``Message`` as its own key
and parameters; each is translated or formatted when rendered.

The English text is still stored beside the key (``summary`` columns), so rows
written before keys existed, and any key this code no longer knows how to
render, fall back to what was written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext

from hearth.core import dates


@dataclass(frozen=True)
class Message:
    """A gettext msgid with named parameters, translated when read.

    ``plural`` and ``count`` make it an ``ngettext`` text: ``count`` names the
    parameter that chooses the form (1, 2, 5, 21 in Russian differ)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str = ""
    count: str = ""

    def encode(self) -> dict[str, Any]:
        """JSON for a ``*_params`` column (the key is stored beside it)."""
        data: dict[str, Any] = {name: encode_param(value) for name, value in self.params.items()}
        if self.plural:
            data["_plural"] = self.plural
            data["_count"] = self.count
        return data

    def render(self) -> str:
        """The text in the active language."""
        return render(self.key, self.encode())

    def in_language(self, language: str) -> str:
        """The text in ``language`` (the service's, for what is stored as a fallback)."""
        with translation.override(language):
            return self.render()

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Joined:
    """Parts (each a parameter of any kind) joined by ``separator``, such as a
    list of symptoms with their scores."""

    parts: Sequence[Any]
    separator: str = ", "


def text(key: str, /, **params: Any) -> Message:
    """``text(gettext_noop("Severe symptoms: %(items)s"), items=...)``."""
    return Message(key, params)


def plural_text(singular: str, plural: str, /, count: int, **params: Any) -> Message:
    """An ``ngettext`` message whose form follows ``count`` (``%(count)s`` in
    the text); ``makemessages`` finds both msgids (core's command adds the keyword)."""
    return Message(singular, {"count": count, **params}, plural=plural, count="count")


def choice(obj: Any, field_name: str) -> Any:
    """The label of ``obj``'s choice field, still lazy, so a stored message
    keeps its code and each reader sees it in their language
    (``get_FOO_display()`` would fix it in the writer's language)."""
    value = getattr(obj, field_name)
    for code, label in obj._meta.get_field(field_name).flatchoices:
        if code == value:
            return label
    return value


@dataclass(frozen=True)
class LowerCase:
    """A parameter shown in lower case mid-sentence (a choice label)."""

    value: Any


def lower_case(value: Any) -> LowerCase:
    return LowerCase(value)


@dataclass(frozen=True)
class DayRange:
    """A span of days, said once in the reader's language when read
    (``dates.day_range``: «11–14 декабря», «11 Dec» for one day)."""

    start: date
    end: date


def day_range(start: date, end: date) -> DayRange:
    return DayRange(start, end)


@dataclass(frozen=True)
class WeekdayDay:
    """A day said with its weekday in the reader's language when read
    (``dates.weekday_day_month``: «понедельник, 1 марта», "Monday, 1 March")."""

    day: date


def weekday_day(day: date) -> WeekdayDay:
    return WeekdayDay(day)


def _context_of(value: Promise) -> str | None:
    """The context of a ``pgettext_lazy`` label (``None`` for any other lazy
    text), so it is translated with it when read."""
    try:
        # Django's lazy proxy pickles as (unpickle, (function, args, kwargs, ...)).
        reduced: Any = value.__reduce__()
        function, args = reduced[1][0], reduced[1][1]
    except (TypeError, ValueError, IndexError):
        return None
    if function is pgettext and len(args) == 2:
        return str(args[0])
    return None


def msgid(value: Promise) -> str:
    """The untranslated msgid of a lazy translation (a choice label)."""
    with translation.override(None):
        return str(value)


def encode_param(value: Any) -> Any:
    """One parameter as JSON that still says how to translate or format it."""
    if isinstance(value, Message):
        return {"$m": value.key, "$p": value.encode()}
    if isinstance(value, LowerCase):
        return {"$lower": encode_param(value.value)}
    if isinstance(value, DayRange):
        return {"$range": [value.start.isoformat(), value.end.isoformat()]}
    if isinstance(value, WeekdayDay):
        return {"$wd": value.day.isoformat()}
    if isinstance(value, Joined):
        return {"$j": [encode_param(part) for part in value.parts], "$s": value.separator}
    if isinstance(value, Promise):
        context = _context_of(value)
        if context is not None:
            return {"$t": msgid(value), "$c": context}
        return {"$t": msgid(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return value  # already encoded (a stored message's parameters)
    return str(value)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "$m" in value:
        return render(str(value["$m"]), dict(value.get("$p") or {}))
    if "$j" in value:
        return str(value.get("$s", ", ")).join(str(_decode(part)) for part in value["$j"])
    if "$lower" in value:
        return str(_decode(value["$lower"])).lower()
    if "$range" in value:
        start, end = (date.fromisoformat(str(day)) for day in value["$range"])
        return dates.day_range(start, end)
    if "$wd" in value:
        return dates.weekday_day_month(date.fromisoformat(str(value["$wd"])))
    if "$t" in value:
        if not value["$t"]:
            return ""
        if value.get("$c"):
            return pgettext(str(value["$c"]), str(value["$t"]))
        return gettext(str(value["$t"]))
    if "$dt" in value:
        moment = datetime.fromisoformat(str(value["$dt"]))
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return dates.short_date_time(moment)
    if "$d" in value:
        return dates.day_month(date.fromisoformat(str(value["$d"])))
    return value


def render(key: str, params: Mapping[str, Any] | None = None, *, fallback: str = "") -> str:
    """``key`` translated into the active language with ``params`` put in;
    ``fallback`` (the text stored when written) if there is no key or the
    translation does not fit its parameters."""
    if not key:
        return fallback
    params = dict(params or {})
    try:
        values = {name: _decode(value) for name, value in params.items() if name[:1] != "_"}
        if params.get("_plural"):
            template = ngettext(key, str(params["_plural"]), int(values[str(params["_count"])]))
        else:
            template = gettext(key)
        # As written: ``_("...") % {...}`` only when the text had placeholders.
        return template % values if values or "%(" in template else template
    except (KeyError, ValueError, TypeError):
        return fallback or key


def from_row(key: str, params: Mapping[str, Any] | None, fallback: str) -> Message | str:
    """A stored text as something to put into another message: its key and
    parameters when it has them, else the text written at the time."""
    return Message(key, dict(params or {})) if key else fallback


def stored(value: str | Message, *, language: str | None = None) -> tuple[str, str, dict[str, Any]]:
    """``(text, key, params)`` for a model that keeps both: the text in
    ``language`` (default: the active one) as the fallback, and the key and
    parameters to render for each reader. A plain string has no key."""
    if isinstance(value, Message):
        shown = value.in_language(language) if language else value.render()
        return shown, value.key, value.encode()
    return str(value), "", {}


__all__ = [
    "DayRange",
    "Joined",
    "Message",
    "WeekdayDay",
    "choice",
    "day_range",
    "encode_param",
    "from_row",
    "lower_case",
    "msgid",
    "plural_text",
    "render",
    "stored",
    "text",
    "weekday_day",
]
