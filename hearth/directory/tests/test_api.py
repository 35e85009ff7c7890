"""The directory API: every endpoint, and who may use it (ownership)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.directory import services
from hearth.directory.models import DirectoryEntry, NextStep, Region

from .conftest import JSON, entry_details, make_entry

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def listed(active: World, areas: dict[str, Region]) -> dict[str, DirectoryEntry]:
    return {
        "camden": make_entry(
            active.coordinator, name="Camden store", regions=["camden"], languages=["en"]
        ),
        "counsel": make_entry(
            active.coordinator,
            category="services",
            topic="counselling",
            name="Doveriye",
            regions=["all"],
            languages=["ru"],
        ),
    }


# --- Search and entries ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["nurse", "volunteer", "family", "other_family", "patient_user"])
def test_everyone_signed_in_may_search(
    active: World, listed: Any, client_for: Any, role: str
) -> None:
    api = client_for(getattr(active, role))
    body = api.get("/api/v1/directory/entries", {"region": "camden"}).json()
    assert body["count"] == 2 and body["pages"] == 1
    assert [item["name"] for item in body["items"]] == ["Camden store", "Doveriye"]
    ru = api.get("/api/v1/directory/entries", {"language": "ru", "text": "doveriye"}).json()
    assert [item["name"] for item in ru["items"]] == ["Doveriye"]
    assert ru["items"][0]["regions"] == ["all"] and ru["items"][0]["languages"] == ["ru"]


def test_searching_needs_sign_in(listed: Any, client_for: Any) -> None:
    assert client_for(None).get("/api/v1/directory/entries").status_code == 401
    assert client_for(None).get("/api/v1/directory/regions").status_code == 401


def test_bad_filters_are_refused_by_name(active: World, listed: Any, client_for: Any) -> None:
    api = client_for(active.family)
    for params, field in (
        ({"region": "atlantis"}, "region"),
        ({"language": "klingon"}, "language"),
        ({"category": "food"}, "category"),
        ({"page": 0}, "page"),
    ):
        answer = api.get("/api/v1/directory/entries", params)
        assert answer.status_code == 422, params
        assert field in answer.json()["errors"], answer.json()


def test_retired_entries_only_for_staff_who_ask(
    active: World, listed: Any, client_for: Any
) -> None:
    services.retire_entry(actor=active.coordinator, entry=listed["camden"])
    url = "/api/v1/directory/entries"
    assert client_for(active.nurse).get(url).json()["count"] == 1
    assert client_for(active.nurse).get(url, {"include_retired": True}).json()["count"] == 2
    assert client_for(active.family).get(url, {"include_retired": True}).json()["count"] == 1
    one = f"{url}/{listed['camden'].external_id}"
    assert client_for(active.nurse).get(one).json()["active"] is False
    assert client_for(active.family).get(one).status_code == 404
    assert client_for(active.family).get(f"{url}/{MISSING}").status_code == 404


def test_the_maintainers_create_and_change_entries(
    active: World, areas: Any, client_for: Any
) -> None:
    api = client_for(active.social_worker)
    created = api.post(
        "/api/v1/directory/entries",
        data=entry_details(name="Carers centre", regions=["hackney"]),
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/directory/entries/{created.json()['id']}"
    changed = api.patch(url, data={"phone": "020 7946 0321", "reviewed": True}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["phone"] == "020 7946 0321"
    bad = api.patch(url, data={"topic": "oxygen"}, content_type=JSON)
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["topic"]
    unknown = api.patch(url, data={"colour": "red"}, content_type=JSON)
    assert unknown.status_code == 422
    retired = api.patch(url, data={"active": False, "retired_reason": "Moved"}, content_type=JSON)
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert retired.json()["retired_reason"] == "Moved"
    back = api.patch(url, data={"active": True}, content_type=JSON)
    assert back.json()["active"] is True


@pytest.mark.parametrize("role", ["nurse", "physician", "family", "patient_user"])
def test_others_cannot_create_or_change_entries(
    active: World, listed: Any, client_for: Any, role: str
) -> None:
    api = client_for(getattr(active, role))
    # Staff are told their role does not allow it; a family or patient, not found.
    refused = 404 if role in ("family", "patient_user") else 403
    assert (
        api.post("/api/v1/directory/entries", data=entry_details(), content_type=JSON).status_code
        == refused
    )
    url = f"/api/v1/directory/entries/{listed['camden'].external_id}"
    for body in ({"phone": "1"}, {"active": False}, {"reviewed": True}):
        assert api.patch(url, data=body, content_type=JSON).status_code == refused
    listed["camden"].refresh_from_db()
    assert listed["camden"].active and listed["camden"].phone == "020 7946 0000"


def test_areas_over_the_api(active: World, areas: dict[str, Region], client_for: Any) -> None:
    assert [
        r["code"] for r in client_for(active.family).get("/api/v1/directory/regions").json()
    ] == [
        "camden",
        "hackney",
    ]
    made = client_for(active.coordinator).post(
        "/api/v1/directory/regions", data={"name": "Tower Hamlets"}, content_type=JSON
    )
    assert made.status_code == 201 and made.json()["code"] == "tower-hamlets"
    url = f"/api/v1/directory/regions/{made.json()['id']}"
    off = client_for(active.administrator).patch(url, data={"active": False}, content_type=JSON)
    assert off.status_code == 200 and off.json()["active"] is False
    for role, refused in (("nurse", 403), ("family", 404)):
        api = client_for(getattr(active, role))
        assert (
            api.post("/api/v1/directory/regions", data={"name": "X"}, content_type=JSON).status_code
            == refused
        )
        assert api.patch(url, data={"active": True}, content_type=JSON).status_code == refused
    missing = client_for(active.coordinator).patch(
        f"/api/v1/directory/regions/{MISSING}", data={"active": True}, content_type=JSON
    )
    assert missing.status_code == 404


# --- Next steps ---------------------------------------------------------------------------


def _steps_url(world: World, patient: Any = None) -> str:
    return f"/api/v1/patients/{(patient or world.patient).external_id}/next-steps"


def test_the_team_adds_and_the_family_reads_and_ticks(
    active: World, listed: Any, client_for: Any
) -> None:
    added = client_for(active.nurse).post(
        _steps_url(active),
        data={"entry_id": str(listed["counsel"].external_id), "note": "Call on Monday."},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    step = added.json()
    assert step["entry"]["name"] == "Doveriye" and step["added_by"]
    family = client_for(active.family)
    mine = family.get(_steps_url(active)).json()["items"]
    assert [s["note"] for s in mine] == ["Call on Monday."]
    assert mine[0]["entry"]["phone"] and mine[0]["entry"]["languages"] == ["ru"]
    done = family.patch(
        f"/api/v1/next-steps/{step['id']}", data={"status": "done"}, content_type=JSON
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    refused = family.patch(
        f"/api/v1/next-steps/{step['id']}", data={"note": "x"}, content_type=JSON
    )
    assert refused.status_code == 404


def test_next_step_endpoints_validate_ownership(
    active: World, listed: Any, client_for: Any
) -> None:
    step = services.add_next_step(
        actor=active.nurse, patient=active.patient, entry=listed["camden"], note="Private note"
    )
    url = _steps_url(active)
    body = {"entry_id": str(listed["counsel"].external_id)}
    patch = f"/api/v1/next-steps/{step.external_id}"
    # Another family: the patient does not exist for them.
    other = client_for(active.other_family)
    assert other.get(url).status_code == 404
    assert other.post(url, data=body, content_type=JSON).status_code == 404
    assert other.patch(patch, data={"status": "done"}, content_type=JSON).status_code == 404
    # A nurse from another team: not on the caseload.
    outsider = client_for(active.outsider_nurse)
    assert outsider.get(url).status_code == 403
    assert outsider.post(url, data=body, content_type=JSON).status_code == 403
    assert outsider.patch(patch, data={"status": "done"}, content_type=JSON).status_code == 403
    # The family may read but not add; a volunteer on the team reads only the
    # volunteer brief, so the next steps are not found for them.
    assert client_for(active.family).post(url, data=body, content_type=JSON).status_code == 404
    assert client_for(active.volunteer).get(url).status_code == 404
    assert client_for(active.volunteer).post(url, data=body, content_type=JSON).status_code == 404
    assert (
        client_for(active.volunteer)
        .patch(patch, data={"status": "done"}, content_type=JSON)
        .status_code
        == 404
    )
    # Unknown ids.
    nurse = client_for(active.nurse)
    assert nurse.get(f"/api/v1/patients/{MISSING}/next-steps").status_code == 404
    assert (
        nurse.patch(f"/api/v1/next-steps/{MISSING}", data={}, content_type=JSON).status_code == 404
    )
    unknown_entry = nurse.post(url, data={"entry_id": MISSING}, content_type=JSON)
    assert unknown_entry.status_code == 422 and "entry_id" in unknown_entry.json()["errors"]
    step.refresh_from_db()
    assert step.status == "to_do" and NextStep.objects.count() == 1


def test_the_other_family_sees_only_their_own(active: World, listed: Any, client_for: Any) -> None:
    services.add_next_step(actor=active.nurse, patient=active.patient, entry=listed["camden"])
    services.add_next_step(
        actor=active.coordinator, patient=active.other_patient, entry=listed["counsel"]
    )
    theirs = (
        client_for(active.other_family)
        .get(_steps_url(active, active.other_patient))
        .json()["items"]
    )
    assert [s["entry"]["name"] for s in theirs] == ["Doveriye"]
    ours = client_for(active.family).get(_steps_url(active)).json()["items"]
    assert [s["entry"]["name"] for s in ours] == ["Camden store"]
