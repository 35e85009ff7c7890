"""A discipline is always shown by its name in the reader's language: on a
page, and inside a message stored once and read later in another language."""

from __future__ import annotations

from django.utils import translation

from hearth.accounts.models import (
    Discipline,
    discipline_in_a_sentence,
    discipline_label,
    lazy_discipline_label,
)
from hearth.core import messages


def test_a_discipline_reads_as_its_name_in_the_readers_language() -> None:
    with translation.override("en"):
        assert discipline_label(Discipline.SOCIAL_WORKER) == "Social worker"
    with translation.override("ru"):
        assert discipline_label(Discipline.NURSE) == str(Discipline.NURSE.label)
        assert discipline_label(Discipline.NURSE) != "Nurse"


def test_a_code_no_longer_known_is_shown_as_stored_not_an_error() -> None:
    assert discipline_label("dietitian") == "dietitian"
    assert lazy_discipline_label("dietitian") == "dietitian"
    assert discipline_in_a_sentence("dietitian") == "dietitian"
    assert discipline_label("") == ""


def test_a_stored_message_reads_the_discipline_in_each_readers_language() -> None:
    """Written under English, read under Russian: the parameters keep the label
    lazy, so the words follow the reader, not the writer."""
    with translation.override("en"):
        text = messages.text(
            "Visit by %(discipline)s (%(who)s)",
            discipline=discipline_in_a_sentence(Discipline.PHYSICIAN),
            who=lazy_discipline_label(Discipline.CHAPLAIN),
        )
        assert text.render() == "Visit by physician (Chaplain)"
    with translation.override("ru"):
        physician = str(Discipline.PHYSICIAN.label).lower()
        chaplain = str(Discipline.CHAPLAIN.label)
        assert physician != "physician"
        assert text.render() == f"Visit by {physician} ({chaplain})"
