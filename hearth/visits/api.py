"""Urgent visit requests over JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from hearth.core.api import ERROR_RESPONSES
from hearth.core.errors import NotFound
from hearth.patients import access
from hearth.patients.api import _actor
from hearth.patients.schemas import StrictIn
from hearth.visits import queries, services

router = Router(tags=["visits"])


class UrgentVisitIn(StrictIn):
    reason: str = Field(min_length=1, max_length=4000)
    discipline: str = "physician"


class UrgentVisitOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    patient_name: str
    alert_id: UUID | None
    discipline: str
    for_date: date
    reason: str
    requested_at: datetime
    status: str

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_patient_name(obj: Any) -> str:
        return str(obj.patient.full_name)

    @staticmethod
    def resolve_alert_id(obj: Any) -> UUID | None:
        return obj.alert.external_id if obj.alert_id else None


@router.get("/urgent-visit-requests", response={200: list[UrgentVisitOut], **ERROR_RESPONSES})
def list_urgent_visits(request: HttpRequest) -> Any:
    """Waiting and scheduled urgent visits on the caller's patients (the coordinator: all)."""
    actor = _actor(request)
    if not actor.has_perm("visits.view_urgent_requests"):
        raise NotFound(_("Not found."))
    return queries.urgent_requests_for(actor)


@router.post(
    "/patients/{patient_id}/urgent-visit-requests",
    response={201: UrgentVisitOut, **ERROR_RESPONSES},
)
def request_urgent_visit(request: HttpRequest, patient_id: UUID, payload: UrgentVisitIn) -> Any:
    patient = access.access_patient_for(_actor(request), patient_id, "visits.request_urgent_visit")
    return Status(
        201,
        services.request_urgent_visit(
            actor=_actor(request), patient=patient, **payload.model_dump()
        ),
    )
