"""Latest-per-patient worklist columns (issue 21, hazard L13): the newest
valid PPS and IPOS of each listed patient are picked by the database, reading
only the listed patients, in a number of queries that does not grow with the
number of patients (PostgreSQL: DISTINCT ON; SQLite: ROW_NUMBER)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.assessments import services as assessments
from hearth.assessments.models import AssessmentResponse
from hearth.assessments.queries import latest_ipos_by_patient
from hearth.conftest import World, patient_details
from hearth.core import clock
from hearth.core.latest import first_per_group
from hearth.monitoring.receivers import worklist_columns
from hearth.patients.models import Patient


def _column(columns: list[Any], key: str) -> dict[int, dict[str, Any]]:
    return next(column for column in columns if column.key == key).cells


def _scores(world: World, patient: Patient, instrument: str, totals: list[int]) -> None:
    """One response per total, a day apart, the last the newest."""
    now = clock.now()
    AssessmentResponse.objects.bulk_create(
        AssessmentResponse(
            patient=patient,
            instrument=instrument,
            answers={"level": total},
            total=total,
            completed_by="professional",
            assessed_at=now - timedelta(days=len(totals) - n),
            recorded_by=world.nurse,
        )
        for n, total in enumerate(totals)
    )


def _patients(count: int) -> list[Patient]:
    return Patient.objects.bulk_create(
        Patient(**patient_details(f"W-{n}", given_name=f"Person{n}")) for n in range(count)
    )


def test_it_shows_the_newest_pps_of_each_listed_patient(active: World) -> None:
    _scores(active, active.patient, "pps", [70, 60, 40])
    _scores(active, active.other_patient, "pps", [30, 50])
    cells = _column(worklist_columns([active.patient.pk, active.other_patient.pk]), "pps")
    assert cells[active.patient.pk]["text"] == "40%"
    assert cells[active.other_patient.pk]["text"] == "50%"
    # Only the listed patients are read.
    assert set(_column(worklist_columns([active.patient.pk]), "pps")) == {active.patient.pk}


def test_it_skips_a_pps_entered_in_error(active: World) -> None:
    _scores(active, active.patient, "pps", [60])
    wrong = assessments.record_assessment(
        actor=active.nurse, patient=active.patient, instrument="pps", answers={"level": 10}
    )
    assert _column(worklist_columns([active.patient.pk]), "pps")[active.patient.pk]["text"] == (
        "10%"
    )
    assessments.mark_entered_in_error(actor=active.nurse, response=wrong, reason="Wrong patient.")
    assert _column(worklist_columns([active.patient.pk]), "pps")[active.patient.pk]["text"] == (
        "60%"
    )


def test_the_same_moment_twice_picks_the_one_recorded_last(active: World) -> None:
    moment = clock.now() - timedelta(hours=1)
    first, second = AssessmentResponse.objects.bulk_create(
        AssessmentResponse(
            patient=active.patient,
            instrument="pps",
            total=total,
            completed_by="professional",
            assessed_at=moment,
            recorded_by=active.nurse,
        )
        for total in (50, 30)
    )
    picked = first_per_group(
        AssessmentResponse.objects.filter(patient=active.patient),
        group_by="patient_id",
        order_by=("-assessed_at", "-id"),
    )
    assert [row.pk for row in picked] == [max(first.pk, second.pk)]


def test_the_newest_ipos_of_each_patient_patient_or_staff_version(active: World) -> None:
    _scores(active, active.patient, "ipos_patient", [12, 9])
    _scores(active, active.other_patient, "ipos_staff", [4])
    _scores(active, active.other_patient, "pps", [40])
    latest = latest_ipos_by_patient([active.patient.pk, active.other_patient.pk])
    assert latest[active.patient.pk].total == 9
    assert latest[active.other_patient.pk].instrument == "ipos_staff"


def test_the_columns_cost_the_same_queries_for_1_or_20_patients(active: World) -> None:
    many = _patients(19)
    for n, patient in enumerate([active.patient, *many]):
        _scores(active, patient, "pps", [80, 70 - n])
    with CaptureQueriesContext(connection) as one:
        worklist_columns([active.patient.pk])
        latest_ipos_by_patient([active.patient.pk])
    ids = [active.patient.pk, *(patient.pk for patient in many)]
    with CaptureQueriesContext(connection) as twenty:
        cells = _column(worklist_columns(ids), "pps")
        latest_ipos_by_patient(ids)
    assert len(one.captured_queries) == len(twenty.captured_queries)
    assert len(cells) == 20
    assert cells[many[-1].pk]["text"] == "51%"
