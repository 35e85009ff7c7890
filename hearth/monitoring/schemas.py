from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from hearth.accounts.schemas import PersonOut
from hearth.core.validation import AwareDateTime
from hearth.monitoring.choices import (
    AlertRule,
    AlertStatus,
    DeviceKind,
    OnCallRole,
    PhysiologicalRouting,
    Severity,
    TriageOutcome,
)
from hearth.monitoring.paging import nobody_can_be_paged
from hearth.monitoring.queries import alert_messages
from hearth.notifications.schemas import AttemptOut
from hearth.patients.schemas import StrictIn


class PatientRef(Schema):
    id: UUID = Field(alias="external_id")
    name: str = Field(alias="full_name")


class CheckInIn(StrictIn):
    esas: dict[str, int | None] = Field(default_factory=dict)
    other_problem: str = Field(default="", max_length=100)
    completed_by: str = ""
    note: str = Field(default="", max_length=4000)
    help_requested: bool = False
    cannot_cope: bool = False
    idempotency_key: str = Field(default="", max_length=80)


class CheckInOut(Schema):
    id: UUID = Field(alias="external_id")
    submitted_at: datetime
    submitted_by: PersonOut
    esas: dict[str, Any] | None = None
    esas_total: int | None = None
    esas_partial: bool | None = None
    note: str
    help_requested: bool
    cannot_cope: bool

    @staticmethod
    def resolve_esas(obj: Any) -> dict[str, Any] | None:
        return obj.esas.answers if obj.esas_id else None

    @staticmethod
    def resolve_esas_total(obj: Any) -> int | None:
        return obj.esas.total if obj.esas_id else None

    @staticmethod
    def resolve_esas_partial(obj: Any) -> bool | None:
        return obj.esas.partial if obj.esas_id else None


class DeviceIn(StrictIn):
    kind: DeviceKind
    label: str = Field(min_length=1, max_length=100)
    serial_number: str = Field(default="", max_length=60)


class DeviceOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: DeviceKind
    label: str
    serial_number: str
    prefix: str
    issued_at: datetime
    revoked_at: datetime | None
    last_reading_at: datetime | None


class DeviceIssuedOut(DeviceOut):
    token: str = Field(description="Shown once. Only its SHA-256 is kept.")


class ReadingsIn(Schema):
    readings: list[Any] = Field(
        description="Each: code, value, unit, observed_at (ISO 8601 with a time zone), and "
        "optionally patient_id (must be the device's own patient)."
    )


class ReadingResultOut(Schema):
    index: int
    status: str
    errors: dict[str, list[str]] = {}


class ReadingsOut(Schema):
    stored: int
    duplicates: int
    rejected: int
    results: list[ReadingResultOut]


class ObservationOut(Schema):
    code: str
    value: float
    unit: str
    observed_at: datetime
    device: str

    @staticmethod
    def resolve_device(obj: Any) -> str:
        return str(obj.device.label)


class ThresholdsIn(StrictIn):
    esas_item_threshold: int | None = None
    esas_item_overrides: dict[str, int] | None = None
    esas_rise_threshold: int | None = None
    physiological_routing: PhysiologicalRouting | None = None
    spo2_scale: int | None = None
    reason: str = Field(min_length=1, max_length=2000)


class ThresholdsOut(Schema):
    esas_item_threshold: int
    esas_item_overrides: dict[str, int]
    esas_rise_threshold: int
    physiological_routing: str
    effective_routing: str
    routing_reason: str
    spo2_scale: int
    personal: bool
    set_by: PersonOut | None = None
    set_at: datetime | None = None


class EvidenceOut(Schema):
    observed_at: datetime
    #: In the request's language (see ``AlertOut.summary``).
    description: str = Field(alias="description_text")
    description_key: str
    description_params: dict[str, object]
    source: str


class EscalationOut(Schema):
    escalated_at: datetime
    role: OnCallRole
    to_user: PersonOut | None
    note: str


class AlertOut(Schema):
    id: UUID = Field(alias="external_id")
    patient: PatientRef
    rule: AlertRule
    severity: Severity
    status: AlertStatus
    #: In the request's language; ``summary_key`` and ``summary_params`` are the
    #: text as stored (hearth.core.messages), empty for alerts raised before keys.
    summary: str = Field(alias="summary_text")
    summary_key: str
    summary_params: dict[str, object]
    #: In the request's language, as ``summary``.
    routing_note: str = Field(alias="routing_note_text")
    raised_at: datetime
    last_evidence_at: datetime
    owner: PersonOut | None
    owner_role: str
    acknowledge_by: datetime | None
    escalation_count: int
    acknowledged_at: datetime | None
    acknowledged_by: PersonOut | None
    triage_outcome: str
    triage_note: str
    resolved_at: datetime | None
    resolution_note: str


class AlertMessageOut(Schema):
    """A page (or the family's "your call was seen") and how its delivery went."""

    id: UUID = Field(alias="external_id")
    kind: str
    recipient: PersonOut
    status: str
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    finished_reason: str
    attempts: list[AttemptOut]

    @staticmethod
    def resolve_finished_reason(obj: Any) -> str:
        return obj.finished_reason_text  # type: ignore[no-any-return]

    @staticmethod
    def resolve_attempts(obj: Any) -> list[Any]:
        return list(obj.attempts.all())


class SmsReplyOut(Schema):
    acknowledged: bool
    alert_id: UUID
    detail: str


class AlertDetailOut(AlertOut):
    evidence: list[EvidenceOut]
    escalations: list[EscalationOut]
    #: The alert's delivery log: every page, to whom, and each try.
    messages: list[AlertMessageOut]
    #: Open, and its page can reach nobody (no owner, or no verified contact point).
    nobody_can_be_paged: bool

    @staticmethod
    def resolve_messages(obj: Any) -> list[Any]:
        return list(alert_messages(obj))

    @staticmethod
    def resolve_nobody_can_be_paged(obj: Any) -> bool:
        return nobody_can_be_paged(obj)

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_escalations(obj: Any) -> list[Any]:
        return list(obj.escalations.all())


class TriageIn(StrictIn):
    outcome: TriageOutcome
    note: str = Field(default="", max_length=4000)


class ResolveIn(StrictIn):
    note: str = Field(min_length=1, max_length=4000)


class AlertsQuery(Schema):
    status: str = "open"
    mine: bool = False


class OnCallShiftIn(StrictIn):
    role: OnCallRole
    staff_id: UUID
    starts_at: AwareDateTime
    ends_at: AwareDateTime


class OnCallShiftOut(Schema):
    id: UUID = Field(alias="external_id")
    role: OnCallRole
    staff: PersonOut
    starts_at: datetime
    ends_at: datetime
    cancelled_at: datetime | None
