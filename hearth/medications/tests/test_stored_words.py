"""What the medicines services write into the record's history is stored as a
key and parameters (issue 20): the route, the dose unit, the form and the
movement as codes, numbers without an exponent, so each reader sees the whole
sentence in their language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation

from hearth.core import clock, messages
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import MedicationOrder, StockEntry
from hearth.medications.tests.conftest import CONFIRMED
from hearth.medications.tests.test_administration import at, dose_at, prescribe_prn
from hearth.medications.tests.test_controlled_drugs import solution, stock  # noqa: F401
from hearth.monitoring.models import AlertEvidence


def _event(event_type: str) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=event_type).latest("id")


def _english(event: AuditEvent) -> str:
    with translation.override("en"):
        return event.summary_text


def test_it_stores_an_as_needed_order_with_its_route_and_unit_as_codes(
    prn_morphine: MedicationOrder,
) -> None:
    event = _event("prescription.created")
    assert event.summary_key == "Prescribed: %(order)s"
    order = event.summary_params["order"]
    assert order["$m"] == (
        "%(drug)s %(dose)s %(route)s as needed, at least %(minutes)s min apart, "
        "at most %(count)s in 24 h"
    )
    params = order["$p"]
    assert (params["_count"], params["count"], params["minutes"]) == ("count", 6, 60)
    assert params["route"] == {"$lower": {"$t": "By mouth"}}
    assert params["dose"] == {"$j": ["5", {"$t": "mg"}], "$s": " "}
    assert _english(event) == (
        "Prescribed: Morphine 5 mg by mouth as needed, at least 60 min apart, at most 6 in 24 h"
    )


def test_it_stores_a_regular_order_and_its_change_every_few_days_with_a_plural(
    regular_morphine: MedicationOrder, active: Any
) -> None:
    created = _event("prescription.created")
    assert created.summary_params["order"]["$m"] == "%(drug)s %(dose)s %(route)s at %(times)s"
    assert _english(created) == "Prescribed: Morphine 20 mg by mouth at 08:00, 20:00"
    version = regular_morphine.current
    assert version is not None
    services.change_order(
        actor=active.physician,
        order=regular_morphine,
        reason="Every third day is enough",
        dose="20",
        indication="pain",
        times=["08:00", "20:00"],
        every_days=3,
        formulation=version.formulation,
        confirmation_reason=CONFIRMED,
    )
    changed = _event("prescription.changed")
    assert changed.summary_key == "Changed to version %(number)s: %(order)s"
    order = changed.summary_params["order"]
    assert order["$m"] == "%(drug)s %(dose)s %(route)s at %(times)s every %(count)s day"
    assert order["$p"]["_plural"] == (
        "%(drug)s %(dose)s %(route)s at %(times)s every %(count)s days"
    )
    assert order["$p"]["count"] == 3
    assert _english(changed) == (
        "Changed to version 2: Morphine 20 mg by mouth at 08:00, 20:00 every 3 days"
    )
    services.stop_order(actor=active.physician, order=regular_morphine, reason="Not needed")
    stopped = _event("prescription.stopped")
    assert stopped.summary_params["drug"]["$p"]["route"] == {"$t": "By mouth"}
    assert _english(stopped) == "Stopped: Morphine (By mouth)"


def test_a_stock_count_stores_plain_numbers_and_the_discrepancy_in_its_sentence(
    active: Any,
    solution: Any,  # noqa: F811
) -> None:
    stock(active, solution, "received", "50")
    received = _event("controlled_drug.recorded")
    assert received.summary_params["amount"] == "50"  # never 5E+1
    assert _english(received) == (
        "Controlled drug received at home: Morphine 10 mg/5 ml oral solution × 50 (balance 50)"
    )
    stock(active, solution, "counted", "45.5")
    counted = _event("controlled_drug.recorded")
    assert counted.summary_key == (
        "Controlled drug %(movement)s: %(formulation)s × %(amount)s "
        "(balance %(balance)s), discrepancy"
    )
    assert "flag" not in counted.summary_params
    assert counted.summary_params["movement"] == {"$lower": {"$t": "Counted (stock check)"}}
    assert counted.summary_params["formulation"]["$p"]["form"] == {
        "$lower": {"$t": "Oral solution"}
    }
    assert _english(counted) == (
        "Controlled drug counted (stock check): Morphine 10 mg/5 ml oral solution × 45.5 "
        "(balance 45.5), discrepancy"
    )


def test_a_dose_put_back_after_an_error_keeps_its_register_note_as_a_key(
    active: Any,
    solution: Any,  # noqa: F811
) -> None:
    order = prescribe_prn(active)
    stock(active, solution, "received", "100")
    dose = dose_at(active.nurse, order, at(0, "10:00")).administration
    assert dose is not None
    with clock.travel_to(at(0, "10:30")):
        services.mark_administration_entered_in_error(
            actor=active.nurse, administration=dose, reason="Tapped twice."
        )
    back = StockEntry.objects.get(movement="corrected")
    assert back.note_key == "Dose entered in error: %(reason)s"
    assert back.note_params == {"reason": "Tapped twice."}
    with translation.override("en"):
        assert back.note_text == "Dose entered in error: Tapped twice."
    typed = StockEntry.objects.get(movement="received")
    assert (typed.note_key, typed.note_text) == ("", typed.note)


def test_a_family_sign_off_stores_the_route_as_a_code_and_the_day_as_a_date(
    signed_family: Any,
) -> None:
    event = _event("medicine_sign_off.recorded")
    assert event.summary_params["route"] == {
        "$lower": {"$t": "Under the skin (subcutaneous, via butterfly)"}
    }
    until = event.summary_params["until"]
    assert set(until) == {"$d"}
    with translation.override("en"):
        day = messages.render("%(d)s", {"d": until})
    assert _english(event) == (
        f"{signed_family.display_name} signed off for medicines under the skin "
        f"(subcutaneous, via butterfly) until {day}"
    )


def test_a_breakthrough_review_names_each_dose_with_its_unit_as_a_code(active: Any) -> None:
    order = prescribe_prn(active)
    for hour in ("10:00", "11:30", "13:00"):
        dose_at(active.nurse, order, at(0, hour))
    evidence = AlertEvidence.objects.filter(source="administration").first()
    assert evidence is not None
    assert evidence.description_params["dose"] == {"$j": ["5", {"$t": "mg"}], "$s": " "}
    assert Decimal(evidence.values["dose"]) == Decimal(5)
