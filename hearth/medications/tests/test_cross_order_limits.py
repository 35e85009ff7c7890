"""Limits that protect the person are counted across every order of the same
drug (shared/CLINICAL.md "Duplicate therapy"): the minimum interval and the
rolling 24 h maximum of as-needed doses hold across all as-needed orders of
the drug (any route, active or stopped) with the strictest limits; the
orders are locked together, so two doses in the same minute under two orders
record one; the offline sync path and its review run the same checks.

Duplicate orders can still exist (written before the duplicate rule): such
orders are put straight into the tables here (``legacy_duplicate``)."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.conftest import at_once, build_world
from hearth.core import clock
from hearth.core.errors import ValidationFailed
from hearth.medications import checks, queries, services
from hearth.medications.models import Administration, MedicationOrder, OrderVersion, SyncReview
from hearth.medications.tests.conftest import formulary, new_key
from hearth.monitoring.choices import AlertRule
from hearth.monitoring.models import Alert

LONDON = ZoneInfo("Europe/London")
DAY0 = date(2027, 1, 19)


def at(day: int, hhmm: str) -> datetime:
    return datetime.combine(DAY0 + timedelta(days=day), time.fromisoformat(hhmm), tzinfo=LONDON)


def as_needed(
    world: Any,
    drug: str = "Paracetamol",
    route: str = "oral",
    dose: str = "1000",
    interval: int = 240,
    maximum: int = 4,
) -> MedicationOrder:
    with clock.travel_to(at(0, "06:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary(drug, route),
            kind="as_needed",
            dose=dose,
            indication="pain",
            minimum_interval_minutes=interval,
            maximum_doses_24h=maximum,
        )


def legacy_duplicate(
    order: MedicationOrder, *, interval: int | None = None, maximum: int | None = None
) -> MedicationOrder:
    """The same order again, as it could be written before the duplicate rule."""
    current = order.current
    assert current is not None
    copy = MedicationOrder.objects.create(
        patient=order.patient,
        drug_route=order.drug_route,
        kind=order.kind,
        created_at=order.created_at,
        created_by=order.created_by,
    )
    version = OrderVersion.objects.create(
        order=copy,
        number=1,
        dose=current.dose,
        dose_unit=current.dose_unit,
        indication=current.indication,
        minimum_interval_minutes=interval or current.minimum_interval_minutes,
        maximum_doses_24h=maximum or current.maximum_doses_24h,
        prescribed_by=current.prescribed_by,
        valid_from=current.valid_from,
    )
    copy.current = version
    copy.save(update_fields=["current"])
    return copy


def dose(world: Any, order: MedicationOrder, when: datetime, **extra: Any) -> Any:
    order.refresh_from_db()
    assert order.current is not None
    with clock.travel_to(extra.pop("now", when)):
        return services.record_administration(
            actor=world.nurse,
            order=order,
            idempotency_key=new_key(),
            dose=order.current.dose,
            route=order.drug_route.route,
            given_at=when,
            **extra,
        )


def test_two_orders_of_the_same_drug_dosed_in_the_same_minute_the_second_is_refused(
    active: Any,
) -> None:
    first = as_needed(active)
    second = legacy_duplicate(first)
    assert dose(active, first, at(0, "09:00")).administration is not None
    with pytest.raises(ValidationFailed) as caught:
        dose(active, second, at(0, "09:00"))
    assert caught.value.code == "dose_refused"
    assert "Too soon" in caught.value.message
    assert Administration.objects.count() == 1


def test_68_duplicate_orders_do_not_multiply_the_doses(active: Any) -> None:
    """The testers' case: 68 orders, 876 doses in 8 hours, 22 in one minute."""
    first = as_needed(active)
    orders = [first] + [legacy_duplicate(first) for _ in range(67)]
    accepted: list[datetime] = []
    for step in range(48):  # every 10 minutes for 8 hours, each time under another order
        when = at(0, "09:00") + timedelta(minutes=10 * step)
        for order in orders[step % 68 : step % 68 + 2]:
            try:
                dose(active, order, when)
            except ValidationFailed:
                continue
            accepted.append(when)
    assert accepted == [at(0, "09:00"), at(0, "13:00")]


def test_the_strictest_limits_of_the_drugs_orders_apply(active: Any) -> None:
    oral = as_needed(active, "Morphine", "oral", dose="5", interval=60, maximum=6)
    injection = as_needed(active, "Morphine", "subcutaneous", dose="2.5", interval=120, maximum=3)
    dose(active, oral, at(0, "09:00"))
    with pytest.raises(ValidationFailed) as caught:
        dose(active, oral, at(0, "10:30"))
    assert "120 minutes" in caught.value.message
    dose(active, injection, at(0, "11:00"))
    dose(active, oral, at(0, "13:00"))
    with pytest.raises(ValidationFailed) as caught:
        dose(active, oral, at(0, "16:00"))
    assert "at most 3 doses in any 24 hours" in caught.value.message
    # Another drug keeps its own count.
    other = as_needed(active, "Paracetamol", "oral")
    assert dose(active, other, at(0, "16:00")).administration is not None


def test_breakthrough_doses_are_counted_across_the_drugs_orders(active: Any) -> None:
    """Three breakthrough doses in 24 h under two orders prompt the review."""
    oral = as_needed(active, "Morphine", "oral", dose="5", interval=60, maximum=6)
    injection = as_needed(active, "Morphine", "subcutaneous", dose="2.5", interval=60, maximum=6)
    dose(active, oral, at(0, "09:00"))
    dose(active, injection, at(0, "11:00"))
    assert not Alert.objects.filter(rule=AlertRule.BREAKTHROUGH_DOSES).exists()
    dose(active, oral, at(0, "13:00"))
    assert Alert.objects.filter(rule=AlertRule.BREAKTHROUGH_DOSES).exists()


def test_regular_doses_keep_to_their_slots(active: Any) -> None:
    """A breakthrough dose may be given soon after the regular dose."""
    with clock.travel_to(at(0, "06:00")):
        regular = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="regular",
            dose="10",
            times=["08:00", "20:00"],
            indication="pain",
        )
    prn = as_needed(active, "Morphine", "oral", dose="2.5", interval=60, maximum=6)
    dose(active, regular, at(0, "08:00"), scheduled_for=at(0, "08:00"))
    assert dose(active, prn, at(0, "08:05")).administration is not None


def test_the_home_chart_counts_across_the_drugs_orders(active: Any) -> None:
    first = as_needed(active)
    second = legacy_duplicate(first, maximum=2)
    dose(active, first, at(0, "08:00"))
    dose(active, second, at(0, "12:00"))
    with clock.travel_to(at(0, "13:00")):
        lines = {line.order.pk: line for line in queries.home_chart(active.patient)}
    for order in (first, second):
        line = lines[order.pk]
        assert line.given_last_24h == 2
        assert line.limit_reached  # the stricter maximum (2) of the two orders
        assert line.next_allowed_at == at(1, "08:00")


def test_an_offline_dose_under_another_order_goes_to_review_and_the_review_rechecks(
    active: Any,
) -> None:
    first = as_needed(active)
    second = legacy_duplicate(first)
    dose(active, first, at(0, "09:00"))
    result = dose(
        active,
        second,
        at(0, "09:30"),
        now=at(0, "11:00"),
        recorded_offline=True,
        client_id="phone:1",
        device_recorded_at=at(0, "09:31"),
    )
    assert result.review is not None and result.administration is None
    assert "Too soon" in result.review.problems[0]
    with clock.travel_to(at(0, "11:05")):
        reviewed = services.resolve_review(
            actor=active.nurse,
            review=result.review,
            decision="accepted",
            note="Daughter confirms she gave it; the nurse's dose was the same morning",
        )
    assert reviewed.administration is not None
    assert "Too soon" in reviewed.administration.note
    assert SyncReview.objects.get().status == "accepted"


# --- No sequence of doses breaks the limits ----------------------------------------------

STEPS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which as-needed order
        st.integers(min_value=0, max_value=2 * 24 * 60),  # minutes after 07:00 on day 0
        st.integers(min_value=0, max_value=11 * 60),  # written down this much later
    ),
    max_size=20,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_no_sequence_of_doses_across_the_drugs_orders_breaks_the_limits(
    active: Any, steps: list[tuple[int, int, int]]
) -> None:
    """A regular morphine order, an as-needed one, a duplicate written before
    the rule with other limits, and one by injection: whatever the order of
    doses and however late they are written down, the as-needed doses keep
    the strictest interval (120 min) and maximum (4 in any 24 h)."""
    with transaction.atomic():
        with clock.travel_to(at(0, "06:00")):
            services.prescribe(
                actor=active.physician,
                patient=active.patient,
                drug_route=formulary("Morphine", "oral"),
                kind="regular",
                dose="10",
                times=["08:00", "20:00"],
                indication="pain",
            )
        oral = as_needed(active, "Morphine", "oral", dose="5", interval=60, maximum=6)
        orders = [
            oral,
            legacy_duplicate(oral, interval=120, maximum=4),
            as_needed(active, "Morphine", "subcutaneous", dose="2.5", interval=30, maximum=8),
        ]
        for which, minutes, lag in steps:
            when = at(0, "07:00") + timedelta(minutes=minutes)
            with contextlib.suppress(ValidationFailed):
                dose(active, orders[which], when, now=when + timedelta(minutes=lag))
        given_times = sorted(
            Administration.objects.given()
            .filter(order__kind="as_needed")
            .values_list("given_at", flat=True)
        )
        for earlier, later in itertools.pairwise(given_times):
            assert later - earlier >= timedelta(minutes=120)
        for moment in given_times:
            assert checks.busiest_window(moment, [t for t in given_times if t != moment]) <= 4
        transaction.set_rollback(True)


# --- Two phones, two orders, the same minute (PostgreSQL) ---------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_two_carers_dosing_two_orders_of_the_same_drug_at_once_record_one() -> None:
    world = build_world()
    world.bring_to("active")
    now = clock.now()
    with clock.travel_to(now - timedelta(hours=1)):
        first = services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary("Paracetamol", "oral"),
            kind="as_needed",
            dose="1000",
            indication="pain",
            minimum_interval_minutes=240,
            maximum_doses_24h=4,
        )
    second = legacy_duplicate(first)

    def give(order: MedicationOrder, key: str) -> Any:
        return lambda: services.record_administration(
            actor=world.nurse,
            order=order,
            idempotency_key=key,
            dose="1000",
            route="oral",
            given_at=now,
        )

    results = at_once(give(first, "phone-a"), give(second, "phone-b"))
    recorded = [r for r in results if isinstance(r, services.Recorded)]
    refusals = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(recorded) == 1 and len(refusals) == 1, results
    assert refusals[0].code == "dose_refused"
    assert Administration.objects.filter(patient=world.patient).count() == 1
