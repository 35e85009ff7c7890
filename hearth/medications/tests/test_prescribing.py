"""Prescriptions (docs/clinical-reference.md): only a physician of the patient's team writes,
changes or stops an order; a change is a new version and the old one stays
readable, with the doses given under it; validation names the field."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from hearth.conftest import make_user
from hearth.core import clock
from hearth.core.errors import DomainError, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.medications import queries, services
from hearth.medications.models import MedicationOrder, OrderVersion
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation
from hearth.medications.tests.test_administration import at, dose_at, prescribe_prn


def order_rows() -> tuple[int, int, int]:
    return (
        MedicationOrder.objects.count(),
        OrderVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def refused_order(action: Any, error: type[DomainError] = ValidationFailed) -> DomainError:
    before = order_rows()
    with pytest.raises(error) as caught:
        action()
    assert order_rows() == before
    return caught.value


def write(world: Any, actor: Any = None, **overrides: Any) -> MedicationOrder:
    values: dict[str, Any] = {
        "actor": actor or world.physician,
        "patient": world.patient,
        "drug_route": formulary("Morphine", "oral"),
        "formulation": formulation("Morphine", "oral", "10 mg/5 ml"),
        "kind": "as_needed",
        "dose": "5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }
    values.update(overrides)
    return services.prescribe(**values)


def change(order: MedicationOrder, actor: Any, **overrides: Any) -> MedicationOrder:
    values: dict[str, Any] = {
        "actor": actor,
        "order": order,
        "reason": "Needing more breakthrough doses.",
        "dose": "10",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
        "formulation": order.current.formulation if order.current else None,
        "confirmation_reason": CONFIRMED,
    }
    values.update(overrides)
    return services.change_order(**values)


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    return prescribe_prn(active)


# --- Who ---------------------------------------------------------------------------


def test_the_physician_of_the_team_prescribes(active: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        order = write(active)
    version = order.current
    assert version is not None
    assert (order.kind, order.status, order.created_by) == ("as_needed", "active", active.physician)
    assert (version.number, version.dose, version.dose_unit) == (1, Decimal("5"), "mg")
    assert (version.minimum_interval_minutes, version.maximum_doses_24h) == (60, 6)
    assert version.valid_from == order.created_at and version.valid_until is None
    event = AuditEvent.objects.get(event_type="prescription.created")
    assert event.actor == active.physician and "Morphine 5 mg" in event.summary


@pytest.mark.parametrize(
    "role", ["family", "nurse", "patient_user", "psychologist", "coordinator", "administrator"]
)
def test_nobody_but_a_physician_prescribes_changes_or_stops(
    active: Any, prn: Any, role: str
) -> None:
    actor = getattr(active, role)
    with clock.travel_to(at(0, "09:00")):
        refused_order(lambda: write(active, actor), NotAllowed)
        refused_order(lambda: change(prn, actor), NotAllowed)
        refused_order(
            lambda: services.stop_order(actor=actor, order=prn, reason="No longer needed."),
            NotAllowed,
        )
    prn.refresh_from_db()
    assert prn.status == "active" and prn.versions.count() == 1


@pytest.mark.parametrize("who", ["stranger", "outsider_nurse", "clinical_lead"])
def test_a_physician_not_on_the_caseload_cannot_prescribe(active: Any, prn: Any, who: str) -> None:
    actor = (
        make_user("dr.elsewhere", discipline="physician")
        if who == "stranger"
        else getattr(active, who)
    )
    with clock.travel_to(at(0, "09:00")):
        refused_order(lambda: write(active, actor), NotAllowed)
        refused_order(lambda: change(prn, actor), NotAllowed)
        refused_order(lambda: services.stop_order(actor=actor, order=prn, reason="x"), NotAllowed)


@pytest.mark.parametrize("stage", ["referred", "awaiting_commission", "discharged", "deceased"])
def test_prescribing_needs_a_patient_in_active_home_care(world: Any, stage: str) -> None:
    world.bring_to(stage)
    error = refused_order(lambda: write(world), InvalidTransition)
    assert "active home care" in error.message


# --- Changing: a new version -------------------------------------------------------


def test_a_dose_change_is_version_2_and_version_1_stays_with_its_doses(
    active: Any, prn: Any
) -> None:
    given = dose_at(active.nurse, prn, at(0, "08:00")).administration
    assert given is not None
    with clock.travel_to(at(0, "09:00")):
        changed = change(prn, active.physician)
    v1, v2 = prn.versions.order_by("number")
    assert changed.current == v2 and v2.number == 2 and v2.dose == Decimal("10")
    assert v1.dose == Decimal("5") and v1.valid_until == v2.valid_from
    assert at(0, "09:00") <= v1.valid_until < at(0, "09:01")
    assert v2.change_reason == "Needing more breakthrough doses." and v2.valid_until is None
    given.refresh_from_db()
    assert given.version == v1 and given.dose == Decimal("5")
    later = dose_at(active.nurse, prn, at(0, "10:00"), dose="10").administration
    assert later is not None and later.version == v2
    # The old dose is no longer what is ordered.
    with clock.travel_to(at(0, "11:30")), pytest.raises(ValidationFailed) as caught:
        services.record_administration(
            actor=active.nurse, order=prn, idempotency_key="k", dose="5", route="oral"
        )
    assert "dose" in caught.value.field_errors
    history = queries.order_history(prn)
    assert [version.number for version in history] == [2, 1]
    event = AuditEvent.objects.get(event_type="prescription.changed")
    assert Decimal(event.changes["before"]["dose"]) == 5
    assert Decimal(event.changes["after"]["dose"]) == 10


def test_a_dose_given_before_the_change_is_recorded_against_version_1(
    active: Any, prn: Any
) -> None:
    """Written down after the change, 08:30 was given under the old order."""
    with clock.travel_to(at(0, "09:00")):
        change(prn, active.physician)
    late = dose_at(active.nurse, prn, at(0, "08:30"), now=at(0, "09:30"), dose="5").administration
    assert late is not None and late.version.number == 1 and late.dose == Decimal("5")


def test_a_change_needs_a_reason_and_a_real_change(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        error = refused_order(lambda: change(prn, active.physician, reason=" "))
        assert "reason" in error.field_errors
        error = refused_order(lambda: change(prn, active.physician, dose="5"))
        assert "Nothing changed" in error.message
        error = refused_order(lambda: change(prn, active.physician, dose="0"))
        assert "dose" in error.field_errors
    assert prn.versions.count() == 1


def test_stopping_needs_a_reason_and_happens_once(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        error = refused_order(
            lambda: services.stop_order(actor=active.physician, order=prn, reason="  ")
        )
        assert "reason" in error.field_errors
        stopped = services.stop_order(actor=active.physician, order=prn, reason="Pain settled.")
        assert (stopped.status, stopped.stop_reason, stopped.stopped_by) == (
            "stopped",
            "Pain settled.",
            active.physician,
        )
        assert stopped.current is not None and stopped.current.valid_until == stopped.stopped_at
        refused_order(
            lambda: services.stop_order(actor=active.physician, order=prn, reason="again"),
            InvalidTransition,
        )
        refused_order(lambda: change(prn, active.physician), InvalidTransition)
    assert queries.orders(active.patient) == []
    assert queries.orders(active.patient, include_stopped=True) == [prn]


# --- Validation names the field ------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "kind": "regular",
                "times": ["8am"],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
            },
            "times",
        ),
        (
            {
                "kind": "regular",
                "times": ["24:00"],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
            },
            "times",
        ),
        (
            {
                "kind": "regular",
                "times": ["08:00", "08:00"],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
            },
            "times",
        ),
        (
            {
                "kind": "regular",
                "times": [],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
            },
            "times",
        ),
        ({"kind": "regular", "times": ["08:00"]}, "minimum_interval_minutes"),
        (
            {
                "kind": "regular",
                "times": ["08:00"],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
                "every_days": 0,
            },
            "every_days",
        ),
        ({"minimum_interval_minutes": None}, "minimum_interval_minutes"),
        ({"minimum_interval_minutes": 0}, "minimum_interval_minutes"),
        ({"maximum_doses_24h": None}, "maximum_doses_24h"),
        ({"maximum_doses_24h": 0}, "maximum_doses_24h"),
        ({"times": ["08:00"]}, "times"),
        ({"dose": "0"}, "dose"),
        ({"dose": "-1"}, "dose"),
        ({"dose": ""}, "dose"),
        ({"dose": "abc"}, "dose"),
        ({"dose": "1.0001"}, "dose"),
        ({"indication": "  "}, "indication"),
        ({"kind": "sometimes"}, "kind"),
        ({"formulation": "oxycodone"}, "formulation"),
        ({"formulation": "morphine sc"}, "formulation"),
    ],
)
def test_validation_names_the_field(active: Any, overrides: dict[str, Any], field: str) -> None:
    if overrides.get("formulation") == "oxycodone":
        overrides["formulation"] = formulation("Oxycodone", "oral", "5 mg/5 ml")
    elif overrides.get("formulation") == "morphine sc":
        overrides["formulation"] = formulation("Morphine", "subcutaneous", "10 mg/1 ml")
    with clock.travel_to(at(0, "09:00")):
        error = refused_order(lambda: write(active, **overrides))
    assert field in error.field_errors, error.as_dict()


def test_a_regular_order_keeps_its_times_sorted(active: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        order = write(
            active,
            kind="regular",
            times=["20:00", "08:00"],
            minimum_interval_minutes=None,
            maximum_doses_24h=None,
            formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
        )
    assert order.current is not None and order.current.times == ["08:00", "20:00"]


def test_a_drug_taken_out_of_the_formulary_cannot_be_prescribed(active: Any) -> None:
    drug_route = formulary("Morphine", "oral")
    services.update_drug(
        actor=active.administrator, drug=drug_route.drug, reason="Supply stopped.", active=False
    )
    drug_route.refresh_from_db()
    with clock.travel_to(at(0, "09:00")):
        error = refused_order(lambda: write(active, drug_route=drug_route))
    assert "drug_route" in error.field_errors


def test_the_new_version_starts_when_the_physician_changes_it(active: Any, prn: Any) -> None:
    moment = at(0, "09:00")
    with clock.travel_to(moment):
        change(prn, active.physician)
    current = MedicationOrder.objects.get(pk=prn.pk).current
    assert current is not None and moment <= current.valid_from < moment + timedelta(minutes=1)
