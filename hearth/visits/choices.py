from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UrgentRequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be placed on a route")
    SCHEDULED = "scheduled", _("Scheduled")
    DISPATCHED = "dispatched", _("With the clinician on call")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DispatchStatus(models.TextChoices):
    """An urgent visit handed to the clinician on call, from the offer to the
    visit done (CLINICAL.md "Urgent response")."""

    OFFERED = "offered", _("Offered, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    ON_THE_WAY = "on_the_way", _("On the way")
    ARRIVED = "arrived", _("Arrived")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Skill(models.TextChoices):
    """Skills a home visit may need beyond the discipline itself. A service
    list, not a clinical rule: add what the team actually signs staff off for."""

    SYRINGE_DRIVER = "syringe_driver", _("Syringe driver")
    WOUND_CARE = "wound_care", _("Wound care")
    STOMA_CARE = "stoma_care", _("Stoma care")
    CATHETER_CARE = "catheter_care", _("Catheter care")
    ENTERAL_FEEDING = "enteral_feeding", _("Enteral feeding tube")
    TRACHEOSTOMY = "tracheostomy", _("Tracheostomy care")


class Endpoint(models.TextChoices):
    HOME = "home", pgettext_lazy("shift start or end", "Home")
    BASE = "base", pgettext_lazy("shift start or end", "Base")


class VisitKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    TELECONSULT = "teleconsult", _("Teleconsultation")


class Per(models.TextChoices):
    DAY = "day", _("a day")
    WEEK = "week", _("a week")


class TimeRequestKind(models.TextChoices):
    ONLY = "only", _("Please come only between these times")
    NOT = "not", _("Please do not come between these times")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REPLACED = "replaced", _("Replaced")


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    UNDER_WAY = "under_way", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Consciousness(models.TextChoices):
    """ACVPU, as NEWS2 scores it (Royal College of Physicians 2017): alert
    scores 0; new confusion, voice, pain or unresponsive score 3."""

    ALERT = "alert", pgettext_lazy("consciousness (ACVPU)", "Alert")
    NEW_CONFUSION = "new_confusion", _("New confusion")
    VOICE = "voice", _("Responds to voice")
    PAIN = "pain", _("Responds to pain")
    UNRESPONSIVE = "unresponsive", _("Unresponsive")


class AlertOutcome(models.TextChoices):
    """What closing a visit does to the alert it answered."""

    RESOLVED = "resolved", _("Resolved by the visit")
    STILL_OPEN = "still_open", _("Still needs attention")


class UnplacedReason(models.TextChoices):
    """Why the planner could not place a visit. The first five come from
    ``hearth.routing.problem.Reason``; the last two are found before planning."""

    NO_QUALIFIED_STAFF = (
        "no_qualified_staff",
        _("Nobody working that day has the discipline and skills this visit needs."),
    )
    OUTSIDE_SHIFTS = (
        "outside_shifts",
        _("No qualified staff member's shift overlaps the times the person can be visited."),
    )
    CANNOT_REACH_IN_TIME = (
        "cannot_reach_in_time",
        _("The window is too narrow once travel to and from the home is counted."),
    )
    DAY_FULL = "day_full", _("Qualified staff could go, but their days are already full.")
    NOT_WORTH_IT = (
        "not_worth_it",
        _("Left out: an optional visit that costs more than it is worth."),
    )
    NO_ADDRESS = "no_address", _("The home has no map position, so travel cannot be planned.")
    NO_FREE_TIME = (
        "no_free_time",
        _(
            "The person has no free time that day "
            "(visiting hours, prayer, rest or the family's request)."
        ),
    )
