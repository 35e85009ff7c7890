"""The "what matters to me" profile: who the person is, in their own words.

Each section is one row per patient with who recorded it and when; its history
(django-simple-history) keeps every earlier version. Weekly windows (prayer,
do-not-disturb) and legacy items are lists. Proposals from the patient and
family are kept beside the record, accepted or not.
"""

from __future__ import annotations

from datetime import time
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.core import messages
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.personhood.choices import (
    SPOKEN_LANGUAGES,
    WEEKDAY_IN_A_LIST,
    CommunicationStyle,
    DecisionMakerBasis,
    DietPractice,
    DrinkThickness,
    FoodTexture,
    InformationWish,
    LegacyKind,
    LegacyStatus,
    PlaceOfCare,
    ProposalStatus,
    Section,
    SpiritualSupport,
    Weekday,
    WindowKind,
)


class ProfileSection(ExternalIdModel):
    """One section of the profile. Subclasses only add their own fields."""

    section: ClassVar[str]
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
    )
    recorded_at = models.DateTimeField(editable=False, null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} of patient {self.patient_id}"

    @classmethod
    def content_fields(cls) -> list[models.Field[Any, Any]]:
        """The fields people fill in (not the bookkeeping ones)."""
        return [
            f  # type: ignore[misc]
            for f in cls._meta.get_fields()
            if getattr(f, "editable", False)
            and f.concrete
            and not f.auto_created
            and f.name != "external_id"
        ]  # type: ignore[union-attr]

    def content(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in self.content_fields()}

    @property
    def is_empty(self) -> bool:
        return not any(value not in ("", None, [], False) for value in self.content().values())


class ValuesAndGoals(ProfileSection):
    section = Section.VALUES
    what_matters_most = models.TextField(_("what matters most"), blank=True, default="")
    goals = models.TextField(_("goals"), blank=True, default="")
    wishes = models.TextField(_("wishes"), blank=True, default="")
    good_day = models.TextField(_("what a good day looks like"), blank=True, default="")
    fears_and_worries = models.TextField(_("fears and worries"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("values, goals and wishes")


class InformationPreferences(ProfileSection):
    section = Section.INFORMATION
    information_wish = models.CharField(
        _("how much they want to know"),
        max_length=20,
        choices=InformationWish.choices,
        blank=True,
        default="",
    )
    who_may_be_told = models.TextField(_("who may be told what"), blank=True, default="")
    who_must_not_be_told = models.TextField(_("who must not be told what"), blank=True, default="")
    decision_maker_name = models.CharField(
        _("who decides when the person cannot"), max_length=200, blank=True, default=""
    )
    decision_maker_relationship = models.CharField(
        _("relationship"), max_length=100, blank=True, default=""
    )
    decision_maker_phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    decision_maker_basis = models.CharField(
        _("on what basis"),
        max_length=30,
        choices=DecisionMakerBasis.choices,
        blank=True,
        default="",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information and decisions")

    def clean(self) -> None:
        if self.decision_maker_basis and not self.decision_maker_name:
            raise ValidationError({"decision_maker_name": _("Name the person who decides.")})


class CultureAndFaith(ProfileSection):
    section = Section.FAITH
    culture = models.TextField(_("culture and heritage"), blank=True, default="")
    religion = models.CharField(_("religion or belief"), max_length=200, blank=True, default="")
    rituals_and_prayers = models.TextField(
        _("rituals and prayers"),
        help_text=_("Add their times as weekly windows so visits avoid them."),
        blank=True,
        default="",
    )
    spiritual_support = models.CharField(
        _("spiritual support wanted"),
        max_length=20,
        choices=SpiritualSupport.choices,
        blank=True,
        default="",
    )
    faith_leader_contact = models.CharField(
        _("faith leader and how to reach them"), max_length=300, blank=True, default=""
    )
    attitudes_to_interventions = models.TextField(
        _("beliefs about treatments"),
        help_text=_("For example blood products, pain relief that makes them drowsy."),
        blank=True,
        default="",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("culture and faith")


class Diet(ProfileSection):
    section = Section.DIET
    practices = ChoiceListField(_("practices and restrictions"), item_choices=DietPractice.choices)
    fasting_periods = models.TextField(_("fasting periods"), blank=True, default="")
    favourite_foods = models.TextField(_("favourite foods and drinks"), blank=True, default="")
    dislikes = models.TextField(_("dislikes and allergies"), blank=True, default="")
    food_texture = models.CharField(
        _("food texture"), max_length=20, choices=FoodTexture.choices, blank=True, default=""
    )
    drink_thickness = models.CharField(
        _("drink thickness"), max_length=20, choices=DrinkThickness.choices, blank=True, default=""
    )
    swallowing_notes = models.TextField(_("swallowing notes"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("food and drink")


class Communication(ProfileSection):
    section = Section.COMMUNICATION
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=SPOKEN_LANGUAGES, blank=True, default=""
    )
    other_languages = ChoiceListField(_("other languages"), item_choices=SPOKEN_LANGUAGES)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_arranged = models.BooleanField(_("interpreter arranged"), default=False)
    interpreter_details = models.CharField(
        _("interpreter details"), max_length=300, blank=True, default=""
    )
    hearing_aid = models.BooleanField(_("uses a hearing aid"), default=False)
    glasses = models.BooleanField(_("uses glasses"), default=False)
    other_aids = models.CharField(_("other aids"), max_length=300, blank=True, default="")
    style = models.CharField(
        _("how to talk with them"),
        max_length=20,
        choices=CommunicationStyle.choices,
        blank=True,
        default="",
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("language and communication")

    def clean(self) -> None:
        if self.interpreter_arranged and not self.interpreter_needed:
            raise ValidationError(
                {"interpreter_needed": _("An interpreter is arranged, so tick that one is needed.")}
            )
        if self.preferred_language and self.preferred_language in (self.other_languages or []):
            raise ValidationError(
                {"other_languages": _("The preferred language is already listed.")}
            )

    @property
    def languages(self) -> set[str]:
        return {self.preferred_language, *(self.other_languages or [])} - {""}


class DailyRoutine(ProfileSection):
    section = Section.ROUTINE
    wakes_at = models.TimeField(_("usually wakes at"), null=True, blank=True)
    goes_to_bed_at = models.TimeField(_("usually goes to bed at"), null=True, blank=True)
    rest = models.TextField(_("rest during the day"), blank=True, default="")
    meals = models.TextField(_("meals"), blank=True, default="")
    routine_notes = models.TextField(
        _("other routines"),
        help_text=_("Add do-not-disturb and rest times as weekly windows."),
        blank=True,
        default="",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily routine")


class HomeEnvironment(ProfileSection):
    section = Section.HOME
    music = models.TextField(_("music"), blank=True, default="")
    scents = models.TextField(_("scents"), blank=True, default="")
    colours_and_light = models.TextField(_("colours and light"), blank=True, default="")
    photos_and_objects = models.TextField(_("photos and objects"), blank=True, default="")
    quiet_or_prayer_space = models.TextField(_("quiet or prayer space"), blank=True, default="")
    accessibility_needs = models.TextField(_("access and mobility at home"), blank=True, default="")
    pets = models.TextField(_("pets"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("home environment")


class EndOfLifeWishes(ProfileSection):
    section = Section.END_OF_LIFE
    preferred_place_of_care = models.CharField(
        _("preferred place of care"),
        max_length=20,
        choices=PlaceOfCare.choices,
        blank=True,
        default="",
    )
    preferred_place_of_death = models.CharField(
        _("preferred place of death"),
        max_length=20,
        choices=PlaceOfCare.choices,
        blank=True,
        default="",
    )
    people_present = models.TextField(_("people to be present"), blank=True, default="")
    music_and_rituals = models.TextField(
        _("music and rituals for the final days"), blank=True, default=""
    )
    after_death_rituals = models.TextField(
        _("care of the body and rituals after death"), blank=True, default=""
    )
    funeral_wishes = models.TextField(_("funeral wishes"), blank=True, default="")
    spiritual_wishes = models.TextField(_("spiritual wishes"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("end-of-life wishes")


#: Section key → model. The legacy section is a list (``LegacyItem``).
SECTION_MODELS: dict[str, type[ProfileSection]] = {
    model.section: model
    for model in (
        ValuesAndGoals,
        InformationPreferences,
        CultureAndFaith,
        Diet,
        Communication,
        DailyRoutine,
        HomeEnvironment,
        EndOfLifeWishes,
    )
}


class WeeklyWindowQuerySet(models.QuerySet["WeeklyWindow"]):
    def current(self) -> WeeklyWindowQuerySet:
        return self.filter(removed_at__isnull=True)

    def for_patient(self, patient: Any) -> WeeklyWindowQuerySet:
        return self.filter(patient=patient)


class WeeklyWindow(ExternalIdModel):
    """A recurring local wall-clock window: prayers, do-not-disturb, rest, meals.

    A window that ends before it starts runs past midnight into the next day.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="weekly_windows"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    label = models.CharField(_("what it is"), max_length=200)
    weekdays = ChoiceListField(_("days"), item_choices=Weekday.choices, blank=False)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    objects = WeeklyWindowQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.label} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.weekdays:
            errors["weekdays"] = _("Choose at least one day.")
        if self.starts_at is not None and self.starts_at == self.ends_at:
            errors["ends_at"] = _("The window must end at a different time.")
        if errors:
            raise ValidationError(errors)

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at < self.starts_at

    def minutes_on(self, weekday: int) -> list[tuple[int, int]]:
        """Minutes of ``weekday`` (0 = Monday) this window covers, as [start, end) pairs."""

        def minute(moment: time) -> int:
            return moment.hour * 60 + moment.minute

        start, end = minute(self.starts_at), minute(self.ends_at)
        covered: list[tuple[int, int]] = []
        if weekday in self.weekdays:
            covered.append((start, end if not self.crosses_midnight else 24 * 60))
        if self.crosses_midnight and (weekday - 1) % 7 in self.weekdays:
            covered.append((0, end))
        return covered

    @property
    def days(self) -> Promise | messages.Joined:
        """The days as a parameter of a stored message: "every day", or the
        weekdays in order, each said in the reader's language when read."""
        days = sorted(set(self.weekdays))
        if days == list(range(7)):
            return _("every day")
        return messages.Joined([WEEKDAY_IN_A_LIST[Weekday(day)] for day in days])

    @property
    def days_label(self) -> str:
        """The days in the active language, for a page."""
        days = self.days
        if isinstance(days, messages.Joined):
            return days.separator.join(str(day) for day in days.parts)
        return str(days)


class LegacyItem(ExternalIdModel):
    """A legacy activity or a bucket-list wish, and the help it needs."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="legacy_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LegacyKind.choices)
    title = models.CharField(_("what"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=LegacyStatus.choices, default=LegacyStatus.IDEA
    )
    support_needed = models.TextField(_("support needed"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ProfileProposal(ExternalIdModel):
    """A change the patient or family asked for, in their own words.

    Kept for good, whatever the team decides, next to what the team wrote.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="profile_proposals"
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text = models.TextField(_("in your own words"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("reply to the family"), blank=True, default="")

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:40]}"
