"""Fixtures of the patients app's tests: patient A made ready for one row of
the permission matrix (``route_world``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from hearth.conftest import World, base_world, brought_to, on_saved_state, stage_key
from hearth.patients.tests.matrix import Route


def _prepared(world: World, route: Route) -> World:
    prepared = copy.deepcopy(world)
    if route.prepare:
        # No prepare step depends on who will make the request.
        route.prepare(prepared, None)
    return prepared


@pytest.fixture
def route_world(request: pytest.FixtureRequest, _saved_states: Any, route: Route) -> World:
    """Patient A at the route's stage with the objects the route needs, built
    once per route (and each stage once for the routes that share it) and
    rolled back under each role's request; ``route.around`` stays entered while
    they live, as it did around the whole case."""

    def build(states: Any) -> World:
        world = base_world(states)
        stage = states.use(
            1,
            stage_key(route.stage, living_in=route.around),
            lambda: brought_to(world, route.stage),
            living_in=route.around,
        )
        return states.use(2, ("route", id(route)), lambda: _prepared(stage, route))  # type: ignore[no-any-return]

    return on_saved_state(request, build, copied=False)  # type: ignore[no-any-return]
