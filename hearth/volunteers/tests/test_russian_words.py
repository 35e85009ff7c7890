"""A Russian reader reads weekdays and languages in Russian on the volunteers
pages and the brief, never the English name or the stored code."""

from __future__ import annotations

from datetime import time

from django.utils import translation

from hearth.volunteers.models import WeeklySlot
from hearth.volunteers.queries import _slot_text, language_labels


def test_a_usual_time_names_the_weekday_in_the_readers_language() -> None:
    slot = WeeklySlot(weekday=0, starts_at=time(9), ends_at=time(12))
    with translation.override("ru"):
        assert _slot_text(slot) == "Пн 09:00–12:00"
    with translation.override("en"):
        assert _slot_text(slot) == "Mon 09:00–12:00"


def test_spoken_languages_are_named_in_the_readers_language() -> None:
    with translation.override("ru"):
        assert language_labels(["en", "cy", "ar"]) == ["Английский", "Уэльский", "Арабский"]
    with translation.override("en"):
        assert language_labels(["en", "xx"]) == ["English", "xx"]
