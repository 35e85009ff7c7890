"""The planning routes: same services and permissions as the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hearth.core import clock
from hearth.planning import planner
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    at,
    planning_world,
    shift,
)
from hearth.visits.models import DayPlan, PlannedVisit, VisitTimeChange

API = "/api/v1"


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def test_it_plans_publishes_and_shows_the_staff_day(pw: PlanningWorld, client_for: Any) -> None:
    client = client_for(pw.world.coordinator)
    answer = client.post(f"{API}/visit-plans", {"date": MONDAY.isoformat()}, "application/json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "draft"
    (row,) = body["planned_visits"]
    assert row["staff_id"] == str(pw.world.nurse.external_id)
    assert row["unplaced_reason"] == ""

    assert client.get(f"{API}/visit-plans/{body['id']}").json()["id"] == body["id"]

    shift(pw.world, pw.world.outsider_nurse)
    moved = client.post(
        f"{API}/planned-visits/{row['id']}/move",
        {"staff_id": str(pw.world.outsider_nurse.external_id), "start": "2027-03-01T10:00:00Z"},
        "application/json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["moved_by_hand"] is True

    refused = client.post(
        f"{API}/planned-visits/{row['id']}/move",
        {"staff_id": str(pw.world.outsider_nurse.external_id), "start": "2027-03-01T15:40:00Z"},
        "application/json",
    )
    assert refused.status_code == 422
    assert "start" in refused.json()["errors"]

    published = client.post(f"{API}/visit-plans/{body['id']}/publish")
    assert published.status_code == 200, published.json()
    (visit,) = published.json()
    assert visit["family_window_start"] < visit["planned_start"] < visit["family_window_end"]

    day = client_for(pw.world.outsider_nurse).get(
        f"{API}/staff/{pw.world.outsider_nurse.external_id}/day", {"date": MONDAY.isoformat()}
    )
    assert [v["id"] for v in day.json()] == [visit["id"]]


def test_only_the_coordinator_plans(pw: PlanningWorld, client_for: Any) -> None:
    nurse = client_for(pw.world.nurse)
    answer = nurse.post(f"{API}/visit-plans", {"date": MONDAY.isoformat()}, "application/json")
    assert answer.status_code == 403
    assert not DayPlan.objects.exists()
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    assert nurse.get(f"{API}/visit-plans/{plan.external_id}").status_code == 403
    assert nurse.post(f"{API}/visit-plans/{plan.external_id}/publish").status_code == 403
    row = PlannedVisit.objects.get()
    moved = nurse.post(
        f"{API}/planned-visits/{row.pk}/move",
        {"staff_id": str(pw.world.nurse.external_id), "start": "2027-03-01T10:00:00Z"},
        "application/json",
    )
    assert moved.status_code == 403


def test_bad_input_is_a_422_not_a_500(pw: PlanningWorld, client_for: Any) -> None:
    client = client_for(pw.world.coordinator)
    assert (
        client.post(f"{API}/visit-plans", {"date": "monday"}, "application/json").status_code == 422
    )
    assert (
        client.post(
            f"{API}/visit-plans", {"date": "2027-03-01", "extra": 1}, "application/json"
        ).status_code
        == 422
    )
    past = client.post(f"{API}/visit-plans", {"date": "2027-02-01"}, "application/json")
    assert past.status_code == 422 and "date" in past.json()["errors"]


def test_staff_see_only_their_own_day(pw: PlanningWorld, client_for: Any) -> None:
    nurse_day = f"{API}/staff/{pw.world.nurse.external_id}/day"
    assert client_for(pw.world.physician).get(nurse_day).status_code == 404
    assert client_for(pw.world.family).get(nurse_day).status_code == 404
    assert client_for(pw.world.nurse).get(nurse_day).status_code == 200
    assert client_for(pw.world.coordinator).get(nurse_day).status_code == 200


def test_insertion_without_a_published_plan_is_a_conflict(
    pw: PlanningWorld, client_for: Any
) -> None:
    from hearth.visits.models import UrgentVisitRequest

    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Pain",
        requested_by=pw.world.physician,
    )
    answer = client_for(pw.world.coordinator).post(
        f"{API}/urgent-visit-requests/{request.external_id}/insert"
    )
    assert answer.status_code == 409
    assert "publish today first" in answer.json()["detail"]
    assert (
        client_for(pw.world.nurse)
        .post(f"{API}/urgent-visit-requests/{request.external_id}/insert")
        .status_code
        == 403
    )


def test_unknown_time_change_is_404(pw: PlanningWorld, client_for: Any) -> None:
    assert not VisitTimeChange.objects.exists()
    answer = client_for(pw.world.coordinator).post(f"{API}/visit-time-changes/999/family-told")
    assert answer.status_code == 404


def test_a_day_with_no_shifts_says_so_in_the_api(pw: PlanningWorld, client_for: Any) -> None:
    """Issue 17: not "nobody has the discipline and skills" when nobody works."""
    from datetime import timedelta

    sunday = MONDAY + timedelta(days=6)
    answer = client_for(pw.world.coordinator).post(
        f"{API}/visit-plans", {"date": sunday.isoformat()}, "application/json"
    )
    assert answer.status_code == 201, answer.json()
    (row,) = answer.json()["planned_visits"]
    assert row["unplaced_reason"] == "no_qualified_staff"
    assert row["unplaced_reason_label"].startswith("Nobody has a shift on Sunday")
