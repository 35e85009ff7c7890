"""Opioid charts for the medicines page, drawn by pygal as SVG images (no
JavaScript, no build step), in the same style as the symptom charts.

Both read ``queries.opioid_days``: the regular opioid OME per 24 h as
prescribed at midday, the OME of breakthrough doses given, and how many
breakthrough doses were given, per local day.
"""

from __future__ import annotations

from typing import Any

import pygal
from django.utils.translation import gettext as _

from hearth.medications import queries
from hearth.medications.queries import OpioidDay
from hearth.monitoring.charts import STYLE, Chart, as_image
from hearth.patients.models import Patient


def _bar(title: str, days: list[OpioidDay], *, stacked: bool) -> Any:
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(
        title=title,
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        height=300,
        width=800,
        legend_at_bottom=True,
        truncate_legend=-1,
        show_x_guides=False,
        print_values=False,
        no_data_text=_("No data yet"),
    )
    chart.x_labels = [day.day.strftime("%d %b") for day in days]
    return chart


def _render(chart: Any, has_data: bool) -> Chart:
    title = str(chart.config.title)
    if not has_data:
        return Chart(title=title, svg="")
    return Chart(title=title, svg=as_image(chart))


def ome_chart(patient: Patient, days: list[OpioidDay] | None = None) -> Chart:
    """Oral morphine equivalent per day: the regular dose as prescribed, with
    the breakthrough doses given stacked on top."""
    days = days if days is not None else queries.opioid_days(patient)
    chart = _bar(_("Oral morphine equivalent per 24 h (mg)"), days, stacked=True)
    chart.add(_("Regular, as prescribed"), [float(day.regular_ome) for day in days])
    chart.add(_("Breakthrough, given"), [float(day.breakthrough_ome) for day in days])
    has_data = any(day.regular_ome or day.breakthrough_ome for day in days)
    return _render(chart, has_data)


def breakthrough_chart(patient: Patient, days: list[OpioidDay] | None = None) -> Chart:
    """Breakthrough (as-needed opioid) doses given per day: three or more in
    24 h prompt a review of the regular dose."""
    days = days if days is not None else queries.opioid_days(patient)
    chart = _bar(_("Breakthrough doses per day"), days, stacked=False)
    chart.add(_("Doses given"), [day.breakthrough_doses for day in days])
    return _render(chart, any(day.breakthrough_doses for day in days))
