"""Opioid charts for the medicines page and the record, drawn by
``hearth.core.charts`` like the symptom charts: a small SVG image with a text
alternative and a table of its numbers.

Both read ``queries.opioid_days``: the regular opioid OME per 24 h as
prescribed at midday, the OME of breakthrough doses given, and how many
breakthrough doses were given, per local day. A day with nothing given is a
real zero (the day is inside the period and nothing was recorded given).
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearth.core.charts import Chart, ChartGroup, Point, Reference, Series, bar_chart
from hearth.medications import queries
from hearth.medications.queries import OpioidDay
from hearth.patients.models import Patient


def ome_chart(patient: Patient, days: list[OpioidDay] | None = None) -> Chart:
    """Oral morphine equivalent per day: the regular dose as prescribed, with
    the breakthrough doses given stacked on top."""
    days = days if days is not None else queries.opioid_days(patient)
    unit = _("mg")
    series = [
        Series(
            _("Regular, as prescribed"),
            [Point(day.day, float(day.regular_ome)) for day in days],
            unit=unit,
        ),
        Series(
            _("Breakthrough, given"),
            [Point(day.day, float(day.breakthrough_ome)) for day in days],
            unit=unit,
        ),
    ]
    unconverted = sorted({name for day in days for name in day.unconverted})
    chart = bar_chart(
        title=_("Oral morphine equivalent per 24 h (mg)"),
        days=[day.day for day in days],
        series=series,
        stacked=True,
    )
    if unconverted:
        # Not drawn, and the chart must not look lower than what is given.
        note = _("Not counted (no conversion to morphine): %(medicines)s.") % {
            "medicines": ", ".join(unconverted)
        }
        chart = replace(chart, note=note, alt=f"{chart.alt} {note}")
    return chart


def breakthrough_chart(patient: Patient, days: list[OpioidDay] | None = None) -> Chart:
    """Breakthrough (as-needed opioid) doses given per day, with the count at
    which the physician is asked to review the regular dose as a dashed line."""
    days = days if days is not None else queries.opioid_days(patient)
    review = settings.HEARTH_BREAKTHROUGH_REVIEW_COUNT
    return bar_chart(
        title=_("Breakthrough doses per day"),
        days=[day.day for day in days],
        series=[
            Series(
                _("Doses given"),
                [Point(day.day, float(day.breakthrough_doses)) for day in days],
            )
        ],
        reference=Reference(
            review,
            _(
                "Dashed line: %(count)s or more breakthrough doses in 24 hours ask for a "
                "review of the regular dose."
            )
            % {"count": review},
        ),
    )


def opioid_group(patient: Patient, days: list[OpioidDay] | None = None) -> ChartGroup:
    """Both opioid charts under one heading, side by side where there is room."""
    days = days if days is not None else queries.opioid_days(patient)
    return ChartGroup(
        title=ngettext("Opioids, last %(days)s day", "Opioids, last %(days)s days", len(days))
        % {"days": len(days)},
        charts=[ome_chart(patient, days), breakthrough_chart(patient, days)],
    )
