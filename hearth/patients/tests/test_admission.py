"""The admission journey: every transition and its guards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hearth.conftest import World, patient_details, referral_details
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.patients import services
from hearth.patients.choices import EpisodeState
from hearth.patients.models import (
    CommissionDecision,
    Diagnosis,
    Episode,
    ImmutableRecordError,
    Patient,
)


def test_it_walks_the_whole_journey_to_closure(world: World) -> None:
    assert world.episode.state == EpisodeState.REFERRED
    world.screen()
    assert world.episode.state == EpisodeState.AWAITING_COMMISSION
    world.decide("granted")
    services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    episode = world.episode
    assert episode.state == EpisodeState.ACTIVE
    assert episode.admitted_by == world.coordinator
    assert episode.next_review_date == clock.today() + timedelta(days=90)
    died = clock.now() - timedelta(hours=1)
    services.record_death(
        actor=world.nurse, episode=episode, died_at=died, place_of_death="home", note="Peaceful."
    )
    episode.refresh_from_db()
    world.patient.refresh_from_db()
    assert episode.state == EpisodeState.DECEASED
    assert episode.died_at == died and episode.place_of_death == "home"
    assert world.patient.date_of_death is not None
    services.start_bereavement_follow_up(actor=world.psychologist, episode=episode)
    services.close_episode(actor=world.psychologist, episode=episode, note="Follow-up complete.")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    transitions = list(
        AuditEvent.objects.filter(patient_id=world.patient.pk, action="transition")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert transitions == [
        "episode.awaiting_commission",
        "episode.active",
        "episode.deceased",
        "episode.bereavement",
        "episode.closed",
    ]


def test_it_refuses_admission_without_a_granted_decision(world: World) -> None:
    world.screen()
    with pytest.raises(InvalidTransition) as refused:
        services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    assert refused.value.code == "no_granted_decision"
    world.decide("deferred")
    with pytest.raises(InvalidTransition):
        services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    assert world.episode.state == EpisodeState.AWAITING_COMMISSION


def test_it_refuses_admission_when_the_commission_granted_inpatient_care(world: World) -> None:
    world.screen()
    world.decide("granted", form_of_care="inpatient")
    assert world.episode.state == EpisodeState.NOT_ADMITTED
    with pytest.raises(InvalidTransition):
        services.admit_to_home_care(actor=world.coordinator, episode=world.episode)


def test_it_refuses_admission_straight_from_referral(world: World) -> None:
    with pytest.raises(InvalidTransition):
        services.admit_to_home_care(actor=world.coordinator, episode=world.episode)


def test_a_later_decision_supersedes_and_the_earlier_stays_readable(world: World) -> None:
    world.screen()
    deferred = world.decide("deferred")
    granted = world.decide("granted")
    assert granted.supersedes == deferred
    assert world.episode.current_decision == granted
    assert CommissionDecision.objects.filter(episode=world.episode).count() == 2
    services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    assert world.episode.state == EpisodeState.ACTIVE


def test_signed_decisions_cannot_be_changed_or_deleted(world: World) -> None:
    world.screen()
    decision = world.decide("granted")
    decision.outcome = "refused"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    assert CommissionDecision.objects.get(pk=decision.pk).outcome == "granted"


def test_a_refusal_ends_the_episode_as_not_admitted(world: World) -> None:
    world.screen()
    world.decide("refused")
    episode = world.episode
    assert episode.state == EpisodeState.NOT_ADMITTED
    assert episode.closed_at is not None


def test_screening_not_eligible_ends_the_episode(world: World) -> None:
    services.record_eligibility_screening(
        actor=world.nurse,
        episode=world.episode,
        general_indicators=[],
        condition_indicators=[],
        conclusion="Not yet in the last year of life.",
        outcome="not_eligible",
    )
    assert world.episode.state == EpisodeState.NOT_ADMITTED


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"member_ids": []}, "members"),
        ({"chair_id": "00000000-0000-0000-0000-000000000000"}, "chair"),
        ({"outcome": "deferred", "reason": ""}, "reason"),
        ({"review_date": None}, "review_date"),
        ({"decided_on": clock.today() + timedelta(days=2)}, "decided_on"),
        ({"indications": "  "}, "indications"),
        ({"form_of_care": "hotel"}, "form_of_care"),
        ({"diagnosis_code": "not-icd"}, "diagnosis_code"),
    ],
)
def test_decision_validation_names_the_field(world: World, override: dict, field: str) -> None:
    override = dict(override)
    world.screen()
    with pytest.raises(ValidationFailed) as failed:
        world.decide(override.pop("outcome", "granted"), **override)
    assert field in failed.value.field_errors
    assert not CommissionDecision.objects.exists()


def test_a_decision_needs_two_physicians(world: World) -> None:
    world.screen()
    # Two commission members, but only one counts as a physician? Both do here, so
    # use a commission that includes a nurse to show the rule.
    world.outsider_nurse.sits_on_medical_commission = True
    world.outsider_nurse.save()
    with pytest.raises(ValidationFailed) as failed:
        world.decide(
            "granted",
            member_ids=[world.commission_member.external_id, world.outsider_nurse.external_id],
            chair_id=world.commission_member.external_id,
        )
    assert "members" in failed.value.field_errors


def test_a_member_signs_only_a_commission_they_sat_on(world: World) -> None:
    world.screen()
    with pytest.raises(ValidationFailed) as failed:
        world.decide(
            "granted",
            member_ids=[
                world.commission_physician_1.external_id,
                world.commission_physician_2.external_id,
            ],
        )
    assert "members" in failed.value.field_errors


def test_members_must_belong_to_the_commission(world: World) -> None:
    world.screen()
    with pytest.raises(ValidationFailed) as failed:
        world.decide(
            "granted",
            member_ids=[
                world.commission_member.external_id,
                world.commission_physician_1.external_id,
                world.physician.external_id,
            ],
        )
    assert "members" in failed.value.field_errors


@pytest.mark.parametrize("role", ["physician", "nurse", "coordinator", "family", "administrator"])
def test_only_commission_members_record_decisions(world: World, role: str) -> None:
    world.screen()
    with pytest.raises(NotAllowed):
        world.decide("granted", actor=getattr(world, role))
    assert not CommissionDecision.objects.exists()


def test_family_cannot_screen_decide_or_admit(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.record_eligibility_screening(
            actor=world.family,
            episode=world.episode,
            general_indicators=["poor_performance"],
            condition_indicators=[],
            conclusion="We think so.",
            outcome="refer_to_commission",
        )
    world.screen()
    with pytest.raises(NotAllowed):
        world.decide("granted", actor=world.family)
    world.decide("granted")
    with pytest.raises(NotAllowed):
        services.admit_to_home_care(actor=world.family, episode=world.episode)
    assert world.episode.state == EpisodeState.AWAITING_COMMISSION


def test_family_referral_only_opens_a_referred_episode(world: World) -> None:
    world.bring_to(EpisodeState.CLOSED)
    episode = services.refer_existing_patient(
        actor=world.family, patient=world.patient, referral=referral_details(referrer_type="family")
    )
    assert episode.state == EpisodeState.REFERRED
    assert not episode.commission_decisions.exists()
    with pytest.raises(NotAllowed):
        services.refer_new_patient(
            actor=world.family, patient=patient_details("F-1"), referral=referral_details()
        )


def test_family_cannot_refer_another_patient(world: World) -> None:
    world.bring_to(EpisodeState.CLOSED)
    with pytest.raises(NotAllowed):
        services.refer_existing_patient(
            actor=world.other_family, patient=world.patient, referral=referral_details()
        )


def test_a_second_open_episode_is_refused(world: World) -> None:
    with pytest.raises(Conflict):
        services.refer_existing_patient(
            actor=world.coordinator, patient=world.patient, referral=referral_details()
        )
    assert Episode.objects.filter(patient=world.patient).count() == 1


@pytest.mark.parametrize(
    ("stage", "step"),
    [
        (EpisodeState.REFERRED, "discharge"),
        (EpisodeState.REFERRED, "death"),
        (EpisodeState.AWAITING_COMMISSION, "screen"),
        (EpisodeState.ACTIVE, "admit"),
        (EpisodeState.ACTIVE, "bereavement"),
        (EpisodeState.ACTIVE, "close"),
        (EpisodeState.DECEASED, "discharge"),
        (EpisodeState.DISCHARGED, "death"),
        (EpisodeState.CLOSED, "bereavement"),
    ],
)
def test_steps_out_of_order_are_refused(world: World, stage: str, step: str) -> None:
    episode = world.bring_to(stage)
    steps = {
        "discharge": lambda: services.discharge(
            actor=world.coordinator, episode=episode, reason="moved_away"
        ),
        "death": lambda: services.record_death(
            actor=world.physician, episode=episode, died_at=clock.now(), place_of_death="home"
        ),
        "screen": lambda: world.screen(episode),
        "admit": lambda: services.admit_to_home_care(actor=world.coordinator, episode=episode),
        "bereavement": lambda: services.start_bereavement_follow_up(
            actor=world.coordinator, episode=episode
        ),
        "close": lambda: services.close_episode(actor=world.coordinator, episode=episode, note="x"),
    }
    with pytest.raises(InvalidTransition):
        steps[step]()
    episode.refresh_from_db()
    assert episode.state == stage


def test_death_in_the_future_is_refused(world: World) -> None:
    episode = world.bring_to(EpisodeState.ACTIVE)
    with pytest.raises(ValidationFailed) as failed:
        services.record_death(
            actor=world.physician,
            episode=episode,
            died_at=clock.now() + timedelta(hours=3),
            place_of_death="home",
        )
    assert "died_at" in failed.value.field_errors
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ACTIVE


def test_a_failed_referral_leaves_nothing_behind(world: World) -> None:
    patients_before = Patient.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as failed:
        services.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details("Z-9"),
            referral=referral_details(),
            diagnoses=[{"icd10_code": "BAD CODE", "text": "x", "group": "cancer"}],
        )
    assert "diagnoses[0].icd10_code" in failed.value.field_errors
    assert Patient.objects.count() == patients_before
    assert not Patient.objects.filter(record_number="Z-9").exists()
    assert AuditEvent.objects.count() == events_before


def test_patient_validation_names_each_field(world: World) -> None:
    with pytest.raises(ValidationFailed) as failed:
        services.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details(
                "Z-8",
                date_of_birth=clock.today() + timedelta(days=1),
                latitude=51,
                phone_primary="call me",
                sex="robot",
            ),
            referral=referral_details(),
        )
    errors = failed.value.field_errors
    assert {"date_of_birth", "phone_primary", "sex"} <= set(errors)
    assert "longitude" in errors or "latitude" in errors or "__all__" in errors


def test_a_diagnosis_entered_in_error_stays_readable(world: World) -> None:
    diagnosis = world.patient.diagnoses.get()
    services.mark_diagnosis_entered_in_error(
        actor=world.physician, diagnosis=diagnosis, reason="Wrong patient."
    )
    assert Diagnosis.objects.filter(pk=diagnosis.pk, entered_in_error=True).exists()
    assert world.patient.primary_diagnosis is None


def test_only_coordinators_manage_the_care_team(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.assign_to_care_team(
            actor=world.physician, patient=world.patient, staff=world.outsider_nurse, role="nurse"
        )
    assignment = services.assign_to_care_team(
        actor=world.coordinator, patient=world.patient, staff=world.outsider_nurse, role="nurse"
    )
    with pytest.raises(ValidationFailed):
        services.assign_to_care_team(
            actor=world.coordinator,
            patient=world.patient,
            staff=world.outsider_nurse,
            role="lead_physician",
        )
    with pytest.raises(Conflict):
        services.assign_to_care_team(
            actor=world.coordinator, patient=world.patient, staff=world.outsider_nurse, role="nurse"
        )
    services.end_care_team_assignment(actor=world.coordinator, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.ended_at is not None


def test_a_family_sign_in_needs_a_free_username_and_a_strong_password(world: World) -> None:
    arguments = {
        "actor": world.nurse,
        "patient": world.patient,
        "first_name": "Sam",
        "last_name": "Able",
        "relationship": "son",
    }
    with pytest.raises(ValidationFailed) as failed:
        services.add_family_caregiver(username="family.a", password="12345678", **arguments)
    assert {"username", "password"} <= set(failed.value.field_errors)
    link = services.add_family_caregiver(
        username="family.sam",
        password="a-long-family-password-3",
        preferred_language="ru",
        **arguments,
    )
    assert link.user.kind == "family" and link.user.preferred_language == "ru"


def test_the_patient_gets_their_own_portal_sign_in_once(world: World) -> None:
    other = world.other_patient
    user = services.give_patient_portal_access(
        actor=world.coordinator, patient=other, username="boris", password="a-long-password-99"
    )
    assert user.kind == "patient"
    with pytest.raises(Conflict):
        services.give_patient_portal_access(
            actor=world.coordinator, patient=other, username="boris2", password="a-long-pass-98"
        )


def test_an_episodes_moves_store_no_sentence_in_the_writers_language(world: World) -> None:
    """The audit trail keeps what a move stored for readers of every language:
    a code or what a person typed, never the writer's words for it."""
    from django.utils import translation

    with translation.override("ru"):
        world.screen()
        world.decide("granted")
        services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    reasons = dict(
        AuditEvent.objects.filter(patient_id=world.patient.pk, action="transition").values_list(
            "event_type", "changes__reason"
        )
    )
    assert reasons == {"episode.awaiting_commission": "refer_to_commission", "episode.active": ""}
