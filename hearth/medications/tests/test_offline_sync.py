"""Doses recorded on a phone without signal (docs/clinical-reference.md): the server keeps the
phone's time and its own, re-runs every check at sync, and sends doses that
clash only after merging to a clinician's review queue, never merged or
dropped silently. Static errors are refused as they would be live."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed
from hearth.core.models import AuditEvent
from hearth.medications import queries, services
from hearth.medications.models import Administration, MedicationOrder, SyncReview
from hearth.medications.tests.conftest import give
from hearth.medications.tests.test_administration import (
    at,
    counts,
    dose_at,
    prescribe_prn,
    prescribe_regular,
    refused,
    sign_off,
)


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    sign_off(active, "oral")
    return prescribe_prn(active)


@pytest.fixture
def regular(active: Any) -> MedicationOrder:
    sign_off(active, "oral")
    return prescribe_regular(active)


def offline(
    actor: Any,
    order: MedicationOrder,
    given_at: datetime,
    synced_at: datetime,
    client_id: str = "phone-a:1",
    **extra: Any,
) -> services.Recorded:
    """What the phone sends when it finds signal again: the dose, when it was
    given, and the phone's own clock at the time it was written down."""
    with clock.travel_to(synced_at):
        return give(
            actor,
            order,
            given_at=given_at,
            recorded_offline=True,
            client_id=client_id,
            device_recorded_at=given_at + timedelta(minutes=2),
            **extra,
        )


def resolve(review: SyncReview, decision: str, actor: Any, when: datetime) -> SyncReview:
    with clock.travel_to(when):
        return services.resolve_review(
            actor=actor, review=review, decision=decision, note="Spoke to the daughter."
        )


# --- Clean offline doses ---------------------------------------------------------------


def test_a_clean_offline_dose_is_stored_with_both_times(active: Any, prn: Any) -> None:
    recorded = offline(active.family, prn, at(0, "10:00"), synced_at=at(0, "15:00"))
    dose = recorded.administration
    assert dose is not None and recorded.review is None
    assert dose.recorded_offline and dose.client_id == "phone-a:1"
    assert dose.given_at == at(0, "10:00")
    assert dose.device_recorded_at == at(0, "10:02")
    assert at(0, "15:00") <= dose.recorded_at < at(0, "15:01")
    assert not dose.accepted_after_review


def test_an_offline_dose_may_be_days_old_but_not_older_than_the_sync_window(
    active: Any, prn: Any
) -> None:
    """Live records go back 12 hours; a phone offline for days still syncs."""
    assert offline(active.family, prn, at(0, "10:00"), synced_at=at(3, "09:00")).administration
    refused(
        lambda: offline(active.family, prn, at(0, "12:00"), synced_at=at(7, "12:01")),
        field="given_at",
    )


@pytest.mark.parametrize(
    ("missing", "field"),
    [({"client_id": ""}, "client_id"), ({"device_recorded_at": None}, "device_recorded_at")],
)
def test_an_offline_dose_carries_the_phone_id_and_time(
    active: Any, prn: Any, missing: dict[str, Any], field: str
) -> None:
    with clock.travel_to(at(0, "11:00")):
        values: dict[str, Any] = {
            "given_at": at(0, "10:00"),
            "recorded_offline": True,
            "client_id": "phone-a:1",
            "device_recorded_at": at(0, "10:01"),
        }
        values.update(missing)
        refused(lambda: give(active.family, prn, **values), field=field)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"dose": "10"}, "dose"), ({"route": "subcutaneous"}, "route")],
)
def test_static_errors_are_refused_offline_as_well(
    active: Any, prn: Any, change: dict[str, Any], field: str
) -> None:
    refused(
        lambda: offline(active.family, prn, at(0, "10:00"), synced_at=at(0, "11:00"), **change),
        field=field,
    )
    assert not SyncReview.objects.exists()


def test_a_family_member_not_signed_off_is_refused_offline_too(active: Any) -> None:
    order = prescribe_prn(active)
    refused(
        lambda: offline(active.family, order, at(0, "10:00"), synced_at=at(0, "11:00")),
        NotAllowed,
        code="not_signed_off",
    )


# --- Clashes after merging go to review ---------------------------------------------------


def assert_sent_for_review(recorded: services.Recorded, before: dict[str, int], words: str) -> None:
    assert recorded.administration is None and recorded.review is not None
    after = counts()
    assert after["administrations"] == before["administrations"], "merged into the record"
    assert after["reviews"] == before["reviews"] + 1
    review = recorded.review
    assert review.status == "waiting" and any(words in problem for problem in review.problems)
    assert AuditEvent.objects.filter(event_type="administration.sent_for_review").count() == 1


def test_a_slot_already_recorded_by_another_carer_goes_to_review(active: Any, regular: Any) -> None:
    dose_at(active.nurse, regular, at(0, "08:10"), scheduled_for=at(0, "08:00"))
    before = counts()
    recorded = offline(
        active.family,
        regular,
        at(0, "08:05"),
        synced_at=at(0, "12:00"),
        scheduled_for=at(0, "08:00"),
    )
    assert_sent_for_review(recorded, before, "already recorded")
    assert recorded.review is not None
    assert recorded.review.given_at == at(0, "08:05")
    assert recorded.review.device_recorded_at == at(0, "08:07")
    assert list(queries.waiting_reviews(active.patient)) == [recorded.review]

    accepted = resolve(recorded.review, "accepted", active.nurse, at(0, "13:00"))
    dose = accepted.administration
    assert dose is not None and accepted.status == "accepted"
    assert dose.accepted_after_review and dose.recorded_offline
    assert dose.scheduled_for is None, "the slot keeps the record it already had"
    assert "already recorded" in dose.note and "Spoke to the daughter." in dose.note
    assert (dose.given_at, dose.device_recorded_at, dose.recorded_by) == (
        at(0, "08:05"),
        at(0, "08:07"),
        active.family,
    )
    assert Administration.objects.valid().filter(order=regular).count() == 2


def test_an_accepted_slot_clash_keeps_its_slot_when_the_other_record_was_wrong(
    active: Any, regular: Any
) -> None:
    first = dose_at(active.nurse, regular, at(0, "08:10"), scheduled_for=at(0, "08:00"))
    review = offline(
        active.family,
        regular,
        at(0, "08:05"),
        synced_at=at(0, "12:00"),
        scheduled_for=at(0, "08:00"),
    ).review
    assert review is not None and first.administration is not None
    with clock.travel_to(at(0, "12:30")):
        services.mark_administration_entered_in_error(
            actor=active.nurse, administration=first.administration, reason="Daughter gave it."
        )
    dose = resolve(review, "accepted", active.nurse, at(0, "13:00")).administration
    assert dose is not None and dose.scheduled_for == at(0, "08:00")


def test_an_offline_dose_too_close_after_merging_goes_to_review(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    before = counts()
    recorded = offline(active.family, prn, at(0, "10:20"), synced_at=at(0, "11:00"))
    assert_sent_for_review(recorded, before, "Too soon")
    assert recorded.review is not None
    dose = resolve(recorded.review, "accepted", active.physician, at(0, "11:30")).administration
    assert dose is not None and dose.accepted_after_review and "Too soon" in dose.note
    assert dose.given_at == at(0, "10:20") and dose.version == prn.current


def test_an_offline_dose_over_the_24_hour_maximum_goes_to_review(active: Any) -> None:
    sign_off(active, "oral")
    order = prescribe_prn(active, maximum=2)
    dose_at(active.nurse, order, at(0, "10:00"))
    dose_at(active.nurse, order, at(0, "14:00"))
    before = counts()
    recorded = offline(active.family, order, at(0, "18:00"), synced_at=at(0, "19:00"))
    assert_sent_for_review(recorded, before, "limit is reached")


@pytest.mark.parametrize("decision", ["duplicate", "rejected"])
def test_a_duplicate_or_not_given_decision_adds_nothing(
    active: Any, prn: Any, decision: str
) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    review = offline(active.family, prn, at(0, "10:05"), synced_at=at(0, "11:00")).review
    assert review is not None
    administrations = Administration.objects.count()
    resolved = resolve(review, decision, active.nurse, at(0, "11:30"))
    assert resolved.status == decision and resolved.administration is None
    assert resolved.reviewed_by == active.nurse and resolved.review_note
    assert Administration.objects.count() == administrations
    assert AuditEvent.objects.filter(event_type="administration.reviewed").count() == 1


def test_a_review_is_resolved_once(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    review = offline(active.family, prn, at(0, "10:05"), synced_at=at(0, "11:00")).review
    assert review is not None
    resolve(review, "duplicate", active.nurse, at(0, "11:30"))
    with clock.travel_to(at(0, "11:40")):
        refused(
            lambda: services.resolve_review(
                actor=active.physician, review=review, decision="accepted", note="Actually given."
            ),
            InvalidTransition,
        )


def test_resolving_needs_a_clinician_a_decision_and_a_note(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    review = offline(active.family, prn, at(0, "10:05"), synced_at=at(0, "11:00")).review
    assert review is not None
    with clock.travel_to(at(0, "11:30")):
        for actor in (active.family, active.outsider_nurse, active.psychologist):
            refused(
                lambda actor=actor: services.resolve_review(
                    actor=actor, review=review, decision="accepted", note="ok"
                ),
                NotAllowed,
            )
        refused(
            lambda: services.resolve_review(
                actor=active.nurse, review=review, decision="maybe", note="ok"
            ),
            field="decision",
        )
        refused(
            lambda: services.resolve_review(
                actor=active.nurse, review=review, decision="accepted", note=" "
            ),
            field="note",
        )
    review.refresh_from_db()
    assert review.status == "waiting"


def test_the_same_offline_batch_sent_again_replays_the_review(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    key = "phone-a-retry"
    first = offline(
        active.family, prn, at(0, "10:05"), synced_at=at(0, "11:00"), idempotency_key=key
    )
    before = counts()
    again = offline(
        active.family, prn, at(0, "10:05"), synced_at=at(0, "11:01"), idempotency_key=key
    )
    assert again.replayed and again.review is not None and first.review is not None
    assert again.review.pk == first.review.pk
    assert counts() == before


def test_a_review_is_read_in_the_reviewers_language_from_its_stored_keys(
    active: Any, prn: Any
) -> None:
    """The family's phone may be in Russian, the reviewer reads English (and
    the other way round): the problem is kept as a key and parameters."""
    from django.utils import translation

    dose_at(active.nurse, prn, at(0, "10:00"))
    with translation.override("ru"):
        recorded = offline(active.family, prn, at(0, "10:20"), synced_at=at(0, "11:00"))
    review = SyncReview.objects.get(pk=recorded.review.pk)  # type: ignore[union-attr]
    assert review.problems[0].startswith("Too soon")  # the service's language, kept
    assert review.problem_messages[0]["key"].startswith("Too soon: the last dose was at %(last)s")
    assert review.problem_messages[0]["params"]["last"] == {"$dt": at(0, "10:00").isoformat()}
    with translation.override("en"):
        assert review.problem_texts == review.problems
