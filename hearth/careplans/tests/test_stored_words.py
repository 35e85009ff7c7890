"""What the care plan writes into the record's timeline and audit trail is
kept as a key and parameters (``hearth.core.messages``), so each reader sees
it in their language: the review task's reason and outcome, the items added
to a draft, and a frequency such as "3× a week, 45 min"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone, translation

from hearth.assessments import services as assessments
from hearth.careplans import services
from hearth.careplans.choices import frequency
from hearth.careplans.models import CarePlanReviewTask
from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent

TERMINAL_REASON = (
    "Entered the terminal phase on %(date)s: review goals and interventions; "
    "consider stopping non-essential medicines and observations."
)


def _english(event: AuditEvent) -> str:
    with translation.override("en"):
        return event.summary_text


def _event(event_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("id")


def _enter_terminal_phase(world: World) -> Any:
    current = assessments.current_phase(world.patient)
    return assessments.start_phase(
        actor=world.nurse,
        patient=world.patient,
        phase="terminal",
        end_reason="Changed" if current else "",
    )


def test_it_stores_the_review_reason_as_a_key_with_the_day(active: World) -> None:
    phase = _enter_terminal_phase(active)
    day = timezone.localtime(phase.started_at).date()
    event = _event("care_plan_review_task.created")
    assert event.summary_key == "Care plan review asked for: %(reason)s"
    assert event.summary_params == {
        "reason": {"$m": TERMINAL_REASON, "$p": {"date": {"$d": day.isoformat()}}}
    }
    with translation.override("en"):
        on = f"{day.day} {day.strftime('%B')}"
        expected = TERMINAL_REASON % {"date": on}
        assert CarePlanReviewTask.objects.get(patient=active.patient).reason == expected
    assert _english(event) == f"Care plan review asked for: {expected}"


def test_it_stores_the_outcome_of_a_review_closed_by_a_new_version_as_a_key(
    active: World,
) -> None:
    active.personal_care(drafts=False)
    _enter_terminal_phase(active)
    draft = services.start_care_plan_draft(actor=active.physician, patient=active.patient)
    services.update_care_plan(
        actor=active.physician,
        plan=draft,
        changes={"review_date": clock.today() + timedelta(days=3)},
    )
    services.activate_care_plan(actor=active.physician, plan=draft)
    task = CarePlanReviewTask.objects.get(patient=active.patient)
    assert task.outcome_key == "Care plan version %(version)s activated."
    assert task.outcome_params == {"version": 2}
    with translation.override("en"):
        assert task.outcome_text == "Care plan version 2 activated."
    event = _event("care_plan_review_task.completed")
    assert event.summary_key == "Care plan review done: %(text)s"
    assert event.summary_params == {
        "text": {"$m": "Care plan version %(version)s activated.", "$p": {"version": 2}}
    }
    assert _english(event) == "Care plan review done: Care plan version 2 activated."


def test_it_keeps_a_typed_outcome_as_typed(active: World) -> None:
    _enter_terminal_phase(active)
    task = CarePlanReviewTask.objects.get(patient=active.patient)
    services.dismiss_care_plan_review(actor=active.physician, task=task, reason="Recorded twice")
    task.refresh_from_db()
    assert (task.outcome, task.outcome_key) == ("Recorded twice", "")
    assert task.outcome_text == "Recorded twice"
    event = _event("care_plan_review_task.dismissed")
    assert event.summary_key == "Care plan review dismissed: %(text)s"
    assert event.summary_params == {"text": "Recorded twice"}


def test_it_stores_the_items_added_to_and_removed_from_a_draft_as_keys(active: World) -> None:
    plan = services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    need = services.add_need(
        actor=active.nurse, plan=plan, domain="physical", description="Pain at night", severity=3
    )
    goal = services.add_goal(
        actor=active.nurse, need=need, in_own_words="To sleep", measurable_target="Pain below 4"
    )
    intervention = services.add_intervention(
        actor=active.nurse,
        goal=goal,
        description="Nurse home visit",
        kind="home_visit",
        discipline="nurse",
        times=2,
        per="day",
        duration_minutes=30,
    )
    services.remove_plan_item(actor=active.nurse, item=intervention)
    stored = {
        event.summary_key: event.summary_params
        for event in AuditEvent.objects.filter(object_id=str(plan.external_id))
    }
    assert stored["Need added: %(text)s"] == {"text": "Pain at night"}
    assert stored["Goal added: %(text)s"] == {"text": "To sleep"}
    assert stored["Intervention added: %(text)s"] == {"text": "Nurse home visit"}
    assert stored["Removed from the draft: %(text)s"] == {"text": "Nurse home visit"}
    assert _english(_event("care_plan.item_removed")) == "Removed from the draft: Nurse home visit"


def test_a_frequency_is_one_phrase_whose_form_follows_the_count() -> None:
    twice = frequency(2, "day", 30)
    assert twice.key == "%(count)s× a day, %(minutes)s min"
    assert twice.encode() == {
        "count": 2,
        "minutes": 30,
        "_plural": "%(count)s× a day, %(minutes)s min",
        "_count": "count",
    }
    with translation.override("en"):
        assert twice.render() == "2× a day, 30 min"
        assert frequency(3, "week", 45).render() == "3× a week, 45 min"
        assert frequency(1, "week").render() == "1× a week"
