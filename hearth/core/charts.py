"""Charts people can read on a phone: small SVG images drawn at the size they
are shown, each with a text alternative and a table of its numbers.

Drawn by pygal (a well-kept charting library: the project prefers one over
hand-written drawing code), set up so that the output suits a page with a
strict Content-Security-Policy and a phone: the chart goes in an ``<img>`` (a
``data:`` URL), because the policy refuses styles and scripts inside the page
and an image runs no script; pygal is told to add no script (``js=[]``), no
XML declaration, and to use a short style sheet of our own (``chart.css``)
instead of its two that style tooltips, maps and gauges; an ``xml_filter``
(``_lean``) leaves out the tooltip texts, the copy of the configuration and
the unused empty labels, and rounds coordinates. A chart weighs 3–4 KB; ten
on the symptom page about 50 KB.

Rules every chart here keeps (issue 20, hazard log U31–U35):

- it is drawn at the width it is shown on a 360 px phone (``WIDTH``), so its
  text (every pygal ``Style`` font size is ``FONT`` px) is not shrunk below
  12 px;
- a missing answer is a gap, never a zero: a value of ``None`` is not drawn
  (``allow_interruptions``), and a line breaks where a whole day passed
  without a value (``gap_days``: a ``None`` is put between the stretches
  ``runs`` finds);
- one series per chart unless the series share a scale and are told apart by
  colour, dot size and dash (the Okabe–Ito palette, safe for colour
  blindness, and ``DASHES`` through pygal's ``stroke_style``), with a legend
  only then; the latest value is written at the end of each line (a
  per-value ``formatter``: every other value prints nothing);
- a reference level (an alert level, a review count) is the y axis's one
  "major" guide, dashed in ``REFERENCE_COLOUR``, and said in words under the
  chart;
- the days under the axis are written by ``axis_day``, in the reader's
  language;
- its title names only what is drawn, its ``alt`` says what it shows and the
  latest value, and ``rows`` hold the numbers, newest first, at most
  ``TABLE_ROWS`` of them, for the "Show the numbers" table;
- a value that stands for many readings (a device's hour or day: a
  ``Point`` with ``low`` and ``high``) is drawn as its average on the line and
  its lowest–highest as a pale vertical bar behind it (the bars side by side
  make a band), and the table and text alternative give the lowest and
  highest readings, not the lowest and highest averages (issue 21, hazard
  L14).
"""

from __future__ import annotations

import base64
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pygal
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pygal.graph.time import datetime_to_timestamp
from pygal.style import Style
from pygal.util import compute_scale

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
DASHES = ("none", "7 4", "2 3", "9 3 2 3")
REFERENCE_COLOUR = "#a1192b"
REFERENCE_DASH = "6 4"
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
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
    #: For a value that stands for several readings (an hour of a device's
    #: readings: ``value`` is their average): the lowest and the highest.
    low: float | None = None
    high: float | None = None

    @property
    def ranged(self) -> bool:
        return self.low is not None and self.high is not None


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

    @property
    def ranged(self) -> bool:
        """Its values stand for several readings each (drawn with a band)."""
        return any(point.ranged for point in self.points)


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
        # The lowest and highest readings, not the lowest and highest averages.
        lows = [point.low if point.low is not None else point.value for point in answered]
        highs = [point.high if point.high is not None else point.value for point in answered]
        values |= {
            "previous": with_unit(previous.value or 0, one.unit),
            "previous_when": when(previous.at),
            "lowest": with_unit(min(v for v in lows if v is not None), one.unit),
            "highest": with_unit(max(v for v in highs if v is not None), one.unit),
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


def columns_of(series: Sequence[Series]) -> tuple[str, ...]:
    """The table's headings after "When": each series, and after a series of
    averages (a device's hours) the range of its readings."""
    headings: list[str] = []
    for one in series:
        if one.ranged:
            headings.append(_("%(series)s, average") % {"series": one.label})
            headings.append(_("Lowest–highest"))
        else:
            headings.append(one.label)
    return tuple(headings)


def with_range(point: Point, unit: str) -> str:
    """ "88–97 %": the lowest and highest readings behind an average."""
    if point.low is None or point.high is None:
        return "—"
    if point.low == point.high:
        return with_unit(point.low, unit)
    return f"{number(point.low)}–{with_unit(point.high, unit)}"


def table(series: Sequence[Series]) -> tuple[tuple[Row, ...], int]:
    """One row per moment that has any value, newest first, bounded; a missing
    value is a dash, not a zero."""
    width = sum(2 if one.ranged else 1 for one in series)
    moments: dict[Any, list[str]] = {}
    column = 0
    for one in series:
        for point in one.answered:
            cells = moments.setdefault(point.at, ["—"] * width)
            cells[column] = with_unit(point.value or 0, one.unit)
            if one.ranged:
                cells[column + 1] = with_range(point, one.unit)
        column += 2 if one.ranged else 1
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


# --- drawing (pygal) ---------------------------------------------------------


def _style(colours: Sequence[str]) -> Style:
    """Every text at ``FONT`` px, white ground, the given series colours, grid
    lines plain and light, and the y axis's one "major" guide (the reference
    level) dashed in the reference colour."""
    return Style(
        background="#fff",
        plot_background="#fff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=INK,
        font_family=FONT_FAMILY,
        label_font_size=FONT,
        major_label_font_size=FONT,
        value_font_size=FONT,
        value_label_font_size=FONT,
        legend_font_size=FONT,
        title_font_size=FONT,
        tooltip_font_size=FONT,
        no_data_font_size=FONT,
        colors=tuple(colours),
        guide_stroke_color=GRID_COLOUR,
        guide_stroke_dasharray="none",
        major_guide_stroke_color=REFERENCE_COLOUR,
        major_guide_stroke_dasharray=REFERENCE_DASH,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="0ms",
    )


#: The style sheet inside each image: pygal's own two (``style.css``,
#: ``graph.css``) style tooltips, maps and gauges too, 5 KB in every chart.
_CSS_FILE = Path(__file__).with_name("chart.css")
#: The latest value written in its line's colour.
_CSS = "".join(f".text-overlay .color-{n} text{{fill:{c}}}" for n, c in enumerate(PALETTE))

_DECIMALS = re.compile(r"(\d+\.\d)\d+")


def _lean(root: Any) -> Any:
    """A pygal ``xml_filter``: leave out what an ``<img>`` never uses (the
    tooltip texts, the copy of the configuration for pygal's script, comments,
    the empty value labels and zero-size dots) and round coordinates to a
    tenth of a pixel, so a chart weighs a few kilobytes."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if (
                not tag
                or tag in ("script", "desc", "title")
                or (tag == "text" and not (child.text or "").strip())
                or (tag == "circle" and child.get("r") in ("0", "0.0"))
                or child.get("class") == "tooltip"
            ):
                parent.remove(child)
                continue
            for key, value in child.attrib.items():
                if key in ("d", "x", "y", "cx", "cy", "width", "height", "transform"):
                    child.set(key, _DECIMALS.sub(r"\1", value))
    return root


def _config(*, height: int, legend: bool, reference: Reference | None) -> dict[str, Any]:
    """The options every chart shares: drawn at the size shown, no script, no
    tooltips, no XML declaration (it goes in a ``data:`` URL)."""
    return {
        "width": WIDTH,
        "height": height,
        "explicit_size": True,
        "js": [],
        "css": [f"file://{_CSS_FILE}", "inline:" + _CSS],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "pretty_print": False,
        "show_legend": legend,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1,
        "legend_box_size": 12,
        "truncate_legend": -1,
        "truncate_label": -1,
        "show_x_guides": False,
        "show_y_guides": True,
        "value_formatter": number,
        "margin": 4,
        "spacing": 6,
        # The one "major" guide is drawn dashed in the reference colour, so
        # only a real reference may be one: left empty, pygal makes every
        # round value (90, 100) major, and a chart with no alert level showed
        # a dashed line that read as one (issue 21, hazard L16). ``-inf`` is
        # never on an axis.
        "y_labels_major": [reference.value] if reference is not None else [-math.inf],
        "show_minor_y_labels": True,
    }


def _y_labels(
    low: float, high: float, ticks: Sequence[float] | None, reference: Reference | None
) -> list[float]:
    """The values written on the y axis: the given ticks or pygal's own round
    scale, and the reference level (drawn as the dashed "major" guide)."""
    labels = list(ticks) if ticks else compute_scale(low, high, False, None, 3, 5)
    if reference is not None:
        labels.append(reference.value)
    return sorted(set(labels))


def _render(chart: Any) -> str:
    chart.add_xml_filter(_lean)
    return str(chart.render())


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
    """Lines over time on one scale (pygal's ``DateTimeLine``). ``gap_days``:
    break a line where more than this many whole days passed between two
    values (``None``: never break)."""
    series = tuple(series)
    rows, total = table(series)
    columns = columns_of(series)
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
    # The band's ends are on the scale too.
    values += [
        end
        for one in series
        for point in one.answered
        for end in (point.low, point.high)
        if end is not None
    ]
    scale = values + ([reference.value] if reference else [])
    low = min(scale) if minimum is None else minimum
    high = max(scale) if maximum is None else maximum
    if low == high:
        low, high = low - 1, high + 1
    named = len(series) > 1
    height = HEIGHT + ((FONT + 8) * len(series) + 8 if named else 0)
    first_day, last_day = day_of(since), day_of(until)
    days = (last_day - first_day).days
    labels = []
    for offset in sorted({0, days // 2, days}):
        day = first_day + timedelta(days=offset)
        midday = datetime.combine(day, datetime.min.time()).replace(hour=12)
        moment = timezone.make_aware(midday) if timezone.is_aware(since) else midday
        labels.append({"value": min(max(moment, since), until), "label": axis_day(day)})
    # pygal colours its series in the order they are added: a band (drawn
    # first, so its line lies on top) in a pale tint of its line's colour.
    colours: list[str] = []
    for index, one in enumerate(series):
        if one.ranged:
            colours.append(_tint(PALETTE[index % len(PALETTE)]))
        colours.append(PALETTE[index % len(PALETTE)])
        if _dense(one):
            colours.append(PALETTE[index % len(PALETTE)])  # its dots and latest value
    config = _config(height=height, legend=named, reference=reference)
    config["css"] = [config["css"][0], "inline:" + _overlay_css(colours)]
    chart = pygal.DateTimeLine(
        style=_style(colours),
        range=(low, high),
        xrange=(since, until),
        x_labels=labels,
        x_value_formatter=axis_day,
        y_labels=_y_labels(low, high, ticks, reference),
        allow_interruptions=True,
        print_values=True,
        # Room for the latest value written after the line's end ("89.9").
        margin_right=max(36 if not named else 44, 9 * _longest_latest(series) + 8),
        **config,
    )
    #: pygal's numbers (``serie-N``) of the bands, counted as series are added.
    bands: dict[int, list[Bar]] = {}
    added = 0
    for index, one in enumerate(series):
        if one.ranged:
            bands[added] = _add_band(chart, one, since, until)
            added += 1
        stretches = runs(one.points, gap_days)
        dot = 4 if index % 2 == 0 else 5
        stroke = {"width": 2.5, "linejoin": "round", "dasharray": DASHES[index % 4]}
        if _dense(one):
            # A dense line (a device every few minutes): pygal would build a
            # dot, a tooltip and a value label for each of hundreds of values
            # only for them to be thrown away (a third of the symptoms page's
            # time at a minute-rate device). The line has no dots; a second
            # series, left out of the legend, holds what is drawn as a dot:
            # a lone value between gaps, and the latest value with its number.
            chart.add(
                one.label,
                _line_values(stretches, since, node=None),
                show_dots=False,
                formatter=_blank,
                stroke_style=stroke,
            )
            latest = one.answered[-1]
            marked: list[Any] = []
            for stretch in stretches:
                if len(stretch) == 1 and stretch[0] is not latest:
                    moment = moment_of(stretch[0].at, since)
                    marked += [(moment, stretch[0].value), (moment, None)]
            # The latest value of a run has its number but, as on the line,
            # no dot of its own.
            latest_alone = len(stretches[-1]) == 1
            marked.append(
                {
                    "value": (moment_of(latest.at, since), latest.value),
                    "node": {"r": dot if latest_alone else 0},
                    "formatter": _latest,
                }
            )
            chart.add(None, marked, dots_size=dot, formatter=_blank, stroke_style=stroke)
            added += 2
            continue
        values_drawn = _line_values(stretches, since, node={"r": dot})
        # Only the latest value is written, at the end of its line.
        values_drawn[-1]["formatter"] = _latest
        chart.add(
            one.label,
            values_drawn,
            dots_size=dot,
            formatter=_blank,
            stroke_style=stroke,
        )
        added += 1
    if bands:
        chart.add_xml_filter(lambda root: _draw_bands(root, chart, bands))
    image = as_image(_render(chart), base.alt, width=WIDTH, height=height)
    return replace(base, image=image)


def _dense(one: Series) -> bool:
    """More values than dots can show apart at the chart's width."""
    return len(one.answered) > DOTS_UP_TO


def _line_values(
    stretches: Sequence[Sequence[Point]], since: datetime, *, node: dict[str, Any] | None
) -> list[Any]:
    """pygal's values for one line: each stretch joined, a ``None`` between
    two stretches (where pygal ends the line); with ``node``, each value as a
    dict carrying it (its dot's size)."""
    drawn: list[Any] = []
    for stretch in stretches:
        if drawn:
            drawn.append((moment_of(stretch[0].at, since), None))
        for point in stretch:
            value = (moment_of(point.at, since), point.value)
            drawn.append(value if node is None else {"value": value, "node": dict(node)})
    return drawn


def _longest_latest(series: Sequence[Series]) -> int:
    """How many characters the longest latest value written has."""
    return max(
        (len(number(one.answered[-1].value or 0)) for one in series if one.answered), default=0
    )


def moment_of(at: datetime | date, since: datetime) -> datetime:
    """Where a value is drawn: a day's value (a ``date``) at its midday."""
    if isinstance(at, datetime):
        return at
    midday = datetime.combine(at, datetime.min.time()).replace(hour=12)
    return timezone.make_aware(midday) if timezone.is_aware(since) else midday


def _tint(colour: str, strength: float = 0.4) -> str:
    """The colour mixed with white: a band behind its line, pale enough that
    the line on top stays the thing read."""
    red, green, blue = (int(colour[n : n + 2], 16) for n in (1, 3, 5))
    return "#" + "".join(
        f"{round(part * strength + 255 * (1 - strength)):02x}" for part in (red, green, blue)
    )


def _overlay_css(colours: Sequence[str]) -> str:
    """The latest value written in its line's colour (pygal numbers the
    series' overlays in the order they were added)."""
    return "".join(f".text-overlay .color-{n} text{{fill:{c}}}" for n, c in enumerate(colours))


#: One bar of a band: where (a moment), its lowest and its highest value.
Bar = tuple[datetime, float, float]


def _add_band(chart: Any, one: Series, since: datetime, until: datetime) -> list[Bar]:
    """The lowest–highest of each value as a vertical bar: side by side, they
    make a band; a value with no readings has no bar. pygal is given only the
    first bar (its series, colour and stroke); ``_draw_bands`` writes every
    bar into that one path: pygal's work per value (hundreds per week of
    hours) was most of the symptoms page's time."""
    bars: list[Bar] = [
        (moment_of(point.at, since), float(point.low), float(point.high))
        for point in one.points
        if point.low is not None and point.high is not None
    ]
    if not bars:
        return bars
    moment, low, high = bars[0]
    drawn: list[Any] = [(moment, low), (moment, high)]
    # As wide as the space between the two closest values (an hour, a day),
    # so neighbouring bars touch and make a band.
    moments = sorted(moment_of(point.at, since).timestamp() for point in one.answered)
    closest = min((b - a for a, b in itertools.pairwise(moments) if b > a), default=0)
    span = max(1.0, (until - since).total_seconds())
    plot_width = WIDTH - 70
    width = min(6.0, max(1.0, plot_width * closest / span)) if closest else 2.0
    chart.add(
        "",
        drawn,
        show_dots=False,
        formatter=_blank,
        stroke_style={"width": round(width, 1), "linecap": "butt", "dasharray": "none"},
    )
    return bars


def _draw_bands(root: Any, chart: Any, bands: dict[int, list[Bar]]) -> Any:
    """A pygal ``xml_filter``: each band's one ``<path>`` (pygal's, for its
    first bar) gets every bar as ``M x low L x high``, placed by pygal's own
    projection (``chart.view``, alive while the filters run), so the band is
    one path of a few kilobytes."""
    for group in root.iter():
        classes = f"{group.get('class', '')} "
        number = next((n for n in bands if f"serie-{n} " in classes), None)
        if number is None:
            continue
        path = next((child for child in group.iter() if child.tag == "path"), None)
        if path is None:
            continue
        segments = []
        for moment, low, high in bands[number]:
            x = chart.view.x(datetime_to_timestamp(moment))
            segments.append(f"M{x:.1f} {chart.view.y(low):.1f} L{x:.1f} {chart.view.y(high):.1f}")
        path.set("d", " ".join(segments))
    return root


def _blank(value: Any) -> str:
    return ""


def _latest(value: Any) -> str:
    return number(value[1] if isinstance(value, list | tuple) else value)


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
    """A bar per day (several series stacked: pygal's ``StackedBar``). A day
    with a value of ``None`` has no bar; a zero is a real zero (none given
    that day)."""
    series = tuple(series)
    rows, total = table(series)
    base = Chart(
        title=title,
        alt=describe(title, series, reference=reference),
        columns=columns_of(series),
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
    named = len(series) > 1
    height = HEIGHT + ((FONT + 8) * len(series) + 8 if named else 0)
    top = tallest or 1
    ticks: list[float] | None = None
    if all(
        float(p.value).is_integer() for one in series for p in one.points if p.value is not None
    ):
        # Counts and whole milligrams: whole ticks, at most five.
        step = max(1, math.ceil(top / 4))
        ticks = [float(step * n) for n in range(math.ceil(top / step) + 1)]
        top = ticks[-1]
    labels = [axis_day(day) for day in days]
    # About four days named under the axis, always the latest.
    every = max(1, math.ceil(len(days) / 4))
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(
        style=_style(PALETTE),
        range=(0, top),
        x_labels=labels,
        show_minor_x_labels=False,
        x_labels_major=[
            label for n, label in enumerate(labels) if (len(days) - 1 - n) % every == 0
        ],
        y_labels=_y_labels(0, top, ticks, reference),
        margin_right=22,
        **_config(height=height, legend=named, reference=reference),
    )
    for one in series:
        chart.add(one.label, [point.value for point in one.points])
    image = as_image(_render(chart), base.alt, width=WIDTH, height=height)
    return replace(base, image=image)
