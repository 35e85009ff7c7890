"""The medicines demo loads at any time of day (each test loads its own demo on
an empty database, at its own moment, so no shared seed here)."""

from __future__ import annotations

from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.core import clock
from hearth.medications.models import MedicationOrder, SyncReview


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def _today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(clock.today(), time(hour, minute)))


@pytest.mark.django_db
@pytest.mark.parametrize(("hour", "minute"), [(0, 10), (6, 45), (23, 55)])
def test_it_loads_at_any_time_of_day(hour: int, minute: int) -> None:
    with clock.travel_to(_today_at(hour, minute)):
        _seed()
    assert MedicationOrder.objects.count() == 8
    assert SyncReview.objects.count() == 1
