"""The return checklist refuses confirmation while equipment or controlled
drugs are still at home; closure is refused with contacts still planned or
the checklist unconfirmed, and closes the episode only when asked."""

from __future__ import annotations

import pytest

from hearth.bereavement import queries, services
from hearth.bereavement.models import BereavementPlan
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.patients import services as patients

from .conftest import bring_back, lend, stock


def _finish_contacts(world: World, plan: BereavementPlan) -> None:
    for contact in plan.contacts.open():
        services.mark_contact_not_needed(actor=world.nurse, contact=contact, reason="Test")


def _confirm_returns(world: World, plan: BereavementPlan) -> None:
    services.confirm_equipment_collected(actor=world.coordinator, plan=plan)
    services.confirm_controlled_drugs(actor=world.nurse, plan=plan)


def test_equipment_collection_is_refused_while_a_loan_is_at_home(
    deceased: World, plan: BereavementPlan
) -> None:
    loan = lend(deceased, serial="BED-42", kind="hospital_bed")
    assert queries.returns_checklist(deceased.patient).loans == [loan]
    with pytest.raises(InvalidTransition) as refused:
        services.confirm_equipment_collected(actor=deceased.social_worker, plan=plan)
    assert refused.value.code == "equipment_at_home"
    assert "Hospital bed (BED-42)" in refused.value.message
    plan.refresh_from_db()
    assert plan.equipment_confirmed_at is None
    bring_back(loan)
    services.confirm_equipment_collected(
        actor=deceased.social_worker, plan=plan, note="Bed collected"
    )
    plan.refresh_from_db()
    assert plan.equipment_confirmed_by == deceased.social_worker
    assert plan.equipment_confirmed_at is not None


def test_controlled_drugs_confirmation_is_refused_while_stock_remains(world: World) -> None:
    world.bring_to("active")
    stock(world, "received", "100")
    patients.record_death(
        actor=world.nurse, episode=world.episode, died_at=clock.now(), place_of_death="home"
    )
    plan = BereavementPlan.objects.get(patient=world.patient)
    with pytest.raises(InvalidTransition) as refused:
        services.confirm_controlled_drugs(actor=world.nurse, plan=plan)
    assert refused.value.code == "controlled_drugs_at_home"
    assert "Morphine 10 mg/5 ml" in refused.value.message and "100 ml" in refused.value.message
    stock(world, "destroyed", "100", witness="Second nurse")
    with pytest.raises(NotAllowed):
        services.confirm_controlled_drugs(actor=world.social_worker, plan=plan)
    services.confirm_controlled_drugs(actor=world.nurse, plan=plan)
    plan.refresh_from_db()
    assert plan.drugs_confirmed_by == world.nurse


def test_closure_is_refused_while_contacts_are_planned(
    deceased: World, plan: BereavementPlan
) -> None:
    _confirm_returns(deceased, plan)
    with pytest.raises(InvalidTransition) as refused:
        services.close_plan(actor=deceased.psychologist, plan=plan, note="Done")
    assert refused.value.code == "open_contacts"
    assert "phone call" in refused.value.message
    _finish_contacts(deceased, plan)
    with pytest.raises(ValidationFailed):
        services.close_plan(actor=deceased.psychologist, plan=plan, note="")
    closed = services.close_plan(actor=deceased.psychologist, plan=plan, note="Coping well.")
    assert closed.status == "closed" and closed.closed_by == deceased.psychologist
    # Closing the plan leaves the episode alone unless asked.
    assert deceased.episode.state == "deceased"
    with pytest.raises(InvalidTransition):
        services.add_contact(
            actor=deceased.nurse, plan=plan, due_on=plan.died_on, kind="phone_call"
        )


def test_closure_is_refused_while_the_checklist_is_unconfirmed(
    deceased: World, plan: BereavementPlan
) -> None:
    _finish_contacts(deceased, plan)
    with pytest.raises(InvalidTransition) as refused:
        services.close_plan(actor=deceased.psychologist, plan=plan, note="Done")
    assert refused.value.code == "returns_unconfirmed"
    services.confirm_equipment_collected(actor=deceased.psychologist, plan=plan)
    services.confirm_controlled_drugs(actor=deceased.nurse, plan=plan)
    # Equipment delivered after the confirmation is caught at closure.
    lend(deceased)
    with pytest.raises(InvalidTransition) as again:
        services.close_plan(actor=deceased.psychologist, plan=plan, note="Done")
    assert again.value.code == "equipment_at_home"


def test_closing_the_plan_can_close_the_episode(deceased: World, plan: BereavementPlan) -> None:
    first = plan.contacts.order_by("due_on").first()
    assert first is not None
    services.record_contact(
        actor=deceased.psychologist, contact=first, outcome="done", note="Talked."
    )
    assert deceased.episode.state == "bereavement"
    _finish_contacts(deceased, plan)
    _confirm_returns(deceased, plan)
    services.close_plan(
        actor=deceased.psychologist, plan=plan, note="Follow-up complete.", close_episode=True
    )
    episode = deceased.episode
    assert episode.state == "closed" and episode.closing_note == "Follow-up complete."


def test_closing_from_deceased_starts_then_closes_the_episode(
    deceased: World, plan: BereavementPlan
) -> None:
    _finish_contacts(deceased, plan)
    _confirm_returns(deceased, plan)
    services.close_plan(
        actor=deceased.coordinator, plan=plan, note="Moved away.", close_episode=True
    )
    assert deceased.episode.state == "closed"


def test_only_the_support_team_closes(deceased: World, plan: BereavementPlan) -> None:
    for outsider in (deceased.volunteer, deceased.outsider_nurse, deceased.family):
        with pytest.raises(NotAllowed):
            services.close_plan(actor=outsider, plan=plan, note="x")


def test_an_episode_closed_elsewhere_leaves_the_plan_to_close(
    deceased: World, plan: BereavementPlan
) -> None:
    patients.start_bereavement_follow_up(actor=deceased.coordinator, episode=deceased.episode)
    patients.close_episode(actor=deceased.coordinator, episode=deceased.episode, note="Closed")
    _finish_contacts(deceased, plan)
    _confirm_returns(deceased, plan)
    services.close_plan(actor=deceased.coordinator, plan=plan, note="x", close_episode=True)
    plan.refresh_from_db()
    assert plan.status == "closed"
