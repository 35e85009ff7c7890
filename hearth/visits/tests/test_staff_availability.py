"""Planning profiles and shifts: the coordinator plans, staff see their own."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.visits import services
from hearth.visits.models import Shift, StaffPlanningProfile


def shift(world: World, days: int = 1, **overrides: Any) -> Shift:
    values: dict[str, Any] = {
        "actor": world.coordinator,
        "staff": world.nurse,
        "date": clock.today() + timedelta(days=days),
        "starts_at": time(8, 30),
        "ends_at": time(16, 30),
    }
    values.update(overrides)
    return services.add_shift(**values)


def test_the_coordinator_sets_a_planning_profile_and_changes_it(active: World) -> None:
    profile = services.set_planning_profile(
        actor=active.coordinator,
        staff=active.nurse,
        skills=["syringe_driver", "wound_care"],
        max_visits_per_day=6,
        home_latitude="51.52",
        home_longitude="-0.1",
    )
    assert profile.skills == ["syringe_driver", "wound_care"]
    assert profile.home_latitude == Decimal("51.520000")
    services.set_planning_profile(
        actor=active.coordinator, staff=active.nurse, skills=[], max_visits_per_day=7
    )
    profile.refresh_from_db()
    assert (profile.skills, profile.max_visits_per_day, profile.home_latitude) == ([], 7, None)
    assert StaffPlanningProfile.objects.count() == 1
    events = AuditEvent.objects.filter(event_type="staff.planning_profile_set")
    assert events.count() == 2
    assert "max_visits_per_day" in events.order_by("pk").last().changes  # type: ignore[union-attr]


def test_a_planning_profile_is_refused_with_the_field_named(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.set_planning_profile(
            actor=active.coordinator,
            staff=active.nurse,
            skills=["juggling"],
            max_visits_per_day=40,
            home_latitude="51.5",
        )
    assert set(refused.value.field_errors) == {"skills", "max_visits_per_day", "home_longitude"}
    assert not StaffPlanningProfile.objects.exists()


def test_only_clinical_staff_and_volunteers_have_planning_profiles(active: World) -> None:
    services.set_planning_profile(actor=active.coordinator, staff=active.volunteer)
    for person in (active.coordinator, active.administrator, active.family):
        with pytest.raises(ValidationFailed) as refused:
            services.set_planning_profile(actor=active.coordinator, staff=person)
        assert "staff" in refused.value.field_errors


def test_only_the_coordinator_plans_staff(active: World) -> None:
    for actor in (active.nurse, active.physician, active.family):
        with pytest.raises(NotAllowed):
            services.set_planning_profile(actor=actor, staff=active.nurse)
        with pytest.raises(NotAllowed):
            shift(active, actor=actor)
    added = shift(active)
    with pytest.raises(NotAllowed):
        services.cancel_shift(actor=active.nurse, shift=added)


def test_a_shift_is_added_and_cancelled(active: World) -> None:
    added = shift(active)
    assert (added.starts_from, added.ends_at_place) == ("base", "base")
    cancelled = services.cancel_shift(actor=active.coordinator, shift=added)
    assert cancelled.cancelled_at is not None
    with pytest.raises(InvalidTransition):
        services.cancel_shift(actor=active.coordinator, shift=added)
    # Once cancelled, the day is free for a new shift.
    shift(active, starts_at=time(12, 0), ends_at=time(20, 0))
    assert Shift.objects.current().count() == 1
    assert AuditEvent.objects.filter(event_type="staff.shift_cancelled").count() == 1


def test_a_second_shift_on_the_same_day_is_refused(active: World) -> None:
    shift(active)
    with pytest.raises(Conflict) as refused:
        shift(active, starts_at=time(17, 0), ends_at=time(20, 0))
    assert "date" in refused.value.field_errors
    # Another person's shift on the same day is fine.
    shift(active, staff=active.physician)


def test_a_shift_must_end_after_it_starts_and_not_be_in_the_past(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        shift(active, starts_at=time(16, 0), ends_at=time(8, 0))
    assert "ends_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        shift(active, days=-1)
    assert "date" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        shift(active, days=0, starts_at=time(6, 0), ends_at=time(9, 0))  # over at 10:00
    assert "ends_at" in refused.value.field_errors
    assert not Shift.objects.exists()


def test_a_shift_from_home_needs_a_home_position(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        shift(active, starts_from="home")
    assert "starts_from" in refused.value.field_errors
    services.set_planning_profile(
        actor=active.coordinator,
        staff=active.nurse,
        home_latitude="51.5",
        home_longitude="-0.12",
    )
    assert shift(active, starts_from="home").starts_from == "home"


def test_a_shift_is_only_for_planned_staff(active: World) -> None:
    with pytest.raises(ValidationFailed):
        shift(active, staff=active.administrator)
    with pytest.raises(ValidationFailed):
        shift(active, staff=active.family)


def test_the_staff_page_lists_the_week_and_the_coordinator_changes_it(
    active: World, client_for: Any
) -> None:
    services.set_planning_profile(
        actor=active.coordinator, staff=active.nurse, skills=["syringe_driver"]
    )
    added = shift(active)
    page = client_for(active.coordinator)
    response = page.get("/visits/staff/")
    assert response.status_code == 200
    text = response.content.decode()
    assert active.nurse.display_name in text and active.chaplain.display_name in text
    assert "Syringe driver" in text and "08:30" in text
    assert active.administrator.display_name not in text

    tomorrow = clock.today() + timedelta(days=2)
    response = page.post(
        f"/visits/staff/{active.physician.external_id}/shifts/add/",
        {
            "date": tomorrow.isoformat(),
            "starts_at": "09:00",
            "ends_at": "17:00",
            "starts_from": "base",
            "ends_at_place": "base",
        },
    )
    assert response.status_code == 302
    assert Shift.objects.current().filter(staff=active.physician, date=tomorrow).exists()

    again = page.post(
        f"/visits/staff/{active.physician.external_id}/shifts/add/",
        {
            "date": tomorrow.isoformat(),
            "starts_at": "10:00",
            "ends_at": "12:00",
            "starts_from": "base",
            "ends_at_place": "base",
        },
    )
    assert again.status_code == 409
    assert "Already has a shift that day." in again.content.decode()

    response = page.post(
        f"/visits/staff/{active.nurse.external_id}/profile/",
        {"skills": ["wound_care"], "max_visits_per_day": "5"},
    )
    assert response.status_code == 302
    assert StaffPlanningProfile.objects.get(staff=active.nurse).skills == ["wound_care"]

    asked = page.post(f"/visits/shifts/{added.external_id}/cancel/")
    assert asked.status_code == 200 and "Yes, cancel the shift" in asked.content.decode()
    added.refresh_from_db()
    assert added.cancelled_at is None  # asked, not done
    confirmed = {"confirmed": "yes"}
    assert page.post(f"/visits/shifts/{added.external_id}/cancel/", confirmed).status_code == 302
    added.refresh_from_db()
    assert added.cancelled_at is not None


def test_staff_see_only_their_own_row_and_cannot_change_it(active: World, client_for: Any) -> None:
    shift(active)
    page = client_for(active.nurse)
    text = page.get("/visits/staff/").content.decode()
    assert active.nurse.display_name in text
    assert active.chaplain.display_name not in text
    assert "Add a shift" not in text
    response = page.post(
        f"/visits/staff/{active.nurse.external_id}/profile/", {"max_visits_per_day": "20"}
    )
    assert response.status_code == 403
    assert client_for(active.family).get("/visits/staff/").status_code == 302


def test_the_availability_api_answers_for_a_range(active: World, client_for: Any) -> None:
    added = shift(active, days=3)
    api = client_for(active.coordinator)
    start = clock.today()
    end = start + timedelta(days=2)
    listed = api.get(f"/api/v1/staff-availability?from={start}&to={end}").json()["items"]
    nurse = next(row for row in listed if row["id"] == str(active.nurse.external_id))
    assert nurse["shifts"] == []
    listed = api.get("/api/v1/staff-availability").json()["items"]
    nurse = next(row for row in listed if row["id"] == str(active.nurse.external_id))
    assert [row["id"] for row in nurse["shifts"]] == [str(added.external_id)]
    assert nurse["discipline"] == "nurse"
    own = client_for(active.nurse).get("/api/v1/staff-availability").json()["items"]
    assert [row["id"] for row in own] == [str(active.nurse.external_id)]
    backwards = api.get(f"/api/v1/staff-availability?from={start}&to={start - timedelta(days=1)}")
    assert backwards.status_code == 422


def test_shifts_and_profiles_over_the_api(active: World, client_for: Any) -> None:
    api = client_for(active.coordinator)
    nurse = active.nurse.external_id
    profile = api.put(
        f"/api/v1/staff/{nurse}/planning-profile",
        data={"skills": ["stoma_care"], "max_visits_per_day": 6},
        content_type="application/json",
    )
    assert profile.status_code == 200, profile.content
    assert profile.json()["skills"] == ["stoma_care"]
    day = (clock.today() + timedelta(days=1)).isoformat()
    body = {"date": day, "starts_at": "08:00", "ends_at": "12:00"}
    created = api.post(f"/api/v1/staff/{nurse}/shifts", data=body, content_type="application/json")
    assert created.status_code == 201, created.content
    again = api.post(f"/api/v1/staff/{nurse}/shifts", data=body, content_type="application/json")
    assert again.status_code == 409
    shift_id = created.json()["id"]
    assert api.delete(f"/api/v1/shifts/{shift_id}").status_code == 200
    assert api.post(f"/api/v1/shifts/{shift_id}/cancel").status_code == 409
    refused = client_for(active.nurse).post(
        f"/api/v1/staff/{nurse}/shifts", data=body, content_type="application/json"
    )
    assert refused.status_code == 403
