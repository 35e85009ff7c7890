"""The equipment API: each endpoint, and who may use it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings

from hearth.conftest import World
from hearth.core import clock
from hearth.equipment.choices import EquipmentKind
from hearth.equipment.models import FaultReport, Loan
from hearth.monitoring.models import Alert

from .conftest import answers, lend, new_item

JSON = "application/json"
MISSING = "00000000-0000-0000-0000-000000000000"


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=body, content_type=JSON)


def test_checklists_are_listed_for_every_kind(active: World, client_for: Any) -> None:
    body = client_for(active.family).get("/api/v1/equipment/checklists").json()
    assert {row["kind"] for row in body} == set(EquipmentKind.values)
    oxygen = next(row for row in body if row["kind"] == "oxygen_concentrator")
    fire = next(item for item in oxygen["items"] if item["code"] == "fire_service_notified")
    assert fire["answers"] == ["safe", "not_safe", "not_applicable"]
    assert client_for(None).get("/api/v1/equipment/checklists").status_code == 401


def test_add_and_list_items(active: World, client_for: Any) -> None:
    api = client_for(active.coordinator)
    due = (clock.today() + timedelta(days=60)).isoformat()
    created = post(
        api,
        "/api/v1/equipment/items",
        {"kind": "suction", "serial_number": "SU-1", "maintenance_due_on": due},
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "available"
    again = post(
        api,
        "/api/v1/equipment/items",
        {"kind": "suction", "serial_number": "su-1", "maintenance_due_on": due},
    )
    assert again.status_code == 422 and list(again.json()["errors"]) == ["serial_number"]
    unknown = post(api, "/api/v1/equipment/items", {"kind": "suction", "serial": "x"})
    assert unknown.status_code == 422
    listed = api.get("/api/v1/equipment/items?kind=suction").json()["items"]
    assert [row["serial_number"] for row in listed] == ["SU-1"]


def test_the_store_validates_ownership(active: World, client_for: Any) -> None:
    item = new_item(active)
    due = (clock.today() + timedelta(days=60)).isoformat()
    # Staff are told their role does not allow it; the family, not found.
    for person, refused in ((active.family, 404), (active.chaplain, 403), (active.volunteer, 403)):
        client = client_for(person)
        assert client.get("/api/v1/equipment/items").status_code == refused
        assert client.get(f"/api/v1/equipment/items/{item.external_id}").status_code == refused
        body = {"kind": "suction", "serial_number": "X-1", "maintenance_due_on": due}
        assert post(client, "/api/v1/equipment/items", body).status_code == refused
        service = {"done_on": clock.today().isoformat(), "next_due_on": due}
        url = f"/api/v1/equipment/items/{item.external_id}"
        assert post(client, url + "/maintenance", service).status_code == refused
        assert post(client, url + "/status", {"status": "maintenance"}).status_code == refused
    # A physician reads the store but does not keep it.
    physician = client_for(active.physician)
    assert physician.get("/api/v1/equipment/items").status_code == 200
    url = f"/api/v1/equipment/items/{item.external_id}/status"
    assert post(physician, url, {"status": "maintenance"}).status_code == 403
    assert (
        client_for(active.coordinator).get(f"/api/v1/equipment/items/{MISSING}").status_code == 404
    )


def test_whose_home_is_shown_only_to_who_may_see_the_patient(
    active: World, client_for: Any
) -> None:
    loan = lend(active, new_item(active))
    mine = client_for(active.nurse).get("/api/v1/equipment/items").json()["items"]
    assert mine[0]["patient_id"] == str(active.patient.external_id)
    other = client_for(active.outsider_nurse).get("/api/v1/equipment/items").json()["items"]
    assert other[0]["patient_id"] is None and other[0]["loan_id"] == str(loan.external_id)


@override_settings(HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS=30)
def test_the_maintenance_filter(active: World, client_for: Any) -> None:
    overdue = new_item(active, due_in=-2)
    soon = new_item(active, due_in=20)
    new_item(active, due_in=60)
    api = client_for(active.nurse)
    due = {
        row["serial_number"]
        for row in api.get("/api/v1/equipment/items?maintenance=due").json()["items"]
    }
    assert due == {overdue.serial_number, soon.serial_number}
    late = api.get("/api/v1/equipment/items?maintenance=overdue").json()["items"]
    assert [row["serial_number"] for row in late] == [overdue.serial_number]
    assert late[0]["maintenance"] == "overdue"
    assert api.get("/api/v1/equipment/items?maintenance=someday").status_code == 422


def test_service_and_status_over_the_api(active: World, client_for: Any) -> None:
    item = new_item(active, due_in=-1)
    api = client_for(active.nurse)
    url = f"/api/v1/equipment/items/{item.external_id}"
    due = (clock.today() + timedelta(days=200)).isoformat()
    done = post(
        api, url + "/maintenance", {"done_on": clock.today().isoformat(), "next_due_on": due}
    )
    assert done.status_code == 200 and done.json()["maintenance_due_on"] == due
    changed = post(api, url + "/status", {"status": "maintenance", "reason": "Filter change"})
    assert changed.status_code == 200 and changed.json()["status"] == "maintenance"
    same = post(api, url + "/status", {"status": "maintenance"})
    assert same.status_code == 409


def test_lend_check_and_return_over_the_api(active: World, client_for: Any) -> None:
    item = new_item(active, EquipmentKind.OXYGEN_CONCENTRATOR)
    api = client_for(active.nurse)
    url = f"/api/v1/patients/{active.patient.external_id}/equipment"
    lent = post(api, url, {"item_id": str(item.external_id)})
    assert lent.status_code == 201, lent.content
    loan_id = lent.json()["id"]
    assert lent.json()["check_due"] is True
    again = post(api, url, {"item_id": str(item.external_id)})
    assert again.status_code == 409
    missing = post(api, url, {"item_id": MISSING})
    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["item_id"]
    checks = f"/api/v1/equipment/loans/{loan_id}/safety-checks"
    incomplete = post(api, checks, {"answers": {"room_ventilated": "safe", "x": "safe"}})
    assert incomplete.status_code == 422
    assert "answers" in incomplete.json()["errors"]
    assert "no_smoking_or_flame" in incomplete.json()["errors"]
    failed = post(
        api,
        checks,
        {
            "answers": answers(EquipmentKind.OXYGEN_CONCENTRATOR, no_smoking_or_flame="not_safe"),
            "note": "Candles lit next to the concentrator.",
        },
    )
    assert failed.status_code == 201 and failed.json()["outcome"] == "failed"
    assert failed.json()["alert_raised"] is True
    assert Alert.objects.get().rule == "oxygen_equipment"
    passed = post(api, checks, {"answers": answers(EquipmentKind.OXYGEN_CONCENTRATOR)})
    assert passed.status_code == 201 and passed.json()["alert_raised"] is False
    read = api.get(f"/api/v1/equipment/loans/{loan_id}").json()
    assert read["status"] == "in_use" and len(read["safety_checks"]) == 2
    naive = post(
        api, f"/api/v1/equipment/loans/{loan_id}/return", {"returned_at": "2026-01-01T10:00"}
    )
    assert naive.status_code == 422
    back = post(api, f"/api/v1/equipment/loans/{loan_id}/return", {"condition_note": "Fine"})
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert api.get(url).json()["items"] == []
    assert len(api.get(url + "?include_returned=true").json()["items"]) == 1


def test_faults_over_the_api(active: World, client_for: Any) -> None:
    loan = lend(active, new_item(active))
    family = client_for(active.family)
    reported = post(
        family, f"/api/v1/equipment/loans/{loan.external_id}/faults", {"description": "Alarm"}
    )
    assert reported.status_code == 201 and reported.json()["alert_raised"] is True
    fault_id = reported.json()["id"]
    resolve = f"/api/v1/equipment/faults/{fault_id}/resolve"
    assert post(family, resolve, {"resolution": "x"}).status_code == 404
    done = post(client_for(active.nurse), resolve, {"resolution": "Pump swapped."})
    assert done.status_code == 200 and done.json()["resolved_by"]["id"] == str(
        active.nurse.external_id
    )
    assert FaultReport.objects.open().count() == 0


def test_patient_equipment_endpoints_validate_ownership(active: World, client_for: Any) -> None:
    loan = lend(active, new_item(active))
    fault = FaultReport.objects.create(
        loan=loan, reported_at=clock.now(), reported_by=active.family, description="x"
    )
    patient_url = f"/api/v1/patients/{active.patient.external_id}/equipment"
    loan_url = f"/api/v1/equipment/loans/{loan.external_id}"
    free = new_item(active)
    for person, expected in ((active.other_family, 404), (active.outsider_nurse, 403)):
        client = client_for(person)
        assert client.get(patient_url).status_code == expected
        assert post(client, patient_url, {"item_id": str(free.external_id)}).status_code == expected
        assert client.get(loan_url).status_code == expected
        body = {"answers": answers(EquipmentKind.PRESSURE_MATTRESS)}
        assert post(client, loan_url + "/safety-checks", body).status_code == expected
        assert post(client, loan_url + "/faults", {"description": "x"}).status_code == expected
        assert post(client, loan_url + "/return", {}).status_code == expected
        resolve = f"/api/v1/equipment/faults/{fault.external_id}/resolve"
        assert post(client, resolve, {"resolution": "x"}).status_code == expected
    # The family reads their own equipment but lends, checks and returns nothing.
    family = client_for(active.family)
    assert family.get(patient_url).status_code == 200
    assert post(family, patient_url, {"item_id": str(free.external_id)}).status_code == 404
    body = {"answers": answers(EquipmentKind.PRESSURE_MATTRESS)}
    assert post(family, loan_url + "/safety-checks", body).status_code == 404
    assert post(family, loan_url + "/return", {}).status_code == 404
    assert client_for(active.nurse).get(f"/api/v1/equipment/loans/{MISSING}").status_code == 404
    assert Loan.objects.get().status == "delivered"


def test_the_store_costs_the_same_queries_for_more_items(
    active: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    api = client_for(active.coordinator)
    lend(active, new_item(active))
    new_item(active)
    with django_assert_max_num_queries(50) as few:
        api.get("/api/v1/equipment/items")
    for _ in range(4):
        lend(active, new_item(active))
        new_item(active)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/equipment/items").json()["items"]) == 10
