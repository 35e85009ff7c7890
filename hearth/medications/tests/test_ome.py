"""Oral morphine equivalents against hand-worked examples, one per drug row of
docs/clinical-reference.md, from the seeded formulary (migration 0002), and the prescriber's
summary: the regular 24 h total, breakthrough range per guideline, titration
and switching ranges, which are shown and never change an order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.medications import ome, queries, services
from hearth.medications.models import MedicationOrder, OrderVersion
from hearth.medications.tests.conftest import CONFIRMED, formulary
from hearth.medications.tests.test_administration import at

D = Decimal

# drug, route, conversion, factor as stored (docs/clinical-reference.md; fentanyl SC per microgram).
SEEDED = [
    ("Morphine", "oral", "per_dose_unit", "1"),
    ("Morphine", "subcutaneous", "per_dose_unit", "2"),
    ("Morphine", "intravenous", "per_dose_unit", "2"),
    ("Diamorphine", "subcutaneous", "per_dose_unit", "3"),
    ("Oxycodone", "oral", "per_dose_unit", "1.5"),
    ("Oxycodone", "subcutaneous", "per_dose_unit", "3"),
    ("Hydromorphone", "oral", "per_dose_unit", "7.5"),
    ("Hydromorphone", "subcutaneous", "per_dose_unit", "15"),  # 2 × the chosen oral 7.5
    ("Codeine", "oral", "per_dose_unit", "0.1"),
    ("Dihydrocodeine", "oral", "per_dose_unit", "0.1"),
    ("Tramadol", "oral", "per_dose_unit", "0.1"),
    ("Tapentadol", "oral", "per_dose_unit", "0.4"),
    ("Fentanyl", "transdermal", "patch_rate", "2.4"),
    ("Buprenorphine", "transdermal", "patch_rate", "2.4"),
    ("Fentanyl", "subcutaneous", "per_dose_unit", "0.15"),
    ("Alfentanil", "subcutaneous", "specialist", "30"),
    ("Methadone", "oral", "specialist", None),
]


@pytest.mark.parametrize(("drug", "route", "conversion", "factor"), SEEDED)
def test_the_seeded_formulary_carries_the_clinical_factors(
    db: Any, drug: str, route: str, conversion: str, factor: str | None
) -> None:
    row = formulary(drug, route)
    assert row.conversion == conversion
    assert row.ome_factor == (D(factor) if factor else None)
    assert row.drug.is_opioid and row.drug.is_controlled


# One dose, worked by hand: mg (or mcg) × factor.
SINGLE_DOSES = [
    ("Morphine", "oral", "30", "30"),  # 30 × 1
    ("Morphine", "subcutaneous", "10", "20"),  # 10 × 2
    ("Morphine", "intravenous", "5", "10"),  # 5 × 2
    ("Diamorphine", "subcutaneous", "5", "15"),  # 5 × 3
    ("Oxycodone", "oral", "10", "15"),  # 10 × 1.5
    ("Oxycodone", "subcutaneous", "5", "15"),  # 5 × 3
    ("Hydromorphone", "oral", "1.3", "9.75"),  # 1.3 × 7.5 (UK; Canada would be 6.5)
    ("Hydromorphone", "subcutaneous", "2", "30"),  # 2 × 15 (2 × the oral 7.5)
    ("Codeine", "oral", "60", "6"),  # 60 × 0.1
    ("Dihydrocodeine", "oral", "30", "3"),  # 30 × 0.1
    ("Tramadol", "oral", "50", "5"),  # 50 × 0.1 (UK; CDC would be 10)
    ("Tapentadol", "oral", "50", "20"),  # 50 × 0.4
    ("Fentanyl", "subcutaneous", "100", "15"),  # 100 mcg = 0.1 mg × 150
]


@pytest.mark.parametrize(("drug", "route", "dose", "expected"), SINGLE_DOSES)
def test_one_dose_in_oral_morphine(
    db: Any, drug: str, route: str, dose: str, expected: str
) -> None:
    equivalent = ome.dose_equivalent(formulary(drug, route), D(dose))
    assert equivalent.ome_mg == D(expected) and equivalent.warning == ""


@pytest.mark.parametrize(
    ("drug", "rate", "expected"),
    [("Fentanyl", "25", "60"), ("Fentanyl", "12", "28.8"), ("Buprenorphine", "10", "24")],
)
def test_a_patch_rate_times_2_4_is_mg_per_24_hours(
    active: Any, drug: str, rate: str, expected: str
) -> None:
    order = regular(active, drug, "transdermal", rate, ["09:00"], every_days=3)
    assert order.current is not None
    assert ome.per_24h(order.drug_route, order.current).ome_mg == D(expected)


@pytest.mark.parametrize(("drug", "route"), [("Alfentanil", "subcutaneous"), ("Methadone", "oral")])
def test_alfentanil_and_methadone_are_not_converted_but_flagged(
    db: Any, drug: str, route: str
) -> None:
    row = formulary(drug, route)
    equivalent = ome.dose_equivalent(row, D("1"))
    assert equivalent.ome_mg is None
    assert "specialist advice" in equivalent.warning and drug in equivalent.warning
    assert ome.in_drug(row, D(60)) is None
    assert ome.switching_range(D(60), row) is None


# --- Regular orders per 24 h -------------------------------------------------------------


def regular(
    world: Any, drug: str, route: str, dose: str, times: list[str], every_days: int = 1
) -> MedicationOrder:
    with clock.travel_to(at(0, "07:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary(drug, route),
            kind="regular",
            dose=dose,
            times=times,
            every_days=every_days,
            indication="pain",
            confirmation_reason=CONFIRMED,
        )


def as_needed(world: Any, drug: str, route: str, dose: str) -> MedicationOrder:
    with clock.travel_to(at(0, "07:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary(drug, route),
            kind="as_needed",
            dose=dose,
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="breakthrough pain",
            confirmation_reason=CONFIRMED,
        )


FOUR_TIMES = ["06:00", "12:00", "18:00", "22:00"]


@pytest.mark.parametrize(
    ("drug", "route", "dose", "times", "expected"),
    [
        ("Morphine", "oral", "30", ["08:00", "20:00"], "60"),  # 30 × 1 × 2
        ("Morphine", "subcutaneous", "2.5", FOUR_TIMES, "20"),  # 2.5 × 2 × 4
        ("Oxycodone", "oral", "5", FOUR_TIMES, "30"),  # 5 × 1.5 × 4
        ("Hydromorphone", "oral", "1.3", FOUR_TIMES, "39"),  # 1.3 × 7.5 × 4
        ("Codeine", "oral", "60", FOUR_TIMES, "24"),  # 60 × 0.1 × 4
        ("Tapentadol", "oral", "100", ["08:00", "20:00"], "80"),  # 100 × 0.4 × 2
    ],
)
def test_regular_24_hour_equivalents(
    active: Any, drug: str, route: str, dose: str, times: list[str], expected: str
) -> None:
    order = regular(active, drug, route, dose, times)
    assert order.current is not None
    assert ome.per_24h(order.drug_route, order.current).ome_mg == D(expected)


def test_every_few_days_spreads_a_dose_but_not_a_patch_rate(active: Any) -> None:
    every_other_day = regular(active, "Morphine", "oral", "30", ["08:00"], every_days=2)
    patch = regular(active, "Fentanyl", "transdermal", "25", ["09:00"], every_days=3)
    assert every_other_day.current is not None and patch.current is not None
    assert ome.per_24h(every_other_day.drug_route, every_other_day.current).ome_mg == D(15)
    # A 72 h patch delivers its rate all the time: 25 mcg/h is 60 mg a day, not 20.
    assert ome.per_24h(patch.drug_route, patch.current).ome_mg == D(60)


# --- The prescriber's summary --------------------------------------------------------------


@pytest.fixture
def mixed(active: Any) -> Any:
    """Regular: morphine MR 30 mg twice a day (60) and a fentanyl 25 mcg/h patch
    every 3 days (60): 120 mg OME. Also: methadone (not converted), an as-needed
    oral morphine 10 mg, subcutaneous alfentanil as needed, and haloperidol."""
    regular(active, "Morphine", "oral", "30", ["08:00", "20:00"])
    regular(active, "Fentanyl", "transdermal", "25", ["09:00"], every_days=3)
    regular(active, "Methadone", "oral", "5", ["08:00", "20:00"])
    regular(active, "Haloperidol", "oral", "1.5", ["22:00"])
    as_needed(active, "Morphine", "oral", "10")
    as_needed(active, "Alfentanil", "subcutaneous", "0.5")
    return active


def test_the_summary_adds_regular_opioids_only(mixed: Any) -> None:
    summary = ome.summarise(queries.orders(mixed.patient))
    assert summary.regular_ome_24h == D(120)
    by_drug = {(line.order.drug.name, line.order.kind): line for line in summary.lines}
    assert set(by_drug) == {
        ("Morphine", "regular"),
        ("Fentanyl", "regular"),
        ("Methadone", "regular"),
        ("Morphine", "as_needed"),
        ("Alfentanil", "as_needed"),
    }
    assert by_drug["Morphine", "regular"].ome_24h == D(60)
    assert by_drug["Fentanyl", "regular"].ome_24h == D(60)
    # The as-needed dose is shown per dose, not added to the regular total.
    assert by_drug["Morphine", "as_needed"].ome_24h == D(10)
    assert by_drug["Methadone", "regular"].ome_24h is None
    assert by_drug["Alfentanil", "as_needed"].ome_24h is None
    assert len(summary.warnings) == 2
    assert any("Methadone" in text for text in summary.warnings)
    assert any("Alfentanil" in text for text in summary.warnings)


@pytest.mark.parametrize(
    ("guideline", "low", "high"),
    [("uk", "20", "20"), ("nccn", "12", "24"), ("etg", "10", "20")],
)
def test_the_breakthrough_range_follows_the_chosen_guideline(
    mixed: Any, guideline: str, low: str, high: str
) -> None:
    with override_settings(HEARTH_BREAKTHROUGH_GUIDELINE=guideline):
        summary = ome.summarise(queries.orders(mixed.patient))
    assert (summary.breakthrough_low, summary.breakthrough_high) == (D(low), D(high))
    assert summary.guideline == guideline


def test_titration_is_30_to_50_percent_of_the_24_hour_dose(mixed: Any) -> None:
    summary = ome.summarise(queries.orders(mixed.patient))
    assert (summary.titration_low, summary.titration_high) == (D(156), D(180))


def test_ranges_are_rounded_to_a_tenth(active: Any) -> None:
    regular(active, "Morphine", "oral", "25", ["08:00", "20:00"])  # 50 mg
    summary = ome.summarise(queries.orders(active.patient))
    assert summary.breakthrough_low == summary.breakthrough_high == D("8.3")  # 50 / 6
    with override_settings(HEARTH_BREAKTHROUGH_GUIDELINE="etg"):
        summary = ome.summarise(queries.orders(active.patient))
    assert (summary.breakthrough_low, summary.breakthrough_high) == (D("4.2"), D("8.3"))
    assert (summary.titration_low, summary.titration_high) == (D(65), D(75))


def test_no_regular_opioid_means_no_ranges(active: Any) -> None:
    as_needed(active, "Morphine", "oral", "5")
    summary = ome.summarise(queries.orders(active.patient))
    assert summary.regular_ome_24h == 0 and summary.has_opioids
    assert summary.breakthrough_low is None and summary.titration_low is None


@pytest.mark.parametrize(
    ("drug", "route", "low", "high"),
    [
        ("Oxycodone", "oral", "40", "60"),  # 120 / 1.5 = 80, less 50 % to 25 %
        ("Hydromorphone", "subcutaneous", "4", "6"),  # 120 / 15 = 8
        ("Morphine", "subcutaneous", "30", "45"),  # 120 / 2 = 60
        ("Fentanyl", "transdermal", "25", "37.5"),  # 120 / 2.4 = 50 mcg/h
    ],
)
def test_switching_reduces_the_equivalent_by_25_to_50_percent(
    db: Any, drug: str, route: str, low: str, high: str
) -> None:
    found = ome.switching_range(D(120), formulary(drug, route))
    assert found == (D(low), D(high))


def test_the_helpers_never_change_an_order(mixed: Any) -> None:
    def snapshot() -> tuple[list[Any], list[Any], int]:
        return (
            list(MedicationOrder.objects.order_by("pk").values()),
            list(OrderVersion.objects.order_by("pk").values()),
            AuditEvent.objects.count(),
        )

    before = snapshot()
    orders = queries.orders(mixed.patient)
    summary = ome.summarise(orders)
    for target in ("Oxycodone", "Hydromorphone"):
        ome.switching_range(summary.regular_ome_24h, formulary(target, "oral"))
    ome.titration_range(summary.regular_ome_24h)
    assert snapshot() == before
    assert all(order.current is not None and order.current.number == 1 for order in orders)
