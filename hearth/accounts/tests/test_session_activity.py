"""A plain GET writes nothing: the person's activity (the idle clock, allauth's
"last seen", the session's expiry) is written at most once a minute
(``HEARTH_SESSION_ACTIVITY_SECONDS``), and the idle sign-out stays right to
within that minute."""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from hearth.accounts.middleware import LAST_ACTIVITY_KEY
from hearth.conftest import World

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
#: A signed-in page that reads no patient, so it leaves no audit event.
ACCOUNT_PAGE = "/account/"


def _writes_of(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries if WRITES.match(query["sql"])]


def _last_activity(client: Client) -> float:
    return float(client.session[LAST_ACTIVITY_KEY])


def _set_last_activity(client: Client, moment: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = moment
    session.save()


def test_it_writes_nothing_on_a_second_get_within_the_minute(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    first = _writes_of(nurse, ACCOUNT_PAGE)
    assert first, "the first page of a session records the activity"
    assert _writes_of(nurse, ACCOUNT_PAGE) == []


def test_it_writes_nothing_on_a_record_page_but_the_audit_of_the_read(
    world: World, client_for: Any
) -> None:
    nurse = client_for(world.nurse)
    record = f"/patients/{world.patient.external_id}/"
    nurse.get(record)
    writes = _writes_of(nurse, record)
    assert writes
    assert all('"core_auditevent"' in sql for sql in writes), writes


def test_it_records_activity_again_after_the_minute(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    nurse.get(ACCOUNT_PAGE)
    a_minute_ago = time.time() - settings.HEARTH_SESSION_ACTIVITY_SECONDS - 1
    _set_last_activity(nurse, a_minute_ago)
    seen_before = UserSession.objects.get(user=world.nurse).last_seen_at
    writes = _writes_of(nurse, ACCOUNT_PAGE)
    assert any("django_session" in sql for sql in writes)
    assert _last_activity(nurse) > a_minute_ago
    assert UserSession.objects.get(user=world.nurse).last_seen_at > seen_before


def test_it_keeps_the_activity_within_the_minute_unchanged(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    nurse.get(ACCOUNT_PAGE)
    half_a_minute_ago = time.time() - settings.HEARTH_SESSION_ACTIVITY_SECONDS / 2
    _set_last_activity(nurse, half_a_minute_ago)
    assert _writes_of(nurse, ACCOUNT_PAGE) == []
    assert _last_activity(nurse) == half_a_minute_ago


@override_settings(HEARTH_STAFF_IDLE_MINUTES=15)
def test_the_idle_sign_out_counts_from_the_recorded_activity(world: World, client_for: Any) -> None:
    """The clock is the last written activity: idle for the limit less a
    minute's slack stays signed in; past the limit is signed out."""
    nurse = client_for(world.nurse)
    limit = 15 * 60
    _set_last_activity(nurse, time.time() - limit + settings.HEARTH_SESSION_ACTIVITY_SECONDS)
    assert nurse.get(ACCOUNT_PAGE).status_code == 200
    _set_last_activity(nurse, time.time() - limit - 1)
    signed_out = nurse.get(ACCOUNT_PAGE)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


@override_settings(HEARTH_SESSION_ACTIVITY_SECONDS=0)
def test_it_writes_every_time_when_the_interval_is_zero(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    nurse.get(ACCOUNT_PAGE)
    assert any("django_session" in sql for sql in _writes_of(nurse, ACCOUNT_PAGE))


def test_a_session_used_from_a_new_address_is_recorded_at_once(
    world: World, client_for: Any
) -> None:
    """The list of sessions shows where each is used from: a move to another
    address is written at once, not a minute later."""
    nurse = client_for(world.nurse)
    nurse.get(ACCOUNT_PAGE)
    assert UserSession.objects.get(user=world.nurse).ip == "203.0.113.7"
    response = nurse.get(ACCOUNT_PAGE, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200
    assert UserSession.objects.get(user=world.nurse).ip == "198.51.100.9"
