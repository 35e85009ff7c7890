"""NEWS2 scoring checked row by row against the chart in docs/clinical-reference.md
(Royal College of Physicians 2017)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.monitoring import news2
from hearth.monitoring.news2 import PARAMETERS, News2, band_for, score

# A calm set of observations that scores 0 everywhere.
NORMAL: dict[str, Any] = {
    "respiratory_rate": 16,
    "spo2": 97,
    "on_oxygen": False,
    "systolic_bp": 120,
    "pulse": 70,
    "consciousness": True,
    "temperature": 37.0,
}


def observations(**changes: Any) -> dict[str, Any]:
    return NORMAL | changes


# --- Reference tables, transcribed from docs/clinical-reference.md (inclusive integer ranges) ---

RESPIRATION_TABLE = [(None, 8, 3), (9, 11, 1), (12, 20, 0), (21, 24, 2), (25, None, 3)]
SPO2_SCALE_1_TABLE = [(None, 91, 3), (92, 93, 2), (94, 95, 1), (96, None, 0)]
SYSTOLIC_TABLE = [(None, 90, 3), (91, 100, 2), (101, 110, 1), (111, 219, 0), (220, None, 3)]
PULSE_TABLE = [
    (None, 40, 3),
    (41, 50, 1),
    (51, 90, 0),
    (91, 110, 1),
    (111, 130, 2),
    (131, None, 3),
]
# Temperature in tenths of a degree.
TEMPERATURE_TABLE = [(None, 350, 3), (351, 360, 1), (361, 380, 0), (381, 390, 1), (391, None, 2)]


def from_table(table: list[tuple[int | None, int | None, int]], value: int) -> int:
    for low, high, points in table:
        if (low is None or value >= low) and (high is None or value <= high):
            return points
    raise AssertionError(f"{value} is in no row")


def spo2_scale_2_reference(value: int, on_oxygen: bool) -> int:
    if value <= 83:
        return 3
    if value <= 85:
        return 2
    if value <= 87:
        return 1
    if value <= 92 or not on_oxygen:
        return 0
    if value <= 94:
        return 1
    if value <= 96:
        return 2
    return 3


def band_reference(total: int, points: dict[str, int]) -> str:
    if total >= 7:
        return "high"
    if total >= 5:
        return "medium"
    if 3 in points.values():
        return "low_medium"
    return "low"


# --- Respiration rate -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "points"),
    [
        (0, 3),
        (5, 3),
        (8, 3),
        (9, 1),
        (10, 1),
        (11, 1),
        (12, 0),
        (16, 0),
        (20, 0),
        (21, 2),
        (24, 2),
        (25, 3),
        (40, 3),
    ],
)
def test_it_scores_respiration_rate_at_every_boundary(rate: int, points: int) -> None:
    assert news2.respiratory_rate(rate) == points
    assert score(observations(respiratory_rate=rate)).points["respiratory_rate"] == points


def test_it_scores_every_whole_respiration_rate_as_the_table_does() -> None:
    for rate in range(0, 80):
        assert news2.respiratory_rate(rate) == from_table(RESPIRATION_TABLE, rate), rate


# --- SpO2 scale 1 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("saturation", "points"),
    [(70, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)],
)
def test_it_scores_spo2_scale_1_at_every_boundary(saturation: int, points: int) -> None:
    assert news2.spo2_scale_1(saturation) == points
    result = score(observations(spo2=saturation))
    assert result.points["spo2"] == points


@pytest.mark.parametrize("on_oxygen", [False, True])
def test_it_scores_spo2_scale_1_the_same_on_air_or_oxygen(on_oxygen: bool) -> None:
    for saturation in range(50, 101):
        result = score(observations(spo2=saturation, on_oxygen=on_oxygen))
        assert result.points["spo2"] == from_table(SPO2_SCALE_1_TABLE, saturation)


def test_it_uses_scale_1_by_default() -> None:
    # 88% scores 3 on scale 1 but 0 on scale 2.
    assert score(observations(spo2=88)).points["spo2"] == 3


# --- SpO2 scale 2 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("saturation", "on_oxygen", "points"),
    [
        (70, False, 3),
        (83, False, 3),
        (83, True, 3),
        (84, False, 2),
        (85, True, 2),
        (86, False, 1),
        (87, True, 1),
        (88, False, 0),
        (88, True, 0),
        (90, True, 0),
        (92, False, 0),
        (92, True, 0),
        # >= 93 on air scores 0.
        (93, False, 0),
        (95, False, 0),
        (97, False, 0),
        (100, False, 0),
        # On oxygen: 93-94 -> 1, 95-96 -> 2, >= 97 -> 3.
        (93, True, 1),
        (94, True, 1),
        (95, True, 2),
        (96, True, 2),
        (97, True, 3),
        (100, True, 3),
    ],
)
def test_it_scores_spo2_scale_2_at_every_boundary(
    saturation: int, on_oxygen: bool, points: int
) -> None:
    assert news2.spo2_scale_2(saturation, on_oxygen) == points
    result = score(observations(spo2=saturation, on_oxygen=on_oxygen), spo2_scale=2)
    assert result.points["spo2"] == points


@pytest.mark.parametrize("on_oxygen", [False, True])
def test_it_scores_every_whole_saturation_on_scale_2_as_the_table_does(on_oxygen: bool) -> None:
    for saturation in range(50, 101):
        expected = spo2_scale_2_reference(saturation, on_oxygen)
        assert news2.spo2_scale_2(saturation, on_oxygen) == expected, (saturation, on_oxygen)


def test_it_adds_the_oxygen_points_on_scale_2_as_well() -> None:
    result = score(observations(spo2=97, on_oxygen=True), spo2_scale=2)
    assert result.points["spo2"] == 3
    assert result.points["on_oxygen"] == 2
    assert result.total == 5


def test_it_scores_scale_2_as_on_air_when_oxygen_is_not_recorded() -> None:
    values = observations(spo2=97)
    del values["on_oxygen"]
    result = score(values, spo2_scale=2)
    assert result.points["spo2"] == 0
    assert "on_oxygen" in result.missing
    assert result.partial is True


# --- Air or oxygen --------------------------------------------------------------


@pytest.mark.parametrize(("on_oxygen", "points"), [(True, 2), (False, 0)])
def test_it_scores_air_or_oxygen(on_oxygen: bool, points: int) -> None:
    assert news2.air_or_oxygen(on_oxygen) == points
    result = score(observations(on_oxygen=on_oxygen))
    assert result.points["on_oxygen"] == points
    assert result.total == points


# --- Systolic blood pressure ----------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "points"),
    [
        (60, 3),
        (90, 3),
        (91, 2),
        (100, 2),
        (101, 1),
        (110, 1),
        (111, 0),
        (150, 0),
        (219, 0),
        (220, 3),
        (260, 3),
    ],
)
def test_it_scores_systolic_pressure_at_every_boundary(systolic: int, points: int) -> None:
    assert news2.systolic_bp(systolic) == points
    assert score(observations(systolic_bp=systolic)).points["systolic_bp"] == points


def test_it_scores_every_whole_systolic_pressure_as_the_table_does() -> None:
    for systolic in range(30, 320):
        assert news2.systolic_bp(systolic) == from_table(SYSTOLIC_TABLE, systolic), systolic


# --- Pulse ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "points"),
    [
        (30, 3),
        (40, 3),
        (41, 1),
        (50, 1),
        (51, 0),
        (90, 0),
        (91, 1),
        (110, 1),
        (111, 2),
        (130, 2),
        (131, 3),
        (180, 3),
    ],
)
def test_it_scores_pulse_at_every_boundary(rate: int, points: int) -> None:
    assert news2.pulse(rate) == points
    assert score(observations(pulse=rate)).points["pulse"] == points


def test_it_scores_every_whole_pulse_as_the_table_does() -> None:
    for rate in range(0, 260):
        assert news2.pulse(rate) == from_table(PULSE_TABLE, rate), rate


# --- Consciousness --------------------------------------------------------------


@pytest.mark.parametrize(("alert", "points"), [(True, 0), (False, 3)])
def test_it_scores_consciousness(alert: bool, points: int) -> None:
    assert news2.consciousness(alert) == points
    result = score(observations(consciousness=alert))
    assert result.points["consciousness"] == points


def test_it_puts_new_confusion_alone_in_the_low_medium_band() -> None:
    result = score(observations(consciousness=False))
    assert result.total == 3
    assert result.band == "low_medium"


# --- Temperature ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("celsius", "points"),
    [
        (33.0, 3),
        (35.0, 3),
        (35.1, 1),
        (35.5, 1),
        (36.0, 1),
        (36.1, 0),
        (37.0, 0),
        (38.0, 0),
        (38.1, 1),
        (39.0, 1),
        (39.1, 2),
        (41.0, 2),
    ],
)
def test_it_scores_temperature_at_every_boundary(celsius: float, points: int) -> None:
    assert news2.temperature(celsius) == points
    assert score(observations(temperature=celsius)).points["temperature"] == points


def test_it_scores_every_tenth_of_a_degree_as_the_table_does() -> None:
    for tenths in range(300, 440):
        celsius = tenths / 10
        assert news2.temperature(celsius) == from_table(TEMPERATURE_TABLE, tenths), celsius


# --- Aggregate and bands --------------------------------------------------------


def test_it_scores_normal_observations_as_zero_and_low() -> None:
    result = score(NORMAL)
    assert result == News2(total=0, points=dict.fromkeys(PARAMETERS, 0), missing=(), band="low")
    assert result.partial is False


@pytest.mark.parametrize(
    ("changes", "total", "band"),
    [
        ({}, 0, "low"),
        ({"pulse": 95}, 1, "low"),
        ({"respiratory_rate": 22}, 2, "low"),
        ({"respiratory_rate": 22, "pulse": 95, "temperature": 38.5}, 4, "low"),
        ({"respiratory_rate": 25}, 3, "low_medium"),
        ({"systolic_bp": 90}, 3, "low_medium"),
        ({"respiratory_rate": 25, "pulse": 95}, 4, "low_medium"),
        # Five or more is medium, whether or not a single parameter scored 3.
        ({"respiratory_rate": 25, "pulse": 115}, 5, "medium"),
        ({"respiratory_rate": 22, "pulse": 115, "temperature": 38.5}, 5, "medium"),
        ({"respiratory_rate": 22, "pulse": 115, "on_oxygen": True}, 6, "medium"),
        ({"respiratory_rate": 25, "spo2": 94, "on_oxygen": True}, 6, "medium"),
        ({"respiratory_rate": 25, "pulse": 115, "temperature": 38.5, "spo2": 95}, 7, "high"),
        ({"respiratory_rate": 22, "pulse": 115, "on_oxygen": True, "spo2": 95}, 7, "high"),
        (
            {
                "respiratory_rate": 30,
                "spo2": 85,
                "on_oxygen": True,
                "systolic_bp": 80,
                "pulse": 140,
                "consciousness": False,
                "temperature": 34.0,
            },
            20,
            "high",
        ),
    ],
)
def test_it_bands_the_aggregate(changes: dict[str, Any], total: int, band: str) -> None:
    result = score(observations(**changes))
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize(
    ("total", "points", "band"),
    [
        (0, {}, "low"),
        (4, {"pulse": 2, "respiratory_rate": 2}, "low"),
        (3, {"pulse": 3}, "low_medium"),
        (4, {"pulse": 3, "temperature": 1}, "low_medium"),
        (5, {"pulse": 3, "temperature": 2}, "medium"),
        (6, {"pulse": 2, "temperature": 2, "on_oxygen": 2}, "medium"),
        (7, {"pulse": 3, "temperature": 2, "on_oxygen": 2}, "high"),
        (20, {"pulse": 3}, "high"),
    ],
)
def test_it_picks_the_band_from_total_and_points(
    total: int, points: dict[str, int], band: str
) -> None:
    assert band_for(total, points) == band


def test_it_scores_the_worst_possible_observations_as_20() -> None:
    result = score(
        {
            "respiratory_rate": 6,
            "spo2": 80,
            "on_oxygen": True,
            "systolic_bp": 230,
            "pulse": 35,
            "consciousness": False,
            "temperature": 35.0,
        }
    )
    assert result.total == 20
    assert result.band == "high"
    assert result.missing == ()


# --- Missing parameters ---------------------------------------------------------


def test_it_reports_every_parameter_missing_from_an_empty_reading() -> None:
    result = score({})
    assert result.total == 0
    assert result.points == {}
    assert result.missing == PARAMETERS
    assert result.partial is True
    assert result.band == "low"


@pytest.mark.parametrize("parameter", PARAMETERS)
@pytest.mark.parametrize("blank", ["absent", "none"])
def test_it_reports_a_missing_parameter_rather_than_scoring_it(parameter: str, blank: str) -> None:
    values = observations()
    if blank == "absent":
        del values[parameter]
    else:
        values[parameter] = None
    result = score(values)
    assert result.missing == (parameter,)
    assert parameter not in result.points
    assert result.partial is True


def test_it_scores_what_was_measured_and_lists_the_rest_in_chart_order() -> None:
    result = score({"temperature": 39.5, "pulse": 120})
    assert result.points == {"pulse": 2, "temperature": 2}
    assert result.total == 4
    assert result.missing == (
        "respiratory_rate",
        "spo2",
        "on_oxygen",
        "systolic_bp",
        "consciousness",
    )


def test_it_scores_zero_readings_as_measured_not_missing() -> None:
    result = score({"respiratory_rate": 0, "pulse": 0})
    assert result.points == {"respiratory_rate": 3, "pulse": 3}
    assert "respiratory_rate" not in result.missing


# --- Properties -----------------------------------------------------------------

readings = st.fixed_dictionaries(
    {},
    optional={
        "respiratory_rate": st.none() | st.integers(0, 70),
        "spo2": st.none() | st.integers(50, 100),
        "on_oxygen": st.none() | st.booleans(),
        "systolic_bp": st.none() | st.integers(40, 300),
        "pulse": st.none() | st.integers(20, 250),
        "consciousness": st.none() | st.booleans(),
        "temperature": st.none() | st.integers(300, 440).map(lambda tenths: tenths / 10),
    },
)


@given(values=readings, spo2_scale=st.sampled_from([1, 2]))
def test_it_keeps_the_total_within_0_to_20_and_equal_to_the_points(
    values: dict[str, Any], spo2_scale: int
) -> None:
    result = score(values, spo2_scale=spo2_scale)
    assert 0 <= result.total <= 20
    assert result.total == sum(result.points.values())
    assert all(points in {0, 1, 2, 3} for points in result.points.values())
    measured = {name for name, value in values.items() if value is not None}
    assert set(result.points) == measured
    assert result.missing == tuple(name for name in PARAMETERS if name not in measured)
    assert result.partial == bool(result.missing)
    assert result.band == band_reference(result.total, result.points)


@given(values=readings, spo2_scale=st.sampled_from([1, 2]))
def test_it_scores_each_parameter_as_its_chart_row(values: dict[str, Any], spo2_scale: int) -> None:
    points = score(values, spo2_scale=spo2_scale).points
    on_oxygen = bool(values.get("on_oxygen"))
    expected: dict[str, int] = {}
    if values.get("respiratory_rate") is not None:
        expected["respiratory_rate"] = from_table(RESPIRATION_TABLE, values["respiratory_rate"])
    if values.get("spo2") is not None:
        expected["spo2"] = (
            spo2_scale_2_reference(values["spo2"], on_oxygen)
            if spo2_scale == 2
            else from_table(SPO2_SCALE_1_TABLE, values["spo2"])
        )
    if values.get("on_oxygen") is not None:
        expected["on_oxygen"] = 2 if on_oxygen else 0
    if values.get("systolic_bp") is not None:
        expected["systolic_bp"] = from_table(SYSTOLIC_TABLE, values["systolic_bp"])
    if values.get("pulse") is not None:
        expected["pulse"] = from_table(PULSE_TABLE, values["pulse"])
    if values.get("consciousness") is not None:
        expected["consciousness"] = 0 if values["consciousness"] else 3
    if values.get("temperature") is not None:
        tenths = round(values["temperature"] * 10)
        expected["temperature"] = from_table(TEMPERATURE_TABLE, tenths)
    assert points == expected


@given(total=st.integers(0, 20), has_three=st.booleans())
def test_it_bands_any_total_as_clinical_md_says(total: int, has_three: bool) -> None:
    points = {"pulse": 3} if has_three else {"pulse": 2}
    if total >= 7:
        assert band_for(total, points) == "high"
    elif total >= 5:
        assert band_for(total, points) == "medium"
    elif has_three:
        assert band_for(total, points) == "low_medium"
    else:
        assert band_for(total, points) == "low"
