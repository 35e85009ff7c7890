"""``core.locking.lock``: the one way a service re-reads a row, locked, before
changing it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from hearth.accounts.models import Discipline
from hearth.conftest import World, make_user
from hearth.core.locking import lock
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Episode, Patient


def test_it_returns_the_row_as_stored_now_not_the_stale_copy(world: World) -> None:
    stale = world.patient
    Patient.objects.filter(pk=stale.pk).update(given_name="Alicia")
    fresh = lock(Patient, stale.pk)
    assert fresh.pk == stale.pk
    assert fresh.given_name == "Alicia"
    assert stale.given_name == "Alice"


def test_it_reads_the_related_rows_along(world: World, django_assert_num_queries: Any) -> None:
    episode = world.episode
    with django_assert_num_queries(1):
        locked = lock(Episode, episode.pk, related=("patient",))
        assert locked.patient.family_name == "Able"


def test_it_takes_a_queryset(world: World, django_assert_num_queries: Any) -> None:
    episode = world.episode
    with django_assert_num_queries(1):
        locked = lock(Episode.objects.select_related("patient"), episode.pk, of=("self",))
        assert locked.patient == world.patient
    assert locked.state == EpisodeState.REFERRED


def test_it_raises_does_not_exist_for_a_missing_row(world: World) -> None:
    with pytest.raises(Patient.DoesNotExist):
        lock(Patient, 0)


def test_it_does_not_reach_rows_outside_the_queryset(world: World) -> None:
    with pytest.raises(Patient.DoesNotExist):
        lock(Patient.objects.filter(record_number="A-1"), world.other_patient.pk)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_outside_a_transaction_on_every_database() -> None:
    """PostgreSQL refuses ``FOR UPDATE`` in autocommit; so does the helper on
    SQLite, so a service that forgot ``transaction.atomic`` fails in the tests."""
    user = make_user("nurse.lock", discipline=Discipline.NURSE)
    with pytest.raises(TransactionManagementError):
        lock(type(user), user.pk)
    with transaction.atomic():
        assert lock(type(user), user.pk) == user
