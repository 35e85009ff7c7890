"""Family training: the steps in order, who may record them, sign-off expiry
(the configured number of days, or an earlier date given), "needs
refreshing" once expired, withdrawal with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from hearth.caregiving import curriculum, queries, services
from hearth.caregiving.choices import TrainingStatus
from hearth.caregiving.models import TrainingRecord
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent

from .conftest import at, link, teach


def state(world: World, skill: str, carer: Any = None) -> queries.SkillState:
    carer_training = queries.training_for(world.patient, [link(carer or world.family)])[0]
    return next(s for s in carer_training.skills if s.skill.code == skill)


def test_the_curriculum_has_one_medicine_skill_per_family_route() -> None:
    from hearth.medications.choices import FAMILY_ROUTES

    routes = [s.medicine_route for s in curriculum.all_skills() if s.is_medicine]
    assert routes == [str(route) for route in FAMILY_ROUTES]
    codes = [s.code for s in curriculum.all_skills()]
    for code in (
        "moving_turning",
        "pressure_care",
        "mouth_care",
        "oxygen_concentrator",
        "enteral_feeding",
        "signs_of_dying",
        "what_to_do",
    ):
        assert code in codes
    assert all(skill.steps for skill in curriculum.all_skills())
    assert len(set(codes)) == len(codes) and all(len(code) <= 32 for code in codes)


def test_a_skill_goes_through_its_steps(active: World) -> None:
    with clock.travel_to(at(0)):
        assert state(active, "mouth_care").status == TrainingStatus.NOT_STARTED
        teach(active, "mouth_care", sign=False)
        assert state(active, "mouth_care").status == TrainingStatus.PRACTISED
        services.record_training_step(
            actor=active.physician,
            patient=active.patient,
            caregiver=link(active.family),
            skill="mouth_care",
            step="signed_off",
        )
        current = state(active, "mouth_care")
    assert current.status == TrainingStatus.SIGNED_OFF
    assert current.signed_off_by == active.physician
    assert current.record is not None and current.record.demonstrated_by == active.nurse
    assert AuditEvent.objects.filter(event_type="training.step_recorded").count() == 3


@override_settings(HEARTH_SKILL_SIGN_OFF_DAYS=30)
def test_sign_off_expires_after_the_configured_days(active: World) -> None:
    with clock.travel_to(at(0)):
        record = teach(active, "pressure_care")
    assert record.expires_on == at(30).date()
    with clock.travel_to(at(30, "23:00")):
        assert state(active, "pressure_care").status == TrainingStatus.SIGNED_OFF
    with clock.travel_to(at(31, "08:00")):
        expired = state(active, "pressure_care")
        assert expired.status == TrainingStatus.NEEDS_REFRESHING
        assert "again" in str(expired.next_step)


def test_the_default_is_the_service_setting(active: World, settings: Any) -> None:
    settings.HEARTH_SKILL_SIGN_OFF_DAYS = 365
    with clock.travel_to(at(0)):
        record = teach(active, "pressure_care")
    assert record.expires_on == at(365).date()
    with clock.travel_to(at(366)):
        assert state(active, "pressure_care").status == TrainingStatus.NEEDS_REFRESHING


def test_an_earlier_expiry_may_be_given_but_not_a_later_one(active: World) -> None:
    with clock.travel_to(at(0)):
        record = teach(active, "moving_turning", expires_on=at(14).date())
        assert record.expires_on == at(14).date()
        with pytest.raises(ValidationFailed) as error:
            teach(active, "mouth_care", expires_on=at(400).date())
        assert "expires_on" in error.value.field_errors
        with pytest.raises(ValidationFailed) as error:
            teach(active, "oxygen_concentrator", expires_on=at(-1).date())
        assert "expires_on" in error.value.field_errors


def test_a_sign_off_needs_the_skill_shown_and_practised(active: World) -> None:
    with clock.travel_to(at(0)):
        with pytest.raises(ValidationFailed) as error:
            services.record_training_step(
                actor=active.nurse,
                patient=active.patient,
                caregiver=link(active.family),
                skill="mouth_care",
                step="signed_off",
            )
        assert "step" in error.value.field_errors
        with pytest.raises(ValidationFailed):
            services.record_training_step(
                actor=active.nurse,
                patient=active.patient,
                caregiver=link(active.family),
                skill="mouth_care",
                step="practised",
            )
    assert not TrainingRecord.objects.exists()


def test_dates_and_skills_are_checked(active: World) -> None:
    with clock.travel_to(at(0)):
        for values, field in (
            ({"skill": "juggling"}, "skill"),
            ({"on": at(1).date()}, "on"),
            ({"step": "admired"}, "step"),
        ):
            arguments = {
                "actor": active.nurse,
                "patient": active.patient,
                "caregiver": link(active.family),
                "skill": "mouth_care",
                "step": "demonstrated",
                **values,
            }
            with pytest.raises(ValidationFailed) as error:
                services.record_training_step(**arguments)
            assert field in error.value.field_errors


def test_another_patients_carer_is_refused(active: World) -> None:
    with clock.travel_to(at(0)), pytest.raises(ValidationFailed) as error:
        services.record_training_step(
            actor=active.nurse,
            patient=active.patient,
            caregiver=link(active.other_family),
            skill="mouth_care",
            step="demonstrated",
        )
    assert "caregiver_id" in error.value.field_errors


@pytest.mark.parametrize(
    "role",
    ["psychologist", "social_worker", "volunteer", "coordinator", "outsider_nurse", "family"],
)
def test_only_a_nurse_or_physician_on_the_team_records_training(active: World, role: str) -> None:
    with clock.travel_to(at(0)), pytest.raises(NotAllowed):
        services.record_training_step(
            actor=getattr(active, role),
            patient=active.patient,
            caregiver=link(active.family),
            skill="mouth_care",
            step="demonstrated",
        )
    assert not TrainingRecord.objects.exists()


def test_withdrawal_keeps_the_record_and_training_starts_again(active: World) -> None:
    with clock.travel_to(at(0)):
        first = teach(active, "moving_turning")
    with clock.travel_to(at(2)):
        services.withdraw_training(
            actor=active.nurse,
            patient=active.patient,
            caregiver=link(active.family),
            skill="moving_turning",
            reason="Hurt her back: moving only with two people until seen by physio.",
        )
        now = state(active, "moving_turning")
        assert now.status == TrainingStatus.WITHDRAWN
        assert now.withdrawn is not None and "physio" in now.withdrawn.withdraw_reason
        teach(active, "moving_turning", sign=False)
        assert state(active, "moving_turning").status == TrainingStatus.PRACTISED
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.signed_off_on is not None
    assert TrainingRecord.objects.filter(skill="moving_turning").count() == 2


def test_withdrawal_needs_a_reason_and_something_to_withdraw(active: World) -> None:
    with clock.travel_to(at(0)):
        with pytest.raises(ValidationFailed):
            services.withdraw_training(
                actor=active.nurse,
                patient=active.patient,
                caregiver=link(active.family),
                skill="mouth_care",
                reason=" ",
            )
        with pytest.raises(InvalidTransition):
            services.withdraw_training(
                actor=active.nurse,
                patient=active.patient,
                caregiver=link(active.family),
                skill="mouth_care",
                reason="No longer safe.",
            )


def test_changes_are_kept_in_the_history(active: World) -> None:
    with clock.travel_to(at(0)):
        record = teach(active, "mouth_care")
    assert record.history.count() == 3  # type: ignore[attr-defined]


def test_reminder_shows_when_expiry_is_near(active: World, settings: Any) -> None:
    settings.HEARTH_SKILL_SIGN_OFF_DAYS = 60
    settings.HEARTH_TRAINING_REMINDER_DAYS = 30
    with clock.travel_to(at(0)):
        teach(active, "mouth_care")
        assert not state(active, "mouth_care").reminder_due
    with clock.travel_to(at(31)):
        assert state(active, "mouth_care").reminder_due
