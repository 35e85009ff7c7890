"""Trend charts for the symptom page, the record and the family's check-ins,
drawn by ``hearth.core.charts`` (small SVG images with a text alternative and
a table of their numbers).

ESAS-r is drawn as small multiples: one small chart per symptom on the same
0–10 scale, because nine lines on one chart could not be told apart (issue 20;
hazard U31). A missing answer is a gap, never a zero (U32).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse
from hearth.core import clock
from hearth.core.charts import Chart, ChartGroup, Point, Reference, Series, line_chart
from hearth.monitoring.codes import CODES
from hearth.monitoring.evaluation import Thresholds
from hearth.monitoring.models import Observation
from hearth.patients.models import Patient

#: The home readings drawn, each on its own small chart with its own scale.
VITAL_SIGNS = ("spo2", "pulse", "respiratory_rate", "temperature", "systolic_bp")


def _esas_level_note(limits: Thresholds, level: int) -> str:
    if limits.personal:
        return _(
            "Dashed line: an alert is raised at %(level)s or more (this person's level, "
            "set by a physician)."
        ) % {"level": level}
    return _(
        "Dashed line: an alert is raised at %(level)s or more (the service's default level)."
    ) % {"level": level}


def esas_charts(
    patient: Patient,
    *,
    days: int = 14,
    limits: Thresholds | None = None,
    for_family: bool = False,
) -> ChartGroup:
    """One small chart per ESAS-r symptom, oldest answer first. ``limits``
    draws each symptom's alert level. ``for_family``: the answers sent from
    home only, as listed on the same page (the family sees nothing more), in
    words without the instrument's name; the family's page passes no limits."""
    until = clock.now()
    since = until - timedelta(days=days)
    responses = (
        AssessmentResponse.objects.valid()
        .for_patient(patient)
        .of("esas_r")
        .filter(assessed_at__gte=since)
    )
    if for_family:
        responses = responses.filter(check_in__isnull=False)
    rows = list(responses.order_by("assessed_at", "id").values_list("assessed_at", "answers"))
    charts = []
    for item in instruments.ESAS_R.scored_items:
        # Every response is a point: an item left blank is ``None``, a gap.
        points = [Point(moment, _answer(answers, item.key)) for moment, answers in rows]
        reference = None
        if limits is not None:
            level = limits.item_threshold(item.key)
            reference = Reference(level, _esas_level_note(limits, level))
        charts.append(
            line_chart(
                title=str(item.label),
                series=[Series(str(item.label), points, unit="/10")],
                since=since,
                until=until,
                minimum=0,
                maximum=10,
                ticks=(0, 5, 10),
                reference=reference,
                empty=_("Not answered in this period."),
            )
        )
    if for_family:
        title = ngettext(
            "How the symptoms have been, last %(days)s day (0 best, 10 worst)",
            "How the symptoms have been, last %(days)s days (0 best, 10 worst)",
            days,
        )
    else:
        title = ngettext(
            "ESAS-r symptoms, last %(days)s day (0 best, 10 worst)",
            "ESAS-r symptoms, last %(days)s days (0 best, 10 worst)",
            days,
        )
    return ChartGroup(
        title=title % {"days": days},
        charts=charts,
        intro=_("A break in a line is a day without an answer, not a score of 0."),
        empty=_("No ESAS-r answers in this period."),
        missing_format=_("Not answered in this period: %(names)s."),
    )


def _answer(answers: dict[str, Any], key: str) -> float | None:
    value = answers.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def function_chart(patient: Patient, *, days: int = 60) -> Chart:
    """PPS and AKPS (both 0–100 %) on one scale, each line labelled; the
    title names only the scales that have values (issue 20: the old title
    promised AKPS while only PPS was drawn)."""
    until = clock.now()
    since = until - timedelta(days=days)
    series = []
    for code, label in (("pps", "PPS"), ("akps", "AKPS")):
        points = [
            Point(moment, float(total) if total is not None else None)
            for moment, total in AssessmentResponse.objects.valid()
            .for_patient(patient)
            .of(code)
            .filter(assessed_at__gte=since)
            .order_by("assessed_at", "id")
            .values_list("assessed_at", "total")
        ]
        if any(point.value is not None for point in points):
            series.append(Series(label, points, unit="%"))
    names = [one.label for one in series]
    if names == ["PPS"]:
        title = _("Performance: PPS (%)")
    elif names == ["AKPS"]:
        title = _("Performance: AKPS (%)")
    else:
        title = _("Performance: PPS and AKPS (%)")
    return line_chart(
        title=title,
        series=series,
        since=since,
        until=until,
        minimum=0,
        maximum=100,
        ticks=(0, 50, 100),
        # Assessed at visits, days apart: the line joins them.
        gap_days=None,
    )


def function_group(patient: Patient, *, days: int = 60) -> ChartGroup:
    return ChartGroup(
        title=ngettext("Function, last %(days)s day", "Function, last %(days)s days", days)
        % {"days": days},
        charts=[function_chart(patient, days=days)],
    )


def vitals_charts(patient: Patient, *, days: int = 7) -> ChartGroup:
    """One small chart per kind of home reading, each on its own scale and
    unit. The readings are read as before (issue 21 reworks this query)."""
    until = clock.now()
    since = until - timedelta(days=days)
    readings: dict[str, list[Point]] = defaultdict(list)
    for code, moment, value in (
        Observation.objects.filter(
            patient=patient, observed_at__gte=since, code__in=list(VITAL_SIGNS)
        )
        .order_by("observed_at")
        .values_list("code", "observed_at", "value")[:5000]
    ):
        readings[code].append(Point(moment, value))
    charts = []
    for code in VITAL_SIGNS:
        if not readings.get(code):
            continue
        spec = CODES[code]
        title = _("%(reading)s (%(unit)s)") % {"reading": spec.label, "unit": spec.shown_unit}
        charts.append(
            line_chart(
                title=title,
                series=[Series(str(spec.label), readings[code], unit=spec.shown_unit)],
                since=since,
                until=until,
            )
        )
    return ChartGroup(
        title=ngettext(
            "Home readings, last %(days)s day", "Home readings, last %(days)s days", days
        )
        % {"days": days},
        charts=charts,
        empty=_("No home readings in this period."),
    )
