"""Allergies and intolerances, structured (the FHIR AllergyIntolerance shape).

A substance comes from a catalogue: a formulary medicine (by the name the
formulary uses, so this app needs nothing from ``medications``), a group of
medicines with its members (opioids, NSAIDs…), or something that is not a
medicine (latex, a food, plasters; "other" with a description). A record is
never deleted: a mistake is marked entered in error with the reason, a wrong
allergy is refuted, and every change is a version (django-simple-history).
"No known drug allergies" is a statement someone made on a date, which is not
the same as nobody having asked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from hearth.allergies.catalogue import describe_substance, label_of, substance_param
from hearth.allergies.choices import (
    DRUG_KINDS,
    AllergyType,
    Certainty,
    ReactionSeverity,
    RecordStatus,
    SubstanceKind,
)
from hearth.core import messages
from hearth.core.models import ExternalIdModel

USER = settings.AUTH_USER_MODEL


class Substance(models.Model):
    """One entry of the catalogue. A group (``drug_class``) lists its member
    medicines; a medicine names the formulary drug it is (``drug_name``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SubstanceKind.choices)
    name = models.CharField(_("name"), max_length=120)
    drug_name = models.CharField(
        _("medicine name in the formulary"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("For a medicine: its name exactly as in the formulary."),
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="groups",
        blank=True,
        verbose_name=_("member medicines (for a group)"),
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="drug") | ~Q(drug_name=""),
                name="substance_drug_has_drug_name",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return label_of(self.code, self.name)

    @property
    def is_drug(self) -> bool:
        return self.kind in DRUG_KINDS


class AllergyQuerySet(models.QuerySet["AllergyIntolerance"]):
    def for_patient(self, patient: Any) -> AllergyQuerySet:
        return self.filter(patient=patient)

    def active(self) -> AllergyQuerySet:
        """What a prescriber must heed: recorded by a clinician, not refuted,
        not entered in error."""
        return self.filter(status=RecordStatus.RECORDED, entered_in_error_at__isnull=True).exclude(
            certainty=Certainty.REFUTED
        )

    def proposed(self) -> AllergyQuerySet:
        return self.filter(status=RecordStatus.PROPOSED, entered_in_error_at__isnull=True)

    def drug_allergies(self) -> AllergyQuerySet:
        """Allergies (not intolerances) to a medicine or a group of medicines:
        the ones a "no known drug allergies" statement denies."""
        return self.filter(type=AllergyType.ALLERGY, substance__kind__in=DRUG_KINDS)


class AllergyIntolerance(ExternalIdModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="allergies"
    )
    substance = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+")
    substance_text = models.CharField(
        _("description of the substance"), max_length=200, blank=True, default=""
    )
    type = models.CharField(
        _("allergy or intolerance"),
        max_length=12,
        choices=AllergyType.choices,
        default=AllergyType.ALLERGY,
    )
    reaction = models.TextField(_("what happened (the reaction)"), blank=True, default="")
    severity = models.CharField(
        _("how bad the reaction was"), max_length=12, choices=ReactionSeverity.choices, blank=True
    )
    certainty = models.CharField(
        _("certainty"), max_length=12, choices=Certainty.choices, default=Certainty.SUSPECTED
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.RECORDED
    )
    reported_by = models.CharField(_("who told us"), max_length=120)
    reported_on = models.DateField(_("when we were told"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("why the proposal was declined"), blank=True, default="")
    change_reason = models.TextField(_("reason for the last change"), blank=True, default="")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    entered_in_error_reason = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    objects = AllergyQuerySet.as_manager()

    class Meta:
        ordering = ["patient_id", "-reported_on", "-pk"]
        constraints = [
            # A clinician's record always says how bad the reaction was.
            models.CheckConstraint(
                condition=~Q(status="recorded") | ~Q(severity=""),
                name="recorded_allergy_has_severity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substance_label} ({self.get_type_display()})"

    def as_message(self) -> messages.Message:
        """As ``str()``, for a stored text: the substance's catalogue name and
        the type read in each reader's language."""
        return messages.text(
            gettext_noop("%(substance)s (%(type)s)"),
            substance=self.substance_param,
            type=messages.choice(self, "type"),
        )

    @property
    def substance_label(self) -> str:
        return describe_substance(self.substance.label, self.substance.kind, self.substance_text)

    @property
    def substance_param(self) -> Any:
        """``substance_label`` for a stored message, read in each reader's language."""
        return substance_param(
            self.substance.code, self.substance.name, self.substance.kind, self.substance_text
        )

    @property
    def is_active(self) -> bool:
        return (
            self.status == RecordStatus.RECORDED
            and self.entered_in_error_at is None
            and self.certainty != Certainty.REFUTED
        )

    @property
    def is_pending_proposal(self) -> bool:
        return self.status == RecordStatus.PROPOSED and self.entered_in_error_at is None


class NkdaQuerySet(models.QuerySet["NoKnownDrugAllergies"]):
    def current(self) -> NkdaQuerySet:
        return self.filter(ended_at__isnull=True)


class NoKnownDrugAllergies(ExternalIdModel):
    """ "No known drug allergies": who asked, who answered, when. It ends when
    a drug allergy is recorded, or when someone states it again (a new date)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="nkda_statements"
    )
    reported_by = models.CharField(_("who told us"), max_length=120)
    note = models.TextField(_("note"), blank=True, default="")
    stated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    stated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    #: Why it ended, in the service's language; the service writes it, so the
    #: key and parameters beside it give each reader their own language.
    end_reason = models.TextField(blank=True, default="")
    end_reason_key = models.CharField(max_length=300, blank=True, default="")
    end_reason_params = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    objects = NkdaQuerySet.as_manager()

    class Meta:
        ordering = ["patient_id", "-stated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(ended_at__isnull=True),
                name="one_current_nkda_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"NKDA {self.stated_at:%Y-%m-%d}"

    @property
    def end_reason_text(self) -> str:
        """Why the statement ended, in the reader's language (rows written
        before the key was kept show their stored text)."""
        return messages.render(
            self.end_reason_key, self.end_reason_params, fallback=self.end_reason
        )
