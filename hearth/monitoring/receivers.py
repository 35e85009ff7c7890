"""How monitoring hears about lower apps: scores recorded, and the worklist columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Min
from django.utils.translation import gettext as _

from hearth.assessments import instruments
from hearth.assessments.choices import Phase
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.core.latest import first_per_group
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
    in three queries whatever the number of patients, each reading only the
    listed patients' rows (the current phase is one row per patient by a
    constraint; the latest PPS is picked by the database)."""
    counts: dict[int, int] = {}
    #: patient → ((-rank, oldest), severity): the most severe, then the oldest, wins.
    worst: dict[int, tuple[tuple[int, Any], str]] = {}
    rows = (
        Alert.objects.open()
        .filter(patient_id__in=patient_ids)
        .values("patient_id", "severity")
        .annotate(oldest=Min("raised_at"), count=Count("id"))
    )
    for row in rows:
        patient_id = row["patient_id"]
        counts[patient_id] = counts.get(patient_id, 0) + row["count"]
        key = (-SEVERITY_RANK[row["severity"]], row["oldest"])
        if patient_id not in worst or key < worst[patient_id][0]:
            worst[patient_id] = (key, row["severity"])
    phases = dict(
        PhaseOfIllness.objects.current()
        .filter(patient_id__in=patient_ids)
        .values_list("patient_id", "phase")
    )
    # The newest valid PPS of each listed patient only, picked by the database
    # (DISTINCT ON / ROW_NUMBER over the (patient, instrument, time) index):
    # never every PPS of every patient (issue 21; hazard L13).
    pps: dict[int, int | None] = dict(
        first_per_group(
            AssessmentResponse.objects.valid().filter(
                patient_id__in=list(patient_ids), instrument="pps"
            ),
            group_by="patient_id",
            order_by=("-assessed_at", "-id"),
        ).values_list("patient_id", "total")
    )
    alert_cells = {
        patient_id: {
            "text": _("%(count)d open (%(severity)s)")
            % {"count": counts[patient_id], "severity": Severity(severity).label.lower()},
            "css": f"alert-{severity}",
        }
        for patient_id, (_key, severity) in worst.items()
    }
    sort_keys = {
        patient_id: (rank, oldest.timestamp())
        for patient_id, ((rank, oldest), _severity) in worst.items()
    }
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
                pid: {"text": str(Phase(phase).label), "css": f"phase-{phase}"}
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


def close_alerts_at_care_end(sender: Any, actor: Any, episode: Any, **kwargs: Any) -> None:
    """A death or a discharge: open alerts close (equipment ones go to the
    coordinator), in a savepoint so a failure here never undoes the death."""
    from django.utils.translation import gettext as _

    from hearth.monitoring import services
    from hearth.patients.signals import closing, summary_from

    summary = summary_from(kwargs)
    with closing(what=_("Open alerts"), actor=actor, episode=episode, summary=summary):
        services.close_alerts_at_care_end(actor=actor, episode=episode, summary=summary)
