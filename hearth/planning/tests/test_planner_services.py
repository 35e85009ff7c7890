"""Planning the day: run, move by hand, publish, fit in an urgent visit, tell the family."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.planning import planner
from hearth.planning.tests.planning_world import (
    FURTHER,
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
    shift,
)
from hearth.visits.choices import UnplacedReason
from hearth.visits.models import (
    DayPlan,
    PlannedVisit,
    StaffPlanningProfile,
    UrgentVisitRequest,
    Visit,
    VisitTimeChange,
    VisitTimeRequest,
    window_around,
)


@pytest.fixture
def pw(world: Any, settings: Any) -> Iterator[PlanningWorld]:
    built = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "06:00")):
        yield built


def _row(plan: DayPlan, patient: Any) -> PlannedVisit:
    return plan.planned_visits.get(patient=patient)


def _local(moment: Any) -> Any:
    return timezone.localtime(moment).time()


# --- plan_day -----------------------------------------------------------------------


def test_it_places_the_visit_on_the_nurses_day(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    row = _row(plan, pw.patient)
    assert row.staff == pw.world.nurse
    assert row.sequence == 1
    assert row.unplaced_reason == ""
    assert row.starts_at is not None and row.ends_at is not None
    assert time(8) <= _local(row.starts_at) and _local(row.ends_at) <= time(16)
    assert row.ends_at - row.starts_at == timedelta(minutes=45)
    assert row.travel_minutes_before > 0  # from the base
    assert plan.status == "draft"
    assert AuditEvent.objects.filter(event_type="visit_plan.drafted").exists()


def test_it_reports_unplaced_visits_with_their_reasons(pw: PlanningWorld) -> None:
    wound = admitted_patient(pw.world, "W-1", "Wendy")
    need(pw.world, wound, skills=["wound_care"])
    nowhere = admitted_patient(pw.world, "N-1", "Nora", where=None)
    need(pw.world, nowhere)
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    assert _row(plan, wound).unplaced_reason == UnplacedReason.NO_QUALIFIED_STAFF
    assert _row(plan, wound).staff is None
    assert _row(plan, nowhere).unplaced_reason == UnplacedReason.NO_ADDRESS
    assert _row(plan, pw.patient).staff == pw.world.nurse


def test_a_person_with_no_free_time_is_not_placed(pw: PlanningWorld) -> None:
    VisitTimeRequest.objects.create(
        patient=pw.patient,
        date=MONDAY,
        kind="not",
        starts_at=time(7),
        ends_at=time(21),
        requested_by=pw.world.family,
    )
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    assert _row(plan, pw.patient).unplaced_reason == UnplacedReason.NO_FREE_TIME


@pytest.mark.parametrize("who", ["nurse", "physician", "family", "administrator"])
def test_only_the_coordinator_plans(pw: PlanningWorld, who: str) -> None:
    with pytest.raises(NotAllowed):
        planner.plan_day(actor=getattr(pw.world, who), date=MONDAY)
    assert not DayPlan.objects.exists()


def test_a_day_in_the_past_is_refused(pw: PlanningWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        planner.plan_day(actor=pw.world.coordinator, date=MONDAY - timedelta(days=1))
    assert "date" in caught.value.field_errors


def test_planning_again_replaces_the_draft(pw: PlanningWorld) -> None:
    first = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    second = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    assert list(DayPlan.objects.all()) == [second]
    assert not PlannedVisit.objects.filter(plan_id=first.pk).exists()


def test_a_published_day_is_not_planned_again(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    with pytest.raises(Conflict) as caught:
        planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    assert "published" in caught.value.message


# --- move_planned_visit -------------------------------------------------------------


def _move(pw: PlanningWorld, row: PlannedVisit, staff: Any, hhmm: str) -> PlannedVisit:
    return planner.move_planned_visit(
        actor=pw.world.coordinator, planned_visit=row, staff=staff, start=at(MONDAY, hhmm)
    )


def test_a_move_to_a_colleague_inside_the_rules_is_saved(pw: PlanningWorld) -> None:
    shift(pw.world, pw.world.outsider_nurse)
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    moved = _move(pw, _row(plan, pw.patient), pw.world.outsider_nurse, "10:00")
    moved.refresh_from_db()
    assert moved.staff == pw.world.outsider_nurse
    assert moved.moved_by_hand
    assert moved.sequence == 1
    assert _local(moved.starts_at) == time(10)
    assert AuditEvent.objects.filter(
        event_type="visit_plan.visit_moved", patient_id=pw.patient.pk
    ).exists()


def test_a_move_outside_the_persons_times_is_refused(pw: PlanningWorld) -> None:
    VisitTimeRequest.objects.create(
        patient=pw.patient,
        date=MONDAY,
        kind="only",
        starts_at=time(9),
        ends_at=time(12),
        requested_by=pw.world.family,
    )
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    row = _row(plan, pw.patient)
    before = (row.staff_id, row.starts_at)
    with pytest.raises(ValidationFailed) as caught:
        _move(pw, row, pw.world.nurse, "13:00")
    assert "start" in caught.value.field_errors
    assert "09:00–11:15" in caught.value.message
    row.refresh_from_db()
    assert (row.staff_id, row.starts_at) == before


def test_a_move_to_someone_without_the_skill_is_refused(pw: PlanningWorld) -> None:
    pw.need.skills = ["syringe_driver"]
    pw.need.save()
    shift(pw.world, pw.world.outsider_nurse)
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    with pytest.raises(ValidationFailed) as caught:
        _move(pw, _row(plan, pw.patient), pw.world.outsider_nurse, "10:00")
    assert "staff" in caught.value.field_errors
    assert "Syringe driver" in caught.value.message


def test_a_move_to_another_discipline_is_refused(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    with pytest.raises(ValidationFailed) as caught:
        _move(pw, _row(plan, pw.patient), pw.world.physician, "10:00")
    assert "nurse" in caught.value.field_errors["staff"][0]


def test_a_move_to_someone_not_working_that_day_is_refused(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    with pytest.raises(ValidationFailed) as caught:
        _move(pw, _row(plan, pw.patient), pw.world.outsider_nurse, "10:00")
    assert "no shift" in caught.value.message


def test_a_move_past_the_end_of_the_shift_is_refused(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    with pytest.raises(ValidationFailed) as caught:
        _move(pw, _row(plan, pw.patient), pw.world.nurse, "15:40")
    assert "start" in caught.value.field_errors
    assert "after the shift ends at 16:00" in caught.value.message


def test_an_unplaced_visit_can_be_put_on_someones_day(pw: PlanningWorld) -> None:
    StaffPlanningProfile.objects.filter(staff=pw.world.nurse).update(max_visits_per_day=1)
    other = admitted_patient(pw.world, "O-1", "Olga")
    need(pw.world, other)
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    (unplaced,) = plan.planned_visits.filter(staff__isnull=True)
    assert unplaced.unplaced_reason == UnplacedReason.DAY_FULL
    with pytest.raises(ValidationFailed) as caught:  # the nurse's day holds one visit only
        _move(pw, unplaced, pw.world.nurse, "14:00")
    assert "limit of 1" in caught.value.message
    shift(pw.world, pw.world.outsider_nurse)  # a colleague comes in
    moved = _move(pw, unplaced, pw.world.outsider_nurse, "14:00")
    moved.refresh_from_db()
    assert moved.staff == pw.world.outsider_nurse
    assert moved.unplaced_reason == ""
    assert _local(moved.starts_at) == time(14)


def test_only_a_draft_can_be_changed_by_hand(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    with pytest.raises(InvalidTransition):
        _move(pw, _row(plan, pw.patient), pw.world.nurse, "10:00")


# --- publish_plan -------------------------------------------------------------------


def test_publishing_creates_visits_with_the_familys_window(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    row = _row(plan, pw.patient)
    (visit,) = planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "published" and plan.published_by == pw.world.coordinator
    assert visit.staff == pw.world.nurse
    assert visit.planned_start == row.starts_at
    assert visit.need == pw.need
    assert visit.status == "scheduled"
    assert (visit.family_window_start, visit.family_window_end) == window_around(
        timezone.localtime(row.starts_at), minutes=60
    )
    assert visit.windows == row.windows
    assert AuditEvent.objects.filter(event_type="visit.planned", patient_id=pw.patient.pk).exists()


def test_publishing_schedules_a_placed_urgent_request(pw: PlanningWorld) -> None:
    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Breathless",
        requested_by=pw.world.physician,
    )
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    visits = planner.publish_plan(actor=pw.world.coordinator, plan=plan)
    urgent = next(v for v in visits if v.urgent_request_id)
    request.refresh_from_db()
    assert request.status == "scheduled"
    assert urgent.staff == pw.world.physician


def test_publishing_over_a_published_day_cancels_its_visits_in_each_readers_language(
    pw: PlanningWorld,
) -> None:
    """Two drafts for one day can only meet when two coordinators plan at once
    (a draft and a published plan may coexist; ``plan_day`` refuses a
    published day). The second draft is made directly here for that race."""
    from django.utils import translation

    from hearth.visits.choices import PlanStatus, VisitStatus

    first = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    (old,) = planner.publish_plan(actor=pw.world.coordinator, plan=first)
    second = DayPlan.objects.create(
        date=MONDAY, status=PlanStatus.DRAFT, created_by=pw.world.coordinator
    )
    planner.publish_plan(actor=pw.world.coordinator, plan=second)
    old.refresh_from_db()
    assert old.status == VisitStatus.CANCELLED
    assert old.cancelled_reason_key == "Replaced by a new plan for the day."
    with translation.override("ru"):
        assert old.cancelled_reason_text == "Заменён новым планом на этот день."
    with translation.override("en"):
        assert old.cancelled_reason_text == "Replaced by a new plan for the day."


def test_only_the_coordinator_publishes(pw: PlanningWorld) -> None:
    plan = planner.plan_day(actor=pw.world.coordinator, date=MONDAY)
    with pytest.raises(NotAllowed):
        planner.publish_plan(actor=pw.world.nurse, plan=plan)
    assert not Visit.objects.exists()


# --- insert_urgent_visit ------------------------------------------------------------


def _published_visit(
    pw: PlanningWorld, plan: DayPlan, patient: Any, staff: Any, start: str, **extra: Any
) -> Visit:
    begins = at(MONDAY, start)
    low, high = window_around(begins, minutes=60)
    values: dict[str, Any] = {
        "patient": patient,
        "staff": staff,
        "discipline": staff.discipline,
        "plan": plan,
        "date": MONDAY,
        "planned_start": begins,
        "planned_end": begins + timedelta(minutes=45),
        "family_window_start": low,
        "family_window_end": high,
        "windows": [[8 * 60, 13 * 60]],
    }
    values.update(extra)
    return Visit.objects.create(**values)


@pytest.fixture
def published_day(pw: PlanningWorld) -> dict[str, Any]:
    """Today, 11:00: the nurse finished Alice at 08:30 and is at Boris's since
    10:50; the physician goes to Boris at 11:15 and ends the day at home, near
    Boris. An urgent physician visit to Alice (60 min) is waiting."""
    world = pw.world
    boris = world.other_patient
    world.other_patient.latitude, world.other_patient.longitude = FURTHER
    world.other_patient.save()
    plan = DayPlan.objects.create(
        date=MONDAY, status="published", created_by=world.coordinator, published_at=clock.now()
    )
    done = _published_visit(pw, plan, pw.patient, world.nurse, "08:30", status="completed")
    going = _published_visit(
        pw, plan, boris, world.nurse, "10:45", status="under_way", arrived_at=at(MONDAY, "10:50")
    )
    later = _published_visit(pw, plan, boris, world.physician, "11:15")
    physician_shift = world.physician.shifts.get()
    physician_shift.ends_at_place = "home"
    physician_shift.save()
    StaffPlanningProfile.objects.create(
        staff=world.physician,
        home_latitude=Decimal("51.530500"),
        home_longitude=Decimal("-0.150500"),
    )
    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Pain out of control",
        requested_by=world.physician,
        duration_minutes=60,
    )
    return {"plan": plan, "done": done, "going": going, "later": later, "request": request}


def test_an_urgent_visit_is_fitted_into_todays_plan(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    done, going, later = (published_day[k] for k in ("done", "going", "later"))
    fixed_before = [(v.pk, v.staff_id, v.planned_start) for v in (done, going)]
    with clock.travel_to(at(MONDAY, "11:00")):
        report = planner.insert_urgent_visit(
            actor=pw.world.coordinator, request=published_day["request"]
        )
    assert report.placed, report.reason_label
    assert report.visit is not None
    assert report.visit.staff == pw.world.physician
    assert report.visit.plan == published_day["plan"]
    assert report.visit.planned_start >= at(MONDAY, "11:00")
    published_day["request"].refresh_from_db()
    assert published_day["request"].status == "scheduled"
    # finished and under-way visits did not move
    for pk, staff_id, start in fixed_before:
        visit = Visit.objects.get(pk=pk)
        assert (visit.staff_id, visit.planned_start) == (staff_id, start)
    # Boris's physician visit went after the urgent one: the family is to be told
    later.refresh_from_db()
    assert later.planned_start > report.visit.planned_start
    assert report.moved == [later]
    (change,) = VisitTimeChange.objects.filter(visit=later)
    assert change.old_window_start == at(MONDAY, "10:15")
    assert change.new_window_start == later.family_window_start
    assert change.family_told_at is None
    told = planner.mark_family_told(actor=pw.world.coordinator, change=change)
    assert told.family_told_by == pw.world.coordinator
    with pytest.raises(InvalidTransition):
        planner.mark_family_told(actor=pw.world.coordinator, change=change)


def test_a_carer_already_on_the_way_is_not_turned_round(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    """At 11:10 the physician has left the base for Boris's 11:15 visit (about
    8 minutes away): that visit stays as it is, and the urgent one comes after."""
    later = published_day["later"]
    with clock.travel_to(at(MONDAY, "11:10")):
        report = planner.insert_urgent_visit(
            actor=pw.world.coordinator, request=published_day["request"]
        )
    assert report.placed, report.reason_label
    assert report.visit is not None
    later.refresh_from_db()
    assert (later.staff, later.planned_start) == (pw.world.physician, at(MONDAY, "11:15"))
    assert report.visit.planned_start >= later.planned_end
    assert not VisitTimeChange.objects.filter(visit=later).exists()


def test_without_a_published_plan_today_insertion_is_refused(pw: PlanningWorld) -> None:
    request = UrgentVisitRequest.objects.create(
        patient=pw.patient,
        discipline="physician",
        for_date=MONDAY,
        reason="Pain",
        requested_by=pw.world.physician,
    )
    with pytest.raises(Conflict) as caught:
        planner.insert_urgent_visit(actor=pw.world.coordinator, request=request)
    assert "publish today first" in caught.value.message


def test_a_request_for_another_day_is_not_inserted(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    request = published_day["request"]
    request.for_date = MONDAY + timedelta(days=1)
    request.save()
    with pytest.raises(ValidationFailed):
        planner.insert_urgent_visit(actor=pw.world.coordinator, request=request)


def test_an_urgent_visit_that_cannot_be_placed_keeps_waiting_with_the_reason(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    pw.patient.latitude = pw.patient.longitude = None
    pw.patient.save()
    with clock.travel_to(at(MONDAY, "11:00")):
        report = planner.insert_urgent_visit(
            actor=pw.world.coordinator, request=published_day["request"]
        )
    assert report.visit is None
    assert report.reason == UnplacedReason.NO_ADDRESS
    assert "map position" in report.reason_label
    published_day["request"].refresh_from_db()
    # Not left waiting for a route it cannot get: the clinician on call is asked.
    assert published_day["request"].status == "dispatched"
    assert not VisitTimeChange.objects.exists()


def test_only_the_coordinator_inserts_and_tells(
    pw: PlanningWorld, published_day: dict[str, Any]
) -> None:
    with pytest.raises(NotAllowed):
        planner.insert_urgent_visit(actor=pw.world.physician, request=published_day["request"])
