"""Charts people can read (issue 20): ESAS-r as one small chart per symptom,
titles that match what is drawn, a table of the numbers newest first, a text
alternative naming the latest value, and a missing answer drawn as a gap,
never as a zero."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from typing import Any

from django.utils import translation

from hearth.assessments import instruments
from hearth.assessments import services as assessments
from hearth.conftest import World
from hearth.core import charts as kit
from hearth.core import clock
from hearth.monitoring import charts, evaluation, services


def _check_in(world: World, days_ago: float, esas: dict[str, Any]) -> None:
    with clock.travel_to(clock.now() - timedelta(days=days_ago)):
        services.record_check_in(actor=world.family, patient=world.patient, esas=esas)


def _svg(chart: kit.Chart) -> str:
    (encoded,) = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', str(chart.image))
    return base64.b64decode(encoded).decode()


def _drawn_values(svg: str) -> list[float]:
    """The y positions of the dots (circles) drawn on a chart."""
    return [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]


def _lines(svg: str) -> int:
    """How many stretches of line are drawn (pygal: one path per stretch)."""
    return len(re.findall(r'<path d="M[^"]* L[^"]*" class="line reactive', svg))


def test_it_draws_one_small_chart_per_esas_symptom_titled_by_its_symptom(active: World) -> None:
    _check_in(active, 2, {"pain": 3, "nausea": 1})
    _check_in(active, 1, {"pain": 6, "nausea": 2})
    group = charts.esas_charts(active.patient)
    labels = [str(item.label) for item in instruments.ESAS_R.scored_items]
    assert [chart.title for chart in group.charts] == labels
    for chart in group.charts:
        # One series per chart, named as the chart is titled.
        assert [series.label for series in chart.series] == [chart.title]
    drawn = {chart.title: bool(chart.image) for chart in group.charts}
    assert drawn["Pain"] and drawn["Nausea"]
    assert not drawn["Shortness of breath"]
    breath = next(chart for chart in group.charts if chart.title == "Shortness of breath")
    assert breath.empty == "Not answered in this period."


def test_the_table_holds_the_numbers_newest_first_and_the_alt_names_the_latest(
    active: World,
) -> None:
    for days_ago, pain in ((3, 2), (2, 4), (1, 6)):
        _check_in(active, days_ago, {"pain": pain})
    pain = charts.esas_charts(active.patient).charts[0]
    assert pain.columns == ("Pain",)
    assert [row.values for row in pain.rows] == [("6/10",), ("4/10",), ("2/10",)]
    assert pain.total_rows == 3 and pain.more_rows == 0
    assert "Latest 6/10 on" in pain.alt and "before that 4/10" in pain.alt
    assert "lowest 2/10, highest 6/10" in pain.alt
    assert f'alt="{pain.alt}"' in str(pain.image)


def test_a_missing_answer_is_a_gap_not_a_zero(active: World) -> None:
    _check_in(active, 3, {"pain": 5, "nausea": 4})
    _check_in(active, 2, {"nausea": 4})  # pain left blank
    _check_in(active, 1, {"pain": 5, "nausea": 4})
    pain = charts.esas_charts(active.patient).charts[0]
    svg = _svg(pain)
    # Two dots, both at 5 (the same height); nothing drawn at 0.
    heights = _drawn_values(svg)
    assert len(heights) == 2 and heights[0] == heights[1]
    # The blank breaks the line: two lone dots, no line joining them.
    assert _lines(svg) == 0
    assert [row.values for row in pain.rows] == [("5/10",), ("5/10",)]
    assert "0/10" not in pain.alt


def test_a_whole_day_without_an_answer_breaks_the_line(active: World) -> None:
    for days_ago in (6, 5, 2, 1):
        _check_in(active, days_ago, {"pain": 4})
    pain = charts.esas_charts(active.patient).charts[0]
    assert _lines(_svg(pain)) == 2
    points = list(pain.series[0].points)
    assert [len(run) for run in kit.runs(points, 1)] == [2, 2]


def test_the_alert_level_is_drawn_and_said(active: World) -> None:
    services.set_thresholds(
        actor=active.physician,
        patient=active.patient,
        changes={"esas_item_overrides": {"pain": 5}},
        reason="Pain is the main concern.",
    )
    _check_in(active, 1, {"pain": 3})
    group = charts.esas_charts(active.patient, limits=evaluation.thresholds_for(active.patient))
    pain, tiredness = group.charts[0], group.charts[1]
    assert "an alert is raised at 5 or more" in pain.note
    assert "this person's level" in pain.note
    assert pain.note in pain.alt
    # Drawn as the y axis's one "major" guide at the level, dashed.
    svg = _svg(pain)
    assert svg.count('class="major guide line"') == 1
    assert "stroke-dasharray:6 4" in svg
    # Nothing drawn for tiredness, so no line and no note either.
    assert not tiredness.image and not tiredness.note


def test_the_family_chart_draws_only_what_was_sent_from_home_without_alert_levels(
    active: World,
) -> None:
    _check_in(active, 1, {"pain": 4})
    assessments.record_assessment(
        actor=active.nurse,
        patient=active.patient,
        instrument="esas_r",
        answers={"pain": 8},
    )
    staff = charts.esas_charts(active.patient).charts[0]
    family = charts.esas_charts(active.patient, for_family=True).charts[0]
    assert staff.total_rows == 2
    assert [row.values for row in family.rows] == [("4/10",)]
    assert family.note == ""


def test_the_function_chart_is_titled_by_the_scales_it_draws(active: World) -> None:
    assert charts.function_chart(active.patient).image == ""
    assessments.record_assessment(
        actor=active.nurse, patient=active.patient, instrument="pps", answers={"level": 50}
    )
    only_pps = charts.function_chart(active.patient)
    assert only_pps.title == "Performance: PPS (%)"
    assert only_pps.columns == ("PPS",)
    assessments.record_assessment(
        actor=active.nurse, patient=active.patient, instrument="akps", answers={"level": 60}
    )
    both = charts.function_chart(active.patient)
    assert both.title == "Performance: PPS and AKPS (%)"
    assert both.columns == ("PPS", "AKPS")
    assert "PPS: one value, 50%" in both.alt and "AKPS: one value, 60%" in both.alt
    svg = _svg(both)
    # Told apart by more than colour: a dashed line or square markers, and a legend.
    assert "<circle" in svg and "<rect x=" in svg and ">AKPS</text>" in svg
    assert ".serie-1{stroke-width:2.5;stroke-linejoin:round;stroke-dasharray:7 4}" in svg


def test_home_readings_get_a_chart_each_with_units_a_person_reads(active: World) -> None:
    device, _token = services.register_device(
        actor=active.nurse, patient=active.patient, kind="thermometer", label="Thermometer"
    )
    moments = [clock.now() - timedelta(hours=hours) for hours in (5, 3, 1)]
    services.ingest_readings(
        device=device,
        readings=[
            {"code": "temperature", "value": value, "unit": "Cel", "observed_at": m.isoformat()}
            for m, value in zip(moments, (37.1, 37.8, 38.2), strict=True)
        ],
    )
    group = charts.vitals_charts(active.patient)
    (temperature,) = group.charts
    assert temperature.title == "Temperature (°C)"
    assert temperature.columns == ("Temperature, average", "Lowest–highest")
    assert temperature.rows[0].values == ("38.2 °C", "38.2 °C")
    assert "Cel" not in temperature.alt and "Latest 38.2 °C" in temperature.alt


def test_numbers_and_days_are_written_in_the_readers_language(active: World) -> None:
    _check_in(active, 1, {"pain": 6})
    with translation.override("ru"):
        pain = charts.esas_charts(active.patient).charts[0]
        month = kit.long_day(clock.now() - timedelta(days=1)).split()[1]
    assert month in pain.rows[0].when
    assert kit.number(38.25) == "38.2" and kit.number(7.0) == "7"
    with translation.override("ru"):
        assert kit.number(38.25) == "38,2"


def test_long_series_are_bounded_in_the_table() -> None:
    start = clock.now() - timedelta(days=2)
    points = [kit.Point(start + timedelta(minutes=10 * n), 90 + n % 5) for n in range(100)]
    chart = kit.line_chart(
        title="SpO2",
        series=[kit.Series("SpO2", points, unit="%")],
        since=start,
        until=clock.now(),
    )
    assert len(chart.rows) == kit.TABLE_ROWS and chart.more_rows == 100 - kit.TABLE_ROWS
    assert chart.rows[0].when == kit.when(points[-1].at)


def test_the_symptom_page_shows_the_charts_with_their_numbers(
    active: World, client_for: Any
) -> None:
    for days, pain in ((3, 2), (2, 4), (1, 6)):
        _check_in(active, days, {"pain": pain, "nausea": 1})
    assessments.record_assessment(
        actor=active.nurse, patient=active.patient, instrument="pps", answers={"level": 50}
    )
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/symptoms/")
    html = page.content.decode()
    assert page.status_code == 200
    images = re.findall(r'<img class="chart-image" src="data:image/svg\+xml;base64,', html)
    # Pain, nausea and PPS drawn; the other seven symptoms are named in one line.
    assert len(images) == 3 and "<svg" not in html
    assert html.count("Not answered in this period: ") == 1
    assert "Tiredness (lack of energy), Drowsiness (feeling sleepy), Lack of appetite" in html
    assert html.count("Show the numbers") == 3
    assert "No home readings in this period." in html


def test_the_family_sees_their_answers_drawn_on_the_check_ins_page(
    active: World, client_for: Any
) -> None:
    _check_in(active, 2, {"pain": 4})
    _check_in(active, 1, {"nausea": 3})
    html = client_for(active.family).get("/portal/check-ins/").content.decode()
    assert html.count('<img class="chart-image"') == 2
    assert "Show the numbers" in html
    # No alert levels on the family's page.
    assert "Dashed line" not in html


def test_the_record_draws_the_symptoms_as_small_charts(active: World, client_for: Any) -> None:
    _check_in(active, 1, {"pain": 4})
    html = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/").content.decode()
    assert html.count('<img class="chart-image"') == 1
    assert "ESAS-r symptoms, last 14 days" in html
