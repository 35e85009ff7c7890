"""The day's inputs read only what the day needs: the same answers, a constant
number of queries however many people and past visits the service holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.core import clock
from hearth.personhood.models import Communication, WeeklyWindow
from hearth.planning import preparation
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
)
from hearth.visits.models import UrgentVisitRequest, Visit, VisitNeed

#: Queries ``prepare_day`` makes, whatever the size of the service (NetBox-style pin).
PREPARE_DAY_QUERIES = 11


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def _visits(
    patient: Any,
    staff: Any,
    days: range,
    *,
    discipline: str = "nurse",
    need: VisitNeed | None = None,
    status: str = "completed",
    hour: str = "10:00",
) -> list[Visit]:
    made = []
    for back in days:
        day = MONDAY - timedelta(days=back)
        start = at(day, hour)
        made.append(
            Visit(
                patient=patient,
                staff=staff,
                discipline=discipline,
                need=need,
                date=day,
                planned_start=start,
                planned_end=start + timedelta(minutes=45),
                family_window_start=start,
                family_window_end=start,
                status=status,
            )
        )
    return Visit.objects.bulk_create(made)


def _every_visit_way(patient_ids: list[int], day: date) -> dict[tuple[int, str], Any]:
    """Continuity as the planner worked it out before it read only the latest
    visits: every completed visit, newest first, the first per discipline."""
    latest: dict[tuple[int, str], Any] = {}
    rows = (
        Visit.objects.filter(patient_id__in=patient_ids, status="completed", date__lt=day)
        .select_related("staff")
        .order_by("-planned_start", "-pk")
    )
    for row in rows:
        latest.setdefault((row.patient_id, row.discipline), row.staff)
    return latest


def test_continuity_picks_the_last_carer_among_many_past_visits(pw: PlanningWorld) -> None:
    world = pw.world
    # Three months of daily visits, mostly by the key nurse...
    _visits(pw.patient, world.nurse, range(3, 90), need=pw.need)
    # ...the most recent completed one by another nurse,
    _visits(pw.patient, world.outsider_nurse, range(2, 3), need=pw.need)
    # a later one cancelled and one still to come: neither is "the last carer";
    _visits(pw.patient, world.nurse, range(1, 2), need=pw.need, status="cancelled")
    _visits(pw.patient, world.nurse, range(0, 1), status="scheduled")
    # the physician's own visits are another discipline's continuity.
    _visits(pw.patient, world.physician, range(5, 40, 7), discipline="physician")

    ids = [pw.patient.pk]
    assert preparation._continuity(ids, MONDAY) == _every_visit_way(ids, MONDAY)
    assert preparation._continuity(ids, MONDAY) == {
        (pw.patient.pk, "nurse"): world.outsider_nurse,
        (pw.patient.pk, "physician"): world.physician,
    }
    (due,) = preparation.due_visits(MONDAY)
    assert due.preferred_staff == world.outsider_nurse


def test_continuity_between_two_visits_at_the_same_minute_takes_the_one_recorded_last(
    pw: PlanningWorld,
) -> None:
    _visits(pw.patient, pw.world.nurse, range(4, 5), need=pw.need)
    _visits(pw.patient, pw.world.outsider_nurse, range(4, 5), need=pw.need)
    assert preparation._continuity([pw.patient.pk], MONDAY) == {
        (pw.patient.pk, "nurse"): pw.world.outsider_nurse
    }


def _more_of_the_service(pw: PlanningWorld, people: int) -> None:
    """``people`` more in care, each with a daily need, a quiet hour, a
    communication profile, a month of past visits; and an urgent request."""
    world = pw.world
    for n in range(people):
        patient = admitted_patient(world, f"SCALE-{n}", f"Scale{n}")
        need(world, patient)
        _visits(patient, world.nurse, range(1, 30))
        WeeklyWindow.objects.create(
            patient=patient,
            kind="prayer",
            label="Prayer",
            weekdays=list(range(7)),
            starts_at="13:00",
            ends_at="13:30",
            recorded_by=world.nurse,
            recorded_at=clock.now(),
        )
        Communication.objects.create(
            patient=patient, preferred_language="ru", recorded_by=world.nurse
        )
    UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Breathless",
        requested_by=world.physician,
    )
    # People in care with no visit due today cost nothing either.
    for n in range(people):
        patient = admitted_patient(world, f"IDLE-{n}", f"Idle{n}")
        _visits(patient, world.nurse, range(1, 30))


def test_preparing_the_day_makes_the_same_queries_whatever_the_service_holds(
    pw: PlanningWorld,
) -> None:
    _visits(pw.patient, pw.world.nurse, range(1, 2), need=pw.need)  # someone went last
    with CaptureQueriesContext(connection) as small:
        small_day = preparation.prepare_day(MONDAY)
    _more_of_the_service(pw, 12)
    with CaptureQueriesContext(connection) as large:
        large_day = preparation.prepare_day(MONDAY)
    assert len(small_day.due) == 1
    assert len(large_day.due) == 1 + 12 + 1  # the needs and the urgent request
    assert len(small) == len(large) == PREPARE_DAY_QUERIES


def test_the_visits_due_are_the_same_for_every_person_in_a_larger_service(
    pw: PlanningWorld,
) -> None:
    _more_of_the_service(pw, 3)
    due = {item.key: item for item in preparation.due_visits(MONDAY)}
    scale = [item for item in due.values() if item.patient.record_number.startswith("SCALE-")]
    assert len(scale) == 3
    for item in scale:
        assert item.preferred_staff == pw.world.nurse  # whoever went last
        assert item.languages == frozenset({"ru", "en"})
        # the prayer at 13:00–13:30 is kept free of a 45-minute visit
        assert all(
            not (w.start < 13 * 3600 + 1800 and w.end + 45 * 60 > 13 * 3600) for w in item.windows
        )
    assert not any(item.patient.record_number.startswith("IDLE-") for item in due.values())
