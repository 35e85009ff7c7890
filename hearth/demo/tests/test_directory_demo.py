"""The demo tells the directory story through the real services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.demo.seed import seed_directory
from hearth.directory import queries
from hearth.directory.models import DirectoryEntry, NextStep, Region

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "entries": DirectoryEntry.objects.count(),
        "steps": NextStep.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_directory(staff)


def test_it_tells_the_directory_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["regions"] == 7 and first["entries"] >= 20 and first["steps"] >= 8

    # Searches a family would make.
    names = [e.name for e in queries.search(text="registering a death", region="westminster")]
    assert names == ["Westminster Register Office: registering a death"]
    russian = {e.name for e in queries.search(language="ru", category="services")}
    assert "Doveriye: counselling in Russian" in russian
    muslim = {e.name for e in queries.search(text="muslim funeral")}
    assert muslim == {"Al-Rahma Muslim Funeral Service"}
    assert DirectoryEntry.objects.due_for_review().count() == 1

    # The bereaved son's next steps: registration and funeral done, counselling to do.
    bereaved = {
        step.entry.topic: step.status
        for step in NextStep.objects.filter(patient__record_number="HH-1005")
    }
    assert bereaved == {
        "death_registration": "done",
        "funeral_services": "done",
        "counselling": "to_do",
    }
    assert (
        NextStep.objects.filter(patient__record_number="HH-1005", status="done")
        .exclude(status_changed_by__username="family.kuznetsov")
        .count()
        == 0
    )
    for record in ("HH-1001", "HH-1002", "HH-1006"):
        assert NextStep.objects.filter(patient__record_number=record, status="to_do").exists()
