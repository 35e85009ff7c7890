"""Behaviour of the instrument registry and its scoring, checked against the
worked examples and ranges in docs/clinical-reference.md ("Symptom and function
instruments" and "Caregiver strain")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.assessments import instruments
from hearth.assessments.instruments import (
    AKPS,
    ESAS_R,
    MCSI,
    PAINAD,
    PPS,
    Instrument,
    caregiver_strain_cut_off,
    get,
    registry,
    score,
    validate,
)

ESAS_NINE = (
    "pain",
    "tiredness",
    "drowsiness",
    "nausea",
    "appetite",
    "shortness_of_breath",
    "depression",
    "anxiety",
    "wellbeing",
)
PHYSICAL = ("pain", "tiredness", "drowsiness", "nausea", "appetite", "shortness_of_breath")
EMOTIONAL = ("depression", "anxiety")
ALL_CODES = (
    "esas_r",
    "pps",
    "akps",
    "painad",
    "mcsi",
    "zarit12",
    "ipos_patient",
    "ipos_staff",
    "distress_thermometer",
    "abbey",
    "rass_pal",
    "4at",
    "braden",
    "vbps",
)


def zarit12() -> Instrument:
    instrument = get("zarit12")
    assert instrument is not None
    return instrument


def esas(**answers: Any) -> dict[str, Any]:
    """A complete ESAS-r answer set with every item at 0, overridden by ``answers``."""
    return {key: 0 for key in ESAS_NINE} | answers


# --- Registry -------------------------------------------------------------------


def test_it_registers_every_instrument_by_code() -> None:
    assert set(registry()) == set(ALL_CODES)
    for code in ALL_CODES:
        instrument = get(code)
        assert instrument is not None
        assert instrument.code == code


def test_it_returns_none_for_an_unknown_code() -> None:
    assert get("barthel") is None


def test_it_builds_the_registry_afresh_on_each_call() -> None:
    first, second = registry(), registry()
    assert first is not second
    assert first["esas_r"] is ESAS_R


# --- ESAS-r ---------------------------------------------------------------------


def test_it_defines_esas_r_as_nine_items_plus_optional_other_each_0_to_10() -> None:
    assert tuple(item.key for item in ESAS_R.items) == (*ESAS_NINE, "other")
    for item in ESAS_R.items:
        assert (item.minimum, item.maximum, item.step) == (0, 10, 1)
        assert item.low_anchor
        assert item.high_anchor
    assert ESAS_R.item("other").optional is True
    assert not any(ESAS_R.item(key).optional for key in ESAS_NINE)
    assert tuple(item.key for item in ESAS_R.scored_items) == ESAS_NINE


def test_it_lets_every_kind_of_respondent_complete_esas_r() -> None:
    assert set(ESAS_R.respondents) == {
        "patient",
        "family_caregiver",
        "professional",
        "caregiver_assisted",
    }


def test_it_defines_the_esas_r_subscales_from_clinical_md() -> None:
    subscales = {subscale.key: subscale.items for subscale in ESAS_R.subscales}
    assert subscales == {"physical": PHYSICAL, "emotional": EMOTIONAL}


def test_it_gives_esas_r_a_total_of_0_to_90() -> None:
    assert ESAS_R.maximum_total == 90


def test_it_scores_a_worked_esas_r_example() -> None:
    answers = {
        "pain": 6,
        "tiredness": 7,
        "drowsiness": 3,
        "nausea": 0,
        "appetite": 5,
        "shortness_of_breath": 4,
        "depression": 2,
        "anxiety": 3,
        "wellbeing": 6,
        "other": 8,
    }
    result = score(ESAS_R, answers)
    # 6 + 7 + 3 + 0 + 5 + 4 + 2 + 3 + 6; "other" (8) is not counted.
    assert result.total == 36
    assert result.subscales == {"physical": 25, "emotional": 5}
    assert result.partial is False
    assert result.missing == ()
    assert result.item_bands == {
        "pain": "moderate",
        "tiredness": "severe",
        "drowsiness": "mild",
        "nausea": "none",
        "appetite": "moderate",
        "shortness_of_breath": "moderate",
        "depression": "mild",
        "anxiety": "mild",
        "wellbeing": "moderate",
        "other": "severe",
    }
    assert result.total_band is None


def test_it_counts_wellbeing_in_the_total_but_in_neither_subscale() -> None:
    result = score(ESAS_R, esas(wellbeing=9))
    assert result.total == 9
    assert result.subscales == {"physical": 0, "emotional": 0}


def test_it_scores_all_zero_esas_r_as_zero_not_blank() -> None:
    result = score(ESAS_R, esas())
    assert result.total == 0
    assert result.subscales == {"physical": 0, "emotional": 0}
    assert result.partial is False
    assert set(result.item_bands.values()) == {"none"}


def test_it_scores_the_worst_esas_r_at_the_maxima() -> None:
    result = score(ESAS_R, {key: 10 for key in ESAS_NINE} | {"other": 10})
    assert result.total == 90
    assert result.subscales == {"physical": 60, "emotional": 20}


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (2, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (5, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (8, "severe"),
        (9, "severe"),
        (10, "severe"),
    ],
)
def test_it_bands_each_esas_r_item_at_every_boundary(value: int, band: str) -> None:
    result = score(ESAS_R, esas(pain=value, depression=value, other=value))
    assert result.item_bands["pain"] == band
    assert result.item_bands["depression"] == band
    assert result.item_bands["other"] == band


@pytest.mark.parametrize("other", [None, 0, 5, 10])
def test_it_leaves_the_optional_other_item_out_of_every_sum(other: int | None) -> None:
    answers = esas(pain=4, anxiety=2, wellbeing=3)
    if other is not None:
        answers["other"] = other
    result = score(ESAS_R, answers)
    assert result.total == 9
    assert result.subscales == {"physical": 4, "emotional": 2}


def test_it_does_not_count_a_blank_other_item_as_missing() -> None:
    result = score(ESAS_R, esas(pain=2))
    assert result.partial is False
    assert result.missing == ()
    assert "other" not in result.item_bands


@pytest.mark.parametrize("blank", ["absent", "none"])
def test_it_treats_a_blank_esas_r_item_as_missing_not_zero(blank: str) -> None:
    answers = esas(pain=6, tiredness=7, appetite=5, depression=2, anxiety=3, wellbeing=6)
    if blank == "absent":
        del answers["pain"]
    else:
        answers["pain"] = None
    result = score(ESAS_R, answers)
    assert result.partial is True
    assert result.missing == ("pain",)
    # The blank is not counted at all, and the sums that need it are still given.
    assert result.total == 23
    assert result.subscales == {"physical": 12, "emotional": 5}
    assert "pain" not in result.item_bands


def test_it_lists_every_blank_esas_r_item_in_form_order() -> None:
    result = score(ESAS_R, {"wellbeing": 4, "nausea": 1, "other": 3})
    assert result.partial is True
    assert result.missing == (
        "pain",
        "tiredness",
        "drowsiness",
        "appetite",
        "shortness_of_breath",
        "depression",
        "anxiety",
    )
    assert result.total == 5
    assert result.subscales == {"physical": 1, "emotional": None}


def test_it_gives_no_total_when_only_the_other_item_is_answered() -> None:
    result = score(ESAS_R, {"other": 7})
    assert result.total is None
    assert result.subscales == {"physical": None, "emotional": None}
    assert result.partial is True
    assert result.missing == ESAS_NINE


def test_it_gives_no_total_for_an_empty_esas_r() -> None:
    result = score(ESAS_R, {})
    assert result.total is None
    assert result.partial is True
    assert result.missing == ESAS_NINE
    assert result.item_bands == {}


def test_it_keeps_the_esas_r_minimal_important_differences() -> None:
    assert ESAS_R.extra["mcid"] == {
        "item": (1, 1),
        "physical": (3, 4),
        "emotional": (2, 1),
        "total": (3, 4),
    }


# --- PPS and AKPS ---------------------------------------------------------------


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
def test_it_defines_a_single_level_from_0_to_100_in_steps_of_10(instrument: Instrument) -> None:
    assert instrument.single_level is True
    assert instrument.higher_is_worse is False
    assert len(instrument.items) == 1
    level = instrument.items[0]
    assert (level.key, level.minimum, level.maximum, level.step) == ("level", 0, 100, 10)
    assert [value for value, _label in level.choices] == list(range(100, -1, -10))
    assert all(str(label) for _value, label in level.choices)
    assert instrument.maximum_total == 100


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
@pytest.mark.parametrize("level", range(0, 101, 10))
def test_it_accepts_and_scores_every_level(instrument: Instrument, level: int) -> None:
    assert validate(instrument, {"level": level}) == {}
    result = score(instrument, {"level": level})
    assert result.total == level
    assert result.partial is False
    assert result.missing == ()
    assert result.subscales == {}
    assert result.total_band is None


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
@pytest.mark.parametrize("level", [35, 105, -10, 5, 99, 110])
def test_it_rejects_a_level_off_the_table(instrument: Instrument, level: int) -> None:
    assert validate(instrument, {"level": level}) == {
        "level": ["Must be between 0 and 100 in steps of 10."]
    }


def test_it_scores_a_worked_pps_example() -> None:
    # Totally bed bound, total care, normal intake, drowsy: PPS 30%.
    assert validate(PPS, {"level": 30}) == {}
    assert score(PPS, {"level": 30}).total == 30
    assert "Totally bed bound" in str(dict(PPS.items[0].choices)[30])


def test_it_scores_a_worked_akps_example() -> None:
    # In bed more than half the time: AKPS 40.
    assert score(AKPS, {"level": 40}).total == 40
    assert "50%" in str(dict(AKPS.items[0].choices)[40])


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
def test_it_scores_level_zero_as_zero_not_blank(instrument: Instrument) -> None:
    result = score(instrument, {"level": 0})
    assert result.total == 0
    assert result.partial is False


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
def test_it_reports_a_missing_level(instrument: Instrument) -> None:
    result = score(instrument, {})
    assert result.total is None
    assert result.partial is True
    assert result.missing == ("level",)


# --- PAINAD ---------------------------------------------------------------------


def test_it_defines_painad_as_five_items_of_0_to_2() -> None:
    assert tuple(item.key for item in PAINAD.items) == (
        "breathing",
        "vocalisation",
        "facial_expression",
        "body_language",
        "consolability",
    )
    for item in PAINAD.items:
        assert (item.minimum, item.maximum, item.step) == (0, 2, 1)
        assert [value for value, _label in item.choices] == [0, 1, 2]
    assert PAINAD.maximum_total == 10


def test_it_marks_the_painad_bands_as_guidance_only() -> None:
    assert PAINAD.bands_are_guidance is True
    assert all("guidance" in str(band.label) for band in PAINAD.total_bands if band.minimum > 0)


def test_it_scores_a_worked_painad_example() -> None:
    answers = {
        "breathing": 1,
        "vocalisation": 2,
        "facial_expression": 1,
        "body_language": 0,
        "consolability": 2,
    }
    assert validate(PAINAD, answers) == {}
    result = score(PAINAD, answers)
    assert result.total == 6
    assert result.total_band == "moderate"
    assert result.partial is False
    assert result.item_bands == {}


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_it_bands_the_painad_total_at_every_boundary(total: int, band: str) -> None:
    keys = [item.key for item in PAINAD.items]
    answers = {key: 0 for key in keys}
    remaining = total
    for key in keys:
        answers[key] = min(2, remaining)
        remaining -= answers[key]
    result = score(PAINAD, answers)
    assert result.total == total
    assert result.total_band == band


def test_it_gives_no_painad_band_without_a_total() -> None:
    result = score(PAINAD, {})
    assert result.total is None
    assert result.total_band is None


def test_it_bands_a_partial_painad_but_flags_it() -> None:
    result = score(PAINAD, {"breathing": 2, "consolability": 2})
    assert result.total == 4
    assert result.total_band == "moderate"
    assert result.partial is True
    assert result.missing == ("vocalisation", "facial_expression", "body_language")


# --- Caregiver strain: MCSI and Zarit-12 ----------------------------------------


def test_it_defines_the_mcsi_as_13_items_of_0_to_2() -> None:
    assert len(MCSI.items) == 13
    for item in MCSI.items:
        assert (item.minimum, item.maximum) == (0, 2)
        assert [value for value, _label in item.choices] == [0, 1, 2]
    assert MCSI.maximum_total == 26
    assert MCSI.about_caregiver is True
    assert MCSI.higher_is_worse is True
    assert MCSI.licensed_wording is False


def test_it_scores_a_worked_mcsi_example() -> None:
    keys = [item.key for item in MCSI.items]
    # sleep 2, inconvenient 1, physical strain 2, the rest 1 except overwhelmed 0.
    answers = dict.fromkeys(keys, 1) | {"sleep": 2, "physical_strain": 2, "overwhelmed": 0}
    assert validate(MCSI, answers) == {}
    result = score(MCSI, answers)
    assert result.total == 2 + 2 + 0 + 10 * 1
    assert result.partial is False


@pytest.mark.parametrize(("value", "total"), [(0, 0), (1, 13), (2, 26)])
def test_it_totals_the_mcsi_from_0_to_26(value: int, total: int) -> None:
    answers = {item.key: value for item in MCSI.items}
    assert score(MCSI, answers).total == total


def test_it_defines_the_zarit12_as_12_items_of_0_to_4() -> None:
    instrument = zarit12()
    assert tuple(item.key for item in instrument.items) == tuple(
        f"item_{number}" for number in range(1, 13)
    )
    for item in instrument.items:
        assert (item.minimum, item.maximum) == (0, 4)
        assert [value for value, _label in item.choices] == [0, 1, 2, 3, 4]
    assert instrument.maximum_total == 48
    assert instrument.about_caregiver is True
    assert instrument.licensed_wording is True


def test_it_scores_a_worked_zarit12_example() -> None:
    instrument = zarit12()
    values = [3, 2, 1, 0, 4, 2, 1, 1, 0, 2, 1, 0]
    answers = {f"item_{number}": value for number, value in enumerate(values, start=1)}
    assert validate(instrument, answers) == {}
    result = score(instrument, answers)
    assert result.total == 17
    assert result.partial is False
    assert result.total >= caregiver_strain_cut_off("zarit12")


@pytest.mark.parametrize(("value", "total"), [(0, 0), (2, 24), (4, 48)])
def test_it_totals_the_zarit12_from_0_to_48(value: int, total: int) -> None:
    answers = {item.key: value for item in zarit12().items}
    assert score(zarit12(), answers).total == total


def test_it_uses_17_as_the_default_zarit12_cut_off() -> None:
    assert caregiver_strain_cut_off("zarit12") == 17


def test_it_has_no_default_mcsi_cut_off() -> None:
    assert caregiver_strain_cut_off("mcsi") is None


def test_it_has_no_cut_off_for_an_instrument_without_one() -> None:
    assert caregiver_strain_cut_off("esas_r") is None


def test_it_reads_the_cut_offs_from_settings(settings: Any) -> None:
    settings.HEARTH_CAREGIVER_STRAIN_HIGH = {"zarit12": 24, "mcsi": 12}
    assert caregiver_strain_cut_off("zarit12") == 24
    assert caregiver_strain_cut_off("mcsi") == 12


def test_it_ships_zarit12_labels_without_the_licensed_wording(settings: Any) -> None:
    settings.HEARTH_ZARIT12_WORDING = {}
    for number, item in enumerate(zarit12().items, start=1):
        assert str(item.label) == f"Item {number}"
        assert re.fullmatch(r"Item \d+", str(item.label))
        assert item.low_anchor == ""
        assert item.high_anchor == ""


def test_it_ships_neutral_labels_when_the_wording_setting_is_none(settings: Any) -> None:
    settings.HEARTH_ZARIT12_WORDING = None
    assert [str(item.label) for item in zarit12().items][:2] == ["Item 1", "Item 2"]


def test_it_loads_the_licensed_zarit12_wording_from_settings(settings: Any) -> None:
    wording = {f"item_{number}": f"Licensed question {number}?" for number in range(1, 13)}
    settings.HEARTH_ZARIT12_WORDING = wording
    labels = {item.key: str(item.label) for item in zarit12().items}
    assert labels == wording
    assert {item.key: str(item.label) for item in registry()["zarit12"].items} == wording


def test_it_falls_back_to_item_numbers_for_wording_not_configured(settings: Any) -> None:
    settings.HEARTH_ZARIT12_WORDING = {"item_3": "Licensed question three?"}
    labels = [str(item.label) for item in zarit12().items]
    assert labels[2] == "Licensed question three?"
    assert labels[0] == "Item 1"
    assert labels[11] == "Item 12"


def test_it_does_not_let_the_wording_change_the_zarit12_scoring(settings: Any) -> None:
    settings.HEARTH_ZARIT12_WORDING = {"item_1": "Licensed question one?"}
    answers = {f"item_{number}": 4 for number in range(1, 13)}
    assert score(zarit12(), answers).total == 48


# --- validate -------------------------------------------------------------------


def test_it_accepts_a_complete_valid_esas_r() -> None:
    assert validate(ESAS_R, esas(pain=10, anxiety=1, other=4)) == {}


def test_it_accepts_a_partly_answered_esas_r() -> None:
    assert validate(ESAS_R, {"pain": 3, "nausea": None}) == {}


def test_it_rejects_an_unknown_item_key() -> None:
    errors = validate(ESAS_R, esas(pain=3, itching=4))
    assert errors == {"itching": ["Not an item of this instrument."]}


def test_it_rejects_an_unknown_item_key_even_when_blank() -> None:
    assert validate(PAINAD, {"breathing": 1, "grimace": None}) == {
        "grimace": ["Not an item of this instrument."]
    }


@pytest.mark.parametrize("value", [3.5, 4.0, "4", True, False, [4], {"value": 4}])
def test_it_rejects_a_value_that_is_not_a_whole_number(value: Any) -> None:
    assert validate(ESAS_R, esas(pain=value)) == {"pain": ["Give a whole number."]}


@pytest.mark.parametrize("value", [3.5, "30", True])
def test_it_rejects_a_level_that_is_not_a_whole_number(value: Any) -> None:
    assert validate(PPS, {"level": value}) == {"level": ["Give a whole number."]}


@pytest.mark.parametrize(
    ("code", "key", "value", "message"),
    [
        ("esas_r", "pain", -1, "Must be between 0 and 10."),
        ("esas_r", "pain", 11, "Must be between 0 and 10."),
        ("esas_r", "other", 11, "Must be between 0 and 10."),
        ("painad", "breathing", 3, "Must be between 0 and 2."),
        ("painad", "breathing", -1, "Must be between 0 and 2."),
        ("mcsi", "sleep", 3, "Must be between 0 and 2."),
        ("zarit12", "item_1", 5, "Must be between 0 and 4."),
        ("zarit12", "item_12", -1, "Must be between 0 and 4."),
        ("pps", "level", 110, "Must be between 0 and 100 in steps of 10."),
        ("akps", "level", -10, "Must be between 0 and 100 in steps of 10."),
    ],
)
def test_it_rejects_a_value_out_of_range(code: str, key: str, value: int, message: str) -> None:
    instrument = get(code)
    assert instrument is not None
    answers = {item.key: item.minimum for item in instrument.items} | {key: value}
    assert validate(instrument, answers) == {key: [message]}


@pytest.mark.parametrize(
    ("code", "key", "value"),
    [
        ("esas_r", "pain", 0),
        ("esas_r", "pain", 10),
        ("painad", "breathing", 2),
        ("zarit12", "item_1", 4),
        ("mcsi", "sleep", 2),
        ("pps", "level", 100),
    ],
)
def test_it_accepts_the_ends_of_each_range(code: str, key: str, value: int) -> None:
    instrument = get(code)
    assert instrument is not None
    assert validate(instrument, {key: value}) == {}


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
def test_it_rejects_an_off_step_level(instrument: Instrument) -> None:
    assert validate(instrument, {"level": 35}) == {
        "level": ["Must be between 0 and 100 in steps of 10."]
    }


@pytest.mark.parametrize(
    "answers",
    [{}, dict.fromkeys(ESAS_NINE), {"other": 5}, {"other": 5, "pain": None}],
    ids=["empty", "all-blank", "only-other", "other-and-blank"],
)
def test_it_rejects_an_esas_r_with_nothing_answered(answers: dict[str, Any]) -> None:
    assert validate(ESAS_R, answers) == {"__all__": ["Answer at least one item."]}


@pytest.mark.parametrize("code", ["painad", "mcsi", "zarit12"])
def test_it_rejects_any_multi_item_instrument_with_nothing_answered(code: str) -> None:
    instrument = get(code)
    assert instrument is not None
    assert validate(instrument, {}) == {"__all__": ["Answer at least one item."]}


@pytest.mark.parametrize("instrument", [PPS, AKPS], ids=["pps", "akps"])
@pytest.mark.parametrize("answers", [{}, {"level": None}], ids=["empty", "blank"])
def test_it_asks_for_a_level_when_none_is_chosen(
    instrument: Instrument, answers: dict[str, Any]
) -> None:
    assert validate(instrument, answers) == {"level": ["Choose a level."]}


def test_it_reports_every_bad_field_under_its_own_key() -> None:
    errors = validate(ESAS_R, {"pain": 11, "nausea": "2", "itching": 1, "anxiety": 4})
    assert errors == {
        "pain": ["Must be between 0 and 10."],
        "nausea": ["Give a whole number."],
        "itching": ["Not an item of this instrument."],
    }


def test_it_reports_an_unknown_key_and_a_missing_level_together() -> None:
    assert validate(PPS, {"score": 30}) == {
        "score": ["Not an item of this instrument."],
        "level": ["Choose a level."],
    }


def test_it_returns_plain_string_messages() -> None:
    errors = validate(ESAS_R, {"pain": 11, "x": 1})
    assert all(type(message) is str for messages in errors.values() for message in messages)


# --- Properties over every instrument -------------------------------------------


def answer_sets(instrument: Instrument) -> st.SearchStrategy[dict[str, int | None]]:
    """Valid answers to any subset of the items; a blank is absent or None."""
    return st.fixed_dictionaries(
        {},
        optional={
            item.key: st.none()
            | st.sampled_from(
                item.choice_values or range(item.minimum, item.maximum + 1, item.step)
            )
            for item in instrument.items
        },
    )


@pytest.mark.parametrize("code", ALL_CODES)
@given(data=st.data())
def test_it_keeps_every_score_within_its_range(code: str, data: st.DataObject) -> None:
    instrument = registry()[code]
    answers = data.draw(answer_sets(instrument))
    answered = {key: value for key, value in answers.items() if value is not None}
    scored_keys = [item.key for item in instrument.scored_items]
    scored_values = [answered[key] for key in scored_keys if key in answered]

    result = score(instrument, answers)

    if scored_values:
        assert result.total == sum(scored_values)
        lowest = sum(instrument.item(key).minimum for key in scored_keys if key in answered)
        assert lowest <= result.total <= instrument.maximum_total
        if not result.partial:
            assert instrument.minimum_total <= result.total
    else:
        assert result.total is None
    assert result.missing == tuple(key for key in scored_keys if key not in answered)
    assert result.partial == bool(result.missing)
    assert set(result.subscales) == {subscale.key for subscale in instrument.subscales}
    for subscale in instrument.subscales:
        values = [answered[key] for key in subscale.items if key in answered]
        subscale_max = sum(instrument.item(key).maximum for key in subscale.items)
        subscale_min = sum(instrument.item(key).minimum for key in subscale.items)
        value = result.subscales[subscale.key]
        if values:
            assert value == sum(values)
            assert subscale_min <= value <= subscale_max
        else:
            assert value is None
    assert set(result.item_bands) <= set(answered)
    if instrument.total_bands and result.total is not None:
        # A partial Braden can fall below 6, where no band is (it is refused anyway).
        assert result.total_band is not None or result.total < instrument.minimum_total
    if result.total is None:
        assert result.total_band is None


@pytest.mark.parametrize("code", ALL_CODES)
@given(data=st.data())
def test_it_validates_whatever_is_answerable(code: str, data: st.DataObject) -> None:
    instrument = registry()[code]
    answers = data.draw(answer_sets(instrument))
    errors = validate(instrument, answers)
    if instrument.all_required:
        # Every blank scored item is named; nothing else is wrong.
        blank = {i.key for i in instrument.scored_items if answers.get(i.key) is None}
        assert set(errors) == blank
    elif score(instrument, answers).total is not None:
        assert errors == {}
    elif instrument.single_level:
        assert errors == {instrument.items[0].key: ["Choose a level."]}
    else:
        assert errors == {"__all__": ["Answer at least one item."]}


def esas_band(value: int) -> str:
    """docs/clinical-reference.md: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""
    if value == 0:
        return "none"
    if value <= 3:
        return "mild"
    if value <= 6:
        return "moderate"
    return "severe"


@given(answers=answer_sets(ESAS_R))
def test_it_bands_every_answered_esas_r_item(answers: dict[str, int | None]) -> None:
    result = score(ESAS_R, answers)
    expected = {}
    for key, value in answers.items():
        if value is None:
            continue
        expected[key] = esas_band(value)
    assert result.item_bands == expected


@given(answers=answer_sets(ESAS_R), other=st.integers(0, 10))
def test_it_never_lets_the_other_item_change_the_esas_r_sums(
    answers: dict[str, int | None], other: int
) -> None:
    without = score(ESAS_R, {key: value for key, value in answers.items() if key != "other"})
    with_other = score(ESAS_R, answers | {"other": other})
    assert with_other.total == without.total
    assert with_other.subscales == without.subscales
    assert with_other.missing == without.missing


@pytest.mark.parametrize("code", ALL_CODES)
@given(data=st.data())
def test_it_rejects_any_out_of_range_value(code: str, data: st.DataObject) -> None:
    instrument = registry()[code]
    item = data.draw(st.sampled_from(instrument.items))
    value = data.draw(
        st.integers(max_value=item.minimum - 1) | st.integers(min_value=item.maximum + 1)
    )
    errors = validate(instrument, {item.key: value})
    assert len(errors[item.key]) == 1
    assert errors[item.key][0].startswith("Must be between")
    if not instrument.all_required and not instrument.single_level:
        # Only ESAS-r "other" alone leaves nothing scored answered.
        assert set(errors) <= {item.key, "__all__"}


def test_it_exposes_the_module_constants_consistently() -> None:
    assert instruments.ESAS_ITEM_KEYS == ESAS_NINE
    assert set(instruments.PPS_LEVELS) == set(range(0, 101, 10))
    assert set(instruments.AKPS_LEVELS) == set(range(0, 101, 10))


def test_the_citation_people_read_names_the_publication_not_our_notes() -> None:
    """The form shows the published source; the path of the project's own
    clinical notes ("docs/clinical-reference.md") is for its maintainers."""
    for definition in instruments.registry().values():
        assert ".md" not in definition.citation, definition.code
        assert "()" not in definition.citation, definition.code
    assert (
        instruments.ESAS_R.citation == "Watanabe 2011; sums and minimal differences Hui 2015/2016"
    )
