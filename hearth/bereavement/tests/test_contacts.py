"""Staff record, add, reschedule and stand down contacts; the first contact
recorded starts bereavement follow-up for the episode."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hearth.bereavement import services
from hearth.bereavement.models import BereavementPlan
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed


def _first(plan: BereavementPlan) -> object:
    return plan.contacts.order_by("due_on").first()


def test_recording_the_first_contact_starts_bereavement_follow_up(
    deceased: World, plan: BereavementPlan
) -> None:
    assert deceased.episode.state == "deceased"
    first = plan.contacts.order_by("due_on").first()
    assert first is not None
    with pytest.raises(ValidationFailed) as refused:
        services.record_contact(actor=deceased.psychologist, contact=first, outcome="done")
    assert "note" in refused.value.field_errors
    done = services.record_contact(
        actor=deceased.psychologist, contact=first, outcome="done", note="Talked for an hour."
    )
    assert (done.status, done.done_by) == ("done", deceased.psychologist)
    assert deceased.episode.state == "bereavement"
    with pytest.raises(InvalidTransition):
        services.record_contact(
            actor=deceased.psychologist, contact=first, outcome="done", note="again"
        )


def test_could_not_reach_can_plan_another_try(deceased: World, plan: BereavementPlan) -> None:
    first = plan.contacts.order_by("due_on").first()
    assert first is not None
    tomorrow = clock.today() + timedelta(days=1)
    services.record_contact(
        actor=deceased.social_worker, contact=first, outcome="not_reached", retry_on=tomorrow
    )
    first.refresh_from_db()
    assert first.status == "not_reached"
    retry = plan.contacts.get(source="retry")
    assert retry.due_on == tomorrow and retry.kind == first.kind


def test_a_contact_cannot_be_recorded_in_the_future_or_before_the_death(
    deceased: World, plan: BereavementPlan
) -> None:
    first = plan.contacts.order_by("due_on").first()
    assert first is not None
    for when in (clock.now() + timedelta(hours=2), clock.now() - timedelta(days=30)):
        with pytest.raises(ValidationFailed) as refused:
            services.record_contact(
                actor=deceased.nurse, contact=first, outcome="done", note="x", done_at=when
            )
        assert "done_at" in refused.value.field_errors


def test_staff_add_and_reschedule_contacts(deceased: World, plan: BereavementPlan) -> None:
    due = clock.today() + timedelta(days=3)
    added = services.add_contact(
        actor=deceased.chaplain, plan=plan, due_on=due, kind="home_visit", purpose="Funeral"
    )
    assert (added.source, added.due_on, added.kind) == ("added", due, "home_visit")
    assert [link.user for link in added.relatives.all()] == [deceased.family]
    with pytest.raises(ValidationFailed) as refused:
        services.update_contact(actor=deceased.nurse, contact=added, due_on=due + timedelta(days=2))
    assert "reason" in refused.value.field_errors
    moved = services.update_contact(
        actor=deceased.nurse,
        contact=added,
        due_on=due + timedelta(days=2),
        kind="phone_call",
        reason="Family away",
    )
    assert (moved.due_on, moved.kind) == (due + timedelta(days=2), "phone_call")
    with pytest.raises(ValidationFailed):
        services.add_contact(
            actor=deceased.nurse, plan=plan, due_on=plan.died_on - timedelta(days=1), kind="x"
        )


def test_a_contact_not_needed_needs_a_reason(deceased: World, plan: BereavementPlan) -> None:
    last = plan.contacts.order_by("due_on").last()
    assert last is not None
    with pytest.raises(ValidationFailed):
        services.mark_contact_not_needed(actor=deceased.nurse, contact=last, reason=" ")
    services.mark_contact_not_needed(
        actor=deceased.nurse, contact=last, reason="Family moved abroad; asked for no more calls."
    )
    last.refresh_from_db()
    assert last.status == "not_needed"


def test_outside_the_team_nobody_plans_contacts(deceased: World, plan: BereavementPlan) -> None:
    contact = plan.contacts.first()
    assert contact is not None
    for outsider in (deceased.outsider_nurse, deceased.volunteer, deceased.family):
        with pytest.raises(NotAllowed):
            services.record_contact(actor=outsider, contact=contact, outcome="done", note="x")
        with pytest.raises(NotAllowed):
            services.add_contact(actor=outsider, plan=plan, due_on=clock.today(), kind="phone_call")
