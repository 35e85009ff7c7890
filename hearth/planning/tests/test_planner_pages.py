"""The coordinator's plan page and each staff member's day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from hearth.accounts.models import Discipline
from hearth.core import clock
from hearth.planning import planner
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
    shift,
)
from hearth.visits.models import DayPlan, UrgentVisitRequest, Visit, VisitTimeChange


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def _plan_url(day: Any = MONDAY) -> str:
    return f"{reverse('visit_plan')}?date={day.isoformat()}"


def test_the_coordinator_plans_sees_the_timeline_and_publishes(
    pw: PlanningWorld, client_for: Any
) -> None:
    nowhere = admitted_patient(pw.world, "N-1", "Nora", where=None)
    need(pw.world, nowhere)
    client = client_for(pw.world.coordinator)
    assert client.get(_plan_url()).status_code == 200
    answer = client.post(reverse("visit_plan_run"), {"date": MONDAY.isoformat()}, follow=True)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Draft plan ready. Placed: 1; not placed: 1." in page
    assert 'class="block visit' in page and 'class="block travel' in page
    assert "The home has no map position" in page
    assert pw.patient.full_name in page
    plan = DayPlan.objects.get()
    asked = client.post(reverse("visit_plan_publish", args=[plan.external_id]))
    assert asked.status_code == 200  # one visit is not placed: asked first
    assert "with 1 visit not placed?" in asked.content.decode()
    assert Visit.objects.count() == 0
    published = client.post(
        reverse("visit_plan_publish", args=[plan.external_id]), {"confirmed": "yes"}, follow=True
    )
    assert "Plan published. Visits: 1." in published.content.decode()
    assert Visit.objects.count() == 1
    # The published day still shows what could not be placed, now without a
    # hand move (only a draft changes by hand).
    after = client.get(_plan_url()).content.decode()
    assert "The home has no map position" in after
    assert "Place by hand" not in after


def test_a_hand_move_shows_the_broken_rule(pw: PlanningWorld, client_for: Any) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    row = plan.planned_visits.get(patient=pw.patient)
    client = client_for(pw.world.coordinator)
    url = reverse("planned_visit_move", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Who goes is a word, not the stored code ("nurse", "social_worker").
    assert f"<p>{Discipline(row.discipline).label} · " in page.content.decode()
    refused = client.post(url, {"staff": pw.world.nurse.pk, "start": "15:40"})
    assert refused.status_code == 422
    assert "after the shift ends at 16:00" in refused.content.decode()
    shift(pw.world, pw.world.outsider_nurse)
    accepted = client.post(url, {"staff": pw.world.outsider_nurse.pk, "start": "10:00"})
    assert accepted.status_code == 302
    row.refresh_from_db()
    assert row.staff == pw.world.outsider_nurse and row.moved_by_hand


@pytest.mark.parametrize("who", ["nurse", "physician", "administrator"])
def test_other_staff_are_refused_the_planning_pages(
    pw: PlanningWorld, client_for: Any, who: str
) -> None:
    client = client_for(getattr(pw.world, who))
    assert client.get(_plan_url()).status_code == 403
    assert client.post(reverse("visit_plan_run"), {"date": MONDAY.isoformat()}).status_code == 403
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    row = plan.planned_visits.get()
    assert client.get(reverse("planned_visit_move", args=[row.pk])).status_code == 403
    assert client.post(reverse("visit_plan_publish", args=[plan.external_id])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_family_is_sent_to_the_portal(pw: PlanningWorld, client_for: Any) -> None:
    answer = client_for(pw.world.family).get(_plan_url())
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal")


def test_unknown_plans_and_rows_are_404(pw: PlanningWorld, client_for: Any) -> None:
    client = client_for(pw.world.coordinator)
    assert client.get(reverse("planned_visit_move", args=[999])).status_code == 404
    import uuid

    assert client.post(reverse("visit_plan_publish", args=[uuid.uuid4()])).status_code == 404


def test_urgent_insertion_and_family_told_from_the_page(pw: PlanningWorld, client_for: Any) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    (visit,) = planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Pain out of control",
        requested_by=pw.world.physician,
    )
    change = VisitTimeChange.objects.create(
        visit=visit,
        old_window_start=visit.family_window_start - timedelta(hours=1),
        old_window_end=visit.family_window_end - timedelta(hours=1),
        new_window_start=visit.family_window_start,
        new_window_end=visit.family_window_end,
        old_staff=pw.world.nurse,
        new_staff=pw.world.nurse,
        because="Test",
    )
    client = client_for(pw.world.coordinator)
    page = client.get(_plan_url()).content.decode()
    assert "Insert urgent visit" in page and "Family told" in page
    inserted = client.post(reverse("urgent_visit_insert", args=[request.external_id]), follow=True)
    assert "Urgent visit placed" in inserted.content.decode()
    request.refresh_from_db()
    assert request.status == "scheduled"
    told = client.post(reverse("visit_time_change_told", args=[change.pk]), follow=True)
    assert "Marked as told." in told.content.decode()
    change.refresh_from_db()
    assert change.family_told_by == pw.world.coordinator


def test_staff_see_their_own_day_only(pw: PlanningWorld, client_for: Any) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    mine = client_for(pw.world.nurse).get(f"{reverse('my_visit_day')}?date={MONDAY.isoformat()}")
    assert mine.status_code == 200
    assert pw.patient.full_name in mine.content.decode()
    assert pw.patient.address_line in mine.content.decode()
    nurse_day = reverse("staff_visit_day", args=[pw.world.nurse.external_id])
    assert client_for(pw.world.physician).get(nurse_day).status_code == 403
    coordinator_view = client_for(pw.world.coordinator).get(f"{nurse_day}?date=2027-03-01")
    assert coordinator_view.status_code == 200
    assert pw.patient.full_name in coordinator_view.content.decode()
    physician_day = client_for(pw.world.physician).get(f"{reverse('my_visit_day')}?date=2027-03-01")
    assert pw.patient.full_name not in physician_day.content.decode()
    import uuid

    missing = reverse("staff_visit_day", args=[uuid.uuid4()])
    assert client_for(pw.world.coordinator).get(missing).status_code == 404
