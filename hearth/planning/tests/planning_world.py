"""A small day to plan, built directly with the ORM on top of the shared ``world``.

Patient A (Alice) is in active home care and lives 2–3 km from the base; the
nurse and the physician work 08:00–16:00 on ``MONDAY``; the nurse is signed
off for syringe drivers; Alice needs a 45-minute nurse visit every day.
Tests freeze the clock at ``at(MONDAY, "06:00")`` unless they need otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Episode, Patient
from hearth.visits.models import Shift, StaffPlanningProfile, VisitNeed

MONDAY = date(2027, 3, 1)  # a Monday after the real "today", before the clocks change
NEAR = (Decimal("51.520000"), Decimal("-0.100000"))  # about 2.4 km from the default base
FURTHER = (Decimal("51.530000"), Decimal("-0.150000"))


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return timezone.make_aware(datetime.combine(day, time(int(hours), int(minutes))))


def fast_solver(settings: Any) -> None:
    settings.HEARTH_PLANNER_SECONDS = 0.3
    settings.HEARTH_URGENT_REPLAN_SECONDS = 0.3
    settings.HEARTH_OSRM_URL = ""


def locate(patient: Patient, where: tuple[Decimal, Decimal] = NEAR) -> Patient:
    patient.latitude, patient.longitude = where
    patient.save(update_fields=["latitude", "longitude"])
    return patient


def admitted_patient(
    world: Any, record: str, name: str, where: tuple[Decimal, Decimal] | None = FURTHER
) -> Patient:
    """Another person in active home care (straight to the state, for planning tests)."""
    patient = Patient.objects.create(
        record_number=record,
        given_name=name,
        family_name="Planned",
        date_of_birth=date(1940, 1, 1),
        sex="female",
        address_line="2 Plan Street",
        city="London",
        phone_primary="+44 20 0000 0001",
        latitude=where[0] if where else None,
        longitude=where[1] if where else None,
    )
    Episode.objects.create(
        patient=patient,
        state=EpisodeState.ACTIVE,
        admitted_at=timezone.now() - timedelta(days=10),
        admitted_by=world.coordinator,
    )
    return patient


def shift(
    world: Any, staff: User, day: date = MONDAY, start: str = "08:00", end: str = "16:00"
) -> Shift:
    return Shift.objects.create(
        staff=staff,
        date=day,
        starts_at=time.fromisoformat(start),
        ends_at=time.fromisoformat(end),
        recorded_by=world.coordinator,
    )


def profile(staff: User, skills: Iterable[str] = (), max_visits: int = 8) -> StaffPlanningProfile:
    return StaffPlanningProfile.objects.create(
        staff=staff, skills=list(skills), max_visits_per_day=max_visits
    )


def need(
    world: Any,
    patient: Patient,
    *,
    discipline: str = "nurse",
    times: int = 1,
    per: str = "day",
    minutes: int = 45,
    skills: Iterable[str] = (),
    preferred: User | None = None,
    kind: str = "home_visit",
) -> VisitNeed:
    return VisitNeed.objects.create(
        patient=patient,
        description=f"{discipline} visit",
        kind=kind,
        discipline=discipline,
        skills=list(skills),
        duration_minutes=minutes,
        times=times,
        per=per,
        preferred_staff=preferred,
        created_by=world.nurse,
    )


@dataclass
class PlanningWorld:
    world: Any
    day: date
    patient: Patient
    need: VisitNeed


def planning_world(world: Any, settings: Any, *, day: date = MONDAY) -> PlanningWorld:
    fast_solver(settings)
    world.bring_to("active")
    patient = locate(world.patient)
    shift(world, world.nurse, day)
    shift(world, world.physician, day)
    profile(world.nurse, skills=["syringe_driver"])
    return PlanningWorld(world, day, patient, need(world, patient))
