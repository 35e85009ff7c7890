"""Risk screening: the factors give a band by the service's rule; high risk
suggests referral and adds a contact soon; only clinical staff on the team screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import translation

from hearth.bereavement import services
from hearth.bereavement.models import BereavementPlan
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent


@pytest.mark.parametrize(
    ("factors", "expected"),
    [
        ([], "low"),
        (["family_conflict"], "moderate"),
        (["family_conflict", "previous_losses"], "moderate"),
        (["family_conflict", "previous_losses", "lack_of_social_support"], "high"),
    ],
)
def test_the_default_banding_counts_factors(factors: list[str], expected: str) -> None:
    assert services.band_for(factors) == expected


@override_settings(
    HEARTH_BEREAVEMENT_RISK_BANDS={
        "moderate_from": 2,
        "high_from": 4,
        "high_if_any": ["sudden_or_traumatic_death"],
    }
)
def test_the_banding_is_the_services_choice() -> None:
    assert services.band_for(["family_conflict"]) == "low"
    assert services.band_for(["family_conflict", "previous_losses"]) == "moderate"
    assert services.band_for(["sudden_or_traumatic_death"]) == "high"


def test_a_moderate_screen_is_recorded_and_sets_the_plan_risk(
    deceased: World, plan: BereavementPlan
) -> None:
    screen = services.record_risk_screen(
        actor=deceased.psychologist,
        plan=plan,
        factors=["dependent_relationship", "high_caregiver_strain"],
        note="Lived with her mother.",
    )
    assert (screen.rule_result, screen.result, screen.factor_count) == ("moderate", "moderate", 2)
    assert not screen.referral_suggested and screen.extra_contact is None
    assert screen.banding["high_from"] == 3
    assert [link.user for link in screen.relatives.all()] == [deceased.family]
    plan.refresh_from_db()
    assert plan.risk_level == "moderate"
    assert plan.contacts.count() == 4
    event = AuditEvent.objects.get(object_id=str(screen.external_id))
    assert event.summary_key == "Bereavement risk screen: %(result)s (%(count)d factor)"
    assert event.summary_params == {
        "count": 2,
        "result": {"$lower": {"$t": "Moderate risk"}},
        "_plural": "Bereavement risk screen: %(result)s (%(count)d factors)",
        "_count": "count",
    }
    with translation.override("en"):
        assert event.summary_text == "Bereavement risk screen: moderate risk (2 factors)"


@override_settings(HEARTH_BEREAVEMENT_HIGH_RISK_CONTACT_DAYS=3)
def test_high_risk_suggests_referral_and_adds_a_contact_soon(
    deceased: World, plan: BereavementPlan
) -> None:
    screen = services.record_risk_screen(
        actor=deceased.social_worker,
        plan=plan,
        factors=["sudden_or_traumatic_death", "lack_of_social_support", "concurrent_stressors"],
        referred_to="specialist_service",
    )
    assert screen.result == "high" and screen.referral_suggested
    extra = screen.extra_contact
    assert extra is not None
    assert (extra.due_on, extra.source, extra.kind) == (
        clock.today() + timedelta(days=3),
        "high_risk",
        "phone_call",
    )
    assert plan.contacts.count() == 5
    # A second high-risk screen while that contact is still open adds no other.
    again = services.record_risk_screen(
        actor=deceased.nurse,
        plan=plan,
        factors=["family_conflict", "previous_losses", "mental_health_history"],
    )
    assert again.result == "high" and again.extra_contact is None
    assert plan.contacts.count() == 5


def test_clinical_judgement_raises_but_never_lowers(deceased: World, plan: BereavementPlan) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.record_risk_screen(
            actor=deceased.chaplain, plan=plan, factors=[], raised_to="high"
        )
    assert "note" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as lowered:
        services.record_risk_screen(
            actor=deceased.chaplain,
            plan=plan,
            factors=["family_conflict", "previous_losses", "mental_health_history"],
            raised_to="moderate",
            note="x",
        )
    assert "raised_to" in lowered.value.field_errors
    screen = services.record_risk_screen(
        actor=deceased.chaplain,
        plan=plan,
        factors=[],
        raised_to="high",
        note="Spoke of not wanting to go on.",
    )
    assert (screen.rule_result, screen.result) == ("low", "high")
    assert screen.extra_contact is not None


def test_unknown_factors_are_refused(deceased: World, plan: BereavementPlan) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.record_risk_screen(actor=deceased.nurse, plan=plan, factors=["astrology"])
    assert "factors" in refused.value.field_errors


def test_only_clinical_staff_on_the_team_screen(deceased: World, plan: BereavementPlan) -> None:
    for outsider in (deceased.coordinator, deceased.volunteer, deceased.outsider_nurse):
        with pytest.raises(NotAllowed):
            services.record_risk_screen(actor=outsider, plan=plan, factors=[])


def test_a_screen_entered_in_error_no_longer_sets_the_risk(
    deceased: World, plan: BereavementPlan
) -> None:
    services.record_risk_screen(actor=deceased.nurse, plan=plan, factors=["family_conflict"])
    wrong = services.record_risk_screen(
        actor=deceased.nurse,
        plan=plan,
        factors=["family_conflict", "previous_losses", "mental_health_history"],
    )
    plan.refresh_from_db()
    assert plan.risk_level == "high"
    with pytest.raises(ValidationFailed):
        services.mark_screen_entered_in_error(actor=deceased.nurse, screen=wrong, reason="")
    services.mark_screen_entered_in_error(
        actor=deceased.nurse, screen=wrong, reason="Wrong family."
    )
    plan.refresh_from_db()
    assert plan.risk_level == "moderate"
    assert plan.screens.count() == 2
