"""The demo tells each patient's medicines through the real services, once."""

from __future__ import annotations

from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.core import clock
from hearth.core.models import IdempotencyKey
from hearth.medications.choices import OrderKind, ReviewStatus
from hearth.medications.models import (
    Administration,
    MedicationOrder,
    StockEntry,
    StockHolding,
    SyncReview,
)
from hearth.monitoring.choices import AlertRule, AlertStatus, OnCallRole
from hearth.monitoring.models import Alert

#: The demo is loaded once for this module, at 15:20 today so that "today" has a
#: few hours in it (``conftest.seeded_demo``); each test runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")
DEMO_LOADED_AT = time(15, 20)


def _today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(clock.today(), time(hour, minute)))


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def _counts() -> dict[str, int]:
    return {
        "orders": MedicationOrder.objects.count(),
        "administrations": Administration.objects.count(),
        "reviews": SyncReview.objects.count(),
        "stock": StockEntry.objects.count(),
    }


def test_it_tells_the_medicines_story_once() -> None:
    with clock.travel_to(_today_at(15, 20)):
        _seed()
        first = _counts()
        _seed()
    assert all(first.values()), first
    assert _counts() == first
    assert not IdempotencyKey.objects.filter(state=IdempotencyKey.State.IN_FLIGHT).exists()

    patients = set(MedicationOrder.objects.values_list("patient__record_number", flat=True))
    assert patients == {"HH-1001", "HH-1002", "HH-1006"}

    # Amina: the pump dose went up after three breakthrough doses; the review
    # alert went to the physician first and was acted on within its deadline.
    pump = MedicationOrder.objects.get(patient__record_number="HH-1001", kind=OrderKind.REGULAR)
    assert [v.dose for v in pump.versions.order_by("number")] == [20, 30]
    alert = Alert.objects.get(rule=AlertRule.BREAKTHROUGH_DOSES)
    assert alert.status == AlertStatus.RESOLVED
    assert alert.owner_role == OnCallRole.PHYSICIAN
    assert alert.acknowledged_at is not None and alert.acknowledge_by is not None
    assert alert.acknowledged_at <= alert.acknowledge_by
    assert alert.evidence.count() >= 3

    # Pyotr: the offline clash waits for a clinician; nothing was merged.
    review = SyncReview.objects.get()
    assert review.status == ReviewStatus.WAITING
    assert review.patient.record_number == "HH-1002"
    assert review.administration is None

    # The register: an open discrepancy at Amina's, balances never negative.
    assert StockHolding.objects.filter(discrepancy_open=True).count() == 1
    assert not StockHolding.objects.filter(balance__lt=0).exists()

    # Tom: this morning's dexamethasone came back up.
    assert Administration.objects.filter(
        patient__record_number="HH-1006", outcome="not_given", not_given_reason="vomited"
    ).exists()
