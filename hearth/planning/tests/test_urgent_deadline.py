"""Issue 17: within planned hours an urgent visit starts before its deadline
(``respond_by``) or goes to the clinician on call at once, with a true reason.

Hazard S23 (docs/clinical-safety.md): an urgent visit placed after routine
visits, too late in the day plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.planning import planner, reasons
from hearth.planning.tasks import insert_urgent_visit_task
from hearth.planning.tests.planning_world import (
    MONDAY,
    PlanningWorld,
    admitted_patient,
    at,
    need,
    planning_world,
)
from hearth.visits import services
from hearth.visits.models import DayPlan, UrgentVisitRequest, Visit, window_around
from hearth.visits.signals import urgent_visit_not_placed_in_time

pytestmark = pytest.mark.django_db

SUNDAY = MONDAY + timedelta(days=6)


@pytest.fixture
def handed_to_on_call() -> Iterator[list[dict[str, Any]]]:
    """What planning told the on-call side (a test receiver, disconnected after)."""
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, request: UrgentVisitRequest, reason: str, **kwargs: Any) -> None:
        heard.append({"request": request, "reason": reason})

    urgent_visit_not_placed_in_time.connect(receiver, dispatch_uid="test.on_call")
    try:
        yield heard
    finally:
        urgent_visit_not_placed_in_time.disconnect(dispatch_uid="test.on_call")


def _published_day(pw: PlanningWorld) -> DayPlan:
    return DayPlan.objects.create(
        date=MONDAY,
        status="published",
        created_by=pw.world.coordinator,
        published_at=at(MONDAY, "07:00"),
    )


def _routine(plan: DayPlan, patient: Any, staff: Any, start: str, minutes: int = 30) -> Visit:
    """A routine visit the person could have any time 08:00–15:00 (slack)."""
    begins = at(MONDAY, start)
    low, high = window_around(begins, minutes=60)
    return Visit.objects.create(
        patient=patient,
        staff=staff,
        discipline=staff.discipline,
        plan=plan,
        date=MONDAY,
        planned_start=begins,
        planned_end=begins + timedelta(minutes=minutes),
        family_window_start=low,
        family_window_end=high,
        windows=[[8 * 60, 15 * 60]],
    )


@pytest.fixture
def full_physician_day(world: Any, settings: Any) -> tuple[PlanningWorld, DayPlan, list[Visit]]:
    """Monday is published: the physician has six routine reviews from 09:15
    to 13:30, each one the person could have had later in the day."""
    pw = planning_world(world, settings)
    plan = _published_day(pw)
    routine = []
    for n, start in enumerate(["09:15", "10:00", "10:45", "11:30", "12:15", "13:00"]):
        where = (Decimal("51.5") + Decimal(n) / 200, Decimal("-0.12") - Decimal(n) / 200)
        patient = admitted_patient(world, f"R-{n}", f"Routine{n}", where)
        routine.append(_routine(plan, patient, world.physician, start))
    return pw, plan, routine


def test_an_urgent_visit_asked_for_at_nine_starts_before_its_eleven_oclock_deadline(
    full_physician_day: tuple[PlanningWorld, DayPlan, list[Visit]],
    handed_to_on_call: list[dict[str, Any]],
) -> None:
    pw, _plan, routine = full_physician_day
    with clock.travel_to(at(MONDAY, "09:00")):
        request = services.request_urgent_visit(
            actor=pw.world.physician, patient=pw.patient, reason="Pain 9/10 despite doses"
        )
        assert request.respond_by is not None
        assert abs(request.respond_by - at(MONDAY, "11:00")) < timedelta(seconds=1)
        outcome = insert_urgent_visit_task.call(request_id=request.pk)

    assert outcome == "placed"
    assert handed_to_on_call == []
    request.refresh_from_db()
    assert request.status == "scheduled"
    # The planned start is readable from the request (the alert page shows it).
    urgent = request.visits.not_cancelled().get()
    assert urgent.staff == pw.world.physician
    assert at(MONDAY, "09:00") <= urgent.planned_start <= at(MONDAY, "11:00")
    # Routine reviews that could wait now come after it: it is not last.
    after = [v for v in Visit.objects.filter(pk__in=[r.pk for r in routine])]
    assert any(v.planned_start > urgent.planned_start for v in after)
    last = max(after, key=lambda v: v.planned_start)
    assert last.planned_start > urgent.planned_start


def test_a_request_at_0021_is_not_placed_last_in_the_day_but_handed_to_on_call(
    full_physician_day: tuple[PlanningWorld, DayPlan, list[Visit]],
    handed_to_on_call: list[dict[str, Any]],
) -> None:
    """The 00:21 request of issue 17 went in at 16:29, after two routine
    reviews. Its deadline is 02:21, before visiting hours: the plan cannot
    start it in time, so the clinician on call is asked at once."""
    pw, _plan, _routine_visits = full_physician_day
    with clock.travel_to(at(MONDAY, "00:21")):
        request = services.request_urgent_visit(
            actor=pw.world.physician, patient=pw.patient, reason="Needs midazolam review"
        )
        outcome = insert_urgent_visit_task.call(request_id=request.pk)

    # Out of planned hours the request went to the clinician on call when it was
    # made; the day plan leaves it alone.
    assert outcome == "skipped"
    assert not Visit.objects.filter(urgent_request=request).exists()
    request.refresh_from_db()
    assert request.status == "dispatched" and request.dispatch.status == "offered"


def test_an_urgent_visit_that_cannot_start_in_time_goes_to_on_call_not_later_in_the_day(
    full_physician_day: tuple[PlanningWorld, DayPlan, list[Visit]],
    handed_to_on_call: list[dict[str, Any]],
) -> None:
    """The only physician's shift starts at 12:00; the deadline is 11:00."""
    pw, _plan, _routine_visits = full_physician_day
    physician_shift = pw.world.physician.shifts.get()
    physician_shift.starts_at = time(12, 0)
    physician_shift.save()
    with clock.travel_to(at(MONDAY, "09:00")):
        request = services.request_urgent_visit(
            actor=pw.world.physician, patient=pw.patient, reason="Agitated, pump alarm"
        )
        report = planner.insert_urgent_visit(actor=pw.world.coordinator, request=request)

    assert not report.placed
    assert report.reason == reasons.NOT_BEFORE_DEADLINE
    assert not Visit.objects.filter(urgent_request=request).exists()
    (told,) = handed_to_on_call
    assert "before its deadline, 11:00" in str(told["reason"])


def test_it_keeps_why_the_urgent_visit_was_not_placed_as_a_key(
    full_physician_day: tuple[PlanningWorld, DayPlan, list[Visit]],
) -> None:
    """The reason goes into the audit trail and the dispatch as a key, so the
    on-call clinician and the coordinator each read it in their language."""
    pw, _plan, _routine_visits = full_physician_day
    physician_shift = pw.world.physician.shifts.get()
    physician_shift.starts_at = time(12, 0)
    physician_shift.save()
    with clock.travel_to(at(MONDAY, "09:00")):
        request = services.request_urgent_visit(
            actor=pw.world.physician, patient=pw.patient, reason="Agitated, pump alarm"
        )
        planner.insert_urgent_visit(actor=pw.world.coordinator, request=request)
    deadline = {"$m": "Nobody can start it before its deadline, %(time)s.", "$p": {"time": "11:00"}}
    cause = "No qualified staff member's shift overlaps the times the person can be visited."
    why = {"reason": deadline, "cause": {"$m": cause, "$p": {}}}
    event = AuditEvent.objects.get(event_type="urgent_visit.not_placed")
    assert event.summary_params == {"reason": {"$m": "%(reason)s %(cause)s", "$p": why}}
    request.refresh_from_db()
    dispatch = request.dispatch
    assert (dispatch.why_on_call_key, dispatch.why_on_call_params) == ("%(reason)s %(cause)s", why)
    with translation.override("en"):
        assert event.summary_text == (
            "The urgent visit could not be started before its deadline in today's plan: "
            f"Nobody can start it before its deadline, 11:00. {cause} "
            "It goes to the clinician on call."
        )


def test_a_reason_names_the_day_and_discipline_as_codes_read_when_shown() -> None:
    message = reasons.explain_message("no_staff_of_discipline", day=MONDAY, discipline="physician")
    assert message.key == "Nobody on shift on %(day)s has the discipline: %(discipline)s."
    assert message.encode() == {
        "day": {"$wd": MONDAY.isoformat()},
        "discipline": {"$lower": {"$t": "Physician"}},
    }
    with translation.override("en"):
        assert message.render() == (
            "Nobody on shift on Monday, 1 March has the discipline: physician."
        )
    skills = reasons.explain_message(
        "no_staff_with_skills", day=MONDAY, skills=["wound_care", "syringe_driver"]
    )
    assert skills.encode()["skills"]["$j"] == [
        {"$t": "Syringe driver"},
        {"$t": "Wound care"},
    ]


def test_a_request_with_no_published_plan_today_goes_straight_to_on_call(
    world: Any, settings: Any, handed_to_on_call: list[dict[str, Any]]
) -> None:
    pw = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "10:00")):
        request = services.request_urgent_visit(
            actor=world.physician, patient=pw.patient, reason="Breathless at rest"
        )
    # Visits sees there is no plan to wait for and offers it to on call at once;
    # planning, told afterwards, finds it no longer waiting and adds nothing.
    request.refresh_from_db()
    assert request.status == "dispatched" and request.dispatch.status == "offered"
    assert handed_to_on_call == []


def test_without_a_coordinator_the_task_hands_the_request_to_on_call(
    full_physician_day: tuple[PlanningWorld, DayPlan, list[Visit]],
    handed_to_on_call: list[dict[str, Any]],
) -> None:
    pw, _plan, _routine_visits = full_physician_day
    pw.world.coordinator.is_active = False
    pw.world.coordinator.save()
    with clock.travel_to(at(MONDAY, "09:00")):
        request = services.request_urgent_visit(
            actor=pw.world.physician, patient=pw.patient, reason="Pain"
        )
        outcome = insert_urgent_visit_task.call(request_id=request.pk)
    assert outcome == f"not_placed: {reasons.NO_COORDINATOR}"
    (told,) = handed_to_on_call
    assert "coordinator" in str(told["reason"])


# --- Reasons that tell the truth -----------------------------------------------------


def test_a_sunday_with_no_shifts_says_nobody_has_a_shift(
    world: Any, settings: Any, client_for: Any
) -> None:
    pw = planning_world(world, settings)
    need(world, pw.patient, skills=["syringe_driver"], minutes=30)
    with clock.travel_to(at(MONDAY, "06:00")):
        plan = planner.plan_day(actor=world.coordinator, date=SUNDAY)
        rows = list(plan.planned_visits.filter(staff__isnull=True))
        assert len(rows) == 2
        for row in rows:
            text = reasons.unplaced_text(row)
            assert text.startswith("Nobody has a shift on Sunday")
            assert "skills" not in text and "signed off" not in text
        page = client_for(world.coordinator).get(
            f"{reverse('visit_plan')}?date={SUNDAY.isoformat()}"
        )
    body = page.content.decode()
    assert "Nobody has a shift on Sunday" in body
    assert "discipline and skills" not in body


def test_a_physician_visit_with_only_a_nurse_on_shift_names_the_discipline(
    world: Any, settings: Any
) -> None:
    pw = planning_world(world, settings)
    world.physician.shifts.all().delete()
    need(world, pw.patient, discipline="physician", minutes=30)
    with clock.travel_to(at(MONDAY, "06:00")):
        plan = planner.plan_day(actor=world.coordinator, date=MONDAY)
    row = plan.planned_visits.get(staff__isnull=True)
    assert reasons.unplaced_text(row).startswith(
        "Nobody on shift on Monday, 1 March has the discipline: physician"
    )


def test_a_visit_needing_a_skill_nobody_on_shift_has_names_the_skill(
    world: Any, settings: Any
) -> None:
    pw = planning_world(world, settings)
    need(world, pw.patient, skills=["wound_care"], minutes=30)
    with clock.travel_to(at(MONDAY, "06:00")):
        plan = planner.plan_day(actor=world.coordinator, date=MONDAY)
    row = plan.planned_visits.get(staff__isnull=True)
    text = reasons.unplaced_text(row)
    assert "with the discipline nurse is signed off for" in text
    assert "ound care" in text  # the skill's label, e.g. "Wound care"


def test_a_night_request_is_not_put_into_the_days_draft_after_its_deadline(
    world: Any, settings: Any, handed_to_on_call: list[dict[str, Any]]
) -> None:
    """Issue 17: a 02:34 request went into the daytime route at 13:25. It
    goes to on call at once, and the morning's plan does not place it late."""
    pw = planning_world(world, settings)
    with clock.travel_to(at(MONDAY, "02:34")):
        request = services.request_urgent_visit(
            actor=world.physician, patient=pw.patient, reason="Needs midazolam review now"
        )
    request.refresh_from_db()
    assert request.status == "dispatched" and request.dispatch.status == "offered"
    with clock.travel_to(at(MONDAY, "06:00")):
        plan = planner.plan_day(actor=world.coordinator, date=MONDAY)
    assert not plan.planned_visits.filter(urgent_request=request, staff__isnull=False).exists()
