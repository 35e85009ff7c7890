"""The allergy check at prescribing (hazards M13, M14, M16): a drug or its
group matching an active allergy is refused for a confirmed severe reaction
and needs the physician's reason otherwise; the reason is kept on the order
version, in the audit trail and on the order's history page."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.allergies import services as allergies
from hearth.allergies.models import Substance
from hearth.conftest import World
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import ValidationFailed
from hearth.core.models import AuditEvent
from hearth.medications import services
from hearth.medications.models import Drug, MedicationOrder, OrderVersion
from hearth.medications.tests.conftest import CONFIRMED, formulary


def allergic(world: World, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "substance": "opioids",
        "reaction": "Itching and a rash",
        "severity": "moderate",
        "certainty": "suspected",
        "reported_by": "the patient",
    }
    values.update(overrides)
    return allergies.record_allergy(actor=world.nurse, patient=world.patient, **values)


def prescribe(world: World, drug: str = "Oxycodone", **overrides: Any) -> MedicationOrder:
    values: dict[str, Any] = {
        "drug_route": formulary(drug, "oral"),
        "kind": "as_needed",
        "dose": "2.5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }
    values.update(overrides)
    return services.prescribe(actor=world.physician, patient=world.patient, **values)


def _nothing_written() -> None:
    assert not MedicationOrder.objects.exists()
    assert not OrderVersion.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PRESCRIPTION_CREATED).exists()


def test_every_opioid_of_the_formulary_is_in_the_opioid_group(world: World) -> None:
    group = Substance.objects.get(code="opioids")
    members = set(group.members.values_list("drug_name", flat=True))
    opioids = set(Drug.objects.filter(is_opioid=True).values_list("name", flat=True))
    assert opioids and opioids <= members
    every_drug = set(Drug.objects.values_list("name", flat=True))
    catalogued = set(Substance.objects.filter(kind="drug").values_list("drug_name", flat=True))
    assert every_drug <= catalogued


def test_an_opioid_group_allergy_asks_for_a_reason_for_oxycodone(active: World) -> None:
    allergic(active)
    with pytest.raises(ValidationFailed) as refused:
        prescribe(active)
    assert refused.value.code == "allergy_override_required"
    assert "allergy_override_reason" in refused.value.field_errors
    assert "Opioids" in refused.value.message
    _nothing_written()


def test_the_override_reason_is_kept_on_the_version_and_in_the_audit(active: World) -> None:
    allergic(active)
    order = prescribe(
        active, allergy_override_reason="Itch only with codeine; oxycodone tolerated in hospital."
    )
    assert order.current is not None
    assert order.current.allergy_override_reason.startswith("Itch only with codeine")
    event = AuditEvent.objects.get(event_type=AuditEventType.PRESCRIPTION_CREATED)
    assert event.changes["allergy_override_reason"].startswith("Itch only with codeine")


def test_a_confirmed_severe_allergy_is_refused_even_with_a_reason(active: World) -> None:
    allergic(active, substance="morphine", severity="anaphylaxis", certainty="confirmed")
    with pytest.raises(ValidationFailed) as refused:
        prescribe(active, drug="Morphine", allergy_override_reason="I am sure.")
    assert refused.value.code == "allergy_contraindicated"
    assert list(refused.value.field_errors) == ["drug_route"]
    _nothing_written()


def test_a_confirmed_severe_group_allergy_refuses_each_member(active: World) -> None:
    allergic(active, severity="severe", certainty="confirmed")
    for drug in ("Morphine", "Oxycodone", "Hydromorphone"):
        with pytest.raises(ValidationFailed) as refused:
            prescribe(active, drug=drug, allergy_override_reason="reason")
        assert refused.value.code == "allergy_contraindicated"
    _nothing_written()


@pytest.mark.parametrize(
    "allergy",
    [
        {"certainty": "suspected", "severity": "anaphylaxis"},
        {"certainty": "confirmed", "severity": "mild"},
        {"certainty": "confirmed", "severity": "moderate"},
        {"certainty": "confirmed", "severity": "severe", "type": "intolerance"},
    ],
)
def test_anything_short_of_a_confirmed_severe_allergy_needs_a_reason(
    active: World, allergy: dict[str, str]
) -> None:
    allergic(active, substance="oxycodone", **allergy)
    with pytest.raises(ValidationFailed) as refused:
        prescribe(active)
    assert refused.value.code == "allergy_override_required"
    assert prescribe(active, allergy_override_reason="Benefit outweighs the risk.").pk


def test_refuted_entered_in_error_and_proposed_allergies_do_not_refuse(active: World) -> None:
    refuted = allergic(active, substance="oxycodone", certainty="confirmed", severity="severe")
    allergies.refute_allergy(actor=active.nurse, allergy=refuted, reason="Tolerated since.")
    wrong = allergic(active, substance="opioids", certainty="confirmed", severity="anaphylaxis")
    allergies.mark_entered_in_error(actor=active.nurse, allergy=wrong, reason="Wrong patient.")
    allergies.propose_allergy(
        actor=active.family, patient=active.patient, substance="opioids", reaction="Dizzy"
    )
    order = prescribe(active)
    assert order.current is not None
    assert order.current.allergy_override_reason == ""


def test_an_opioid_added_to_the_formulary_later_matches_the_opioid_group(
    active: World,
) -> None:
    from hearth.medications.models import Drug, DrugRoute

    drug = Drug.objects.create(name="Pethidine", is_controlled=True, is_opioid=True)
    route = DrugRoute.objects.create(drug=drug, route="oral", dose_unit="mg")
    allergic(active, certainty="confirmed", severity="anaphylaxis")
    with pytest.raises(ValidationFailed) as refused:
        services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=route,
            kind="regular",
            dose="50",
            times=["08:00"],
            indication="pain",
            allergy_override_reason="reason",
        )
    assert refused.value.code == "allergy_contraindicated"


def test_an_allergy_to_another_drug_or_group_does_not_match(active: World) -> None:
    allergic(active, substance="penicillins", certainty="confirmed", severity="anaphylaxis")
    allergic(active, substance="morphine", certainty="confirmed", severity="anaphylaxis")
    assert prescribe(active, drug="Paracetamol", dose="1000").pk
    assert prescribe(active, drug="Oxycodone").pk


def test_a_dose_change_after_an_allergy_is_recorded_needs_the_reason_too(active: World) -> None:
    order = prescribe(active)
    allergic(active)
    with pytest.raises(ValidationFailed) as refused:
        services.change_order(
            actor=active.physician,
            order=order,
            reason="More pain",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        )
    assert refused.value.code == "allergy_override_required"
    assert order.versions.count() == 1
    changed = services.change_order(
        actor=active.physician,
        order=order,
        reason="More pain",
        dose="5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        allergy_override_reason="Mild itch only; pain comes first.",
        confirmation_reason=CONFIRMED,  # oxycodone 5 mg = 7.5 mg OME, opioid-naive
    )
    assert changed.current is not None
    assert changed.current.allergy_override_reason == "Mild itch only; pain comes first."
    event = AuditEvent.objects.get(event_type=AuditEventType.PRESCRIPTION_CHANGED)
    assert event.changes["allergy_override_reason"] == "Mild itch only; pain comes first."


def test_the_override_reason_is_shown_on_the_order_history(active: World, client_for: Any) -> None:
    allergic(active)
    order = prescribe(active, allergy_override_reason="Tolerated oxycodone in hospital.")
    page = client_for(active.nurse).get(f"/medicines/orders/{order.external_id}/")
    assert page.status_code == 200
    assert "Tolerated oxycodone in hospital." in page.content.decode()


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "drug_route": str(formulary("Oxycodone", "oral").external_id),
        "kind": "as_needed",
        "dose": "2.5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }
    body.update(overrides)
    return body


def test_the_api_names_the_field_and_keeps_the_reason(active: World, client_for: Any) -> None:
    allergic(active)
    client = client_for(active.physician)
    url = f"/api/v1/patients/{active.patient.external_id}/medication-orders"
    refused = client.post(url, data=_body(), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "allergy_override_required"
    assert "allergy_override_reason" in refused.json()["errors"]
    _nothing_written()
    made = client.post(
        url,
        data=_body(allergy_override_reason="Benefit outweighs the risk."),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["current"]["allergy_override_reason"] == "Benefit outweighs the risk."


def test_the_api_refuses_a_confirmed_severe_allergy(active: World, client_for: Any) -> None:
    allergic(active, certainty="confirmed", severity="anaphylaxis")
    url = f"/api/v1/patients/{active.patient.external_id}/medication-orders"
    refused = client_for(active.physician).post(
        url, data=_body(allergy_override_reason="sure"), content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "allergy_contraindicated"
    assert list(refused.json()["errors"]) == ["drug_route"]


def test_the_order_forms_warn_when_allergies_were_never_asked(
    active: World, client_for: Any
) -> None:
    client = client_for(active.physician)
    page = client.get(f"/patients/{active.patient.external_id}/medicines/prescribe/")
    assert page.status_code == 200
    assert "Allergies not yet asked" in page.content.decode()
    order = prescribe(active)
    change = client.get(f"/medicines/orders/{order.external_id}/change/")
    assert "Allergies not yet asked" in change.content.decode()


def test_the_order_forms_list_the_active_allergies(active: World, client_for: Any) -> None:
    allergic(active, substance="penicillins")
    page = client_for(active.physician).get(
        f"/patients/{active.patient.external_id}/medicines/prescribe/"
    )
    text = page.content.decode()
    assert "Penicillins" in text
    assert "Allergies not yet asked" not in text


def test_the_prescribe_page_shows_the_override_request_on_its_field(
    active: World, client_for: Any
) -> None:
    allergic(active)
    data = {
        "drug_route": str(formulary("Oxycodone", "oral").external_id),
        "kind": "as_needed",
        "dose": "2.5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": "60",
        "maximum_doses_24h": "6",
    }
    client = client_for(active.physician)
    url = f"/patients/{active.patient.external_id}/medicines/prescribe/"
    page = client.post(url, data=data)
    assert page.status_code == 422
    assert "why it is right to prescribe it anyway" in page.content.decode()
    _nothing_written()
    done = client.post(url, data={**data, "allergy_override_reason": "Benefit first."})
    assert done.status_code == 302
    assert OrderVersion.objects.get().allergy_override_reason == "Benefit first."
