"""Monitoring over JSON: check-ins, devices and readings, thresholds, alerts, on call.

The same services and rules as the pages. ``POST /observations`` is the one
route a home device calls, with its own token (``Authorization: Bearer hdv_…``).
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status
from ninja.security import HttpBearer

from hearth.accounts.models import User
from hearth.core.api import ERROR_RESPONSES, actor_of, get_by_external_id
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotFound, ValidationFailed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page
from hearth.core.validation import require_perm
from hearth.monitoring import evaluation, queries, services
from hearth.monitoring.models import MonitoringDevice, OnCallShift
from hearth.monitoring.schemas import (
    AlertDetailOut,
    AlertOut,
    AlertsQuery,
    CheckInIn,
    CheckInOut,
    DeviceIn,
    DeviceIssuedOut,
    DeviceOut,
    ObservationOut,
    OnCallShiftIn,
    OnCallShiftOut,
    ReadingsIn,
    ReadingsOut,
    ResolveIn,
    SmsReplyOut,
    ThresholdsIn,
    ThresholdsOut,
    TriageIn,
)
from hearth.patients import access
from hearth.patients.models import Patient

router = Router(tags=["symptoms, readings and alerts"])


class DeviceAuth(HttpBearer):
    """``Authorization: Bearer hdv_…``: a home device's own token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return services.authenticate_device(token)


def _open(request: HttpRequest, patient_id: Any, perm: str, read: str | None = None) -> Patient:
    return access.access_patient_for(actor_of(request), patient_id, perm, read=read)


# --- Check-ins --------------------------------------------------------------


@router.get(
    "/patients/{patient_id}/check-ins",
    response={200: CursorPage.of(CheckInOut), **ERROR_RESPONSES},
)
def list_check_ins(request: HttpRequest, patient_id: UUID, paging: Query[CursorQuery]) -> Any:
    """The family sees their own patient's history; staff the patients they
    care for. Newest first, a page at a time (it used to stop at the newest 60)."""
    actor = actor_of(request)
    patient = access.access_patient(
        actor, patient_id, clinical=False, event_type=AuditEventType.CHECK_INS_VIEWED
    )
    return cursor_page(
        request,
        queries.check_in_history(patient),
        list_name="check-ins",
        ordering=("-submitted_at", "-id"),
        paging=paging,
    ).answer()


@router.post(
    "/patients/{patient_id}/check-ins",
    response={200: CheckInOut, 201: CheckInOut, **ERROR_RESPONSES},
)
def record_check_in(request: HttpRequest, patient_id: UUID, payload: CheckInIn) -> Any:
    """Send the same ``idempotency_key`` when retrying: the first check-in comes back
    (200) and nothing is created twice."""
    patient = _open(request, patient_id, "monitoring.check_in")
    check_in = services.record_check_in(
        actor=actor_of(request), patient=patient, **payload.model_dump()
    )
    return Status(200 if getattr(check_in, "replayed", False) else 201, check_in)


# --- Devices and readings ---------------------------------------------------


@router.get("/patients/{patient_id}/devices", response={200: list[DeviceOut], **ERROR_RESPONSES})
def list_devices(request: HttpRequest, patient_id: UUID) -> Any:
    patient = _open(
        request, patient_id, "monitoring.manage_devices", read=AuditEventType.DEVICES_VIEWED
    )
    return list(patient.devices.order_by("-issued_at"))


@router.post("/patients/{patient_id}/devices", response={201: DeviceIssuedOut, **ERROR_RESPONSES})
def register_device(request: HttpRequest, patient_id: UUID, payload: DeviceIn) -> Any:
    """The token in the answer is shown once; put it in the device now."""
    patient = _open(request, patient_id, "monitoring.manage_devices")
    device, secret = services.register_device(
        actor=actor_of(request), patient=patient, **payload.model_dump()
    )
    device.token = secret  # type: ignore[attr-defined]
    return Status(201, device)


@router.post("/devices/{device_id}/revoke", response={200: DeviceOut, **ERROR_RESPONSES})
def revoke_device(request: HttpRequest, device_id: UUID) -> Any:
    device = get_by_external_id(MonitoringDevice, device_id, select=("patient",))
    _open(request, device.patient.external_id, "monitoring.manage_devices")
    return services.revoke_device(actor=actor_of(request), device=device)


@router.post(
    "/observations",
    auth=DeviceAuth(),
    response={200: ReadingsOut, **ERROR_RESPONSES},
    summary="Home-device readings (device token)",
)
def post_observations(request: HttpRequest, payload: ReadingsIn) -> Any:
    """Up to 1,000 readings. Each is checked on its own: good readings are stored
    even when others are refused; one already stored is a duplicate. The answer
    lists every reading by its position in the batch."""
    device: MonitoringDevice = request.auth  # type: ignore[attr-defined]
    results = services.ingest_readings(device=device, readings=payload.readings)
    return {
        "stored": sum(1 for r in results if r.status == "stored"),
        "duplicates": sum(1 for r in results if r.status == "duplicate"),
        "rejected": sum(1 for r in results if r.status == "rejected"),
        "results": [r.__dict__ for r in results],
    }


@router.get(
    "/patients/{patient_id}/observations",
    response={200: CursorPage.of(ObservationOut), **ERROR_RESPONSES},
)
def list_observations(
    request: HttpRequest,
    patient_id: UUID,
    paging: Query[CursorQuery],
    code: str | None = None,
    days: int = 14,
) -> Any:
    """Readings newest first, a page at a time: follow ``next`` until it is
    null to read the whole window (nothing is cut off silently)."""
    patient = _open(
        request, patient_id, "monitoring.view_monitoring", read=AuditEventType.OBSERVATIONS_VIEWED
    )
    rows = queries.observations(patient, days=max(1, min(days, 90)), code=code)
    return cursor_page(
        request,
        rows,
        list_name="observations",
        ordering=("-observed_at", "-id"),
        paging=paging,
    ).answer()


# --- Personal thresholds ----------------------------------------------------


def _thresholds_out(patient: Patient) -> dict[str, Any]:
    effective = evaluation.thresholds_for(patient)
    row = getattr(patient, "thresholds", None)
    return {
        "esas_item_threshold": effective.esas_item,
        "esas_item_overrides": effective.esas_items,
        "esas_rise_threshold": effective.esas_rise,
        "physiological_routing": effective.chosen_routing,
        "effective_routing": effective.routing,
        "routing_reason": effective.routing_reason,
        "spo2_scale": effective.spo2_scale,
        "personal": effective.personal,
        "set_by": row.set_by if row else None,
        "set_at": row.set_at if row else None,
    }


@router.get("/patients/{patient_id}/thresholds", response={200: ThresholdsOut, **ERROR_RESPONSES})
def get_thresholds(request: HttpRequest, patient_id: UUID) -> Any:
    patient = _open(
        request, patient_id, "monitoring.view_monitoring", read=AuditEventType.THRESHOLDS_VIEWED
    )
    return _thresholds_out(patient)


@router.put("/patients/{patient_id}/thresholds", response={200: ThresholdsOut, **ERROR_RESPONSES})
def set_thresholds(request: HttpRequest, patient_id: UUID, payload: ThresholdsIn) -> Any:
    """Send only what changes, with the reason. Physicians only."""
    patient = _open(request, patient_id, "monitoring.view_monitoring")
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason")
    services.set_thresholds(
        actor=actor_of(request), patient=patient, changes=changes, reason=reason
    )
    return _thresholds_out(Patient.objects.select_related("thresholds").get(pk=patient.pk))


# --- Alerts -----------------------------------------------------------------


class GatewayNotRecognised(DomainError):
    status = 401
    code = "bad_token"


def _reply_fields(request: HttpRequest) -> tuple[str, str]:
    """``from`` and ``text`` from a JSON or a form body (gateways send either)."""
    if (request.content_type or "").endswith("json"):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
    else:
        body = request.POST
    sender, text = body.get("from", ""), body.get("text", "")
    return (sender if isinstance(sender, str) else ""), (text if isinstance(text, str) else "")


@router.post(
    "/alerts/sms-replies",
    auth=None,
    response={200: SmsReplyOut, **ERROR_RESPONSES},
    summary="Text replies to alert pages (the SMS gateway's inbound webhook)",
)
def sms_reply(request: HttpRequest) -> Any:
    """The SMS gateway posts each reply here with the shared secret in
    ``X-Hearth-Token`` (``HEARTH_SMS_INBOUND_TOKEN``; empty refuses every
    request), and ``from`` and ``text`` as JSON or a form. "ACK 4821" from a
    verified number of the alert's owner acknowledges it; anything else is
    refused with a 4xx and audited."""
    sender, text = _reply_fields(request)
    expected = settings.HEARTH_SMS_INBOUND_TOKEN
    given = request.headers.get("X-Hearth-Token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        error = GatewayNotRecognised(
            _("Inbound text messages are not accepted from this sender.")
            if expected
            else _("Inbound text messages are not set up (HEARTH_SMS_INBOUND_TOKEN).")
        )
        services.refuse_text_reply(sender=sender, text=text, error=error)
        raise error
    alert = services.acknowledge_by_text_reply(sender=sender, text=text)
    return {
        "acknowledged": True,
        "alert_id": alert.external_id,
        "detail": _("Acknowledged. Thank you."),
    }


@router.get("/alerts", response={200: CursorPage.of(AlertOut), **ERROR_RESPONSES})
def list_alerts(
    request: HttpRequest, filters: Query[AlertsQuery], paging: Query[CursorQuery]
) -> Any:
    """Open alerts (or ``status=resolved``…) on the caller's patients and any
    they own on call, most severe and oldest first, a page at a time."""
    actor = actor_of(request)
    if not actor.has_perm("monitoring.view_alerts"):
        raise NotFound(_("Not found."))
    page = cursor_page(
        request,
        queries.alerts_visible(actor, status=filters.status, mine=filters.mine),
        list_name="alerts",
        ordering=queries.ALERT_ORDER,
        paging=paging,
    )
    queries.audit_alerts_listed(actor, page.items)
    return page.answer()


@router.get("/alerts/{alert_id}", response={200: AlertDetailOut, **ERROR_RESPONSES})
def get_alert(request: HttpRequest, alert_id: UUID) -> Any:
    return queries.open_alert(actor_of(request), alert_id)


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, **ERROR_RESPONSES})
def acknowledge_alert(request: HttpRequest, alert_id: UUID) -> Any:
    actor = actor_of(request)
    alert = queries.open_alert(actor, alert_id, perm="monitoring.act_on_alert")
    return services.acknowledge_alert(actor=actor, alert=alert)


@router.post("/alerts/{alert_id}/triage", response={200: AlertOut, **ERROR_RESPONSES})
def triage_alert(request: HttpRequest, alert_id: UUID, payload: TriageIn) -> Any:
    actor = actor_of(request)
    alert = queries.open_alert(actor, alert_id, perm="monitoring.act_on_alert")
    return services.triage_alert(actor=actor, alert=alert, **payload.model_dump())


@router.post("/alerts/{alert_id}/resolve", response={200: AlertOut, **ERROR_RESPONSES})
def resolve_alert(request: HttpRequest, alert_id: UUID, payload: ResolveIn) -> Any:
    actor = actor_of(request)
    alert = queries.open_alert(actor, alert_id, perm="monitoring.act_on_alert")
    return services.resolve_alert(actor=actor, alert=alert, note=payload.note)


# --- On call ----------------------------------------------------------------


@router.get("/on-call", response={200: list[OnCallShiftOut], **ERROR_RESPONSES})
def on_call_roster(request: HttpRequest) -> Any:
    if not actor_of(request).has_perm("monitoring.view_on_call"):
        raise NotFound(_("Not found."))
    return list(queries.on_call_roster())


@router.post("/on-call", response={201: OnCallShiftOut, **ERROR_RESPONSES})
def add_on_call_shift(request: HttpRequest, payload: OnCallShiftIn) -> Any:
    actor = actor_of(request)
    require_perm(actor, "monitoring.manage_on_call")
    details = payload.model_dump()
    staff = User.objects.filter(external_id=details.pop("staff_id"), kind="staff").first()
    if staff is None:
        raise ValidationFailed(
            _("No staff member with that identifier."),
            field_errors={"staff_id": [_("No staff member with that identifier.")]},
        )
    return Status(201, services.add_on_call_shift(actor=actor, staff=staff, **details))


@router.post("/on-call/{shift_id}/cancel", response={200: OnCallShiftOut, **ERROR_RESPONSES})
def cancel_on_call_shift(request: HttpRequest, shift_id: UUID) -> Any:
    shift = get_by_external_id(OnCallShift, shift_id, select=("staff",))
    return services.cancel_on_call_shift(actor=actor_of(request), shift=shift)
