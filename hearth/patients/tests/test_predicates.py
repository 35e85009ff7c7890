"""Two questions every app asks of a patient: is this person receiving home
care now (``Patient.is_receiving_care``, and ``Patient.objects.in_care()`` for
many at once), and in which episode did they die (``Patient.death_episode``,
``Episode.objects.of_death()``)."""

from __future__ import annotations

import pytest

from hearth.conftest import World, patient_details, referral_details
from hearth.core import clock
from hearth.patients import services
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Episode, Patient

NOT_IN_CARE = [
    EpisodeState.REFERRED,
    EpisodeState.AWAITING_COMMISSION,
    "granted",  # the commission said yes; not yet admitted
    EpisodeState.DISCHARGED,
    EpisodeState.CLOSED,
    EpisodeState.DECEASED,
    EpisodeState.BEREAVEMENT,
]


def test_it_says_an_admitted_patient_is_in_care(world: World) -> None:
    world.bring_to(EpisodeState.ACTIVE)
    patient = Patient.objects.get(pk=world.patient.pk)
    assert patient.is_receiving_care
    assert list(Patient.objects.in_care()) == [patient]


@pytest.mark.parametrize("stage", NOT_IN_CARE)
def test_it_says_a_patient_not_admitted_or_no_longer_in_care_is_not(
    world: World, stage: str
) -> None:
    world.bring_to(stage)
    patient = Patient.objects.get(pk=world.patient.pk)
    assert not patient.is_receiving_care
    assert not Patient.objects.in_care().filter(pk=patient.pk).exists()


def test_it_says_a_patient_with_no_episode_is_not_in_care(world: World) -> None:
    patient = Patient.objects.create(**patient_details("C-1"))
    assert not patient.is_receiving_care
    assert not Patient.objects.in_care().filter(pk=patient.pk).exists()


def test_it_asks_about_the_current_episode_not_an_earlier_one(world: World) -> None:
    """Discharged, closed and referred again: the old admission does not count;
    admitted again, the new one does."""
    world.bring_to(EpisodeState.CLOSED)
    episode = services.refer_existing_patient(
        actor=world.coordinator, patient=world.patient, referral=referral_details()
    )
    patient = Patient.objects.get(pk=world.patient.pk)
    assert not patient.is_receiving_care
    assert not Patient.objects.in_care().filter(pk=patient.pk).exists()

    world.bring_to(EpisodeState.ACTIVE)
    patient = Patient.objects.get(pk=world.patient.pk)
    assert patient.current_episode == episode
    assert patient.is_receiving_care
    assert list(Patient.objects.in_care()) == [patient]


def test_the_queryset_verb_agrees_with_the_property_and_chains(world: World) -> None:
    world.bring_to(EpisodeState.ACTIVE)
    patients = list(Patient.objects.with_current_episode())
    in_care = set(Patient.objects.in_care().with_current_episode())
    assert {p for p in patients if p.is_receiving_care} == in_care == {world.patient}
    assert world.other_patient not in in_care


def test_a_living_patient_has_no_death_episode(world: World) -> None:
    world.bring_to(EpisodeState.ACTIVE)
    assert world.patient.death_episode() is None
    assert not Episode.objects.of_death().exists()


@pytest.mark.parametrize(
    "stage", [EpisodeState.DECEASED, EpisodeState.BEREAVEMENT, EpisodeState.CLOSED]
)
def test_the_death_episode_is_the_one_the_death_was_recorded_in(world: World, stage: str) -> None:
    world.bring_to(EpisodeState.DECEASED)
    died_in = world.episode
    if stage == EpisodeState.BEREAVEMENT:
        services.start_bereavement_follow_up(actor=world.coordinator, episode=died_in)
    elif stage == EpisodeState.CLOSED:
        services.start_bereavement_follow_up(actor=world.coordinator, episode=died_in)
        services.close_episode(actor=world.coordinator, episode=died_in, note="Done.")
    found = world.patient.death_episode()
    assert found == died_in
    assert found is not None and found.died_at is not None and found.died_at <= clock.now()
    assert list(Episode.objects.of_death()) == [died_in]
    assert world.other_patient.death_episode() is None


def test_a_discharge_is_not_a_death(world: World) -> None:
    world.bring_to(EpisodeState.DISCHARGED)
    assert world.patient.death_episode() is None
