"""Scoring of the instruments CLINICAL.md "More instruments a palliative team
expects" lists, each checked against its published definition: the ends of
every range, each band at its boundaries, IPOS's reverse-worded items and
"cannot assess", and the refusal of an out-of-range or missing item, named."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.assessments.instruments import (
    ABBEY,
    BRADEN,
    FOUR_AT,
    IPOS_COMMUNICATION,
    IPOS_EMOTIONAL,
    IPOS_OTHER,
    IPOS_PATIENT,
    IPOS_PHYSICAL,
    IPOS_STAFF,
    VBPS,
    Instrument,
    get,
    score,
    validate,
)

IPOS_SCORED = (*IPOS_PHYSICAL, *IPOS_EMOTIONAL, *IPOS_COMMUNICATION)


def instrument(code: str) -> Instrument:
    found = get(code)
    assert found is not None
    return found


def ipos(value: int = 0, **answers: int) -> dict[str, Any]:
    """All 17 scored IPOS items at ``value``, overridden by ``answers``."""
    return dict.fromkeys(IPOS_SCORED, value) | answers


def words(definition: Instrument, key: str, value: int) -> str:
    item = definition.item(key)
    assert item is not None
    return str(item.words_for(value))


# --- IPOS -------------------------------------------------------------------------


@pytest.mark.parametrize("definition", [IPOS_PATIENT, IPOS_STAFF], ids=["patient", "staff"])
def test_it_defines_ipos_as_17_scored_items_plus_three_named_others(
    definition: Instrument,
) -> None:
    assert tuple(item.key for item in definition.scored_items) == (
        *IPOS_PHYSICAL,
        *IPOS_EMOTIONAL,
        *IPOS_COMMUNICATION,
    )
    assert len(IPOS_PHYSICAL) == 10
    for item in definition.items:
        assert (item.minimum, item.maximum) == (0, 4)
        assert item.choice_values == (0, 1, 2, 3, 4)
    assert all(definition.item(key).named and definition.item(key).optional for key in IPOS_OTHER)
    assert definition.maximum_total == 68
    assert definition.minimum_total == 0
    assert {s.key: s.items for s in definition.subscales} == {
        "physical": IPOS_PHYSICAL,
        "emotional": IPOS_EMOTIONAL,
        "communication": IPOS_COMMUNICATION,
    }
    assert "3 days" in str(definition.recall)
    assert definition.total_bands == ()  # no single validated cut-off


def test_it_words_the_ipos_symptoms_not_at_all_to_overwhelmingly() -> None:
    assert [words(IPOS_PATIENT, "pain", v) for v in range(5)] == [
        "Not at all",
        "Slightly",
        "Moderately",
        "Severely",
        "Overwhelmingly",
    ]


@pytest.mark.parametrize("key", ["at_peace", "sharing_feelings", "information"])
def test_it_scores_the_reverse_worded_ipos_items_always_0_not_at_all_4(key: str) -> None:
    """The published form prints 0 beside "Always" for these items: a person
    never at peace scores 4 (the worst), not 0."""
    definition = IPOS_PATIENT
    assert definition.item(key).reverse_worded is True
    assert words(definition, key, 0) == "Always"
    assert words(definition, key, 4) == "Not at all"
    never = score(definition, ipos(**{key: 4}))
    always = score(definition, ipos(**{key: 0}))
    assert never.total == 4
    assert always.total == 0
    assert never.concerns(definition) == (key,)
    assert always.concerns(definition) == ()


def test_it_scores_practical_problems_addressed_0_not_addressed_4() -> None:
    assert IPOS_PATIENT.item("practical_matters").reverse_worded is True
    assert words(IPOS_PATIENT, "practical_matters", 0) == "Problems addressed, or no problems"
    assert words(IPOS_PATIENT, "practical_matters", 4) == "Problems not addressed"


def test_it_words_the_ipos_worries_not_at_all_0_always_4() -> None:
    for key in ("patient_anxiety", "family_anxiety", "depression"):
        assert IPOS_PATIENT.item(key).reverse_worded is False
        assert words(IPOS_PATIENT, key, 0) == "Not at all"
        assert words(IPOS_PATIENT, key, 4) == "Always"


def test_it_scores_a_worked_ipos_example_into_three_subscales() -> None:
    answers = ipos(
        pain=3,
        shortness_of_breath=1,
        weakness=4,
        poor_appetite=2,
        patient_anxiety=2,
        family_anxiety=3,
        at_peace=1,
        information=4,
        practical_matters=2,
        other_symptom_1=4,
    )
    result = score(IPOS_PATIENT, answers)
    assert result.subscales == {"physical": 10, "emotional": 6, "communication": 6}
    # The other symptom (4) is in no sum but is still a concern.
    assert result.total == 22
    assert result.partial is False
    assert result.concerns(IPOS_PATIENT) == (
        "pain",
        "weakness",
        "other_symptom_1",
        "family_anxiety",
        "information",
    )


@pytest.mark.parametrize(("value", "total"), [(0, 0), (4, 68)])
def test_it_totals_ipos_from_0_to_68(value: int, total: int) -> None:
    result = score(IPOS_PATIENT, ipos(value))
    assert result.total == total
    assert result.subscales == {
        "physical": value * 10,
        "emotional": value * 4,
        "communication": value * 3,
    }


@pytest.mark.parametrize(("value", "concern"), [(0, False), (2, False), (3, True), (4, True)])
def test_it_marks_an_ipos_item_at_3_or_4_as_a_concern(value: int, concern: bool) -> None:
    result = score(IPOS_STAFF, ipos(poor_mobility=value))
    assert (result.concerns(IPOS_STAFF) == ("poor_mobility",)) is concern


def test_it_lets_the_patient_leave_an_ipos_item_blank_as_partial() -> None:
    answers = ipos(pain=2)
    del answers["depression"]
    assert validate(IPOS_PATIENT, answers) == {}
    result = score(IPOS_PATIENT, answers)
    assert result.partial is True
    assert result.missing == ("depression",)
    assert result.subscales["emotional"] == 0


def test_it_leaves_cannot_assess_out_of_the_staff_sums_and_counts_it() -> None:
    answers = ipos(2)
    for key in ("at_peace", "sharing_feelings", "pain"):
        del answers[key]
    cannot = ["at_peace", "sharing_feelings", "pain"]
    assert validate(IPOS_STAFF, answers, cannot) == {}
    result = score(IPOS_STAFF, answers, cannot)
    assert result.not_assessed == ("pain", "at_peace", "sharing_feelings")
    assert result.missing == ()
    assert result.partial is True
    assert result.subscales == {"physical": 18, "emotional": 6, "communication": 4}
    assert result.total == 28


def test_it_refuses_a_blank_staff_ipos_item_naming_it() -> None:
    answers = ipos(1)
    del answers["vomiting"]
    assert validate(IPOS_STAFF, answers) == {
        "vomiting": ["Answer this item, or mark it “cannot assess”."]
    }


def test_it_refuses_cannot_assess_beside_a_score() -> None:
    assert validate(IPOS_STAFF, ipos(1), ["pain"]) == {
        "pain": ["Give a score or mark it “cannot assess”, not both."]
    }


def test_it_refuses_cannot_assess_on_the_patient_version() -> None:
    answers = ipos(1)
    del answers["pain"]
    assert validate(IPOS_PATIENT, answers, ["pain"]) == {
        "not_assessed": ["This form has no “cannot assess” answer."]
    }


def test_it_refuses_cannot_assess_for_an_unknown_item() -> None:
    assert validate(IPOS_STAFF, ipos(1), ["itching"]) == {
        "itching": ["Not an item of this instrument."]
    }


@pytest.mark.parametrize("value", [-1, 5])
def test_it_refuses_an_ipos_score_out_of_range_naming_the_item(value: int) -> None:
    assert validate(IPOS_PATIENT, ipos(at_peace=value)) == {
        "at_peace": ["Must be between 0 and 4."]
    }


def test_the_staff_version_uses_proxy_wording() -> None:
    assert "the patient" in str(IPOS_STAFF.item("at_peace").label)
    assert str(IPOS_PATIENT.item("at_peace").label) == "Have you felt at peace?"
    assert IPOS_STAFF.respondents == ("professional",)
    assert set(IPOS_PATIENT.respondents) == {"patient", "caregiver_assisted"}


# --- Distress Thermometer ---------------------------------------------------------------


def test_it_defines_the_distress_thermometer_0_to_10_with_a_problem_list() -> None:
    dt = instrument("distress_thermometer")
    assert dt.single_level is True
    assert (dt.items[0].key, dt.items[0].minimum, dt.items[0].maximum) == ("distress", 0, 10)
    assert [item.key for item in dt.items[1:]] == [
        "practical",
        "family",
        "emotional",
        "spiritual",
        "physical",
    ]
    assert all(item.checkbox for item in dt.items[1:])
    assert (dt.minimum_total, dt.maximum_total) == (0, 10)


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "below_cut_off"), (3, "below_cut_off"), (4, "significant"), (10, "significant")],
)
def test_it_marks_distress_of_4_or_more_as_clinically_significant(value: int, band: str) -> None:
    dt = instrument("distress_thermometer")
    result = score(dt, {"distress": value, "family": 1, "emotional": 1})
    assert result.total == value  # the ticked problems do not add to the score
    assert result.total_band == band


def test_it_reads_the_distress_cut_off_from_settings(settings: Any) -> None:
    settings.HEARTH_DISTRESS_THERMOMETER_CUT_OFF = 5
    dt = instrument("distress_thermometer")
    assert score(dt, {"distress": 4}).total_band == "below_cut_off"
    assert score(dt, {"distress": 5}).total_band == "significant"


def test_it_refuses_a_distress_thermometer_without_the_score() -> None:
    dt = instrument("distress_thermometer")
    assert validate(dt, {"family": 1}) == {"distress": ["Choose a level."]}
    assert validate(dt, {"distress": 11}) == {"distress": ["Must be between 0 and 10."]}
    assert validate(dt, {"distress": 2, "family": 2}) == {"family": ["Must be between 0 and 1."]}


# --- Abbey Pain Scale ---------------------------------------------------------------


def test_it_defines_abbey_as_six_items_of_0_to_3() -> None:
    assert [item.key for item in ABBEY.items] == [
        "vocalisation",
        "facial_expression",
        "body_language",
        "behavioural_change",
        "physiological_change",
        "physical_changes",
    ]
    assert all(item.choice_values == (0, 1, 2, 3) for item in ABBEY.items)
    assert (ABBEY.minimum_total, ABBEY.maximum_total) == (0, 18)


def abbey_answers(total: int) -> dict[str, int]:
    answers = {}
    for item in ABBEY.items:
        answers[item.key] = min(3, total)
        total -= answers[item.key]
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (2, "none"),
        (3, "mild"),
        (7, "mild"),
        (8, "moderate"),
        (13, "moderate"),
        (14, "severe"),
        (18, "severe"),
    ],
)
def test_it_bands_the_abbey_total_at_every_boundary(total: int, band: str) -> None:
    result = score(ABBEY, abbey_answers(total))
    assert result.total == total
    assert result.total_band == band


def test_it_refuses_an_abbey_with_an_item_missing_or_out_of_range() -> None:
    answers = abbey_answers(5)
    del answers["physical_changes"]
    assert validate(ABBEY, answers) == {"physical_changes": ["Answer this item."]}
    assert validate(ABBEY, abbey_answers(5) | {"vocalisation": 4}) == {
        "vocalisation": ["Must be between 0 and 3."]
    }


# --- RASS-PAL ------------------------------------------------------------------------


def test_it_defines_rass_pal_from_minus_5_to_plus_4_with_descriptors() -> None:
    rass = instrument("rass_pal")
    level = rass.items[0]
    assert level.choice_values == (4, 3, 2, 1, 0, -1, -2, -3, -4, -5)
    assert str(level.words_for(-5)).startswith("Unrousable")
    assert str(level.words_for(4)).startswith("Combative")
    assert str(level.words_for(0)) == "Alert and calm"
    assert (rass.minimum_total, rass.maximum_total) == (-5, 4)
    assert rass.bands_are_guidance is True


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-5, "below_target"),
        (-3, "below_target"),
        (-2, "within_target"),
        (0, "within_target"),
        (1, "above_target"),
        (4, "above_target"),
    ],
)
def test_it_marks_a_rass_pal_score_outside_the_default_target(value: int, band: str) -> None:
    result = score(instrument("rass_pal"), {"level": value})
    assert result.total == value  # the sign is kept: -2 is sedation, +2 agitation
    assert result.total_band == band


def test_it_takes_the_rass_pal_target_from_settings(settings: Any) -> None:
    settings.HEARTH_RASS_PAL_TARGET_LOW = -4
    settings.HEARTH_RASS_PAL_TARGET_HIGH = -3
    rass = instrument("rass_pal")
    assert rass.extra["target"] == (-4, -3)
    assert score(rass, {"level": -2}).total_band == "above_target"
    assert score(rass, {"level": -4}).total_band == "within_target"
    assert score(rass, {"level": -5}).total_band == "below_target"


@pytest.mark.parametrize("value", [-6, 5])
def test_it_refuses_a_rass_pal_level_off_the_scale(value: int) -> None:
    assert validate(instrument("rass_pal"), {"level": value}) == {
        "level": ["Must be between -5 and 4."]
    }


# --- 4AT -------------------------------------------------------------------------------


def test_it_defines_the_4at_items_and_their_only_scores() -> None:
    assert {item.key: item.choice_values for item in FOUR_AT.items} == {
        "alertness": (0, 4),
        "amt4": (0, 1, 2),
        "attention": (0, 1, 2),
        "acute_change": (0, 4),
    }
    assert (FOUR_AT.minimum_total, FOUR_AT.maximum_total) == (0, 12)


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ({"alertness": 0, "amt4": 0, "attention": 0, "acute_change": 0}, 0, "unlikely"),
        ({"alertness": 0, "amt4": 1, "attention": 0, "acute_change": 0}, 1, "cognitive_impairment"),
        ({"alertness": 0, "amt4": 2, "attention": 1, "acute_change": 0}, 3, "cognitive_impairment"),
        ({"alertness": 4, "amt4": 0, "attention": 0, "acute_change": 0}, 4, "delirium"),
        ({"alertness": 0, "amt4": 0, "attention": 0, "acute_change": 4}, 4, "delirium"),
        ({"alertness": 4, "amt4": 2, "attention": 2, "acute_change": 4}, 12, "delirium"),
    ],
)
def test_it_bands_the_4at_at_every_boundary(answers: dict[str, int], total: int, band: str) -> None:
    assert validate(FOUR_AT, answers) == {}
    result = score(FOUR_AT, answers)
    assert result.total == total
    assert result.total_band == band


@pytest.mark.parametrize(("key", "value"), [("alertness", 2), ("acute_change", 1)])
def test_it_refuses_a_4at_score_the_item_does_not_have(key: str, value: int) -> None:
    answers = {"alertness": 0, "amt4": 0, "attention": 0, "acute_change": 0, key: value}
    assert validate(FOUR_AT, answers) == {key: ["Choose one of 0, 4."]}


def test_it_refuses_a_4at_without_alertness_rather_than_call_it_unlikely() -> None:
    answers = {"amt4": 0, "attention": 0, "acute_change": 0}
    assert validate(FOUR_AT, answers) == {"alertness": ["Answer this item."]}


# --- Braden -----------------------------------------------------------------------


def test_it_defines_braden_with_five_items_of_1_to_4_and_friction_1_to_3() -> None:
    assert {item.key: (item.minimum, item.maximum) for item in BRADEN.items} == {
        "sensory_perception": (1, 4),
        "moisture": (1, 4),
        "activity": (1, 4),
        "mobility": (1, 4),
        "nutrition": (1, 4),
        "friction_shear": (1, 3),
    }
    assert (BRADEN.minimum_total, BRADEN.maximum_total) == (6, 23)
    assert BRADEN.higher_is_worse is False


def braden_answers(total: int) -> dict[str, int]:
    answers = {item.key: item.minimum for item in BRADEN.items}
    extra = total - 6
    for item in BRADEN.items:
        raise_by = min(item.maximum - item.minimum, extra)
        answers[item.key] += raise_by
        extra -= raise_by
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (6, "very_high"),
        (9, "very_high"),
        (10, "high"),
        (12, "high"),
        (13, "moderate"),
        (14, "moderate"),
        (15, "mild"),
        (18, "mild"),
        (19, "not_at_risk"),
        (23, "not_at_risk"),
    ],
)
def test_it_bands_the_braden_total_at_every_boundary(total: int, band: str) -> None:
    answers = braden_answers(total)
    assert validate(BRADEN, answers) == {}
    result = score(BRADEN, answers)
    assert result.total == total
    assert result.total_band == band


def test_it_refuses_a_braden_with_friction_4_or_an_item_missing() -> None:
    assert validate(BRADEN, braden_answers(20) | {"friction_shear": 4}) == {
        "friction_shear": ["Must be between 1 and 3."]
    }
    assert validate(BRADEN, braden_answers(20) | {"moisture": 0}) == {
        "moisture": ["Must be between 1 and 4."]
    }
    answers = braden_answers(20)
    del answers["nutrition"]
    assert validate(BRADEN, answers) == {"nutrition": ["Answer this item."]}


# --- Victoria Bowel Performance Scale ------------------------------------------------------


def test_it_defines_the_vbps_from_minus_4_to_plus_4_with_descriptors() -> None:
    level = VBPS.items[0]
    assert level.choice_values == (4, 3, 2, 1, 0, -1, -2, -3, -4)
    assert all(str(words) for _value, words in level.choices)
    assert (VBPS.minimum_total, VBPS.maximum_total) == (-4, 4)


@pytest.mark.parametrize(
    ("value", "band"),
    [(-4, "constipation"), (-1, "constipation"), (0, "normal"), (1, "diarrhoea"), (4, "diarrhoea")],
)
def test_it_bands_the_vbps_with_0_as_normal(value: int, band: str) -> None:
    result = score(VBPS, {"level": value})
    assert result.total == value
    assert result.total_band == band


def test_it_refuses_a_vbps_off_the_scale_or_blank() -> None:
    assert validate(VBPS, {"level": 5}) == {"level": ["Must be between -4 and 4."]}
    assert validate(VBPS, {}) == {"level": ["Choose a level."]}
