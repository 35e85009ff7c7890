"""The profile over JSON: the same services and rules as the pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from ninja.responses import Status

from hearth.accounts.models import UserKind
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotFound
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.personhood import queries, services
from hearth.personhood.choices import Section
from hearth.personhood.models import SECTION_MODELS, LegacyItem, ProfileProposal, WeeklyWindow
from hearth.personhood.pdf import about_me_pdf
from hearth.personhood.schemas import (
    AcceptProposalIn,
    DeclineProposalIn,
    LegacyItemIn,
    LegacyItemOut,
    LegacyItemPatch,
    ProfileOut,
    ProposalIn,
    ProposalOut,
    SectionOut,
    SectionVersionOut,
    WeeklyWindowIn,
    WeeklyWindowOut,
)

router = Router(tags=["what matters to me"])


def open_profile(request: HttpRequest, patient_id: Any, *, read: str | None = None) -> Patient:
    """The family reaches the profile too; staff need the patient on their caseload."""
    return access.access_patient_for(
        actor_of(request), patient_id, "personhood.view_profile", read=read
    )


def _section_out(view: queries.SectionView, *, for_family: bool) -> dict[str, Any]:
    row = view.row
    content = row.content() if row else {}
    if for_family:
        content = {
            key: value
            for key, value in content.items()
            if key not in queries.CONFIDENTIAL_FROM_FAMILY
        }
    return {
        "section": view.key,
        "title": view.title,
        "recorded_by": row.recorded_by if row else None,
        "recorded_at": row.recorded_at if row else None,
        "content": content,
    }


@router.get("/patients/{patient_id}/profile", response={200: ProfileOut, **ERROR_RESPONSES})
def get_profile(request: HttpRequest, patient_id: UUID) -> Any:
    patient = open_profile(request, patient_id, read=AuditEventType.PROFILE_VIEWED)
    for_family = actor_of(request).kind == UserKind.FAMILY
    data = queries.profile(patient, for_family=for_family)
    return {
        "sections": [
            _section_out(view, for_family=for_family)
            for view in data["sections"]
            if view.key in SECTION_MODELS
        ],
        "weekly_windows": data["windows"],
        "legacy_items": data["legacy_items"],
        "proposals": data["proposals"],
    }


@router.get(
    "/patients/{patient_id}/profile/{section}/history",
    response={200: CursorPage.of(SectionVersionOut), **ERROR_RESPONSES},
)
def section_history(
    request: HttpRequest, patient_id: UUID, section: Section, paging: Query[CursorQuery]
) -> Any:
    """Every version of one section: who wrote what, when; newest first, a page
    at a time."""
    patient = open_profile(request, patient_id, read=AuditEventType.PROFILE_HISTORY_VIEWED)
    if section not in SECTION_MODELS:
        raise NotFound(_("This part of the profile is a list and has no versions."))
    page = cursor_page(
        request,
        queries.section_history_rows(patient, section),
        list_name=f"profile-history-{section}",
        ordering=queries.SECTION_HISTORY_ORDER,
        paging=paging,
    )
    versions = queries.section_versions(patient, section, page.items)
    if actor_of(request).kind == UserKind.FAMILY:
        for version in versions:
            for key in queries.CONFIDENTIAL_FROM_FAMILY:
                version.content.pop(key, None)
            version.changed = [
                name for name in version.changed if name not in queries.CONFIDENTIAL_FROM_FAMILY
            ]
    return {"items": versions, "next": page.next}


@router.put(
    "/patients/{patient_id}/profile/{section}", response={200: SectionOut, **ERROR_RESPONSES}
)
def update_section(
    request: HttpRequest, patient_id: UUID, section: Section, payload: Body[dict[str, Any]]
) -> Any:
    """Send only the fields that change; the others keep their value."""
    patient = open_profile(request, patient_id)
    row = services.update_section(
        actor=actor_of(request), patient=patient, section=section, changes=payload
    )
    return {
        "section": section,
        "title": str(Section(section).label),
        "recorded_by": row.recorded_by,
        "recorded_at": row.recorded_at,
        "content": row.content(),
    }


@router.post(
    "/patients/{patient_id}/weekly-windows", response={201: WeeklyWindowOut, **ERROR_RESPONSES}
)
def add_weekly_window(request: HttpRequest, patient_id: UUID, payload: WeeklyWindowIn) -> Any:
    patient = open_profile(request, patient_id)
    details = payload.model_dump()
    details["weekdays"] = [int(day) for day in details["weekdays"]]
    return Status(
        201, services.add_weekly_window(actor=actor_of(request), patient=patient, **details)
    )


@router.post(
    "/weekly-windows/{window_id}/remove", response={200: WeeklyWindowOut, **ERROR_RESPONSES}
)
def remove_weekly_window(request: HttpRequest, window_id: UUID) -> Any:
    window = get_by_external_id(WeeklyWindow, window_id, select=("patient",))
    open_profile(request, window.patient.external_id)
    return services.remove_weekly_window(actor=actor_of(request), window=window)


@router.post(
    "/patients/{patient_id}/legacy-items", response={201: LegacyItemOut, **ERROR_RESPONSES}
)
def add_legacy_item(request: HttpRequest, patient_id: UUID, payload: LegacyItemIn) -> Any:
    patient = open_profile(request, patient_id)
    return Status(
        201,
        services.add_legacy_item(actor=actor_of(request), patient=patient, **payload.model_dump()),
    )


@router.patch("/legacy-items/{item_id}", response={200: LegacyItemOut, **ERROR_RESPONSES})
def update_legacy_item(request: HttpRequest, item_id: UUID, payload: LegacyItemPatch) -> Any:
    item = get_by_external_id(LegacyItem, item_id, select=("patient",))
    open_profile(request, item.patient.external_id)
    return services.update_legacy_item(
        actor=actor_of(request), item=item, changes=payload.model_dump(exclude_unset=True)
    )


@router.get(
    "/patients/{patient_id}/profile-proposals",
    response={200: CursorPage.of(ProposalOut), **ERROR_RESPONSES},
)
def list_proposals(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Proposed changes to the profile, newest first, a page at a time."""
    patient = open_profile(request, patient_id, read=AuditEventType.PROFILE_PROPOSALS_VIEWED)
    return cursor_page(
        request,
        queries.proposals_for(patient),
        list_name="profile-proposals",
        ordering=("-proposed_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/profile-proposals", response={201: ProposalOut, **ERROR_RESPONSES}
)
def propose_change(request: HttpRequest, patient_id: UUID, payload: ProposalIn) -> Any:
    patient = open_profile(request, patient_id)
    return Status(
        201,
        services.propose_change(
            actor=actor_of(request), patient=patient, section=payload.section, text=payload.text
        ),
    )


def _proposal(request: HttpRequest, proposal_id: UUID) -> ProfileProposal:
    proposal = get_by_external_id(
        ProfileProposal, proposal_id, select=("patient", "proposed_by", "decided_by")
    )
    open_profile(request, proposal.patient.external_id)
    return proposal  # type: ignore[no-any-return]


@router.post(
    "/profile-proposals/{proposal_id}/accept", response={200: ProposalOut, **ERROR_RESPONSES}
)
def accept_proposal(request: HttpRequest, proposal_id: UUID, payload: AcceptProposalIn) -> Any:
    return services.accept_proposal(
        actor=actor_of(request),
        proposal=_proposal(request, proposal_id),
        changes=payload.changes,
        response=payload.response,
    )


@router.post(
    "/profile-proposals/{proposal_id}/decline", response={200: ProposalOut, **ERROR_RESPONSES}
)
def decline_proposal(request: HttpRequest, proposal_id: UUID, payload: DeclineProposalIn) -> Any:
    return services.decline_proposal(
        actor=actor_of(request), proposal=_proposal(request, proposal_id), response=payload.response
    )


@router.get("/patients/{patient_id}/about-me.pdf", response={200: None, **ERROR_RESPONSES})
def about_me(request: HttpRequest, patient_id: UUID) -> HttpResponse:
    """The one-page "About me" to print for the home and for each visit."""
    patient = open_profile(request, patient_id, read=AuditEventType.PROFILE_ABOUT_ME_PRINTED)
    return about_me_pdf(request, patient)
