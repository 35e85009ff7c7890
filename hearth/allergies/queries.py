"""Reads of a person's allergies: the summary every page and printout shows,
the full list for the allergies page, and a record's versions.

The caller has already opened the patient through ``hearth.patients.access``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from hearth.allergies.choices import (
    AllergyType,
    Certainty,
    ReactionSeverity,
    RecordStatus,
    SummaryStatus,
)
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies
from hearth.patients.models import Patient

_RELATED = (
    "substance",
    "recorded_by",
    "proposed_by",
    "decided_by",
    "entered_in_error_by",
)


def _entry(allergy: AllergyIntolerance) -> dict[str, Any]:
    return {
        "id": allergy.external_id,
        "substance": allergy.substance.code,
        "substance_label": allergy.substance_label,
        "substance_text": allergy.substance_text,
        "substance_kind": allergy.substance.kind,
        "type": allergy.type,
        "type_label": str(AllergyType(allergy.type).label),
        "reaction": allergy.reaction,
        "severity": allergy.severity or None,
        "severity_label": str(ReactionSeverity(allergy.severity).label)
        if allergy.severity
        else None,
        "certainty": allergy.certainty,
        "certainty_label": str(Certainty(allergy.certainty).label),
        "reported_by": allergy.reported_by,
        "reported_on": allergy.reported_on,
    }


def allergy_summary(patient: Patient) -> dict[str, Any]:
    """What every page and printout shows about allergies, as plain data:

    - ``status``: ``not_asked`` (nothing recorded, no "no known drug
      allergies"), ``none_known`` (only the statement) or ``listed``;
    - ``status_label``: the words to show for the status;
    - ``nkda_date`` / ``nkda_by``: the current "no known drug allergies"
      statement, if any (it can stand beside a non-drug allergy, e.g. latex);
    - ``entries``: the active allergies (not refuted, not entered in error),
      each with its substance label, type, reaction, severity and certainty;
    - ``proposed``: the family's proposals not yet answered by a clinician
      (shown as such, never counted at prescribing).
    """
    rows = list(
        AllergyIntolerance.objects.for_patient(patient)
        .filter(entered_in_error_at__isnull=True)
        .filter(status__in=[RecordStatus.RECORDED, RecordStatus.PROPOSED])
        .exclude(certainty=Certainty.REFUTED, status=RecordStatus.RECORDED)
        .select_related("substance")
        .order_by("-reported_on", "-pk")
    )
    entries = [_entry(row) for row in rows if row.status == RecordStatus.RECORDED]
    proposed = [_entry(row) for row in rows if row.status == RecordStatus.PROPOSED]
    statement = (
        NoKnownDrugAllergies.objects.current()
        .filter(patient=patient)
        .select_related("stated_by")
        .first()
    )
    if entries:
        status = SummaryStatus.LISTED
    elif statement is not None:
        status = SummaryStatus.NONE_KNOWN
    else:
        status = SummaryStatus.NOT_ASKED
    return {
        "status": str(status.value),
        "status_label": str(status.label),
        "nkda_date": statement.stated_at.date() if statement else None,
        "nkda_by": statement.stated_by.display_name if statement else None,
        "nkda_reported_by": statement.reported_by if statement else None,
        "entries": entries,
        "proposed": proposed,
    }


def allergies_for_page(patient: Patient) -> dict[str, Any]:
    """Every record, in groups: active, the family's proposals, answered
    proposals, refuted, entered in error; and every "no known drug allergies"
    statement, newest first."""
    rows = list(
        AllergyIntolerance.objects.for_patient(patient)
        .select_related(*_RELATED)
        .order_by("-reported_on", "-pk")
    )
    return {
        "active": [row for row in rows if row.is_active],
        "proposed": [row for row in rows if row.is_pending_proposal],
        "declined": [
            row
            for row in rows
            if row.status == RecordStatus.DECLINED and row.entered_in_error_at is None
        ],
        "refuted": [
            row
            for row in rows
            if row.status == RecordStatus.RECORDED
            and row.certainty == Certainty.REFUTED
            and row.entered_in_error_at is None
        ],
        "in_error": [row for row in rows if row.entered_in_error_at is not None],
        "statements": list(
            NoKnownDrugAllergies.objects.filter(patient=patient)
            .select_related("stated_by", "ended_by")
            .order_by("-stated_at", "-pk")
        ),
        "summary": allergy_summary(patient),
    }


@dataclass
class Version:
    """One version of a record: what it said, who wrote it and what changed."""

    number: int
    at: datetime
    by: str
    substance_label: str
    type_label: str
    reaction: str
    severity_label: str
    certainty_label: str
    status_label: str
    reported_by: str
    reported_on: date
    change_reason: str
    entered_in_error_reason: str
    changed: list[str]


_COMPARED = ("type", "reaction", "severity", "certainty", "status", "reported_by", "reported_on")


def history(allergy: AllergyIntolerance) -> list[Version]:
    """Every version, newest first (django-simple-history keeps them)."""
    rows = list(
        allergy.history.select_related("history_user").order_by("history_date", "history_id")  # type: ignore[attr-defined]
    )
    versions: list[Version] = []
    previous: Any = None
    for number, row in enumerate(rows, start=1):
        changed = (
            [name for name in _COMPARED if getattr(row, name) != getattr(previous, name)]
            if previous is not None
            else []
        )
        if previous is not None and row.entered_in_error_at and not previous.entered_in_error_at:
            changed.append("entered_in_error")
        versions.append(
            Version(
                number=number,
                at=row.history_date,
                by=row.history_user.display_name if row.history_user else "",
                substance_label=allergy.substance_label,
                type_label=str(AllergyType(row.type).label),
                reaction=row.reaction,
                severity_label=str(ReactionSeverity(row.severity).label) if row.severity else "",
                certainty_label=str(Certainty(row.certainty).label),
                status_label=(
                    _("entered in error")
                    if row.entered_in_error_at
                    else str(RecordStatus(row.status).label)
                ),
                reported_by=row.reported_by,
                reported_on=row.reported_on,
                change_reason=(
                    row.change_reason
                    if previous is None or row.change_reason != previous.change_reason
                    else ""
                ),
                entered_in_error_reason=row.entered_in_error_reason,
                changed=changed,
            )
        )
        previous = row
    versions.reverse()
    return versions
