"""Home equipment: the service's items, their loans to patients and the safety
checks done at home."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearth.core import clock
from hearth.core.models import ExternalIdModel
from hearth.equipment.choices import (
    AT_HOME,
    CheckOutcome,
    EquipmentKind,
    ItemStatus,
    LoanStatus,
    MaintenanceState,
)
from hearth.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class EquipmentItem(ExternalIdModel):
    """One physical item the service owns and lends."""

    kind = models.CharField(_("kind"), max_length=32, choices=EquipmentKind.choices)
    model_name = models.CharField(_("make and model"), max_length=120, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE
    )
    maintenance_due_on = models.DateField(_("maintenance due"), null=True, blank=True)
    last_maintained_on = models.DateField(_("last serviced"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["kind", "serial_number"]
        constraints = [
            models.CheckConstraint(
                name="equipment_item_status_is_known",
                condition=Q(status__in=[status.value for status in ItemStatus]),
            ),
            models.CheckConstraint(
                name="equipment_item_kind_is_known",
                condition=Q(kind__in=[kind.value for kind in EquipmentKind]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial_number}"

    @property
    def is_oxygen(self) -> bool:
        return self.kind == EquipmentKind.OXYGEN_CONCENTRATOR

    def maintenance_state(self, today: date | None = None) -> str | None:
        """Overdue, due within ``HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS``,
        unknown (no date), or None when the next service is comfortably ahead."""
        if self.maintenance_due_on is None:
            return MaintenanceState.UNKNOWN
        today = today or clock.today()
        if self.maintenance_due_on < today:
            return MaintenanceState.OVERDUE
        warning = timedelta(days=settings.HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS)
        if self.maintenance_due_on <= today + warning:
            return MaintenanceState.DUE_SOON
        return None


class LoanQuerySet(models.QuerySet["Loan"]):
    def for_patient(self, patient: Patient) -> LoanQuerySet:
        return self.filter(patient=patient)

    def at_home(self) -> LoanQuerySet:
        """Items still in a patient's home (delivered or in use)."""
        return self.filter(status__in=AT_HOME)

    def checks_due(self) -> LoanQuerySet:
        """Delivered and not yet passed a safety check: never checked, or every
        check so far failed (the item is at home but not yet safe to rely on)."""
        return self.filter(status=LoanStatus.DELIVERED)


class Loan(ExternalIdModel):
    """An item lent to a patient: delivered, checked at home, returned."""

    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="loans")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="equipment_loans")
    status = models.CharField(
        _("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.DELIVERED
    )
    delivered_at = models.DateTimeField(_("delivered"))
    delivered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_note = models.TextField(_("condition on return"), blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=[status.value for status in AT_HOME]),
                name="an_item_is_in_one_home_at_a_time",
            ),
            models.CheckConstraint(
                name="returned_loans_have_a_return_time",
                condition=~Q(status="returned") | Q(returned_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.patient}"

    @property
    def is_at_home(self) -> bool:
        return self.status in AT_HOME

    @property
    def check_due(self) -> bool:
        return self.status == LoanStatus.DELIVERED


class SafetyCheck(ExternalIdModel):
    """A safety checklist done at home for one loan. ``answers`` maps each
    checklist item code (``checklists.py``) to "safe", "not_safe" or
    "not_applicable"; any "not_safe" fails it."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="safety_checks")
    checked_at = models.DateTimeField(_("checked"))
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    outcome = models.CharField(_("outcome"), max_length=8, choices=CheckOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    alert_id = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="equipment_check_outcome_is_known",
                condition=Q(outcome__in=[outcome.value for outcome in CheckOutcome]),
            ),
        ]

    @property
    def passed(self) -> bool:
        return self.outcome == CheckOutcome.PASSED

    @property
    def alert_raised(self) -> bool:
        return self.alert_id is not None

    def __str__(self) -> str:
        return f"{self.loan} {self.outcome} {self.checked_at:%Y-%m-%d}"


class FaultReportQuerySet(models.QuerySet["FaultReport"]):
    def open(self) -> FaultReportQuerySet:
        return self.filter(resolved_at__isnull=True)


class FaultReport(ExternalIdModel):
    """A fault reported by the family or staff on an item at home."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="fault_reports")
    reported_at = models.DateTimeField(_("reported"))
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what is wrong"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolution = models.TextField(_("what was done"), blank=True)
    alert_id = models.IntegerField(null=True, blank=True, editable=False)

    objects = FaultReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="a_resolved_fault_says_who_and_what",
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def alert_raised(self) -> bool:
        return self.alert_id is not None

    def __str__(self) -> str:
        return f"{self.loan}: {self.description[:40]}"
