"""Charts people can read on a phone: small SVG images drawn at the size they
are shown, each with a text alternative and a table of its numbers.

Why drawn here and not by a charting library: the chart goes in an ``<img>``
(a ``data:`` URL), because the Content-Security-Policy refuses styles and
scripts inside the page, and an image runs no script. pygal, used before,
wrote 9–16 KB per chart (its style sheet, a tooltip script and a copy of its
configuration inside every image) and chose its own text sizes; a symptom
page of small multiples would have weighed a few hundred kilobytes. These are
a few lines, dots and labels: 2–4 KB each, text at a size we choose.

Rules every chart here keeps (issue 20, hazard log U31–U35):

- it is drawn at the width it is shown on a 360 px phone (``WIDTH``), so its
  text (``FONT`` px) is not shrunk below 12 px;
- a missing answer is a gap, never a zero: a value of ``None`` is not drawn,
  and a line breaks where a whole day passed without a value (``gap_days``);
- one series per chart unless the series share a scale and are told apart by
  colour, marker and dash (the Okabe–Ito palette, safe for colour blindness),
  with the latest value written at the end of each line;
- its title names only what is drawn, its ``alt`` says what it shows and the
  latest value, and ``rows`` hold the numbers, newest first, at most
  ``TABLE_ROWS`` of them, for the "Show the numbers" table.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: Width and height of a chart image, in CSS pixels at the size shown on a
#: 360 px phone (the content box of a card there is about 294 px: 14 px text
#: drawn at 320 is shown at about 12.9 px).
WIDTH = 320
HEIGHT = 180
#: Text size inside the images, before the browser scales them.
FONT = 14
#: Okabe & Ito (2008), "Color Universal Design": told apart with every common
#: colour-vision deficiency. Blue, vermilion, bluish green, reddish purple.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
#: Second and later series are dashed, so colour is never the only difference.
DASHES = ("", "7 4", "2 3", "9 3 2 3")
REFERENCE_COLOUR = "#a1192b"
GRID_COLOUR = "#d9dee5"
INK = "#1d2430"
#: A dot on every value up to this many per line; a denser line (a device
#: reading every few minutes) is drawn as a line alone.
DOTS_UP_TO = 60
#: Rows in a chart's table of numbers; the page says how many more there are.
TABLE_ROWS = 30


@dataclass(frozen=True)
class Point:
    """One value at one moment (a reading, an answer) or on one day (a bar)."""

    at: datetime | date
    #: ``None`` is a missing answer: a gap, never drawn as zero.
    value: float | None


@dataclass(frozen=True)
class Series:
    label: str
    #: Oldest first.
    points: Sequence[Point]
    #: Written after each value in the text alternative and the table ("%", "/10").
    unit: str = ""

    @property
    def answered(self) -> list[Point]:
        return [point for point in self.points if point.value is not None]


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the chart (an alert level, a review count)."""

    value: float
    #: The sentence said under the chart and in its text alternative.
    label: str


@dataclass(frozen=True)
class Row:
    when: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    #: The ``<img>`` of the chart, or "" when there is nothing to draw (the
    #: page says so in words: ``empty``).
    image: SafeString | str = ""
    alt: str = ""
    #: The table's column headings after "When", and its rows, newest first.
    columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    #: How many rows the data has in all (more than ``rows`` when bounded).
    total_rows: int = 0
    #: A sentence under the chart: what a reference line means.
    note: str = ""
    empty: str = ""
    series: tuple[Series, ...] = field(default=(), repr=False)

    @property
    def svg(self) -> SafeString | str:
        """The image (the name templates of lower apps used before)."""
        return self.image

    @property
    def more_rows(self) -> int:
        return self.total_rows - len(self.rows)


@dataclass(frozen=True)
class ChartGroup:
    """Small multiples under one heading (a card on the page), laid out as a
    grid that is one column on a phone."""

    title: str
    charts: list[Chart]
    #: Said instead of the grid when no chart in the group has anything drawn.
    empty: str = ""
    #: Said under the grid, naming the charts with nothing drawn (one line,
    #: not an empty box each): a format with ``%(names)s``.
    missing_format: str = ""
    #: A sentence under the heading on how to read the charts.
    intro: str = ""

    @property
    def has_data(self) -> bool:
        return any(chart.image for chart in self.charts)

    @property
    def drawn(self) -> list[Chart]:
        return [chart for chart in self.charts if chart.image]

    @property
    def missing(self) -> str:
        names = [chart.title for chart in self.charts if not chart.image]
        if not names:
            return ""
        text = self.missing_format or _("Nothing recorded in this period: %(names)s.")
        return text % {"names": ", ".join(names)}


# --- words -----------------------------------------------------------------


def local(moment: datetime | date) -> datetime | date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return moment


def day_of(moment: datetime | date) -> date:
    value = local(moment)
    return value.date() if isinstance(value, datetime) else value


def axis_day(moment: datetime | date) -> str:
    """A day under the axis, short, in the reader's language ("6 Dec", «6 дек»)."""
    # Translators: a Django date format for the days under a chart's axis: the
    # day and a short month. For Russian use "j b" (6 дек), not "j M" (6 Дек).
    return formats.date_format(day_of(moment), pgettext("chart axis day", "j M"))


def long_day(moment: datetime | date) -> str:
    """A day in a sentence or a table ("6 December", «6 декабря»)."""
    return formats.date_format(day_of(moment), "j E")


def when(moment: datetime | date) -> str:
    """A moment in the table or the text alternative, in the reader's language."""
    value = local(moment)
    if isinstance(value, datetime):
        return formats.date_format(value, "j E H:i")
    return long_day(value)


def number(value: float) -> str:
    """Whole numbers as they are; others with one decimal, in the reader's
    language (a comma in Russian)."""
    if float(value).is_integer():
        return str(int(value))
    return formats.number_format(round(float(value), 1), decimal_pos=1, use_l10n=True)


def with_unit(value: float, unit: str) -> str:
    if not unit:
        return number(value)
    joined = unit.startswith(("/", "%"))
    return f"{number(value)}{'' if joined else ' '}{unit}"


def describe(title: str, series: Sequence[Series], *, reference: Reference | None = None) -> str:
    """The text alternative: what is drawn, over which days, and for each line
    its latest value with the one before it, the lowest and the highest."""
    moments = [point.at for one in series for point in one.answered]
    if not moments:
        return _("%(title)s: nothing recorded in this period.") % {"title": title}
    sentences = [
        _("%(title)s, %(start)s to %(end)s.")
        % {"title": title, "start": long_day(min(moments)), "end": long_day(max(moments))}
    ]
    for one in series:
        answered = one.answered
        named = len(series) > 1
        if not answered:
            sentences.append(_("%(series)s: nothing recorded.") % {"series": one.label})
            continue
        latest = answered[-1]
        values = {
            "series": one.label,
            "value": with_unit(latest.value or 0, one.unit),
            "when": when(latest.at),
        }
        if len(answered) == 1:
            sentence = (
                _("%(series)s: one value, %(value)s on %(when)s.")
                if named
                else _("One value: %(value)s on %(when)s.")
            )
            sentences.append(sentence % values)
            continue
        previous = answered[-2]
        numbers = [point.value for point in answered if point.value is not None]
        values |= {
            "previous": with_unit(previous.value or 0, one.unit),
            "previous_when": when(previous.at),
            "lowest": with_unit(min(numbers), one.unit),
            "highest": with_unit(max(numbers), one.unit),
        }
        sentence = (
            _(
                "%(series)s: latest %(value)s on %(when)s, before that %(previous)s on "
                "%(previous_when)s; lowest %(lowest)s, highest %(highest)s."
            )
            if named
            else _(
                "Latest %(value)s on %(when)s, before that %(previous)s on %(previous_when)s; "
                "lowest %(lowest)s, highest %(highest)s."
            )
        )
        sentences.append(sentence % values)
    if reference is not None:
        sentences.append(reference.label)
    return " ".join(sentences)


def table(series: Sequence[Series]) -> tuple[tuple[Row, ...], int]:
    """One row per moment that has any value, newest first, bounded; a missing
    value is a dash, not a zero."""
    moments: dict[Any, list[str]] = {}
    for index, one in enumerate(series):
        for point in one.answered:
            cells = moments.setdefault(point.at, ["—"] * len(series))
            cells[index] = with_unit(point.value or 0, one.unit)
    newest_first = sorted(moments, key=lambda moment: _sort_key(moment), reverse=True)
    rows = tuple(Row(when(moment), tuple(moments[moment])) for moment in newest_first[:TABLE_ROWS])
    return rows, len(newest_first)


def _sort_key(moment: datetime | date) -> float:
    if isinstance(moment, datetime):
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)).timestamp()
    return float(moment.toordinal() * 86400)


def as_image(svg: str, alt: str, *, width: int = WIDTH, height: int = HEIGHT) -> SafeString:
    """The SVG as an ``<img>`` (a ``data:`` URL: no style or script in the page)."""
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="chart-image" src="{}" alt="{}" width="{}" height="{}">',
        source,
        alt,
        width,
        height,
    )


# --- drawing ---------------------------------------------------------------


@dataclass
class _Canvas:
    width: int
    height: int
    parts: list[str] = field(default_factory=list)

    def text(self, x: float, y: float, words: str, *, anchor: str = "start", **extra: str) -> None:
        attributes = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in extra.items())
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attributes}>'
            f"{escape(words)}</text>"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, **extra: str) -> None:
        attributes = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in extra.items())
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}"{attributes}/>'
        )

    def svg(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
            f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
            f'font-size="{FONT}" fill="{INK}">'
            f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(self.parts) + "</svg>"
        )


def nice_range(values: Sequence[float]) -> tuple[float, float, list[float]]:
    """A scale that holds the values, with 3–5 round ticks (1, 2 or 5 × 10ⁿ)."""
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / 3
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    ticks = [start + step * n for n in range(round((end - start) / step) + 1)]
    return start, end, ticks


def _marker(canvas: _Canvas, index: int, x: float, y: float, colour: str) -> None:
    if index % 2:
        canvas.parts.append(
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
        )
    else:
        canvas.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')


def _legend(canvas: _Canvas, series: Sequence[Series], top: float, *, bars: bool) -> None:
    for index, one in enumerate(series):
        y = top + index * (FONT + 6)
        colour = PALETTE[index % len(PALETTE)]
        if bars:
            canvas.parts.append(
                f'<rect x="8" y="{y - 11:.1f}" width="12" height="12" fill="{colour}"/>'
            )
        else:
            dash = DASHES[index % len(DASHES)]
            canvas.line(4, y - 5, 26, y - 5, colour, stroke_width="2.5", stroke_dasharray=dash)
            _marker(canvas, index, 15, y - 5, colour)
        canvas.text(32, y, one.label)


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    since: datetime,
    until: datetime,
    minimum: float | None = None,
    maximum: float | None = None,
    ticks: Sequence[float] | None = None,
    reference: Reference | None = None,
    gap_days: int | None = 1,
    empty: str = "",
) -> Chart:
    """Lines over time on one scale. ``gap_days``: break a line where more than
    this many whole days passed between two values (``None``: never break)."""
    series = tuple(series)
    rows, total = table(series)
    columns = tuple(one.label for one in series)
    base = Chart(
        title=title,
        alt=describe(title, series, reference=reference),
        columns=columns,
        rows=rows,
        total_rows=total,
        note=reference.label if reference else "",
        empty=empty or _("Nothing recorded in this period."),
        series=series,
    )
    values = [point.value for one in series for point in one.answered if point.value is not None]
    if not values:
        return replace(base, note="")
    if minimum is None or maximum is None:
        low, high, auto_ticks = nice_range(values + ([reference.value] if reference else []))
        minimum = low if minimum is None else minimum
        maximum = high if maximum is None else maximum
        ticks = ticks or [tick for tick in auto_ticks if minimum <= tick <= maximum]
    ticks = list(ticks or (minimum, maximum))
    named = len(series) > 1
    legend_height = (FONT + 6) * len(series) + 4 if named else 0
    canvas = _Canvas(WIDTH, HEIGHT + legend_height)
    tick_width = max(len(number(tick)) for tick in ticks) * FONT * 0.6
    left, right, top, bottom = 8 + tick_width, WIDTH - (66 if named else 34), 10, HEIGHT - 26
    start, end = _sort_key(since), _sort_key(until)
    span = max(end - start, 1.0)

    def x_of(moment: datetime | date) -> float:
        return left + (right - left) * (_sort_key(moment) - start) / span

    def y_of(value: float) -> float:
        share = (value - minimum) / ((maximum - minimum) or 1)  # type: ignore[operator]
        return bottom - (bottom - top) * min(max(share, 0.0), 1.0)

    for tick in ticks:
        y = y_of(tick)
        canvas.line(left, y, right, y, GRID_COLOUR)
        canvas.text(left - 6, y + FONT * 0.35, number(tick), anchor="end")
    first_day, last_day = day_of(since), day_of(until)
    days = (last_day - first_day).days
    for offset in sorted({0, days // 2, days}):
        day = first_day + timedelta(days=offset)
        midday = datetime.combine(day, datetime.min.time()).replace(hour=12)
        moment = timezone.make_aware(midday) if isinstance(since, datetime) else day
        x = min(max(x_of(moment), left + 20), right - 20)
        canvas.line(x, bottom, x, bottom + 4, INK)
        canvas.text(x, bottom + FONT + 5, axis_day(day), anchor="middle")
    canvas.line(left, bottom, right, bottom, INK)
    if reference is not None:
        y = y_of(reference.value)
        canvas.line(left, y, right, y, REFERENCE_COLOUR, stroke_width="2", stroke_dasharray="6 4")
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)]
        for run in runs(one.points, gap_days):
            if len(run) > 1:
                path = " ".join(f"{x_of(p.at):.1f},{y_of(p.value or 0):.1f}" for p in run)
                canvas.parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
            if len(run) == 1 or len(one.answered) <= DOTS_UP_TO:
                for point in run:
                    _marker(canvas, index, x_of(point.at), y_of(point.value or 0), colour)
        answered = one.answered
        if answered:
            latest = answered[-1]
            canvas.text(
                x_of(latest.at) + 8,
                y_of(latest.value or 0) + FONT * 0.35 + (index * FONT if named else 0),
                number(latest.value or 0),
                font_weight="700",
                fill=colour,
                # A white halo keeps the number readable over a line.
                stroke="#fff",
                stroke_width="3",
                paint_order="stroke",
            )
    if named:
        _legend(canvas, series, HEIGHT + FONT, bars=False)
    image = as_image(canvas.svg(), base.alt, width=canvas.width, height=canvas.height)
    return replace(base, image=image)


def runs(points: Sequence[Point], gap_days: int | None) -> list[list[Point]]:
    """The stretches a line joins: a missing value ends one, and so does a
    whole day with no value at all (when ``gap_days`` is set)."""
    result: list[list[Point]] = []
    current: list[Point] = []
    for point in points:
        if point.value is None:
            if current:
                result.append(current)
            current = []
            continue
        if (
            current
            and gap_days is not None
            and (day_of(point.at) - day_of(current[-1].at)).days > gap_days
        ):
            result.append(current)
            current = []
        current.append(point)
    if current:
        result.append(current)
    return result


def bar_chart(
    *,
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    stacked: bool = False,
    reference: Reference | None = None,
    empty: str = "",
    has_data: Callable[[Sequence[Series]], bool] | None = None,
) -> Chart:
    """A bar per day (several series stacked). A day with a value of ``None``
    has no bar; a zero is a real zero (none given that day)."""
    series = tuple(series)
    rows, total = table(series)
    base = Chart(
        title=title,
        alt=describe(title, series, reference=reference),
        columns=tuple(one.label for one in series),
        rows=rows,
        total_rows=total,
        note=reference.label if reference else "",
        empty=empty or _("Nothing recorded in this period."),
        series=series,
    )
    drawn = has_data(series) if has_data else any(point.value for s in series for point in s.points)
    if not drawn or not days:
        return replace(base, note="")
    totals = [
        sum((one.points[n].value or 0) if stacked else 0 for one in series if n < len(one.points))
        for n in range(len(days))
    ]
    tallest = max(
        [*totals, *(point.value or 0 for one in series for point in one.points)]
        + ([reference.value] if reference else [])
    )
    _low, maximum, ticks = nice_range([0, tallest or 1])
    named = len(series) > 1
    legend_height = (FONT + 6) * len(series) + 4 if named else 0
    canvas = _Canvas(WIDTH, HEIGHT + legend_height)
    tick_width = max(len(number(tick)) for tick in ticks) * FONT * 0.6
    left, right, top, bottom = 8 + tick_width, WIDTH - 24, 10, HEIGHT - 26
    slot = (right - left) / len(days)
    groups = 1 if stacked else len(series)
    width = slot * 0.8 / groups

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value / maximum)

    for tick in ticks:
        y = y_of(tick)
        canvas.line(left, y, right, y, GRID_COLOUR)
        canvas.text(left - 6, y + FONT * 0.35, number(tick), anchor="end")
    every = max(1, math.ceil(len(days) / 4))
    for n, day in enumerate(days):
        if (len(days) - 1 - n) % every == 0:
            canvas.text(left + slot * (n + 0.5), bottom + FONT + 5, axis_day(day), anchor="middle")
    for n in range(len(days)):
        base_y = 0.0
        for index, one in enumerate(series):
            value = one.points[n].value if n < len(one.points) else None
            if not value:
                continue
            colour = PALETTE[index % len(PALETTE)]
            x = left + slot * n + slot * 0.1 + (0 if stacked else index * width)
            low = base_y if stacked else 0.0
            y_top, y_bottom = y_of(low + value), y_of(low)
            canvas.parts.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}" '
                f'height="{max(y_bottom - y_top, 0.5):.1f}" fill="{colour}"/>'
            )
            if stacked:
                base_y += value
    canvas.line(left, bottom, right, bottom, INK)
    if reference is not None:
        y = y_of(reference.value)
        canvas.line(left, y, right, y, REFERENCE_COLOUR, stroke_width="2", stroke_dasharray="6 4")
    if named:
        _legend(canvas, series, HEIGHT + FONT, bars=True)
    image = as_image(canvas.svg(), base.alt, width=canvas.width, height=canvas.height)
    return replace(base, image=image)
