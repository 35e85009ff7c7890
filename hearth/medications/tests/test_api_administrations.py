"""Recording doses over the API: 201 recorded, 202 sent for review, 200 replayed;
every refusal a 4xx naming the reason with nothing written; the record, entries
in error and the offline-sync review queue.

Times are fixed local times on a winter day in the future, reached with
``clock.travel_to`` (the test client runs in the same context).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent, IdempotencyKey
from hearth.medications import services
from hearth.medications.models import Administration, MedicationOrder, SyncReview
from hearth.medications.tests.conftest import formulary, formulation, give, new_key

LONDON = ZoneInfo("Europe/London")
DAY0 = date(2027, 1, 19)


def at(hhmm: str, day: int = 0) -> datetime:
    return datetime.combine(DAY0 + timedelta(days=day), time.fromisoformat(hhmm), tzinfo=LONDON)


def counts() -> dict[str, int]:
    return {
        "administrations": Administration.objects.count(),
        "reviews": SyncReview.objects.count(),
        "keys": IdempotencyKey.objects.count(),
    }


def _url(world: World, patient: Any = None) -> str:
    return f"/api/v1/patients/{(patient or world.patient).external_id}/administrations"


def dose_body(ordered: MedicationOrder, **overrides: Any) -> dict[str, Any]:
    ordered.refresh_from_db()
    assert ordered.current is not None
    body: dict[str, Any] = {
        "order": str(ordered.external_id),
        "dose": str(ordered.current.dose),
        "route": ordered.drug_route.route,
        "idempotency_key": new_key(),
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def post(client: Any, url: str, body: dict[str, Any], now: datetime) -> Any:
    with clock.travel_to(now):
        return client.post(url, data=body, content_type="application/json")


def prescribe_prn(world: World, *, interval: int = 60, maximum: int = 6) -> MedicationOrder:
    with clock.travel_to(at("07:00")):
        return services.prescribe(
            actor=world.physician,
            patient=world.patient,
            drug_route=formulary("Morphine", "oral"),
            formulation=formulation("Morphine", "oral", "10 mg/5 ml"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=interval,
            maximum_doses_24h=maximum,
        )


@pytest.fixture
def prn(active: World) -> MedicationOrder:
    """Oral morphine 5 mg as needed, 60 min apart, at most 6 in 24 h, from 07:00."""
    return prescribe_prn(active)


@pytest.fixture
def regular(active: World) -> MedicationOrder:
    """Paracetamol 1 g by mouth at 08:00 and 20:00, from 07:00."""
    with clock.travel_to(at("07:00")):
        return services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Paracetamol", "oral"),
            kind="regular",
            dose="1000",
            times=["08:00", "20:00"],
            indication="pain and fever",
        )


@pytest.fixture
def signed(active: World) -> World:
    """The daughter, signed off for oral medicines from DAY0."""
    with clock.travel_to(at("06:00")):
        services.sign_off_caregiver(
            actor=active.nurse,
            patient=active.patient,
            caregiver=active.family,
            route="oral",
            signed_off_on=DAY0,
            expires_on=DAY0 + timedelta(days=90),
        )
    return active


def given(actor: Any, order: MedicationOrder, when: str, **extra: Any) -> Administration:
    with clock.travel_to(at(when)):
        recorded = give(actor, order, given_at=at(when), **extra)
    assert recorded.administration is not None
    return recorded.administration


# --- Recorded ---------------------------------------------------------------


def test_a_nurse_records_a_dose_and_gets_201(
    active: World, client_for: Any, prn: MedicationOrder
) -> None:
    response = post(client_for(active.nurse), _url(active), dose_body(prn), at("09:00"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["order_id"] == str(prn.external_id)
    assert (body["drug"], body["outcome"], body["dose"], body["route"]) == (
        "Morphine",
        "given",
        "5",
        "oral",
    )
    assert body["recorded_by"]["id"] == str(active.nurse.external_id)
    assert at("09:00") <= datetime.fromisoformat(body["given_at"]) < at("09:01")
    stored = Administration.objects.get()
    assert str(stored.external_id) == body["id"]
    assert stored.recorded_by == active.nurse


def test_a_signed_off_family_member_records_an_oral_dose(
    signed: World, client_for: Any, prn: MedicationOrder
) -> None:
    body = dose_body(prn, given_at=at("09:55").isoformat())
    response = post(client_for(signed.family), _url(signed), body, at("10:00"))
    assert response.status_code == 201, response.content
    assert Administration.objects.get().recorded_by == signed.family


def test_a_scheduled_dose_not_given_is_recorded_with_why(
    active: World, client_for: Any, regular: MedicationOrder
) -> None:
    body = dose_body(
        regular,
        dose=None,
        outcome="not_given",
        not_given_reason="asleep",
        scheduled_for=at("08:00").isoformat(),
    )
    response = post(client_for(active.nurse), _url(active), body, at("08:30"))
    assert response.status_code == 201, response.content
    assert (response.json()["outcome"], response.json()["dose"]) == ("not_given", None)
    assert response.json()["not_given_reason"] == "asleep"


def test_the_same_key_and_body_replay_200_and_a_different_body_is_422(
    active: World, client_for: Any, prn: MedicationOrder
) -> None:
    api = client_for(active.nurse)
    body = dose_body(prn, given_at=at("09:00").isoformat())
    first = post(api, _url(active), body, at("09:01"))
    again = post(api, _url(active), body, at("09:02"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    different = post(api, _url(active), {**body, "note": "Another"}, at("09:03"))
    assert different.status_code == 422
    assert "idempotency_key" in different.json()["errors"]
    assert Administration.objects.count() == 1


# --- Refused, nothing written ------------------------------------------------

Case = Callable[[World, MedicationOrder, MedicationOrder], tuple[Any, str, dict[str, Any]]]


def _stopped(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    with clock.travel_to(at("08:00")):
        services.stop_order(actor=w.physician, order=prn, reason="Pain settled")
    return w.nurse, _url(w), dose_body(prn)


def _too_soon(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    given(w.nurse, prn, "08:45")
    return w.nurse, _url(w), dose_body(prn)


def _over_maximum(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    # A second as-needed order of the same drug and route is a duplicate: rewrite it.
    with clock.travel_to(at("07:00")):
        services.stop_order(actor=w.physician, order=prn, reason="Rewritten, tighter limit.")
    tight = prescribe_prn(w, interval=1, maximum=2)
    given(w.nurse, tight, "08:00")
    given(w.nurse, tight, "08:30")
    return w.nurse, _url(w), dose_body(tight)


def _slot_taken(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    given(w.nurse, regular, "08:05", scheduled_for=at("08:00"))
    return w.nurse, _url(w), dose_body(regular, scheduled_for=at("08:00").isoformat())


def _not_signed_off(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    return w.family, _url(w), dose_body(prn)


def _family_of_another_patient(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    return w.other_family, _url(w), dose_body(prn)


def _order_of_another_patient(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
    # The other family may record for their own patient, never against this one's order.
    return w.other_family, _url(w, w.other_patient), dose_body(prn)


def _as(role: str, **overrides: Any) -> Case:
    def case(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
        return getattr(w, role), _url(w), dose_body(prn, **overrides)

    return case


def _regular_as(role: str, **overrides: Any) -> Case:
    def case(w: World, prn: MedicationOrder, regular: MedicationOrder) -> Any:
        return getattr(w, role), _url(w), dose_body(regular, **overrides)

    return case


REFUSALS: list[tuple[str, Case, int, str]] = [
    ("no active order", _stopped, 422, "order"),
    ("a different dose", _as("nurse", dose="10"), 422, "dose"),
    ("the dose missing", _as("nurse", dose=""), 422, "dose"),
    ("a dose that is not a number", _as("nurse", dose="five"), 422, "dose"),
    ("a different route", _as("nurse", route="subcutaneous"), 422, "route"),
    ("an unknown route", _as("nurse", route="ear"), 422, "route"),
    ("before the minimum interval", _too_soon, 422, "given_at"),
    ("over the rolling 24 h maximum", _over_maximum, 422, "given_at"),
    ("a scheduled dose recorded twice", _slot_taken, 422, "given_at"),
    ("a regular dose without its slot", _regular_as("nurse"), 422, "scheduled_for"),
    (
        "a slot not among the order's times",
        _regular_as("nurse", scheduled_for=at("09:00").isoformat()),
        422,
        "scheduled_for",
    ),
    (
        "not given without a reason",
        _regular_as("nurse", dose=None, outcome="not_given", scheduled_for=at("08:00").isoformat()),
        422,
        "not_given_reason",
    ),
    ("a time without a zone", _as("nurse", given_at="2027-01-19T08:50:00"), 422, "given_at"),
    (
        "a slot without a zone",
        _regular_as("nurse", scheduled_for="2027-01-19T08:00:00"),
        422,
        "scheduled_for",
    ),
    ("a time in the future", _as("nurse", given_at=at("11:00").isoformat()), 422, "given_at"),
    ("a time that is not a time", _as("nurse", given_at="yesterday"), 422, "given_at"),
    ("no idempotency key", _as("nurse", idempotency_key=""), 422, "idempotency_key"),
    (
        "offline without the phone's id",
        _as("nurse", recorded_offline=True, device_recorded_at=at("08:50").isoformat()),
        422,
        "client_id",
    ),
    ("an unknown field", _as("nurse", colour="red"), 422, "colour"),
    ("a family member not signed off", _not_signed_off, 403, "not_signed_off"),
    ("the patient themself", _as("patient_user"), 404, ""),  # not told it exists
    ("a psychologist", _as("psychologist"), 403, ""),
    ("a nurse not on the caseload", _as("outsider_nurse"), 403, ""),
    ("the family of another patient", _family_of_another_patient, 404, ""),
    ("an order of another patient", _order_of_another_patient, 404, ""),
    ("an unknown order", _as("nurse", order="00000000-0000-0000-0000-000000000000"), 404, ""),
]


@pytest.mark.parametrize(
    ("case", "status", "named"),
    [(case, status, named) for _name, case, status, named in REFUSALS],
    ids=[name for name, *_rest in REFUSALS],
)
def test_every_refusal_is_a_clear_4xx_and_writes_nothing(
    active: World,
    client_for: Any,
    prn: MedicationOrder,
    regular: MedicationOrder,
    case: Case,
    status: int,
    named: str,
) -> None:
    actor, url, body = case(active, prn, regular)
    api = client_for(actor)  # signing in is audited: before counting
    before = counts()
    audit_before = AuditEvent.objects.writes().count()
    response = post(api, url, body, at("09:00"))
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["detail"] and answer["code"]
    if status == 422:
        assert named in answer["errors"], answer
    elif named:
        assert answer["code"] == named, answer
    assert counts() == before, "a refusal wrote something"
    assert AuditEvent.objects.writes().count() == audit_before


# --- The record ---------------------------------------------------------------


def test_staff_read_the_record_of_the_last_days(
    active: World, client_for: Any, prn: MedicationOrder
) -> None:
    given(active.nurse, prn, "09:00")
    with clock.travel_to(at("10:00", day=3)):
        recent = client_for(active.physician).get(_url(active) + "?days=2")
        longer = client_for(active.physician).get(_url(active) + "?days=7")
        too_long = client_for(active.physician).get(_url(active) + "?days=91")
    assert recent.status_code == 200 and recent.json()["items"] == []
    assert [row["dose"] for row in longer.json()["items"]] == ["5"]
    assert too_long.status_code == 422
    assert "days" in too_long.json()["errors"]
    assert AuditEvent.objects.filter(event_type="administrations.viewed").exists()


def test_the_family_reads_the_home_chart_not_the_record(
    active: World, client_for: Any, prn: MedicationOrder
) -> None:
    assert client_for(active.family).get(_url(active)).status_code == 404
    assert client_for(active.other_family).get(_url(active)).status_code == 404
    assert client_for(active.outsider_nurse).get(_url(active)).status_code == 403


def test_a_record_entered_in_error_is_kept_and_marked(
    active: World, client_for: Any, prn: MedicationOrder
) -> None:
    record = given(active.nurse, prn, "09:00")
    url = f"/api/v1/administrations/{record.external_id}/entered-in-error"
    nurse = client_for(active.nurse)
    with clock.travel_to(at("09:10")):
        assert nurse.post(url, {"reason": ""}, content_type="application/json").status_code == 422
        assert (
            client_for(active.family)
            .post(url, {"reason": "Wrong"}, content_type="application/json")
            .status_code
            == 404
        )
        assert (
            client_for(active.other_family)
            .post(url, {"reason": "Wrong"}, content_type="application/json")
            .status_code
            == 404
        )
        response = nurse.post(url, {"reason": "Wrong patient"}, content_type="application/json")
        again = nurse.post(url, {"reason": "Again"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["entered_in_error_reason"] == "Wrong patient"
    assert response.json()["entered_in_error_by"]["id"] == str(active.nurse.external_id)
    assert again.status_code == 409
    assert Administration.objects.get().entered_in_error_at is not None
    # Out of every check: the next dose is not "too soon".
    next_dose = post(nurse, _url(active), dose_body(prn), at("09:15"))
    assert next_dose.status_code == 201, next_dose.content


# --- Offline clash and the review queue ---------------------------------------


def _offline_clash(world: World, client_for: Any, regular: MedicationOrder) -> tuple[Any, dict]:
    given(world.nurse, regular, "08:05", scheduled_for=at("08:00"))
    body = dose_body(
        regular,
        scheduled_for=at("08:00").isoformat(),
        given_at=at("08:02").isoformat(),
        recorded_offline=True,
        device_recorded_at=at("08:02").isoformat(),
        client_id="phone-a-1",
    )
    return client_for(world.family), body


def test_an_offline_dose_that_clashes_goes_to_review_with_202(
    signed: World, client_for: Any, regular: MedicationOrder
) -> None:
    api, body = _offline_clash(signed, client_for, regular)
    response = post(api, _url(signed), body, at("09:30"))
    assert response.status_code == 202, response.content
    review = response.json()
    assert review["status"] == "waiting"
    assert review["order_id"] == str(regular.external_id)
    assert review["client_id"] == "phone-a-1"
    assert review["submitted_by"]["id"] == str(signed.family.external_id)
    assert "already recorded" in review["problems"][0]
    assert review["administration_id"] is None
    assert Administration.objects.count() == 1
    replay = post(api, _url(signed), body, at("09:31"))
    assert replay.status_code == 200, replay.content
    assert replay.json()["id"] == review["id"]
    assert replay.json()["problems"] == review["problems"]
    assert SyncReview.objects.count() == 1


def test_a_clinician_sees_and_resolves_the_review_queue(
    signed: World, client_for: Any, regular: MedicationOrder
) -> None:
    api, body = _offline_clash(signed, client_for, regular)
    review_id = post(api, _url(signed), body, at("09:30")).json()["id"]
    queue_url = f"/api/v1/patients/{signed.patient.external_id}/sync-reviews"
    queue = client_for(signed.nurse).get(queue_url)
    assert [item["id"] for item in queue.json()["items"]] == [review_id]
    assert client_for(signed.family).get(queue_url).status_code == 404
    assert client_for(signed.other_family).get(queue_url).status_code == 404

    url = f"/api/v1/sync-reviews/{review_id}/resolve"
    decision = {"decision": "duplicate", "note": "Spoke to the daughter: same dose."}
    family = client_for(signed.family).post(url, decision, content_type="application/json")
    assert family.status_code == 404
    for bad, field in (
        ({"decision": "waiting", "note": "x"}, "decision"),
        ({"decision": "duplicate", "note": ""}, "note"),
    ):
        refused = client_for(signed.nurse).post(url, bad, content_type="application/json")
        assert refused.status_code == 422 and field in refused.json()["errors"]
    resolved = client_for(signed.nurse).post(url, decision, content_type="application/json")
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["status"] == "duplicate"
    assert resolved.json()["reviewed_by"]["id"] == str(signed.nurse.external_id)
    assert Administration.objects.count() == 1
    twice = client_for(signed.nurse).post(url, decision, content_type="application/json")
    assert twice.status_code == 409
    assert client_for(signed.nurse).get(queue_url).json()["items"] == []


def test_an_accepted_review_goes_into_the_record(
    signed: World, client_for: Any, regular: MedicationOrder
) -> None:
    api, body = _offline_clash(signed, client_for, regular)
    review_id = post(api, _url(signed), body, at("09:30")).json()["id"]
    with clock.travel_to(at("10:00")):
        resolved = client_for(signed.physician).post(
            f"/api/v1/sync-reviews/{review_id}/resolve",
            {"decision": "accepted", "note": "Both gave it: she had two doses."},
            content_type="application/json",
        )
    assert resolved.status_code == 200, resolved.content
    accepted = Administration.objects.get(external_id=resolved.json()["administration_id"])
    assert accepted.accepted_after_review and accepted.recorded_by == signed.family
