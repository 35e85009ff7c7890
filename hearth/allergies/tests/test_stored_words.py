"""What the allergy services write into the record's history is stored as a
key and parameters (issue 20): the type and a catalogue name as codes, typed
words as typed, so each reader sees them in their language."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from hearth.allergies import services
from hearth.allergies.tests.test_services import record
from hearth.conftest import World
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent


def _english(event: AuditEvent) -> str:
    with translation.override("en"):
        return event.summary_text


def test_it_stores_the_allergy_type_and_the_catalogue_name_as_codes(active: World) -> None:
    record(active)
    event = AuditEvent.objects.get(event_type=AuditEventType.ALLERGY_RECORDED)
    assert event.summary_key == "Recorded: %(allergy)s"
    allergy = event.summary_params["allergy"]
    assert allergy["$m"] == "%(substance)s (%(type)s)"
    assert allergy["$p"] == {"substance": {"$t": "Penicillins"}, "type": {"$t": "allergy"}}
    assert _english(event) == "Recorded: Penicillins (allergy)"


def test_an_intolerance_with_typed_details_keeps_the_details_as_typed(active: World) -> None:
    record(active, substance="latex", type="intolerance", substance_text="gloves only")
    event = AuditEvent.objects.get(event_type=AuditEventType.ALLERGY_RECORDED)
    params = event.summary_params["allergy"]["$p"]
    assert params["type"] == {"$t": "intolerance"}
    assert params["substance"] == {
        "$m": "%(substance)s: %(details)s",
        "$p": {"substance": {"$t": "Latex (rubber)"}, "details": "gloves only"},
    }
    assert _english(event) == "Recorded: Latex (rubber): gloves only (intolerance)"


def test_the_end_of_no_known_drug_allergies_is_stored_as_a_key(active: World) -> None:
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    record(active, substance="penicillins")
    event = AuditEvent.objects.get(event_type=AuditEventType.NKDA_ENDED)
    assert event.summary_key == "Drug allergy recorded: %(substance)s"
    assert event.summary_params == {"substance": {"$t": "Penicillins"}}
    assert _english(event) == "Drug allergy recorded: Penicillins"


def test_why_the_statement_ended_reads_in_each_readers_language(
    active: World, client_for: Any
) -> None:
    """Ended by a Russian-speaking nurse: the stored text is the service's
    language, and each reader (page and API) sees their own."""
    with translation.override("ru"):
        first = services.record_no_known_drug_allergies(
            actor=active.nurse, patient=active.patient, reported_by="the patient"
        )
        second = services.record_no_known_drug_allergies(
            actor=active.nurse, patient=active.patient, reported_by="her daughter"
        )
        record(active, substance="morphine")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.end_reason == "Stated again"
    assert second.end_reason.startswith("Drug allergy recorded: ")
    with translation.override("ru"):
        assert first.end_reason_text == "Записано повторно"
        assert second.end_reason_text.startswith("Записана лекарственная аллергия: ")

    active.nurse.preferred_language = "ru"
    active.nurse.save(update_fields=["preferred_language"])
    nurse = client_for(active.nurse)
    page = nurse.get(f"/patients/{active.patient.external_id}/allergies/").content.decode()
    assert "Записано повторно" in page and "Stated again" not in page
    listed = nurse.get(f"/api/v1/patients/{active.patient.external_id}/allergies").json()
    reasons = {row["reported_by"]: row["end_reason"] for row in listed["nkda_statements"]}
    assert reasons["the patient"] == "Записано повторно"
    assert reasons["her daughter"].startswith("Записана лекарственная аллергия: ")
