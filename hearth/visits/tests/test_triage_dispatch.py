"""Triage "urgent physician visit" asks the visits app for a visit today: the
signal monitoring sends reaches visits, and a second triage asks only once."""

from __future__ import annotations

from typing import Any

from hearth.conftest import World, stage_fixture
from hearth.core import clock
from hearth.monitoring import services
from hearth.monitoring.models import Alert, CheckIn
from hearth.patients.choices import EpisodeState
from hearth.visits.models import UrgentVisitRequest

#: Patient A in active home care, on the real clock (not held at 10:00).
active = stage_fixture("active", EpisodeState.ACTIVE)


def check_in(world: World, **details: Any) -> CheckIn:
    return services.record_check_in(actor=world.family, patient=world.patient, **details)


def test_urgent_physician_visit_asks_for_a_visit_today(active: World, client_for: Any) -> None:
    check_in(active, help_requested=True)
    alert = Alert.objects.get()
    services.triage_alert(
        actor=active.nurse, alert=alert, outcome="urgent_physician_visit", note="Agitated, in pain"
    )
    request = UrgentVisitRequest.objects.get()
    assert (request.alert, request.for_date, request.discipline) == (
        alert,
        clock.today(),
        "physician",
    )
    listed = client_for(active.coordinator).get("/api/v1/urgent-visit-requests").json()["items"]
    assert [row["alert_id"] for row in listed] == [str(alert.external_id)]
    # Triage again (e.g. a note corrected): still one request.
    services.triage_alert(
        actor=active.nurse, alert=alert, outcome="urgent_physician_visit", note="Still agitated"
    )
    assert UrgentVisitRequest.objects.count() == 1
