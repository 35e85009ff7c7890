"""Home-reading charts computed by the database (issue 21, hazards L14–L15):
a device that reads every minute still shows today's values, as one value per
hour (average, with the lowest and highest), at most 7 × 24 per chart; an hour
without readings stays a gap; hours and days are the service's."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.utils import timezone

from hearth.conftest import World
from hearth.core import charts as kit
from hearth.core import clock
from hearth.monitoring import charts, services
from hearth.monitoring.models import MonitoringDevice, Observation

#: A fixed "now" in the middle of an hour, so the test does not depend on when it runs.
NOW = datetime(2025, 3, 12, 14, 30, tzinfo=ZoneInfo("Europe/London"))


def _device(world: World) -> MonitoringDevice:
    device, _token = services.register_device(
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )
    return device


def _every_minute(
    world: World,
    device: MonitoringDevice,
    code: str,
    *,
    days: int = 7,
    skip: tuple[datetime, datetime] | None = None,
    value: Any = None,
) -> int:
    """A reading every minute for ``days`` up to now, in bulk (real rows)."""
    now = clock.now()
    rows = []
    for minute in range(days * 24 * 60):
        moment = now - timedelta(minutes=minute)
        if skip and skip[0] <= moment < skip[1]:
            continue
        reading = value(moment) if value else 90 + minute % 7
        rows.append(
            Observation(
                patient=world.patient,
                device=device,
                code=code,
                value=reading,
                unit="%" if code == "spo2" else "/min",
                observed_at=moment,
                received_at=moment,
            )
        )
    Observation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def test_a_minute_by_minute_device_shows_todays_values(active: World) -> None:
    with clock.travel_to(NOW):
        stored = _every_minute(active, _device(active), "spo2")
        assert stored == 7 * 24 * 60
        (spo2,) = charts.vitals_charts(active.patient).charts
        points = spo2.series[0].points
    # One value per hour, never more than a week of hours, the newest this hour.
    assert len(points) <= 7 * 24
    assert all(point.ranged for point in points)
    newest = points[-1]
    assert timezone.localtime(newest.at).replace(minute=30) == NOW
    assert spo2.rows[0].when == kit.when(NOW.replace(minute=0))
    # This hour: the readings from 14:00 to 14:30 (90 + minute % 7).
    assert newest.low == 90 and newest.high == 96
    assert spo2.rows[0].values[1] == "90–96%"
    assert f"on {kit.when(NOW.replace(minute=0))}" in spo2.alt
    # The lowest and highest said are readings, not averages.
    assert "lowest 90%, highest 96%" in spo2.alt


def test_an_hour_without_readings_stays_a_gap(active: World) -> None:
    with clock.travel_to(NOW):
        start = NOW.replace(minute=0) - timedelta(hours=5)
        _every_minute(
            active, _device(active), "pulse", days=1, skip=(start, start + timedelta(hours=1))
        )
        (pulse,) = charts.vitals_charts(active.patient).charts
    points = list(pulse.series[0].points)
    hours = {timezone.localtime(point.at) for point in points if point.value is not None}
    assert start not in hours
    assert start - timedelta(hours=1) in hours and start + timedelta(hours=1) in hours
    # A break, not a zero: the line stops at the missing hour.
    assert all(point.value != 0 for point in points)
    assert len(kit.runs(points, None)) == 2
    assert [row.when for row in pulse.rows].count(kit.when(start)) == 0


def test_a_long_period_is_drawn_by_the_day(active: World) -> None:
    with clock.travel_to(NOW):
        device = _device(active)
        now = clock.now()
        Observation.objects.bulk_create(
            Observation(
                patient=active.patient,
                device=device,
                code="temperature",
                value=37.0 + (day % 3) / 10,
                unit="Cel",
                observed_at=now - timedelta(days=day, hours=hour),
                received_at=now,
            )
            for day in range(120)
            for hour in (0, 6)
        )
        group = charts.vitals_charts(active.patient, days=90)
    (temperature,) = group.charts
    points = temperature.series[0].points
    assert len(points) == 90
    assert points[-1].at == NOW.date()
    assert "one day's readings" in group.intro


def test_hours_and_days_are_the_services(active: World) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: its hours are not UTC's hours
    now = datetime(2025, 3, 12, 10, 58, tzinfo=kolkata)
    with override_settings(TIME_ZONE="Asia/Kolkata"), clock.travel_to(now):
        device = _device(active)
        # 10:05 and 10:55 local are one hour here, though two hours in UTC.
        # 23:50 yesterday and 00:10 today are two days here, one day in UTC.
        moments = [
            now.replace(minute=5),
            now.replace(minute=55),
            now.replace(hour=0, minute=10),
            now.replace(hour=0, minute=10) - timedelta(minutes=20),
        ]
        Observation.objects.bulk_create(
            Observation(
                patient=active.patient,
                device=device,
                code="pulse",
                value=value,
                unit="/min",
                observed_at=moment,
                received_at=moment,
            )
            for moment, value in zip(moments, (70, 80, 60, 100), strict=True)
        )
        hourly = charts.vitals_charts(active.patient).charts[0].series[0].points
        daily = charts.vitals_charts(active.patient, days=30).charts[0].series[0].points
    answered = [point for point in hourly if point.value is not None]
    assert (answered[-1].low, answered[-1].value, answered[-1].high) == (70, 75, 80)
    assert [(point.at, point.low, point.high) for point in daily] == [
        (now.date() - timedelta(days=1), 100, 100),
        (now.date(), 60, 80),
    ]


def test_the_symptom_page_stays_small_with_a_minute_rate_device(
    active: World, client_for: Any
) -> None:
    device = _device(active)
    for code in ("spo2", "pulse"):
        _every_minute(active, device, code)
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/symptoms/")
    html = page.content.decode()
    assert page.status_code == 200
    assert len(page.content) <= 200 * 1024
    assert html.count('<img class="chart-image"') == 2
    # The table holds hours, newest first, bounded.
    assert "The latest 30 of 168." in html
    assert "the pale band their lowest and highest" in html


def test_a_chart_without_an_alert_level_draws_no_dashed_level(active: World) -> None:
    with clock.travel_to(NOW):
        _every_minute(active, _device(active), "spo2", days=1)
        (spo2,) = charts.vitals_charts(active.patient).charts
    svg = _svg(spo2)
    # pygal would make 90 a "major" value, drawn dashed in the alert colour.
    assert 'class="major guide line"' not in svg
    assert spo2.note == ""


def _svg(chart: kit.Chart) -> str:
    import base64

    (encoded,) = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', str(chart.image))
    return base64.b64decode(encoded).decode()


def _svg_of(image: str) -> str:
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', str(image))
    assert encoded is not None
    return base64.b64decode(encoded.group(1)).decode("utf-8")


def test_a_dense_line_is_drawn_without_a_dot_per_value_but_keeps_its_latest_number(
    active: World,
) -> None:
    """A week of hourly values is one line with no dot per value (pygal's
    dots were a third of the symptoms page's time), yet the latest value is
    still written at the end of the line, a lone value between two gaps still
    shows as a dot, and the legend has no extra entry."""
    with clock.travel_to(NOW):
        start = NOW.replace(minute=0) - timedelta(hours=30)
        # An hour alone between two gaps, in a week of readings every minute.
        _every_minute(
            active,
            _device(active),
            "spo2",
            skip=(start - timedelta(hours=1), start),
        )
        Observation.objects.filter(
            observed_at__gte=start + timedelta(hours=1),
            observed_at__lt=start + timedelta(hours=2),
        ).delete()
        (spo2,) = charts.vitals_charts(active.patient).charts
    points = [point for point in spo2.series[0].points if point.value is not None]
    assert len(points) > kit.DOTS_UP_TO
    assert len([run for run in kit.runs(spo2.series[0].points, None) if len(run) == 1]) == 1
    svg = _svg_of(spo2.image)
    dots = re.findall(r"<circle[^>]*\sr=\"([0-9.]+)\"", svg)
    assert len(dots) == 1 and float(dots[0]) > 0
    latest = kit.number(points[-1].value)
    assert re.search(rf">{re.escape(latest)}<", svg)
