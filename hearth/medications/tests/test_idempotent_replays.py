"""Issue 18: every idempotent write (a dose, a check-in, an assessment) goes
through ``core.idempotency`` and compares the *whole* body. A retry with the same
body replays the first answer (200, same id, nothing new); a retry that changes
any one field is refused with the one code, 422 ``idempotency_key_reused``,
with nothing written. (Before, a check-in replayed with another
``other_problem`` or ``completed_by`` answered 200 and silently dropped the change.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from hearth.assessments.models import AssessmentResponse
from hearth.conftest import World
from hearth.core import clock, idempotency
from hearth.medications.models import Administration
from hearth.medications.tests.test_administration import prescribe_prn
from hearth.medications.tests.test_api_administrations import at, dose_body, post
from hearth.monitoring.models import CheckIn


def _check_in(world: World) -> tuple[Any, str, dict[str, Any], Callable[[], int]]:
    body = {
        "esas": {"pain": 3, "other": 2},
        "other_problem": "itching",
        "completed_by": "family_caregiver",
        "note": "A quiet night",
        "idempotency_key": "phone-1",
    }
    url = f"/api/v1/patients/{world.patient.external_id}/check-ins"
    return world.family, url, body, CheckIn.objects.count


def _assessment(world: World) -> tuple[Any, str, dict[str, Any], Callable[[], int]]:
    body = {
        "instrument": "esas_r",
        "answers": {"pain": 4, "other": 1},
        "other_problem": "hiccups",
        "completed_by": "professional",
        "context": "home_visit",
        "idempotency_key": "tablet-1",
    }
    url = f"/api/v1/patients/{world.patient.external_id}/assessments"
    return world.nurse, url, body, AssessmentResponse.objects.count


CHANGES = {
    "check-in": (
        _check_in,
        [
            {"esas": {"pain": 4, "other": 2}},
            {"other_problem": "hiccups"},
            {"completed_by": "caregiver_assisted"},
            {"note": "A bad night"},
            {"cannot_cope": True},
        ],
    ),
    "assessment": (
        _assessment,
        [
            {"answers": {"pain": 5, "other": 1}},
            {"other_problem": "itching"},
            {"context": "teleconsult"},
            {"completed_by": "patient"},
        ],
    ),
}


@pytest.mark.parametrize(
    ("kind", "change"),
    [(kind, change) for kind, (_make, changes) in CHANGES.items() for change in changes],
    ids=lambda value: value if isinstance(value, str) else ",".join(value),
)
def test_a_replay_that_changes_any_field_is_refused_with_the_one_code(
    active: World, client_for: Any, kind: str, change: dict[str, Any]
) -> None:
    actor, url, body, count = CHANGES[kind][0](active)
    api = client_for(actor)
    first = api.post(url, data=body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = api.post(url, data=body, content_type="application/json")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    written = count()
    changed = api.post(url, data={**body, **change}, content_type="application/json")
    assert changed.status_code == 422, changed.content
    assert changed.json()["code"] == "idempotency_key_reused"
    assert "idempotency_key" in changed.json()["errors"]
    assert count() == written == 1


@pytest.mark.parametrize(
    "change",
    [{"note": "Another"}, {"given_at": at("08:59").isoformat()}, {"dose": "10"}],
    ids=["note", "given_at", "dose"],
)
def test_a_dose_replayed_with_any_change_is_refused_with_the_same_code(
    active: World, client_for: Any, change: dict[str, Any]
) -> None:
    prn = prescribe_prn(active, when=at("07:00"))
    api = client_for(active.nurse)
    url = f"/api/v1/patients/{active.patient.external_id}/administrations"
    body = dose_body(prn, given_at=at("09:00").isoformat())
    assert post(api, url, body, at("09:01")).status_code == 201
    assert post(api, url, body, at("09:02")).status_code == 200
    changed = post(api, url, {**body, **change}, at("09:03"))
    assert changed.status_code == 422, changed.content
    assert changed.json()["code"] == "idempotency_key_reused"
    assert Administration.objects.count() == 1


def test_a_key_forgotten_after_24_hours_is_not_a_second_check_in(
    active: World, client_for: Any
) -> None:
    """The check-in keeps its own key: after the one-time key is pruned, the same
    key again is refused as reused instead of failing on the row's constraint."""
    actor, url, body, count = _check_in(active)
    api = client_for(actor)
    assert api.post(url, data=body, content_type="application/json").status_code == 201
    with clock.travel_to(clock.now() + timedelta(hours=25)):
        assert idempotency.prune_expired() == 1
        again = api.post(url, data=body, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "idempotency_key_reused"
    assert count() == 1
