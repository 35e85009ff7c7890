"""The family asks for visits only between, or not between, two times on a day."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.visits import services
from hearth.visits.models import VisitTimeRequest


def ask(world: World, **overrides: Any) -> VisitTimeRequest:
    values: dict[str, Any] = {
        "actor": world.family,
        "patient": world.patient,
        "date": clock.today() + timedelta(days=1),
        "kind": "not",
        "starts_at": time(13, 0),
        "ends_at": time(15, 0),
        "note": "Hospital appointment",
    }
    values.update(overrides)
    return services.request_visit_time(**values)


def test_the_family_asks_and_withdraws(active: World) -> None:
    made = ask(active)
    assert (made.kind, made.requested_by, made.note) == (
        "not",
        active.family,
        "Hospital appointment",
    )
    assert AuditEvent.objects.filter(event_type="visit_time_request.made").count() == 1
    withdrawn = services.withdraw_visit_time_request(actor=active.family, request=made)
    assert withdrawn.withdrawn_at is not None
    with pytest.raises(InvalidTransition):
        services.withdraw_visit_time_request(actor=active.family, request=made)


def test_the_patient_and_staff_may_ask_too(active: World) -> None:
    ask(active, actor=active.patient_user, kind="only")
    ask(active, actor=active.nurse)
    ask(active, actor=active.coordinator)
    assert VisitTimeRequest.objects.count() == 3


def test_another_family_and_off_caseload_staff_may_not(active: World) -> None:
    for actor in (active.other_family, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            ask(active, actor=actor)
    made = ask(active)
    with pytest.raises(NotAllowed):
        services.withdraw_visit_time_request(actor=active.other_family, request=made)


def test_a_request_is_for_today_or_later_and_ends_after_it_starts(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        ask(active, date=clock.today() - timedelta(days=1))
    assert "date" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        ask(active, starts_at=time(15, 0), ends_at=time(13, 0))
    assert "ends_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        ask(active, date=clock.today(), starts_at=time(7, 0), ends_at=time(9, 0))  # it is 10:00
    assert "ends_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        ask(active, kind="sometimes")
    assert "kind" in refused.value.field_errors
    assert ask(active, date=clock.today(), starts_at=time(9, 0), ends_at=time(12, 0))


def test_time_requests_over_the_api(active: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{active.patient.external_id}/visit-time-requests"
    body = {
        "date": (clock.today() + timedelta(days=2)).isoformat(),
        "kind": "only",
        "starts_at": "09:00",
        "ends_at": "11:00",
    }
    family = client_for(active.family)
    created = family.post(url, data=body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "only"
    other = client_for(active.other_family).post(url, data=body, content_type="application/json")
    assert other.status_code == 404
    request_id = created.json()["id"]
    stranger = client_for(active.other_family).post(
        f"/api/v1/visit-time-requests/{request_id}/withdraw"
    )
    assert stranger.status_code == 404
    withdrawn = family.post(f"/api/v1/visit-time-requests/{request_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    backwards = family.post(
        url, data={**body, "starts_at": "12:00"}, content_type="application/json"
    )
    assert backwards.status_code == 422
    assert "ends_at" in backwards.json()["errors"]


def test_a_not_found_request_is_not_found(active: World, client_for: Any) -> None:
    response = client_for(active.family).post(
        "/api/v1/visit-time-requests/00000000-0000-0000-0000-000000000000/withdraw"
    )
    assert response.status_code == 404
    assert NotFound.code == response.json()["code"]
