"""The worklist costs the same number of queries for 2 patients or 12."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.conftest import World, patient_details, referral_details
from hearth.patients import queries, services


def _count(actor: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows = queries.worklist(actor)
    assert rows
    return len(captured.captured_queries)


def test_the_worklist_query_count_does_not_grow_with_patients(world: World) -> None:
    few = _count(world.coordinator)
    for number in range(10):
        services.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details(f"Q-{number}"),
            referral=referral_details(),
            diagnoses=[{"icd10_code": "C34.1", "text": "Lung cancer", "group": "cancer"}],
        )
    assert _count(world.coordinator) == few


def test_the_worklist_shows_stage_diagnosis_and_review(world: World) -> None:
    world.bring_to("active")
    row = next(r for r in queries.worklist(world.nurse) if r.record_number == "A-1")
    assert row.episode_state == "active"
    assert row.diagnosis_group == "cancer"
    assert row.days_since_admission == 0
    assert row.next_review_date is not None
