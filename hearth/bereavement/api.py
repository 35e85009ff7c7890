"""The bereavement JSON API: the same services, queries and rules as the pages.

Staff: ``/bereavement/worklist``, ``/bereavement/risk-factors``,
``/patients/{id}/bereavement`` (read; ``POST`` starts a plan for a death
recorded before the app existed) and its writes. The family:
``/portal/bereavement`` (months and kinds of contacts only).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.models import Patient

from . import queries, services
from .choices import RiskFactor
from .models import BereavementContact, BereavementPlan, RiskScreen
from .schemas import (
    BereavementPlanOut,
    BereavementWorklistRowOut,
    ClosePlanIn,
    ConfirmIn,
    ContactIn,
    ContactOut,
    ContactOutcomeIn,
    ContactPatch,
    NotNeededIn,
    PortalBereavementOut,
    RiskFactorsOut,
    RiskScreenIn,
    ScreenOut,
)

router = Router(tags=["bereavement"])

VIEW = "bereavement.view_plan"
MANAGE = "bereavement.manage_plan"


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _plan(patient: Patient) -> BereavementPlan:
    plan = queries.plan_for(patient)
    if plan is None:
        raise NotFound(_("No bereavement plan: one is started when a death is recorded."))
    return plan


def _fresh(patient: Patient) -> BereavementPlan:
    return _plan(patient)


def _contact(request: HttpRequest, contact_id: UUID, perm: str) -> BereavementContact:
    contact = queries.contact_detail(contact_id)
    if contact is None:
        raise NotFound(_("Not found."))
    _open(request, contact.plan.patient.external_id, perm)
    return contact


def _contact_out(contact: BereavementContact) -> BereavementContact:
    found = queries.contact_detail(contact.external_id)
    assert found is not None
    return found


def _worklist_row_out(row: queries.WorklistRow) -> dict[str, Any]:
    return {
        "plan_id": row.plan.external_id,
        "patient_id": row.plan.patient.external_id,
        "patient_name": row.plan.patient.full_name,
        "record_number": row.plan.patient.record_number,
        "died_on": row.plan.died_on,
        "risk_level": row.plan.risk_level,
        "next_due": row.next_due,
        "overdue": row.overdue,
        "open_contacts": len(row.open_contacts),
    }


@router.get(
    "/bereavement/worklist",
    response={200: CursorPage.of(BereavementWorklistRowOut), **ERROR_RESPONSES},
)
def worklist(request: HttpRequest, paging: Query[CursorQuery], all: bool = False) -> Any:
    """Open plans with a contact overdue or due within seven days (``all``:
    every open plan) for the patients the caller may see, soonest first, a page
    at a time; only the patients of the page served are audited as listed."""
    actor = actor_of(request)
    if not actor.has_perm("bereavement.view_worklist"):
        raise NotAllowed(_("Your role does not allow this."))
    page = cursor_page(
        request,
        queries.worklist_plans(actor, everything=all),
        list_name="bereavement-worklist",
        ordering=queries.WORKLIST_ORDER,
        paging=paging,
    )
    rows = queries.worklist_rows(page.items)
    queries.audit_worklist(actor, rows)
    return {"items": [_worklist_row_out(row) for row in rows], "next": page.next}


@router.get("/bereavement/risk-factors", response={200: RiskFactorsOut, **ERROR_RESPONSES})
def risk_factors(request: HttpRequest) -> Any:
    """The factors a screen asks about and the service's banding rule."""
    if not actor_of(request).has_perm("bereavement.view_worklist"):
        raise NotAllowed(_("Your role does not allow this."))
    return {
        "factors": [{"code": code, "label": str(label)} for code, label in RiskFactor.choices],
        "banding": queries.risk_bands(),
        "high_risk_contact_days": queries.high_risk_contact_days(),
        "note": _(
            "The banding is the service's choice (how many factors make moderate or high "
            "risk), not a validated cut-off."
        ),
    }


@router.get(
    "/patients/{patient_id}/bereavement", response={200: BereavementPlanOut, **ERROR_RESPONSES}
)
def get_plan(request: HttpRequest, patient_id: UUID) -> Any:
    return _plan(_open(request, patient_id, VIEW, AuditEventType.BEREAVEMENT_PLAN_VIEWED))


@router.post(
    "/patients/{patient_id}/bereavement", response={201: BereavementPlanOut, **ERROR_RESPONSES}
)
def start_plan(request: HttpRequest, patient_id: UUID) -> Any:
    """Start the plan for a death recorded before this app existed (idempotent)."""
    patient = _open(request, patient_id, MANAGE)
    services.create_plan(actor=actor_of(request), patient=patient)
    return Status(201, _fresh(patient))


@router.post(
    "/patients/{patient_id}/bereavement/contacts", response={201: ContactOut, **ERROR_RESPONSES}
)
def add_contact(request: HttpRequest, patient_id: UUID, payload: ContactIn) -> Any:
    patient = _open(request, patient_id, MANAGE)
    contact = services.add_contact(
        actor=actor_of(request),
        plan=_plan(patient),
        due_on=payload.due_on,
        kind=payload.kind,
        relative_ids=payload.relative_ids,
        purpose=payload.purpose,
    )
    return Status(201, _contact_out(contact))


@router.patch("/bereavement/contacts/{contact_id}", response={200: ContactOut, **ERROR_RESPONSES})
def change_contact(request: HttpRequest, contact_id: UUID, payload: ContactPatch) -> Any:
    contact = _contact(request, contact_id, MANAGE)
    services.update_contact(
        actor=actor_of(request),
        contact=contact,
        due_on=payload.due_on,
        kind=payload.kind,
        relative_ids=payload.relative_ids,
        reason=payload.reason,
    )
    return _contact_out(contact)


@router.post(
    "/bereavement/contacts/{contact_id}/outcome", response={200: ContactOut, **ERROR_RESPONSES}
)
def record_contact(request: HttpRequest, contact_id: UUID, payload: ContactOutcomeIn) -> Any:
    contact = _contact(request, contact_id, MANAGE)
    services.record_contact(
        actor=actor_of(request),
        contact=contact,
        outcome=payload.outcome,
        note=payload.note,
        done_at=payload.done_at,
        relative_ids=payload.relative_ids,
        retry_on=payload.retry_on,
    )
    return _contact_out(contact)


@router.post(
    "/bereavement/contacts/{contact_id}/not-needed",
    response={200: ContactOut, **ERROR_RESPONSES},
)
def contact_not_needed(request: HttpRequest, contact_id: UUID, payload: NotNeededIn) -> Any:
    contact = _contact(request, contact_id, MANAGE)
    services.mark_contact_not_needed(
        actor=actor_of(request), contact=contact, reason=payload.reason
    )
    return _contact_out(contact)


@router.post(
    "/patients/{patient_id}/bereavement/risk-screens",
    response={201: ScreenOut, **ERROR_RESPONSES},
)
def record_risk_screen(request: HttpRequest, patient_id: UUID, payload: RiskScreenIn) -> Any:
    patient = _open(request, patient_id, "bereavement.screen_risk")
    screen = services.record_risk_screen(
        actor=actor_of(request),
        plan=_plan(patient),
        factors=[str(code) for code in payload.factors],
        relative_ids=payload.relative_ids,
        raised_to=payload.raised_to or "",
        note=payload.note,
        referred_to=payload.referred_to,
    )
    return Status(
        201, RiskScreen.objects.select_related("screened_by", "extra_contact").get(pk=screen.pk)
    )


@router.post(
    "/bereavement/risk-screens/{screen_id}/entered-in-error",
    response={200: ScreenOut, **ERROR_RESPONSES},
)
def screen_entered_in_error(request: HttpRequest, screen_id: UUID, payload: NotNeededIn) -> Any:
    screen = queries.screen_detail(screen_id)
    if screen is None:
        raise NotFound(_("Not found."))
    _open(request, screen.plan.patient.external_id, "bereavement.screen_risk")
    services.mark_screen_entered_in_error(
        actor=actor_of(request), screen=screen, reason=payload.reason
    )
    return RiskScreen.objects.select_related("screened_by", "extra_contact").get(pk=screen.pk)


@router.post(
    "/patients/{patient_id}/bereavement/returns/equipment",
    response={200: BereavementPlanOut, **ERROR_RESPONSES},
)
def confirm_equipment(request: HttpRequest, patient_id: UUID, payload: ConfirmIn) -> Any:
    patient = _open(request, patient_id, "bereavement.confirm_equipment")
    services.confirm_equipment_collected(
        actor=actor_of(request), plan=_plan(patient), note=payload.note
    )
    return _fresh(patient)


@router.post(
    "/patients/{patient_id}/bereavement/returns/controlled-drugs",
    response={200: BereavementPlanOut, **ERROR_RESPONSES},
)
def confirm_controlled_drugs(request: HttpRequest, patient_id: UUID, payload: ConfirmIn) -> Any:
    patient = _open(request, patient_id, "bereavement.confirm_controlled_drugs")
    services.confirm_controlled_drugs(
        actor=actor_of(request), plan=_plan(patient), note=payload.note
    )
    return _fresh(patient)


@router.post(
    "/patients/{patient_id}/bereavement/close",
    response={200: BereavementPlanOut, **ERROR_RESPONSES},
)
def close_plan(request: HttpRequest, patient_id: UUID, payload: ClosePlanIn) -> Any:
    patient = _open(request, patient_id, "bereavement.close_plan")
    services.close_plan(
        actor=actor_of(request),
        plan=_plan(patient),
        note=payload.note,
        close_episode=payload.close_episode,
    )
    return _fresh(patient)


@router.get("/portal/bereavement", response={200: PortalBereavementOut, **ERROR_RESPONSES})
def portal_bereavement(request: HttpRequest) -> Any:
    """The family's own patient only: upcoming contact months and whom to call."""
    actor = actor_of(request)
    patient = queries.portal_patient(actor)
    if patient is None:
        raise NotFound(_("Not found."))
    patient = _open(
        request,
        patient.external_id,
        "bereavement.view_portal",
        AuditEventType.BEREAVEMENT_PORTAL_VIEWED,
    )
    view = queries.family_view(patient)
    return {
        "has_plan": view is not None,
        "upcoming": [
            {"month": c.month, "kind": c.kind_label, "done_on": None}
            for c in (view.upcoming if view else [])
        ],
        "past": [
            {"month": c.month, "kind": c.kind_label, "done_on": c.done_on}
            for c in (view.past if view else [])
        ],
        "helpline_phone": settings.HEARTH_FAMILY_HELPLINE_PHONE,
        "helpline_hours": settings.HEARTH_FAMILY_HELPLINE_HOURS,
    }
