"""The demo tells the volunteers story through the real services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.core.errors import ValidationFailed
from hearth.demo.seed import seed_volunteers
from hearth.patients.models import Patient
from hearth.volunteers import services
from hearth.volunteers.models import (
    UnavailablePeriod,
    VolunteerAssignment,
    VolunteerProfile,
    VolunteerTraining,
    WeeklySlot,
)

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.filter(discipline="volunteer").count(),
        "profiles": VolunteerProfile.objects.count(),
        "training": VolunteerTraining.objects.count(),
        "slots": WeeklySlot.objects.count(),
        "away": UnavailablePeriod.objects.count(),
        "assignments": VolunteerAssignment.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_volunteers(staff)


def test_it_tells_the_volunteers_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["users"] == 3 and first["profiles"] == 3

    sitting = VolunteerAssignment.objects.get(volunteer__username="vol.hughes")
    assert (sitting.kind, sitting.status, sitting.patient.record_number) == (
        "sitting",
        "active",
        "HH-1001",
    )
    assert sitting.care_team_assignment is not None

    olga = User.objects.get(username="vol.petrova")
    assert "ru" in olga.spoken_languages and olga.check_password("hearth-demo-2026")
    assert VolunteerAssignment.objects.get(volunteer=olga).status == "proposed"

    gareth = User.objects.get(username="vol.morgan")
    with pytest.raises(ValidationFailed, match="Safeguarding"):
        services.propose_assignment(
            actor=User.objects.get(username="coord.lewis"),
            patient=Patient.objects.get(record_number="HH-1006"),
            volunteer=gareth,
            kind="errands",
            starts_on=clock.today(),
        )
