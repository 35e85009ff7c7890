"""Database states built once and reused by many tests (test support, not app code).

Building the shared ``World`` (fifteen people, two patients taken through
referral, screening, the commission and admission by the real services) costs
more than most tests that use it. Like Django's ``TestCase.setUpTestData`` and
NetBox's or Zulip's pre-built test data, a state is built once inside a
savepoint and every test runs in its own savepoint on top of it, rolled back
when the test ends, so no test sees what another wrote.

States nest, deepest last: the permission matrix keeps patient A at a stage,
on top of that the objects one route needs, while the fifteen roles try that
route. Asking for a different state at some depth rolls back that state and
everything above it first.

Only tests that run inside a transaction can stand on a saved state: before any
other database test (a transactional one, or one that opens its own
transaction before asking for a saved state) the states are rolled back, so it
starts from the empty test database as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, transaction

T = TypeVar("T")


class SavedStateError(RuntimeError):
    """A saved state was asked for where it cannot be stacked (a test's own
    transaction is already open above the saved ones)."""


@dataclass
class _State:
    key: Hashable
    value: Any
    exits: ExitStack


class SavedStates:
    """The stack of saved states of one test process (one per xdist worker)."""

    def __init__(self) -> None:
        self._states: list[_State] = []
        self._blocker: Any = None
        #: The deepest state the current test asked for (see ``settle``).
        self._deepest_used = -1

    @property
    def depth(self) -> int:
        return len(self._states)

    def attach(self, blocker: Any) -> None:
        """pytest-django's database blocker: saved states are built and rolled
        back between tests, where database access is otherwise blocked."""
        self._blocker = blocker

    def stackable(self) -> bool:
        """Whether nothing but saved states is open on the connections, so a
        state can be pushed (or reused) below the test's own transaction."""
        return all(len(connections[alias].atomic_blocks) == self.depth for alias in connections)

    def use(
        self,
        depth: int,
        key: Hashable,
        build: Callable[[], T],
        *,
        building_in: Callable[[], AbstractContextManager[Any]] | None = None,
        living_in: Callable[[], AbstractContextManager[Any]] | None = None,
    ) -> T:
        """The state at ``depth`` called ``key``, built by ``build`` if it is not
        the one saved there. ``building_in`` (a set clock, say) is entered while
        ``build`` runs; ``living_in`` stays entered as long as the state lives,
        for the tests that stand on it too. Name both in ``key``."""
        if depth > self.depth:
            raise SavedStateError(f"no saved state below depth {depth}")
        self._deepest_used = depth
        if depth < self.depth and self._states[depth].key == key:
            return self._states[depth].value  # type: ignore[no-any-return]
        self.discard(from_depth=depth)
        if not self.stackable():
            raise SavedStateError(
                "a test transaction is already open: ask for the saved state before `db`"
            )
        exits = ExitStack()
        with self._unblocked():
            try:
                if living_in is not None:
                    exits.enter_context(living_in())
                for alias in connections:
                    exits.enter_context(transaction.atomic(using=alias))
                    # Runs before that atomic block exits (ExitStack is LIFO).
                    exits.callback(transaction.set_rollback, True, using=alias)
                with building_in() if building_in is not None else nullcontext():
                    value = build()
            except BaseException:
                exits.close()
                raise
        self._states.append(_State(key, value, exits))
        return value

    def settle(self) -> None:
        """Roll back the states deeper than the last one asked for: a test that
        stands on the shared world must not see a stage or a route's objects
        that the previous test stood on."""
        self.discard(from_depth=self._deepest_used + 1)
        self._deepest_used = -1

    def discard(self, from_depth: int = 0) -> None:
        """Roll back the states at ``from_depth`` and above, deepest first."""
        if self.depth <= from_depth:
            return
        with self._unblocked():
            while self.depth > from_depth:
                self._states.pop().exits.close()

    def _unblocked(self) -> AbstractContextManager[Any]:
        if self._blocker is None:
            return ExitStack()
        return self._blocker.unblock()  # type: ignore[no-any-return]


#: The one stack of this test process.
saved_states = SavedStates()
