"""The same dose submitted twice (docs/clinical-reference.md): the same key and body replays
the first answer; the same key with another body is refused (422); a retry
while the first attempt is still running is told to wait (409,
``test_concurrency.py``); a first attempt that died took its claim with it, so
the retry runs at once (issue 18: it used to wait 120 s)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from hearth.core import clock, idempotency
from hearth.core.errors import NotAllowed, ValidationFailed
from hearth.core.models import IdempotencyKey
from hearth.medications import services
from hearth.medications.models import Administration, MedicationOrder
from hearth.medications.tests.test_administration import (
    at,
    counts,
    prescribe_prn,
    refused,
    sign_off,
)

SCOPE = "medications.administration"


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    return prescribe_prn(active)


def record(actor: Any, order: MedicationOrder, key: str, **fields: Any) -> services.Recorded:
    values: dict[str, Any] = {"dose": "5", "route": "oral", "given_at": at(0, "10:00")}
    values.update(fields)
    return services.record_administration(actor=actor, order=order, idempotency_key=key, **values)


def body(order: MedicationOrder, **fields: Any) -> dict[str, Any]:
    """The request body as the service fingerprints it (what a first attempt
    still running would have claimed the key with)."""
    values: dict[str, Any] = {
        "order": order.external_id,
        "outcome": "given",
        "dose": "5",
        "route": "oral",
        "given_at": at(0, "10:00"),
        "scheduled_for": None,
        "not_given_reason": "",
        "note": "",
        "recorded_offline": False,
        "device_recorded_at": None,
        "client_id": "",
    }
    values.update(fields)
    return values


def in_flight(actor: Any, order: MedicationOrder, key: str, started_at: datetime) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        actor=actor,
        scope=SCOPE,
        key=key,
        fingerprint=idempotency.fingerprint(body(order)),
        started_at=started_at,
    )


def test_the_same_key_and_body_replays_the_first_answer_and_creates_nothing(
    active: Any, prn: Any
) -> None:
    with clock.travel_to(at(0, "10:01")):
        first = record(active.nurse, prn, "phone-1")
        before = counts()
        again = record(active.nurse, prn, "phone-1")
    assert counts() == before
    assert again.replayed and not first.replayed
    assert again.administration is not None and first.administration is not None
    assert again.administration.pk == first.administration.pk
    assert Administration.objects.count() == 1


def test_a_replay_answers_the_same_even_after_the_interval_rule_would_refuse(
    active: Any, prn: Any
) -> None:
    """The retry is not a second dose, so it is not judged as one."""
    with clock.travel_to(at(0, "10:01")):
        record(active.nurse, prn, "phone-1")
    with clock.travel_to(at(0, "10:20")):
        assert record(active.nurse, prn, "phone-1").replayed
        refused(lambda: record(active.nurse, prn, "phone-2"), code="dose_refused")


def test_the_same_key_with_another_body_is_refused_with_422(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:01")):
        record(active.nurse, prn, "phone-1")
        error = refused(
            lambda: record(active.nurse, prn, "phone-1", given_at=at(0, "09:59")),
            ValidationFailed,
            code="idempotency_key_reused",
            field="idempotency_key",
        )
    assert error.status == 422


def test_a_claim_left_in_flight_by_the_old_design_is_taken_over_at_once(
    active: Any, prn: Any
) -> None:
    """Before claims lived in the work's transaction, a dead attempt left a
    committed ``in_flight`` row that blocked retries for two minutes. No live
    attempt leaves one now, so such a row is a dead one: the retry records the
    dose straight away."""
    with clock.travel_to(at(0, "10:01")):
        claim = in_flight(active.nurse, prn, "phone-1", clock.now() - timedelta(seconds=1))
        recorded = record(active.nurse, prn, "phone-1")
    assert recorded.administration is not None and not recorded.replayed
    claim.refresh_from_db()
    assert claim.state == "done" and claim.result_id == recorded.administration.pk
    assert IdempotencyKey.objects.count() == 1
    with clock.travel_to(at(0, "10:02")):
        assert record(active.nurse, prn, "phone-1").replayed


def test_another_body_under_a_key_in_flight_is_still_a_422(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:01")):
        in_flight(active.nurse, prn, "phone-1", clock.now())
        refused(
            lambda: record(active.nurse, prn, "phone-1", dose="10"),
            code="idempotency_key_reused",
        )


def test_an_attempt_that_died_half_way_leaves_nothing_and_the_retry_runs_at_once(
    active: Any, prn: Any
) -> None:
    """A request that dies after claiming the key (its transaction rolled back,
    as when a worker is killed) takes the claim with it."""
    with clock.travel_to(at(0, "10:01")):
        with pytest.raises(ConnectionAbortedError), transaction.atomic():
            idempotency.claim(actor=active.nurse, scope=SCOPE, key="phone-1", body=body(prn))
            raise ConnectionAbortedError("the phone's request died here")
        assert not IdempotencyKey.objects.exists()
        recorded = record(active.nurse, prn, "phone-1")
    assert recorded.administration is not None and not recorded.replayed


@pytest.mark.django_db(transaction=True)
def test_the_claim_must_run_inside_the_works_transaction() -> None:
    """Outside a transaction a claim would be committed on its own and outlive
    a request that dies: the helper refuses to be used that way."""
    with pytest.raises(RuntimeError, match="inside the work's transaction"):
        idempotency.claim(actor=None, scope=SCOPE, key="k", body={})


def test_a_refused_dose_releases_its_key_for_the_corrected_retry(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:01")):
        refused(lambda: record(active.nurse, prn, "phone-1", dose="50"), field="dose")
        assert not IdempotencyKey.objects.exists()
        assert record(active.nurse, prn, "phone-1").administration is not None


def test_keys_belong_to_the_person_who_sent_them(active: Any, prn: Any) -> None:
    """Two carers' phones may happen to pick the same key: each is its own request."""
    sign_off(active, "oral")
    with clock.travel_to(at(0, "10:01")):
        record(active.nurse, prn, "same-key")
        refused(lambda: record(active.family, prn, "same-key"), code="dose_refused")
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", "k" * 81])
def test_a_missing_or_overlong_key_is_refused(active: Any, prn: Any, key: str) -> None:
    with clock.travel_to(at(0, "10:01")):
        refused(lambda: record(active.nurse, prn, key), field="idempotency_key")


def test_a_refusal_by_role_is_not_even_a_claim(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:01")):
        refused(lambda: record(active.patient_user, prn, "phone-1"), NotAllowed)
    assert not IdempotencyKey.objects.exists()
