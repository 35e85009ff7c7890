"""What the monitoring services write is stored as a key and parameters
(issue 20): whole sentences with and without "help requested" or "partial",
and the comfort-check routing note with its reason as a code, so each reader
sees them in their language."""

from __future__ import annotations

from django.utils import translation

from hearth.assessments import services as assessments
from hearth.conftest import World
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.monitoring import services
from hearth.monitoring.models import Alert, AlertEvidence
from hearth.monitoring.tests.test_alerts import _news2_alarm


def _check_in_events() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(event_type=AuditEventType.CHECK_IN_RECORDED).order_by("id")
    )


def test_a_check_in_with_and_without_help_is_one_whole_sentence_each(active: World) -> None:
    services.record_check_in(
        actor=active.family, patient=active.patient, note="Slept well", idempotency_key="calm"
    )
    services.record_check_in(
        actor=active.family,
        patient=active.patient,
        help_requested=True,
        note="Breathless",
        idempotency_key="help",
    )
    calm, helped = _check_in_events()
    assert calm.summary_key == "Check-in from %(who)s"
    assert helped.summary_key == "Check-in from %(who)s: help requested"
    assert "help" not in helped.summary_params
    name = active.family.display_name
    with translation.override("en"):
        assert calm.summary_text == f"Check-in from {name}"
        assert helped.summary_text == f"Check-in from {name}: help requested"


def test_a_comfort_check_keeps_its_routing_note_as_a_key_and_its_reason_as_a_code(
    active: World,
) -> None:
    assessments.start_phase(actor=active.nurse, patient=active.patient, phase="terminal")
    _news2_alarm(active)
    alert = Alert.objects.get()
    assert alert.routing_note_key == "Routed as a comfort check, not an emergency: %(reason)s"
    assert alert.routing_note_params == {"reason": {"$t": "The person is in the terminal phase."}}
    with translation.override("en"):
        assert alert.routing_note_text == (
            "Routed as a comfort check, not an emergency: The person is in the terminal phase."
        )
    Alert.objects.filter(pk=alert.pk).update(routing_note_key="", routing_note_params={})
    alert.refresh_from_db()
    with translation.override("ru"):
        assert alert.routing_note_text == alert.routing_note  # raised before keys: as written


def test_a_partial_news2_is_one_whole_sentence_with_what_was_not_measured(active: World) -> None:
    _news2_alarm(active)  # oxygen saturation and pulse only
    evidence = AlertEvidence.objects.get(source="observation")
    assert evidence.description_key == (
        "NEWS2 %(total)d (%(band)s): %(points)s — partial, not measured: %(missing)s"
    )
    assert "partial" not in evidence.description_params
    with translation.override("en"):
        text = evidence.description_text
    assert text.startswith("NEWS2 ") and " — partial, not measured: " in text


def test_a_caregiver_strain_score_is_one_whole_sentence_with_or_without_partial(
    active: World,
) -> None:
    answers = {f"item_{n}": 2 for n in range(1, 13)}  # Zarit-12 total 24, cut-off 17
    assessments.record_assessment(
        actor=active.family, patient=active.patient, instrument="zarit12", answers=answers
    )
    del answers["item_12"]  # left blank: a partial total of 22
    assessments.record_assessment(
        actor=active.family, patient=active.patient, instrument="zarit12", answers=answers
    )
    full, partial = AlertEvidence.objects.filter(source="assessment").order_by("id")
    assert full.description_key == "%(instrument)s total %(total)d"
    assert partial.description_key == "%(instrument)s total %(total)d (partial)"
    assert "partial" not in partial.description_params
    assert partial.description_params["instrument"] == {
        "$t": "Zarit Burden Interview, 12-item (licensed)"
    }
    with translation.override("en"):
        assert full.description_text.endswith(" total 24")
        assert partial.description_text.endswith(" total 22 (partial)")
