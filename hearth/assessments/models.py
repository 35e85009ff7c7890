"""Scored instrument responses and phases of illness.

A response keeps the answers as given and the scores computed at the time, so
a later change to the registry never rewrites what a clinician saw. Clinical
records are never deleted: a wrong one is marked entered-in-error.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearth.assessments import instruments
from hearth.assessments.choices import Context, Phase, Respondent
from hearth.core import clock
from hearth.core.models import ExternalIdModel
from hearth.patients.models import CaregiverLink, Patient


class AssessmentQuerySet(models.QuerySet["AssessmentResponse"]):
    def for_patient(self, patient: Patient) -> AssessmentQuerySet:
        return self.filter(patient=patient)

    def valid(self) -> AssessmentQuerySet:
        return self.filter(entered_in_error_at__isnull=True)

    def of(self, instrument: str) -> AssessmentQuerySet:
        return self.filter(instrument=instrument)


class AssessmentResponse(ExternalIdModel):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(_("instrument"), max_length=20)
    answers = models.JSONField(_("answers"), default=dict)
    other_problem = models.CharField(
        _("other problem (named)"), max_length=100, blank=True, default=""
    )
    completed_by = models.CharField(_("completed by"), max_length=20, choices=Respondent.choices)
    #: For caregiver-strain instruments: which family caregiver it is about.
    caregiver = models.ForeignKey(
        CaregiverLink,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strain_assessments",
    )
    context = models.CharField(
        _("context"), max_length=20, choices=Context.choices, default=Context.OTHER
    )
    assessed_at = models.DateTimeField(_("assessed at"), db_index=True)
    recorded_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: Signed: RASS-PAL runs from -5 and the Victoria Bowel Performance Scale from -4.
    total = models.SmallIntegerField(null=True, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    item_bands = models.JSONField(default=dict, blank=True)
    total_band = models.CharField(max_length=20, blank=True, default="")
    partial = models.BooleanField(default=False)
    #: Items a proxy could not assess (IPOS staff version): out of every sum.
    not_assessed = models.JSONField(default=list, blank=True)
    #: The names given with free-text items (IPOS "other symptoms"), by item.
    item_names = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True, default="")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.CharField(max_length=300, blank=True, default="")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(
                fields=["patient", "instrument", "-assessed_at"], name="assessment_patient_time"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_assessment_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.assessed_at:%Y-%m-%d %H:%M} total={self.total}"

    @property
    def definition(self) -> instruments.Instrument | None:
        return instruments.get(self.instrument)

    @property
    def instrument_name(self) -> Any:
        definition = self.definition
        return definition.name if definition else self.instrument

    def value(self, item: str) -> int | None:
        value = self.answers.get(item)
        return int(value) if value is not None else None

    @property
    def signed(self) -> bool:
        definition = self.definition
        return definition is not None and definition.minimum_total < 0

    @property
    def total_display(self) -> str:
        """The total as a nurse reads it: a signed scale keeps its sign (RASS-PAL
        "+2" is agitation, "-2" light sedation; never a bare "2")."""
        if self.total is None:
            return "—"
        return f"{self.total:+d}" if self.signed and self.total else str(self.total)

    @property
    def total_band_label(self) -> str:
        definition = self.definition
        if definition is None or not self.total_band:
            return ""
        band = next((b for b in definition.total_bands if b.key == self.total_band), None)
        return str(band.label) if band else self.total_band

    def concern_labels(self) -> list[str]:
        """The items marked as a concern (IPOS: 3 or 4), named as on the form;
        a named other symptom shows its name."""
        definition = self.definition
        if definition is None:
            return []
        labels = []
        for key, band in self.item_bands.items():
            if band != instruments.CONCERN:
                continue
            item = definition.item(key)
            name = self.item_names.get(key) if item is not None and item.named else None
            labels.append(str(name or (item.topic or item.label if item else key)))
        return labels


class PhaseQuerySet(models.QuerySet["PhaseOfIllness"]):
    def current(self) -> PhaseQuerySet:
        return self.filter(ended_at__isnull=True)


class PhaseOfIllness(ExternalIdModel):
    """A period in one phase: it starts, it ends, and the reason it ended is kept
    (PCOC counts how long unstable phases last)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="phases")
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("why"), max_length=300, blank=True, default="")
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True, default="")

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(ended_at__isnull=True), name="one_current_phase"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="phase_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} from {self.started_at:%Y-%m-%d}"

    @property
    def duration(self) -> Any:
        return (self.ended_at or clock.now()) - self.started_at
