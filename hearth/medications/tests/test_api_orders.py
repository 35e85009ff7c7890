"""The medicines API: formulary, prescriptions and their versions, the opioid summary."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import DrugRoute, MedicationOrder, OrderVersion
from hearth.medications.tests.conftest import formulary, formulation


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=body, content_type="application/json")


def _patch(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, data=body, content_type="application/json")


def _orders_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/medication-orders"


def _prn_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "drug_route": str(formulary("Morphine", "oral").external_id),
        "formulation": str(formulation("Morphine", "oral", "10 mg/5 ml").external_id),
        "kind": "as_needed",
        "dose": "2.5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
        "instructions": "Use the oral syringe.",
    }
    body.update(overrides)
    return body


def test_the_openapi_document_builds(client_for: Any, world: World) -> None:
    response = client_for(world.nurse).get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/patients/{patient_id}/administrations" in paths
    assert set(paths["/api/v1/patients/{patient_id}/administrations"]["post"]["responses"]) >= {
        "200",
        "201",
        "202",
        "422",
    }


# --- Formulary --------------------------------------------------------------


def test_staff_read_the_formulary_with_factors_as_strings(world: World, client_for: Any) -> None:
    response = client_for(world.nurse).get("/api/v1/formulary?limit=500")
    assert response.status_code == 200
    drugs = {drug["name"]: drug for drug in response.json()["items"]}
    morphine = {route["route"]: route for route in drugs["Morphine"]["routes"]}
    assert morphine["subcutaneous"]["ome_factor"] == "2"
    assert morphine["oral"]["conversion"] == "per_dose_unit"
    assert "10 mg/5 ml" in {form["strength"] for form in morphine["oral"]["formulations"]}
    assert drugs["Methadone"]["routes"][0]["ome_factor"] is None
    assert drugs["Methadone"]["routes"][0]["conversion"] == "specialist"


def test_the_family_cannot_read_the_formulary(world: World, client_for: Any) -> None:
    assert client_for(world.family).get("/api/v1/formulary").status_code == 404


def test_an_administrator_changes_a_factor_with_a_reason(world: World, client_for: Any) -> None:
    row = formulary("Hydromorphone", "oral")
    url = f"/api/v1/formulary/routes/{row.external_id}"
    response = _patch(
        client_for(world.administrator),
        url,
        {"ome_factor": "5", "source": "Canadian guideline", "reason": "Service chose 5"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["ome_factor"] == "5"
    assert response.json()["drug"]["name"] == "Hydromorphone"
    row.refresh_from_db()
    assert str(row.ome_factor) == "5.000"
    assert row.history.first().history_change_reason == "Service chose 5"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ome_factor": "5"}, "reason"),
        ({"ome_factor": "5", "reason": "  "}, "reason"),
        ({"conversion": "magic", "reason": "x"}, "conversion"),
        ({"ome_factor": "-1", "reason": "x"}, "ome_factor"),
        ({"ome_factor": "lots", "reason": "x"}, "ome_factor"),
        ({"ome_factor": None, "reason": "clear it"}, "ome_factor"),
        ({"colour": "red", "reason": "x"}, "colour"),
    ],
)
def test_a_bad_factor_change_names_the_field(
    world: World, client_for: Any, body: dict[str, Any], field: str
) -> None:
    row = formulary("Morphine", "oral")
    response = _patch(
        client_for(world.administrator), f"/api/v1/formulary/routes/{row.external_id}", body
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    row.refresh_from_db()
    assert str(row.ome_factor) == "1.000"


def test_only_an_administrator_changes_the_formulary(world: World, client_for: Any) -> None:
    row = formulary("Morphine", "oral")
    route_url = f"/api/v1/formulary/routes/{row.external_id}"
    drug_url = f"/api/v1/formulary/drugs/{row.drug.external_id}"
    body = {"source": "Mine", "reason": "I prefer it"}
    assert _patch(client_for(world.physician), route_url, body).status_code == 403
    assert _patch(client_for(world.family), route_url, body).status_code == 404
    drug_body = {"warning": "Careful", "reason": "x"}
    assert _patch(client_for(world.physician), drug_url, drug_body).status_code == 403
    assert DrugRoute.objects.get(pk=row.pk).source != "Mine"


def test_an_administrator_changes_a_drug(world: World, client_for: Any) -> None:
    drug = formulary("Codeine", "oral").drug
    response = _patch(
        client_for(world.administrator),
        f"/api/v1/formulary/drugs/{drug.external_id}",
        {"active": False, "reason": "Not stocked any more"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    nothing = _patch(
        client_for(world.administrator),
        f"/api/v1/formulary/drugs/{drug.external_id}",
        {"active": False, "reason": "Again"},
    )
    assert nothing.status_code == 422


# --- Prescriptions ----------------------------------------------------------


def test_a_physician_prescribes_by_formulary_uuid(active: World, client_for: Any) -> None:
    response = _post(client_for(active.physician), _orders_url(active), _prn_body())
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["kind"] == "as_needed" and order["status"] == "active"
    assert order["drug"]["name"] == "Morphine"
    assert order["drug_route"]["route"] == "oral"
    current = order["current"]
    assert current["dose"] == "2.5"
    assert current["number"] == 1
    assert current["minimum_interval_minutes"] == 60
    assert current["formulation"]["strength"] == "10 mg/5 ml"
    assert current["prescribed_by"]["id"] == str(active.physician.external_id)
    stored = MedicationOrder.objects.get(external_id=order["id"])
    assert stored.patient == active.patient


def test_a_dose_may_be_sent_as_a_json_number(active: World, client_for: Any) -> None:
    response = _post(client_for(active.physician), _orders_url(active), _prn_body(dose=2.5))
    assert response.status_code == 201, response.content
    assert response.json()["current"]["dose"] == "2.5"


def test_the_order_list_records_a_read_and_hides_stopped_orders(
    active: World, client_for: Any, prn_morphine: MedicationOrder, regular_morphine: Any
) -> None:
    services.stop_order(actor=active.physician, order=regular_morphine, reason="Not needed")
    api = client_for(active.nurse)
    listed = api.get(_orders_url(active)).json()["items"]
    assert [order["id"] for order in listed] == [str(prn_morphine.external_id)]
    everything = api.get(_orders_url(active) + "?include_stopped=true").json()["items"]
    assert len(everything) == 2
    assert AuditEvent.objects.filter(
        event_type="medication_orders.viewed", patient_id=active.patient.pk
    ).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nurse", 403),
        ("family", 404),
        ("patient_user", 404),
        ("psychologist", 403),
        ("outsider_nurse", 403),
        ("other_family", 404),
        ("administrator", 403),
    ],
)
def test_only_the_physician_prescribes(
    active: World, client_for: Any, role: str, status: int
) -> None:
    response = _post(client_for(getattr(active, role)), _orders_url(active), _prn_body())
    assert response.status_code == status, response.content
    assert set(response.json()) >= {"detail", "code"}
    assert not MedicationOrder.objects.exists()


def test_the_family_cannot_read_the_orders(active: World, client_for: Any) -> None:
    assert client_for(active.family).get(_orders_url(active)).status_code == 404
    assert client_for(active.other_family).get(_orders_url(active)).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"drug_route": "00000000-0000-0000-0000-000000000000"}, "drug_route"),
        ({"drug_route": "not-a-uuid"}, "drug_route"),
        ({"formulation": "00000000-0000-0000-0000-000000000000"}, "formulation"),
        ({"dose": "abc"}, "dose"),
        ({"dose": "0"}, "dose"),
        ({"kind": "sometimes"}, "kind"),
        ({"indication": ""}, "indication"),
        ({"minimum_interval_minutes": None}, "minimum_interval_minutes"),
        ({"maximum_doses_24h": 0}, "maximum_doses_24h"),
        ({"times": ["08:00"]}, "times"),
        ({"kind": "regular", "minimum_interval_minutes": None, "maximum_doses_24h": None}, "times"),
        (
            {
                "kind": "regular",
                "times": ["8 am"],
                "minimum_interval_minutes": None,
                "maximum_doses_24h": None,
            },
            "times",
        ),
        ({"favourite": "yes"}, "favourite"),
    ],
)
def test_a_bad_prescription_names_the_field(
    active: World, client_for: Any, overrides: dict[str, Any], field: str
) -> None:
    response = _post(client_for(active.physician), _orders_url(active), _prn_body(**overrides))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not MedicationOrder.objects.exists()


def test_a_formulation_of_another_route_is_refused(active: World, client_for: Any) -> None:
    injection = formulation("Morphine", "subcutaneous", "10 mg/1 ml")
    body = _prn_body(formulation=str(injection.external_id))
    response = _post(client_for(active.physician), _orders_url(active), body)
    assert response.status_code == 422
    assert "formulation" in response.json()["errors"]


def test_a_patient_not_in_active_care_gets_no_prescription(world: World, client_for: Any) -> None:
    response = _post(client_for(world.physician), _orders_url(world), _prn_body())
    assert response.status_code == 409
    assert not MedicationOrder.objects.exists()


# --- Versions, change, stop -------------------------------------------------


def test_a_change_is_a_new_version_and_keeps_what_was_not_sent(
    active: World, client_for: Any, prn_morphine: MedicationOrder
) -> None:
    api = client_for(active.physician)
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}"
    response = _post(
        api,
        url + "/change",
        # 10 mg for a person on no regular opioid: the physician confirms (opioid-naive).
        {"dose": "10", "reason": "Pain not controlled", "confirmation_reason": "Reviewed"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["current"]["dose"] == "10"
    assert body["current"]["number"] == 2
    assert body["current"]["indication"] == "breakthrough pain"
    assert body["current"]["minimum_interval_minutes"] == 60
    assert body["current"]["change_reason"] == "Pain not controlled"
    assert body["current"]["formulation"]["strength"] == "10 mg/5 ml"
    detail = api.get(url).json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert detail["versions"][1]["dose"] == "5"
    assert detail["versions"][1]["valid_until"] is not None
    assert detail["patient_id"] == str(active.patient.external_id)


def test_a_change_can_remove_the_formulation(
    active: World, client_for: Any, prn_morphine: MedicationOrder
) -> None:
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}/change"
    response = _post(client_for(active.physician), url, {"formulation": None, "reason": "Any"})
    assert response.status_code == 200, response.content
    assert response.json()["current"]["formulation"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dose": "10"}, "reason"),
        ({"dose": "10", "reason": ""}, "reason"),
        ({"dose": "ten", "reason": "x"}, "dose"),
        ({"maximum_doses_24h": 500, "reason": "x"}, "maximum_doses_24h"),
        ({"reason": "Nothing really"}, "dose"),
    ],
)
def test_a_bad_change_names_the_field(
    active: World,
    client_for: Any,
    prn_morphine: MedicationOrder,
    body: dict[str, Any],
    field: str,
) -> None:
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}/change"
    response = _post(client_for(active.physician), url, body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert OrderVersion.objects.filter(order=prn_morphine).count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("family", 404), ("nurse", 403), ("other_family", 404), ("outsider_nurse", 403)],
)
def test_only_the_physician_changes_or_stops(
    active: World, client_for: Any, prn_morphine: MedicationOrder, role: str, status: int
) -> None:
    api = client_for(getattr(active, role))
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}"
    assert _post(api, url + "/change", {"dose": "10", "reason": "x"}).status_code == status
    assert _post(api, url + "/stop", {"reason": "x"}).status_code == status
    prn_morphine.refresh_from_db()
    assert prn_morphine.status == "active"
    assert OrderVersion.objects.filter(order=prn_morphine).count() == 1


def test_the_family_cannot_read_an_order(
    active: World, client_for: Any, prn_morphine: MedicationOrder
) -> None:
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}"
    assert client_for(active.family).get(url).status_code == 404
    assert client_for(active.other_family).get(url).status_code == 404
    assert client_for(active.nurse).get(url).status_code == 200


def test_a_physician_stops_an_order_once(
    active: World, client_for: Any, prn_morphine: MedicationOrder
) -> None:
    api = client_for(active.physician)
    url = f"/api/v1/medication-orders/{prn_morphine.external_id}/stop"
    assert _post(api, url, {"reason": ""}).status_code == 422
    response = _post(api, url, {"reason": "Pain settled"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "stopped"
    assert response.json()["stop_reason"] == "Pain settled"
    assert response.json()["stopped_by"]["id"] == str(active.physician.external_id)
    assert _post(api, url, {"reason": "Again"}).status_code == 409
    changed = _post(
        api,
        f"/api/v1/medication-orders/{prn_morphine.external_id}/change",
        {"dose": "1", "reason": "x"},
    )
    assert changed.status_code == 409


def test_an_unknown_order_is_not_found(active: World, client_for: Any) -> None:
    url = "/api/v1/medication-orders/00000000-0000-0000-0000-000000000000"
    assert client_for(active.physician).get(url).status_code == 404
    assert _post(client_for(active.physician), url + "/stop", {"reason": "x"}).status_code == 404


# --- Opioid summary ---------------------------------------------------------


def _summary_url(world: World, query: str = "") -> str:
    return f"/api/v1/patients/{world.patient.external_id}/opioid-summary{query}"


def test_the_opioid_summary_adds_the_regular_doses(
    active: World, client_for: Any, regular_morphine: Any, prn_morphine: Any
) -> None:
    response = client_for(active.physician).get(_summary_url(active))
    assert response.status_code == 200, response.content
    summary = response.json()
    assert summary["regular_ome_24h"] == "40"
    assert (summary["breakthrough_low"], summary["breakthrough_high"]) == ("6.7", "6.7")
    assert summary["guideline"] == "uk"
    assert (summary["titration_low"], summary["titration_high"]) == ("52", "60")
    lines = {line["kind"]: line for line in summary["lines"]}
    assert lines["regular"]["ome_mg"] == "40" and lines["regular"]["basis"] == "per_24h"
    assert lines["as_needed"]["ome_mg"] == "5" and lines["as_needed"]["basis"] == "per_dose"
    assert summary["switch"] is None


def test_switching_is_shown_reduced_and_never_applied(
    active: World, client_for: Any, regular_morphine: Any
) -> None:
    oxycodone = formulary("Oxycodone", "oral")
    response = client_for(active.physician).get(
        _summary_url(active, f"?switch_to={oxycodone.external_id}")
    )
    assert response.status_code == 200, response.content
    switch = response.json()["switch"]
    # 40 mg OME / 1.5 = 26.7 mg oxycodone a day, less 25-50 %.
    assert (switch["low"], switch["high"]) == ("13.3", "20")
    assert switch["drug"] == "Oxycodone" and switch["basis"] == "per_24h"
    assert "cross-tolerance" in switch["note"]
    regular_morphine.refresh_from_db()
    assert regular_morphine.current.dose == 20
    assert MedicationOrder.objects.count() == 1


def test_methadone_is_never_converted(
    active: World, client_for: Any, regular_morphine: Any
) -> None:
    methadone = formulary("Methadone", "oral")
    switch = (
        client_for(active.physician)
        .get(_summary_url(active, f"?switch_to={methadone.external_id}"))
        .json()["switch"]
    )
    assert switch["low"] is None and switch["high"] is None
    assert "specialist" in switch["note"]


def test_a_methadone_order_is_left_out_with_a_warning(active: World, client_for: Any) -> None:
    services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Methadone", "oral"),
        kind="regular",
        dose="5",
        times=["08:00"],
        indication="pain",
    )
    summary = client_for(active.physician).get(_summary_url(active)).json()
    assert summary["regular_ome_24h"] == "0"
    assert summary["lines"][0]["ome_mg"] is None
    assert any("specialist" in warning for warning in summary["warnings"])
    assert summary["breakthrough_low"] is None


def test_the_opioid_summary_refuses_bad_input_and_the_family(
    active: World, client_for: Any
) -> None:
    unknown = client_for(active.physician).get(
        _summary_url(active, "?switch_to=00000000-0000-0000-0000-000000000000")
    )
    assert unknown.status_code == 422
    assert "switch_to" in unknown.json()["errors"]
    assert client_for(active.family).get(_summary_url(active)).status_code == 404
    assert client_for(active.other_family).get(_summary_url(active)).status_code == 404
