"""Recording doses through the service, as docs/clinical-reference.md asks: every refusal case
with a clear reason and nothing written (no dose, no review, no audit event,
no idempotency key), who may record, and doses not given and why.

Times are fixed local times on a winter day in the future (no daylight-saving
change nearby), reached with ``clock.travel_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth.conftest import make_user
from hearth.core import clock
from hearth.core.errors import DomainError, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent, IdempotencyKey
from hearth.medications import queries, services
from hearth.medications.models import (
    Administration,
    MedicationOrder,
    StockEntry,
    SyncReview,
)
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation, give
from hearth.monitoring.models import Alert

LONDON = ZoneInfo("Europe/London")
DAY0 = date(2027, 1, 19)


def at(day: int, hhmm: str) -> datetime:
    """Local time ``hhmm`` on ``day`` days after DAY0."""
    return datetime.combine(DAY0 + timedelta(days=day), time.fromisoformat(hhmm), tzinfo=LONDON)


def counts() -> dict[str, int]:
    """Every table a dose (or its refusal) could write to."""
    return {
        "administrations": Administration.objects.count(),
        "reviews": SyncReview.objects.count(),
        "audit": AuditEvent.objects.count(),
        "keys": IdempotencyKey.objects.count(),
        "stock": StockEntry.objects.count(),
        "alerts": Alert.objects.count(),
    }


def refused(
    action: Callable[[], Any],
    error: type[DomainError] = ValidationFailed,
    *,
    code: str | None = None,
    field: str | None = None,
) -> DomainError:
    """Run ``action``, expect ``error`` and check that nothing was written."""
    before = counts()
    with pytest.raises(error) as caught:
        action()
    assert counts() == before, "a refusal wrote something"
    if code is not None:
        assert caught.value.code == code, caught.value.as_dict()
    if field is not None:
        assert field in caught.value.field_errors, caught.value.as_dict()
    return caught.value


def prescribe_prn(
    world: Any,
    *,
    when: datetime | None = None,
    drug: str = "Morphine",
    route: str = "oral",
    dose: str = "5",
    interval: int = 60,
    maximum: int = 6,
    strength: str | None = "10 mg/5 ml",
) -> MedicationOrder:
    with clock.travel_to(when or at(0, "07:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary(drug, route),
            formulation=formulation(drug, route, strength) if strength else None,
            kind="as_needed",
            dose=dose,
            indication="breakthrough pain",
            minimum_interval_minutes=interval,
            maximum_doses_24h=maximum,
            confirmation_reason=CONFIRMED,
        )


def prescribe_regular(
    world: Any,
    *,
    when: datetime | None = None,
    times: tuple[str, ...] = ("08:00", "20:00"),
    dose: str = "20",
) -> MedicationOrder:
    with clock.travel_to(when or at(0, "07:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary("Morphine", "oral"),
            formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
            kind="regular",
            dose=dose,
            times=list(times),
            indication="pain",
            confirmation_reason=CONFIRMED,
        )


def sign_off(world: Any, *routes: str, when: datetime | None = None, days: int = 90) -> None:
    with clock.travel_to(when or at(0, "06:00")):
        for route in routes:
            services.sign_off_caregiver(
                actor=world.nurse,
                patient=world.patient,
                caregiver=world.family,
                route=route,
                signed_off_on=clock.today(),
                expires_on=clock.today() + timedelta(days=days),
            )


def dose_at(
    actor: Any,
    order: MedicationOrder,
    given_at: datetime,
    *,
    now: datetime | None = None,
    **extra: Any,
) -> services.Recorded:
    """Record the ordered dose given at ``given_at``, the clock at ``now`` (default: then)."""
    with clock.travel_to(now or given_at):
        return give(actor, order, given_at=given_at, **extra)


@pytest.fixture
def prn(active: Any) -> MedicationOrder:
    """Oral morphine 5 mg as needed, at least 60 min apart, at most 6 in 24 h, from 07:00."""
    return prescribe_prn(active)


@pytest.fixture
def regular(active: Any) -> MedicationOrder:
    """Oral morphine MR 20 mg at 08:00 and 20:00, from 07:00 on DAY0."""
    return prescribe_regular(active)


# --- What is recorded -----------------------------------------------------------


def test_a_nurse_records_the_ordered_dose_with_an_audit_event(active: Any, prn: Any) -> None:
    before = counts()
    recorded = dose_at(active.nurse, prn, at(0, "10:00"))
    dose = recorded.administration
    assert dose is not None and recorded.review is None and not recorded.replayed
    assert (dose.outcome, dose.dose, dose.dose_unit, dose.route) == (
        "given",
        Decimal("5"),
        "mg",
        "oral",
    )
    assert dose.given_at == at(0, "10:00") and dose.version == prn.current
    assert dose.recorded_by == active.nurse and not dose.recorded_offline
    after = counts()
    assert after["administrations"] == before["administrations"] + 1
    assert after["keys"] == before["keys"] + 1
    event = AuditEvent.objects.get(event_type="administration.recorded")
    assert event.actor == active.nurse and event.patient_id == active.patient.pk
    assert IdempotencyKey.objects.get().state == "done"


@pytest.mark.parametrize("role", ["physician", "nurse"])
def test_a_physician_or_nurse_of_the_team_may_record(active: Any, prn: Any, role: str) -> None:
    recorded = dose_at(getattr(active, role), prn, at(0, "10:00"))
    assert recorded.administration is not None


def test_a_signed_off_family_member_records_an_oral_dose(active: Any, prn: Any) -> None:
    sign_off(active, "oral")
    recorded = dose_at(active.family, prn, at(0, "10:00"))
    assert recorded.administration is not None
    assert recorded.administration.recorded_by == active.family


# --- Who may not record ---------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "patient_user",
        "outsider_nurse",
        "other_family",
        "psychologist",
        "social_worker",
        "chaplain",
        "volunteer",
        "coordinator",
        "administrator",
    ],
)
def test_people_who_do_not_give_medicines_here_are_refused(
    active: Any, prn: Any, role: str
) -> None:
    actor = getattr(active, role)
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(actor, prn), NotAllowed)


def test_a_nurse_not_on_the_caseload_is_refused(active: Any, prn: Any) -> None:
    stranger = make_user("nurse.elsewhere", discipline="nurse")
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(stranger, prn), NotAllowed)
        refused(lambda: give(active.outsider_nurse, prn), NotAllowed)


# --- No active order ---------------------------------------------------------------


def test_a_stopped_order_refuses_doses(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "09:00")):
        services.stop_order(actor=active.physician, order=prn, reason="Pain settled.")
    with clock.travel_to(at(0, "10:00")):
        error = refused(lambda: give(active.nurse, prn), code="no_active_order", field="order")
    assert "Nothing was recorded" in error.message


def test_a_dose_dated_before_the_order_started_is_refused(active: Any, prn: Any) -> None:
    refused(
        lambda: dose_at(active.nurse, prn, at(0, "06:30"), now=at(0, "07:30")),
        code="no_active_order",
        field="order",
    )
    assert dose_at(active.nurse, prn, at(0, "07:01"), now=at(0, "07:30")).administration


# --- Dose and route -----------------------------------------------------------------


@pytest.mark.parametrize("dose", ["10", "2.5", "5.001", "0", "-5", "five"])
def test_a_dose_other_than_the_ordered_dose_is_refused(active: Any, prn: Any, dose: str) -> None:
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(active.nurse, prn, dose=dose), field="dose")


def test_the_ordered_dose_written_differently_is_the_same_dose(active: Any, prn: Any) -> None:
    assert dose_at(active.nurse, prn, at(0, "10:00"), dose="5.000").administration


@pytest.mark.parametrize("route", ["subcutaneous", "buccal", "nasal", ""])
def test_a_route_other_than_the_ordered_route_is_refused(active: Any, prn: Any, route: str) -> None:
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(active.nurse, prn, route=route), field="route")


def test_a_time_in_the_future_or_too_long_ago_is_refused(active: Any, prn: Any) -> None:
    refused(
        lambda: dose_at(active.nurse, prn, at(0, "12:00"), now=at(0, "11:50")), field="given_at"
    )
    refused(
        lambda: dose_at(active.nurse, prn, at(0, "08:00"), now=at(0, "20:01")), field="given_at"
    )
    naive = datetime(2027, 1, 19, 10, 0)
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(active.nurse, prn, given_at=naive), field="given_at")


# --- As needed: minimum interval ---------------------------------------------------------


def test_an_as_needed_dose_before_the_minimum_interval_is_refused(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    error = refused(
        lambda: dose_at(active.nurse, prn, at(0, "10:59")), code="dose_refused", field="given_at"
    )
    assert "Too soon" in error.message and "11:00" in error.message
    assert dose_at(active.nurse, prn, at(0, "11:00")).administration


def test_a_late_recorded_dose_too_close_to_a_later_one_is_refused(active: Any, prn: Any) -> None:
    """Checked in both directions: 09:30, written down at noon, is 30 min before 10:00."""
    dose_at(active.nurse, prn, at(0, "10:00"))
    error = refused(
        lambda: dose_at(active.nurse, prn, at(0, "09:30"), now=at(0, "12:00")),
        code="dose_refused",
    )
    assert "10:00" in error.message and "60 minutes between doses" in error.message
    assert dose_at(active.nurse, prn, at(0, "09:00"), now=at(0, "12:00")).administration


def test_a_dose_entered_in_error_no_longer_blocks_the_next(active: Any, prn: Any) -> None:
    wrong = dose_at(active.nurse, prn, at(0, "10:00")).administration
    assert wrong is not None
    refused(lambda: dose_at(active.nurse, prn, at(0, "10:30")), code="dose_refused")
    with clock.travel_to(at(0, "10:31")):
        services.mark_administration_entered_in_error(
            actor=active.nurse, administration=wrong, reason="Wrong patient's chart."
        )
    assert dose_at(active.nurse, prn, at(0, "10:32")).administration


def test_the_interval_counts_doses_of_every_version_of_the_order(active: Any, prn: Any) -> None:
    dose_at(active.nurse, prn, at(0, "10:00"))
    with clock.travel_to(at(0, "10:10")):
        services.change_order(
            actor=active.physician,
            order=prn,
            reason="More pain.",
            dose="10",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            confirmation_reason=CONFIRMED,
        )
    refused(lambda: dose_at(active.nurse, prn, at(0, "10:30")), code="dose_refused")
    assert dose_at(active.nurse, prn, at(0, "11:00")).administration


def test_stopping_and_writing_the_order_again_does_not_reset_the_count(active: Any) -> None:
    """A physician who stops an as-needed order and writes a new one for the same
    medicine and route (instead of changing it) must not give the carer a fresh
    interval and a fresh 24 h allowance."""
    first = prescribe_prn(active, maximum=2, when=at(0, "07:00"))
    dose_at(active.nurse, first, at(0, "08:00"))
    dose_at(active.nurse, first, at(0, "10:00"))
    with clock.travel_to(at(0, "10:20")):
        services.stop_order(actor=active.physician, order=first, reason="Rewritten.")
    second = prescribe_prn(active, maximum=2, when=at(0, "10:30"))
    refused(lambda: dose_at(active.nurse, second, at(0, "10:40")), code="dose_refused")
    error = refused(lambda: dose_at(active.nurse, second, at(0, "12:00")), code="dose_refused")
    assert "at most 2 doses in any 24 hours" in error.message
    with clock.travel_to(at(0, "12:00")):
        (line,) = [line for line in queries.home_chart(active.patient) if line.order == second]
    assert line.given_last_24h == 2
    assert line.limit_reached
    assert line.next_allowed_at == at(1, "08:00")
    # Another medicine's as-needed order keeps its own count.
    other = prescribe_prn(active, drug="Oxycodone", strength=None, when=at(0, "10:30"))
    assert dose_at(active.nurse, other, at(0, "12:00")).administration


# --- As needed: rolling 24 h maximum ----------------------------------------------------------


def test_the_24_hour_maximum_is_rolling_across_midnight(active: Any) -> None:
    """23:00 and 01:00 are on different calendar days but in the same 24 hours."""
    order = prescribe_prn(active, maximum=2, when=at(0, "20:00"))
    dose_at(active.nurse, order, at(0, "23:00"))
    dose_at(active.nurse, order, at(1, "01:00"))
    error = refused(lambda: dose_at(active.nurse, order, at(1, "02:00")), code="dose_refused")
    assert "at most 2 doses in any 24 hours" in error.message
    refused(lambda: dose_at(active.nurse, order, at(1, "22:59")), code="dose_refused")
    # Exactly 24 h after the first, it has left the window.
    assert dose_at(active.nurse, order, at(1, "23:00")).administration


def test_a_late_recorded_dose_is_counted_against_the_doses_after_it(active: Any) -> None:
    """06:00 written down at 16:00 would make three within 24 h of 06:00."""
    order = prescribe_prn(active, maximum=2, when=at(0, "05:00"))
    dose_at(active.nurse, order, at(0, "10:00"))
    dose_at(active.nurse, order, at(0, "14:00"))
    refused(
        lambda: dose_at(active.nurse, order, at(0, "06:00"), now=at(0, "16:00")),
        code="dose_refused",
    )
    assert Administration.objects.given().filter(order=order).count() == 2


def test_the_maximum_refuses_a_family_member_too_and_says_to_call_the_team(active: Any) -> None:
    sign_off(active, "oral")
    order = prescribe_prn(active, maximum=1, interval=30)
    dose_at(active.family, order, at(0, "10:00"))
    error = refused(lambda: dose_at(active.family, order, at(0, "18:00")), code="dose_refused")
    assert "Call the team" in error.message


# --- Scheduled doses ---------------------------------------------------------------------


def test_a_scheduled_slot_is_recorded_once(active: Any, regular: Any) -> None:
    sign_off(active, "oral")
    first = dose_at(active.nurse, regular, at(0, "08:05"), scheduled_for=at(0, "08:00"))
    assert first.administration is not None
    assert first.administration.scheduled_for == at(0, "08:00")
    error = refused(
        lambda: dose_at(active.family, regular, at(0, "08:10"), scheduled_for=at(0, "08:00")),
        code="dose_refused",
    )
    assert "already recorded" in error.message
    # The same slot on the next day is another dose.
    assert dose_at(active.family, regular, at(1, "08:00"), scheduled_for=at(1, "08:00"))


def test_a_slot_not_among_the_order_times_is_refused(active: Any, regular: Any) -> None:
    for slot in (at(0, "09:00"), at(0, "08:00") + timedelta(seconds=30)):
        error = refused(
            lambda slot=slot: dose_at(active.nurse, regular, at(0, "09:00"), scheduled_for=slot),
            field="scheduled_for",
        )
        assert "not one of this medicine's times" in error.message


def test_a_slot_more_than_the_allowed_minutes_early_is_refused(active: Any, regular: Any) -> None:
    refused(
        lambda: dose_at(active.nurse, regular, at(0, "18:59"), scheduled_for=at(0, "20:00")),
        field="scheduled_for",
    )
    assert dose_at(active.nurse, regular, at(0, "19:00"), scheduled_for=at(0, "20:00"))


def test_a_slot_before_the_order_started_is_refused(active: Any) -> None:
    order = prescribe_regular(active, when=at(0, "09:00"))
    error = refused(
        lambda: dose_at(active.nurse, order, at(0, "09:30"), scheduled_for=at(0, "08:00")),
        field="scheduled_for",
    )
    assert "not active" in error.message


def test_a_regular_dose_needs_its_slot_and_an_as_needed_one_has_none(
    active: Any, regular: Any, prn: Any
) -> None:
    with clock.travel_to(at(0, "08:00")):
        refused(lambda: give(active.nurse, regular), field="scheduled_for")
        refused(
            lambda: give(active.nurse, prn, scheduled_for=at(0, "08:00")), field="scheduled_for"
        )


# --- Doses not given ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["asleep", "refused", "vomited"])
def test_a_scheduled_dose_not_given_is_recorded_with_why(
    active: Any, regular: Any, reason: str
) -> None:
    recorded = dose_at(
        active.nurse,
        regular,
        at(0, "08:10"),
        scheduled_for=at(0, "08:00"),
        outcome="not_given",
        dose=None,
        not_given_reason=reason,
    )
    row = recorded.administration
    assert row is not None
    assert (row.outcome, row.not_given_reason, row.dose) == ("not_given", reason, None)
    # The slot is accounted for: it cannot then be recorded as given too.
    refused(
        lambda: dose_at(active.nurse, regular, at(0, "08:20"), scheduled_for=at(0, "08:00")),
        code="dose_refused",
    )
    event = AuditEvent.objects.get(event_type="administration.recorded")
    assert "Not given" in event.summary


def test_other_as_the_reason_needs_a_note(active: Any, regular: Any) -> None:
    extra = {
        "scheduled_for": at(0, "08:00"),
        "outcome": "not_given",
        "dose": None,
        "not_given_reason": "other",
    }
    refused(lambda: dose_at(active.nurse, regular, at(0, "08:10"), **extra), field="note")
    recorded = dose_at(
        active.nurse, regular, at(0, "08:10"), note="At the hospice clinic.", **extra
    )
    assert recorded.administration is not None
    assert recorded.administration.note == "At the hospice clinic."


def test_a_dose_not_given_needs_a_reason_and_no_amount(active: Any, regular: Any) -> None:
    base = {"scheduled_for": at(0, "08:00"), "outcome": "not_given"}
    refused(
        lambda: dose_at(active.nurse, regular, at(0, "08:10"), dose=None, **base),
        field="not_given_reason",
    )
    refused(
        lambda: dose_at(active.nurse, regular, at(0, "08:10"), not_given_reason="asleep", **base),
        field="dose",
    )
    refused(
        lambda: dose_at(
            active.nurse,
            regular,
            at(0, "08:10"),
            not_given_reason="asleep",
            scheduled_for=at(0, "08:00"),
        ),
        field="not_given_reason",
    )


def test_an_as_needed_dose_cannot_be_recorded_as_not_given(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:00")):
        refused(
            lambda: give(
                active.nurse, prn, outcome="not_given", dose=None, not_given_reason="asleep"
            ),
            field="outcome",
        )


def test_an_unknown_outcome_is_refused(active: Any, prn: Any) -> None:
    with clock.travel_to(at(0, "10:00")):
        refused(lambda: give(active.nurse, prn, outcome="spilt"), field="outcome")


def test_a_minimum_interval_longer_than_a_day_is_enforced(active: Any) -> None:
    """Validation allows intervals up to 7 days: a dose 26 h after the last,
    under a 36 h interval, is too soon although no 24 h window is full."""
    order = prescribe_prn(active, interval=36 * 60, maximum=2)
    dose_at(active.nurse, order, at(0, "10:00"))
    error = refused(lambda: dose_at(active.nurse, order, at(1, "12:00")), code="dose_refused")
    assert "Too soon" in error.message and "22:00" in error.message
    # The family's chart and the "next dose from" time say the same.
    (line,) = queries.home_chart(active.patient, at(1, "12:00"))
    assert line.next_allowed_at == at(1, "22:00") and line.given_last_24h == 0
    assert dose_at(active.nurse, order, at(1, "22:00")).administration
