"""Continuing education: who records what, compliance states and reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from hearth.accounts.models import User
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import NotAllowed, ValidationFailed
from hearth.team import queries, services
from hearth.team.choices import ComplianceState
from hearth.team.models import MandatoryCourse, TrainingRecord, TrainingReminder
from hearth.team.tasks import send_training_reminders_task

JSON = "application/json"


@pytest.fixture
def bls(world: World) -> MandatoryCourse:
    return services.create_mandatory_course(
        actor=world.administrator,
        title="Basic life support",
        renew_every_months=12,
        disciplines=["nurse", "physician"],
    )


def record(
    actor: User, staff: User, course: MandatoryCourse | None = None, **extra: Any
) -> TrainingRecord:
    values: dict[str, Any] = {
        "course_title": "" if course else "Communication skills",
        "provider": "Hospice education team",
        "hours": Decimal("3.5"),
        "completed_on": clock.today() - timedelta(days=30),
        "mandatory_course": course,
    }
    values.update(extra)
    return services.record_training(actor=actor, staff=staff, **values)


def state(staff: User, course: MandatoryCourse, today: date | None = None) -> str:
    [row] = queries.compliance(staff=staff, today=today)
    return next(cell.state for cell in row.courses if cell.course == course)


# --- Recording --------------------------------------------------------------------------


def test_a_mandatory_course_expires_after_its_renewal_interval(
    world: World, bls: MandatoryCourse
) -> None:
    done = record(world.nurse, world.nurse, bls, completed_on=date(2025, 1, 31))
    assert done.course_title == "Basic life support"
    assert done.expires_on == date(2026, 1, 31)
    assert services.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize("recorder", ["administrator", "clinical_lead", "coordinator"])
def test_the_keepers_record_anyones_training(world: World, recorder: str) -> None:
    done = record(getattr(world, recorder), world.nurse)
    assert done.staff == world.nurse and done.recorded_by == getattr(world, recorder)


@pytest.mark.parametrize("recorder", ["physician", "outsider_nurse", "volunteer"])
def test_others_record_only_their_own(world: World, recorder: str) -> None:
    with pytest.raises(NotAllowed):
        record(getattr(world, recorder), world.nurse)
    assert record(getattr(world, recorder), getattr(world, recorder)).pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours", Decimal(0)),
        ("hours", Decimal("-1")),
        ("hours", Decimal("500.01")),
        ("hours", "many"),
        ("completed_on", date(2999, 1, 1)),
        ("completed_on", date(1900, 1, 1)),
        ("provider", " "),
    ],
)
def test_it_refuses_impossible_training(world: World, field: str, value: Any) -> None:
    with pytest.raises(ValidationFailed) as error:
        record(world.nurse, world.nurse, **{field: value})
    assert list(error.value.field_errors) == [field]


def test_expiry_must_follow_completion(world: World) -> None:
    day = clock.today() - timedelta(days=3)
    with pytest.raises(ValidationFailed) as error:
        record(world.nurse, world.nurse, completed_on=day, expires_on=day)
    assert list(error.value.field_errors) == ["expires_on"]


def test_the_api_records_and_lists_own_training(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    body = {"course_title": "Wound care", "provider": "Tissue viability", "hours": "2.5"}
    body["completed_on"] = (clock.today() - timedelta(days=2)).isoformat()
    made = nurse.post("/api/v1/team/training", data=body, content_type=JSON)
    assert made.status_code == 201, made.content
    assert made.json()["staff"]["id"] == str(world.nurse.external_id)
    assert (
        nurse.post(
            "/api/v1/team/training", data={**body, "hours": "0"}, content_type=JSON
        ).status_code
        == 422
    )
    other = {**body, "staff_id": str(world.physician.external_id)}
    assert nurse.post("/api/v1/team/training", data=other, content_type=JSON).status_code == 403
    record(world.physician, world.physician)
    mine = nurse.get("/api/v1/team/training").json()["items"]
    assert [row["course_title"] for row in mine] == ["Wound care"]
    refused = nurse.get(f"/api/v1/team/training?staff_id={world.physician.external_id}")
    assert refused.status_code == 403
    everyone = client_for(world.administrator).get("/api/v1/team/training").json()["items"]
    assert len(everyone) == 2


def test_withdrawing_is_for_the_owner_or_a_keeper(world: World, client_for: Any) -> None:
    done = record(world.physician, world.physician)
    url = f"/api/v1/team/training/{done.external_id}/withdraw"
    reason = {"reason": "Entered twice"}
    assert client_for(world.nurse).post(url, data=reason, content_type=JSON).status_code == 404
    answer = client_for(world.physician).post(url, data=reason, content_type=JSON)
    assert answer.status_code == 200 and answer.json()["withdrawn"] is True
    assert client_for(world.physician).post(url, data=reason, content_type=JSON).status_code == 409
    assert TrainingRecord.objects.filter(pk=done.pk).exists()  # never deleted


# --- Mandatory courses ---------------------------------------------------------------------


def test_the_administrator_and_the_lead_keep_the_course_list(world: World, client_for: Any) -> None:
    body = {"title": "Safeguarding", "renew_every_months": 36, "disciplines": ["nurse"]}
    for user in (world.coordinator, world.nurse, world.physician):
        refused = client_for(user).post(
            "/api/v1/team/mandatory-courses", data=body, content_type=JSON
        )
        assert refused.status_code == 403
    made = client_for(world.clinical_lead).post(
        "/api/v1/team/mandatory-courses", data=body, content_type=JSON
    )
    assert made.status_code == 201
    again = client_for(world.administrator).post(
        "/api/v1/team/mandatory-courses", data=body, content_type=JSON
    )
    assert again.status_code == 422 and list(again.json()["errors"]) == ["title"]
    url = f"/api/v1/team/mandatory-courses/{made.json()['id']}"
    retired = client_for(world.administrator).patch(
        url, data={"is_active": False}, content_type=JSON
    )
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    assert (
        client_for(world.nurse).patch(url, data={"is_active": True}, content_type=JSON).status_code
        == 403
    )
    bad = client_for(world.administrator).post(
        "/api/v1/team/mandatory-courses",
        data={**body, "title": "X", "renew_every_months": 0},
        content_type=JSON,
    )
    assert bad.status_code == 422


# --- Compliance --------------------------------------------------------------------------


@override_settings(HEARTH_TRAINING_REMINDER_DAYS=30)
def test_compliance_states(world: World, bls: MandatoryCourse) -> None:
    today = clock.today()
    assert state(world.nurse, bls) == ComplianceState.MISSING
    record(world.nurse, world.nurse, bls, completed_on=today - timedelta(days=300))
    assert state(world.nurse, bls, today) == ComplianceState.CURRENT
    expires = TrainingRecord.objects.get().expires_on
    assert expires is not None
    assert state(world.nurse, bls, expires - timedelta(days=31)) == ComplianceState.CURRENT
    assert state(world.nurse, bls, expires - timedelta(days=30)) == ComplianceState.EXPIRING
    assert state(world.nurse, bls, expires) == ComplianceState.EXPIRING
    assert state(world.nurse, bls, expires + timedelta(days=1)) == ComplianceState.EXPIRED
    # Renewed: the newest record counts; a withdrawn one does not.
    renewed = record(world.nurse, world.nurse, bls, completed_on=today)
    assert state(world.nurse, bls, expires + timedelta(days=1)) == ComplianceState.CURRENT
    services.withdraw_training(actor=world.nurse, record=renewed, reason="Wrong person")
    assert state(world.nurse, bls, expires + timedelta(days=1)) == ComplianceState.EXPIRED
    # Not required of a chaplain.
    [row] = queries.compliance(staff=world.chaplain)
    assert row.courses == []


def test_the_warning_window_is_a_setting(world: World, bls: MandatoryCourse) -> None:
    record(world.nurse, world.nurse, bls, expires_on=clock.today() + timedelta(days=40))
    with override_settings(HEARTH_TRAINING_REMINDER_DAYS=30):
        assert state(world.nurse, bls) == ComplianceState.CURRENT
    with override_settings(HEARTH_TRAINING_REMINDER_DAYS=45):
        assert state(world.nurse, bls) == ComplianceState.EXPIRING


@pytest.mark.parametrize("reader", ["administrator", "clinical_lead", "coordinator"])
def test_the_keepers_see_the_compliance_page(world: World, client_for: Any, reader: str) -> None:
    assert client_for(getattr(world, reader)).get("/team/compliance/").status_code == 200
    rows = client_for(getattr(world, reader)).get("/api/v1/team/compliance").json()["items"]
    assert len(rows) > 2


def test_others_see_only_their_own_compliance(
    world: World, client_for: Any, bls: MandatoryCourse
) -> None:
    assert client_for(world.nurse).get("/team/compliance/").status_code == 403
    rows = client_for(world.nurse).get("/api/v1/team/compliance").json()["items"]
    assert [row["staff"]["id"] for row in rows] == [str(world.nurse.external_id)]
    assert rows[0]["courses"][0]["state"] == "missing"
    other = f"/api/v1/team/compliance?staff_id={world.physician.external_id}"
    assert client_for(world.nurse).get(other).status_code == 403
    assert client_for(world.family).get("/api/v1/team/compliance").status_code == 404


# --- Reminders ---------------------------------------------------------------------------


def test_an_expiring_course_is_reminded_once(world: World, bls: MandatoryCourse) -> None:
    record(world.nurse, world.nurse, bls, expires_on=clock.today() + timedelta(days=10))
    record(world.physician, world.physician, bls, expires_on=clock.today() + timedelta(days=200))
    first = services.send_training_reminders()
    kinds = {(r.staff, r.kind) for r in first}
    # The nurse's expires soon; every other nurse and physician has none recorded.
    assert (world.nurse, "expiring") in kinds
    assert (world.physician, "expiring") not in kinds
    assert (world.outsider_nurse, "missing") in kinds
    assert services.send_training_reminders() == []
    assert send_training_reminders_task.call() == 0
    out = StringIO()
    call_command("send_training_reminders", stdout=out)
    assert out.getvalue().startswith("0 new training reminder(s)")
    assert TrainingReminder.objects.filter(staff=world.nurse).count() == 1


def test_an_expired_course_is_reminded_once_per_expiry(world: World, bls: MandatoryCourse) -> None:
    done = record(world.nurse, world.nurse, bls, expires_on=clock.today() + timedelta(days=10))
    assert send_training_reminders_task.call() > 0
    later = done.expires_on + timedelta(days=3)  # type: ignore[operator]
    # Now expired: same expiry date, so no second reminder.
    assert [
        r for r in services.send_training_reminders(today=later) if r.staff == world.nurse
    ] == []
    # Renewed, and that one comes due: a new reminder for the new expiry.
    record(world.nurse, world.nurse, bls, expires_on=clock.today() + timedelta(days=20))
    new = [r for r in services.send_training_reminders() if r.staff == world.nurse]
    assert len(new) == 1 and new[0].expires_on == clock.today() + timedelta(days=20)


def test_reminders_show_on_the_owners_page_only(
    world: World, client_for: Any, bls: MandatoryCourse
) -> None:
    services.send_training_reminders()
    reminder = TrainingReminder.objects.get(staff=world.nurse)
    page = client_for(world.nurse).get("/team/")
    assert list(page.context["reminders"]) == [reminder]
    assert b"Basic life support" in page.content
    assert client_for(world.physician).get("/api/v1/team/reminders").json()["items"][0][
        "id"
    ] != str(reminder.external_id)
    url = f"/api/v1/team/reminders/{reminder.external_id}/dismiss"
    assert client_for(world.physician).post(url).status_code == 404
    assert (
        client_for(world.physician)
        .post(f"/team/reminders/{reminder.external_id}/dismiss/")
        .status_code
        == 404
    )
    assert client_for(world.nurse).post(url).status_code == 200
    assert client_for(world.nurse).get("/api/v1/team/reminders").json()["items"] == []


def test_only_keepers_run_reminders_by_hand(world: World, bls: MandatoryCourse) -> None:
    with pytest.raises(NotAllowed):
        services.send_training_reminders(actor=world.nurse)
    assert services.send_training_reminders(actor=world.administrator)
