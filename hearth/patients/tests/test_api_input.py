"""Bad input from a tired user or a broken phone: a clear 4xx, field named, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World, patient_details, referral_details
from hearth.patients.models import Patient


def _json(patient: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in patient.items()}


def _post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, data=body, content_type="application/json")


def test_a_referral_over_the_api_creates_patient_episode_and_diagnosis(
    world: World, client_for: Any
) -> None:
    body = {
        "patient": _json(patient_details("API-1")),
        "referral": referral_details(),
        "diagnoses": [{"icd10_code": "g12.21", "text": "ALS", "group": "neurological"}],
    }
    response = _post(client_for(world.coordinator), "/api/v1/referrals", body)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "referred"
    patient = Patient.objects.get(record_number="API-1")
    assert patient.diagnoses.get().icd10_code == "G12.21"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"date_of_birth": "not a date"}, "patient.date_of_birth"),
        ({"sex": "robot"}, "patient.sex"),
        ({"latitude": 123}, "patient.latitude"),
        ({"given_name": ""}, "patient.given_name"),
        ({"favourite_colour": "blue"}, "patient.favourite_colour"),
    ],
)
def test_bad_patient_fields_are_named(
    world: World, client_for: Any, patch: dict[str, Any], field: str
) -> None:
    patient = _json(patient_details("API-2"))
    patient.update(patch)
    response = _post(
        client_for(world.coordinator),
        "/api/v1/referrals",
        {"patient": patient, "referral": referral_details()},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["errors"]
    assert not Patient.objects.filter(record_number="API-2").exists()


def test_rules_checked_by_the_model_come_back_by_field(world: World, client_for: Any) -> None:
    # A birth date in the future but within the years every API date may take
    # (HEARTH_LATEST_YEAR): the schema lets it through, the model refuses it.
    patient = _json(patient_details("API-3", date_of_birth="2199-01-01", phone_primary="call me"))
    response = _post(
        client_for(world.coordinator),
        "/api/v1/referrals",
        {"patient": patient, "referral": referral_details()},
    )
    assert response.status_code == 422
    assert {"date_of_birth", "phone_primary"} <= set(response.json()["errors"])


def test_a_duplicate_record_number_is_refused(world: World, client_for: Any) -> None:
    body = {"patient": _json(patient_details("A-1")), "referral": referral_details()}
    response = _post(client_for(world.coordinator), "/api/v1/referrals", body)
    assert response.status_code == 422
    assert "record_number" in response.json()["errors"]
    assert Patient.objects.filter(record_number="A-1").count() == 1


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"text"'])
def test_malformed_bodies_get_a_4xx_not_a_500(world: World, client_for: Any, raw: str) -> None:
    response = client_for(world.coordinator).post(
        "/api/v1/referrals", data=raw, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_unknown_ids_are_404(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    assert client.get("/api/v1/patients/not-a-uuid").status_code in (404, 422)
    missing = client.get("/api/v1/patients/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_anonymous_gets_401_json(client_for: Any, db: Any) -> None:
    response = client_for(None).get("/api/v1/patients")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_invalid_transition_is_409(world: World, client_for: Any) -> None:
    response = _post(
        client_for(world.coordinator), f"/api/v1/episodes/{world.episode.external_id}/admit", {}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_the_openapi_document_is_served(client_for: Any, db: Any) -> None:
    response = client_for(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/referrals" in response.json()["paths"]


def test_a_refused_form_keeps_what_was_typed(world: World, client_for: Any) -> None:
    response = client_for(world.coordinator).post(
        "/patients/refer/",
        {
            **{k: v for k, v in patient_details("WEB-1").items() if v is not None},
            **referral_details(),
            "date_of_birth": "2999-01-01",
            "icd10_code": "C34.1",
            "diagnosis_text": "Lung cancer",
            "diagnosis_group": "cancer",
        },
    )
    assert response.status_code == 422
    assert b"Date of birth cannot be in the future" in response.content
    assert b'value="Dr Referrer"' in response.content
    assert not Patient.objects.filter(given_name="Ada").exists()


def test_the_referral_page_creates_the_patient(world: World, client_for: Any) -> None:
    response = client_for(world.coordinator).post(
        "/patients/refer/",
        {
            **{k: v for k, v in patient_details("WEB-2").items() if v is not None},
            **referral_details(),
            "icd10_code": "C34.1",
            "diagnosis_text": "Lung cancer",
            "diagnosis_group": "cancer",
        },
    )
    assert response.status_code == 302
    patient = Patient.objects.get(given_name="Ada")
    assert response["Location"] == f"/patients/{patient.external_id}/"
    assert patient.episodes.get().state == "referred"
