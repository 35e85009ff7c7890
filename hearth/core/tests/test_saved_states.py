"""The saved database states under the shared ``world`` (hearth.saved_states):
each test sees the state as it was built, never what an earlier test wrote or
a deeper state an earlier test stood on. The tests run in file order on one
worker, so each pair's second test checks what its first one left."""

from __future__ import annotations

from hearth.accounts.models import User
from hearth.conftest import World
from hearth.patients.choices import EpisodeState
from hearth.saved_states import saved_states


def test_a_test_writes_on_the_shared_world(world: World) -> None:
    User.objects.create_user(
        username="written.by.a.test", password="x-long-password-1", kind="family"
    )
    world.patient.given_name = "Changed"
    world.patient.save(update_fields=["given_name"])
    assert User.objects.filter(username="written.by.a.test").exists()


def test_the_next_test_does_not_see_it(world: World) -> None:
    assert not User.objects.filter(username="written.by.a.test").exists()
    world.patient.refresh_from_db()
    assert world.patient.given_name == "Alice"


def test_a_test_stands_on_patient_a_in_care(active: World) -> None:
    assert active.episode.state == EpisodeState.ACTIVE
    assert saved_states.depth == 2  # the world, and patient A admitted on top


def test_the_next_test_on_the_world_finds_patient_a_referred(world: World) -> None:
    assert world.episode.state == EpisodeState.REFERRED
    assert saved_states.depth == 1


def test_each_test_gets_its_own_copy_of_the_people(world: World, active: World) -> None:
    assert world is active
    world.nurse.first_name = "Renamed in memory"


def test_the_copy_is_not_shared(world: World) -> None:
    assert world.nurse.first_name == "Nurse"


def test_a_test_opening_its_transaction_first_gets_a_world_of_its_own(
    db: None, world: World
) -> None:
    assert saved_states.depth == 0
    assert world.episode.state == EpisodeState.REFERRED
