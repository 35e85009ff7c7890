"""Allergies over JSON: the same services and rules as the pages.

Everything about one person's allergies is under
``/patients/{patient_id}/allergies``; a record is looked up among that
patient's own, so another patient's record is "not found".
"""

from __future__ import annotations

from enum import Enum
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from hearth.allergies import queries, services
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies, Substance
from hearth.allergies.schemas import (
    AllergyAcceptIn,
    AllergyChangeIn,
    AllergyHistoryOut,
    AllergyIn,
    AllergyListOut,
    AllergyOut,
    AllergyProposalIn,
    AllergySubstanceOut,
    NkdaIn,
    NkdaOut,
)
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.schemas import ReasonIn

router = Router(tags=["allergies"])

VIEW = "allergies.view_allergies"


def _open(request: HttpRequest, patient_id: Any, read: str | None = None) -> Patient:
    """Staff on the caseload and the family reach the allergies; the service
    then decides what each may do."""
    return access.access_patient_for(actor_of(request), patient_id, VIEW, read=read)


def _allergy(patient: Patient, allergy_id: UUID) -> AllergyIntolerance:
    return get_by_external_id(  # type: ignore[no-any-return]
        AllergyIntolerance.objects.filter(patient=patient),
        allergy_id,
        select=("patient", "substance", "recorded_by", "proposed_by", "decided_by"),
    )


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.value if isinstance(value, Enum) else value for key, value in values.items()}


@router.get(
    "/allergy-substances", response={200: CursorPage.of(AllergySubstanceOut), **ERROR_RESPONSES}
)
def list_substances(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """The catalogue: medicines (by their formulary name), groups of medicines
    with their members, and things that are not medicines, by kind and name, a
    page at a time (it grows with the formulary). No patient data."""
    return cursor_page(
        request,
        Substance.objects.filter(active=True).prefetch_related("members"),
        list_name="allergy-substances",
        ordering=("kind", "name", "id"),
        paging=paging,
    ).answer()


@router.get("/patients/{patient_id}/allergies", response={200: AllergyListOut, **ERROR_RESPONSES})
def list_allergies(request: HttpRequest, patient_id: UUID) -> Any:
    patient = _open(request, patient_id, AuditEventType.ALLERGIES_VIEWED)
    page = queries.allergies_for_page(patient)
    return {
        "summary": page["summary"],
        "allergies": list(
            AllergyIntolerance.objects.for_patient(patient)
            .select_related("substance", "recorded_by", "proposed_by", "decided_by")
            .order_by("-reported_on", "-pk")
        ),
        "nkda_statements": page["statements"],
    }


@router.post("/patients/{patient_id}/allergies", response={201: AllergyOut, **ERROR_RESPONSES})
def record_allergy(request: HttpRequest, patient_id: UUID, payload: AllergyIn) -> Any:
    """A clinician records an allergy or intolerance (physician or nurse)."""
    patient = _open(request, patient_id)
    return Status(
        201,
        services.record_allergy(
            actor=actor_of(request), patient=patient, **_plain(payload.model_dump())
        ),
    )


@router.post(
    "/patients/{patient_id}/allergies/proposals", response={201: AllergyOut, **ERROR_RESPONSES}
)
def propose_allergy(request: HttpRequest, patient_id: UUID, payload: AllergyProposalIn) -> Any:
    """The family tells the team about an allergy; a clinician confirms it."""
    patient = _open(request, patient_id)
    values = _plain(payload.model_dump())
    values["severity"] = values["severity"] or ""
    return Status(201, services.propose_allergy(actor=actor_of(request), patient=patient, **values))


@router.post(
    "/patients/{patient_id}/allergies/no-known-drug-allergies",
    response={201: NkdaOut, **ERROR_RESPONSES},
)
def record_nkda(request: HttpRequest, patient_id: UUID, payload: NkdaIn) -> Any:
    """ "No known drug allergies", asked and answered today."""
    patient = _open(request, patient_id)
    statement: NoKnownDrugAllergies = services.record_no_known_drug_allergies(
        actor=actor_of(request), patient=patient, **payload.model_dump()
    )
    return Status(201, statement)


@router.get(
    "/patients/{patient_id}/allergies/{allergy_id}/history",
    response={200: AllergyHistoryOut, **ERROR_RESPONSES},
)
def allergy_history(request: HttpRequest, patient_id: UUID, allergy_id: UUID) -> Any:
    """Every version of one record: who wrote what, when and why."""
    patient = _open(request, patient_id, AuditEventType.ALLERGY_HISTORY_VIEWED)
    allergy = _allergy(patient, allergy_id)
    return {
        "id": allergy.external_id,
        "substance_label": allergy.substance_label,
        "versions": queries.history(allergy),
    }


@router.post(
    "/patients/{patient_id}/allergies/{allergy_id}/accept",
    response={200: AllergyOut, **ERROR_RESPONSES},
)
def accept_proposal(
    request: HttpRequest, patient_id: UUID, allergy_id: UUID, payload: AllergyAcceptIn
) -> Any:
    patient = _open(request, patient_id)
    values = _plain(payload.model_dump())
    return services.accept_proposal(
        actor=actor_of(request),
        allergy=_allergy(patient, allergy_id),
        severity=values["severity"],
        certainty=values["certainty"],
        type=values["type"] or "",
        reaction=values["reaction"],
    )


@router.post(
    "/patients/{patient_id}/allergies/{allergy_id}/decline",
    response={200: AllergyOut, **ERROR_RESPONSES},
)
def decline_proposal(
    request: HttpRequest, patient_id: UUID, allergy_id: UUID, payload: ReasonIn
) -> Any:
    patient = _open(request, patient_id)
    return services.decline_proposal(
        actor=actor_of(request), allergy=_allergy(patient, allergy_id), reason=payload.reason
    )


@router.post(
    "/patients/{patient_id}/allergies/{allergy_id}/change",
    response={200: AllergyOut, **ERROR_RESPONSES},
)
def change_allergy(
    request: HttpRequest, patient_id: UUID, allergy_id: UUID, payload: AllergyChangeIn
) -> Any:
    """A new version with the reason; fields left out keep their value."""
    patient = _open(request, patient_id)
    changes = _plain(payload.model_dump(exclude_unset=True))
    reason = changes.pop("reason")
    # ``null`` means "keep": the same as leaving the field out.
    changes = {name: value for name, value in changes.items() if value is not None}
    return services.change_allergy(
        actor=actor_of(request),
        allergy=_allergy(patient, allergy_id),
        reason=reason,
        changes=changes,
    )


@router.post(
    "/patients/{patient_id}/allergies/{allergy_id}/refute",
    response={200: AllergyOut, **ERROR_RESPONSES},
)
def refute_allergy(
    request: HttpRequest, patient_id: UUID, allergy_id: UUID, payload: ReasonIn
) -> Any:
    """It is not an allergy after all: kept, marked refuted, no longer counted."""
    patient = _open(request, patient_id)
    return services.refute_allergy(
        actor=actor_of(request), allergy=_allergy(patient, allergy_id), reason=payload.reason
    )


@router.post(
    "/patients/{patient_id}/allergies/{allergy_id}/entered-in-error",
    response={200: AllergyOut, **ERROR_RESPONSES},
)
def entered_in_error(
    request: HttpRequest, patient_id: UUID, allergy_id: UUID, payload: ReasonIn
) -> Any:
    """Written by mistake: kept, marked, with the reason."""
    patient = _open(request, patient_id)
    return services.mark_entered_in_error(
        actor=actor_of(request), allergy=_allergy(patient, allergy_id), reason=payload.reason
    )
