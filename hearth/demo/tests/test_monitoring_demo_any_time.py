"""The monitoring demo loads at any time of day (each test loads its own demo on
an empty database, at its own moment, so no shared seed here)."""

from __future__ import annotations

from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.core import clock
from hearth.monitoring.models import Alert, AlertEscalation, CheckIn, Observation
from hearth.visits.choices import UrgentRequestStatus
from hearth.visits.models import UrgentVisitRequest


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def _today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(clock.today(), time(hour, minute)))


PENDING = [
    UrgentRequestStatus.WAITING,
    UrgentRequestStatus.SCHEDULED,
    UrgentRequestStatus.DISPATCHED,
]


@pytest.mark.django_db
@pytest.mark.parametrize(("hour", "minute"), [(0, 10), (6, 45), (23, 55)])
def test_it_loads_at_any_time_of_day(hour: int, minute: int) -> None:
    with clock.travel_to(_today_at(hour, minute)):
        _seed()
        now = clock.now()
        assert not AlertEscalation.objects.exists()
        for alert in Alert.objects.all():
            assert alert.raised_at < now
            if alert.acknowledged_at is not None:
                assert alert.acknowledge_by is not None
                assert alert.acknowledged_at <= alert.acknowledge_by
            else:
                assert alert.acknowledge_by is not None and alert.acknowledge_by > now
        assert Alert.objects.open().count() == 3
        assert UrgentVisitRequest.objects.filter(status__in=PENDING).count() == 1
        assert not CheckIn.objects.filter(submitted_at__gt=now).exists()
        assert not Observation.objects.filter(observed_at__gt=now).exists()
