"""Vocabularies of the home-equipment app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentKind(models.TextChoices):
    PRESSURE_MATTRESS = "pressure_mattress", _("Anti-bedsore (pressure-relieving) mattress")
    HOSPITAL_BED = "hospital_bed", _("Hospital bed")
    FEEDING_PUMP = "feeding_pump", _("Enteral feeding pump")
    OXYGEN_CONCENTRATOR = "oxygen_concentrator", _("Oxygen concentrator")
    SUCTION = "suction", _("Suction machine")
    WHEELCHAIR = "wheelchair", _("Wheelchair")
    COMMODE = "commode", _("Commode")


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("In the store, ready to lend")
    ON_LOAN = "on_loan", _("At a patient's home")
    MAINTENANCE = "maintenance", _("Being serviced or repaired")
    RETIRED = "retired", _("Retired")


class LoanStatus(models.TextChoices):
    DELIVERED = "delivered", _("Delivered, not yet checked")
    IN_USE = "in_use", _("Checked and in use")
    RETURNED = "returned", _("Returned")


#: Loans whose item is still in the patient's home.
AT_HOME = (LoanStatus.DELIVERED, LoanStatus.IN_USE)


class CheckOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class CheckAnswer(models.TextChoices):
    """One answer on a safety checklist. "Not applicable" only where the item
    allows it (e.g. the fire service need not be told in every area)."""

    SAFE = "safe", _("Safe")
    NOT_SAFE = "not_safe", _("Not safe")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


#: Statuses a person may set by hand; "on loan" is set only by lending.
SETTABLE_ITEM_STATUSES = (ItemStatus.AVAILABLE, ItemStatus.MAINTENANCE, ItemStatus.RETIRED)


class MaintenanceState(models.TextChoices):
    """Where an item stands against its next service date."""

    OVERDUE = "overdue", _("Service overdue")
    DUE_SOON = "due_soon", _("Service due soon")
    UNKNOWN = "unknown", _("No service date recorded")
