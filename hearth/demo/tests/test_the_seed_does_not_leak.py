"""A module that does not ask for the shared demo starts from an empty
database, even when modules that loaded it ran before it on the same worker
(the shared demo is rolled back when its module ends)."""

from __future__ import annotations

import pytest

from hearth.accounts.models import User
from hearth.core.models import AuditEvent
from hearth.patients.models import Patient


@pytest.mark.django_db
def test_a_module_without_the_demo_sees_none_of_it() -> None:
    assert not Patient.objects.exists()
    assert not User.objects.filter(username="coord.lewis").exists()
    assert not AuditEvent.objects.exists()
