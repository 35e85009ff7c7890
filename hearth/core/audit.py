"""Recording audit events. Every service and every read of patient data calls ``record``.

Event types come from the catalogue ``hearth.core.audit_events.AuditEventType``: both
recording helpers refuse a type that is not in it (see ``catalogued_event_type``).

Both helpers extend the hash chain (``hearth.core.audit_chain``): the model's
``save`` and the manager's ``bulk_create`` take the chain's lock and seal the new
events in their own transaction, or in the caller's when there is one; a worklist
of a thousand patients is one lock and one bulk insert."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models

from hearth.core import clock, context, messages
from hearth.core.audit_events import REFUSAL_EVENT_TYPES, AuditEventType, catalogued_event_type
from hearth.core.messages import Message
from hearth.core.models import AuditAction, AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(getattr(value, "external_id", value.pk))
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return value


def _actor_label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_anonymous", False):
        return "anonymous"  # a request nobody signed in to (refusals)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    label = getattr(actor, "display_name", None) or actor.get_username()
    return str(label)[:200]


def record(
    *,
    actor: Any,
    action: str,
    event_type: AuditEventType,
    patient: Any = None,
    obj: models.Model | None = None,
    summary: str | Message = "",
    changes: Mapping[str, Any] | None = None,
    purpose: str = "",
    emergency: bool | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one event. ``emergency`` defaults to whether ``actor`` reached ``patient``
    only through break-the-glass access, so no caller can forget to flag it.
    ``event_type`` must be in the catalogue: an unknown type raises ``ValueError``.
    ``object_type`` and ``object_id`` name what was asked for when there is no
    ``obj`` to name (a refused request for an identifier that may not exist).
    A ``summary`` given as a ``Message`` is kept as its key and parameters, so
    each reader sees it in their language, with its text in the service's
    language stored beside it."""
    event_type = catalogued_event_type(event_type)
    if event_type in REFUSAL_EVENT_TYPES:
        _refusal_recorded.set(True)
    request = context.current()
    patient_id = getattr(patient, "pk", patient)
    if emergency is None:
        emergency = _reached_by_emergency_access(actor, patient)
    summary_text, summary_key, summary_params = messages.stored(
        summary, language=settings.LANGUAGE_CODE
    )
    return AuditEvent.objects.create(
        occurred_at=clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        action=action,
        event_type=event_type.value,
        patient_id=patient_id,
        object_type=obj._meta.label if obj is not None else str(object_type)[:80],
        object_id=(
            str(getattr(obj, "external_id", getattr(obj, "pk", ""))) if obj else str(object_id)[:64]
        ),
        summary=summary_text[:300],
        summary_key=summary_key[:300],
        summary_params=summary_params,
        changes=_jsonable(dict(changes or {})),
        ip_address=request.ip_address,
        channel=request.channel,
        request_id=request.request_id,
        purpose=str(purpose)[:300],
        emergency=bool(emergency),
    )


def record_list_view(*, actor: Any, event_type: AuditEventType, patients: Iterable[Any]) -> int:
    """One ``list`` event per patient shown, in one insert, so a worklist read is
    as attributable per patient as opening the record. ``event_type`` must be in the
    catalogue, checked before anything is read or written. A patient shown in
    several rows (two alerts, two tasks) is one event: pass each row's patient."""
    event_type = catalogued_event_type(event_type)
    request = context.current()
    now = clock.now()
    patients = {patient.pk: patient for patient in patients}.values()
    events = [
        AuditEvent(
            occurred_at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor),
            action=AuditAction.LIST,
            event_type=event_type.value,
            patient_id=patient.pk,
            object_type=patient._meta.label,
            object_id=str(patient.external_id),
            ip_address=request.ip_address,
            channel=request.channel,
            request_id=request.request_id,
            emergency=False,
        )
        for patient in patients
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
    return len(events)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"from": old, "to": new}}`` for the fields that changed."""
    return {
        field: {"from": _jsonable(before.get(field)), "to": _jsonable(after.get(field))}
        for field in after
        if before.get(field) != after.get(field)
    }


#: Whether a refusal was audited during the current request (see ``refusals``).
_refusal_recorded: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "hearth_refusal_recorded", default=False
)


@contextmanager
def refusals_recorded_in_request() -> Iterator[Callable[[], bool]]:
    """For the span of one request: a function telling whether an event of a
    refusal type (``REFUSAL_EVENT_TYPES``) has been recorded since, so the
    refusal middleware does not record the same refusal a second time."""
    token = _refusal_recorded.set(False)
    try:
        yield _refusal_recorded.get
    finally:
        _refusal_recorded.reset(token)


EmergencyResolver = Callable[[Any, Any], bool]
_emergency_resolver: EmergencyResolver | None = None


def set_emergency_resolver(resolver: EmergencyResolver) -> None:
    """The patients app tells the kernel how to know break-the-glass access,
    so the kernel depends on no clinical app (see PatientsConfig.ready)."""
    global _emergency_resolver
    _emergency_resolver = resolver


def _reached_by_emergency_access(actor: Any, patient: Any) -> bool:
    if patient is None or actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if _emergency_resolver is None:
        return False
    return _emergency_resolver(actor, patient)


__all__ = [
    "AuditAction",
    "diff",
    "record",
    "record_list_view",
    "refusals_recorded_in_request",
    "set_emergency_resolver",
]
