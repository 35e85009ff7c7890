"""The allergies API: every route does what its page does, names the field it
refuses, writes nothing on a refusal, and validates ownership (another
family, another patient's record, staff outside the caseload)."""

from __future__ import annotations

from typing import Any

from hearth.allergies import services
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies
from hearth.conftest import World


def _url(world: World, tail: str = "") -> str:
    return f"/api/v1/patients/{world.patient.external_id}/allergies{tail}"


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=body, content_type="application/json")


ALLERGY = {
    "substance": "penicillins",
    "reaction": "Rash",
    "severity": "moderate",
    "certainty": "confirmed",
    "reported_by": "the patient",
}


def test_it_lists_not_asked_then_none_known_then_the_allergies(
    active: World, client_for: Any
) -> None:
    client = client_for(active.nurse)
    assert client.get(_url(active)).json()["summary"]["status"] == "not_asked"
    made = _post(client, _url(active, "/no-known-drug-allergies"), {"reported_by": "the patient"})
    assert made.status_code == 201, made.content
    summary = client.get(_url(active)).json()["summary"]
    assert summary["status"] == "none_known"
    assert summary["nkda_date"]
    created = _post(client, _url(active), ALLERGY)
    assert created.status_code == 201, created.content
    assert created.json()["active"] is True
    answer = client.get(_url(active)).json()
    assert answer["summary"]["status"] == "listed"
    assert answer["summary"]["nkda_date"] is None
    assert [entry["substance"] for entry in answer["summary"]["entries"]] == ["penicillins"]
    assert answer["nkda_statements"][0]["ended_at"] is not None


def test_an_unknown_substance_is_a_422_naming_the_field(active: World, client_for: Any) -> None:
    answer = _post(client_for(active.nurse), _url(active), {**ALLERGY, "substance": "kryptonite"})
    assert answer.status_code == 422
    assert "substance" in answer.json()["errors"]
    assert not AllergyIntolerance.objects.exists()


def test_bad_choices_and_dates_are_422s_not_500s(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    for body in (
        {**ALLERGY, "severity": "awful"},
        {**ALLERGY, "reported_on": "yesterday"},
        {**ALLERGY, "reported_on": "0001-01-01"},
        {**ALLERGY, "colour": "red"},
        {"substance": "latex"},
    ):
        assert _post(client, _url(active), body).status_code == 422, body
    assert not AllergyIntolerance.objects.exists()


def test_nkda_is_a_409_while_a_drug_allergy_is_active(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    _post(client, _url(active), ALLERGY)
    refused = _post(client, _url(active, "/no-known-drug-allergies"), {"reported_by": "daughter"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "active_drug_allergy"
    assert not NoKnownDrugAllergies.objects.exists()


def test_the_family_proposes_and_a_nurse_accepts(active: World, client_for: Any) -> None:
    family = client_for(active.family)
    proposed = _post(
        family, _url(active, "/proposals"), {"substance": "latex", "reaction": "Swollen hands"}
    )
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["status"] == "proposed"
    assert proposed.json()["active"] is False
    listed = family.get(_url(active)).json()
    assert [entry["substance"] for entry in listed["summary"]["proposed"]] == ["latex"]
    # The family cannot confirm it themselves.
    allergy_id = proposed.json()["id"]
    refused = _post(
        family,
        _url(active, f"/{allergy_id}/accept"),
        {"severity": "severe", "certainty": "confirmed"},
    )
    assert refused.status_code == 404
    accepted = _post(
        client_for(active.nurse),
        _url(active, f"/{allergy_id}/accept"),
        {"severity": "moderate", "certainty": "confirmed"},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["active"] is True
    assert accepted.json()["recorded_by"]["name"] == active.nurse.display_name
    assert accepted.json()["proposed_by"]["name"] == active.family.display_name


def test_a_decline_needs_a_reason(active: World, client_for: Any) -> None:
    proposal = services.propose_allergy(
        actor=active.family, patient=active.patient, substance="egg", reaction="Hives"
    )
    client = client_for(active.physician)
    path = _url(active, f"/{proposal.external_id}/decline")
    assert _post(client, path, {"reason": ""}).status_code == 422
    declined = _post(client, path, {"reason": "Eggs eaten daily since without trouble."})
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "Eggs eaten daily since without trouble."


def test_change_refute_and_entered_in_error_keep_every_version(
    active: World, client_for: Any
) -> None:
    client = client_for(active.nurse)
    allergy_id = _post(client, _url(active), ALLERGY).json()["id"]
    changed = _post(
        client,
        _url(active, f"/{allergy_id}/change"),
        {"reason": "GP letter", "severity": "severe", "reaction": None},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["severity"] == "severe"
    assert changed.json()["reaction"] == "Rash"
    refuted = _post(client, _url(active, f"/{allergy_id}/refute"), {"reason": "Tolerated since."})
    assert refuted.json()["certainty"] == "refuted"
    in_error = _post(
        client, _url(active, f"/{allergy_id}/entered-in-error"), {"reason": "Wrong patient."}
    )
    assert in_error.json()["entered_in_error"] is True
    versions = client.get(_url(active, f"/{allergy_id}/history")).json()["versions"]
    assert len(versions) == 4
    assert versions[0]["entered_in_error_reason"] == "Wrong patient."
    assert versions[2]["change_reason"] == "GP letter"
    again = _post(client, _url(active, f"/{allergy_id}/refute"), {"reason": "again"})
    assert again.status_code == 409


def test_validates_ownership_another_family_is_not_found(active: World, client_for: Any) -> None:
    allergy = services.record_allergy(actor=active.nurse, patient=active.patient, **ALLERGY)
    other = client_for(active.other_family)
    assert other.get(_url(active)).status_code == 404
    assert other.get(_url(active, f"/{allergy.external_id}/history")).status_code == 404
    answer = _post(other, _url(active, "/proposals"), {"substance": "egg", "reaction": "Hives"})
    assert answer.status_code == 404
    assert AllergyIntolerance.objects.count() == 1


def test_validates_ownership_a_record_of_another_patient_is_not_found(
    active: World, client_for: Any
) -> None:
    """Patient B's allergy named under patient A's path is "not found", even
    for a clinician who may write patient A's allergies."""
    other = services.propose_allergy(
        actor=active.other_family,
        patient=active.other_patient,
        substance="egg",
        reaction="Hives",
    )
    client = client_for(active.nurse)
    answer = _post(
        client,
        _url(active, f"/{other.external_id}/accept"),
        {"severity": "mild", "certainty": "confirmed"},
    )
    assert answer.status_code == 404
    assert client.get(_url(active, f"/{other.external_id}/history")).status_code == 404
    other.refresh_from_db()
    assert other.is_pending_proposal


def test_validates_ownership_outsider_staff_and_volunteers(active: World, client_for: Any) -> None:
    outsider = client_for(active.outsider_nurse).get(_url(active))
    assert (outsider.status_code, outsider.json()["code"]) == (403, "emergency_access_available")
    volunteer = client_for(active.volunteer).get(_url(active))
    assert volunteer.status_code == 404
    assert _post(client_for(active.volunteer), _url(active), ALLERGY).status_code == 404
    assert not AllergyIntolerance.objects.exists()


def test_the_emergency_summary_api_carries_the_allergies(active: World, client_for: Any) -> None:
    services.record_allergy(actor=active.nurse, patient=active.patient, **ALLERGY)
    answer = client_for(active.nurse).get(
        f"/api/v1/patients/{active.patient.external_id}/emergency-summary"
    )
    assert answer.status_code == 200, answer.content
    allergies = answer.json()["allergies"]
    assert allergies["status"] == "listed"
    assert allergies["entries"][0]["substance_label"] == "Penicillins"


def test_the_catalogue_lists_groups_with_their_members(active: World, client_for: Any) -> None:
    answer = client_for(active.family).get("/api/v1/allergy-substances?limit=500")
    assert answer.status_code == 200
    by_code = {row["code"]: row for row in answer.json()["items"]}
    assert "oxycodone" in by_code["opioids"]["members"]
    assert by_code["latex"]["kind"] == "non_drug"


def test_a_control_character_is_a_422_not_a_500(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    for body in ({**ALLERGY, "substance": "lat\x00ex"}, {**ALLERGY, "reaction": "Rash\x00"}):
        answer = _post(client, _url(active), body)
        assert answer.status_code == 422, answer.content
    assert not AllergyIntolerance.objects.exists()
