"""The UI sweep's text checks on their own (no browser): what counts as a raw
code, a placeholder or English on a Russian page, and how a page's path is
matched to the route table."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.conftest import World
from hearth.core import clock
from hearth.core.web import name_the_blank_choice
from hearth.demo.tests.ui_sweep import (
    english_words,
    free_text_values,
    free_texts_in_the_demo,
    path_pattern,
    raw_values,
    without_free_text,
)
from hearth.medications.services import mark_administration_entered_in_error
from hearth.medications.tests.test_administration import at, dose_at, prescribe_prn
from hearth.medications.tests.test_controlled_drugs import solution, stock  # noqa: F401


def test_it_finds_placeholders_and_raw_codes_in_our_text() -> None:
    ours = "Route: syringe_driver\nESAS_R · ZARIT12\nDue 2026-11-03\nPets None\nTags []"
    found = raw_values("---------\n" + ours, ours)
    assert "placeholder '---------'" in found
    assert "raw code 'syringe_driver'" in found
    assert "raw code 'ESAS_R'" in found
    assert "raw code 'ZARIT12'" in found
    assert "ISO date '2026-11-03'" in found
    assert any(item.startswith("'None'") for item in found)
    assert any(item.startswith("'[]'") for item in found)


def test_it_leaves_what_people_typed_and_real_names_of_scales() -> None:
    whole = "Pets: None. Seen 2026-11-03 (her note)\nNEWS2 5 · SpO2 93% · ESAS-r"
    ours = (
        "NEWS2 5 · SpO2 93% · ESAS-r\nSpiritual support: None wanted\n"
        "Pain: 0 = None\nTiredness 0 · None 10 · Worst possible"
    )
    assert raw_values(whole, ours) == []


def test_it_names_latin_words_outside_the_allow_list() -> None:
    text = "Боль 5 из 10 · ESAS-r · морфин 5 mg\nНазначено: Stop order · Hearth"
    assert english_words(text) == ["Stop", "order"]


def test_what_people_typed_is_left_out_but_a_template_word_beside_it_is_caught() -> None:
    typed = free_text_values(
        [
            "Sit with Amina so Leila can rest.\r\nShe likes   the radio.",
            "Amina Hassan",
            "Care",
        ]
    )
    page = (
        "Заметка: Sit with Amina so Leila can rest. Edit\n"
        "She likes the radio.\nПациент: Amina Hassan · Careful"
    )
    assert english_words(without_free_text(page, typed)) == ["Careful", "Edit"]


def test_typed_values_are_whole_lines_of_words_longest_first_and_not_codes() -> None:
    typed = free_text_values(
        [
            "Leila Hassan",
            "Leila",
            "No",  # too short to tell from a template's own word
            "2026-11-03",
            "One line\n\ntwo  lines ",
        ]
    )
    assert typed == ["Leila Hassan", "two lines", "One line", "Leila"]


def test_a_text_cut_short_on_the_page_is_still_typed() -> None:
    typed = ["SpO2 90% on his NIV with pulse 114; more breathless for two days. Urgent visit."]
    page = "Срочный визит: SpO2 90% on his NIV with pulse 114; more breathless for two days. Urgen"
    assert english_words(without_free_text(page, typed)) == []


def test_a_text_shown_both_whole_and_cut_short_is_still_typed() -> None:
    typed = ["Mum prays sitting in her chair now. Please don't talk to her. Just wait.", "Leila"]
    page = (
        "“Mum prays sitting in her chair now. Please don't talk to her. Just wait.” — Leila\n"
        "Культура и вера, 6 ноя.: Mum prays sitting in her chair now. Please don't …"
    )
    assert english_words(without_free_text(page, typed)) == []


def test_a_typed_value_is_removed_only_as_a_whole_word() -> None:
    assert without_free_text("Careful · Care home", ["Care"]) == "Careful · \n home"


def test_the_free_text_is_what_people_typed_not_codes_or_generated_words(world: World) -> None:
    texts = free_texts_in_the_demo()
    assert "Lung cancer" in texts  # a diagnosis as typed
    assert "Alice" in texts
    assert "daughter" not in texts  # a relationship the page translates
    assert "nurse" not in texts  # a discipline code in a plain field
    assert "nurse.team" not in texts  # a user name
    assert not any("Refused" in t for t in texts)  # an audit summary made by the code


def test_a_path_matches_its_route_and_names_its_ids() -> None:
    pattern = path_pattern("/patients/{patient}/profile/{section}/")
    found = pattern.match("/patients/5f0c/profile/diet/")
    assert found is not None
    assert found.groupdict() == {"patient": "5f0c", "section": "diet"}
    assert pattern.match("/patients/5f0c/profile/diet/history/") is None


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    answer = forms.ChoiceField(choices=[("", "---------"), ("y", "Yes")], widget=forms.RadioSelect)


def test_a_drop_down_names_its_empty_choice() -> None:
    form = _Form()
    name_the_blank_choice(form)
    assert next(iter(form.fields["kind"].choices)) == ("", "Choose…")  # type: ignore[attr-defined]
    # Radio buttons are left alone (a blank radio should not be offered at all).
    assert next(iter(form.fields["answer"].choices)) == ("", "---------")  # type: ignore[attr-defined]


def test_a_known_english_word_is_excused_only_on_its_own_pages(monkeypatch: Any) -> None:
    from hearth.demo.tests import ui_sweep

    monkeypatch.setattr(
        ui_sweep,
        "KNOWN_ENGLISH",
        [("/patients/{id}/", frozenset({"wife"}), "a relationship stored as typed")],
    )
    record = "/patients/012902e4-aef1-4dfc-845f-b54525720b5d/"
    assert ui_sweep.known_english(record, ["wife", "Given"]) == ["Given"]
    assert ui_sweep.known_english(record + "profile/", ["wife"]) == ["wife"]


def test_a_note_typed_beside_a_key_is_free_text_but_the_service_s_own_note_is_not(
    active: Any,
    solution: Any,  # noqa: F811
) -> None:
    """A register note is what a nurse typed, or the service's own words kept
    as a key ("Dose entered in error: …"): only the typed one hides its words
    from the "English on a Russian page" check."""
    order = prescribe_prn(active)
    stock(active, solution, "received", "100", note="Collected from the pharmacy on Sunday")
    dose = dose_at(active.nurse, order, at(0, "10:00")).administration
    assert dose is not None
    with clock.travel_to(at(0, "10:30")):
        mark_administration_entered_in_error(
            actor=active.nurse, administration=dose, reason="Tapped twice."
        )
    texts = free_texts_in_the_demo()
    assert "Collected from the pharmacy on Sunday" in texts
    assert not any(text.startswith("Dose entered in error") for text in texts)
