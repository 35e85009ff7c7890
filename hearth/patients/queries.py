"""Reads that are more than one line, already filtered to what the actor may see."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.patients import access
from hearth.patients.choices import CommissionOutcome, EpisodeState
from hearth.patients.models import (
    CareTeamAssignment,
    CommissionDecision,
    Diagnosis,
    EmergencyAccess,
    Episode,
    Patient,
)


@dataclass
class WorklistColumn:
    """A column a higher app adds to the worklist (open alerts, phase, PPS):
    ``cells`` maps patient pk to ``{"text": ..., "css": ...}``; ``sort_keys``, if
    given, orders the rows (patients without a key come after, by name)."""

    key: str
    title: Any
    cells: dict[int, dict[str, Any]]
    sort_keys: dict[int, tuple[Any, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A cell's text goes into the API's ``str`` schema as well as the page:
        # a lazy translation (a choice's ``label``) is a 500 there, so every
        # text is made a plain string in the language of the request here.
        for cell in self.cells.values():
            if cell.get("text") is not None:
                cell["text"] = str(cell["text"])


WorklistExtension = Callable[[Sequence[int]], list[WorklistColumn]]
_worklist_extensions: list[WorklistExtension] = []
_worklist_order: dict[WorklistExtension, int] = {}


def register_worklist_extension(extension: WorklistExtension, *, order: int = 0) -> None:
    """Higher apps add columns here at start-up, so this app imports none of them.
    Columns come in ``order`` (then in the order the apps start): a prompt that
    can wait (a care plan review, ``order=10``) after the open alerts."""
    if extension not in _worklist_extensions:
        _worklist_order[extension] = order
        _worklist_extensions.append(extension)
        _worklist_extensions.sort(key=lambda item: _worklist_order[item])


@dataclass(frozen=True)
class WorklistRow:
    id: UUID
    name: str
    record_number: str
    diagnosis_group: str | None
    diagnosis_group_label: str | None
    episode_state: str | None
    episode_state_label: str | None
    days_since_admission: int | None
    next_review_date: date | None
    emergency_access: bool
    #: (column title, cell or None) for each column other apps add.
    extra: tuple[tuple[Any, dict[str, Any] | None], ...] = ()


class Worklist(list[WorklistRow]):
    """The rows plus the (key, title) of the extra columns higher apps added."""

    columns: list[tuple[str, Any]]


def worklist(
    actor: Any, *, state: str | None = None, mine_only: bool = False, search: str = ""
) -> Worklist:
    """ "My patients": everyone the actor may see, in a constant number of queries.

    Rows with the most urgent open alert come first (when the monitoring app
    adds that column), then by name. Each patient shown is written to the
    audit trail as listed.
    """
    patients = access.patients_visible_to(actor).prefetch_related(
        Prefetch(
            "episodes",
            queryset=Episode.objects.order_by("-opened_at").prefetch_related(
                "commission_decisions"
            ),
            to_attr="episodes_newest_first",
        ),
        Prefetch(
            "diagnoses",
            queryset=Diagnosis.objects.current().order_by("-is_primary", "id"),
            to_attr="active_diagnoses",
        ),
    )
    if mine_only:
        patients = patients.filter(care_team__staff=actor, care_team__ended_at__isnull=True)
    if search:
        from django.db.models import Q

        patients = patients.filter(
            Q(family_name__icontains=search)
            | Q(given_name__icontains=search)
            | Q(record_number__icontains=search)
        )
    emergency_ids = (
        set(
            EmergencyAccess.objects.in_force()
            .filter(user=actor)
            .values_list("patient_id", flat=True)
        )
        if access.is_staff(actor)
        else set()
    )
    today = clock.today()
    rows: list[WorklistRow] = []
    shown: list[Patient] = []
    for patient in patients.distinct():
        episode = patient.current_episode
        if state and (episode is None or episode.state != state):
            continue
        diagnosis = patient.primary_diagnosis
        rows.append(
            WorklistRow(
                id=patient.external_id,
                name=patient.full_name,
                record_number=patient.record_number,
                diagnosis_group=diagnosis.group if diagnosis else None,
                diagnosis_group_label=diagnosis.get_group_display() if diagnosis else None,
                episode_state=episode.state if episode else None,
                episode_state_label=episode.get_stage_display() if episode else None,
                days_since_admission=episode.days_since_admission(today) if episode else None,
                next_review_date=episode.next_review_date if episode else None,
                emergency_access=patient.pk in emergency_ids,
            )
        )
        shown.append(patient)
    ids = [patient.pk for patient in shown]
    columns = [column for extension in _worklist_extensions for column in extension(ids)]
    rows = [
        dataclasses.replace(
            row, extra=tuple((column.title, column.cells.get(pk)) for column in columns)
        )
        for row, pk in zip(rows, ids, strict=True)
    ]
    keys = {pk: key for column in columns for pk, key in column.sort_keys.items()}
    order = sorted(
        range(len(rows)),
        key=lambda index: (0, keys[ids[index]]) if ids[index] in keys else (1, ()),
    )
    result = Worklist(rows[index] for index in order)
    result.columns = [(column.key, column.title) for column in columns]
    audit.record_list_view(actor=actor, event_type=AuditEventType.WORKLIST_LISTED, patients=shown)
    return result


def care_team(patient: Patient) -> QuerySet[CareTeamAssignment]:
    return patient.care_team.current().select_related("staff").order_by("role", "id")


def timeline(patient: Patient, *, limit: int = 200) -> QuerySet[AuditEvent]:
    """What happened to this person's record: writes only, newest first."""
    return AuditEvent.objects.for_patient(patient.pk).writes().select_related(None)[:limit]


def audit_trail(patient: Patient, *, limit: int = 500) -> QuerySet[AuditEvent]:
    """Every read and write, for the administrator's "who looked at this record"."""
    return AuditEvent.objects.for_patient(patient.pk)[:limit]


def commission_queue(actor: Any) -> list[Episode]:
    """Episodes waiting for the commission, oldest referral first (audited as listed).

    An episode whose decision in force granted care is no longer waiting for
    the commission (it waits for admission), so it leaves the queue; a
    deferred one stays, because the commission has to decide again."""
    decision_in_force = CommissionDecision.objects.filter(episode=OuterRef("pk")).order_by(
        "-signed_at", "-id"
    )
    episodes = list(
        Episode.objects.filter(state=EpisodeState.AWAITING_COMMISSION)
        .filter(patient__in=access.patients_visible_to(actor))
        .annotate(outcome_in_force=Subquery(decision_in_force.values("outcome")[:1]))
        .filter(Q(outcome_in_force__isnull=True) | ~Q(outcome_in_force=CommissionOutcome.GRANTED))
        .select_related("patient", "referral")
        .order_by("opened_at")
    )
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.COMMISSION_QUEUE_LISTED,
        patients=[e.patient for e in episodes],
    )
    return episodes


def emergency_access_for_review() -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.awaiting_review().select_related("user", "patient")
