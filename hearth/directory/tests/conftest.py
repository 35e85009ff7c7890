"""Directory fixtures: two areas, an entry factory, and patient A in care."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from hearth.conftest import World
from hearth.directory import services
from hearth.directory.models import DirectoryEntry, Region

_names = itertools.count(1)
JSON = "application/json"


def entry_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "category": "paperwork",
        "topic": "benefits",
        "name": f"Advice centre {next(_names)}",
        "organisation": "",
        "description": "Free help with forms.",
        "how_to": "",
        "regions": ["all"],
        "address": "",
        "phone": "020 7946 0000",
        "email": "",
        "website": "",
        "opening_hours": "",
        "languages": ["en"],
        "faiths_served": [],
    }
    details.update(overrides)
    return details


def make_entry(actor: Any, **overrides: Any) -> DirectoryEntry:
    return services.create_entry(actor=actor, **entry_details(**overrides))


@pytest.fixture
def areas(world: World) -> dict[str, Region]:
    return {
        "camden": services.create_region(actor=world.coordinator, name="Camden"),
        "hackney": services.create_region(actor=world.coordinator, name="Hackney"),
    }
