"""Dose-range, large-change and opioid-naive checks (shared/CLINICAL.md
"Dose-range and large-change checks"): each asks the physician to confirm
with a reason; without one nothing is written and every triggered check is
listed with its numbers; with one the reason and the checks are kept on the
version, in the audit trail and on the order's history page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from hearth.core import clock
from hearth.core.errors import ValidationFailed
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import MedicationOrder, OrderVersion
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation

LONDON = ZoneInfo("Europe/London")
DAY0 = date(2027, 1, 19)


def at(day: int, hhmm: str = "09:00") -> datetime:
    return datetime.combine(DAY0 + timedelta(days=day), time.fromisoformat(hhmm), tzinfo=LONDON)


def morphine_prn(world: Any, dose: str = "5", **extra: Any) -> MedicationOrder:
    return services.prescribe(
        actor=world.physician,
        patient=world.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
        kind="as_needed",
        dose=dose,
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        **extra,
    )


def morphine_regular(world: Any, dose: str, **extra: Any) -> MedicationOrder:
    return services.prescribe(
        actor=world.physician,
        patient=world.patient,
        drug_route=formulary("Morphine", "oral"),
        formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
        kind="regular",
        dose=dose,
        times=["08:00", "20:00"],
        indication="pain",
        **extra,
    )


def change(order: MedicationOrder, world: Any, dose: str, **extra: Any) -> MedicationOrder:
    order.refresh_from_db()
    assert order.current is not None
    values: dict[str, Any] = {
        "actor": world.physician,
        "order": order,
        "reason": "Pain not controlled",
        "dose": dose,
        "indication": order.current.indication,
        "formulation": order.current.formulation,
    }
    if order.kind == "as_needed":
        values.update(minimum_interval_minutes=60, maximum_doses_24h=6)
    else:
        values.update(times=order.current.times)
    values.update(extra)
    return services.change_order(**values)


def needs_confirmation(action: Any) -> ValidationFailed:
    counts = (MedicationOrder.objects.count(), OrderVersion.objects.count())
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        action()
    assert caught.value.code == "confirmation_required"
    assert list(caught.value.field_errors) == ["confirmation_reason"]
    assert (MedicationOrder.objects.count(), OrderVersion.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    return caught.value


def test_it_stops_an_as_needed_morphine_raised_from_10_to_100_mg_for_an_opioid_naive_person(
    active: Any,
) -> None:
    """The testers' case: changed 10 -> 100 mg without a word."""
    order = morphine_prn(active, dose="5")
    order = change(order, active, "10", confirmation_reason="Severe pain, reviewed at home")
    error = needs_confirmation(lambda: change(order, active, "100"))
    assert "opioid-naive" in error.message and "100 mg" in error.message and "5 mg" in error.message
    changed = change(order, active, "100", confirmation_reason="Specialist advice, see letter")
    version = changed.current
    assert version is not None and version.dose == 100
    assert version.confirmation_reason == "Specialist advice, see letter"
    assert [c["check"] for c in version.confirmed_checks] == ["opioid_naive"]
    event = AuditEvent.objects.filter(event_type="prescription.changed").latest("id")
    assert event.changes["after"]["confirmation_reason"] == "Specialist advice, see letter"
    assert event.changes["after"]["confirmed_checks"][0]["check"] == "opioid_naive"


@pytest.mark.parametrize(("dose", "asks"), [("5", False), ("7.5", True)])
def test_an_opioid_naive_first_as_needed_dose_above_5_mg_ome_asks(
    active: Any, dose: str, asks: bool
) -> None:
    if asks:
        error = needs_confirmation(lambda: morphine_prn(active, dose=dose))
        assert "7.5 mg oral morphine equivalent per dose" in error.message
    else:
        assert morphine_prn(active, dose=dose).current is not None


@pytest.mark.parametrize(("dose", "asks"), [("15", False), ("20", True)])
def test_an_opioid_naive_first_regular_order_above_30_mg_ome_a_day_asks(
    active: Any, dose: str, asks: bool
) -> None:
    if asks:
        error = needs_confirmation(lambda: morphine_regular(active, dose))
        assert "40 mg oral morphine equivalent per 24 hours" in error.message
        assert "30 mg" in error.message
    else:
        assert morphine_regular(active, dose).current is not None


def test_oxycodone_is_compared_in_oral_morphine_equivalents(active: Any) -> None:
    """Oxycodone 5 mg is 7.5 mg OME: above the opioid-naive start."""
    needs_confirmation(
        lambda: services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Oxycodone", "oral"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        )
    )


def test_a_regular_opioid_in_the_last_7_days_means_not_naive(active: Any) -> None:
    with clock.travel_to(at(0)):
        regular = morphine_regular(active, "15")
    with clock.travel_to(at(2)):
        services.stop_order(actor=active.physician, order=regular, reason="Vomiting")
    with clock.travel_to(at(5)):
        assert morphine_prn(active, dose="7.5").current is not None
    with clock.travel_to(at(10)):
        # More than 7 days after the last regular opioid: naive again.
        needs_confirmation(
            lambda: services.prescribe(
                actor=active.physician,
                patient=active.patient,
                drug_route=formulary("Oxycodone", "oral"),
                kind="as_needed",
                dose="5",
                indication="pain",
                minimum_interval_minutes=60,
                maximum_doses_24h=6,
            )
        )


def test_a_rise_of_the_24_hour_opioid_total_over_50_percent_asks(active: Any) -> None:
    order = morphine_regular(active, "15")  # 30 mg OME a day
    order = change(order, active, "22.5")  # 45 mg: +50 %, not more
    error = needs_confirmation(lambda: change(order, active, "35"))  # 70 mg: +55 %
    assert "from 45 to 70 mg" in error.message and "+55%" in error.message
    # A new regular opioid that raises the total counts too.
    needs_confirmation(
        lambda: services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Fentanyl", "transdermal"),
            kind="regular",
            dose="25",  # 60 mg OME a day
            times=["09:00"],
            every_days=3,
            indication="pain",
        )
    )


def test_an_as_needed_dose_above_a_third_of_the_regular_total_asks(active: Any) -> None:
    morphine_regular(active, "30", confirmation_reason=CONFIRMED)  # 60 mg OME a day
    morphine_prn(active, dose="20")  # a third: allowed
    services.stop_order(
        actor=active.physician, order=MedicationOrder.objects.get(kind="as_needed"), reason="x"
    )
    error = needs_confirmation(lambda: morphine_prn(active, dose="25"))
    assert "above 1/3 of the 24-hour regular opioid total (60 mg)" in error.message


def test_lowering_the_regular_dose_below_three_as_needed_doses_asks(active: Any) -> None:
    regular = morphine_regular(active, "15")  # 30 mg
    morphine_prn(active, dose="10")  # a third of 30
    error = needs_confirmation(lambda: change(regular, active, "10"))  # 20 mg a day
    assert "Morphine 10 mg" in error.message


def test_a_dose_above_the_products_usual_maximum_asks(active: Any) -> None:
    route = formulary("Paracetamol", "oral")
    assert route.usual_maximum_single_dose == 1000
    assert "BNF" in route.source
    error = needs_confirmation(
        lambda: services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=route,
            kind="as_needed",
            dose="1500",
            indication="pain",
            minimum_interval_minutes=240,
            maximum_doses_24h=4,
        )
    )
    assert "1500 mg is above the usual maximum single dose of Paracetamol (1000 mg)" in (
        error.message
    )


def test_every_triggered_check_is_listed_at_once(active: Any) -> None:
    """Opioid-naive and above the usual maximum (set on the formulary)."""
    services.update_drug_route(
        actor=active.administrator,
        drug_route=formulary("Morphine", "oral"),
        reason="Local policy for oral solution at home",
        usual_maximum_single_dose="10",
    )
    error = needs_confirmation(lambda: morphine_prn(active, dose="15"))
    assert len(error.field_errors["confirmation_reason"]) == 2
    order = morphine_prn(active, dose="15", confirmation_reason="Reviewed with the hospice")
    assert order.current is not None
    assert {c["check"] for c in order.current.confirmed_checks} == {
        "opioid_naive",
        "usual_maximum",
    }


def test_the_usual_maximum_is_changed_on_the_formulary_with_a_reason(
    active: Any, client_for: Any
) -> None:
    route = formulary("Haloperidol", "subcutaneous")
    with pytest.raises(ValidationFailed) as caught:
        services.update_drug_route(
            actor=active.administrator, drug_route=route, reason="", usual_maximum_single_dose="5"
        )
    assert "reason" in caught.value.field_errors
    changed = services.update_drug_route(
        actor=active.administrator,
        drug_route=route,
        reason="Local guideline",
        usual_maximum_single_dose="5",
    )
    assert changed.usual_maximum_single_dose == 5
    event = AuditEvent.objects.filter(event_type="formulary.changed").latest("id")
    assert event.changes["after"]["usual_maximum_single_dose"] in ("5", "5.000")
    page = client_for(active.administrator).post(
        f"/formulary/{route.external_id}/",
        {"conversion": "not_opioid", "reason": "Cleared", "usual_maximum_single_dose": ""},
    )
    assert page.status_code == 302
    route.refresh_from_db()
    assert route.usual_maximum_single_dose is None


@override_settings(HEARTH_OPIOID_NAIVE_AS_NEEDED_OME_MG=10)
def test_the_thresholds_are_settings(active: Any) -> None:
    assert morphine_prn(active, dose="10").current is not None


def test_the_api_asks_and_then_keeps_the_reason(active: Any, client_for: Any) -> None:
    api = client_for(active.physician)
    url = f"/api/v1/patients/{active.patient.external_id}/medication-orders"
    body = {
        "drug_route": str(formulary("Morphine", "oral").external_id),
        "kind": "as_needed",
        "dose": "10",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }
    asked = api.post(url, data=body, content_type="application/json")
    assert asked.status_code == 422
    assert asked.json()["code"] == "confirmation_required"
    assert "confirmation_reason" in asked.json()["errors"]
    body["confirmation_reason"] = "Was on oral morphine in hospital"
    done = api.post(url, data=body, content_type="application/json")
    assert done.status_code == 201, done.content
    current = done.json()["current"]
    assert current["confirmation_reason"] == "Was on oral morphine in hospital"
    assert current["confirmed_checks"][0]["check"] == "opioid_naive"


def test_the_form_shows_the_checks_and_a_reason_box_then_the_history_shows_them(
    active: Any, client_for: Any
) -> None:
    client = client_for(active.physician)
    url = f"/patients/{active.patient.external_id}/medicines/prescribe/"
    first = client.get(url).content.decode()
    assert 'type="hidden" name="confirmation_reason"' in first
    data = {
        "drug_route": str(formulary("Morphine", "oral").external_id),
        "kind": "as_needed",
        "dose": "10",
        "every_days": "1",
        "minimum_interval_minutes": "60",
        "maximum_doses_24h": "6",
        "indication": "breakthrough pain",
    }
    again = client.post(url, data)
    assert again.status_code == 422
    page = again.content.decode()
    assert "opioid-naive" in page and "<textarea" in page and 'name="confirmation_reason"' in page
    done = client.post(url, {**data, "confirmation_reason": "Was on morphine in hospital"})
    assert done.status_code == 302
    order = MedicationOrder.objects.get()
    history = client.get(f"/medicines/orders/{order.external_id}/").content.decode()
    assert "Was on morphine in hospital" in history and "opioid-naive" in history
