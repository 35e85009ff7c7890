"""Fixed vocabularies of the "what matters to me" profile."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hearth.core.choices import SPOKEN_LANGUAGES

__all__ = ["SPOKEN_LANGUAGES"]


class Section(models.TextChoices):
    VALUES = "values", _("Values, goals and wishes")
    INFORMATION = "information", _("Information and decisions")
    FAITH = "faith", _("Culture and faith")
    DIET = "diet", _("Food and drink")
    COMMUNICATION = "communication", _("Language and communication")
    ROUTINE = "routine", _("Daily routine")
    HOME = "home", _("Home environment")
    LEGACY = "legacy", _("Legacy and bucket list")
    END_OF_LIFE = "end_of_life", _("End-of-life wishes")


class InformationWish(models.TextChoices):
    FULL = "full", _("Wants to know everything, including prognosis")
    STEP_BY_STEP = "step_by_step", _("Wants to know a little at a time; ask first")
    FAMILY = "family", _("Prefers the family to be told")
    NOT_TO_KNOW = "not_to_know", _("Does not want to know the prognosis")


class DecisionMakerBasis(models.TextChoices):
    NAMED_BY_PERSON = "named_by_person", _("Named by the person")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (power of attorney)")
    GUARDIAN = "guardian", _("Court-appointed guardian")
    NEXT_OF_KIN = "next_of_kin", _("Next of kin")


class SpiritualSupport(models.TextChoices):
    CHAPLAIN = "chaplain", _("The service's chaplain")
    OWN_FAITH_LEADER = "own_faith_leader", _("Their own faith leader")
    BOTH = "both", _("Both")
    NONE = "none", _("None wanted")


class DietPractice(models.TextChoices):
    HALAL = "halal", _("Halal")
    KOSHER = "kosher", _("Kosher")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    VEGAN = "vegan", _("Vegan")
    NO_PORK = "no_pork", _("No pork")
    NO_BEEF = "no_beef", _("No beef")
    NO_ALCOHOL = "no_alcohol", _("No alcohol")
    RELIGIOUS_FASTING = "religious_fasting", _("Religious fasting periods")
    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    LACTOSE_FREE = "lactose_free", _("Lactose-free")


class FoodTexture(models.TextChoices):
    """IDDSI food levels (International Dysphagia Diet Standardisation Initiative)."""

    REGULAR = "regular", _("Regular (IDDSI 7)")
    EASY_TO_CHEW = "easy_to_chew", _("Easy to chew (IDDSI 7EC)")
    SOFT_BITE_SIZED = "soft_bite_sized", _("Soft and bite-sized (IDDSI 6)")
    MINCED_MOIST = "minced_moist", _("Minced and moist (IDDSI 5)")
    PUREED = "pureed", _("Puréed (IDDSI 4)")
    LIQUIDISED = "liquidised", _("Liquidised (IDDSI 3)")
    NIL_BY_MOUTH = "nil_by_mouth", _("Nothing by mouth")


class DrinkThickness(models.TextChoices):
    """IDDSI drink levels."""

    THIN = "thin", _("Thin (IDDSI 0)")
    SLIGHTLY_THICK = "slightly_thick", _("Slightly thick (IDDSI 1)")
    MILDLY_THICK = "mildly_thick", _("Mildly thick (IDDSI 2)")
    MODERATELY_THICK = "moderately_thick", _("Moderately thick (IDDSI 3)")
    EXTREMELY_THICK = "extremely_thick", _("Extremely thick (IDDSI 4)")


class CommunicationStyle(models.TextChoices):
    DIRECT = "direct", _("Direct and plain")
    GENTLE = "gentle", _("Gentle, a little at a time")
    THROUGH_FAMILY = "through_family", _("Through the family")


class PlaceOfCare(models.TextChoices):
    HOME = "home", _("Home")
    FAMILY_HOME = "family_home", _("A relative's home")
    HOSPICE = "hospice", _("Hospice")
    HOSPITAL = "hospital", _("Hospital")
    CARE_HOME = "care_home", _("Care home")
    NO_PREFERENCE = "no_preference", _("No preference")
    UNDECIDED = "undecided", _("Not decided yet")


class WindowKind(models.TextChoices):
    PRAYER = "prayer", _("Prayer or ritual")
    DO_NOT_DISTURB = "do_not_disturb", _("Do not disturb")
    REST = "rest", _("Rest")
    MEAL = "meal", _("Meal")
    PREFERRED_VISIT = "preferred_visit", _("Preferred time for visits")


#: Windows in which nobody should arrive for a visit (the visit planner and the
#: care-plan conflict check read this).
BLOCKING_WINDOW_KINDS = (WindowKind.PRAYER, WindowKind.DO_NOT_DISTURB)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


#: A weekday inside a sentence or a list of days ("Monday, Tuesday"), with its
#: own context: languages that write weekdays in lower case there (Russian:
#: «понедельник, вторник») translate it so; the choice labels above stay as
#: a form shows them.
WEEKDAY_IN_A_LIST = {
    Weekday.MONDAY: pgettext_lazy("weekday in a list", "Monday"),
    Weekday.TUESDAY: pgettext_lazy("weekday in a list", "Tuesday"),
    Weekday.WEDNESDAY: pgettext_lazy("weekday in a list", "Wednesday"),
    Weekday.THURSDAY: pgettext_lazy("weekday in a list", "Thursday"),
    Weekday.FRIDAY: pgettext_lazy("weekday in a list", "Friday"),
    Weekday.SATURDAY: pgettext_lazy("weekday in a list", "Saturday"),
    Weekday.SUNDAY: pgettext_lazy("weekday in a list", "Sunday"),
}


class LegacyKind(models.TextChoices):
    MEMORY_BOOK = "memory_book", _("Memory book")
    VIDEO_DIARY = "video_diary", _("Video diary")
    LETTERS = "letters", _("Letters to loved ones")
    RECORDINGS = "recordings", _("Voice recordings")
    BUCKET_LIST = "bucket_list", _("Bucket-list wish")
    OTHER = "other", _("Other")


class LegacyStatus(models.TextChoices):
    IDEA = "idea", _("An idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Under way")
    DONE = "done", _("Done")
    NOT_PURSUED = "not_pursued", _("No longer wanted")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the team")
    ACCEPTED = "accepted", _("Accepted into the record")
    DECLINED = "declined", _("Not taken into the record")
