"""Triage "urgent physician visit" on a day already published: the request is
fitted into the day by a background task, with nobody pressing a button."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import Alert
from hearth.planning import planner
from hearth.planning.tasks import insert_urgent_visit_task
from hearth.planning.tests.planning_world import MONDAY, at, planning_world
from hearth.visits import services
from hearth.visits.models import UrgentVisitRequest, Visit

pytestmark = pytest.mark.django_db


def _published_monday(world: Any, settings: Any) -> Any:
    pw = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        plan = planner.plan_day(actor=world.coordinator, date=MONDAY)
        planner.publish_plan(actor=world.coordinator, plan=plan)
    return pw


def _tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="insert_urgent_visit_task"))


def test_triage_on_a_published_day_queues_the_insertion_and_the_task_places_it(
    world: Any, settings: Any
) -> None:
    pw = _published_monday(world, settings)
    with clock.travel_to(at(MONDAY, "10:00")):
        monitoring.record_check_in(actor=world.family, patient=pw.patient, help_requested=True)
        alert = Alert.objects.get(patient=pw.patient, rule="help_requested")
        monitoring.acknowledge_alert(actor=world.physician, alert=alert)
        monitoring.triage_alert(
            actor=world.physician, alert=alert, outcome="urgent_physician_visit", note="Pain 9/10"
        )
        request = UrgentVisitRequest.objects.get(alert=alert)
        [queued] = _tasks()
        assert queued.args_kwargs["kwargs"] == {"request_id": request.pk}

        outcome = insert_urgent_visit_task.call(request_id=request.pk)

    assert outcome == "placed"
    request.refresh_from_db()
    assert request.status == "scheduled"
    visit = Visit.objects.get(urgent_request=request)
    assert visit.staff == world.physician and visit.alert == alert
    assert visit.planned_start >= at(MONDAY, "10:00")


def test_without_a_published_plan_no_insertion_is_queued(world: Any, settings: Any) -> None:
    pw = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "10:00")):
        services.request_urgent_visit(
            actor=world.physician, patient=pw.patient, reason="Breathless at rest"
        )
    # Nothing to fit it into: it goes to the clinician on call instead
    # (test_urgent_deadline), not into a plan made later.
    assert _tasks() == []


def test_the_task_does_nothing_for_a_request_already_placed(world: Any, settings: Any) -> None:
    pw = _published_monday(world, settings)
    with clock.travel_to(at(MONDAY, "10:00")):
        request = services.request_urgent_visit(
            actor=world.physician, patient=pw.patient, reason="Breathless at rest"
        )
        assert insert_urgent_visit_task.call(request_id=request.pk) == "placed"
        assert insert_urgent_visit_task.call(request_id=request.pk) == "skipped"
    assert Visit.objects.filter(urgent_request=request).count() == 1
