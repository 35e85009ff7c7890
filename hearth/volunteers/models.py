"""Volunteers: profiles, training, availability and assignments to families.

A volunteer is a member of staff whose discipline is ``volunteer``; their
name, phone and spoken languages stay on the user. Every change goes through
``volunteers.services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.core import clock
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.patients.models import CareTeamAssignment, Patient
from hearth.volunteers.choices import (
    OPEN_ASSIGNMENT_STATUSES,
    Activity,
    AssignmentStatus,
    EndReason,
    TrainingModule,
    VolunteerStatus,
    Weekday,
)

USER = settings.AUTH_USER_MODEL


class VolunteerProfile(ExternalIdModel):
    volunteer = models.OneToOneField(
        USER, on_delete=models.PROTECT, related_name="volunteer_profile"
    )
    started_on = models.DateField(_("volunteering since"))
    offers = ChoiceListField(_("what they offer"), item_choices=Activity.choices)
    area = models.CharField(
        _("area they cover"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Towns, districts or postcodes, in words."),
    )
    vetting_checked_on = models.DateField(
        _("background check (DBS) issued on"), null=True, blank=True
    )
    vetting_expires_on = models.DateField(
        _("background check due for renewal on"), null=True, blank=True
    )
    notes = models.TextField(_("coordinator's notes"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=8, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["volunteer__last_name", "volunteer__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_vetting_expires_after_issue",
                condition=Q(vetting_checked_on__isnull=True)
                | Q(vetting_expires_on__isnull=True)
                | Q(vetting_expires_on__gt=models.F("vetting_checked_on")),
            )
        ]

    def __str__(self) -> str:
        return f"Volunteer profile of {self.volunteer_id}"

    def vetting_current_on(self, day: date) -> bool:
        return (
            self.vetting_checked_on is not None
            and self.vetting_expires_on is not None
            and self.vetting_checked_on <= day <= self.vetting_expires_on
        )


class VolunteerTrainingQuerySet(models.QuerySet["VolunteerTraining"]):
    def current(self) -> VolunteerTrainingQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class VolunteerTraining(ExternalIdModel):
    """One module completed. A renewal is a new row; a row recorded by
    mistake is withdrawn, never deleted."""

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.PROTECT, related_name="training")
    module = models.CharField(_("module"), max_length=32, choices=TrainingModule.choices)
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True, default="")

    objects = VolunteerTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["module", "-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_training_expires_after_completion",
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} completed {self.completed_on}"

    def current_on(self, day: date) -> bool:
        return (
            self.withdrawn_at is None
            and self.completed_on <= day
            and (self.expires_on is None or self.expires_on >= day)
        )


class WeeklySlot(ExternalIdModel):
    """A time of the week the volunteer is usually free (local wall-clock)."""

    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.PROTECT, related_name="weekly_slots"
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"),
        choices=Weekday.choices,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["weekday", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_slot_ends_after_it_starts",
                condition=Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class UnavailablePeriod(ExternalIdModel):
    """Days the volunteer is away (holiday, illness), both ends included."""

    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.PROTECT, related_name="unavailable_periods"
    )
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("back after"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_away_ends_on_or_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"Away {self.starts_on}–{self.ends_on}"


class VolunteerAssignmentQuerySet(models.QuerySet["VolunteerAssignment"]):
    def open(self) -> VolunteerAssignmentQuerySet:
        return self.filter(status__in=OPEN_ASSIGNMENT_STATUSES)

    def active(self) -> VolunteerAssignmentQuerySet:
        return self.filter(status=AssignmentStatus.ACTIVE)


class VolunteerAssignment(ExternalIdModel):
    """A volunteer matched with a family: proposed, then active, then ended."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="volunteer_assignments"
    )
    volunteer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="volunteer_assignments"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Activity.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (if known)"), null=True, blank=True)
    usual_times = models.CharField(
        _("usual times"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("As the family will read it, e.g. “Tuesdays 2–5 pm”."),
    )
    note = models.TextField(_("note for the volunteer"), blank=True, default="")
    status = models.CharField(
        max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=clock.now)
    activated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        _("reason"), max_length=24, choices=EndReason.choices, blank=True, default=""
    )
    end_note = models.CharField(_("details"), max_length=300, blank=True, default="")
    # The care-team place that lets the volunteer read the brief, and
    # whether this assignment created it (only then does ending it end that place).
    care_team_assignment = models.ForeignKey(
        CareTeamAssignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_care_team_assignment = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = VolunteerAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "volunteer", "kind"],
                condition=Q(status__in=["proposed", "active"]),
                name="one_open_volunteer_assignment_per_kind",
            ),
            models.CheckConstraint(
                name="volunteer_assignment_ends_on_or_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="ended_volunteer_assignment_has_reason",
                condition=~Q(status="ended") | ~Q(end_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.volunteer_id} for {self.patient_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT_STATUSES
