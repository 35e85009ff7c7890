"""Quiet hours and the family's opt-ins, through the API and the settings page;
the language messages are written in; quiet hours holding back a message that
can wait but never an urgent one."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import NotificationPreferences

API = "/api/v1/notifications/preferences"
PAGE = "/notifications/settings/"


def put(client: Any, body: dict[str, Any]) -> Any:
    return client.put(API, data=body, content_type="application/json")


def test_quiet_hours_over_midnight_are_kept_and_audited(world: World, client_for: Any) -> None:
    client = client_for(world.nurse)

    response = put(client, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"})

    assert response.status_code == 200, response.content
    assert response.json()["quiet_hours_start"] == "22:00:00"
    preferences = NotificationPreferences.objects.get(user=world.nurse)
    assert (preferences.quiet_hours_start, preferences.quiet_hours_end) == (time(22), time(7))
    assert client.get(API).json()["quiet_hours_end"] == "07:00:00"
    event = AuditEvent.objects.get(event_type="notification_preferences.changed")
    assert event.actor == world.nurse
    assert event.patient_id is None
    assert event.changes["quiet_hours_start"] == {"from": None, "to": "22:00:00"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quiet_hours_start": "22:00"}, "quiet_hours_end"),
        ({"quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "quiet_hours_end"),
    ],
    ids=["start only", "end only", "start equals end"],
)
def test_quiet_hours_need_both_times_and_two_different_ones(
    world: World, client_for: Any, body: dict[str, Any], field: str
) -> None:
    response = put(client_for(world.family), body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not NotificationPreferences.objects.exists()


def test_a_time_that_is_not_a_time_is_refused_by_name(world: World, client_for: Any) -> None:
    response = put(client_for(world.family), {"quiet_hours_start": "25:99", "quiet_hours_end": "7"})
    assert response.status_code == 422
    assert "quiet_hours_start" in response.json()["errors"]


def test_a_family_member_opts_in_to_visit_messages(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    assert client.get(API).json()["opt_ins_offered"] is True

    response = put(client, {"visit_changes": True, "visit_reminders": True})

    assert response.status_code == 200
    assert response.json()["visit_changes"] is True
    assert response.json()["help_request_seen"] is False
    preferences = NotificationPreferences.objects.get(user=world.family)
    assert (preferences.visit_changes, preferences.visit_reminders) == (True, True)
    assert put(client, {"visit_changes": True, "visit_reminders": True}).status_code == 200
    assert AuditEvent.objects.filter(event_type="notification_preferences.changed").count() == 1


def test_staff_cannot_switch_on_the_family_messages(world: World, client_for: Any) -> None:
    client = client_for(world.physician)
    assert client.get(API).json()["opt_ins_offered"] is False

    response = put(client, {"help_request_seen": True})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["help_request_seen"]
    assert not NotificationPreferences.objects.exists()


def test_it_says_which_language_messages_are_written_in(world: World, client_for: Any) -> None:
    world.family.preferred_language = "ru"
    world.family.save(update_fields=["preferred_language"])

    body = client_for(world.family).get(API).json()

    assert body["language"] == "ru"
    page = client_for(world.family).get(PAGE).content.decode()
    with translation.override("ru"):
        russian = str(get_language_info("ru")["name_translated"])
    assert russian in page


# --- The settings page -------------------------------------------------------------


def test_the_family_saves_quiet_hours_and_opt_ins_on_the_page(
    world: World, client_for: Any
) -> None:
    client = client_for(world.family)
    page = client.get(PAGE).content.decode()
    assert 'name="visit_reminders"' in page
    assert "while you are on call" not in page

    response = client.post(
        "/notifications/settings/preferences/",
        {"quiet_hours_start": "21:30", "quiet_hours_end": "08:00", "help_request_seen": "on"},
    )

    assert response.status_code == 302
    preferences = NotificationPreferences.objects.get(user=world.family)
    assert preferences.quiet_hours_start == time(21, 30)
    assert preferences.help_request_seen is True
    assert preferences.visit_reminders is False
    assert 'value="21:30"' in client.get(PAGE).content.decode()


def test_staff_see_that_quiet_hours_never_hold_back_their_alerts(
    world: World, client_for: Any
) -> None:
    page = client_for(world.nurse).get(PAGE).content.decode()
    assert "Quiet hours never hold back an alert you own while you are on call." in page
    assert 'name="visit_reminders"' not in page


def test_the_page_shows_the_refusal_on_the_field(world: World, client_for: Any) -> None:
    response = client_for(world.nurse).post(
        "/notifications/settings/preferences/", {"quiet_hours_start": "22:00"}
    )

    assert response.status_code == 422
    assert "Give both times of your quiet hours" in response.content.decode()
    assert not NotificationPreferences.objects.exists()


# --- What quiet hours do -----------------------------------------------------------


def test_quiet_hours_hold_back_a_message_that_can_wait_but_not_an_urgent_one(
    world: World, client_for: Any
) -> None:
    put(client_for(world.family), {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"})
    night = timezone.make_aware(datetime(2026, 3, 10, 23, 30))

    with clock.travel_to(night), transaction.atomic():
        reminder = outbox.notify(
            recipient=world.family,
            kind=MessageKind.VISIT_REMINDER,
            event_key="reminder:1",
            subject="A visit tomorrow",
            body="A visit tomorrow.",
        )
        urgent = outbox.notify(
            recipient=world.family,
            kind=MessageKind.HELP_SEEN,
            event_key="help:1",
            subject="Seen",
            body="Seen.",
            urgent=True,
        )

    assert timezone.localtime(reminder.not_before) == timezone.make_aware(
        datetime(2026, 3, 11, 7, 0)
    )
    assert abs((urgent.not_before - urgent.created_at).total_seconds()) < 1


def test_a_family_member_chooses_the_language_of_their_messages(
    world: World, client_for: Any
) -> None:
    response = put(client_for(world.family), {"language": "ru"})

    assert response.status_code == 200, response.content
    assert response.json()["language"] == "ru"
    world.family.refresh_from_db()
    assert world.family.preferred_language == "ru"
    event = AuditEvent.objects.get(event_type="notification_preferences.changed")
    assert event.changes["language"] == {"from": "en", "to": "ru"}
    with transaction.atomic(), outbox.speaking_to(world.family) as language:
        assert language == "ru"


def test_a_language_the_service_does_not_write_is_refused_by_name(
    world: World, client_for: Any
) -> None:
    response = put(client_for(world.family), {"language": "xx"})

    assert response.status_code == 422
    assert "language" in response.content.decode()
    world.family.refresh_from_db()
    assert world.family.preferred_language == "en"


def test_the_language_is_chosen_on_the_page_too(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    assert 'name="language"' in client.get(PAGE).content.decode()

    response = client.post("/notifications/settings/preferences/", {"language": "ru"})

    assert response.status_code == 302
    world.family.refresh_from_db()
    assert world.family.preferred_language == "ru"
