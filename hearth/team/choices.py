"""Vocabularies of the team's own support."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import Discipline


class ComplianceState(models.TextChoices):
    """Where a member of staff stands with one mandatory course."""

    CURRENT = "current", _("Current")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


class ReminderKind(models.TextChoices):
    EXPIRING = "expiring", _("Expires soon")
    EXPIRED = "expired", _("Has expired")
    MISSING = "missing", _("Not yet recorded")


class WellbeingItem(models.TextChoices):
    """The five check-in questions. Every answer runs 1 to 5, and 1 is always the
    harder end, so "answering 1 or 2" reads the same way for every item."""

    ENERGY = "energy", _("My energy in the past two weeks")
    SLEEP = "sleep", _("My sleep in the past two weeks")
    SUPPORTED = "supported", _("I have felt supported by the team")
    EMOTIONAL_LOAD = "emotional_load", _("How I am carrying the deaths I have been part of lately")
    WORKLOAD = "workload", _("My workload has been manageable")


#: The words at each end of every item (1 … 5).
WELLBEING_ANCHORS: dict[str, tuple[Any, Any]] = {
    WellbeingItem.ENERGY: (_("1 = exhausted"), _("5 = full of energy")),
    WellbeingItem.SLEEP: (_("1 = very poor"), _("5 = very good")),
    WellbeingItem.SUPPORTED: (_("1 = not at all"), _("5 = very much")),
    WellbeingItem.EMOTIONAL_LOAD: (_("1 = very heavy"), _("5 = I am coping well")),
    WellbeingItem.WORKLOAD: (_("1 = not at all"), _("5 = completely")),
}


class WellbeingGroup(models.TextChoices):
    """Discipline groups for the clinical lead's figures: deliberately broad, so
    that in a small service a group still reaches the minimum size."""

    CLINICAL = "clinical", _("Doctors and nurses")
    PSYCHOSOCIAL = "psychosocial", _("Psychology, social work and chaplaincy")
    SUPPORT = "support", _("Coordination, administration and volunteers")


DISCIPLINE_GROUP: dict[str, str] = {
    Discipline.PHYSICIAN: WellbeingGroup.CLINICAL,
    Discipline.COMMISSION_MEMBER: WellbeingGroup.CLINICAL,
    Discipline.NURSE: WellbeingGroup.CLINICAL,
    Discipline.PSYCHOLOGIST: WellbeingGroup.PSYCHOSOCIAL,
    Discipline.SOCIAL_WORKER: WellbeingGroup.PSYCHOSOCIAL,
    Discipline.CHAPLAIN: WellbeingGroup.PSYCHOSOCIAL,
    Discipline.COORDINATOR: WellbeingGroup.SUPPORT,
    Discipline.ADMINISTRATOR: WellbeingGroup.SUPPORT,
    Discipline.VOLUNTEER: WellbeingGroup.SUPPORT,
}
