"""Two people pressing "admit" at the same moment: exactly one succeeds."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from hearth.conftest import build_world
from hearth.core.errors import InvalidTransition
from hearth.patients import services
from hearth.patients.choices import EpisodeState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_admissions_succeeds() -> None:
    world = build_world()
    world.bring_to("granted")
    episode = world.episode
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def admit(actor: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.admit_to_home_care(actor=actor, episode=episode)
            outcomes.append("admitted")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=admit, args=(world.coordinator,)),
        threading.Thread(target=admit, args=(world.physician,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["admitted", "refused"]
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ACTIVE
    assert episode.patient.episodes.count() == 1
