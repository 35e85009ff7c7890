"""The patient record and the admission journey.

Rows here hold single-row invariants only; every change of state goes through
``patients.services`` so that permission, validation, transaction and audit
happen together.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.core import clock
from hearth.core.models import ExternalIdModel
from hearth.patients.choices import (
    AFTER_DEATH_STATES,
    OPEN_EPISODE_STATES,
    CareTeamRole,
    CommissionOutcome,
    DiagnosisGroup,
    DischargeReason,
    EpisodeStage,
    EpisodeState,
    FormOfCare,
    PlaceOfDeath,
    ReferrerType,
    ScreeningOutcome,
    Sex,
    SpictConditionIndicator,
    SpictGeneralIndicator,
    Urgency,
    relationship_label,
)

#: ICD-10 code: a letter, two digits (or digit + letter for some chapters), an
#: optional dot and up to four more characters, e.g. C34.1, G12.21, I50.
ICD10_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
icd10_validator = RegexValidator(
    ICD10_PATTERN, _("Enter an ICD-10 code such as C34.1 or I50.0 (letter, two digits, .detail).")
)
phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{6,20}$", _("Enter a phone number using digits, spaces and an optional +.")
)


class PatientQuerySet(models.QuerySet["Patient"]):
    def with_current_episode(self) -> PatientQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "episodes",
                queryset=Episode.objects.order_by("-opened_at"),
                to_attr="episodes_newest_first",
            )
        )

    def in_care(self) -> PatientQuerySet:
        """People in active home care now: alive, and their current (newest)
        episode is active. The same question as ``Patient.is_receiving_care``,
        asked of many patients in one query."""
        newest_state = (
            Episode.objects.filter(patient=models.OuterRef("pk"))
            .order_by("-opened_at")
            .values("state")[:1]
        )
        return self.alias(current_episode_state=models.Subquery(newest_state)).filter(
            date_of_death__isnull=True, current_episode_state=EpisodeState.ACTIVE
        )


class Patient(ExternalIdModel):
    record_number = models.CharField(
        _("record number"), max_length=32, unique=True, help_text=_("The service's own number.")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices)
    address_line = models.CharField(_("address"), max_length=200)
    city = models.CharField(_("town or city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone_primary = models.CharField(_("phone"), max_length=40, validators=[phone_validator])
    phone_secondary = models.CharField(
        _("second phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="en",
        help_text=_("Language code, e.g. en, ru, ar."),
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    faith = models.CharField(
        _("faith or belief"), max_length=100, blank=True, help_text=_("In the person's own words.")
    )
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_record",
        help_text=_("The person's own sign-in to the portal, if they have one."),
    )
    created_at = models.DateTimeField(default=clock.now)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                name="coordinates_together",
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def current_episode(self) -> Episode | None:
        cached = getattr(self, "episodes_newest_first", None)
        if cached is not None:
            return cached[0] if cached else None
        return self.episodes.order_by("-opened_at").first()

    @property
    def is_receiving_care(self) -> bool:
        """Alive, and the current episode is active home care. Prescribing,
        lending equipment and planning visits are for these people only: not
        for someone referred and not yet admitted, discharged, or who has died."""
        episode = self.current_episode
        return (
            self.date_of_death is None
            and episode is not None
            and episode.state == EpisodeState.ACTIVE
        )

    def death_episode(self) -> Episode | None:
        """The episode in which this person died, or None while they live. The
        team's debrief, the bereavement plan and who was on the team at the
        time all hang on this one episode."""
        return Episode.objects.filter(patient=self).of_death().first()

    @property
    def primary_diagnosis(self) -> Diagnosis | None:
        cached = getattr(self, "active_diagnoses", None)
        if cached is not None:
            primaries = [d for d in cached if d.is_primary]
            return (primaries or cached or [None])[0]
        return self.diagnoses.filter(entered_in_error=False).order_by("-is_primary", "id").first()

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        today = clock.today()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = [_("Date of birth cannot be in the future.")]
        if self.date_of_birth and self.date_of_birth.year < 1890:
            errors["date_of_birth"] = [_("Check the year of birth.")]
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = [
                _("Give both latitude and longitude, or neither.")
            ]
        if self.date_of_death and self.date_of_birth and self.date_of_death < self.date_of_birth:
            errors["date_of_death"] = [_("Date of death cannot be before date of birth.")]
        if errors:
            raise ValidationError(errors)


class DiagnosisQuerySet(models.QuerySet["Diagnosis"]):
    def current(self) -> DiagnosisQuerySet:
        return self.filter(entered_in_error=False)


class Diagnosis(ExternalIdModel):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="diagnoses")
    icd10_code = models.CharField(_("ICD-10 code"), max_length=10, validators=[icd10_validator])
    text = models.CharField(_("diagnosis"), max_length=200)
    group = models.CharField(_("diagnosis group"), max_length=32, choices=DiagnosisGroup.choices)
    is_primary = models.BooleanField(_("primary diagnosis"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)
    entered_in_error = models.BooleanField(default=False)

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name_plural = "diagnoses"
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(is_primary=True, entered_in_error=False),
                name="one_primary_diagnosis_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.icd10_code} {self.text}"


class CaregiverLink(ExternalIdModel):
    """A family caregiver's sign-in, tied to exactly one patient."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caregiver_link"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="caregivers")
    relationship = models.CharField(_("relationship"), max_length=60)
    is_primary_caregiver = models.BooleanField(_("primary caregiver"), default=False)
    is_proxy_decision_maker = models.BooleanField(_("proxy decision-maker"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    added_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_primary_caregiver", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(is_primary_caregiver=True, ended_at__isnull=True),
                name="one_primary_caregiver_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.relationship_label})"

    @property
    def relationship_label(self) -> str:
        """The relationship in the reader's language when it is a known word."""
        return relationship_label(self.relationship)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def open(self) -> EpisodeQuerySet:
        return self.filter(state__in=OPEN_EPISODE_STATES)

    def of_death(self) -> EpisodeQuerySet:
        """Episodes in which the patient died, the latest death first (a person
        dies once, so for one patient this is at most one episode)."""
        return self.filter(died_at__isnull=False, state__in=AFTER_DEATH_STATES).order_by(
            "-died_at", "-id"
        )


class Episode(ExternalIdModel):
    """One period of the service's involvement, from referral to closure."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    state = models.CharField(max_length=32, choices=EpisodeState.choices)
    opened_at = models.DateTimeField(default=clock.now)
    admitted_at = models.DateTimeField(null=True, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_review_date = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=32, choices=DischargeReason.choices, blank=True)
    discharge_note = models.TextField(blank=True)
    died_at = models.DateTimeField(_("date and time of death"), null=True, blank=True)
    place_of_death = models.CharField(max_length=16, choices=PlaceOfDeath.choices, blank=True)
    death_note = models.TextField(blank=True)
    death_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bereavement_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Not stored: set by ``discharge`` and ``record_death`` to what the end of
    #: home care closed (``signals.CareEndSummary``), for the page and the API.
    care_end_summary: Any = None
    closing_note = models.TextField(blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(state__in=sorted(OPEN_EPISODE_STATES)),
                name="one_open_episode_per_patient",
            ),
            models.CheckConstraint(
                name="active_episode_was_admitted",
                condition=~models.Q(state="active") | models.Q(admitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} — {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_EPISODE_STATES

    @property
    def current_decision(self) -> CommissionDecision | None:
        """The decision in force: the most recent signed one supersedes all earlier.
        Uses prefetched decisions when a list page fetched them (no query per row)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("commission_decisions")
        if prefetched is not None:
            return max(prefetched, key=lambda d: (d.signed_at, d.pk), default=None)
        return self.commission_decisions.order_by("-signed_at", "-id").first()

    @property
    def stage(self) -> EpisodeStage:
        """The stage a person should read: while the episode awaits the
        commission, the decision in force says whether it still waits
        (none yet), waits again (deferred) or waits for admission (granted)."""
        if self.state != EpisodeState.AWAITING_COMMISSION:
            return EpisodeStage(self.state)
        decision = self.current_decision
        if decision is None:
            return EpisodeStage.AWAITING_COMMISSION
        if decision.outcome == CommissionOutcome.GRANTED:
            return EpisodeStage.AWAITING_ADMISSION
        if decision.outcome == CommissionOutcome.DEFERRED:
            return EpisodeStage.COMMISSION_DEFERRED
        return EpisodeStage.AWAITING_COMMISSION

    def get_stage_display(self) -> str:
        return str(self.stage.label)

    def days_since_admission(self, today: date | None = None) -> int | None:
        if self.admitted_at is None:
            return None
        from django.utils import timezone

        end = today or clock.today()
        return (end - timezone.localdate(self.admitted_at)).days


class Referral(ExternalIdModel):
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="referral")
    referrer_type = models.CharField(_("referred by"), max_length=32, choices=ReferrerType.choices)
    referrer_name = models.CharField(_("referrer's name"), max_length=150)
    referrer_organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    referrer_phone = models.CharField(
        _("referrer's phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    reason = models.TextField(_("reason for referral"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    received_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Referral of {self.episode.patient} ({self.get_urgency_display()})"


class EligibilityScreening(ExternalIdModel):
    """SPICT is a prompt for a clinical decision, not a score: we record which
    indicators were present and the clinician's own conclusion."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="screenings")
    general_indicators = models.JSONField(default=list)
    condition_indicators = models.JSONField(default=list)
    condition_details = models.TextField(blank=True)
    conclusion = models.TextField(_("clinician's conclusion"))
    outcome = models.CharField(max_length=32, choices=ScreeningOutcome.choices)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-screened_at"]

    def __str__(self) -> str:
        return f"Screening {self.get_outcome_display()}"

    @property
    def general_indicator_labels(self) -> list[str]:
        """The SPICT general indicators found, as the clinician read them."""
        return [
            str(SpictGeneralIndicator(code).label)
            for code in self.general_indicators
            if code in SpictGeneralIndicator.values
        ]

    @property
    def condition_indicator_labels(self) -> list[str]:
        return [
            str(SpictConditionIndicator(code).label)
            for code in self.condition_indicators
            if code in SpictConditionIndicator.values
        ]


class ImmutableRecordError(Exception):
    pass


class CommissionDecision(ExternalIdModel):
    """A signed decision of the medical commission. Never edited: a later
    decision supersedes it, and both stay readable."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="commission_decisions"
    )
    decided_on = models.DateField(_("date of the commission"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diagnosis_code = models.CharField(_("ICD-10 code"), max_length=10, validators=[icd10_validator])
    diagnosis_text = models.CharField(_("diagnosis"), max_length=200)
    indications = models.TextField(_("indications"))
    form_of_care = models.CharField(_("form of care"), max_length=16, choices=FormOfCare.choices)
    outcome = models.CharField(_("decision"), max_length=16, choices=CommissionOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.decided_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecordError("A signed commission decision cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("A signed commission decision cannot be deleted.")


class CareTeamAssignmentQuerySet(models.QuerySet["CareTeamAssignment"]):
    def current(self) -> CareTeamAssignmentQuerySet:
        return self.filter(ended_at__isnull=True)


class CareTeamAssignment(ExternalIdModel):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_team")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=CareTeamRole.choices)
    started_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CareTeamAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "staff", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_assignment_per_role",
            )
        ]
        indexes = [
            # A clinician's current caseload (``access.patients_visible_to``):
            # only current places, each giving the patient without a table read.
            models.Index(
                fields=["staff", "patient"],
                condition=models.Q(ended_at__isnull=True),
                name="care_team_current_by_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} as {self.get_role_display()}"


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def in_force(self) -> EmergencyAccessQuerySet:
        return self.filter(expires_at__gt=clock.now(), ended_at__isnull=True)

    def awaiting_review(self) -> EmergencyAccessQuerySet:
        return self.filter(reviewed_at__isnull=True)


class EmergencyAccess(ExternalIdModel):
    """ "Break the glass": a time-limited grant to open a record outside one's
    caseload, always with a reason and always reviewed by the clinical lead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(
        max_length=16,
        blank=True,
        choices=[("appropriate", _("Appropriate")), ("concern", _("Raised a concern"))],
    )
    review_note = models.TextField(blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "emergency accesses"
        indexes = [
            # Emergency access a person holds now (every access check).
            models.Index(fields=["user", "expires_at"], name="emergency_access_user_expiry")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.patient} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def in_force(self) -> bool:
        return self.ended_at is None and self.expires_at > clock.now()


class RecordNumberCounter(models.Model):
    """The last sequence number given out for one series of record numbers.

    A series is the record-number pattern with everything but the sequence
    filled in ("H-2026-{sequence:05d}"), so a pattern with the year starts again
    at 1 each year and one without it never does. The row is locked while a
    number is taken, so two referrals saved at the same moment never get the
    same number (``patients.record_numbers``).
    """

    series = models.CharField(max_length=64, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last}"
