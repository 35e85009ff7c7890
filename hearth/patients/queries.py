"""Reads that are more than one line, already filtered to what the actor may see."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest

from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.core.pagination import Page, page_of
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
class WorklistOrdering:
    """A higher app's say in who comes first on the worklist, asked of the
    database so page 1 holds the most urgent patients of the whole caseload
    (sorting one page in Python would hide an urgent patient on page 3).

    ``annotate`` adds the sort fields to the patients query (e.g. the rank of
    the most urgent open alert as a subquery); ``order_by`` names them
    (``"-alert_rank"``). Every field must be non-null (coalesce a default), as
    the API's cursor compares them."""

    annotate: Callable[[QuerySet[Patient]], QuerySet[Patient]]
    order_by: tuple[str, ...]


_worklist_orderings: list[WorklistOrdering] = []


def register_worklist_ordering(ordering: WorklistOrdering) -> None:
    """Higher apps (monitoring: open alerts) register how they sort the
    worklist at start-up; the first registered sorts first."""
    if ordering not in _worklist_orderings:
        _worklist_orderings.append(ordering)


def worklist_order() -> tuple[str, ...]:
    """The worklist's sort key: each app's fields, then name, then id (unique,
    so a cursor never skips or repeats a patient)."""
    extra = tuple(term for ordering in _worklist_orderings for term in ordering.order_by)
    return (*extra, "family_name", "given_name", "id")


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
    """The rows plus the (key, title) of the extra columns higher apps added,
    and (on pages) the page navigation."""

    columns: list[tuple[str, Any]]
    page: Page[Any] | None = None


def worklist_patients(
    actor: Any, *, state: str | None = None, mine_only: bool = False, search: str = ""
) -> QuerySet[Patient]:
    """Everyone the actor may see, filtered and sorted in the database (most
    urgent first, then by name), not yet read: the page or cursor slices it."""
    # ``pk IN (visible)`` rather than the visible query itself: no duplicate
    # rows whatever joins the access rule uses, so no DISTINCT over the service.
    patients: QuerySet[Patient] = Patient.objects.filter(
        pk__in=access.patients_visible_to(actor).values("pk")
    )
    if mine_only:
        patients = patients.filter(
            pk__in=CareTeamAssignment.objects.filter(
                staff_id=actor.pk, ended_at__isnull=True
            ).values("patient_id")
        )
    if search:
        patients = patients.filter(
            Q(family_name__icontains=search)
            | Q(given_name__icontains=search)
            | Q(record_number__icontains=search)
        )
    if state:
        # The current episode is the newest one (``Patient.current_episode``).
        newest_state = (
            Episode.objects.filter(patient=OuterRef("pk"))
            .order_by("-opened_at")
            .values("state")[:1]
        )
        patients = patients.alias(current_episode_state=Subquery(newest_state)).filter(
            current_episode_state=state
        )
    for ordering in _worklist_orderings:
        patients = ordering.annotate(patients)
    return patients.order_by(*worklist_order()).prefetch_related(
        # Prefetches run on the rows read, so only for the page shown.
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


def worklist_rows(actor: Any, patients: Sequence[Patient]) -> Worklist:
    """The rows for the patients on one page, in their order: extra columns
    computed for these patients only, and each of them audited as listed (one
    insert), so "who looked" stays per patient without a row per patient in
    the service."""
    ids = [patient.pk for patient in patients]
    emergency_ids = (
        set(
            EmergencyAccess.objects.in_force()
            .filter(user=actor, patient_id__in=ids)
            .values_list("patient_id", flat=True)
        )
        if access.is_staff(actor) and ids
        else set()
    )
    # With no patients the extensions still name their columns (the table's
    # headings) and Django answers ``IN ()`` without a query.
    columns = [column for extension in _worklist_extensions for column in extension(ids)]
    today = clock.today()
    result = Worklist()
    for patient in patients:
        episode = patient.current_episode
        diagnosis = patient.primary_diagnosis
        result.append(
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
                extra=tuple((column.title, column.cells.get(patient.pk)) for column in columns),
            )
        )
    result.columns = [(column.key, column.title) for column in columns]
    audit.record_list_view(
        actor=actor, event_type=AuditEventType.WORKLIST_LISTED, patients=patients
    )
    return result


def worklist(
    actor: Any,
    *,
    state: str | None = None,
    mine_only: bool = False,
    search: str = "",
    request: HttpRequest | None = None,
    per_page: int | None = None,
) -> Worklist:
    """ "My patients", one page of them (``?page=`` of ``request``, else the
    first), in a constant number of queries whatever the caseload.

    Rows with the most urgent open alert come first across the whole
    caseload (when the monitoring app adds that ordering), then by name. Each
    patient shown is written to the audit trail as listed."""
    patients = worklist_patients(actor, state=state, mine_only=mine_only, search=search)
    if request is None:
        request = HttpRequest()
    page = page_of(request, patients, per_page=per_page)
    result = worklist_rows(actor, page.items)
    result.page = page
    return result


def care_team(patient: Patient) -> QuerySet[CareTeamAssignment]:
    return patient.care_team.current().select_related("staff").order_by("role", "id")


#: Newest first, ``id`` breaking ties: the order of the timeline and the audit trail.
EVENT_ORDER = ("-occurred_at", "-id")


def timeline_events(patient: Patient) -> QuerySet[AuditEvent]:
    """What happened to this person's record: writes only, newest first,
    unsliced (a page or a cursor takes what it shows)."""
    return (
        AuditEvent.objects.for_patient(patient.pk)
        .writes()
        .select_related(None)
        .order_by(*EVENT_ORDER)
    )


def timeline(patient: Patient, *, limit: int = 200) -> QuerySet[AuditEvent]:
    """The newest ``limit`` writes (the record page's short history)."""
    return timeline_events(patient)[:limit]


def audit_trail_events(patient: Patient) -> QuerySet[AuditEvent]:
    """Every read and write, newest first, for the administrator's "who looked
    at this record"; unsliced, so the page can reach the oldest event."""
    return AuditEvent.objects.for_patient(patient.pk).order_by(*EVENT_ORDER)


def audit_trail(patient: Patient, *, limit: int = 500) -> QuerySet[AuditEvent]:
    return audit_trail_events(patient)[:limit]


def commission_queue_rows(actor: Any) -> QuerySet[Episode]:
    """Episodes waiting for the commission, oldest referral first, not yet
    audited: the caller audits the rows it shows (``audit_commission_queue``).

    An episode whose decision in force granted care is no longer waiting for
    the commission (it waits for admission), so it leaves the queue; a
    deferred one stays, because the commission has to decide again."""
    decision_in_force = CommissionDecision.objects.filter(episode=OuterRef("pk")).order_by(
        "-signed_at", "-id"
    )
    return (
        Episode.objects.filter(state=EpisodeState.AWAITING_COMMISSION)
        .filter(patient__in=access.patients_visible_to(actor))
        .annotate(outcome_in_force=Subquery(decision_in_force.values("outcome")[:1]))
        .filter(Q(outcome_in_force__isnull=True) | ~Q(outcome_in_force=CommissionOutcome.GRANTED))
        .select_related("patient", "referral")
        .order_by("opened_at", "id")
    )


def audit_commission_queue(actor: Any, episodes: Sequence[Episode]) -> None:
    """One list-view event per patient whose episode ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.COMMISSION_QUEUE_LISTED,
        patients=[e.patient for e in episodes],
    )


def commission_queue(actor: Any) -> list[Episode]:
    """The whole queue, audited as listed (the commission's page)."""
    episodes = list(commission_queue_rows(actor))
    audit_commission_queue(actor, episodes)
    return episodes


def emergency_access_for_review() -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.awaiting_review().select_related("user", "patient")
