"""Allergies on the pages (hazard M15): the allergies page and its forms, the
family's portal page and proposal form, and the summary on the patient
record, the emergency summary, the medicines page and the family's chart;
the print include for every printout."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from hearth.allergies import services
from hearth.allergies.models import AllergyIntolerance
from hearth.allergies.queries import allergy_summary
from hearth.conftest import World
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent

NOT_ASKED = "Allergies not yet asked"


def _record(world: World, **overrides: Any) -> AllergyIntolerance:
    values: dict[str, Any] = {
        "substance": "penicillins",
        "reaction": "Rash over the chest",
        "severity": "severe",
        "certainty": "confirmed",
        "reported_by": "the patient",
    }
    values.update(overrides)
    return services.record_allergy(actor=world.nurse, patient=world.patient, **values)


def _text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    return str(response.content.decode())


def test_every_page_says_when_nobody_has_asked(active: World, client_for: Any) -> None:
    patient = active.patient.external_id
    nurse = client_for(active.nurse)
    for path in (
        f"/patients/{patient}/",
        f"/patients/{patient}/emergency/",
        f"/patients/{patient}/medicines/",
        f"/patients/{patient}/allergies/",
    ):
        assert NOT_ASKED in _text(nurse.get(path)), path
    assert NOT_ASKED in _text(client_for(active.family).get("/portal/medicines/"))


def test_the_record_and_emergency_summary_list_allergies(active: World, client_for: Any) -> None:
    _record(active)
    patient = active.patient.external_id
    nurse = client_for(active.nurse)
    for path in (f"/patients/{patient}/", f"/patients/{patient}/emergency/"):
        text = _text(nurse.get(path))
        assert "Penicillins" in text and "Rash over the chest" in text, path
        assert NOT_ASKED not in text


def test_no_known_drug_allergies_shows_its_date(active: World, client_for: Any) -> None:
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    text = _text(client_for(active.family).get("/portal/medicines/"))
    assert "No known drug allergies" in text
    assert NOT_ASKED not in text


def test_a_nurse_records_through_the_page(active: World, client_for: Any) -> None:
    nurse = client_for(active.nurse)
    url = f"/patients/{active.patient.external_id}/allergies/record/"
    assert "Latex" in _text(nurse.get(url))
    refused = nurse.post(url, {"substance": "moon-dust", "reported_by": "x", "severity": "mild"})
    assert refused.status_code == 422
    assert not AllergyIntolerance.objects.exists()
    done = nurse.post(
        url,
        {
            "substance": "latex",
            "type": "allergy",
            "reaction": "Hives from gloves",
            "severity": "moderate",
            "certainty": "confirmed",
            "reported_by": "daughter",
        },
    )
    assert done.status_code == 302
    assert AllergyIntolerance.objects.get().substance.code == "latex"


def test_the_family_proposes_on_the_portal_and_sees_it_awaiting(
    active: World, client_for: Any
) -> None:
    family = client_for(active.family)
    assert "Tell the team about an allergy" in _text(family.get("/portal/allergies/"))
    done = family.post(
        "/portal/allergies/propose/",
        {
            "substance": "morphine",
            "type": "intolerance",
            "reaction": "Very confused",
            "severity": "",
        },
    )
    assert done.status_code == 302, done.content[:500]
    text = _text(family.get("/portal/allergies/"))
    assert "proposed by family, not yet confirmed by a clinician" in text
    staff_page = _text(
        client_for(active.nurse).get(f"/patients/{active.patient.external_id}/allergies/")
    )
    assert "Accept into the record" in staff_page


def test_a_nurse_accepts_and_declines_through_the_pages(active: World, client_for: Any) -> None:
    nurse = client_for(active.nurse)
    first = services.propose_allergy(
        actor=active.family, patient=active.patient, substance="opioids", reaction="Itch"
    )
    second = services.propose_allergy(
        actor=active.family, patient=active.patient, substance="egg", reaction="Hives"
    )
    accepted = nurse.post(
        f"/allergies/{first.external_id}/accept/",
        {"type": "allergy", "reaction": "Itch", "severity": "mild", "certainty": "suspected"},
    )
    assert accepted.status_code == 302
    assert (
        nurse.post(f"/allergies/{second.external_id}/decline/", {"reason": ""}).status_code == 422
    )
    declined = nurse.post(f"/allergies/{second.external_id}/decline/", {"reason": "Eats eggs."})
    assert declined.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active and second.status == "declined"
    assert "Eats eggs." in _text(client_for(active.family).get("/portal/allergies/"))


def test_the_history_page_shows_each_version_and_is_audited(active: World, client_for: Any) -> None:
    allergy = _record(active)
    services.change_allergy(
        actor=active.physician,
        allergy=allergy,
        reason="Hospital letter: hives, not a rash.",
        changes={"reaction": "Hives"},
    )
    text = _text(client_for(active.nurse).get(f"/allergies/{allergy.external_id}/history/"))
    assert "Hospital letter: hives, not a rash." in text
    assert "Rash over the chest" in text
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.ALLERGY_HISTORY_VIEWED, actor=active.nurse
    ).exists()


def test_another_family_sees_only_their_own_patient(active: World, client_for: Any) -> None:
    _record(active)
    text = _text(client_for(active.other_family).get("/portal/allergies/"))
    assert "Rash over the chest" not in text
    allergy = AllergyIntolerance.objects.get()
    assert client_for(active.other_family).get(
        f"/allergies/{allergy.external_id}/history/"
    ).status_code in (302, 404)


def test_the_print_include_puts_each_fact_in_its_own_row(active: World) -> None:
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    _record(active, substance="latex", reaction="A very long description " * 8)
    html = render_to_string("allergies/_print.html", {"allergies": allergy_summary(active.patient)})
    assert html.count("<tr>") == 2  # "no known drug allergies", latex (the heading is the caption)
    assert "<caption>" in html
    assert '<th scope="row">Latex (rubber)</th><td>Allergy · severe · confirmed' in html
    assert "No known drug allergies (" in html
    empty = render_to_string(
        "allergies/_print.html", {"allergies": allergy_summary(active.other_patient)}
    )
    assert '<th scope="row">Allergies</th><td>Allergies not yet asked</td>' in empty
