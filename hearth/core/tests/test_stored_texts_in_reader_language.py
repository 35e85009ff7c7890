"""Texts stored once are read in each reader's language (issue 20)."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django.utils.translation import gettext_noop

from hearth.core import messages
from hearth.core.models import AuditEvent


def test_it_says_a_day_range_once_in_the_readers_language() -> None:
    stored = messages.text(
        gettext_noop("Respite asked for: %(kind)s, %(days)s"),
        kind="sitting",
        days=messages.day_range(date(2030, 12, 11), date(2030, 12, 14)),
    )
    encoded = stored.encode()
    assert encoded["days"] == {"$range": ["2030-12-11", "2030-12-14"]}
    with translation.override("ru"):
        shown = messages.render(stored.key, encoded)
    assert "11–14 декабря 2030" in shown
    assert "Dec" not in shown


def test_it_renders_nested_plural_counts_per_language() -> None:
    stored = messages.plural_text(
        "%(count)d reading from %(device)s (%(duplicates)s, %(refused)s)",
        "%(count)d readings from %(device)s (%(duplicates)s, %(refused)s)",
        count=2,
        device="Oximeter",
        duplicates=messages.plural_text("%(count)d duplicate", "%(count)d duplicates", count=1),
        refused=messages.plural_text("%(count)d refused", "%(count)d refused", count=0),
    )
    with translation.override("en"):
        assert stored.render() == "2 readings from Oximeter (1 duplicate, 0 refused)"


def test_it_names_an_event_without_a_person_in_the_readers_language() -> None:
    event = AuditEvent(actor_label="system")
    with translation.override("en"):
        assert event.actor_shown == "Hearth (automatic)"
    assert AuditEvent(actor_label="Anna Petrova").actor_shown == "Anna Petrova"
