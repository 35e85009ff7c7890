"""Vocabularies of the holistic assessment, the care plan and the advance care plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.core import messages


class Domain(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SOCIAL = "social", _("Social")
    SPIRITUAL = "spiritual", _("Spiritual")
    PRACTICAL = "practical", _("Practical")
    FAMILY = "family", _("Family and carers")


class NeedSeverity(models.IntegerChoices):
    MILD = 1, _("Mild")
    MODERATE = 2, _("Moderate")
    SEVERE = 3, _("Severe")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")
    ENDED = "ended", _("Ended with home care")
    DISCARDED = "discarded", _("Discarded draft")


class InterventionKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    TELECONSULT = "teleconsult", _("Teleconsultation")
    PHONE_CALL = "phone_call", _("Phone call")
    MEAL_OR_FEEDING = "meal_or_feeding", _("Meal, supplement or tube feed")
    OTHER = "other", _("Other")


#: Interventions that need someone at the home (or on a screen) at a set time,
#: so they must fit outside prayer and do-not-disturb windows.
TIMED_KINDS = (InterventionKind.HOME_VISIT, InterventionKind.TELECONSULT)


class InterventionPeriod(models.TextChoices):
    DAY = "day", _("a day")
    WEEK = "week", _("a week")


def frequency(times: int, per: str, minutes: int | None = None) -> messages.Message:
    """ "3× a week, 45 min" as one phrase per period, so a language with
    plural forms says it whole («2 раза в день, 30 мин»); ``per`` is a period
    code (``InterventionPeriod`` or the visits app's ``Per``, which match)."""
    if per == InterventionPeriod.DAY:
        if minutes:
            return messages.plural_text(
                "%(count)s× a day, %(minutes)s min",
                "%(count)s× a day, %(minutes)s min",
                count=times,
                minutes=minutes,
            )
        return messages.plural_text("%(count)s× a day", "%(count)s× a day", count=times)
    if minutes:
        return messages.plural_text(
            "%(count)s× a week, %(minutes)s min",
            "%(count)s× a week, %(minutes)s min",
            count=times,
            minutes=minutes,
        )
    return messages.plural_text("%(count)s× a week", "%(count)s× a week", count=times)


class FoodContent(models.TextChoices):
    PORK = "pork", _("Pork or pork gelatine")
    BEEF = "beef", _("Beef")
    OTHER_MEAT = "other_meat", _("Other meat or poultry")
    NON_HALAL_MEAT = "non_halal_meat", _("Meat not slaughtered halal")
    NON_KOSHER_MEAT = "non_kosher_meat", _("Meat not kosher")
    MEAT_WITH_DAIRY = "meat_with_dairy", _("Meat together with dairy")
    FISH = "fish", _("Fish or seafood")
    SHELLFISH = "shellfish", _("Shellfish")
    EGG = "egg", _("Egg")
    DAIRY = "dairy", _("Milk or dairy")
    LACTOSE = "lactose", _("Lactose")
    GLUTEN = "gluten", _("Gluten")
    ALCOHOL = "alcohol", _("Alcohol")
    DAYTIME_FEED = "daytime_feed", _("Given in daylight hours")


class Preference(models.IntegerChoices):
    """ReSPECT's scale of priorities, as five marks on the line."""

    SUSTAIN_LIFE = 1, _("Prioritise sustaining life, even at the expense of some comfort")
    LEAN_SUSTAIN = 2, _("Lean towards sustaining life")
    BALANCED = 3, _("Balance sustaining life and comfort")
    LEAN_COMFORT = 4, _("Lean towards comfort")
    COMFORT = 5, _("Prioritise comfort, even at the expense of sustaining life")


class FocusOfCare(models.TextChoices):
    FULL = "full", _("Full treatment, including life-sustaining treatment")
    SELECTIVE = "selective", _("Selective treatment: treat what is reversible, at home if possible")
    COMFORT = "comfort", _("Symptom control and comfort only")


class InterventionChoice(models.TextChoices):
    CONSIDER = "consider", _("Consider")
    DO_NOT_CONSIDER = "do_not_consider", _("Do not consider")
    NOT_DISCUSSED = "not_discussed", _("Not yet discussed")


class CprDecision(models.TextChoices):
    ATTEMPT = "attempt", _("Attempt CPR")
    DO_NOT_ATTEMPT = "do_not_attempt", _("Do not attempt CPR")


class Capacity(models.TextChoices):
    HAS_CAPACITY = "has_capacity", _("Has capacity for these decisions")
    LACKS_CAPACITY = "lacks_capacity", _("Lacks capacity for these decisions")
    FLUCTUATING = "fluctuating", _("Capacity fluctuates")


class AcpStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CURRENT = "current", _("Current (signed)")
    SUPERSEDED = "superseded", _("Superseded")


class ReviewTrigger(models.TextChoices):
    """Phases of illness (PCOC) whose start asks the team to review the care
    plan: unstable (an urgent change in the plan is needed) and terminal (death
    likely within days). The values are the phase codes the assessments app
    records; which of them ask is ``HEARTH_CARE_PLAN_REVIEW_PHASES``."""

    UNSTABLE = "unstable", _("Unstable")
    TERMINAL = "terminal", _("Terminal (dying)")


class ReviewTaskStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a review")
    COMPLETED = "completed", _("Reviewed")
    DISMISSED = "dismissed", _("Dismissed")
