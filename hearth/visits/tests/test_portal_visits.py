"""The family's visits page: the window, never the planned minute of a home
visit; calls with their time and link; changed times; asking for a time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.visits import services
from hearth.visits.models import VisitTimeChange, VisitTimeRequest

from .conftest import home_visit, local

LINK = "https://meet.example.org/hearth-alice"


def _teleconsult(world: World) -> Any:
    return services.book_teleconsult(
        actor=world.physician,
        patient=world.patient,
        staff=world.physician,
        starts_at=local(clock.today() + timedelta(days=1), "14:10"),
        duration_minutes=30,
        video_link=LINK,
        participants=[world.family],
    )


def test_the_family_sees_the_window_not_the_minute(active: World, client_for: Any) -> None:
    visit = home_visit(active, day=clock.today() + timedelta(days=1), start="11:07")
    text = client_for(active.family).get("/portal/visits/").content.decode()
    assert "11:07" not in text and "11:52" not in text  # planned start and end
    assert "10:00" in text and "12:15" in text  # 11:07 ± 60 min, on the quarter hour
    assert active.nurse.display_name in text and "Nurse" in text
    assert visit.family_window_start.hour == 10


def test_the_family_sees_a_call_with_its_time_and_link(active: World, client_for: Any) -> None:
    _teleconsult(active)
    text = client_for(active.family).get("/portal/visits/").content.decode()
    assert LINK in text and "14:10" in text and "14:40" in text
    assert "Join the call" in text


def test_the_patient_sees_their_own_visits(active: World, client_for: Any) -> None:
    _teleconsult(active)
    text = client_for(active.patient_user).get("/portal/visits/").content.decode()
    assert LINK in text


def test_another_family_sees_none_of_it(active: World, client_for: Any) -> None:
    _teleconsult(active)
    home_visit(active, day=clock.today() + timedelta(days=1))
    response = client_for(active.other_family).get("/portal/visits/")
    text = response.content.decode()
    assert LINK not in text and active.nurse.display_name not in text


def test_staff_are_sent_to_their_worklist(active: World, client_for: Any) -> None:
    assert client_for(active.nurse).get("/portal/visits/").status_code == 302


def test_a_changed_time_is_shown(active: World, client_for: Any) -> None:
    visit = home_visit(active, day=clock.today() + timedelta(days=1), start="11:07")
    day = visit.date
    VisitTimeChange.objects.create(
        visit=visit,
        old_window_start=local(day, "10:00"),
        old_window_end=local(day, "12:15"),
        new_window_start=local(day, "13:30"),
        new_window_end=local(day, "15:45"),
        old_staff=active.nurse,
        new_staff=active.physician,
        because="Urgent visit to Boris Other inserted",
    )
    text = client_for(active.family).get("/portal/visits/").content.decode()
    assert "Your visit time changed" in text
    assert "13:30" in text and active.physician.display_name in text
    assert "Boris" not in text  # the reason is the team's, not the family's


def test_the_family_asks_for_a_time_and_withdraws_it(active: World, client_for: Any) -> None:
    page = client_for(active.family)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    refused = page.post(
        "/portal/visits/",
        {"date": tomorrow, "kind": "only", "starts_at": "15:00", "ends_at": "09:00"},
    )
    assert refused.status_code == 422
    assert not VisitTimeRequest.objects.exists()
    response = page.post(
        "/portal/visits/",
        {"date": tomorrow, "kind": "not", "starts_at": "13:00", "ends_at": "15:00", "note": "GP"},
    )
    assert response.status_code == 302
    made = VisitTimeRequest.objects.get()
    assert made.requested_by == active.family
    assert "13:00" in page.get("/portal/visits/").content.decode()
    stranger = client_for(active.other_family).post(
        f"/portal/visits/requests/{made.external_id}/withdraw/"
    )
    assert stranger.status_code == 404
    assert page.post(f"/portal/visits/requests/{made.external_id}/withdraw/").status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None


def test_the_portal_api_never_sends_the_planned_minute(active: World, client_for: Any) -> None:
    home_visit(active, day=clock.today() + timedelta(days=1), start="11:07")
    _teleconsult(active)
    response = client_for(active.family).get("/api/v1/portal/visits")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "planned_start" not in response.content.decode()
    assert "11:07" not in response.content.decode()
    home, call = sorted(body["upcoming"], key=lambda row: row["kind"])
    assert home["kind"] == "home_visit" and home["video_link"] == ""
    assert call["video_link"] == LINK
    assert body["patient_id"] == str(active.patient.external_id)
    staff_only = client_for(active.family).get(
        f"/api/v1/patients/{active.patient.external_id}/visits"
    )
    assert staff_only.status_code == 404
    assert client_for(active.nurse).get("/api/v1/portal/visits").status_code == 404
