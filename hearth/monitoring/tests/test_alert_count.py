"""The menu's count of open alerts (issue 20): right on every page, refreshed
in the background from ``/alerts/count/``, which counts only the caseload,
costs one COUNT query, writes nothing and does not keep an idle session alive."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.middleware import LAST_ACTIVITY_KEY
from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.monitoring import queries, services
from hearth.monitoring.models import Alert

COUNT_URL = "/alerts/count/"
BACKGROUND = {"HTTP_X_HEARTH_BACKGROUND": "refresh"}
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def ask_for_help(world: World) -> Alert:
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    return Alert.objects.get()


def badge_count(html: str) -> int:
    found = re.search(r'data-alert-count="(\d+)"', html)
    assert found is not None, html
    return int(found.group(1))


def test_it_counts_the_open_alerts_on_the_caseload_only(active: World, client_for: Any) -> None:
    ask_for_help(active)
    assert queries.open_alert_count(active.nurse) == 1  # on patient A's team
    assert queries.open_alert_count(active.coordinator) == 1  # the whole service
    assert queries.open_alert_count(active.outsider_nurse) == 0  # not their patient
    assert queries.open_alert_count(active.volunteer) == 0  # no record access
    assert queries.open_alert_count(active.family) == 0
    assert badge_count(client_for(active.nurse).get(COUNT_URL).content.decode()) == 1
    assert badge_count(client_for(active.outsider_nurse).get(COUNT_URL).content.decode()) == 0


def test_it_counts_an_alert_someone_owns_on_call_outside_their_caseload(
    active: World,
) -> None:
    services.add_on_call_shift(
        actor=active.coordinator,
        role="nurse",
        staff=active.outsider_nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=8),
    )
    alert = ask_for_help(active)
    assert alert.owner == active.outsider_nurse
    assert queries.open_alert_count(active.outsider_nurse) == 1


def test_it_agrees_with_the_alerts_page_and_drops_a_resolved_alert(
    active: World, client_for: Any
) -> None:
    alert = ask_for_help(active)
    nurse = client_for(active.nurse)
    page = nurse.get("/alerts/").content.decode()
    assert badge_count(page) == len(queries.alerts_for(active.nurse)) == 1
    services.acknowledge_alert(actor=active.nurse, alert=alert)
    assert badge_count(nurse.get(COUNT_URL).content.decode()) == 1  # acknowledged is still open
    services.triage_alert(actor=active.nurse, alert=alert, outcome="advice_by_phone")
    services.resolve_alert(actor=active.nurse, alert=alert, note="Advised, comfortable.")
    assert badge_count(nurse.get(COUNT_URL).content.decode()) == 0
    assert badge_count(nurse.get("/patients/").content.decode()) == 0


def test_a_refresh_reads_one_count_and_writes_nothing(active: World, client_for: Any) -> None:
    ask_for_help(active)
    nurse = client_for(active.nurse)
    nurse.get("/patients/")  # the session's first page records it (allauth's user sessions)
    events = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = nurse.get(COUNT_URL, **BACKGROUND)
    assert response.status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert [sql for sql in statements if WRITES.match(sql)] == []
    on_alerts = [sql for sql in statements if "monitoring_alert" in sql]
    assert len(on_alerts) == 1 and "COUNT(" in on_alerts[0].upper()
    assert AuditEvent.objects.count() == events


def test_a_refresh_does_not_keep_an_idle_session_alive(active: World, client_for: Any) -> None:
    nurse = client_for(active.nurse)
    session = nurse.session
    last_touched = time.time() - 60
    session[LAST_ACTIVITY_KEY] = last_touched
    session.save()
    assert nurse.get(COUNT_URL, **BACKGROUND).status_code == 200
    assert nurse.session[LAST_ACTIVITY_KEY] == last_touched
    # The person's own click does count as activity.
    assert nurse.get("/patients/").status_code == 200
    assert nurse.session[LAST_ACTIVITY_KEY] > last_touched


def test_a_refresh_after_the_idle_limit_ends_the_session_with_401(
    active: World, client_for: Any
) -> None:
    nurse = client_for(active.nurse)
    session = nurse.session
    session[LAST_ACTIVITY_KEY] = time.time() - settings.HEARTH_STAFF_IDLE_MINUTES * 60 - 5
    session.save()
    assert nurse.get(COUNT_URL, **BACKGROUND).status_code == 401
    after = nurse.get("/patients/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/login/")


def test_volunteers_and_the_family_get_no_badge(active: World, client_for: Any) -> None:
    ask_for_help(active)
    assert client_for(active.volunteer).get(COUNT_URL, **BACKGROUND).status_code == 204
    family = client_for(active.family)
    assert family.get(COUNT_URL, **BACKGROUND).status_code == 302  # staff only: to the portal
    assert "data-alert-count" not in family.get("/portal/").content.decode()
    assert client_for(None).get(COUNT_URL).status_code == 302  # sign in first


def test_the_count_refuses_to_be_written_to(active: World, client_for: Any) -> None:
    assert client_for(active.nurse).post(COUNT_URL).status_code == 405


def test_every_self_refreshing_list_is_marked_as_the_page_polling() -> None:
    """The mark is what ``hearth.js`` reads to send the background-refresh
    header on htmx polls (``test_browser_polling.py`` watches it in Chromium);
    a new polling list without it would keep idle sessions alive again."""
    root = Path(settings.BASE_DIR) / "hearth"
    polling = [
        path
        for path in root.rglob("*.html")
        if 'hx-trigger="every' in path.read_text(encoding="utf-8")
    ]
    assert len(polling) >= 3
    for path in polling:
        for line in path.read_text(encoding="utf-8").splitlines():
            if 'hx-trigger="every' in line:
                assert "data-background-refresh" in line, path
