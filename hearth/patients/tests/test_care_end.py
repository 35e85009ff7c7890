"""What a death or a discharge closed, shown to the person who recorded it
(the page after the form, the API answer); a closing that fails never undoes
the death. Hazard rows S31–S34."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.monitoring import alerts
from hearth.monitoring.choices import AlertStatus
from hearth.monitoring.models import Alert
from hearth.patients import services
from hearth.patients.choices import EpisodeState
from hearth.patients.signals import FAILED, closing, home_care_ended, summary_from


def _alert(world: World, rule: str = "help_requested") -> Alert:
    with transaction.atomic():
        alert, _created = alerts.raise_alert(
            actor=world.nurse,
            patient=world.patient,
            rule=rule,
            severity="high",
            summary="Test",
            evidence=[
                alerts.Evidence(description="Test", source="test", observed_at=timezone.now())
            ],
        )
    return alert


def test_the_page_after_recording_a_death_says_what_was_closed(
    active: World, client_for: Any
) -> None:
    _alert(active)
    _alert(active, rule="oxygen_equipment")
    client = client_for(active.nurse)
    died_at = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        reverse("record_death", args=[active.episode.external_id]),
        {"died_at": died_at, "place_of_death": "home", "note": ""},
        follow=True,
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Because home care has ended:" in text
    assert "Alert closed: “We need help now” pressed (high)." in text
    assert "Kept open and handed to Coord Service: Oxygen equipment failure" in text
    assert "Death recorded." in text


def test_the_page_after_a_discharge_says_when_nothing_was_left_open(
    active: World, client_for: Any
) -> None:
    page = client_for(active.physician).post(
        reverse("discharge", args=[active.episode.external_id]),
        {"reason": "moved_away", "note": ""},
        follow=True,
    )
    assert "Nothing was left open to close." in page.content.decode()


def test_the_api_answer_lists_what_was_closed(active: World, client_for: Any) -> None:
    _alert(active)
    answer = client_for(active.physician).post(
        f"/api/v1/episodes/{active.episode.external_id}/discharge",
        {"reason": "moved_away", "note": ""},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["care_end_summary"] == [
        {"kind": "alert_closed", "text": "Alert closed: “We need help now” pressed (high)."}
    ]


def test_a_closing_that_fails_never_undoes_the_death(active: World) -> None:
    """A closing that breaks (here a receiver of the test's own that fails
    half-way through its writes) is rolled back alone: the death stands, the
    other apps' closings are done, and the failure is audited and shown."""
    alert = _alert(active)

    def broken(sender: Any, actor: Any, episode: Any, **kwargs: Any) -> None:
        summary = summary_from(kwargs)
        with closing(what="Something", actor=actor, episode=episode, summary=summary):
            Alert.objects.filter(pk=alert.pk).update(summary="half-written")
            raise RuntimeError("broken")

    home_care_ended.connect(broken, dispatch_uid="test.broken")
    try:
        episode = services.record_death(
            actor=active.nurse,
            episode=active.episode,
            died_at=clock.now(),
            place_of_death="home",
        )
    finally:
        home_care_ended.disconnect(dispatch_uid="test.broken")
    summary = episode.care_end_summary
    episode.refresh_from_db()
    assert episode.state == EpisodeState.DECEASED
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.summary == "Test"  # the broken closing's write was rolled back
    (failure,) = summary.failures
    assert failure.kind == FAILED
    assert "Something: could not be closed automatically" in failure.text
    assert any(item.kind == "alert_closed" for item in summary.items)
    event = AuditEvent.objects.get(event_type=AuditEventType.CARE_END_CLOSING_FAILED)
    assert event.actor == active.nurse and event.changes == {"what": "Something"}
