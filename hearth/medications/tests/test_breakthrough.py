"""Three or more breakthrough doses in 24 h prompt the physician to review the
regular opioid dose (docs/clinical-reference.md), as one monitoring alert that starts with the
physician and escalates to the clinical lead."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.core import clock
from hearth.medications import services
from hearth.medications.models import Administration, MedicationOrder
from hearth.medications.tests.test_administration import (
    at,
    dose_at,
    prescribe_prn,
    prescribe_regular,
)
from hearth.monitoring import alerts
from hearth.monitoring.models import Alert


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    return prescribe_prn(active)


def doses(world: Any, order: MedicationOrder, *moments: Any) -> list[Administration]:
    found = []
    for moment in moments:
        recorded = dose_at(world.nurse, order, moment)
        assert recorded.administration is not None
        found.append(recorded.administration)
    return found


def test_three_breakthrough_doses_in_24_hours_raise_one_alert_for_the_physician(
    active: Any, prn: Any
) -> None:
    given = doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    assert not Alert.objects.exists()
    given += doses(active, prn, at(0, "18:00"))
    alert = Alert.objects.get()
    assert (alert.rule, alert.status, alert.owner_role) == (
        "breakthrough_doses",
        "open",
        "physician",
    )
    assert alert.owner == active.physician and alert.patient == active.patient
    assert "3 breakthrough doses" in alert.summary
    evidence = list(alert.evidence.order_by("observed_at"))
    assert [item.source_id for item in evidence] == [str(dose.external_id) for dose in given]
    assert [item.observed_at for item in evidence] == [dose.given_at for dose in given]
    assert all(
        item.source == "administration" and "Morphine" in item.description for item in evidence
    )


def test_a_fourth_dose_adds_evidence_to_the_same_open_alert(active: Any, prn: Any) -> None:
    given = doses(active, prn, at(0, "10:00"), at(0, "14:00"), at(0, "18:00"), at(0, "22:00"))
    alert = Alert.objects.get()
    assert alert.evidence.count() == 4
    assert alert.evidence.order_by("-observed_at").first().source_id == str(given[3].external_id)


def test_three_doses_spread_over_more_than_24_hours_raise_nothing(active: Any, prn: Any) -> None:
    doses(active, prn, at(0, "10:00"), at(0, "20:00"), at(1, "10:01"), at(2, "10:02"))
    assert not Alert.objects.exists()


def test_doses_of_two_breakthrough_opioids_count_together(active: Any, prn: Any) -> None:
    oxycodone = prescribe_prn(active, drug="Oxycodone", dose="2.5", strength="5 mg/5 ml")
    doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    doses(active, oxycodone, at(0, "16:00"))
    assert Alert.objects.get().evidence.count() == 3


def test_non_opioid_as_needed_doses_do_not_count(active: Any, prn: Any) -> None:
    haloperidol = prescribe_prn(active, drug="Haloperidol", dose="0.5", strength="500 mcg")
    midazolam = prescribe_prn(
        active, drug="Midazolam", route="buccal", dose="2.5", strength="10 mg/1 ml"
    )
    doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    doses(active, haloperidol, at(0, "11:00"), at(0, "15:00"))
    doses(active, midazolam, at(0, "12:00"))
    assert not Alert.objects.exists()


def test_a_dose_entered_in_error_does_not_count(active: Any, prn: Any) -> None:
    wrong, _right = doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    with clock.travel_to(at(0, "15:00")):
        services.mark_administration_entered_in_error(
            actor=active.nurse, administration=wrong, reason="Recorded on the wrong order."
        )
    doses(active, prn, at(0, "18:00"))
    assert not Alert.objects.exists()


def test_regular_doses_do_not_count(active: Any, prn: Any) -> None:
    regular = prescribe_regular(active)
    doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    dose_at(active.nurse, regular, at(0, "20:00"), scheduled_for=at(0, "20:00"))
    assert not Alert.objects.exists()


def test_the_review_escalates_from_the_physician_to_the_clinical_lead(
    active: Any, prn: Any
) -> None:
    doses(active, prn, at(0, "10:00"), at(0, "14:00"), at(0, "18:00"))
    alert = Alert.objects.get()
    with clock.travel_to(at(0, "21:00")):  # medium: due two hours after 18:00
        assert alerts.escalate(alert_id=alert.pk) == 1
    alert.refresh_from_db()
    assert (alert.owner_role, alert.owner, alert.escalation_count) == (
        "clinical_lead",
        active.clinical_lead,
        1,
    )


def test_a_dose_written_down_late_completes_the_three(active: Any, prn: Any) -> None:
    """10:00 and 14:00 recorded; 12:00 written down at 15:00 makes three in 24 h."""
    doses(active, prn, at(0, "10:00"), at(0, "14:00"))
    late = dose_at(active.nurse, prn, at(0, "12:00"), now=at(0, "15:00")).administration
    assert late is not None
    alert = Alert.objects.get()
    assert sorted(item.observed_at for item in alert.evidence.all()) == [
        at(0, "10:00"),
        at(0, "12:00"),
        at(0, "14:00"),
    ]
