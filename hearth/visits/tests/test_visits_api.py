"""The visits API: the record, needs and the staff view of a person's visits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hearth.careplans.models import PlanIntervention
from hearth.conftest import World
from hearth.core import clock
from hearth.visits.models import VisitNeed

from .conftest import help_alert, home_visit

JSON = "application/json"


def test_a_visit_is_read_by_staff_who_may_see_the_record(active: World, client_for: Any) -> None:
    visit = home_visit(active)
    url = f"/api/v1/visits/{visit.external_id}"
    body = client_for(active.chaplain).get(url).json()
    assert body["planned_start"] and body["staff"]["id"] == str(active.nurse.external_id)
    assert client_for(active.family).get(url).status_code == 404  # a family is not told it exists
    assert client_for(active.outsider_nurse).get(url).status_code == 403
    missing = client_for(active.nurse).get("/api/v1/visits/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404


def test_arrive_note_and_close_over_the_api(active: World, client_for: Any) -> None:
    alert = help_alert(active)
    visit = home_visit(active, start="09:10", alert=alert)
    api = client_for(active.nurse)
    url = f"/api/v1/visits/{visit.external_id}"
    arrived = api.post(
        url + "/arrive",
        data={"at": (clock.now() - timedelta(minutes=40)).isoformat()},
        content_type=JSON,
    )
    assert arrived.status_code == 200 and arrived.json()["status"] == "under_way"
    note = api.post(url + "/notes", data={"text": "Calm now"}, content_type=JSON)
    assert note.status_code == 201 and note.json()["discipline"] == "nurse"
    body = {
        "departed_at": clock.now().isoformat(),
        "actions_taken": "Repositioned; morphine as needed given.",
        "oxygen_saturation": 130,
        "alert_outcome": "resolved",
        "pps": 40,
    }
    refused = api.post(url + "/close", data=body, content_type=JSON)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["oxygen_saturation"]
    closed = api.post(url + "/close", data={**body, "oxygen_saturation": 93}, content_type=JSON)
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["alert_outcome"]) == ("completed", "resolved")
    again = api.post(url + "/close", data=body, content_type=JSON)
    assert again.status_code == 409
    assert (
        client_for(active.nurse)
        .post(url + "/cancel", data={"reason": "x"}, content_type=JSON)
        .status_code
        == 409
    )


def test_recording_is_refused_to_others(active: World, client_for: Any) -> None:
    visit = home_visit(active)
    url = f"/api/v1/visits/{visit.external_id}"
    assert client_for(active.chaplain).post(url + "/arrive").status_code == 403
    # A family is not told a staff-only thing exists.
    assert client_for(active.family).post(url + "/arrive").status_code == 404
    assert client_for(active.outsider_nurse).post(url + "/arrive").status_code == 403
    cancelled = client_for(active.coordinator).post(
        url + "/cancel", data={"reason": "Family away"}, content_type=JSON
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_the_staff_view_of_a_persons_visits(active: World, client_for: Any) -> None:
    home_visit(active)
    home_visit(active, day=clock.today() - timedelta(days=2), status="completed")
    api = client_for(active.nurse)
    body = api.get(f"/api/v1/patients/{active.patient.external_id}/visits").json()
    assert len(body["upcoming"]) == 1 and len(body["past"]) == 1
    assert body["upcoming"][0]["planned_start"]
    other = api.get(f"/api/v1/patients/{active.other_patient.external_id}/visits")
    assert other.status_code == 403


def test_visit_needs_over_the_api(active: World, client_for: Any) -> None:
    care = active.personal_care(drafts=False)
    intervention = PlanIntervention.objects.get(
        goal__need__plan=care.active_plan, kind="home_visit"
    )
    api = client_for(active.nurse)
    base = f"/api/v1/patients/{active.patient.external_id}/visit-needs"
    one = api.post(
        base + "/from-care-plan",
        data={"intervention_id": str(intervention.external_id)},
        content_type=JSON,
    )
    assert one.status_code == 201, one.content
    assert one.json()[0]["intervention_id"] == str(intervention.external_id)
    again = api.post(base + "/from-care-plan")
    assert again.status_code == 201 and again.json() == []
    added = api.post(
        base,
        data={
            "description": "Stoma check",
            "discipline": "nurse",
            "skills": ["stoma_care"],
            "duration_minutes": 30,
            "times": 1,
            "per": "week",
            "preferred_staff_id": str(active.nurse.external_id),
        },
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    assert added.json()["preferred_staff"]["name"] == active.nurse.display_name
    bad = api.post(
        base,
        data={
            "description": "X",
            "discipline": "nurse",
            "duration_minutes": 30,
            "times": 9,
            "per": "day",
        },
        content_type=JSON,
    )
    assert bad.status_code == 422 and "times" in bad.json()["errors"]
    need_id = added.json()["id"]
    assert (
        client_for(active.outsider_nurse).post(f"/api/v1/visit-needs/{need_id}/end").status_code
        == 403
    )
    ended = api.post(f"/api/v1/visit-needs/{need_id}/end")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert api.post(f"/api/v1/visit-needs/{need_id}/end").status_code == 409
    assert VisitNeed.objects.current().count() == 1
    family = client_for(active.family).post(
        base,
        data={
            "description": "X",
            "discipline": "nurse",
            "duration_minutes": 30,
            "times": 1,
            "per": "day",
        },
        content_type=JSON,
    )
    assert family.status_code == 404  # a family is not told staff-only things exist


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_visit_lists_cost_the_same_with_more_visits(active: World, client_for: Any) -> None:
    home_visit(active)
    home_visit(active, day=clock.today() - timedelta(days=1), status="completed")
    staff = client_for(active.nurse)
    family = client_for(active.family)
    page = f"/patients/{active.patient.external_id}/visits/"
    api = f"/api/v1/patients/{active.patient.external_id}/visits"
    [_queries(staff, page), _queries(staff, api), _queries(family, "/portal/visits/")]  # warm
    before = [_queries(staff, page), _queries(staff, api), _queries(family, "/portal/visits/")]
    for days in range(1, 6):
        home_visit(active, day=clock.today() + timedelta(days=days), staff=active.physician)
        home_visit(active, day=clock.today() - timedelta(days=days + 1), status="completed")
    after = [_queries(staff, page), _queries(staff, api), _queries(family, "/portal/visits/")]
    assert after == before


def test_the_record_panel_lists_the_next_visits(active: World) -> None:
    from django.template.loader import render_to_string

    from hearth.visits import queries

    visit = home_visit(active, start="11:07")
    html = render_to_string("visits/_panel.html", queries.panel(active.patient))
    assert f"/visits/{visit.external_id}/" in html and "11:07" in html
    assert active.nurse.display_name in html
