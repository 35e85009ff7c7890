"""Two clinicians at once: the one-active-plan and one-current-ACP rules hold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from hearth.careplans import services
from hearth.careplans.choices import AcpStatus, PlanStatus
from hearth.careplans.models import AdvanceCarePlan, CarePlan
from hearth.conftest import build_world
from hearth.core.errors import Conflict, InvalidTransition
from hearth.patients.choices import EpisodeState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)


def _race(*calls: Callable[[], Any]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except (InvalidTransition, Conflict):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_people_starting_a_draft_get_one_draft() -> None:
    world = build_world()
    world.bring_to(EpisodeState.ACTIVE)
    world.personal_care(drafts=False)
    outcomes = _race(
        lambda: services.start_care_plan_draft(actor=world.nurse, patient=world.patient),
        lambda: services.start_care_plan_draft(actor=world.chaplain, patient=world.patient),
    )
    assert outcomes == ["done", "refused"]
    assert CarePlan.objects.filter(status=PlanStatus.DRAFT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_signatures_of_the_same_draft_sign_it_once() -> None:
    world = build_world()
    world.bring_to(EpisodeState.ACTIVE)
    care = world.personal_care()
    draft = care.acp_draft
    outcomes = _race(
        lambda: services.sign_advance_care_plan(actor=world.physician, plan=draft),
        lambda: services.sign_advance_care_plan(actor=world.physician, plan=draft),
    )
    assert outcomes == ["done", "refused"]
    assert AdvanceCarePlan.objects.filter(status=AcpStatus.CURRENT).count() == 1
    assert AdvanceCarePlan.objects.filter(status=AcpStatus.SUPERSEDED).count() == 1
