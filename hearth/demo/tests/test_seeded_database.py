"""The shared demo database: loaded once per module, each test in a savepoint
on top of it, so what one test changes the next one never sees."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core.models import AuditEvent
from hearth.patients.models import Patient

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")

PEGGY = "HH-1003"


def test_a_test_may_change_the_demo() -> None:
    assert Patient.objects.get(record_number=PEGGY).preferred_name == "Peggy"
    Patient.objects.filter(record_number=PEGGY).update(preferred_name="Changed by a test")
    User.objects.create_user(
        username="left.behind", password="x", kind=UserKind.STAFF, discipline=Discipline.NURSE
    )
    assert Patient.objects.get(record_number=PEGGY).preferred_name == "Changed by a test"
    assert User.objects.filter(username="left.behind").exists()


def test_the_next_test_sees_the_demo_as_it_was_loaded() -> None:
    assert Patient.objects.get(record_number=PEGGY).preferred_name == "Peggy"
    assert not User.objects.filter(username="left.behind").exists()
    assert Patient.objects.count() == 7


def test_loading_again_changes_nothing() -> None:
    before = (Patient.objects.count(), User.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 new patients (7 in all)" in out.getvalue()
    assert (Patient.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before
