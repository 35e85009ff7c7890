"""A volunteer is assigned only when active, vetted and trained, and only to
a family on the service; each refusal names what is missing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import ValidationFailed
from hearth.patients import services as patient_services
from hearth.volunteers import services
from hearth.volunteers.choices import Activity, TrainingModule

from .conftest import ALL_MODULES, make_profile, new_volunteer, propose


def test_an_eligible_volunteer_is_proposed(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    assert assignment.status == "proposed"


def test_expired_vetting_is_refused_with_its_date(active: World) -> None:
    volunteer = new_volunteer()
    today = clock.today()
    make_profile(
        active, volunteer, vetting=(today - timedelta(days=1200), today - timedelta(days=3))
    )
    with pytest.raises(ValidationFailed) as refused:
        propose(active, volunteer)
    assert refused.value.code == "not_eligible"
    assert "background check (DBS) expired" in refused.value.message
    assert "volunteer" in refused.value.field_errors


def test_no_vetting_recorded_is_refused(active: World) -> None:
    volunteer = new_volunteer()
    profile = make_profile(active, volunteer)
    services.update_profile(
        actor=active.coordinator,
        profile=profile,
        changes={"vetting_checked_on": None, "vetting_expires_on": None},
    )
    with pytest.raises(ValidationFailed, match="no background check"):
        propose(active, volunteer)


def test_vetting_that_lapses_before_the_first_day_is_refused(active: World) -> None:
    volunteer = new_volunteer()
    today = clock.today()
    make_profile(
        active, volunteer, vetting=(today - timedelta(days=1000), today + timedelta(days=5))
    )
    propose(active, volunteer, kind=Activity.ERRANDS)  # starts today: fine
    with pytest.raises(ValidationFailed, match="expired"):
        propose(active, volunteer, starts_on=today + timedelta(days=10))


def test_missing_training_is_refused_naming_each_module(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(
        active, volunteer, modules=[TrainingModule.INDUCTION, TrainingModule.CONFIDENTIALITY]
    )
    with pytest.raises(ValidationFailed) as refused:
        propose(active, volunteer)
    assert "Safeguarding adults and children" in refused.value.message
    assert "Palliative-care awareness" in refused.value.message
    assert "Induction" not in refused.value.message


def test_expired_and_withdrawn_training_do_not_count(active: World) -> None:
    volunteer = new_volunteer()
    required = [
        TrainingModule.INDUCTION,
        TrainingModule.CONFIDENTIALITY,
        TrainingModule.SAFEGUARDING,
    ]
    profile = make_profile(active, volunteer, modules=required)
    today = clock.today()
    services.record_training(
        actor=active.coordinator,
        profile=profile,
        module=TrainingModule.PALLIATIVE_AWARENESS,
        completed_on=today - timedelta(days=800),
        expires_on=today - timedelta(days=1),
    )
    with pytest.raises(ValidationFailed, match="Palliative-care awareness"):
        propose(active, volunteer)
    mistaken = services.record_training(
        actor=active.coordinator,
        profile=profile,
        module=TrainingModule.PALLIATIVE_AWARENESS,
        completed_on=today,
    )
    assert propose(active, volunteer).status == "proposed"
    services.withdraw_training(actor=active.coordinator, training=mistaken, reason="Wrong person")
    with pytest.raises(ValidationFailed, match="Palliative-care awareness"):
        propose(active, volunteer, kind=Activity.ERRANDS)


def test_transport_also_needs_manual_handling(active: World) -> None:
    volunteer = new_volunteer()
    modules = [m for m in ALL_MODULES if m != TrainingModule.MANUAL_HANDLING]
    make_profile(active, volunteer, modules=modules)
    propose(active, volunteer, kind=Activity.SITTING)
    with pytest.raises(ValidationFailed, match="Manual handling"):
        propose(active, volunteer, kind=Activity.TRANSPORT)


@pytest.mark.parametrize("status", ["paused", "left"])
def test_an_inactive_volunteer_is_refused(active: World, status: str) -> None:
    volunteer = new_volunteer()
    profile = make_profile(active, volunteer)
    services.set_status(actor=active.coordinator, profile=profile, status=status)
    with pytest.raises(ValidationFailed, match="not an active volunteer"):
        propose(active, volunteer)


def test_a_deactivated_sign_in_is_refused(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    with pytest.raises(ValidationFailed, match="not an active volunteer"):
        propose(active, volunteer)


def test_a_kind_the_volunteer_did_not_offer_is_refused(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer, offers=[Activity.ERRANDS])
    with pytest.raises(ValidationFailed, match="has not offered sitting"):
        propose(active, volunteer)


def test_a_volunteer_without_a_profile_is_refused(active: World) -> None:
    with pytest.raises(ValidationFailed, match="no volunteer profile"):
        propose(active, new_volunteer())


def test_a_person_not_in_home_care_is_refused(world: World) -> None:
    volunteer = new_volunteer()
    make_profile(world, volunteer)
    with pytest.raises(ValidationFailed, match="not in active home care"):
        propose(world, volunteer)  # patient A is only referred


def test_befriending_after_a_death_waits_for_the_death(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    with pytest.raises(ValidationFailed, match="bereavement follow-up"):
        propose(active, volunteer, kind=Activity.BEREAVEMENT_BEFRIENDING)
    patient_services.record_death(
        actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
    )
    assignment = propose(active, volunteer, kind=Activity.BEREAVEMENT_BEFRIENDING)
    assert assignment.status == "proposed"
    with pytest.raises(ValidationFailed, match="not in active home care"):
        propose(active, volunteer, kind=Activity.SITTING)


def test_starting_rechecks_eligibility(active: World) -> None:
    volunteer = new_volunteer()
    today = clock.today()
    make_profile(
        active, volunteer, vetting=(today - timedelta(days=1000), today + timedelta(days=2))
    )
    assignment = propose(active, volunteer)
    later = timezone.make_aware(datetime.combine(today + timedelta(days=5), time(10)))
    with clock.travel_to(later), pytest.raises(ValidationFailed, match="expired"):
        services.activate_assignment(actor=active.coordinator, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == "proposed"
