"""The medicines API at home: family sign-off per route, the controlled-drug
register, and the family's read-only home chart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import (
    MedicationOrder,
    MedicineSignOff,
    StockEntry,
    StockHolding,
)
from hearth.medications.tests.conftest import formulary, formulation, give, new_key

ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def same_moment(text: str, moment: datetime) -> bool:
    """JSON times carry milliseconds."""
    return abs(datetime.fromisoformat(text) - moment) < timedelta(milliseconds=1)


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=body, content_type="application/json")


# --- Family sign-off ----------------------------------------------------------


def _sign_offs_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/medicine-sign-offs"


def _sign_off_body(world: World, **overrides: Any) -> dict[str, Any]:
    today = clock.today()
    body: dict[str, Any] = {
        "caregiver": str(world.family.external_id),
        "route": "subcutaneous",
        "signed_off_on": today.isoformat(),
        "expires_on": (today + timedelta(days=90)).isoformat(),
        "note": "Practised with a butterfly twice.",
    }
    body.update(overrides)
    return body


def test_a_nurse_signs_off_a_family_member_and_withdraws_it(active: World, client_for: Any) -> None:
    nurse = client_for(active.nurse)
    response = _post(nurse, _sign_offs_url(active), _sign_off_body(active))
    assert response.status_code == 201, response.content
    sign_off = response.json()
    assert sign_off["caregiver"]["id"] == str(active.family.external_id)
    assert sign_off["signed_off_by"]["id"] == str(active.nurse.external_id)
    assert sign_off["route"] == "subcutaneous" and sign_off["is_current"] is True
    listed = nurse.get(_sign_offs_url(active)).json()["items"]
    assert [item["id"] for item in listed] == [sign_off["id"]]

    url = f"/api/v1/medicine-sign-offs/{sign_off['id']}/revoke"
    assert _post(client_for(active.family), url, {"reason": "I'm fine"}).status_code == 404
    assert _post(nurse, url, {"reason": ""}).status_code == 422
    revoked = _post(nurse, url, {"reason": "Not confident any more"})
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["is_current"] is False
    assert revoked.json()["revoked_by"]["id"] == str(active.nurse.external_id)
    assert _post(nurse, url, {"reason": "Again"}).status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"caregiver": ZERO_UUID}, "caregiver"),
        ({"caregiver": "someone"}, "caregiver"),
        ({"route": "intravenous"}, "route"),
        ({"route": "nose"}, "route"),
        ({"signed_off_on": "next week"}, "signed_off_on"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
    ],
)
def test_a_bad_sign_off_names_the_field(
    active: World, client_for: Any, overrides: dict[str, Any], field: str
) -> None:
    body = _sign_off_body(active, **overrides)
    response = _post(client_for(active.nurse), _sign_offs_url(active), body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not MedicineSignOff.objects.exists()


def test_only_this_patients_family_can_be_signed_off(active: World, client_for: Any) -> None:
    for person in (active.other_family, active.nurse):
        body = _sign_off_body(active, caregiver=str(person.external_id))
        response = _post(client_for(active.nurse), _sign_offs_url(active), body)
        assert response.status_code == 422
        assert "caregiver" in response.json()["errors"]
    assert not MedicineSignOff.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("family", 404), ("psychologist", 403), ("outsider_nurse", 403), ("other_family", 404)],
)
def test_only_a_nurse_or_physician_signs_off(
    active: World, client_for: Any, role: str, status: int
) -> None:
    response = _post(
        client_for(getattr(active, role)), _sign_offs_url(active), _sign_off_body(active)
    )
    assert response.status_code == status, response.content
    assert not MedicineSignOff.objects.exists()


def test_the_family_does_not_read_the_sign_off_list(active: World, client_for: Any) -> None:
    assert client_for(active.family).get(_sign_offs_url(active)).status_code == 404
    assert client_for(active.other_family).get(_sign_offs_url(active)).status_code == 404


# --- Controlled-drug register ---------------------------------------------------


def _register_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/controlled-drugs"


def _solution() -> Any:
    return formulation("Morphine", "oral", "10 mg/5 ml")


def _stock_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "formulation": str(_solution().external_id),
        "movement": "received",
        "quantity": "100",
        "note": "From the pharmacy",
    }
    body.update(overrides)
    return body


def test_the_register_follows_stock_doses_and_counts(
    active: World, client_for: Any, prn_morphine: MedicationOrder
) -> None:
    nurse = client_for(active.nurse)
    received = _post(nurse, _register_url(active), _stock_body())
    assert received.status_code == 201, received.content
    assert received.json()["balance_after"] == "100"
    assert received.json()["holding"]["balance"] == "100"
    assert received.json()["holding"]["drug"] == "Morphine"

    dose = _post(
        nurse,
        f"/api/v1/patients/{active.patient.external_id}/administrations",
        {
            "order": str(prn_morphine.external_id),
            "dose": "5",
            "route": "oral",
            "idempotency_key": new_key(),
        },
    )
    assert dose.status_code == 201, dose.content
    register = nurse.get(_register_url(active)).json()
    (line,) = register
    assert line["balance"] == "97.5"  # 5 mg of 2 mg/ml
    assert line["formulation"]["id"] == str(_solution().external_id)
    assert line["entries"][0]["movement"] == "given"
    assert line["entries"][0]["administration_id"] == dose.json()["id"]
    assert line["discrepancy_open"] is False

    counted = _post(nurse, _register_url(active), _stock_body(movement="counted", quantity=90))
    assert counted.status_code == 201, counted.content
    assert counted.json()["discrepancy"] == "-7.5"
    assert counted.json()["holding"]["discrepancy_open"] is True

    close_url = _register_url(active) + f"/{_solution().external_id}/close-discrepancy"
    assert _post(nurse, close_url, {"note": ""}).status_code == 422
    assert _post(client_for(active.family), close_url, {"note": "x"}).status_code == 404
    closed = _post(nurse, close_url, {"note": "Spillage, confirmed with the daughter."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["discrepancy_open"] is False
    assert closed.json()["balance"] == "90"
    assert _post(nurse, close_url, {"note": "Again"}).status_code == 409
    assert StockEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"formulation": ZERO_UUID}, "formulation"),
        ({"movement": "given"}, "movement"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"movement": "destroyed", "quantity": "1"}, "witness"),
        ({"occurred_at": "2026-01-01T08:00:00"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T08:00:00+00:00"}, "occurred_at"),
    ],
)
def test_a_bad_register_entry_names_the_field(
    active: World, client_for: Any, overrides: dict[str, Any], field: str
) -> None:
    response = _post(client_for(active.nurse), _register_url(active), _stock_body(**overrides))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not StockEntry.objects.exists()


def test_a_medicine_that_is_not_controlled_has_no_register(active: World, client_for: Any) -> None:
    paracetamol = formulation("Paracetamol", "oral", "500 mg")
    body = _stock_body(formulation=str(paracetamol.external_id))
    response = _post(client_for(active.nurse), _register_url(active), body)
    assert response.status_code == 422
    assert "formulation" in response.json()["errors"]


def test_removing_more_than_the_balance_is_refused(active: World, client_for: Any) -> None:
    nurse = client_for(active.nurse)
    assert _post(nurse, _register_url(active), _stock_body(quantity="10")).status_code == 201
    body = _stock_body(movement="returned", quantity="11", witness="Pharmacist")
    response = _post(nurse, _register_url(active), body)
    assert response.status_code == 422
    assert "quantity" in response.json()["errors"]
    assert StockHolding.objects.get().balance == 10


def test_closing_a_discrepancy_not_in_the_register_is_not_found(
    active: World, client_for: Any
) -> None:
    url = _register_url(active) + f"/{_solution().external_id}/close-discrepancy"
    assert _post(client_for(active.nurse), url, {"note": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("family", 404, 404),
        ("psychologist", 200, 403),
        ("outsider_nurse", 403, 403),
        ("other_family", 404, 404),
        ("physician", 200, 201),
    ],
)
def test_who_keeps_the_register(
    active: World, client_for: Any, role: str, read: int, write: int
) -> None:
    api = client_for(getattr(active, role))
    assert api.get(_register_url(active)).status_code == read
    assert _post(api, _register_url(active), _stock_body()).status_code == write
    assert StockEntry.objects.count() == (1 if write == 201 else 0)


# --- The family's home chart ----------------------------------------------------


def _chart_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/medication-chart"


def test_the_family_reads_the_home_chart(
    active: World,
    client_for: Any,
    settings: Any,
    prn_morphine: MedicationOrder,
    regular_morphine: MedicationOrder,
) -> None:
    settings.HEARTH_SERVICE_PHONE = "+44 20 0000 1234"
    dose = give(active.nurse, prn_morphine)
    assert dose.administration is not None
    response = client_for(active.family).get(_chart_url(active))
    assert response.status_code == 200, response.content
    chart = response.json()
    assert chart["service_phone"] == "+44 20 0000 1234"
    lines = {line["kind"]: line for line in chart["lines"]}
    prn = lines["as_needed"]
    assert prn["order_id"] == str(prn_morphine.external_id)
    assert prn["what"] == "Morphine 10 mg/5 ml oral solution"
    assert (prn["dose"], prn["dose_text"], prn["route"]) == ("5", "5 mg", "oral")
    assert prn["route_label"] == "By mouth"
    assert prn["why"] == "breakthrough pain"
    assert (prn["minimum_interval_minutes"], prn["maximum_doses_24h"]) == (60, 6)
    assert prn["given_last_24h"] == 1 and prn["limit_reached"] is False
    given_at = dose.administration.given_at
    assert same_moment(prn["next_allowed_at"], given_at + timedelta(minutes=60))
    assert "+44 20 0000 1234" in prn["when_limit_reached"]
    regular = lines["regular"]
    assert regular["times"] == ["08:00", "20:00"]
    assert regular["next_allowed_at"] is None and regular["when_limit_reached"] == ""
    assert AuditEvent.objects.filter(event_type="medication_chart.viewed").exists()


def test_the_chart_says_when_the_24_hour_limit_is_reached(active: World, client_for: Any) -> None:
    start = clock.now() - timedelta(hours=2)
    with clock.travel_to(start):
        order = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Oxycodone", "oral"),
            kind="as_needed",
            dose="2.5",
            indication="breathlessness",
            minimum_interval_minutes=30,
            maximum_doses_24h=2,
        )
    first = start + timedelta(minutes=10)
    give(active.nurse, order, given_at=first)
    give(active.nurse, order, given_at=start + timedelta(minutes=60))
    (line,) = client_for(active.patient_user).get(_chart_url(active)).json()["lines"]
    assert line["given_last_24h"] == 2
    assert line["limit_reached"] is True
    assert line["next_allowed_at"] is not None
    assert same_moment(line["next_allowed_at"], first + timedelta(hours=24))
    assert "call the team" in line["when_limit_reached"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nurse", 200),
        ("patient_user", 200),
        ("volunteer", 404),  # a volunteer reads the brief, never medicines (issue 18)
        ("outsider_nurse", 403),
        ("other_family", 404),
    ],
)
def test_who_reads_the_home_chart(active: World, client_for: Any, role: str, status: int) -> None:
    assert client_for(getattr(active, role)).get(_chart_url(active)).status_code == status


def test_the_chart_is_read_only(active: World, client_for: Any, prn_morphine: Any) -> None:
    response = _post(client_for(active.family), _chart_url(active), {"dose": "10"})
    assert response.status_code == 405
    prn_morphine.refresh_from_db()
    assert prn_morphine.current.dose == 5
