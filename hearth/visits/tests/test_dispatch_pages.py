"""The dispatch as people see it: the on-call clinician's phone page and the
JSON API, the coordinator's live board (late ones in red, reloading itself,
restricted), and the family's "help on the way" panel and message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import Message
from hearth.visits import services
from hearth.visits.models import Dispatch
from hearth.visits.tests.test_dispatch import night_dispatch, sunday_night
from hearth.visits.tests.test_family_messages import wants


def hhmm(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def test_the_clinician_answers_from_the_phone_page(active: World, client_for: Any) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        page = f"/visits/dispatch/{dispatch.external_id}/"
        physician = client_for(active.physician)
        shown = physician.get(page).content.decode()
        assert "Accept: I am going" in shown and "Decline" in shown
        assert physician.post(page, {"action": "decline", "reason": ""}).status_code == 302
        assert Dispatch.objects.get().offered_to == active.physician  # refused: no reason
        physician.post(page, {"action": "accept"})
        physician.post(page, {"action": "on_the_way", "in_minutes": "30"})
        dispatch.refresh_from_db()
        assert dispatch.status == "on_the_way"
        assert abs(dispatch.expected_arrival - (clock.now() + timedelta(minutes=30))) < timedelta(
            seconds=30
        )
        physician.post(page, {"action": "arrived"})
        physician.post(page, {"action": "done", "note": "Settled after midazolam."})
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.done_note) == ("done", "Settled after midazolam.")


def test_someone_else_cannot_open_the_phone_page(active: World, client_for: Any) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        page = f"/visits/dispatch/{dispatch.external_id}/"
        assert client_for(active.psychologist).get(page).status_code == 403
        assert client_for(active.coordinator).get(page).status_code == 200


def test_the_api_answers_the_same_and_a_second_accept_is_a_409(
    active: World, client_for: Any
) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        base = f"/api/v1/dispatches/{dispatch.external_id}"
        refused = client_for(active.physician).post(
            f"{base}/decline", {"reason": ""}, content_type="application/json"
        )
        assert refused.status_code == 422
        accepted = client_for(active.physician).post(f"{base}/accept")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["status"] == "accepted"
        second = client_for(active.clinical_lead).post(f"{base}/accept")
        assert second.status_code == 409
        assert "has already accepted" in second.json()["detail"]
        past = client_for(active.physician).post(
            f"{base}/on-the-way",
            {"expected_arrival": (clock.now() - timedelta(hours=1)).isoformat()},
            content_type="application/json",
        )
        assert past.status_code == 422
        going = client_for(active.physician).post(
            f"{base}/on-the-way",
            {"expected_arrival": (clock.now() + timedelta(minutes=25)).isoformat()},
            content_type="application/json",
        )
        assert going.json()["status"] == "on_the_way"
        assert client_for(active.physician).post(f"{base}/arrived").json()["status"] == "arrived"
        done = client_for(active.physician).post(
            f"{base}/done", {"note": "Settled."}, content_type="application/json"
        )
        assert done.json()["status"] == "done"
        listed = client_for(active.coordinator).get("/api/v1/dispatches").json()["items"]
        assert [row["id"] for row in listed] == [str(dispatch.external_id)]
        assert client_for(active.psychologist).get(base).status_code == 403
        assert client_for(active.family).get(base).status_code == 404


def test_the_board_shows_late_ones_in_red_reloads_itself_and_is_restricted(
    active: World, client_for: Any
) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        board = client_for(active.coordinator).get("/visits/dispatches/").content.decode()
        assert active.patient.full_name in board
        assert 'hx-trigger="every 20s"' in board and "htmx" in board
        assert 'data-late="late"' not in board
    assert dispatch.accept_by is not None
    with clock.travel_to(dispatch.accept_by + timedelta(minutes=1)):
        partial = client_for(active.coordinator).get("/visits/dispatches/", HTTP_HX_REQUEST="true")
        shown = partial.content.decode()
        assert "<html" not in shown  # only the table, swapped in place
        assert 'class="overdue"' in shown and 'data-late="late"' in shown
        listed = client_for(active.coordinator).get("/visits/urgent/").content.decode()
        assert "With the clinician on call" in listed
        assert f"/visits/dispatch/{dispatch.external_id}/" in listed
        lead = client_for(active.clinical_lead).get("/visits/dispatches/").content.decode()
        assert active.patient.full_name in lead
        # The physician sees their own offer; the nurse on call, none of theirs.
        assert (
            active.patient.full_name
            in client_for(active.physician).get("/visits/dispatches/").content.decode()
        )
        assert (
            active.patient.full_name
            not in client_for(active.nurse).get("/visits/dispatches/").content.decode()
        )
        assert client_for(active.psychologist).get("/visits/dispatches/").status_code == 403
        assert client_for(active.family).get("/visits/dispatches/").status_code == 302


def test_the_family_sees_each_status_and_is_told_the_window(active: World, client_for: Any) -> None:
    wants(active.family, help_request_seen=True)
    family = client_for(active.family)
    with sunday_night(active):
        dispatch = night_dispatch(active)
        shown = family.get("/portal/visits/").content.decode()
        seen_at = hhmm(dispatch.request.alert.acknowledged_at)  # type: ignore[union-attr]
        assert f"Seen by {active.nurse.first_name} (nurse) at {seen_at}." in shown
        assert "A doctor is coming to you." in shown
        assert "We will tell you here when they set off." in shown
        services.accept_dispatch(actor=active.physician, dispatch=dispatch)
        expected = clock.now() + timedelta(minutes=40)
        services.set_on_the_way(
            actor=active.physician, dispatch=dispatch, expected_arrival=expected
        )
        low, high = hhmm(expected - timedelta(minutes=15)), hhmm(expected + timedelta(minutes=15))
        shown = family.get("/portal/visits/").content.decode()
        assert f"Expected between {low} and {high}." in shown
        assert active.physician.last_name not in shown
        (message,) = Message.objects.filter(kind=MessageKind.HELP_ON_THE_WAY)
        assert message.recipient == active.family
        assert f"A doctor from the team is on the way: expect them between {low} and {high}." in (
            message.body
        )
        assert active.physician.last_name not in message.body
        services.arrive_at_dispatch(actor=active.physician, dispatch=dispatch)
        dispatch.refresh_from_db()
        shown = family.get("/portal/visits/").content.decode()
        assert f"Arrived at {hhmm(dispatch.arrived_at)}." in shown
        assert "Expected between" not in shown


def test_the_family_page_in_russian_shows_the_panel(active: World, client_for: Any) -> None:
    """Until the lead's translations land the panel's sentences are the msgids;
    the page itself is served in Russian with the same times."""
    active.family.preferred_language = "ru"
    active.family.save(update_fields=["preferred_language"])
    with sunday_night(active):
        dispatch = night_dispatch(active)
        services.accept_dispatch(actor=active.physician, dispatch=dispatch)
        expected = clock.now() + timedelta(minutes=40)
        services.set_on_the_way(
            actor=active.physician, dispatch=dispatch, expected_arrival=expected
        )
        shown = client_for(active.family).get("/portal/visits/").content.decode()
    assert '<html lang="ru">' in shown
    assert 'id="help-on-the-way"' in shown
    assert hhmm(expected - timedelta(minutes=15)) in shown
    assert hhmm(expected + timedelta(minutes=15)) in shown
