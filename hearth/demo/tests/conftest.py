"""One seeded demo database per test module.

Loading the demo takes seconds, and most demo tests only read what it wrote.
A module that asks for ``seeded_demo`` (``pytestmark =
pytest.mark.usefixtures("seeded_demo")``) gets the demo loaded once, inside a
transaction on every database that is rolled back when the module ends; each
test's own ``db`` transaction then nests as a savepoint on top of it, so a test
that changes the demo's records leaves nothing behind for the next one.

A module sets ``DEMO_LOADED_AT`` (a ``datetime.time``) to load the demo at that
time of today instead of now, for tests that need "today" to have some hours
in it. Tests that load the demo at times of their own (any time of day, a
Tuesday morning) do not use this fixture: they start from an empty database.

Module scope, not session scope: the outer transaction would otherwise hold the
demo under every later test on the same worker, other apps' tests included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, nullcontext
from datetime import datetime, time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from hearth.core import clock


def _loaded_at(request: pytest.FixtureRequest) -> datetime | None:
    at: time | None = getattr(request.module, "DEMO_LOADED_AT", None)
    if at is None:
        return None
    return timezone.make_aware(datetime.combine(clock.today(), at))


@pytest.fixture(scope="module")
def seeded_demo(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[None]:
    """The demo, loaded once for the module and rolled back after it."""
    moment = _loaded_at(request)
    with django_db_blocker.unblock(), ExitStack() as stack:
        for alias in connections:
            stack.enter_context(transaction.atomic(using=alias))
        with (
            translation.override(settings.LANGUAGE_CODE),
            clock.travel_to(moment) if moment is not None else nullcontext(),
        ):
            call_command("seed_demo", stdout=StringIO())
        yield
        for alias in connections:
            transaction.set_rollback(True, using=alias)
