"""Dates, times and stored texts in the reader's language (issue 20, "words").

Russian words asserted here come from Django's own translations (month and
weekday names, ``timesince`` plurals); Hearth's own new strings are asserted in
English, and their keys and parameters round-trip."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from hearth.accounts.adapters import user_display
from hearth.conftest import World
from hearth.core import clock, dates, messages
from hearth.core.audit_chain import compute_hash
from hearth.core.models import AuditEvent
from hearth.core.templatetags.hearth_words import sentence
from hearth.patients.choices import relationship_label

SUNDAY = date(2026, 12, 6)


def render(template: str, language: str, **context: Any) -> str:
    with translation.override(language):
        return engines["django"].from_string(template).render(context)


# --- Dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "воскресенье, 6 декабря"), ("en", "Sunday, 6 December")],
)
def test_a_day_is_named_with_a_lower_case_weekday_and_a_genitive_month(
    language: str, expected: str
) -> None:
    with translation.override(language):
        assert dates.weekday_day_month(SUNDAY) == expected
    assert render('{{ day|date:"l, j F" }}', language, day=SUNDAY) == expected


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("ru", SUNDAY, "6 дек."),
        ("ru", date(2026, 5, 3), "3 мая"),
        ("ru", date(2026, 9, 1), "1 сен."),
        ("en", SUNDAY, "6 Dec"),
    ],
)
def test_a_short_date_is_lower_case_and_genitive_in_russian(
    language: str, day: date, expected: str
) -> None:
    with translation.override(language):
        assert dates.short_day(day) == expected
    assert render('{{ day|date:"j M" }}', language, day=day) == expected


def test_the_date_filter_keeps_machine_formats_and_times_of_day() -> None:
    assert render('{{ day|date:"Y-m-d" }}', "ru", day=SUNDAY) == "2026-12-06"
    assert render('{{ day|date:"j E Y" }}', "ru", day=SUNDAY) == "6 декабря 2026"
    assert render('{{ empty|date:"j M" }}', "ru", empty=None) == ""
    # A month on its own (no day) stays in the nominative.
    assert render('{{ day|date:"F Y" }}', "ru", day=SUNDAY) == "Декабрь 2026"


def test_an_aware_time_is_shown_in_the_services_time_zone() -> None:
    moment = datetime(2026, 7, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 in London
    with translation.override("ru"):
        assert dates.short_date_time(moment) == "2 июля 00:30"
        assert dates.date_format(moment, "j M H:i") == "2 июля 00:30"


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("ru", date(2026, 12, 11), date(2026, 12, 11), "11 дек."),
        ("ru", date(2026, 12, 11), date(2026, 12, 14), "11–14 декабря"),
        ("en", date(2026, 12, 11), date(2026, 12, 14), "11–14 December"),
        ("ru", date(2026, 11, 28), date(2026, 12, 3), "28 ноя. – 3 дек."),
        ("en", date(2026, 12, 30), date(2027, 1, 2), "30 December 2026 – 2 January 2027"),
    ],
)
def test_a_range_of_days_is_said_once(language: str, start: date, end: date, expected: str) -> None:
    with clock.travel_to(datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("UTC"))):
        with translation.override(language):
            assert dates.day_range(start, end) == expected
        assert render("{% day_range a b %}", language, a=start, b=end) == expected


def test_a_range_in_another_year_names_the_year() -> None:
    with (
        clock.travel_to(datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("UTC"))),
        translation.override("en"),
    ):
        assert dates.day_range(date(2025, 3, 2), date(2025, 3, 4)) == "2–4 March 2025"


# --- Texts stored as keys and parameters ---------------------------------------


def test_a_message_round_trips_its_key_and_parameters_as_json() -> None:
    message = messages.text(
        gettext_noop("Alert acknowledged: %(summary)s"),
        summary=messages.text(gettext_noop("The oxygen concentrator reports a fault.")),
    )
    text, key, params = messages.stored(message, language="en")
    assert text == "Alert acknowledged: The oxygen concentrator reports a fault."
    assert key == "Alert acknowledged: %(summary)s"
    assert params == {
        "summary": {"$m": "The oxygen concentrator reports a fault.", "$p": {}},
    }
    with translation.override("en"):
        assert messages.render(key, params) == text


def test_translatable_parameters_are_stored_as_codes_and_translated_when_read() -> None:
    message = messages.text(
        gettext_noop("ESAS-r since %(when)s: %(items)s"),
        when=SUNDAY,
        items=messages.Joined([gettext_lazy("January"), gettext_lazy("March")]),
    )
    _, key, params = messages.stored(message, language="en")
    assert params["when"] == {"$d": "2026-12-06"}
    assert params["items"] == {"$j": [{"$t": "January"}, {"$t": "March"}], "$s": ", "}
    with translation.override("ru"):
        shown = messages.render(key, params)
    # The month names are Django's own translations, put in by the reader's language.
    assert "6 декабря" in shown
    assert "Январь, Март" in shown


def test_a_label_with_a_context_keeps_it_and_is_translated_with_it() -> None:
    # Django's own genitive "May" (context "alt. month").
    from django.utils.translation import pgettext_lazy

    _, key, params = messages.stored(
        messages.text("%(month)s", month=pgettext_lazy("alt. month", "May")), language="en"
    )
    assert params == {"month": {"$t": "May", "$c": "alt. month"}}
    with translation.override("ru"):
        assert messages.render(key, params) == "мая"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 минута"), (2, "2 минуты"), (5, "5 минут"), (21, "21 минута")],
)
def test_a_plural_text_takes_the_readers_plural_form(count: int, expected: str) -> None:
    # Django's own plural msgid (timesince), so its Russian forms exist.
    message = messages.plural_text("%(num)d minute", "%(num)d minutes", count=count, num=count)
    _, key, params = messages.stored(message, language="en")
    with translation.override("ru"):
        assert messages.render(key, params) == expected
    with translation.override("en"):
        assert messages.render(key, params) == (
            f"{count} minute" if count == 1 else f"{count} minutes"
        )


def test_a_text_without_a_key_or_that_no_longer_fits_falls_back_to_what_was_written() -> None:
    assert messages.render("", {}, fallback="Written in 2025") == "Written in 2025"
    assert messages.render("%(gone)s", {}, fallback="Written then") == "Written then"


def test_an_audit_event_is_read_in_the_readers_language_and_stays_chained(
    world: World,
) -> None:
    from hearth.core import audit
    from hearth.core.audit_events import AuditEventType
    from hearth.core.models import AuditAction

    with translation.override("en"):
        event = audit.record(
            actor=world.nurse,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.PATIENT_UPDATED,
            patient=world.patient,
            summary=messages.text(
                gettext_noop("Taken out of the draft plan for %(day)s."), day=SUNDAY
            ),
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.summary == "Taken out of the draft plan for 6 December."
    assert stored.summary_key == "Taken out of the draft plan for %(day)s."
    assert stored.summary_params == {"day": {"$d": "2026-12-06"}}
    with translation.override("ru"):
        expected = gettext("Taken out of the draft plan for %(day)s.") % {"day": "6 декабря"}
        assert stored.summary_text == expected
    # The key and parameters are inside the hash: changing them breaks the chain.
    assert compute_hash(stored, stored.previous_hash) == stored.hash
    stored.summary_params = {"day": {"$d": "2026-12-07"}}
    assert compute_hash(stored, stored.previous_hash) != stored.hash


def test_an_event_written_before_keys_hashes_as_before_and_shows_its_text(world: World) -> None:
    from hearth.core import audit
    from hearth.core.audit_events import AuditEventType
    from hearth.core.models import AuditAction

    event = audit.record(
        actor=world.nurse,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PATIENT_UPDATED,
        patient=world.patient,
        summary="Record details changed: phone",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.summary_key, stored.summary_params) == ("", {})
    with translation.override("ru"):
        assert stored.summary_text == "Record details changed: phone"
    assert compute_hash(stored, stored.previous_hash) == stored.hash


# --- Small words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Qur'an recitation on Leila's tablet.", "Qur'an recitation on Leila's tablet."),
        ("Lavender", "Lavender."),
        ("«Тишина»", "«Тишина»."),
        ("Quiet, please!", "Quiet, please!"),
        ("", ""),
    ],
)
def test_a_typed_sentence_is_ended_once(typed: str, expected: str) -> None:
    assert sentence(typed) == expected


def test_a_known_relationship_is_read_in_the_readers_language_and_others_as_typed() -> None:
    with translation.override("en"):
        assert relationship_label("Wife") == "wife"
        assert relationship_label("godmother") == "godmother"


def test_a_person_is_named_by_their_name_after_signing_in(world: World) -> None:
    assert user_display(world.family) == world.family.display_name
    assert "." not in user_display(world.family) or world.family.get_full_name() == ""
