"""Caregiving fixtures: the shared ``world`` in active home care, a second
carer of patient A, and helpers that walk a skill through its steps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth.accounts.models import UserKind
from hearth.caregiving import services
from hearth.caregiving.models import TrainingRecord
from hearth.conftest import World, make_user, stage_fixture
from hearth.core import clock
from hearth.patients.models import CaregiverLink

LONDON = ZoneInfo("Europe/London")
#: A winter day in the future, far from a daylight-saving change.
DAY0 = date(2027, 1, 19)


def at(day: int, hhmm: str = "10:00") -> datetime:
    return datetime.combine(DAY0 + timedelta(days=day), time.fromisoformat(hhmm), tzinfo=LONDON)


def link(user: Any) -> CaregiverLink:
    return CaregiverLink.objects.select_related("user").get(user=user)


def teach(
    world: World,
    skill: str,
    *,
    carer: Any = None,
    actor: Any = None,
    sign: bool = True,
    **sign_values: Any,
) -> TrainingRecord:
    """Show, practise and (with ``sign``) sign off ``skill`` today."""
    caregiver = link(carer or world.family)
    actor = actor or world.nurse
    record = None
    steps = ["demonstrated", "practised"] + (["signed_off"] if sign else [])
    for step in steps:
        record = services.record_training_step(
            actor=actor,
            patient=world.patient,
            caregiver=caregiver,
            skill=skill,
            step=step,
            **(sign_values if step == "signed_off" else {}),
        )
    assert record is not None
    return record


def _a_month_ago() -> Any:
    return clock.travel_to(at(-30, "09:00"))


#: Patient A admitted to home care a month ago.
active = stage_fixture("active", "active", building_in=_a_month_ago)


@pytest.fixture
def second_carer(active: World) -> Any:
    """Patient A's son, a second family carer with his own sign-in."""
    son = make_user("family.a2", kind=UserKind.FAMILY)
    CaregiverLink.objects.create(user=son, patient=active.patient, relationship="son")
    return son
