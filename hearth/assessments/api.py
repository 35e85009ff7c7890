"""Instruments and phases over JSON: the same services and rules as the pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from hearth.assessments import instruments, services
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.assessments.schemas import (
    AssessmentIn,
    AssessmentOut,
    EnteredInErrorIn,
    InstrumentOut,
    PhaseIn,
    PhaseOut,
)
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access

router = Router(tags=["assessments"])


def instrument_out(definition: instruments.Instrument) -> dict[str, Any]:
    def band(b: instruments.Band) -> dict[str, Any]:
        return {"key": b.key, "label": str(b.label), "minimum": b.minimum, "maximum": b.maximum}

    return {
        "code": definition.code,
        "name": str(definition.name),
        "source": definition.source,
        "items": [
            {
                "key": item.key,
                "label": str(item.label),
                "minimum": item.minimum,
                "maximum": item.maximum,
                "step": item.step,
                "low_anchor": str(item.low_anchor),
                "high_anchor": str(item.high_anchor),
                "choices": [(value, str(words)) for value, words in item.choices],
                "optional": item.optional,
                "named": item.named,
                "reverse_worded": item.reverse_worded,
                "checkbox": item.checkbox,
                "topic": str(item.topic),
            }
            for item in definition.items
        ],
        "subscales": {s.key: list(s.items) for s in definition.subscales},
        "item_bands": [band(b) for b in definition.item_bands],
        "total_bands": [band(b) for b in definition.total_bands],
        "bands_are_guidance": definition.bands_are_guidance,
        "respondents": list(definition.respondents),
        "maximum_total": definition.maximum_total,
        "minimum_total": definition.minimum_total,
        "single_level": definition.single_level,
        "about_caregiver": definition.about_caregiver,
        "licensed_wording": definition.licensed_wording,
        "all_required": definition.all_required,
        "allows_not_assessed": definition.allows_not_assessed,
        "concern_from": definition.concern_from,
        "higher_is_worse": definition.higher_is_worse,
        "recall": str(definition.recall),
    }


@router.get("/instruments", response={200: list[InstrumentOut], **ERROR_RESPONSES})
def list_instruments(request: HttpRequest) -> Any:
    """The registry: items, ranges, anchors, sums and bands of every instrument."""
    return [instrument_out(definition) for definition in instruments.registry().values()]


@router.get(
    "/patients/{patient_id}/assessments",
    response={200: CursorPage.of(AssessmentOut), **ERROR_RESPONSES},
)
def list_assessments(
    request: HttpRequest,
    patient_id: UUID,
    paging: Query[CursorQuery],
    instrument: str | None = None,
) -> Any:
    """Scored responses, newest first, a page at a time (it used to stop at 500)."""
    patient = access.access_patient_for(
        actor_of(request),
        patient_id,
        "assessments.view_assessments",
        read=AuditEventType.ASSESSMENTS_VIEWED,
    )
    rows = AssessmentResponse.objects.for_patient(patient).select_related("recorded_by")
    if instrument:
        rows = rows.of(instrument)
    return cursor_page(
        request,
        rows,
        list_name="assessments",
        ordering=("-assessed_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/assessments",
    response={200: AssessmentOut, 201: AssessmentOut, **ERROR_RESPONSES},
)
def record_assessment(request: HttpRequest, patient_id: UUID, payload: AssessmentIn) -> Any:
    """Blank items are missing, not zero: the sums are then flagged ``partial``."""
    actor = actor_of(request)
    patient = access.access_patient(actor, patient_id, clinical=False, audit_read=False)
    details = payload.model_dump()
    details["completed_by"] = details["completed_by"] or ""
    response = services.record_assessment(actor=actor, patient=patient, **details)
    return Status(200 if getattr(response, "replayed", False) else 201, response)


@router.post(
    "/assessments/{assessment_id}/entered-in-error",
    response={200: AssessmentOut, **ERROR_RESPONSES},
)
def mark_entered_in_error(
    request: HttpRequest, assessment_id: UUID, payload: EnteredInErrorIn
) -> Any:
    response = get_by_external_id(AssessmentResponse, assessment_id, select=("patient",))
    access.access_patient(actor_of(request), response.patient.external_id, audit_read=False)
    return services.mark_entered_in_error(
        actor=actor_of(request), response=response, reason=payload.reason
    )


@router.get(
    "/patients/{patient_id}/phases", response={200: CursorPage.of(PhaseOut), **ERROR_RESPONSES}
)
def list_phases(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Phases of illness, the newest (the current one) first, a page at a time."""
    patient = access.access_patient_for(
        actor_of(request),
        patient_id,
        "assessments.view_assessments",
        read=AuditEventType.PHASES_VIEWED,
    )
    return cursor_page(
        request,
        PhaseOfIllness.objects.filter(patient=patient).select_related("started_by"),
        list_name="phases",
        ordering=("-started_at", "-id"),
        paging=paging,
    ).answer()


@router.post("/patients/{patient_id}/phases", response={201: PhaseOut, **ERROR_RESPONSES})
def start_phase(request: HttpRequest, patient_id: UUID, payload: PhaseIn) -> Any:
    """Starting a phase ends the current one: give ``end_reason``."""
    patient = access.access_patient_for(actor_of(request), patient_id, "assessments.set_phase")
    return Status(
        201, services.start_phase(actor=actor_of(request), patient=patient, **payload.model_dump())
    )
