"""A stateful property test of as-needed doses through the real service.

Hypothesis writes an as-needed order with a random minimum interval and 24 h
maximum, then tries doses at random times: the clock moves forward by random
amounts (``clock.travel_to``), doses are sometimes back-dated within the
allowed 12 hours, by a nurse or by a signed-off daughter, and sometimes a
nurse marks one entered in error. After every step:

- among doses given and not entered in error, no two are closer than the
  minimum interval and no rolling 24 h window holds more than the maximum;
- the service accepted exactly the doses a brute-force model (in this file,
  not ``hearth.medications.checks``) says it should;
- a refusal left the administration record, the audit trail, the review
  queue and the idempotency keys as they were.

Isolation: pytest-django's ``db`` wraps the test in a transaction and builds
the people once; each hypothesis example runs inside its own savepoint, rolled
back in ``teardown``, so examples cannot see each other's orders or doses.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hearth.core import clock
from hearth.core.errors import DomainError
from hearth.medications import services
from hearth.medications.models import Administration, MedicationOrder
from hearth.medications.tests.conftest import formulary, new_key
from hearth.medications.tests.test_administration import at, counts, sign_off

DAY = timedelta(hours=24)
START = at(0, "08:00")
BACKDATE_MINUTES = 12 * 60 - 1


def respects(times: list[datetime], interval: timedelta, maximum: int) -> bool:
    """Brute force: every pair at least ``interval`` apart, and every 24 h
    window starting at a dose (the busiest window always does) holds at most
    ``maximum`` doses."""
    ordered = sorted(times)
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second - first < interval:
                return False
        if sum(1 for t in ordered if first <= t < first + DAY) > maximum:
            return False
    return True


class AsNeededDoses(RuleBasedStateMachine):
    world: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.now = START
        self.order: MedicationOrder | None = None
        self.accepted: dict[int, datetime] = {}
        self.interval = timedelta(0)
        self.maximum = 0
        self.valid_from = START

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    @initialize(
        # Mostly hours; sometimes longer than a day (validation allows 7 days).
        interval=st.one_of(
            st.integers(min_value=1, max_value=240),
            st.integers(min_value=240, max_value=7 * 24 * 60),
        ),
        maximum=st.integers(min_value=1, max_value=8),
    )
    def prescribe(self, interval: int, maximum: int) -> None:
        with clock.travel_to(self.now):
            self.order = services.prescribe(
                actor=self.world.physician,
                patient=self.world.patient,
                drug_route=formulary("Morphine", "oral"),
                kind="as_needed",
                dose="5",
                indication="breakthrough pain",
                minimum_interval_minutes=interval,
                maximum_doses_24h=maximum,
            )
        assert self.order.current is not None
        self.valid_from = self.order.current.valid_from
        self.interval = timedelta(minutes=interval)
        self.maximum = maximum

    @rule(
        minutes=st.one_of(
            st.integers(min_value=0, max_value=90), st.integers(min_value=90, max_value=900)
        )
    )
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(
        who=st.sampled_from(["nurse", "family"]),
        back=st.one_of(st.just(0), st.integers(min_value=0, max_value=BACKDATE_MINUTES)),
    )
    def give_a_dose(self, who: str, back: int) -> None:
        assert self.order is not None
        given_at = self.now - timedelta(minutes=back)
        expected = given_at >= self.valid_from and respects(
            [*self.accepted.values(), given_at], self.interval, self.maximum
        )
        before = counts()
        try:
            with clock.travel_to(self.now):
                recorded = services.record_administration(
                    actor=getattr(self.world, who),
                    order=self.order,
                    idempotency_key=new_key(),
                    dose="5",
                    route="oral",
                    given_at=given_at,
                )
        except DomainError as error:
            assert counts() == before, f"a refusal wrote something: {error.message}"
            assert not expected, f"refused a dose the rules allow: {error.as_dict()}"
            assert error.code in ("dose_refused", "no_active_order"), error.as_dict()
        else:
            dose = recorded.administration
            assert dose is not None and recorded.review is None
            assert expected, f"accepted a dose the rules forbid at {given_at}"
            assert dose.given_at == given_at
            self.accepted[dose.pk] = given_at

    @precondition(lambda self: bool(self.accepted))
    @rule(pick=st.integers(min_value=0, max_value=100))
    def mark_one_entered_in_error(self, pick: int) -> None:
        pk = sorted(self.accepted)[pick % len(self.accepted)]
        with clock.travel_to(self.now):
            services.mark_administration_entered_in_error(
                actor=self.world.nurse,
                administration=Administration.objects.get(pk=pk),
                reason="Recorded twice by mistake.",
            )
        del self.accepted[pk]

    @invariant()
    def the_record_keeps_the_interval_and_the_rolling_maximum(self) -> None:
        if self.order is None:
            return
        stored = list(
            Administration.objects.given().filter(order=self.order).values_list("pk", "given_at")
        )
        assert dict(stored) == self.accepted
        assert respects([t for _pk, t in stored], self.interval, self.maximum)


def test_as_needed_doses_never_break_the_interval_or_the_rolling_maximum(active: Any) -> None:
    sign_off(active, "oral", when=at(-1, "09:00"))

    class Machine(AsNeededDoses):
        world = active

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_the_brute_force_model_itself() -> None:
    """The model in this file says what docs/clinical-reference.md says."""
    hour = timedelta(hours=1)
    t = START
    assert respects([t, t + hour], hour, 2)
    assert not respects([t, t + hour - timedelta(seconds=1)], hour, 2)
    assert respects([t, t + DAY], hour, 1)
    assert not respects([t, t + DAY - timedelta(seconds=1)], hour, 1)
    # 23:00 and 01:00 are in the same 24 hours.
    assert not respects([at(0, "23:00"), at(1, "01:00"), at(1, "03:00")], hour, 2)
