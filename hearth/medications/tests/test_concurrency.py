"""Two carers, two phones, the same moment (docs/clinical-reference.md): the checks and the
write run in one transaction with the order row locked, so the last allowed
dose and a scheduled slot are recorded once, and the other carer is told why.

PostgreSQL: two real connections with row locks (``select_for_update``).
SQLite: every write transaction starts ``IMMEDIATE``, so writers queue; that
needs a file database shared by the threads (an in-memory test database is
one connection's), so it runs when ``HEARTH_TEST_SQLITE_NAME`` names a file.

A transactional test starts from whatever the last one's flush left, so the
formulary (a data migration) is loaded again by the ``seeded_formulary``
fixture. (``serialized_rollback`` cannot do it on PostgreSQL after another
transactional test: it re-inserts content types the flush already recreated.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hearth.conftest import at_once, build_world
from hearth.core import clock
from hearth.core.errors import Conflict, ValidationFailed
from hearth.medications import services
from hearth.medications.models import Administration, MedicationOrder
from hearth.medications.tests.conftest import formulary

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections with row locks (PostgreSQL)",
)
sqlite_file_only = pytest.mark.skipif(
    connection.vendor != "sqlite" or not connection.settings_dict["TEST"].get("NAME"),
    reason="needs a file SQLite test database shared by two threads "
    "(set HEARTH_TEST_SQLITE_NAME=/tmp/hearth-test.sqlite3)",
)


def _care_team() -> Any:
    """The world in active home care, the daughter signed off for oral medicines."""
    world = build_world()
    world.bring_to("active")
    services.sign_off_caregiver(
        actor=world.nurse,
        patient=world.patient,
        caregiver=world.family,
        route="oral",
        signed_off_on=clock.today() - timedelta(days=1),
        expires_on=clock.today() + timedelta(days=30),
    )
    return world


def _one_left(world: Any, now: datetime) -> MedicationOrder:
    """Oral morphine as needed, at most 2 in 24 h, 1 minute apart; one given
    two hours ago, so one dose is left."""
    with clock.travel_to(now - timedelta(hours=3)):
        order = services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=1,
            maximum_doses_24h=2,
        )
    with clock.travel_to(now - timedelta(hours=2)):
        services.record_administration(
            actor=world.nurse, order=order, idempotency_key="first", dose="5", route="oral"
        )
    return order


def _dose(actor: Any, order: MedicationOrder, key: str, given_at: datetime, **extra: Any) -> Any:
    return lambda: services.record_administration(
        actor=actor,
        order=order,
        idempotency_key=key,
        dose=extra.pop("dose", "5"),
        route="oral",
        given_at=given_at,
        **extra,
    )


def _last_prn_dose_race() -> None:
    world = _care_team()
    now = clock.now()
    order = _one_left(world, now)
    # Two minutes apart, so the interval allows both: only the maximum can refuse one.
    results = at_once(
        _dose(world.nurse, order, "nurse-phone", now - timedelta(minutes=2)),
        _dose(world.family, order, "daughter-phone", now),
    )
    recorded = [r for r in results if isinstance(r, services.Recorded)]
    refusals = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(recorded) == 1 and len(refusals) == 1, results
    assert recorded[0].administration is not None
    assert refusals[0].code == "dose_refused"
    assert "limit is reached" in refusals[0].message
    assert Administration.objects.given().filter(order=order).count() == 2


def _slot_race() -> None:
    world = _care_team()
    now = clock.now()
    slot = timezone.localtime(now - timedelta(minutes=30)).replace(second=0, microsecond=0)
    with clock.travel_to(slot - timedelta(hours=1)):
        order = services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="regular",
            dose="20",
            times=[slot.strftime("%H:%M")],
            indication="pain",
        )
    results = at_once(
        _dose(world.nurse, order, "nurse-phone", now, dose="20", scheduled_for=slot),
        _dose(world.family, order, "daughter-phone", now, dose="20", scheduled_for=slot),
    )
    recorded = [r for r in results if isinstance(r, services.Recorded)]
    refusals = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(recorded) == 1 and len(refusals) == 1, results
    assert refusals[0].code == "dose_refused" and "already recorded" in refusals[0].message
    assert Administration.objects.filter(order=order, scheduled_for=slot).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_two_carers_giving_the_last_allowed_dose_at_once_record_one() -> None:
    _last_prn_dose_race()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_two_carers_recording_the_same_slot_at_once_record_one() -> None:
    _slot_race()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_the_same_submission_sent_twice_at_once_is_recorded_once() -> None:
    """A phone retrying while its first request runs: one dose; the other
    attempt either waits (409) or replays the first answer."""
    world = _care_team()
    now = clock.now()
    order = _one_left(world, now)
    results = at_once(
        _dose(world.family, order, "retry-key", now),
        _dose(world.family, order, "retry-key", now),
    )
    assert all(isinstance(r, services.Recorded | Conflict) for r in results), results
    recorded = [r for r in results if isinstance(r, services.Recorded)]
    assert [r.replayed for r in recorded].count(False) == 1
    assert Administration.objects.given().filter(order=order).count() == 2


@sqlite_file_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_on_sqlite_two_carers_giving_the_last_allowed_dose_record_one() -> None:
    _last_prn_dose_race()


@sqlite_file_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_on_sqlite_two_carers_recording_the_same_slot_record_one() -> None:
    _slot_race()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")
def test_a_retry_while_the_first_attempt_runs_gets_409_and_runs_once_the_first_dies() -> None:
    """Issue 18: the claim lives in the first attempt's transaction. While that
    runs, a retry is told to wait (409 ``in_flight``) at once; the moment it dies
    (rolled back), the retry records the dose — no two-minute wait."""
    import threading

    from django.db import connections, transaction

    from hearth.core import idempotency

    world = _care_team()
    now = clock.now()
    order = _one_left(world, now)
    claimed, release = threading.Event(), threading.Event()

    def first_attempt() -> None:
        try:
            with pytest.raises(ConnectionAbortedError), transaction.atomic():
                idempotency.claim(
                    actor=world.family,
                    scope="medications.administration",
                    key="retry-key",
                    body={"first": "attempt"},
                )
                claimed.set()
                release.wait(10)
                raise ConnectionAbortedError("the first request dies here")
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_attempt)
    thread.start()
    try:
        assert claimed.wait(10)
        with pytest.raises(Conflict) as waiting:
            _dose(world.family, order, "retry-key", now)()
        assert waiting.value.code == "in_flight" and waiting.value.status == 409
    finally:
        release.set()
        thread.join(10)
    recorded = _dose(world.family, order, "retry-key", now)()
    assert recorded.administration is not None and not recorded.replayed
    assert Administration.objects.given().filter(order=order).count() == 2
