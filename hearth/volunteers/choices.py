"""Vocabularies for volunteers: what they offer, their training, their status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """What a volunteer offers, and the kind of an assignment to a family."""

    SITTING = "sitting", _("Sitting (so the carer can rest or go out)")
    COMPANIONSHIP = "companionship", _("Companionship")
    ERRANDS = "errands", _("Errands and shopping")
    TRANSPORT = "transport", _("Transport")
    BEREAVEMENT_BEFRIENDING = "bereavement_befriending", _("Befriending after a death")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left the service")


class TrainingModule(models.TextChoices):
    INDUCTION = "induction", _("Induction")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality and data protection")
    SAFEGUARDING = "safeguarding", _("Safeguarding adults and children")
    PALLIATIVE_AWARENESS = "palliative_awareness", _("Palliative-care awareness")
    BEREAVEMENT_AWARENESS = "bereavement_awareness", _("Bereavement awareness")
    MANUAL_HANDLING = "manual_handling", _("Manual handling")


#: Modules every volunteer completes before any assignment.
REQUIRED_MODULES: tuple[str, ...] = (
    TrainingModule.INDUCTION,
    TrainingModule.CONFIDENTIALITY,
    TrainingModule.SAFEGUARDING,
    TrainingModule.PALLIATIVE_AWARENESS,
)
#: Further modules an assignment of a given kind needs.
REQUIRED_FOR_ACTIVITY: dict[str, tuple[str, ...]] = {
    Activity.BEREAVEMENT_BEFRIENDING: (TrainingModule.BEREAVEMENT_AWARENESS,),
    Activity.TRANSPORT: (TrainingModule.MANUAL_HANDLING,),
}


def required_modules(kind: str | None = None) -> tuple[str, ...]:
    """The modules a volunteer needs, for any assignment or for ``kind``."""
    return REQUIRED_MODULES + REQUIRED_FOR_ACTIVITY.get(kind or "", ())


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE)


class EndReason(models.TextChoices):
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
    FAMILY_REQUEST = "family_request", _("The family asked to stop")
    VOLUNTEER_REQUEST = "volunteer_request", _("The volunteer asked to stop")
    PATIENT_DIED = "patient_died", _("The person died")
    PATIENT_DISCHARGED = "patient_discharged", _("The person left the service")
    NOT_TAKEN_UP = "not_taken_up", _("Proposal not taken up")
    OTHER = "other", _("Other")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
