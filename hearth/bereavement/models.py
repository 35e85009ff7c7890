"""Bereavement: the follow-up plan for the family after a death, its planned
contacts, risk screens and the return checklist.

Rows hold single-row invariants only; every change goes through
``bereavement.services`` (permission, validation, transaction, audit).
Nothing here is deleted: a contact that is no longer wanted is marked not
needed with a reason; a screen recorded by mistake is marked entered in error.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearth.core import clock
from hearth.core.models import ExternalIdModel
from hearth.patients.models import CaregiverLink, Episode, Patient

from .choices import (
    BereavementContactKind,
    ContactSource,
    ContactStatus,
    PlanStatus,
    ReferralTo,
    RiskLevel,
)

USER = settings.AUTH_USER_MODEL


class PlanQuerySet(models.QuerySet["BereavementPlan"]):
    def open(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.OPEN)


class BereavementPlan(ExternalIdModel):
    """One plan per episode that ended in a death, created when the death is recorded."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="bereavement_plans")
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="bereavement_plan"
    )
    died_on = models.DateField(_("date of death"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The result of the newest valid risk screen ("" until the first one).
    risk_level = models.CharField(
        _("bereavement risk"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    equipment_confirmed_at = models.DateTimeField(_("equipment collected"), null=True, blank=True)
    equipment_confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    equipment_note = models.TextField(_("equipment note"), blank=True)
    drugs_confirmed_at = models.DateTimeField(
        _("controlled drugs returned or destroyed"), null=True, blank=True
    )
    drugs_confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drugs_note = models.TextField(_("controlled-drug note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("outcome note"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-died_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="closed_bereavement_plans_have_a_closing_time",
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} — bereavement plan"

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class ContactQuerySet(models.QuerySet["BereavementContact"]):
    def open(self) -> ContactQuerySet:
        return self.filter(status=ContactStatus.PLANNED)


class BereavementContact(ExternalIdModel):
    """One contact with the family: planned, then done, not reached or not needed."""

    plan = models.ForeignKey(BereavementPlan, on_delete=models.PROTECT, related_name="contacts")
    due_on = models.DateField(_("due"))
    kind = models.CharField(_("kind"), max_length=16, choices=BereavementContactKind.choices)
    source = models.CharField(max_length=16, choices=ContactSource.choices)
    #: Days after the death it was planned for (schedule contacts), for the record.
    planned_days_after_death = models.PositiveIntegerField(null=True, blank=True)
    relatives = models.ManyToManyField(CaregiverLink, blank=True, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.PLANNED
    )
    done_at = models.DateTimeField(_("when"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_note = models.TextField(_("outcome"), blank=True)
    not_needed_reason = models.TextField(_("why not needed"), blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="finished_bereavement_contacts_say_when_and_who",
                condition=~Q(status__in=["done", "not_reached"])
                | Q(done_at__isnull=False, done_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == ContactStatus.PLANNED

    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < clock.today()


class ScreenQuerySet(models.QuerySet["RiskScreen"]):
    def valid(self) -> ScreenQuerySet:
        return self.filter(entered_in_error_at__isnull=True)


class RiskScreen(ExternalIdModel):
    """A structured bereavement risk screen. ``factors`` lists the codes of
    ``RiskFactor`` present; ``banding`` keeps the service's rule as it was
    applied, so a later change of the rule does not rewrite old results."""

    plan = models.ForeignKey(BereavementPlan, on_delete=models.PROTECT, related_name="screens")
    screened_at = models.DateTimeField(default=clock.now)
    screened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    relatives = models.ManyToManyField(CaregiverLink, blank=True, related_name="+")
    factors = models.JSONField(default=list)
    factor_count = models.PositiveSmallIntegerField(default=0)
    rule_result = models.CharField(max_length=8, choices=RiskLevel.choices)
    raised_to = models.CharField(
        _("raised by clinical judgement to"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    result = models.CharField(_("result"), max_length=8, choices=RiskLevel.choices)
    banding = models.JSONField(default=dict)
    note = models.TextField(_("note"), blank=True)
    referral_suggested = models.BooleanField(default=False)
    referred_to = models.CharField(
        _("referred to"), max_length=24, choices=ReferralTo.choices, blank=True
    )
    extra_contact = models.ForeignKey(
        BereavementContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    objects = ScreenQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_result_display()} {self.screened_at:%Y-%m-%d}"

    @property
    def is_valid(self) -> bool:
        return self.entered_in_error_at is None
