"""An assessment's line in the record's history is one whole sentence with or
without "(partial)", stored as a key (issue 20), never a fragment translated
when it was written."""

from __future__ import annotations

from django.utils import translation

from hearth.assessments import services
from hearth.conftest import World
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent


def _recorded() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(event_type=AuditEventType.ASSESSMENT_RECORDED).order_by("id")
    )


def test_a_partial_total_and_a_full_one_are_each_a_whole_sentence(active: World) -> None:
    answers = {f"item_{n}": 1 for n in range(1, 13)}
    services.record_assessment(
        actor=active.family, patient=active.patient, instrument="zarit12", answers=answers
    )
    del answers["item_12"]
    services.record_assessment(
        actor=active.family, patient=active.patient, instrument="zarit12", answers=answers
    )
    full, partial = _recorded()
    assert full.summary_key == "%(instrument)s recorded: total %(total)s"
    assert partial.summary_key == "%(instrument)s recorded: total %(total)s (partial)"
    assert "partial" not in partial.summary_params
    with translation.override("en"):
        assert full.summary_text == "Zarit Burden Interview, 12-item (licensed) recorded: total 12"
        assert partial.summary_text == (
            "Zarit Burden Interview, 12-item (licensed) recorded: total 11 (partial)"
        )
