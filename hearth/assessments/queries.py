"""Reads of scored instruments that more than one page needs: the latest IPOS
for the symptoms page and, for every patient at once, for the worklist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse
from hearth.core import dates
from hearth.core.latest import first_per_group
from hearth.patients.models import Patient
from hearth.patients.queries import WorklistColumn


@dataclass(frozen=True)
class SubscaleSum:
    key: str
    label: str
    value: int | None
    maximum: int
    #: Items of this subscale a proxy could not assess (left out of the sum).
    not_assessed: int


@dataclass(frozen=True)
class IposSummary:
    """What a clinician needs from the latest IPOS at a glance: when, which
    version, the three subscale sums (no single cut-off exists) and the items
    of concern (scored 3 or 4)."""

    response: AssessmentResponse
    assessed_at: datetime
    version: str
    subscales: tuple[SubscaleSum, ...]
    concerns: tuple[str, ...]
    not_assessed: int
    partial: bool

    def short_text(self) -> str:
        """One line for the worklist: date, sums, concerns."""
        sums = " · ".join(
            f"{s.label} {'—' if s.value is None else s.value}/{s.maximum}" for s in self.subscales
        )
        when = dates.date_format(timezone.localtime(self.assessed_at), "j M")
        text = f"{when} · {sums}"
        if self.not_assessed:
            text += " · " + _("%(count)d not assessable") % {"count": self.not_assessed}
        if self.concerns:
            text += " · " + _("concerns: %(items)s") % {"items": ", ".join(self.concerns)}
        return text


def ipos_summary(response: AssessmentResponse) -> IposSummary:
    definition = response.definition
    if definition is None:  # pragma: no cover - the codes are the registry's own
        raise ValueError(response.instrument)
    cannot = set(response.not_assessed or ())
    sums = tuple(
        SubscaleSum(
            key=subscale.key,
            label=str(subscale.label),
            value=response.subscores.get(subscale.key),
            maximum=sum(item.maximum for item in definition.items if item.key in subscale.items),
            not_assessed=len(cannot & set(subscale.items)),
        )
        for subscale in definition.subscales
    )
    return IposSummary(
        response=response,
        assessed_at=response.assessed_at,
        version=str(_("staff") if response.instrument == "ipos_staff" else _("patient")),
        subscales=sums,
        concerns=tuple(response.concern_labels()),
        not_assessed=len(cannot),
        partial=response.partial,
    )


def latest_ipos(patient: Patient) -> AssessmentResponse | None:
    """The newest IPOS, patient or staff version, not entered in error."""
    return (
        AssessmentResponse.objects.valid()
        .for_patient(patient)
        .filter(instrument__in=instruments.IPOS_CODES)
        .order_by("-assessed_at", "-id")
        .first()
    )


def latest_ipos_by_patient(patient_ids: Sequence[int]) -> dict[int, AssessmentResponse]:
    """The newest valid IPOS (patient or staff version) of each listed patient,
    in one query whatever their number, reading only their rows: the database
    keeps one per patient (``DISTINCT ON`` on PostgreSQL, ``ROW_NUMBER`` on
    SQLite) instead of a correlated sub-query per row (issue 21)."""
    rows = first_per_group(
        AssessmentResponse.objects.valid().filter(
            patient_id__in=list(patient_ids), instrument__in=instruments.IPOS_CODES
        ),
        group_by="patient_id",
        order_by=("-assessed_at", "-id"),
    )
    return {row.patient_id: row for row in rows}


def ipos_worklist_columns(patient_ids: Sequence[int]) -> list[WorklistColumn]:
    """The latest IPOS beside the other symptom columns: one query."""
    cells: dict[int, dict[str, Any]] = {}
    for patient_id, response in latest_ipos_by_patient(patient_ids).items():
        summary = ipos_summary(response)
        cells[patient_id] = {
            "text": summary.short_text(),
            "css": "alert-medium" if summary.concerns else "",
        }
    return [WorklistColumn(key="ipos", title=_("Latest IPOS"), cells=cells)]
