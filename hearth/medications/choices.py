"""Vocabularies of the medicines app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Route(models.TextChoices):
    ORAL = "oral", _("By mouth")
    BUCCAL = "buccal", _("Inside the cheek (buccal)")
    SUBLINGUAL = "sublingual", _("Under the tongue")
    SUBCUTANEOUS = "subcutaneous", _("Under the skin (subcutaneous, via butterfly)")
    INTRAVENOUS = "intravenous", _("Into a vein (intravenous)")
    TRANSDERMAL = "transdermal", _("Skin patch (transdermal)")
    RECTAL = "rectal", _("Rectal")
    INHALED = "inhaled", _("Inhaled")
    TOPICAL = "topical", _("On the skin (cream or gel)")


#: Routes a family member may be trained and signed off for (the issue's list).
FAMILY_ROUTES = (Route.ORAL, Route.BUCCAL, Route.SUBCUTANEOUS)


class DoseUnit(models.TextChoices):
    MG = "mg", _("mg")
    MCG = "mcg", _("micrograms")
    MCG_PER_HOUR = "mcg/h", _("micrograms per hour (patch)")
    ML = "ml", _("ml")
    TABLET = "tablet", _("tablet(s)")
    PUFF = "puff", _("puff(s)")
    LITRE_PER_MINUTE = "l/min", _("litres per minute")


class DoseForm(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    MODIFIED_RELEASE_TABLET = "mr_tablet", _("Modified-release tablet")
    CAPSULE = "capsule", _("Capsule")
    ORAL_SOLUTION = "oral_solution", _("Oral solution")
    INJECTION = "injection", _("Injection (ampoule)")
    PATCH = "patch", _("Patch")
    BUCCAL_FILM = "buccal_film", _("Buccal film or tablet")
    SUPPOSITORY = "suppository", _("Suppository")
    SPRAY = "spray", _("Spray")


#: Forms measured in ml: the volume is computed from the dose and the strength.
LIQUID_FORMS = (DoseForm.ORAL_SOLUTION, DoseForm.INJECTION)


class Conversion(models.TextChoices):
    """How a drug's oral-morphine equivalent is calculated (docs/clinical-reference.md)."""

    PER_DOSE_UNIT = "per_dose_unit", _("Multiplier per unit of dose")
    PATCH_RATE = "patch_rate", _("Patch: micrograms per hour × factor = mg OME per 24 h")
    SPECIALIST = "specialist", _("No automatic conversion: ask for specialist advice")
    NOT_OPIOID = "not_opioid", _("Not an opioid")


class OrderKind(models.TextChoices):
    REGULAR = "regular", _("Regular (at set times)")
    AS_NEEDED = "as_needed", _("As needed (breakthrough)")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("medicine order", "Active")
    STOPPED = "stopped", _("Stopped")


class AdministrationOutcome(models.TextChoices):
    GIVEN = "given", _("Given")
    NOT_GIVEN = "not_given", _("Not given")


class NotGivenReason(models.TextChoices):
    ASLEEP = "asleep", _("Asleep")
    REFUSED = "refused", pgettext_lazy("dose not given because the person", "Refused")
    VOMITED = "vomited", _("Vomited")
    NIL_BY_MOUTH = "cannot_swallow", _("Could not swallow")
    NOT_AVAILABLE = "not_available", _("Medicine not available at home")
    OTHER = "other", _("Other (say why)")


class ReviewStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a clinician")
    ACCEPTED = "accepted", _("Accepted into the record")
    DUPLICATE = "duplicate", _("Rejected: the same dose recorded twice")
    REJECTED = "rejected", _("Rejected: not given")


class StockMovement(models.TextChoices):
    RECEIVED = "received", _("Received at home")
    GIVEN = "given", _("Given")
    RETURNED = "returned", _("Returned to the pharmacy")
    DESTROYED = "destroyed", _("Destroyed (witnessed)")
    COUNTED = "counted", _("Counted (stock check)")
    CORRECTED = "corrected", _("Put back (a dose entered in error)")


#: Movements that take stock out of the home.
STOCK_OUT = (StockMovement.GIVEN, StockMovement.RETURNED, StockMovement.DESTROYED)
