"""The seeded demo database, loaded once per test process and shared.

Loading the demo takes seconds, and most demo tests only read what it wrote.
A module that asks for ``seeded_demo`` (``pytestmark =
pytest.mark.usefixtures("seeded_demo")``) stands on the demo as a saved
database state (``hearth.saved_states``): it is loaded the first time a test
asks for it, and each test runs in its own savepoint on top, rolled back after
it, so a test that changes the demo's records leaves nothing behind for the
next one. Before any test that does not ask for it, the demo is rolled back.

A module sets ``DEMO_LOADED_AT`` (a ``datetime.time``) to load the demo at that
time of today instead of now, for tests that need "today" to have some hours
in it; demos loaded at different times are different saved states. Tests that
load the demo at times of their own (any time of day, a Tuesday morning) do not
use this fixture: they start from an empty database.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from hearth.conftest import SAVED_STATE_FIXTURES, on_saved_state
from hearth.core import clock
from hearth.saved_states import SavedStates


def _loaded_at(request: pytest.FixtureRequest) -> datetime | None:
    at: time | None = getattr(request.module, "DEMO_LOADED_AT", None)
    if at is None:
        return None
    return timezone.make_aware(datetime.combine(clock.today(), at))


def _seed(moment: datetime | None) -> None:
    with (
        translation.override(settings.LANGUAGE_CODE),
        clock.travel_to(moment) if moment is not None else nullcontext(),
    ):
        call_command("seed_demo", stdout=StringIO())


SAVED_STATE_FIXTURES.add("seeded_demo")


@pytest.fixture
def seeded_demo(request: pytest.FixtureRequest, _saved_states: SavedStates) -> None:
    """The demo, loaded once and rolled back under each test."""
    moment = _loaded_at(request)
    on_saved_state(request, lambda states: states.use(0, ("demo", moment), lambda: _seed(moment)))
