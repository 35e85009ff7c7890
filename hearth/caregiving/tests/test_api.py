"""The caregiving API: the same services and rules as the pages, and one
"validates ownership" check per endpoint (an outsider nurse is offered
emergency access, another family is told "not found", nothing is written)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.caregiving import services
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask, TrainingRecord
from hearth.conftest import World
from hearth.core import clock
from hearth.medications.models import MedicineSignOff

from .conftest import at, link, teach

JSON = "application/json"


@pytest.fixture
def records(active: World) -> dict[str, Any]:
    with clock.travel_to(at(0)):
        teach(active, "mouth_care")
        contact = services.record_support_contact(
            actor=active.psychologist,
            patient=active.patient,
            kind="counselling",
            mode="home",
            occurred_at=at(0, "09:00"),
            relatives=[link(active.family)],
            outcome="Talked about the nights.",
        )
        task = services.create_support_task(
            actor=active.nurse,
            patient=active.patient,
            caregiver=link(active.family),
            reason="Exhausted.",
            suggested_actions=["respite"],
        )
        respite = services.request_respite(
            actor=active.family,
            patient=active.patient,
            kind="volunteer_sitting",
            wanted_from=at(2).date(),
            wanted_to=at(2).date(),
        )
    return {"contact": contact, "task": task, "respite": respite}


def test_the_curriculum_is_read_by_anyone_signed_in(active: World, client_for: Any) -> None:
    skills = client_for(active.family).get("/api/v1/caregiving/skills").json()
    assert {"medicines_oral", "what_to_do"} <= {s["code"] for s in skills}
    one = client_for(active.nurse).get("/api/v1/caregiving/skills/medicines_buccal").json()
    assert one["medicine_route"] == "buccal" and one["steps"]
    assert client_for(active.nurse).get("/api/v1/caregiving/skills/nope").status_code == 404
    assert client_for(None).get("/api/v1/caregiving/skills").status_code == 401


def test_training_over_the_api(active: World, second_carer: Any, client_for: Any) -> None:
    api = client_for(active.nurse)
    base = f"/api/v1/patients/{active.patient.external_id}/training"
    carer = str(link(active.family).external_id)
    with clock.travel_to(at(0)):
        for step in ("demonstrated", "practised", "signed_off"):
            response = api.post(
                base + "/steps",
                data={"caregiver_id": carer, "skill": "medicines_oral", "step": step},
                content_type=JSON,
            )
            assert response.status_code == 200, response.json()
        (row,) = response.json()
        oral = next(s for s in row["skills"] if s["skill"] == "medicines_oral")
        assert oral["status"] == "signed_off"
        assert oral["medicine_sign_off_id"] == str(MedicineSignOff.objects.get().external_id)
        grid = api.get(base).json()
        assert len(grid) == 2
        own = client_for(active.family).get(base).json()
        assert [r["caregiver"]["id"] for r in own] == [carer]
        withdrawn = api.post(
            base + "/withdrawals",
            data={"caregiver_id": carer, "skill": "medicines_oral", "reason": "Unsafe."},
            content_type=JSON,
        )
        assert withdrawn.status_code == 200
    assert MedicineSignOff.objects.get().revoked_at is not None


def test_bad_input_is_a_422_naming_the_field(active: World, client_for: Any) -> None:
    base = f"/api/v1/patients/{active.patient.external_id}/training/steps"
    with clock.travel_to(at(0)):
        response = client_for(active.nurse).post(
            base,
            data={
                "caregiver_id": str(link(active.other_family).external_id),
                "skill": "mouth_care",
                "step": "demonstrated",
            },
            content_type=JSON,
        )
        assert response.status_code == 422 and "caregiver_id" in response.json()["errors"]
        typo = client_for(active.nurse).post(
            base,
            data={"caregiver": "x", "skill": "mouth_care", "step": "demonstrated"},
            content_type=JSON,
        )
        assert typo.status_code == 422
    assert not TrainingRecord.objects.exists()


def test_support_tasks_over_the_api(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    api = client_for(active.social_worker)
    with clock.travel_to(at(0)):
        listed = api.get("/api/v1/support-tasks").json()["items"]
        assert [t["id"] for t in listed] == [str(records["task"].external_id)]
        url = f"/api/v1/support-tasks/{records['task'].external_id}"
        patched = api.patch(
            url,
            data={
                "assigned_discipline": "social_worker",
                "assigned_to_id": str(active.social_worker.external_id),
            },
            content_type=JSON,
        )
        assert patched.status_code == 200
        assert patched.json()["assigned_to"]["id"] == str(active.social_worker.external_id)
        done = api.post(url + "/complete", data={"outcome": "Sitter found."}, content_type=JSON)
        assert done.json()["status"] == "done"
        again = api.post(url + "/cancel", data={"reason": "x"}, content_type=JSON)
        assert again.status_code == 409
        created = api.post(
            f"/api/v1/patients/{active.patient.external_id}/support-tasks",
            data={
                "caregiver_id": str(link(active.family).external_id),
                "reason": "Benefits.",
                "suggested_actions": ["social_worker"],
            },
            content_type=JSON,
        )
        assert created.status_code == 201
    assert client_for(active.volunteer).get("/api/v1/support-tasks").status_code == 404


def test_an_unknown_discipline_on_an_assigned_task_is_a_422(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    """Found by the API fuzzing (hazard row X20): an unknown discipline on a task assigned
    to someone of another discipline looked up the unknown discipline's label (500)."""
    api = client_for(active.social_worker)
    with clock.travel_to(at(0)):
        url = f"/api/v1/support-tasks/{records['task'].external_id}"
        assigned = api.patch(
            url,
            data={"assigned_to_id": str(active.social_worker.external_id)},
            content_type=JSON,
        )
        assert assigned.status_code == 200, assigned.content
        response = api.patch(url, data={"assigned_discipline": "#x"}, content_type=JSON)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["assigned_discipline"] == ["Not a known discipline."]


def test_contacts_over_the_api(active: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{active.patient.external_id}/support-contacts"
    body = {
        "kind": "counselling",
        "mode": "phone",
        "occurred_at": "2027-01-19T10:00:00+00:00",
        "relative_ids": [str(link(active.family).external_id)],
        "outcome": "Less alone.",
    }
    with clock.travel_to(at(0, "12:00")):
        refused = client_for(active.social_worker).post(url, data=body, content_type=JSON)
        assert refused.status_code == 403
        created = client_for(active.psychologist).post(url, data=body, content_type=JSON)
        assert created.status_code == 201, created.json()
        naive = client_for(active.psychologist).post(
            url, data={**body, "occurred_at": "2027-01-19T10:00"}, content_type=JSON
        )
        assert naive.status_code == 422
    listed = client_for(active.nurse).get(url).json()["items"]
    assert listed[0]["relatives"][0]["name"] == active.family.display_name
    wrong = client_for(active.psychologist).post(
        f"/api/v1/support-contacts/{listed[0]['id']}/entered-in-error",
        data={"reason": "Wrong family."},
        content_type=JSON,
    )
    assert wrong.json()["entered_in_error"] is True


def test_respite_over_the_api(active: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{active.patient.external_id}/respite"
    with clock.travel_to(at(0)):
        asked = client_for(active.family).post(
            url,
            data={
                "kind": "volunteer_sitting",
                "wanted_from": "2027-01-21",
                "wanted_to": "2027-01-21",
            },
            content_type=JSON,
        )
        assert asked.status_code == 201
        respite = asked.json()["id"]
        refused = client_for(active.family).post(
            f"/api/v1/respite/{respite}/book",
            data={
                "booked_from": "2027-01-21T14:00:00+00:00",
                "booked_to": "2027-01-21T18:00:00+00:00",
                "volunteer_id": str(active.volunteer.external_id),
            },
            content_type=JSON,
        )
        assert refused.status_code == 404
        booked = client_for(active.coordinator).post(
            f"/api/v1/respite/{respite}/book",
            data={
                "booked_from": "2027-01-21T14:00:00+00:00",
                "booked_to": "2027-01-21T18:00:00+00:00",
                "volunteer_id": str(active.volunteer.external_id),
            },
            content_type=JSON,
        )
        assert booked.status_code == 200 and booked.json()["volunteer"]["name"]
    mine = client_for(active.family).get(url).json()["items"]
    assert mine[0]["status"] == "booked"
    with clock.travel_to(at(0)):
        early = client_for(active.coordinator).post(
            f"/api/v1/respite/{respite}/complete", data={}, content_type=JSON
        )
        assert early.status_code == 409
        cancelled = client_for(active.family).post(
            f"/api/v1/respite/{respite}/cancel", data={"reason": "Better."}, content_type=JSON
        )
        assert cancelled.json()["status"] == "cancelled"


def _endpoints(active: World, records: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    patient = active.patient.external_id
    carer = str(link(active.family).external_id)
    task = records["task"].external_id
    respite = records["respite"].external_id
    contact = records["contact"].external_id
    return [
        ("get", f"/api/v1/patients/{patient}/training", {}),
        (
            "post",
            f"/api/v1/patients/{patient}/training/steps",
            {"caregiver_id": carer, "skill": "pressure_care", "step": "demonstrated"},
        ),
        (
            "post",
            f"/api/v1/patients/{patient}/training/withdrawals",
            {"caregiver_id": carer, "skill": "mouth_care", "reason": "x"},
        ),
        ("get", f"/api/v1/patients/{patient}/caregiver-strain-schedule", {}),
        ("get", f"/api/v1/patients/{patient}/support-tasks", {}),
        (
            "post",
            f"/api/v1/patients/{patient}/support-tasks",
            {"caregiver_id": carer, "reason": "x"},
        ),
        ("patch", f"/api/v1/support-tasks/{task}", {"due_on": "2027-02-01"}),
        ("post", f"/api/v1/support-tasks/{task}/complete", {"outcome": "x"}),
        ("post", f"/api/v1/support-tasks/{task}/cancel", {"reason": "x"}),
        ("get", f"/api/v1/patients/{patient}/support-contacts", {}),
        (
            "post",
            f"/api/v1/patients/{patient}/support-contacts",
            {
                "kind": "benefits",
                "mode": "phone",
                "occurred_at": "2027-01-19T09:00:00+00:00",
                "relative_ids": [carer],
                "outcome": "x",
            },
        ),
        ("post", f"/api/v1/support-contacts/{contact}/entered-in-error", {"reason": "x"}),
        ("get", f"/api/v1/patients/{patient}/respite", {}),
        (
            "post",
            f"/api/v1/patients/{patient}/respite",
            {"kind": "day", "wanted_from": "2027-01-25", "wanted_to": "2027-01-25"},
        ),
        (
            "post",
            f"/api/v1/respite/{respite}/book",
            {
                "booked_from": "2027-01-21T14:00:00+00:00",
                "booked_to": "2027-01-21T18:00:00+00:00",
                "place": "Hospice",
            },
        ),
        ("post", f"/api/v1/respite/{respite}/complete", {}),
        ("post", f"/api/v1/respite/{respite}/decline", {"reason": "x"}),
        ("post", f"/api/v1/respite/{respite}/cancel", {"reason": "x"}),
    ]


def _counts() -> tuple[int, ...]:
    return (
        TrainingRecord.objects.count(),
        SupportTask.objects.count(),
        SupportContact.objects.count(),
        RespiteRequest.objects.count(),
        MedicineSignOff.objects.count(),
    )


def test_every_endpoint_validates_ownership(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    before = _counts()
    outsider, other_family = client_for(active.outsider_nurse), client_for(active.other_family)
    with clock.travel_to(at(0, "12:00")):
        for method, url, body in _endpoints(active, records):
            call = getattr(outsider, method)
            refused = call(url) if method == "get" else call(url, data=body, content_type=JSON)
            assert refused.status_code == 403, (url, refused.json())
            assert refused.json()["code"] == "emergency_access_available", url
            call = getattr(other_family, method)
            hidden = call(url) if method == "get" else call(url, data=body, content_type=JSON)
            assert hidden.status_code == 404, (url, hidden.json())
    assert _counts() == before
    records["respite"].refresh_from_db()
    records["task"].refresh_from_db()
    assert records["respite"].status == "requested" and records["task"].status == "open"
