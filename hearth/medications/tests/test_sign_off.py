"""Family sign-off per route: who may sign off whom for what, and a family
member's dose refused, with nothing recorded, unless a current sign-off covers
the order's route on the day the dose was given."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import MedicationOrder, MedicineSignOff
from hearth.medications.tests.test_administration import (
    at,
    dose_at,
    prescribe_prn,
    refused,
    sign_off,
)


def sign(world: Any, **overrides: Any) -> MedicineSignOff:
    values: dict[str, Any] = {
        "actor": world.nurse,
        "patient": world.patient,
        "caregiver": world.family,
        "route": "oral",
        "signed_off_on": clock.today(),
        "expires_on": clock.today() + timedelta(days=30),
        "note": "Drew up and gave oral solution twice, watched.",
    }
    values.update(overrides)
    return services.sign_off_caregiver(**values)


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    return prescribe_prn(active)


@pytest.fixture
def prn_sc(active: Any) -> MedicationOrder:
    """Subcutaneous morphine 2.5 mg as needed, via a butterfly."""
    return prescribe_prn(
        active, route="subcutaneous", dose="2.5", strength="10 mg/1 ml", when=at(0, "07:00")
    )


# --- Signing off -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["nurse", "physician"])
def test_a_nurse_or_physician_signs_off_a_family_member(active: Any, role: str) -> None:
    with clock.travel_to(at(0, "09:00")):
        done = sign(active, actor=getattr(active, role), route="subcutaneous")
    assert (done.caregiver, done.route, done.signed_off_by) == (
        active.family,
        "subcutaneous",
        getattr(active, role),
    )
    assert done.signed_off_on == at(0, "09:00").date()
    assert AuditEvent.objects.filter(event_type="medicine_sign_off.recorded").count() == 1


@pytest.mark.parametrize("role", ["family", "psychologist", "outsider_nurse", "patient_user"])
def test_others_cannot_sign_off(active: Any, role: str) -> None:
    with clock.travel_to(at(0, "09:00")):
        refused(lambda: sign(active, actor=getattr(active, role)), NotAllowed)
    assert not MedicineSignOff.objects.exists()


@pytest.mark.parametrize("route", ["intravenous", "transdermal", "rectal", "inhaled"])
def test_the_route_must_be_one_a_family_member_may_give_by(active: Any, route: str) -> None:
    with clock.travel_to(at(0, "09:00")):
        refused(lambda: sign(active, route=route), field="route")


@pytest.mark.parametrize("route", ["oral", "buccal", "subcutaneous"])
def test_every_family_route_can_be_signed_off(active: Any, route: str) -> None:
    with clock.travel_to(at(0, "09:00")):
        assert sign(active, route=route).route == route


@pytest.mark.parametrize("who", ["other_family", "nurse", "patient_user"])
def test_the_caregiver_must_be_family_of_this_patient(active: Any, who: str) -> None:
    with clock.travel_to(at(0, "09:00")):
        refused(lambda: sign(active, caregiver=getattr(active, who)), field="caregiver")


def test_expiry_before_the_start_is_refused(active: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        today = clock.today()
        refused(
            lambda: sign(active, signed_off_on=today, expires_on=today - timedelta(days=1)),
            field="expires_on",
        )
        refused(
            lambda: sign(
                active,
                signed_off_on=today - timedelta(days=10),
                expires_on=today - timedelta(days=1),
            ),
            field="expires_on",
        )
        refused(
            lambda: sign(active, signed_off_on=today + timedelta(days=1)), field="signed_off_on"
        )
        assert sign(active, signed_off_on=today, expires_on=today).expires_on == today


def test_a_sign_off_is_revoked_with_a_reason_once(active: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        done = sign(active)
        refused(lambda: services.revoke_sign_off(actor=active.nurse, sign_off=done, reason=" "))
        refused(
            lambda: services.revoke_sign_off(actor=active.family, sign_off=done, reason="x"),
            NotAllowed,
        )
        revoked = services.revoke_sign_off(
            actor=active.nurse, sign_off=done, reason="Struggling with the syringe."
        )
        assert revoked.revoked_at is not None and revoked.revoked_by == active.nurse
        assert not revoked.is_current
        refused(
            lambda: services.revoke_sign_off(actor=active.nurse, sign_off=done, reason="again"),
            InvalidTransition,
        )


# --- Family doses refused without a current sign-off ------------------------------------


def test_a_family_member_never_signed_off_is_refused(active: Any, prn: Any) -> None:
    error = refused(
        lambda: dose_at(active.family, prn, at(0, "10:00")), NotAllowed, code="not_signed_off"
    )
    assert "Nothing was recorded" in error.message and "by mouth" in error.message


def test_a_sign_off_for_oral_does_not_cover_a_subcutaneous_order(active: Any, prn_sc: Any) -> None:
    sign_off(active, "oral")
    refused(
        lambda: dose_at(active.family, prn_sc, at(0, "10:00")), NotAllowed, code="not_signed_off"
    )
    sign_off(active, "subcutaneous", when=at(0, "10:30"))
    assert dose_at(active.family, prn_sc, at(0, "11:00")).administration


def test_a_revoked_sign_off_refuses_doses(active: Any, prn: Any) -> None:
    sign_off(active, "oral")
    assert dose_at(active.family, prn, at(0, "10:00")).administration
    with clock.travel_to(at(0, "11:00")):
        services.revoke_sign_off(
            actor=active.nurse,
            sign_off=MedicineSignOff.objects.get(),
            reason="Unsafe technique seen today.",
        )
    refused(lambda: dose_at(active.family, prn, at(0, "12:00")), NotAllowed, code="not_signed_off")
    # The nurse still gives it.
    assert dose_at(active.nurse, prn, at(0, "12:00")).administration


def test_an_expired_sign_off_refuses_doses_the_day_after_expiry(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "06:00")):
        sign(active, expires_on=clock.today() + timedelta(days=1))
    assert dose_at(active.family, prn, at(1, "23:30")).administration
    refused(lambda: dose_at(active.family, prn, at(2, "00:30")), NotAllowed, code="not_signed_off")
    refused(lambda: dose_at(active.family, prn, at(2, "10:00")), NotAllowed, code="not_signed_off")


def test_a_dose_given_while_signed_off_is_judged_by_the_day_it_was_given(
    active: Any, prn: Any
) -> None:
    """Written down after midnight, a dose given the evening before the sign-off
    expired is still the daughter's to record."""
    with clock.travel_to(at(0, "06:00")):
        sign(active, expires_on=clock.today())
    assert dose_at(active.family, prn, at(0, "23:00"), now=at(1, "00:30")).administration
