"""Trend charts for the patient's symptom page, drawn by pygal as SVG images.

Server-side SVG needs no JavaScript and no build step, so the charts work on
a cheap phone; pygal's own tooltip script is left out (``js=[]``) because the
page must not load code from elsewhere. The SVG goes in an ``<img>`` (a
``data:`` URL), not inline in the page: pygal writes its styles inside the SVG,
which the Content-Security-Policy would refuse in the page, and an image can
run no script at all.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

import pygal
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from pygal.style import Style

from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse
from hearth.core import clock
from hearth.monitoring.codes import CODES
from hearth.monitoring.models import Observation
from hearth.patients.models import Patient

STYLE = Style(
    background="white",
    plot_background="white",
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=14,
)


def _day(moment: Any) -> str:
    # pygal hands back naive datetimes for empty charts: those are UTC.
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return timezone.localtime(moment).strftime("%d %b")


def _chart(title: str, *, minimum: float | None = None, maximum: float | None = None) -> Any:
    return pygal.DateTimeLine(
        title=title,
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        height=300,
        width=800,
        dots_size=3,
        show_x_guides=False,
        x_value_formatter=_day,
        range=(minimum, maximum) if minimum is not None and maximum is not None else None,
        legend_at_bottom=True,
        truncate_legend=-1,
        no_data_text=_("No data yet"),
    )


@dataclass(frozen=True)
class Chart:
    title: str
    #: The chart as an ``<img>`` of its SVG, or "" when there is nothing to
    #: draw (the page says so in words).
    svg: SafeString | str


def as_image(chart: Any) -> SafeString:
    """The rendered chart as an image whose text alternative is its title."""
    svg = chart.render(is_unicode=True).encode("utf-8")
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return format_html(
        '<img class="chart-image" src="{}" alt="{}" width="{}" height="{}">',
        source,
        str(chart.config.title),
        chart.config.width,
        chart.config.height,
    )


def _render(chart: Any) -> Chart:
    if not chart.raw_series:
        return Chart(title=str(chart.config.title), svg="")
    return Chart(title=str(chart.config.title), svg=as_image(chart))


def esas_chart(patient: Patient, *, days: int = 14) -> Chart:
    since = clock.now() - timedelta(days=days)
    rows = (
        AssessmentResponse.objects.valid()
        .for_patient(patient)
        .of("esas_r")
        .filter(assessed_at__gte=since)
        .order_by("assessed_at")
        .values_list("assessed_at", "answers")
    )
    series: dict[str, list[tuple[Any, int]]] = defaultdict(list)
    for moment, answers in rows:
        for key, value in answers.items():
            if key in instruments.ESAS_ITEM_KEYS and value is not None:
                series[key].append((moment, value))
    chart = _chart(_("ESAS-r symptoms (0 best – 10 worst)"), minimum=0, maximum=10)
    for item in instruments.ESAS_R.scored_items:
        if series.get(item.key):
            chart.add(str(item.label), series[item.key])
    return _render(chart)


def function_chart(patient: Patient, *, days: int = 60) -> Chart:
    since = clock.now() - timedelta(days=days)
    chart = _chart(_("Performance (PPS and AKPS, %)"), minimum=0, maximum=100)
    for code, label in (("pps", "PPS"), ("akps", "AKPS")):
        points = list(
            AssessmentResponse.objects.valid()
            .for_patient(patient)
            .of(code)
            .filter(assessed_at__gte=since)
            .order_by("assessed_at")
            .values_list("assessed_at", "total")
        )
        if points:
            chart.add(label, points)
    return _render(chart)


def vitals_chart(patient: Patient, *, days: int = 7) -> Chart:
    since = clock.now() - timedelta(days=days)
    series: dict[str, list[tuple[Any, float]]] = defaultdict(list)
    for code, moment, value in (
        Observation.objects.filter(
            patient=patient,
            observed_at__gte=since,
            code__in=["spo2", "pulse", "respiratory_rate", "temperature", "systolic_bp"],
        )
        .order_by("observed_at")
        .values_list("code", "observed_at", "value")[:5000]
    ):
        series[code].append((moment, value))
    chart = _chart(_("Home readings"))
    for code, points in series.items():
        spec = CODES[code]
        chart.add(f"{spec.label} ({spec.unit})", points)
    return _render(chart)
