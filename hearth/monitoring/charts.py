"""Trend charts for the symptom page, the record and the family's check-ins,
drawn by ``hearth.core.charts`` (small SVG images with a text alternative and
a table of their numbers).

ESAS-r is drawn as small multiples: one small chart per symptom on the same
0–10 scale, because nine lines on one chart could not be told apart (issue 20;
hazard U31). A missing answer is a gap, never a zero (U32).

Every chart reads the NEWEST rows of its period, bounded in SQL (issue 21,
hazard L15): a reader that took the first N rows oldest first ended days ago
for a device that reads every minute. Home readings are summed by the
database into one value per hour (or day), so a chart is at most a few
hundred values whatever the device's rate (L14).
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Avg, Max, Min
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone
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
#: At most this many answers drawn per chart of answers (ESAS-r, PPS/AKPS):
#: the newest, so a flood of answers cannot make the page heavy or slow.
ANSWERS_DRAWN = 200


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
    # The newest answers, bounded, then drawn oldest first.
    rows = list(
        responses.order_by("-assessed_at", "-id").values_list("assessed_at", "answers")[
            :ANSWERS_DRAWN
        ]
    )[::-1]
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
        newest = (
            AssessmentResponse.objects.valid()
            .for_patient(patient)
            .of(code)
            .filter(assessed_at__gte=since)
            .order_by("-assessed_at", "-id")
            .values_list("assessed_at", "total")[:ANSWERS_DRAWN]
        )
        points = [
            Point(moment, float(total) if total is not None else None)
            for moment, total in reversed(newest)
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


def readings_window(days: int) -> tuple[datetime, datetime, bool]:
    """The period a readings chart covers and whether it is drawn by the hour:
    whole hours (or days) of the service's time zone, the current one last, so
    a week is exactly 7 × 24 hours and no partial hour adds a value."""
    zone = timezone.get_default_timezone()
    until = clock.now()
    local_now = timezone.localtime(until, zone)
    if days <= settings.HEARTH_READINGS_HOURLY_DAYS:
        top = local_now.replace(minute=0, second=0, microsecond=0)
        since = (top.astimezone(UTC) - timedelta(hours=days * 24 - 1)).astimezone(zone)
        return since, until, True
    first_day = local_now.date() - timedelta(days=days - 1)
    return timezone.make_aware(datetime.combine(first_day, time.min), zone), until, False


def reading_buckets(
    patient: Patient, codes: Sequence[str], *, days: int
) -> tuple[dict[str, list[Point]], datetime, datetime, bool]:
    """Each kind of reading as one value per hour (or per day over longer
    periods) of the service's time zone: the average of its readings, with
    the lowest and highest. Computed by the database (TruncHour/TruncDay with
    Min/Avg/Max) over the (patient, code, time) index, newest first and
    bounded, so the chart always reaches the latest hour whatever the
    device's rate (issue 21: reading the first 5,000 rows made a chart that
    ended six days ago). An hour without readings has no value at all."""
    since, until, hourly = readings_window(days)
    most = days * 24 if hourly else days
    zone = timezone.get_default_timezone()
    bucket = (TruncHour if hourly else TruncDay)("observed_at", tzinfo=zone)
    rows = (
        Observation.objects.filter(
            patient=patient, code__in=list(codes), observed_at__gte=since, observed_at__lte=until
        )
        .annotate(bucket=bucket)
        .values("code", "bucket")
        .annotate(low=Min("value"), mean=Avg("value"), high=Max("value"))
        .order_by("code", "-bucket")
        .values_list("code", "bucket", "low", "mean", "high")[: most * len(codes)]
    )
    newest_first: dict[str, list[Point]] = defaultdict(list)
    for code, moment, low, mean, high in rows:
        if len(newest_first[code]) < most:
            at = timezone.localtime(moment, zone)
            newest_first[code].append(
                Point(at if hourly else at.date(), float(mean), low=low, high=high)
            )
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    return (
        {code: _with_gaps(points[::-1], step) for code, points in newest_first.items()},
        since,
        until,
        hourly,
    )


def _timestamp(moment: Any) -> float:
    if isinstance(moment, datetime):
        return moment.timestamp()
    return float(moment.toordinal() * 86400)


def _with_gaps(points: list[Point], step: timedelta) -> list[Point]:
    """A break (a ``None``) where values are missing, so the line never joins
    across them: for a device that reads every hour or more often (most
    values one step apart), at every missing hour (day); for readings taken
    a few times a day, where a whole day passed without one. A missing hour
    is never drawn as a zero (hazard L14)."""
    if len(points) < 2:
        return points
    gaps = [_timestamp(b.at) - _timestamp(a.at) for a, b in itertools.pairwise(points)]
    seconds = step.total_seconds()
    # Half a step of slack: a day is 23 or 25 hours when the clocks change.
    continuous = statistics.median(gaps) <= seconds * 1.5
    longest = seconds * 1.5 if continuous else (86400 * 1.5 if seconds < 86400 else None)
    result = [points[0]]
    for gap, point in zip(gaps, points[1:], strict=True):
        if longest is not None and gap > longest:
            result.append(Point(point.at, None))
        result.append(point)
    return result


def vitals_charts(patient: Patient, *, days: int | None = None) -> ChartGroup:
    """One small chart per kind of home reading, each on its own scale and
    unit: the average of each hour as the line, the lowest–highest as a pale
    band behind it (by day for periods longer than
    ``HEARTH_READINGS_HOURLY_DAYS``)."""
    wanted = days if days is not None else settings.HEARTH_READINGS_CHART_DAYS
    days = max(1, min(int(wanted), settings.HEARTH_READINGS_LONGEST_DAYS))
    readings, since, until, hourly = reading_buckets(patient, VITAL_SIGNS, days=days)
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
                # The breaks are already in the values (``_with_gaps``).
                gap_days=None,
            )
        )
    return ChartGroup(
        title=ngettext(
            "Home readings, last %(days)s day", "Home readings, last %(days)s days", days
        )
        % {"days": days},
        charts=charts,
        intro=(
            _(
                "Each value is one hour's readings: the line is their average, the pale band "
                "their lowest and highest. A break in the line is a time without readings."
            )
            if hourly
            else _(
                "Each value is one day's readings: the line is their average, the pale band "
                "their lowest and highest. A break in the line is a time without readings."
            )
        ),
        empty=_("No home readings in this period."),
    )
