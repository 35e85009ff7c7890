"""Vocabularies of the bereavement app.

The risk factors are the *structure* of the screen: things the bereavement
literature and services commonly ask about after a death (circumstances of
the death, the relationship, the bereaved person's own history and
resources). Which number of factors makes "moderate" or "high" risk is a
**service choice** (``settings.HEARTH_BEREAVEMENT_RISK_BANDS``), not a
validated cut-off: no validated score is implemented here. As context only,
the "three-component" model of bereavement support (NICE, *Improving
supportive and palliative care for adults with cancer*, 2004) offers
information to all bereaved people, extra support to some and specialist
help to the few at high risk; the bands here decide who the team looks at
more closely, nothing more.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class BereavementContactKind(models.TextChoices):
    PHONE_CALL = "phone_call", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    LETTER_OR_CARD = "letter_or_card", _("Letter or card")
    ANNIVERSARY = "anniversary", _("Anniversary contact")


#: The kind each planned contact gets by its position in
#: ``HEARTH_BEREAVEMENT_CONTACT_DAYS`` (staff change it per contact); contacts
#: beyond the list are phone calls.
DEFAULT_KIND_BY_POSITION = (
    BereavementContactKind.PHONE_CALL,
    BereavementContactKind.HOME_VISIT,
    BereavementContactKind.LETTER_OR_CARD,
    BereavementContactKind.ANNIVERSARY,
)


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    NOT_REACHED = "not_reached", _("Could not reach")
    NOT_NEEDED = "not_needed", _("Not needed")


#: Outcomes a member of staff records for a contact that took place (or was tried).
CONTACT_OUTCOMES = (ContactStatus.DONE, ContactStatus.NOT_REACHED)


class ContactSource(models.TextChoices):
    SCHEDULE = "schedule", _("Planned at the death")
    HIGH_RISK = "high_risk", _("Extra contact after a high-risk screen")
    ADDED = "added", _("Added by staff")
    RETRY = "retry", _("Another try after no answer")


class RiskFactor(models.TextChoices):
    SUDDEN_OR_TRAUMATIC_DEATH = (
        "sudden_or_traumatic_death",
        _("The death was sudden, unexpected or traumatic for the family"),
    )
    PREVIOUS_LOSSES = "previous_losses", _("Several previous losses, or earlier grief still raw")
    MENTAL_HEALTH_HISTORY = (
        "mental_health_history",
        _("History of mental ill-health (depression, anxiety, substance use)"),
    )
    LACK_OF_SOCIAL_SUPPORT = (
        "lack_of_social_support",
        _("Little social support: lives alone, isolated, no one to talk to"),
    )
    DEPENDENT_RELATIONSHIP = (
        "dependent_relationship",
        _("A very close or dependent relationship with the person who died"),
    )
    CONCURRENT_STRESSORS = (
        "concurrent_stressors",
        _("Other stresses at the same time (money, housing, own illness, work)"),
    )
    YOUNG_CARER_OR_CHILDREN = (
        "young_carer_or_children",
        _("A young carer, or children or young people in the family"),
    )
    FAMILY_CONFLICT = "family_conflict", _("Conflict in the family")
    HIGH_CAREGIVER_STRAIN = (
        "high_caregiver_strain",
        _("High caregiver strain before the death"),
    )


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MODERATE = "moderate", _("Moderate risk")
    HIGH = "high", _("High risk")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MODERATE: 1, RiskLevel.HIGH: 2}


class ReferralTo(models.TextChoices):
    NONE = "", _("No referral")
    PSYCHOLOGIST = "psychologist", _("The team's psychologist")
    SPECIALIST_SERVICE = "specialist_service", _("A specialist bereavement service")
    FAMILY_DOCTOR = "family_doctor", _("The family doctor")
