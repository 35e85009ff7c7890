"""Caregiving: family training and sign-off, caregiver burden, counselling and respite.

Rows hold single-row invariants only; every change goes through
``caregiving.services`` (permission, validation, one transaction, audit).
Nothing is deleted: a training record is withdrawn with its reason, a contact
is marked entered in error, a task or a respite request is closed with its
outcome or reason.

A "giving medicines" skill keeps no sign-off of its own: the sign-off is the
medicines app's ``MedicineSignOff`` (what dose recording checks), and the
training record links to the one it created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.accounts.models import Discipline
from hearth.assessments.models import AssessmentResponse
from hearth.caregiving.choices import (
    ContactKind,
    ContactMode,
    RespiteKind,
    RespiteStatus,
    SupportAction,
    SupportTaskSource,
    SupportTaskStatus,
)
from hearth.core import clock
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.medications.models import MedicineSignOff
from hearth.patients.models import CaregiverLink, Patient

USER = settings.AUTH_USER_MODEL


# --- Family training ----------------------------------------------------------


class TrainingQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self) -> TrainingQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class TrainingRecord(ExternalIdModel):
    """One carer learning one skill of the curriculum (``curriculum.SKILLS``):
    shown, practised, signed off until ``expires_on``. Changes are kept by
    simple-history; a withdrawn record stays, and training starts a new one."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="training_records")
    caregiver = models.ForeignKey(
        CaregiverLink, on_delete=models.PROTECT, related_name="training_records"
    )
    skill = models.CharField(_("skill"), max_length=32)
    demonstrated_on = models.DateField(_("shown on"), null=True, blank=True)
    demonstrated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practised_on = models.DateField(_("practised on"), null=True, blank=True)
    practised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: For skills other than medicines (those live in ``MedicineSignOff``).
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    #: The medicines sign-off recorded from this training, for a medicine skill.
    medicine_sign_off = models.ForeignKey(
        MedicineSignOff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdraw_reason = models.TextField(_("why it was withdrawn"), blank=True, default="")

    history = HistoricalRecords()
    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["caregiver_id", "skill", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["caregiver", "skill"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_training_record_per_skill",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_on__isnull=True)
                | (Q(expires_on__isnull=False) & Q(expires_on__gte=models.F("signed_off_on"))),
                name="training_sign_off_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caregiver} {self.skill}"


# --- Caregiver burden: team tasks -----------------------------------------------


class SupportTaskQuerySet(models.QuerySet["SupportTask"]):
    def open(self) -> SupportTaskQuerySet:
        return self.filter(status=SupportTaskStatus.OPEN)


class SupportTask(ExternalIdModel):
    """Something the team should do for a carer: raised by a high strain score
    (one open per carer; later high scores are added to it) or by hand."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="support_tasks")
    caregiver = models.ForeignKey(
        CaregiverLink, on_delete=models.PROTECT, related_name="support_tasks"
    )
    source = models.CharField(_("raised by"), max_length=16, choices=SupportTaskSource.choices)
    #: The strain scores that raised the task (the first and any later high one).
    responses = models.ManyToManyField(AssessmentResponse, blank=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True, default="")
    suggested_actions = ChoiceListField(_("suggested actions"), item_choices=SupportAction.choices)
    assigned_discipline = models.CharField(
        _("for which discipline"), max_length=32, choices=Discipline.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caregiver_support_tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        max_length=16, choices=SupportTaskStatus.choices, default=SupportTaskStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SupportTaskQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["caregiver"],
                condition=Q(status="open", source="high_strain"),
                name="one_open_strain_task_per_carer",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_support_task_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Support for {self.caregiver} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == SupportTaskStatus.OPEN

    def suggested_action_labels(self) -> list[str]:
        return [str(SupportAction(value).label) for value in self.suggested_actions or []]


# --- Support for relatives -------------------------------------------------------


class SupportContactQuerySet(models.QuerySet["SupportContact"]):
    def valid(self) -> SupportContactQuerySet:
        return self.filter(entered_in_error_at__isnull=True)


class SupportContact(ExternalIdModel):
    """A psychologist's counselling session or a social worker's action with
    one or more relatives: who, when, with whom, what came of it, what next."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="support_contacts")
    kind = models.CharField(_("kind"), max_length=24, choices=ContactKind.choices)
    discipline = models.CharField(max_length=32, choices=Discipline.choices)
    mode = models.CharField(_("how"), max_length=16, choices=ContactMode.choices)
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    relatives = models.ManyToManyField(
        CaregiverLink, blank=True, related_name="support_contacts", verbose_name=_("relatives")
    )
    others_present = models.CharField(
        _("other relatives present"), max_length=200, blank=True, default=""
    )
    outcome = models.TextField(_("outcome"))
    next_step = models.TextField(_("next step"), blank=True, default="")
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True, default="")

    objects = SupportContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class RespiteQuerySet(models.QuerySet["RespiteRequest"]):
    def for_patient(self, patient: Patient) -> RespiteQuerySet:
        return self.filter(patient=patient)


class RespiteRequest(ExternalIdModel):
    """A break for the family: asked for (from the portal or by staff), booked
    by the coordinator with a volunteer or a place, then taken, or declined or
    cancelled with the reason."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="respite_requests")
    caregiver = models.ForeignKey(
        CaregiverLink,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="respite_requests",
        verbose_name=_("for which carer"),
    )
    kind = models.CharField(_("kind of respite"), max_length=24, choices=RespiteKind.choices)
    wanted_from = models.DateField(_("wanted from"))
    wanted_to = models.DateField(_("wanted until"))
    reason = models.TextField(_("reason"), blank=True, default="")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    status = models.CharField(
        max_length=16, choices=RespiteStatus.choices, default=RespiteStatus.REQUESTED
    )
    volunteer = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="respite_bookings",
        verbose_name=_("volunteer"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    booked_from = models.DateTimeField(_("from"), null=True, blank=True)
    booked_to = models.DateTimeField(_("until"), null=True, blank=True)
    booking_note = models.TextField(_("note for the family"), blank=True, default="")
    booked_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(blank=True, default="")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(_("reason"), blank=True, default="")

    objects = RespiteQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wanted_to__gte=models.F("wanted_from")),
                name="respite_wanted_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["booked", "completed"])
                | (
                    Q(booked_from__isnull=False)
                    & Q(booked_to__gt=models.F("booked_from"))
                    & (Q(volunteer__isnull=False) | ~Q(place=""))
                ),
                name="booked_respite_has_time_and_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.wanted_from}–{self.wanted_to} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (RespiteStatus.REQUESTED, RespiteStatus.BOOKED)

    @property
    def provider_label(self) -> str:
        parts = [self.volunteer.display_name if self.volunteer else "", self.place]
        return " · ".join(part for part in parts if part)
