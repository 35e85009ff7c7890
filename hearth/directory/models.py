"""Directory: where to get equipment, paperwork help and services.

``Region`` is the list of service areas the coordinator keeps (boroughs,
districts); an entry serves some of them or the whole service
(``serves_all_regions``). ``DirectoryEntry`` is public information, not a
health record: it is retired rather than deleted so a next step that points
to it keeps its meaning. ``NextStep`` (an entry attached to a patient with a
personal note) *is* health data: it says something about a person's
situation, and is read and written only through the patient's access rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hearth.core import clock
from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.directory.choices import Category, Faith, NextStepStatus, Topic
from hearth.patients.models import Patient

USER = settings.AUTH_USER_MODEL


def review_days() -> int:
    """An entry not confirmed current for this many days is shown as "due for review"."""
    return int(settings.HEARTH_DIRECTORY_REVIEW_DAYS)


class RegionQuerySet(models.QuerySet["Region"]):
    def active(self) -> RegionQuerySet:
        return self.filter(active=True)


class Region(ExternalIdModel):
    """A service area (a borough, a district) the coordinator maintains."""

    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="region_code_is_not_all", condition=~Q(code="all")),
        ]

    def __str__(self) -> str:
        return self.name


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def active(self) -> DirectoryEntryQuerySet:
        return self.filter(active=True)

    def due_for_review(self, today: date | None = None) -> DirectoryEntryQuerySet:
        cutoff = (today or clock.today()) - timedelta(days=review_days())
        return self.active().filter(last_reviewed_on__lte=cutoff)


class DirectoryEntry(ExternalIdModel):
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    description = models.TextField(_("what it is"), max_length=2000)
    how_to = models.TextField(
        _("how to use it"), max_length=3000, blank=True, help_text=_("Steps, what to bring.")
    )
    serves_all_regions = models.BooleanField(_("serves every area"), default=False)
    regions = models.ManyToManyField(Region, blank=True, related_name="entries")
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    languages = ChoiceListField(_("languages spoken"), item_choices=SPOKEN_LANGUAGES)
    faiths_served = ChoiceListField(_("faiths served"), item_choices=Faith.choices)
    active = models.BooleanField(_("listed"), default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=clock.now)
    last_reviewed_on = models.DateField(_("last checked on"))
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "directory entries"
        constraints = [
            models.CheckConstraint(
                name="directory_entry_known_category",
                condition=Q(category__in=Category.values),
            ),
            models.CheckConstraint(
                name="directory_entry_known_topic", condition=Q(topic__in=Topic.values)
            ),
            models.CheckConstraint(
                name="directory_entry_retired_has_time",
                condition=(Q(active=True) & Q(retired_at__isnull=True))
                | (Q(active=False) & Q(retired_at__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["active", "category"], name="directory_active_category")]

    def __str__(self) -> str:
        return self.name

    @property
    def review_due(self) -> bool:
        return self.active and self.last_reviewed_on <= clock.today() - timedelta(
            days=review_days()
        )

    @property
    def language_labels(self) -> list[str]:
        # Django's language names are marked for translation but stored untranslated.
        names = dict(SPOKEN_LANGUAGES)
        return [gettext(str(names.get(code, code))) for code in self.languages or []]

    @property
    def faith_labels(self) -> list[str]:
        return [str(Faith(code).label) for code in self.faiths_served or [] if code in Faith.values]


class NextStepQuerySet(models.QuerySet["NextStep"]):
    def for_patient(self, patient: Patient) -> NextStepQuerySet:
        return self.filter(patient=patient)

    def open(self) -> NextStepQuerySet:
        return self.filter(status=NextStepStatus.TO_DO)


class NextStep(ExternalIdModel):
    """A directory entry the team suggests to a family, with a personal note."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="next_steps")
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.PROTECT, related_name="next_steps")
    note = models.TextField(_("note for the family"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=NextStepStatus.choices, default=NextStepStatus.TO_DO
    )
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=clock.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="next_step_known_status", condition=Q(status__in=NextStepStatus.values)
            ),
            models.UniqueConstraint(
                fields=["patient", "entry"],
                condition=Q(status="to_do"),
                name="one_open_next_step_per_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Next step {self.entry_id} for {self.patient_id} ({self.status})"
