"""The directory JSON API: the same services, queries and rules as the pages.

Everyone signed in may search the directory (public information); the
coordinator, social workers and the administrator maintain it. Next steps are
health data: opened through the patient (``access_patient_for``), so another
family gets 404 and staff outside the caseload 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.core.validation import require_perm
from hearth.directory import queries, services
from hearth.directory.choices import ALL_REGIONS
from hearth.directory.models import DirectoryEntry, NextStep, Region
from hearth.directory.schemas import (
    EntryIn,
    EntryOut,
    EntryPageOut,
    EntryPatch,
    NextStepIn,
    NextStepOut,
    NextStepPatch,
    RegionIn,
    RegionOut,
    RegionPatch,
    SearchQuery,
)
from hearth.patients import access
from hearth.patients.models import Patient

router = Router(tags=["directory"])

SEARCH = "directory.search_directory"
VIEW_STEPS = "directory.view_next_steps"


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _searcher(request: HttpRequest) -> Any:
    actor = actor_of(request)
    require_perm(actor, SEARCH)
    return actor


def _entry(request: HttpRequest, entry_id: UUID) -> DirectoryEntry:
    actor = _searcher(request)
    found = queries.entry(
        entry_id, include_retired=actor.has_perm("directory.view_retired_entries")
    )
    if found is None:
        raise NotFound(_("No directory entry with that identifier."))
    return found


def _region(region_id: UUID) -> Region:
    found = Region.objects.filter(external_id=region_id).first()
    if found is None:
        raise NotFound(_("No area with that identifier."))
    return found


def _check_filters(filters: SearchQuery) -> None:
    if (
        filters.region
        and filters.region != ALL_REGIONS
        and not Region.objects.filter(code=filters.region).exists()
    ):
        raise _refused("region", _("No area with that code."))
    if filters.language and filters.language not in queries.LANGUAGE_CODES:
        raise _refused("language", _("Not a known language code."))


# --- Areas ----------------------------------------------------------------------------


@router.get("/directory/regions", response={200: list[RegionOut], **ERROR_RESPONSES})
def list_regions(request: HttpRequest) -> Any:
    """The service areas an entry may serve (those in use)."""
    _searcher(request)
    return list(Region.objects.active())


@router.post("/directory/regions", response={201: RegionOut, **ERROR_RESPONSES})
def create_region(request: HttpRequest, payload: RegionIn) -> Any:
    return Status(
        201, services.create_region(actor=actor_of(request), name=payload.name, code=payload.code)
    )


@router.patch("/directory/regions/{region_id}", response={200: RegionOut, **ERROR_RESPONSES})
def update_region(request: HttpRequest, region_id: UUID, payload: RegionPatch) -> Any:
    actor = actor_of(request)
    services.require_maintainer(actor)
    return services.update_region(
        actor=actor, region=_region(region_id), changes=payload.model_dump(exclude_unset=True)
    )


# --- Entries --------------------------------------------------------------------------


@router.get("/directory/entries", response={200: EntryPageOut, **ERROR_RESPONSES})
def search_entries(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    """Search: every word of ``text`` must match; ``region`` gives the area's
    entries and those serving every area. 20 a page, exact name first."""
    actor = _searcher(request)
    _check_filters(filters)
    found = queries.search_page(
        page=filters.page,
        text=filters.text,
        region=filters.region,
        language=filters.language,
        category=filters.category,
        topic=filters.topic,
        include_retired=filters.include_retired
        and actor.has_perm("directory.view_retired_entries"),
    )
    return {
        "count": found.count,
        "page": found.number,
        "pages": found.pages,
        "items": found.entries,
    }


@router.post("/directory/entries", response={201: EntryOut, **ERROR_RESPONSES})
def create_entry(request: HttpRequest, payload: EntryIn) -> Any:
    return Status(201, services.create_entry(actor=actor_of(request), **payload.model_dump()))


@router.get("/directory/entries/{entry_id}", response={200: EntryOut, **ERROR_RESPONSES})
def get_entry(request: HttpRequest, entry_id: UUID) -> Any:
    return _entry(request, entry_id)


@router.patch("/directory/entries/{entry_id}", response={200: EntryOut, **ERROR_RESPONSES})
def update_entry(request: HttpRequest, entry_id: UUID, payload: EntryPatch) -> Any:
    """Change fields; ``reviewed: true`` records that the details were checked;
    ``active: false`` retires the entry (with ``retired_reason``), ``true`` lists
    it again."""
    actor = actor_of(request)
    services.require_maintainer(actor)
    entry = _entry(request, entry_id)
    data = payload.model_dump(exclude_unset=True)
    reviewed = bool(data.pop("reviewed", False))
    active = data.pop("active", None)
    reason = data.pop("retired_reason", "")
    with transaction.atomic():
        if active is True and not entry.active:
            entry = services.reinstate_entry(actor=actor, entry=entry)
        if data or reviewed:
            entry = services.update_entry(actor=actor, entry=entry, changes=data, reviewed=reviewed)
        if active is False and entry.active:
            entry = services.retire_entry(actor=actor, entry=entry, reason=reason)
    found = queries.entry(entry.external_id, include_retired=True)
    assert found is not None
    return found


# --- Next steps -----------------------------------------------------------------------


def _patient(request: HttpRequest, patient_id: UUID, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _step(request: HttpRequest, step_id: UUID) -> NextStep:
    step = queries.next_step(step_id)
    if step is None:
        raise NotFound(_("Not found."))
    _patient(request, step.patient.external_id, "directory.mark_next_step_done")
    return step


@router.get(
    "/patients/{patient_id}/next-steps",
    response={200: CursorPage.of(NextStepOut), **ERROR_RESPONSES},
)
def list_next_steps(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """The family's next steps: to do first, then done, then no longer needed,
    a page at a time."""
    patient = _patient(request, patient_id, VIEW_STEPS, read=AuditEventType.NEXT_STEPS_VIEWED)
    return cursor_page(
        request,
        queries.next_step_rows(patient),
        list_name="next-steps",
        ordering=queries.NEXT_STEP_ORDER,
        paging=paging,
    ).answer()


@router.post("/patients/{patient_id}/next-steps", response={201: NextStepOut, **ERROR_RESPONSES})
def add_next_step(request: HttpRequest, patient_id: UUID, payload: NextStepIn) -> Any:
    patient = _patient(request, patient_id, "directory.add_next_step")
    entry = DirectoryEntry.objects.filter(external_id=payload.entry_id).first()
    if entry is None:
        raise _refused("entry_id", _("No directory entry with that identifier."))
    step = services.add_next_step(
        actor=actor_of(request), patient=patient, entry=entry, note=payload.note
    )
    return Status(201, queries.next_step(step.external_id))


@router.patch("/next-steps/{step_id}", response={200: NextStepOut, **ERROR_RESPONSES})
def update_next_step(request: HttpRequest, step_id: UUID, payload: NextStepPatch) -> Any:
    """The team: note and status. The family: status done or to do."""
    step = _step(request, step_id)
    services.update_next_step(
        actor=actor_of(request), step=step, changes=payload.model_dump(exclude_unset=True)
    )
    return queries.next_step(step.external_id)
