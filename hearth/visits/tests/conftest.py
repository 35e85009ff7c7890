"""Visits fixtures: the shared ``world`` in active home care with the clock
held at 10:00 today, and published visits made directly with the ORM (the
planner's publishing is tested on its own)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from hearth.accounts.models import User
from hearth.conftest import World, stage_fixture
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient
from hearth.visits.choices import VisitKind
from hearth.visits.models import Visit, window_around


def local(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return timezone.make_aware(datetime.combine(day, time(int(hours), int(minutes))))


def _ten_today() -> datetime:
    return local(timezone.localdate(), "10:00")


def _at_ten_today() -> Any:
    return clock.travel_to(_ten_today())


#: Patient A in active home care; ``clock`` says 10:00 today (and ticks).
active = stage_fixture("active", "active", building_in=_at_ten_today, testing_in=_at_ten_today)


def home_visit(
    world: World,
    *,
    staff: User | None = None,
    patient: Patient | None = None,
    day: date | None = None,
    start: str = "11:07",
    minutes: int = 45,
    **extra: Any,
) -> Visit:
    """A published home visit, as the planner's publishing leaves it."""
    staff = staff or world.nurse
    day = day or clock.today()
    planned = local(day, start)
    low, high = window_around(planned, minutes=settings.HEARTH_FAMILY_WINDOW_MINUTES)
    values: dict[str, Any] = {
        "patient": patient or world.patient,
        "staff": staff,
        "kind": VisitKind.HOME_VISIT,
        "discipline": staff.discipline,
        "purpose": "Nurse visit: pain, bowels, pressure areas",
        "date": day,
        "sequence": 1,
        "planned_start": planned,
        "planned_end": planned + timedelta(minutes=minutes),
        "family_window_start": low,
        "family_window_end": high,
    }
    values.update(extra)
    return Visit.objects.create(**values)


def help_alert(world: World) -> Alert:
    """An open alert, raised the way the family raises one."""
    monitoring.record_check_in(
        actor=world.family, patient=world.patient, help_requested=True, note="Very breathless"
    )
    return Alert.objects.get(patient=world.patient)
