"""Team support: continuing education, wellbeing check-ins, case-load, debriefs.

Staff records, not patient records, except ``Debrief`` (after a patient's
death, audited with that patient). ``WellbeingCheckIn`` is private to its
author: it is not registered in the Django admin, has no history table, and is
read only through ``queries.own_check_ins`` (the author's own rows) and
``queries.wellbeing_summary`` (aggregates over groups of a minimum size).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.accounts.models import Discipline
from hearth.core import clock
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.team.choices import ReminderKind, WellbeingGroup

USER = settings.AUTH_USER_MODEL
#: Most hours one training record may claim: a service choice that catches a
#: typing slip (40 typed as 400 is still allowed; 4000 is not).
MAX_TRAINING_HOURS = Decimal("500")
#: How often a mandatory course may be set to renew: 1 month to 10 years.
RENEW_MONTHS_RANGE = (1, 120)


# --- Continuing education -------------------------------------------------------


class MandatoryCourseQuerySet(models.QuerySet["MandatoryCourse"]):
    def in_use(self) -> MandatoryCourseQuerySet:
        return self.filter(is_active=True)


class MandatoryCourse(ExternalIdModel):
    """A course the service requires of some disciplines, renewed every N
    months; kept by the administrator or the clinical lead. Retired, never deleted."""

    title = models.CharField(_("title"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    renew_every_months = models.PositiveSmallIntegerField(
        _("renew every (months)"),
        validators=[
            MinValueValidator(RENEW_MONTHS_RANGE[0]),
            MaxValueValidator(RENEW_MONTHS_RANGE[1]),
        ],
    )
    disciplines = ChoiceListField(
        _("required of"),
        item_choices=Discipline.choices,
        help_text=_("The disciplines that must hold it."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    objects = MandatoryCourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                name="mandatory_course_renewal_in_range",
                condition=models.Q(renew_every_months__gte=RENEW_MONTHS_RANGE[0])
                & models.Q(renew_every_months__lte=RENEW_MONTHS_RANGE[1]),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def discipline_labels(self) -> list[str]:
        return [
            str(Discipline(value).label)
            for value in self.disciplines or []
            if value in Discipline.values
        ]

    def applies_to(self, user: Any) -> bool:
        return bool(self.is_active and user.discipline in (self.disciplines or []))


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self) -> TrainingRecordQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class TrainingRecord(ExternalIdModel):
    """One course a member of staff completed. Entered in error → withdrawn, never deleted."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_records")
    mandatory_course = models.ForeignKey(
        MandatoryCourse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("mandatory course it renews"),
    )
    course_title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_TRAINING_HOURS)],
    )
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True, default="")

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="training_hours_in_range",
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=MAX_TRAINING_HOURS),
            ),
            models.CheckConstraint(
                name="training_expires_after_completion",
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("completed_on")),
            ),
        ]
        indexes = [models.Index(fields=["staff", "mandatory_course"], name="training_staff_course")]

    def __str__(self) -> str:
        return f"{self.course_title} ({self.completed_on})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class TrainingReminder(ExternalIdModel):
    """An in-app reminder that a mandatory course expires, has expired or is
    missing. One per person, course and expiry date (one "missing" per person
    and course): the reminder job never writes the same one twice. No e-mail
    is sent; the reminder shows on the person's own team page."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_reminders")
    course = models.ForeignKey(MandatoryCourse, on_delete=models.PROTECT, related_name="reminders")
    training_record = models.ForeignKey(
        TrainingRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course", "expires_on"],
                condition=models.Q(expires_on__isnull=False),
                name="one_reminder_per_course_expiry",
            ),
            models.UniqueConstraint(
                fields=["staff", "course"],
                condition=models.Q(expires_on__isnull=True),
                name="one_missing_reminder_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.kind} {self.expires_on or ''}".strip()


# --- Wellbeing ------------------------------------------------------------------

_ANSWER = [MinValueValidator(1), MaxValueValidator(5)]


class WellbeingCheckIn(models.Model):
    """A member of staff's private answers to the wellbeing check-in.

    Not a clinical instrument and not validated: five plain questions, each
    1 (the harder end) to 5, with no cut-offs and no scores. It is a prompt for
    the person, and in aggregate a rough barometer for the clinical lead.

    Only the author ever reads a row. The clinical lead sees counts, means and
    the share answering 1 or 2, per month and discipline group, and only for
    groups of at least ``HEARTH_WELLBEING_MINIMUM_GROUP`` people. There is no
    free text (nothing individual to leak), no history table, no admin page,
    and the audit trail says only that a check-in was submitted. The group is
    stored instead of the discipline, so a row holds as little as it can.
    """

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    period = models.DateField(help_text="The first day of the month it belongs to.")
    group = models.CharField(max_length=16, choices=WellbeingGroup.choices)
    submitted_at = models.DateTimeField(default=clock.now)
    energy = models.PositiveSmallIntegerField(validators=_ANSWER)
    sleep = models.PositiveSmallIntegerField(validators=_ANSWER)
    supported = models.PositiveSmallIntegerField(validators=_ANSWER)
    emotional_load = models.PositiveSmallIntegerField(validators=_ANSWER)
    workload = models.PositiveSmallIntegerField(validators=_ANSWER)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "period"], name="one_wellbeing_check_in_a_month"
            ),
            *[
                models.CheckConstraint(
                    name=f"wellbeing_{item}_1_to_5",
                    condition=models.Q(**{f"{item}__gte": 1}) & models.Q(**{f"{item}__lte": 5}),
                )
                for item in ("energy", "sleep", "supported", "emotional_load", "workload")
            ],
        ]

    def __str__(self) -> str:
        # Deliberately without the answers: a stray log line or error page
        # must not show them.
        return f"Wellbeing check-in {self.period:%Y-%m}"


# --- Debriefs -------------------------------------------------------------------


class DebriefQuerySet(models.QuerySet["Debrief"]):
    def current(self) -> DebriefQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Debrief(ExternalIdModel):
    """The team's debrief after a patient's death: who met, what went well,
    what could be better, and what the team will do. Entered in error →
    withdrawn, never deleted; one current debrief per death."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey("patients.Episode", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    facilitator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    attendees: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="+", verbose_name=_("attendees")
    )
    went_well = models.TextField(_("what went well"))
    could_be_better = models.TextField(_("what could have been better"))
    actions = models.TextField(_("actions agreed"), blank=True, default="")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True, default="")

    objects = DebriefQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_debrief_per_death",
            )
        ]

    def __str__(self) -> str:
        return f"Debrief {self.held_on}"
