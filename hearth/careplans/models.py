"""Holistic assessment, the interdisciplinary care plan and the advance care plan.

Care plans and advance care plans are versioned by rows, not edited in place:
a draft is changed until it is activated (care plan) or signed (advance care
plan); then it is frozen and the next change starts a new draft. The database
holds at most one active care plan and one current advance care plan per patient.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline
from hearth.careplans.choices import (
    AcpStatus,
    Capacity,
    CprDecision,
    Domain,
    FocusOfCare,
    FoodContent,
    InterventionChoice,
    InterventionKind,
    InterventionPeriod,
    NeedSeverity,
    PlanStatus,
    Preference,
    ReviewTaskStatus,
    ReviewTrigger,
    frequency,
)
from hearth.core import messages
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.personhood.choices import PlaceOfCare

USER = settings.AUTH_USER_MODEL


class HolisticAssessment(ExternalIdModel):
    """A look at the whole person across six domains, at one moment."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="holistic_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    summary = models.TextField(_("summary"), blank=True, default="")

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Holistic assessment {self.assessed_on}"


class AssessedNeed(ExternalIdModel):
    assessment = models.ForeignKey(
        HolisticAssessment, on_delete=models.CASCADE, related_name="needs"
    )
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.CharField(_("need"), max_length=500)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=NeedSeverity.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class CarePlanQuerySet(models.QuerySet["CarePlan"]):
    def active(self) -> CarePlanQuerySet:
        return self.filter(status=PlanStatus.ACTIVE)

    def for_patient(self, patient: Any) -> CarePlanQuerySet:
        return self.filter(patient=patient)


class CarePlan(ExternalIdModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="care_plans"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("summary for the family"), blank=True, default="")
    review_date = models.DateField(_("review date"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    activated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CarePlanQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version"], name="one_care_plan_per_version"
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="one_active_care_plan_per_patient",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="draft"),
                name="one_draft_care_plan_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan v{self.version} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanNeed(ExternalIdModel):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.CharField(_("need"), max_length=500)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=NeedSeverity.choices)
    from_assessment = models.ForeignKey(
        AssessedNeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class PlanGoal(ExternalIdModel):
    need = models.ForeignKey(PlanNeed, on_delete=models.CASCADE, related_name="goals")
    in_own_words = models.CharField(_("goal in the person's own words"), max_length=500)
    measurable_target = models.CharField(_("measurable target"), max_length=300)
    target_date = models.DateField(_("by when"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.in_own_words


class PlanIntervention(ExternalIdModel):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="interventions")
    description = models.CharField(_("what will be done"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    discipline = models.CharField(_("discipline"), max_length=32, choices=Discipline.choices)
    responsible = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("responsible staff member"),
    )
    times = models.PositiveSmallIntegerField(
        _("how often"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    per = models.CharField(
        _("per"), max_length=8, choices=InterventionPeriod.choices, blank=True, default=""
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes each time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    food_contains = ChoiceListField(
        _("food or feed contains"),
        item_choices=FoodContent.choices,
        help_text=_("For meals, supplements and feeds: checked against the person's diet."),
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (self.times is None) != (not self.per):
            errors["per"] = _("Give both how often and per day or week, or neither.")
        if self.kind in ("home_visit", "teleconsult") and self.times is None:
            errors["times"] = _("Say how often visits and teleconsultations happen.")
        if self.kind in ("home_visit", "teleconsult") and self.duration_minutes is None:
            errors["duration_minutes"] = _("Say how long each visit takes.")
        if self.food_contains and self.kind != "meal_or_feeding":
            errors["food_contains"] = _("Only meals and feeds have food contents.")
        if errors:
            raise ValidationError(errors)

    @property
    def frequency_message(self) -> messages.Message | None:
        """ "3× a week, 45 min", kept as a key when put into a stored text."""
        if self.times is None or not self.per:
            return None
        return frequency(self.times, self.per, self.duration_minutes)

    @property
    def frequency_label(self) -> str:
        """ "3× a week, 45 min": how the plan reads at the bedside."""
        message = self.frequency_message
        return message.render() if message is not None else ""


class TeamMeeting(ExternalIdModel):
    """An interdisciplinary team meeting about one patient."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="team_meetings"
    )
    held_on = models.DateField(_("held on"))
    attendees: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="+", verbose_name=_("staff present")
    )
    other_attendees = models.CharField(
        _("others present"),
        max_length=500,
        help_text=_("Patient, family, GP…"),
        blank=True,
        default="",
    )
    discussion = models.TextField(_("discussion"), blank=True, default="")
    decisions = models.TextField(_("decisions"))
    approved_plan = models.ForeignKey(
        CarePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approving_meetings",
        verbose_name=_("care plan version approved"),
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Team meeting {self.held_on}"


class AdvanceCarePlanQuerySet(models.QuerySet["AdvanceCarePlan"]):
    def current(self) -> AdvanceCarePlanQuerySet:
        return self.filter(status=AcpStatus.CURRENT)


class AdvanceCarePlan(ExternalIdModel):
    """Recommendations for emergency care, after the ReSPECT process (docs/clinical-reference.md).

    Signed by a physician; after signing it never changes, and the next
    conversation starts a new version.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="advance_care_plans"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=AcpStatus.choices, default=AcpStatus.DRAFT)
    # Summary of relevant information
    relevant_information = models.TextField(
        _("summary of relevant information"),
        help_text=_("Diagnoses, communication needs, other care-planning documents."),
        blank=True,
        default="",
    )
    # The person's preferences
    preference = models.PositiveSmallIntegerField(
        _("the person's priorities"), choices=Preference.choices, null=True, blank=True
    )
    what_matters = models.TextField(_("what matters to them"), blank=True, default="")
    # Clinical recommendations
    focus_of_care = models.CharField(
        _("focus of care"), max_length=12, choices=FocusOfCare.choices, blank=True, default=""
    )
    hospital_transfer = models.CharField(
        _("transfer to hospital"),
        max_length=16,
        choices=InterventionChoice.choices,
        default=InterventionChoice.NOT_DISCUSSED,
    )
    antibiotics = models.CharField(
        _("antibiotics"),
        max_length=16,
        choices=InterventionChoice.choices,
        default=InterventionChoice.NOT_DISCUSSED,
    )
    artificial_nutrition = models.CharField(
        _("artificial nutrition or feeding tube"),
        max_length=16,
        choices=InterventionChoice.choices,
        default=InterventionChoice.NOT_DISCUSSED,
    )
    non_invasive_ventilation = models.CharField(
        _("non-invasive ventilation"),
        max_length=16,
        choices=InterventionChoice.choices,
        default=InterventionChoice.NOT_DISCUSSED,
    )
    other_recommendations = models.TextField(_("other recommendations"), blank=True, default="")
    cpr = models.CharField(
        _("CPR"), max_length=16, choices=CprDecision.choices, blank=True, default=""
    )
    cpr_reason = models.TextField(_("reason for the CPR decision"), blank=True, default="")
    # Capacity and representation
    capacity = models.CharField(
        _("capacity"), max_length=16, choices=Capacity.choices, blank=True, default=""
    )
    proxy_name = models.CharField(
        _("proxy or legal representative"), max_length=200, blank=True, default=""
    )
    proxy_relationship = models.CharField(_("relationship"), max_length=100, blank=True, default="")
    proxy_phone = models.CharField(_("proxy phone"), max_length=40, blank=True, default="")
    # Involvement
    patient_involved = models.BooleanField(_("the person took part"), default=False)
    not_involved_reason = models.CharField(
        _("why the person did not take part"), max_length=300, blank=True, default=""
    )
    others_involved = models.TextField(_("others involved"), blank=True, default="")
    # Places
    preferred_place_of_care = models.CharField(
        _("preferred place of care"),
        max_length=20,
        choices=PlaceOfCare.choices,
        blank=True,
        default="",
    )
    preferred_place_of_death = models.CharField(
        _("preferred place of death"),
        max_length=20,
        choices=PlaceOfCare.choices,
        blank=True,
        default="",
    )
    emergency_contacts = models.TextField(
        _("emergency contacts"),
        help_text=_("One per line: name, relationship, phone."),
        blank=True,
        default="",
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    # Bookkeeping
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = AdvanceCarePlanQuerySet.as_manager()

    #: Fields a clinician fills in on the draft (everything else is bookkeeping).
    CONTENT_FIELDS = (
        "relevant_information",
        "preference",
        "what_matters",
        "focus_of_care",
        "hospital_transfer",
        "antibiotics",
        "artificial_nutrition",
        "non_invasive_ventilation",
        "other_recommendations",
        "cpr",
        "cpr_reason",
        "capacity",
        "proxy_name",
        "proxy_relationship",
        "proxy_phone",
        "patient_involved",
        "not_involved_reason",
        "others_involved",
        "preferred_place_of_care",
        "preferred_place_of_death",
        "emergency_contacts",
        "review_date",
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="one_acp_per_version"),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="current"), name="one_current_acp"
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="draft"), name="one_draft_acp"
            ),
            models.CheckConstraint(
                name="signed_acp_has_signature",
                condition=Q(status="draft") | Q(signed_by__isnull=False, signed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Advance care plan v{self.version} ({self.status})"

    def signing_problems(self, today: date) -> dict[str, list[str]]:
        """What must be filled in before a physician can sign (field → reasons)."""
        problems: dict[str, list[str]] = {}

        def need(field: str, message: Any) -> None:
            problems.setdefault(field, []).append(str(message))

        if not self.cpr:
            need("cpr", _("Record the CPR decision."))
        if self.cpr == CprDecision.DO_NOT_ATTEMPT and not self.cpr_reason.strip():
            need("cpr_reason", _("Give the reason for not attempting CPR."))
        if not self.focus_of_care:
            need("focus_of_care", _("Choose the focus of care."))
        if not self.capacity:
            need("capacity", _("Record whether the person has capacity for these decisions."))
        if self.capacity == Capacity.LACKS_CAPACITY and not self.proxy_name.strip():
            need("proxy_name", _("Name the proxy or legal representative, or write 'none'."))
        if not self.patient_involved and not self.not_involved_reason.strip():
            need("not_involved_reason", _("Say why the person did not take part."))
        if self.review_date is None:
            need("review_date", _("Set a review date."))
        elif self.review_date <= today:
            need("review_date", _("The review date must be in the future."))
        return problems

    @property
    def contacts(self) -> list[str]:
        return [line.strip() for line in self.emergency_contacts.splitlines() if line.strip()]


class CarePlanReviewTaskQuerySet(models.QuerySet["CarePlanReviewTask"]):
    def open(self) -> CarePlanReviewTaskQuerySet:
        return self.filter(status=ReviewTaskStatus.OPEN)

    def for_patient(self, patient: Any) -> CarePlanReviewTaskQuerySet:
        return self.filter(patient=patient)


class CarePlanReviewTask(ExternalIdModel):
    """A prompt to the key clinicians to review the care plan because the phase
    of illness changed (entering the terminal or unstable phase): goals such as
    "a meal with the family 3× a week" may no longer fit. One per phase start;
    done when a new version of the plan is activated or a review is recorded,
    or dismissed with a reason."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="care_plan_reviews"
    )
    phase = models.CharField(_("phase entered"), max_length=16, choices=ReviewTrigger.choices)
    phase_started_at = models.DateTimeField(_("phase started"))
    #: The phase period's own id in the assessments app (which this app may not
    #: import): one task per phase start, whatever sends the signal twice.
    phase_record_id = models.PositiveIntegerField()
    assignees: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="care_plan_reviews", blank=True, verbose_name=_("for")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewTaskStatus.choices, default=ReviewTaskStatus.OPEN
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: What the review found, or why it was dismissed.
    outcome = models.TextField(_("outcome"), blank=True, default="")
    #: ``outcome`` as a key and parameters (``hearth.core.messages``) when the
    #: service closed the task ("Care plan version 3 activated."): read in each
    #: reader's language; empty for what a clinician typed.
    outcome_key = models.CharField(max_length=300, blank=True, default="")
    outcome_params = models.JSONField(default=dict, blank=True)
    #: The version activated after the phase change that completed the review.
    reviewed_in = models.ForeignKey(
        CarePlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CarePlanReviewTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "phase_record_id"], name="one_review_task_per_phase_start"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_review_task_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Care plan review ({self.phase}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewTaskStatus.OPEN

    @property
    def reason_message(self) -> messages.Message:
        """Why the review is asked for, as a key and the phase's start day, so
        an audit event that quotes it reads in each reader's language."""
        on = timezone.localtime(self.phase_started_at).date()
        if self.phase == ReviewTrigger.TERMINAL:
            return messages.text(
                gettext_noop(
                    "Entered the terminal phase on %(date)s: review goals and interventions; "
                    "consider stopping non-essential medicines and observations."
                ),
                date=on,
            )
        return messages.text(
            gettext_noop(
                "Entered the unstable phase on %(date)s: the plan may need an urgent change; "
                "review goals and interventions."
            ),
            date=on,
        )

    @property
    def reason(self) -> str:
        """Why the review is asked for, in plain words (in the reader's language)."""
        return self.reason_message.render()

    @property
    def outcome_text(self) -> str:
        """What the review found or why it was closed, in the reader's language:
        the service's own words ("Home care ended.") are kept as a key; what a
        clinician typed is shown as typed."""
        return messages.render(self.outcome_key, self.outcome_params, fallback=self.outcome)

    @property
    def outcome_message(self) -> messages.Message | str:
        """The outcome to put into another stored text (an audit event)."""
        return messages.from_row(self.outcome_key, self.outcome_params, self.outcome)
