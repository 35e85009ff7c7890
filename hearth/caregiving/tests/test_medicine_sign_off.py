"""Signing off a "giving medicines" skill is the medicines app's sign-off:
it creates the ``MedicineSignOff`` dose recording checks, so a family dose by
that route is then accepted; withdrawing the skill revokes it; and a sign-off
made on the medicines page shows on the training grid (one record, not two)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from hearth.caregiving import queries, services
from hearth.caregiving.choices import TrainingStatus
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import NotAllowed
from hearth.core.models import AuditEvent
from hearth.medications import services as medicines
from hearth.medications.models import Administration, MedicineSignOff
from hearth.medications.tests.conftest import formulary, formulation, give

from .conftest import at, link, teach


def prescribe_oral_prn(world: World) -> object:
    return medicines.prescribe(
        actor=world.physician,
        patient=world.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
        kind="as_needed",
        dose="5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )


def medicine_state(world: World, route: str) -> queries.SkillState:
    carer = queries.training_for(world.patient, [link(world.family)])[0]
    return next(s for s in carer.skills if s.skill.medicine_route == route)


def test_signing_off_the_skill_creates_the_medicines_sign_off(active: World) -> None:
    with clock.travel_to(at(0, "09:00")):
        record = teach(active, "medicines_oral", note="Drew up 2.5 ml twice, watched.")
    sign_off = MedicineSignOff.objects.get()
    assert record.medicine_sign_off == sign_off
    assert (sign_off.caregiver, sign_off.route, sign_off.signed_off_by) == (
        active.family,
        "oral",
        active.nurse,
    )
    assert sign_off.expires_on == at(0).date() + timedelta(days=365)
    # The training record keeps no copy of the sign-off state.
    assert record.signed_off_on is None and record.expires_on is None
    with clock.travel_to(at(0, "10:00")):
        current = medicine_state(active, "oral")
    assert current.status == TrainingStatus.SIGNED_OFF and current.sign_off == sign_off


def test_a_family_dose_by_that_route_is_then_accepted(active: World) -> None:
    with clock.travel_to(at(0, "08:00")):
        order = prescribe_oral_prn(active)
    with clock.travel_to(at(0, "09:00")), pytest.raises(NotAllowed) as refusal:
        give(active.family, order)
    assert refusal.value.code == "not_signed_off"
    with clock.travel_to(at(0, "09:30")):
        teach(active, "medicines_oral")
    with clock.travel_to(at(0, "10:00")):
        recorded = give(active.family, order)
    assert recorded.administration is not None
    assert recorded.administration.recorded_by == active.family
    assert Administration.objects.count() == 1


def test_withdrawing_the_skill_revokes_the_sign_off_and_doses_are_refused(active: World) -> None:
    with clock.travel_to(at(0, "08:00")):
        order = prescribe_oral_prn(active)
        teach(active, "medicines_oral")
    with clock.travel_to(at(1, "09:00")):
        services.withdraw_training(
            actor=active.physician,
            patient=active.patient,
            caregiver=link(active.family),
            skill="medicines_oral",
            reason="Confused about the dose twice this week.",
        )
    assert MedicineSignOff.objects.get().revoked_at is not None
    with clock.travel_to(at(1, "10:00")):
        assert medicine_state(active, "oral").status == TrainingStatus.WITHDRAWN
        with pytest.raises(NotAllowed):
            give(active.family, order)


def test_a_sign_off_from_the_medicines_page_shows_on_the_grid(active: World) -> None:
    with clock.travel_to(at(0, "09:00")):
        medicines.sign_off_caregiver(
            actor=active.nurse,
            patient=active.patient,
            caregiver=active.family,
            route="subcutaneous",
            signed_off_on=clock.today(),
            expires_on=clock.today() + timedelta(days=10),
        )
        assert medicine_state(active, "subcutaneous").status == TrainingStatus.SIGNED_OFF
    with clock.travel_to(at(11, "09:00")):
        assert medicine_state(active, "subcutaneous").status == TrainingStatus.NEEDS_REFRESHING
    # Withdrawn on the medicines page: the grid no longer shows it signed off.
    with clock.travel_to(at(12, "09:00")):
        medicines.revoke_sign_off(
            actor=active.nurse, sign_off=MedicineSignOff.objects.get(), reason="Ended."
        )
        assert medicine_state(active, "subcutaneous").status == TrainingStatus.NOT_STARTED


def test_a_medicine_skill_is_not_signed_off_by_someone_medicines_would_refuse(
    active: World,
) -> None:
    with clock.travel_to(at(0)):
        teach(active, "medicines_buccal", sign=False)
        with pytest.raises(NotAllowed):
            services.record_training_step(
                actor=active.psychologist,
                patient=active.patient,
                caregiver=link(active.family),
                skill="medicines_buccal",
                step="signed_off",
            )
    assert not MedicineSignOff.objects.exists()


def test_the_medicine_skill_is_kept_with_its_route_for_each_reader(active: World) -> None:
    with clock.travel_to(at(0, "09:00")):
        teach(active, "medicines_oral")
    with clock.travel_to(at(1, "09:00")):
        services.withdraw_training(
            actor=active.physician,
            patient=active.patient,
            caregiver=link(active.family),
            skill="medicines_oral",
            reason="Confused about the dose twice this week.",
        )
    skill = {"$m": "Giving medicines: %(route)s", "$p": {"route": {"$t": "By mouth"}}}
    steps = AuditEvent.objects.filter(event_type="training.step_recorded").order_by("pk")
    assert [event.summary_params["skill"] for event in steps] == [skill] * 3
    assert steps[0].summary_params["step"] == {"$t": "Shown by the nurse (demonstrated)"}
    withdrawn = AuditEvent.objects.get(event_type="training.withdrawn")
    assert withdrawn.summary_key == "%(who)s: %(skill)s withdrawn"
    assert withdrawn.summary_params["skill"] == skill
    name = active.family.display_name
    with translation.override("en"):
        assert steps[0].summary_text == (
            f"{name}: Giving medicines: By mouth — Shown by the nurse (demonstrated)"
        )
        assert withdrawn.summary_text == f"{name}: Giving medicines: By mouth withdrawn"
