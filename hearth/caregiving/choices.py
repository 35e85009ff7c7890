"""Vocabularies of the caregiving app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearth.accounts.models import Discipline


class TrainingStep(models.TextChoices):
    """What a nurse or physician records about one skill of one carer."""

    DEMONSTRATED = "demonstrated", _("Shown by the nurse (demonstrated)")
    PRACTISED = "practised", _("Practised with the nurse watching")
    SIGNED_OFF = "signed_off", _("Signed off: can do it safely alone")


class TrainingStatus(models.TextChoices):
    """Where a carer stands with one skill (worked out, never stored)."""

    NOT_STARTED = "not_started", _("Not started")
    DEMONSTRATED = "demonstrated", _("Shown")
    PRACTISED = "practised", _("Practised")
    SIGNED_OFF = "signed_off", _("Signed off")
    NEEDS_REFRESHING = "needs_refreshing", _("Needs refreshing")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportAction(models.TextChoices):
    """What a high strain score should prompt (docs/clinical-reference.md, Caregiver strain)."""

    RESPITE = "respite", _("Respite")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    MORE_TRAINING = "more_training", _("More training")


class SupportTaskSource(models.TextChoices):
    HIGH_STRAIN = "high_strain", _("High caregiver strain score")
    MANUAL = "manual", _("Raised by the team")


class SupportTaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("support task", "Open")
    DONE = "done", pgettext_lazy("support task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("support task", "Cancelled")


class ContactKind(models.TextChoices):
    """A psychologist's counselling or a social worker's action with relatives."""

    COUNSELLING = "counselling", _("Counselling session")
    FAMILY_COUNSELLING = "family_counselling", _("Family counselling session")
    BENEFITS = "benefits", _("Benefits and allowances")
    CARER_SUPPORT = "carer_support", _("Practical support for the carer")
    CARE_PACKAGE = "care_package", _("Arranging paid care at home")
    HOUSING = "housing", _("Housing and adaptations")
    LEGAL_FINANCIAL = "legal_financial", _("Legal and money matters (will, power of attorney)")
    OTHER_SOCIAL_WORK = "other_social_work", _("Other social-work action")


#: Who records which kind: counselling is the psychologist's, the rest the social worker's.
CONTACT_DISCIPLINE: dict[str, str] = {
    ContactKind.COUNSELLING: Discipline.PSYCHOLOGIST,
    ContactKind.FAMILY_COUNSELLING: Discipline.PSYCHOLOGIST,
    ContactKind.BENEFITS: Discipline.SOCIAL_WORKER,
    ContactKind.CARER_SUPPORT: Discipline.SOCIAL_WORKER,
    ContactKind.CARE_PACKAGE: Discipline.SOCIAL_WORKER,
    ContactKind.HOUSING: Discipline.SOCIAL_WORKER,
    ContactKind.LEGAL_FINANCIAL: Discipline.SOCIAL_WORKER,
    ContactKind.OTHER_SOCIAL_WORK: Discipline.SOCIAL_WORKER,
}


class ContactMode(models.TextChoices):
    HOME = "home", _("At home")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")
    OFFICE = "office", _("At the service")


class RespiteKind(models.TextChoices):
    VOLUNTEER_SITTING = "volunteer_sitting", _("A volunteer sits with the patient")
    INPATIENT = "inpatient", _("Inpatient respite (a short stay)")
    DAY = "day", _("Day respite")


class RespiteStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked for")
    BOOKED = "booked", _("Booked")
    COMPLETED = "completed", _("Took place")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", pgettext_lazy("respite", "Cancelled")


#: Respite the family or the team may still change.
OPEN_RESPITE = (RespiteStatus.REQUESTED, RespiteStatus.BOOKED)
