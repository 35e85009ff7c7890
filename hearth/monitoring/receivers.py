"""How monitoring hears about lower apps: scores recorded, and the worklist columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Min
from django.utils.translation import gettext as _

from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.monitoring import evaluation
from hearth.monitoring.choices import SEVERITY_RANK, Severity
from hearth.monitoring.models import Alert
from hearth.patients.queries import WorklistColumn


def evaluate_assessment(
    sender: Any, response: AssessmentResponse, actor: Any, **kwargs: Any
) -> None:
    if response.instrument == instruments.ESAS_R.code:
        evaluation.evaluate_esas(response, actor)
    definition = response.definition
    if definition is not None and definition.about_caregiver:
        evaluation.evaluate_caregiver_strain(response, actor)


def worklist_columns(patient_ids: Sequence[int]) -> list[WorklistColumn]:
    """Open alerts (worst severity, oldest first), current phase and latest PPS,
    in three queries whatever the number of patients."""
    worst: dict[int, tuple[int, Any, int]] = {}
    rows = (
        Alert.objects.open()
        .filter(patient_id__in=patient_ids)
        .values("patient_id", "severity")
        .annotate(oldest=Min("raised_at"), count=Count("id"))
    )
    for row in rows:
        rank = SEVERITY_RANK[row["severity"]]
        current = worst.get(row["patient_id"])
        count = (current[2] if current else 0) + row["count"]
        if (
            current is None
            or rank > current[0]
            or (rank == current[0] and row["oldest"] < current[1])
        ):
            worst[row["patient_id"]] = (rank, row["oldest"], count)
        else:
            worst[row["patient_id"]] = (current[0], current[1], count)
    phases = dict(
        PhaseOfIllness.objects.current()
        .filter(patient_id__in=patient_ids)
        .values_list("patient_id", "phase")
    )
    pps: dict[int, int | None] = {}
    for patient_id, total in (
        AssessmentResponse.objects.valid()
        .filter(patient_id__in=patient_ids, instrument="pps")
        .order_by("patient_id", "-assessed_at", "-id")
        .values_list("patient_id", "total")
    ):
        pps.setdefault(patient_id, total)
    from hearth.assessments.choices import Phase

    rank_to_severity = {rank: severity for severity, rank in SEVERITY_RANK.items()}
    alert_cells: dict[int, dict[str, Any]] = {}
    sort_keys: dict[int, tuple[Any, ...]] = {}
    for patient_id, (rank, oldest, count) in worst.items():
        severity = rank_to_severity[rank]
        alert_cells[patient_id] = {
            "text": _("%(count)d open (%(severity)s)")
            % {"count": count, "severity": Severity(severity).label.lower()},
            "css": f"alert-{severity}",
            "since": oldest,
        }
        sort_keys[patient_id] = (-rank, oldest.timestamp())
    return [
        WorklistColumn(
            key="alerts",
            title=_("Open alerts"),
            cells=alert_cells,
            sort_keys=sort_keys,
        ),
        WorklistColumn(
            key="phase",
            title=_("Phase"),
            cells={
                pid: {"text": Phase(phase).label, "css": f"phase-{phase}"}
                for pid, phase in phases.items()
            },
        ),
        WorklistColumn(
            key="pps",
            title=_("Latest PPS"),
            cells={
                pid: {"text": f"{value}%", "css": ""}
                for pid, value in pps.items()
                if value is not None
            },
        ),
    ]
