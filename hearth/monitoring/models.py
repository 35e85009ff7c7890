"""Check-ins, home devices and their readings, personal thresholds, alerts and
the on-call roster."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.assessments.models import AssessmentResponse
from hearth.core import clock, messages
from hearth.core.models import ExternalIdModel
from hearth.monitoring.choices import (
    OPEN_STATUSES,
    AlertOwnerRole,
    AlertRule,
    AlertStatus,
    DeviceKind,
    OnCallRole,
    PhysiologicalRouting,
    Severity,
    TriageOutcome,
)
from hearth.patients.models import Patient


class CheckIn(ExternalIdModel):
    """A daily check-in from the patient or family: ESAS-r, their own words, and
    the two buttons that must never wait (help now; cannot cope)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="check_ins")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=clock.now, db_index=True)
    esas = models.OneToOneField(
        AssessmentResponse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="check_in",
    )
    note = models.TextField(_("anything else to tell the team"), blank=True, default="")
    help_requested = models.BooleanField(_("we need help now"), default=False)
    cannot_cope = models.BooleanField(_("I cannot cope with caring right now"), default=False)
    idempotency_key = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_check_in_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"Check-in {self.submitted_at:%Y-%m-%d %H:%M}"


class DeviceQuerySet(models.QuerySet["MonitoringDevice"]):
    def usable(self) -> DeviceQuerySet:
        return self.filter(revoked_at__isnull=True)


class MonitoringDevice(ExternalIdModel):
    """A device in the home with its own token: it can write readings for its
    own patient and nothing else. Only the token's SHA-256 is stored."""

    TOKEN_PREFIX = "hdv_"  # noqa: S105 - a public prefix, not a secret  # nosec B105

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="devices")
    kind = models.CharField(_("kind"), max_length=24, choices=DeviceKind.choices)
    label = models.CharField(_("label"), max_length=100)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True, default="")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=clock.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_reading_at = models.DateTimeField(null=True, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Observation(models.Model):
    """One home-device reading. Integer key only: readings are many and are
    reached through their patient; a device sends the same reading at most once
    (device + code + time)."""

    # No single-column indexes on the two keys: every look-up by patient or by
    # device is served by the composite indexes below that start with it, and
    # each extra index is one more page to change for every reading stored.
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    device = models.ForeignKey(
        MonitoringDevice, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    code = models.CharField(max_length=32)
    value = models.FloatField()
    unit = models.CharField(max_length=16)
    observed_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-observed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "code", "observed_at"], name="one_reading_per_device_code_time"
            )
        ]
        indexes = [
            models.Index(
                fields=["patient", "code", "-observed_at"], name="observation_patient_time"
            ),
            # Every reading of a patient, newest first (the readings list and
            # the API, whatever the code): without it the database sorts a
            # whole window of a minute-by-minute device.
            models.Index(fields=["patient", "-observed_at"], name="observation_patient_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value}{self.unit} at {self.observed_at:%Y-%m-%d %H:%M}"


class PersonalThresholds(models.Model):
    """This person's own alert thresholds, set by a physician; defaults come
    from settings (docs/clinical-reference.md). History keeps every earlier version."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="thresholds")
    esas_item_threshold = models.PositiveSmallIntegerField(
        _("alert when any ESAS item is at least"), null=True, blank=True
    )
    #: {item: threshold} for single items (e.g. pain 5 for someone whose pain is the worry).
    esas_item_overrides = models.JSONField(_("thresholds for single items"), default=dict)
    esas_rise_threshold = models.PositiveSmallIntegerField(
        _("alert when an item rises by at least"), null=True, blank=True
    )
    physiological_routing = models.CharField(
        _("NEWS2 triggers"),
        max_length=16,
        choices=PhysiologicalRouting.choices,
        default=PhysiologicalRouting.AUTOMATIC,
    )
    spo2_scale = models.PositiveSmallIntegerField(
        _("SpO2 scale"),
        choices=[(1, _("Scale 1")), (2, _("Scale 2 (target 88–92%)"))],
        default=1,
    )
    reason = models.TextField(_("reason"), blank=True, default="")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Thresholds for patient {self.patient_id}"


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_patient(self, patient: Patient) -> AlertQuerySet:
        return self.filter(patient=patient)


class Alert(ExternalIdModel):
    """Something the team must act on. One open alert per rule and patient:
    later evidence is attached to it, not raised again."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=32, choices=AlertRule.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    summary = models.CharField(_("summary"), max_length=300)
    #: The summary as a gettext key and parameters (``hearth.core.messages``):
    #: read in each reader's language; ``summary`` keeps the service-language
    #: text, and is the only text of alerts raised before keys.
    summary_key = models.CharField(max_length=300, blank=True, default="")
    summary_params = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(default=clock.now)
    last_evidence_at = models.DateTimeField(default=clock.now)
    #: Why a physiological alert is a comfort check rather than an emergency:
    #: the service-language text; ``routing_note_key`` and ``routing_note_params``
    #: as ``summary_key`` (empty for alerts raised before keys).
    routing_note = models.CharField(max_length=300, blank=True, default="")
    routing_note_key = models.CharField(max_length=300, blank=True, default="")
    routing_note_params = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_role = models.CharField(max_length=16, choices=AlertOwnerRole.choices, blank=True)
    acknowledge_by = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    #: This alert's own minutes to acknowledge, for the first deadline and every
    #: step up the chain (NEWS2: ``HEARTH_NEWS2_RESPONSE``); empty = the
    #: severity's default (``HEARTH_ACKNOWLEDGE_MINUTES``, low: next working day).
    acknowledge_within_minutes = models.PositiveIntegerField(
        _("minutes to acknowledge"), null=True, blank=True
    )
    escalation_count = models.PositiveSmallIntegerField(default=0)
    #: Bumped each time the escalation timer is (re)set; a timer task that finds
    #: another version has been replaced and does nothing.
    timer_version = models.PositiveIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_outcome = models.CharField(
        _("triage"), max_length=32, choices=TriageOutcome.choices, blank=True, default=""
    )
    triage_note = models.TextField(_("triage note"), blank=True, default="")
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(_("resolution note"), blank=True, default="")

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="one_open_alert_per_rule_and_patient",
            )
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="alert_status_severity"),
            # Open alerts someone owns (paging, the on-call check, the badge).
            models.Index(fields=["status", "owner"], name="alert_status_owner"),
            # A patient's open alerts (the record, the caseload's alerts).
            models.Index(fields=["patient", "status"], name="alert_patient_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.get_rule_display()} ({self.status})"

    @property
    def summary_text(self) -> str:
        """The summary in the reader's (active) language; the stored text for
        alerts raised before keys, or a key that cannot be rendered."""
        return messages.render(self.summary_key, self.summary_params, fallback=self.summary)

    @property
    def routing_note_text(self) -> str:
        """``routing_note`` in the reader's (active) language, as ``summary_text``."""
        return messages.render(
            self.routing_note_key, self.routing_note_params, fallback=self.routing_note
        )

    @property
    def summary_message(self) -> messages.Message | str:
        """The summary to put into another stored text (an audit event)."""
        return messages.from_row(self.summary_key, self.summary_params, self.summary)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == AlertStatus.OPEN
            and self.acknowledge_by is not None
            and self.acknowledge_by < clock.now()
        )


class AlertEvidence(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="evidence")
    recorded_at = models.DateTimeField(default=clock.now)
    observed_at = models.DateTimeField()
    description = models.CharField(max_length=300)
    #: As ``Alert.summary_key``: the description in each reader's language.
    description_key = models.CharField(max_length=300, blank=True, default="")
    description_params = models.JSONField(default=dict, blank=True)
    #: What it came from: "check_in", "assessment", "observation".
    source = models.CharField(max_length=20)
    source_id = models.CharField(max_length=64, blank=True, default="")
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-observed_at", "-id"]

    def __str__(self) -> str:
        return self.description

    @property
    def description_text(self) -> str:
        """The description in the reader's (active) language."""
        return messages.render(
            self.description_key, self.description_params, fallback=self.description
        )


class AlertEscalation(models.Model):
    """Each step up the on-call chain: when, to whom, and why."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="escalations")
    #: When it happened, and when it was due (the deadline that passed): after
    #: an outage the chain catches up, each step due on time but done late.
    escalated_at = models.DateTimeField(default=clock.now)
    due_at = models.DateTimeField(null=True, blank=True)
    role = models.CharField(max_length=16, choices=OnCallRole.choices)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["escalated_at", "id"]

    def __str__(self) -> str:
        return f"{self.role} at {self.escalated_at:%H:%M}"


class OnCallShiftQuerySet(models.QuerySet["OnCallShift"]):
    def covering(self, moment: Any) -> OnCallShiftQuerySet:
        return self.filter(starts_at__lte=moment, ends_at__gt=moment, cancelled_at__isnull=True)


class OnCallShift(ExternalIdModel):
    """Who is on call for which step of the chain, from when to when."""

    role = models.CharField(_("role"), max_length=16, choices=OnCallRole.choices)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OnCallShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="on_call_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.staff} {self.starts_at:%Y-%m-%d %H:%M}"
