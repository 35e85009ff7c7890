"""Medicines over JSON: the formulary, prescriptions, the administration record
(MAR), the offline-sync review queue, family sign-off, the controlled-drug
register and the family's read-only home chart.

The same services, queries and rules as the pages; nothing here writes a model.
Objects are named by their external UUIDs; decimals come back as strings and
date-times must carry a time zone (see ``schemas``).

Recording a dose answers 201 with the record, 202 with the review item when an
offline dose clashed after merging (a clinician decides), and 200 when the same
idempotency key and body come again (the first answer, nothing recorded twice).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts.models import User
from hearth.core import clock
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.medications import ome, queries, services
from hearth.medications.choices import Conversion, OrderKind, Route
from hearth.medications.models import (
    Administration,
    Drug,
    DrugRoute,
    Formulation,
    MedicationOrder,
    MedicineSignOff,
    SyncReview,
    describe_dose,
)
from hearth.medications.schemas import (
    AdministrationIn,
    AdministrationOut,
    DrugOut,
    DrugPatch,
    DrugRouteDetailOut,
    DrugRoutePatch,
    HoldingOut,
    HomeChartOut,
    OpioidSummaryOut,
    OrderChangeIn,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    RecordedStockOut,
    RecordQuery,
    RegisterLineOut,
    ReviewDecisionIn,
    SignOffIn,
    SignOffOut,
    StockEntryOut,
    StockIn,
    SyncReviewOut,
    holding_out,
)
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.schemas import NoteIn, ReasonIn

router = Router(tags=["medicines"])

VIEW = "medications.view_medicines"


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def _text(value: Any) -> Any:
    """An enum member from the schema as its plain value (what the services compare)."""
    return value.value if isinstance(value, Enum) else value


def _drug_route(drug_route_id: UUID, field: str = "drug_route") -> DrugRoute:
    found = DrugRoute.objects.select_related("drug").filter(external_id=drug_route_id).first()
    if found is None:
        raise _refused(field, _("No such medicine and route in the formulary."))
    return found


def _formulation(formulation_id: UUID, field: str = "formulation") -> Formulation:
    found = (
        Formulation.objects.select_related("drug_route__drug")
        .filter(external_id=formulation_id)
        .first()
    )
    if found is None:
        raise _refused(field, _("No such form in the formulary."))
    return found


def _order(order_id: UUID) -> MedicationOrder:
    return get_by_external_id(  # type: ignore[no-any-return]
        MedicationOrder,
        order_id,
        select=(
            "patient",
            "drug_route__drug",
            "current__formulation",
            "current__prescribed_by",
            "stopped_by",
        ),
    )


# --- Formulary --------------------------------------------------------------


def _formulary_staff(request: HttpRequest) -> None:
    if not actor_of(request).has_perm("medications.view_formulary"):
        raise NotFound(_("Not found."))


@router.get("/formulary", response={200: CursorPage.of(DrugOut), **ERROR_RESPONSES})
def list_formulary(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Every drug with its routes, dose unit, conversion, OME factor and its
    source, and the forms kept in homes, by name, a page at a time. Staff only."""
    _formulary_staff(request)
    forms = Formulation.objects.order_by("form", "strength")
    routes = DrugRoute.objects.order_by("route").prefetch_related(
        Prefetch("formulations", queryset=forms)
    )
    return cursor_page(
        request,
        Drug.objects.prefetch_related(Prefetch("routes", queryset=routes)),
        list_name="formulary",
        ordering=("name", "id"),
        paging=paging,
    ).answer()


@router.patch(
    "/formulary/routes/{drug_route_id}",
    response={200: DrugRouteDetailOut, **ERROR_RESPONSES},
)
def update_drug_route(request: HttpRequest, drug_route_id: UUID, payload: DrugRoutePatch) -> Any:
    """Change a conversion factor (administrators), with the reason and source:
    every opioid total after this uses it."""
    _formulary_staff(request)
    drug_route = get_by_external_id(DrugRoute, drug_route_id, select=("drug",))
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    if "ome_factor" in changes and changes["ome_factor"] is None:
        changes["ome_factor"] = ""  # null clears the factor
    changes = {name: _text(value) for name, value in changes.items()}
    return services.update_drug_route(
        actor=actor_of(request), drug_route=drug_route, reason=reason, **changes
    )


@router.patch("/formulary/drugs/{drug_id}", response={200: DrugOut, **ERROR_RESPONSES})
def update_drug(request: HttpRequest, drug_id: UUID, payload: DrugPatch) -> Any:
    _formulary_staff(request)
    drug = get_by_external_id(Drug, drug_id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    return services.update_drug(actor=actor_of(request), drug=drug, reason=reason, **changes)


# --- Prescriptions ----------------------------------------------------------


@router.get(
    "/patients/{patient_id}/medication-orders",
    response={200: CursorPage.of(OrderOut), **ERROR_RESPONSES},
)
def list_orders(
    request: HttpRequest,
    patient_id: UUID,
    paging: Query[CursorQuery],
    include_stopped: bool = False,
) -> Any:
    """Active orders (and stopped ones with ``include_stopped``), each with the
    version in force, active first, by drug name, a page at a time."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.MEDICATION_ORDERS_VIEWED)
    return cursor_page(
        request,
        queries.order_rows(patient, include_stopped=include_stopped),
        list_name="medication-orders",
        ordering=queries.ORDER_ORDER,
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/medication-orders",
    response={201: OrderOut, **ERROR_RESPONSES},
)
def prescribe(request: HttpRequest, patient_id: UUID, payload: OrderIn) -> Any:
    """A new order. Physicians only, for a patient in active home care."""
    patient = _open(request, patient_id, VIEW)
    details = payload.model_dump()
    drug_route = _drug_route(details.pop("drug_route"))
    formulation_id = details.pop("formulation")
    formulation = _formulation(formulation_id) if formulation_id else None
    order = services.prescribe(
        actor=actor_of(request),
        patient=patient,
        drug_route=drug_route,
        formulation=formulation,
        **{name: _text(value) for name, value in details.items()},
    )
    return Status(201, order)


@router.get("/medication-orders/{order_id}", response={200: OrderDetailOut, **ERROR_RESPONSES})
def get_order(request: HttpRequest, order_id: UUID) -> Any:
    order = _order(order_id)
    _open(request, order.patient.external_id, VIEW, read=AuditEventType.MEDICATION_ORDER_VIEWED)
    return order


@router.post(
    "/medication-orders/{order_id}/change",
    response={200: OrderDetailOut, **ERROR_RESPONSES},
)
def change_order(request: HttpRequest, order_id: UUID, payload: OrderChangeIn) -> Any:
    """A new version, with the reason; the old one stays readable. Fields left
    out keep the current version's value. Physicians only."""
    order = _order(order_id)
    _open(request, order.patient.external_id, VIEW)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    current = order.current
    values: dict[str, Any] = {}
    if current is not None:
        values = {
            "dose": current.dose,
            "times": current.times,
            "every_days": current.every_days,
            "indication": current.indication,
            "minimum_interval_minutes": current.minimum_interval_minutes,
            "maximum_doses_24h": current.maximum_doses_24h,
            "instructions": current.instructions,
            "formulation": current.formulation,
        }
    if "formulation" in changes:
        formulation_id = changes.pop("formulation")
        values["formulation"] = _formulation(formulation_id) if formulation_id else None
    values.update(changes)
    values.setdefault("dose", None)
    values.setdefault("indication", "")
    return services.change_order(actor=actor_of(request), order=order, reason=reason, **values)


@router.post(
    "/medication-orders/{order_id}/stop",
    response={200: OrderDetailOut, **ERROR_RESPONSES},
)
def stop_order(request: HttpRequest, order_id: UUID, payload: ReasonIn) -> Any:
    order = _order(order_id)
    _open(request, order.patient.external_id, VIEW)
    return services.stop_order(actor=actor_of(request), order=order, reason=payload.reason)


# --- Opioid summary ---------------------------------------------------------


def _switch(total: Decimal, target: DrugRoute) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "drug_route_id": target.external_id,
        "drug": target.drug.name,
        "route": target.route,
        "dose_unit": target.dose_unit,
        "low": None,
        "high": None,
        "basis": "patch_rate" if target.conversion == Conversion.PATCH_RATE else "per_24h",
        "note": "",
    }
    if not target.drug.is_opioid:
        answer["note"] = _("%(drug)s is not an opioid.") % {"drug": target.drug.name}
        return answer
    if total <= 0:
        answer["note"] = _("There is no regular opioid dose to convert.")
        return answer
    found = ome.switching_range(total, target)
    if found is None:
        answer["note"] = target.drug.warning or _(
            "%(drug)s is not converted automatically: ask for specialist advice."
        ) % {"drug": target.drug.name}
        return answer
    least, most = settings.HEARTH_OPIOID_SWITCH_REDUCTION_PERCENT
    answer["low"], answer["high"] = ome.rounded(found[0]), ome.rounded(found[1])
    answer["note"] = _(
        "The equivalent reduced by %(least)s-%(most)s %% for incomplete cross-tolerance. "
        "Shown only: the physician decides, nothing is changed."
    ) % {"least": least, "most": most}
    return answer


@router.get(
    "/patients/{patient_id}/opioid-summary",
    response={200: OpioidSummaryOut, **ERROR_RESPONSES},
)
def opioid_summary(request: HttpRequest, patient_id: UUID, switch_to: UUID | None = None) -> Any:
    """The regular opioid total in mg oral morphine per 24 h over the active
    orders, each opioid order's share, warnings (drugs not converted), the
    breakthrough range by the service's guideline and the titration range.
    ``switch_to`` (a formulary route) adds the equivalent 24 h dose of that
    drug, reduced for incomplete cross-tolerance: a help, never applied."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.OPIOID_SUMMARY_VIEWED)
    target = _drug_route(switch_to, "switch_to") if switch_to else None
    summary = ome.summarise(queries.orders(patient))
    return {
        "regular_ome_24h": summary.regular_ome_24h,
        "lines": [
            {
                "order_id": line.order.external_id,
                "drug": line.order.drug_route.drug.name,
                "route": line.order.drug_route.route,
                "kind": line.order.kind,
                "ome_mg": ome.rounded(line.ome_24h) if line.ome_24h is not None else None,
                "basis": "per_24h" if line.order.kind == OrderKind.REGULAR else "per_dose",
                "warning": line.warning,
            }
            for line in summary.lines
        ],
        "warnings": summary.warnings,
        "breakthrough_low": summary.breakthrough_low,
        "breakthrough_high": summary.breakthrough_high,
        "guideline": summary.guideline,
        "titration_low": summary.titration_low,
        "titration_high": summary.titration_high,
        "switch": _switch(summary.regular_ome_24h, target) if target else None,
    }


# --- Administration record --------------------------------------------------


@router.post(
    "/patients/{patient_id}/administrations",
    response={
        200: AdministrationOut | SyncReviewOut,
        201: AdministrationOut,
        202: SyncReviewOut,
        **ERROR_RESPONSES,
    },
)
def record_administration(request: HttpRequest, patient_id: UUID, payload: AdministrationIn) -> Any:
    """A dose given (or a scheduled dose not given), by a nurse or physician on
    the team or a family member signed off for the route.

    Refused with 422 naming the field and nothing recorded: a stopped order, a
    different dose or route, an as-needed dose too soon or over the rolling
    24 h maximum, a scheduled dose already recorded, a time without a zone.
    403 for a family member not signed off for the route. 201: recorded. 202:
    an offline dose that clashed after merging, now waiting for a clinician.
    200: the same key and body again (the first answer). 422: the same key
    with a different body. 409: the first attempt is still being saved."""
    patient = _open(request, patient_id, "medications.record_administration")
    details = {name: _text(value) for name, value in payload.model_dump().items()}
    order = (
        MedicationOrder.objects.select_related("patient", "drug_route__drug")
        .filter(external_id=details.pop("order"), patient=patient)
        .first()
    )
    if order is None:
        raise NotFound(_("This patient has no such medicine order."))
    details["route"] = details["route"] or ""
    details["not_given_reason"] = details["not_given_reason"] or ""
    result = services.record_administration(actor=actor_of(request), order=order, **details)
    if result.review is not None:
        return Status(200 if result.replayed else 202, result.review)
    return Status(200 if result.replayed else 201, result.administration)


@router.get(
    "/patients/{patient_id}/administrations",
    response={200: CursorPage.of(AdministrationOut), **ERROR_RESPONSES},
)
def list_administrations(
    request: HttpRequest, patient_id: UUID, filters: Query[RecordQuery], paging: Query[CursorQuery]
) -> Any:
    """The administration record of the last ``days`` days (at most 90), newest
    first, a page at a time (it used to stop at 2,000 silently); records entered
    in error are included and marked. Staff only: the family reads the home chart."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.ADMINISTRATIONS_VIEWED)
    return cursor_page(
        request,
        queries.administrations(patient, days=filters.days),
        list_name="administrations",
        ordering=("-given_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/administrations/{administration_id}/entered-in-error",
    response={200: AdministrationOut, **ERROR_RESPONSES},
)
def administration_entered_in_error(
    request: HttpRequest, administration_id: UUID, payload: ReasonIn
) -> Any:
    """The record stays, marked and left out of every check; stock it took is put back."""
    administration = get_by_external_id(
        Administration, administration_id, select=("patient", "order__drug_route__drug")
    )
    _open(request, administration.patient.external_id, VIEW)
    return services.mark_administration_entered_in_error(
        actor=actor_of(request), administration=administration, reason=payload.reason
    )


# --- Offline-sync review queue ----------------------------------------------


@router.get(
    "/patients/{patient_id}/sync-reviews",
    response={200: CursorPage.of(SyncReviewOut), **ERROR_RESPONSES},
)
def list_sync_reviews(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Offline doses waiting for a clinician's decision, newest first, a page at a time."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.SYNC_REVIEWS_VIEWED)
    return cursor_page(
        request,
        queries.waiting_reviews(patient),
        list_name="sync-reviews",
        ordering=("-submitted_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/sync-reviews/{review_id}/resolve",
    response={200: SyncReviewOut, **ERROR_RESPONSES},
)
def resolve_sync_review(request: HttpRequest, review_id: UUID, payload: ReviewDecisionIn) -> Any:
    review = get_by_external_id(
        SyncReview, review_id, select=("patient", "order__drug_route__drug", "submitted_by")
    )
    _open(request, review.patient.external_id, VIEW)
    return services.resolve_review(
        actor=actor_of(request), review=review, decision=payload.decision, note=payload.note
    )


# --- Family sign-off per route ----------------------------------------------


@router.get(
    "/patients/{patient_id}/medicine-sign-offs",
    response={200: CursorPage.of(SignOffOut), **ERROR_RESPONSES},
)
def list_sign_offs(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """Family sign-offs per route, revoked ones kept, newest first, a page at a time."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.MEDICINE_SIGN_OFFS_VIEWED)
    return cursor_page(
        request,
        queries.sign_offs(patient).select_related("revoked_by"),
        list_name="medicine-sign-offs",
        ordering=("-signed_off_on", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/medicine-sign-offs",
    response={201: SignOffOut, **ERROR_RESPONSES},
)
def sign_off_caregiver(request: HttpRequest, patient_id: UUID, payload: SignOffIn) -> Any:
    """A nurse or physician saw this family member give medicines by this route."""
    patient = _open(request, patient_id, VIEW)
    details = payload.model_dump()
    caregiver = User.objects.filter(external_id=details.pop("caregiver")).first()
    if caregiver is None:
        raise _refused("caregiver", _("Choose a family caregiver of this patient."))
    sign_off = services.sign_off_caregiver(
        actor=actor_of(request),
        patient=patient,
        caregiver=caregiver,
        **{name: _text(value) for name, value in details.items()},
    )
    return Status(201, sign_off)


@router.post(
    "/medicine-sign-offs/{sign_off_id}/revoke",
    response={200: SignOffOut, **ERROR_RESPONSES},
)
def revoke_sign_off(request: HttpRequest, sign_off_id: UUID, payload: ReasonIn) -> Any:
    sign_off = get_by_external_id(
        MedicineSignOff, sign_off_id, select=("patient", "caregiver", "signed_off_by")
    )
    _open(request, sign_off.patient.external_id, VIEW)
    return services.revoke_sign_off(
        actor=actor_of(request), sign_off=sign_off, reason=payload.reason
    )


# --- Controlled drugs at home -----------------------------------------------


@router.get(
    "/patients/{patient_id}/controlled-drugs",
    response={200: list[RegisterLineOut], **ERROR_RESPONSES},
)
def controlled_drug_register(request: HttpRequest, patient_id: UUID) -> Any:
    """Each controlled drug at home: balance, open discrepancy, newest entries."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.CONTROLLED_DRUGS_VIEWED)
    return [
        {**holding_out(line.holding), "entries": line.entries, "total_entries": line.total_entries}
        for line in queries.controlled_drug_register(patient)
    ]


@router.get(
    "/patients/{patient_id}/controlled-drugs/{formulation_id}/entries",
    response={200: CursorPage.of(StockEntryOut), **ERROR_RESPONSES},
)
def controlled_drug_entries(
    request: HttpRequest, patient_id: UUID, formulation_id: UUID, paging: Query[CursorQuery]
) -> Any:
    """One controlled drug's whole register at this home, newest first, a page
    at a time (the register above shows only the newest entries)."""
    patient = _open(request, patient_id, VIEW, read=AuditEventType.CONTROLLED_DRUGS_VIEWED)
    holding = queries.holding_at_home(patient, formulation_id)
    if holding is None:
        raise NotFound(_("This medicine is not in the register at this home."))
    return cursor_page(
        request,
        queries.register_entries(holding),
        list_name="controlled-drug-entries",
        ordering=("-recorded_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/controlled-drugs",
    response={201: RecordedStockOut, **ERROR_RESPONSES},
)
def record_stock(request: HttpRequest, patient_id: UUID, payload: StockIn) -> Any:
    """Stock received, returned, destroyed (both witnessed) or counted. Doses
    given come from the administration record, never from here."""
    patient = _open(request, patient_id, VIEW)
    details = payload.model_dump()
    formulation = _formulation(details.pop("formulation"))
    entry = services.record_stock(
        actor=actor_of(request), patient=patient, formulation=formulation, **details
    )
    entry.holding.formulation = formulation
    return Status(201, entry)


@router.post(
    "/patients/{patient_id}/controlled-drugs/{formulation_id}/close-discrepancy",
    response={200: HoldingOut, **ERROR_RESPONSES},
)
def close_discrepancy(
    request: HttpRequest, patient_id: UUID, formulation_id: UUID, payload: NoteIn
) -> Any:
    """Say what was found; the register entries stay as they were."""
    patient = _open(request, patient_id, VIEW)
    holding = queries.holding_at_home(patient, formulation_id)
    if holding is None:
        raise NotFound(_("This medicine is not in the register at this home."))
    closed = services.close_discrepancy(actor=actor_of(request), holding=holding, note=payload.note)
    closed.formulation = holding.formulation
    return holding_out(closed)


# --- The family's home chart ------------------------------------------------


def _chart_line(line: queries.ChartLine) -> dict[str, Any]:
    order, version = line.order, line.version
    drug_route = order.drug_route
    what = drug_route.drug.name
    if version.formulation is not None:
        what += f" {version.formulation.strength} {version.formulation.get_form_display().lower()}"
    as_needed = order.kind == OrderKind.AS_NEEDED
    return {
        "order_id": order.external_id,
        "what": what,
        "drug": drug_route.drug.name,
        "kind": order.kind,
        "dose": version.dose,
        "dose_unit": version.dose_unit,
        "dose_text": describe_dose(version.dose, version.dose_unit),
        "volume_text": version.volume_text,
        "route": drug_route.route,
        "route_label": str(Route(drug_route.route).label),
        "times": version.times,
        "every_days": version.every_days,
        "why": version.indication,
        "instructions": version.instructions,
        "minimum_interval_minutes": version.minimum_interval_minutes,
        "maximum_doses_24h": version.maximum_doses_24h,
        "given_last_24h": line.given_last_24h,
        "last_given_at": line.last_given_at,
        "next_allowed_at": line.next_allowed_at if as_needed else None,
        "limit_reached": line.limit_reached,
        "when_limit_reached": (
            _(
                "At most %(count)s doses in any 24 hours. When the limit is reached, do not "
                "give more: call the team on %(phone)s."
            )
            % {"count": version.maximum_doses_24h, "phone": settings.HEARTH_SERVICE_PHONE}
            if as_needed
            else ""
        ),
    }


@router.get(
    "/patients/{patient_id}/medication-chart",
    response={200: HomeChartOut, **ERROR_RESPONSES},
)
def medication_chart(request: HttpRequest, patient_id: UUID) -> Any:
    """The current medicines as the family reads them, read-only: what, how
    much, how, when and why; for as-needed medicines the wait between doses,
    the 24 h limit, how many were given and what to do at the limit."""
    patient = _open(
        request,
        patient_id,
        "medications.view_home_chart",
        read=AuditEventType.MEDICATION_CHART_VIEWED,
    )
    moment: datetime = clock.now()
    return {
        "as_of": moment,
        "service_phone": settings.HEARTH_SERVICE_PHONE,
        "lines": [_chart_line(line) for line in queries.home_chart(patient, moment)],
    }
