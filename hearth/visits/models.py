"""Visits: who works when, what visits each person needs, the planned day,
and what happened at each visit.

The planner itself (``hearth.routing``) knows nothing of these rows; the
``planning`` module translates between them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hearth.accounts.models import discipline_label
from hearth.core import clock, messages
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient
from hearth.visits.choices import (
    AlertOutcome,
    Consciousness,
    DispatchStatus,
    Endpoint,
    Per,
    PlanStatus,
    Skill,
    TimeRequestKind,
    UnplacedReason,
    UrgentRequestStatus,
    VisitKind,
    VisitStatus,
)

USER = settings.AUTH_USER_MODEL


class UrgentVisitRequest(ExternalIdModel):
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="urgent_visit_requests"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="visit_requests"
    )
    discipline = models.CharField(_("who should go"), max_length=20, default="physician")
    for_date = models.DateField(_("visit on"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(default=clock.now)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=UrgentRequestStatus.choices, default=UrgentRequestStatus.WAITING
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes needed"), default=45, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    #: A clinician must be at the home by then (HEARTH_URGENT_RESPONSE_MINUTES
    #: after the request); the plan must start the visit before it, or the
    #: clinician on call goes.
    respond_by = models.DateTimeField(_("at the home by"), null=True, blank=True)

    class Meta:
        ordering = ["for_date", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert"],
                condition=models.Q(status__in=["waiting", "scheduled"]),
                name="one_pending_visit_request_per_alert",
            )
        ]

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.discipline)

    def __str__(self) -> str:
        return f"Urgent {self.discipline} visit for {self.patient_id} on {self.for_date}"


#: Open dispatches: someone still has to answer, travel or arrive.
OPEN_DISPATCH = (
    DispatchStatus.OFFERED,
    DispatchStatus.ACCEPTED,
    DispatchStatus.ON_THE_WAY,
    DispatchStatus.ARRIVED,
)


class Dispatch(ExternalIdModel):
    """An urgent visit handed to the clinician on call (out of planned hours,
    or one the day's plan could not start in time): offered to one person at a
    time, who accepts or declines; unanswered by ``accept_by`` it is offered to
    the next on the chain (``services.dispatch``)."""

    request = models.OneToOneField(
        UrgentVisitRequest, on_delete=models.PROTECT, related_name="dispatch"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="dispatches")
    discipline = models.CharField(_("who should go"), max_length=20)
    status = models.CharField(
        max_length=12, choices=DispatchStatus.choices, default=DispatchStatus.OFFERED
    )
    #: Why it went to the clinician on call (out of hours, or the planner's reason).
    why_on_call = models.CharField(max_length=300, blank=True)
    #: ``why_on_call`` as a key + parameters (``core.messages``), rendered in
    #: each reader's language; ``why_on_call`` is the service-language copy.
    why_on_call_key = models.CharField(max_length=300, blank=True, default="")
    why_on_call_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    #: The step of the on-call chain it is offered to now (monitoring's OnCallRole).
    offered_role = models.CharField(max_length=20)
    offered_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=clock.now)
    #: Offered and not accepted by then: the next on the chain.
    accept_by = models.DateTimeField(null=True, blank=True)
    offer_count = models.PositiveSmallIntegerField(default=1)
    accepted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    on_the_way_at = models.DateTimeField(null=True, blank=True)
    expected_arrival = models.DateTimeField(_("expected at the home"), null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    visit = models.ForeignKey(
        "Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "dispatches"

    @property
    def why_on_call_text(self) -> str:
        """Why it went to the clinician on call, in the reader's language."""
        return messages.render(
            self.why_on_call_key, self.why_on_call_params, fallback=self.why_on_call
        )

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.discipline)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DISPATCH

    def is_late(self, now: datetime) -> bool:
        """Red on the board: an offer past its deadline, or nobody at the home by
        the request's ``respond_by``."""
        if self.status == DispatchStatus.OFFERED and self.accept_by and self.accept_by <= now:
            return True
        respond_by = self.request.respond_by
        return bool(
            respond_by
            and respond_by <= now
            and self.status
            in (DispatchStatus.OFFERED, DispatchStatus.ACCEPTED, DispatchStatus.ON_THE_WAY)
        )

    def __str__(self) -> str:
        return f"Dispatch of an urgent {self.discipline} visit for {self.patient_id}"


class StaffPlanningProfile(models.Model):
    """What the planner needs to know about a member of staff beyond their
    discipline and languages (which live on the user)."""

    staff = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="planning_profile")
    skills = ChoiceListField(_("skills"), item_choices=Skill.choices)
    max_visits_per_day = models.PositiveSmallIntegerField(
        _("most home visits in a day"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    home_latitude = models.DecimalField(
        _("home latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    home_longitude = models.DecimalField(
        _("home longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staff_home_has_both_coordinates",
                condition=(Q(home_latitude__isnull=True) & Q(home_longitude__isnull=True))
                | (Q(home_latitude__isnull=False) & Q(home_longitude__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"Planning profile of {self.staff_id}"


class ShiftQuerySet(models.QuerySet["Shift"]):
    def current(self) -> ShiftQuerySet:
        return self.filter(cancelled_at__isnull=True)


class Shift(ExternalIdModel):
    """One working day of one member of staff, local wall-clock times."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    starts_from = models.CharField(
        _("starts from"), max_length=8, choices=Endpoint.choices, default=Endpoint.BASE
    )
    ends_at_place = models.CharField(
        _("ends at"), max_length=8, choices=Endpoint.choices, default=Endpoint.BASE
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "date"],
                condition=Q(cancelled_at__isnull=True),
                name="one_shift_per_staff_per_day",
            ),
            models.CheckConstraint(
                name="shift_ends_after_it_starts", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A shift ends after it starts, on the same day.")})


class VisitNeedQuerySet(models.QuerySet["VisitNeed"]):
    def current(self) -> VisitNeedQuerySet:
        return self.filter(ended_at__isnull=True)


class VisitNeed(ExternalIdModel):
    """A recurring visit a person needs: from a care-plan intervention or by hand."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visit_needs")
    intervention = models.ForeignKey(
        "careplans.PlanIntervention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_needs",
    )
    description = models.CharField(_("what the visit is for"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=12, choices=VisitKind.choices, default=VisitKind.HOME_VISIT
    )
    discipline = models.CharField(_("discipline"), max_length=32)
    skills = ChoiceListField(_("skills needed"), item_choices=Skill.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes each time"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    times = models.PositiveSmallIntegerField(
        _("how often"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    per = models.CharField(_("per"), max_length=8, choices=Per.choices)
    preferred_staff = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred staff member (continuity of carer)"),
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = VisitNeedQuerySet.as_manager()

    class Meta:
        ordering = ["patient_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention"],
                condition=Q(ended_at__isnull=True, intervention__isnull=False),
                name="one_current_visit_need_per_intervention",
            )
        ]

    def __str__(self) -> str:
        return self.description


class VisitTimeRequestQuerySet(models.QuerySet["VisitTimeRequest"]):
    def current(self) -> VisitTimeRequestQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class VisitTimeRequest(ExternalIdModel):
    """The family asks for visits on one day only within, or not within, a time."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="visit_time_requests"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("request"), max_length=8, choices=TimeRequestKind.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    note = models.CharField(_("why"), max_length=300, blank=True, default="")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = VisitTimeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="time_request_ends_after_it_starts",
                condition=Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class DayPlan(ExternalIdModel):
    """One run of the planner for one day. A draft can be looked at and
    changed by hand; publishing turns its placed visits into ``Visit`` rows."""

    date = models.DateField(_("date"))
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    solver_seconds = models.FloatField(default=0)
    travel_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(status="draft"), name="one_draft_plan_per_day"
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(status="published"), name="one_published_plan_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.date} ({self.status})"


class PlannedVisit(models.Model):
    """A visit in a draft plan: placed on someone's day, or not placed with a reason."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="planned_visits")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(
        VisitNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    urgent_request = models.ForeignKey(
        UrgentVisitRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discipline = models.CharField(max_length=32)
    skills = models.JSONField(default=list)
    duration_minutes = models.PositiveSmallIntegerField()
    # Allowed start times, local minutes after midnight: [[start, end], ...].
    windows = models.JSONField(default=list)
    staff = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    travel_minutes_before = models.PositiveIntegerField(default=0)
    unplaced_reason = models.CharField(
        max_length=24, choices=UnplacedReason.choices, blank=True, default=""
    )
    moved_by_hand = models.BooleanField(default=False)

    class Meta:
        ordering = ["staff_id", "sequence", "pk"]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.discipline} {self.starts_at}"

    @property
    def discipline_label(self) -> str:
        """Who goes, in the reader's language (the move page showed the code)."""
        return discipline_label(self.discipline)


class VisitQuerySet(models.QuerySet["Visit"]):
    def for_patient(self, patient: Any) -> VisitQuerySet:
        return self.filter(patient=patient)

    def not_cancelled(self) -> VisitQuerySet:
        return self.exclude(status=VisitStatus.CANCELLED)

    def on(self, day: Any) -> VisitQuerySet:
        return self.filter(date=day)


class Visit(ExternalIdModel):
    """A published home visit or a teleconsultation, and what happened at it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=12, choices=VisitKind.choices, default=VisitKind.HOME_VISIT)
    discipline = models.CharField(_("discipline"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True, default="")
    need = models.ForeignKey(
        VisitNeed, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    urgent_request = models.ForeignKey(
        UrgentVisitRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    plan = models.ForeignKey(
        DayPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    date = models.DateField(_("date"))
    sequence = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    # What the family is told: a window around the planned start, not the minute.
    family_window_start = models.DateTimeField()
    family_window_end = models.DateTimeField()
    windows = models.JSONField(default=list)
    skills = models.JSONField(default=list)
    status = models.CharField(
        max_length=12, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    # Teleconsultations.
    video_link = models.URLField(_("video link"), blank=True, default="")
    participants: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, blank=True, related_name="+"
    )
    participants_note = models.CharField(
        _("other participants"), max_length=300, blank=True, default=""
    )
    # What happened.
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    departed_at = models.DateTimeField(_("left"), null=True, blank=True)
    actions_taken = models.TextField(_("actions taken"), blank=True, default="")
    pulse = models.PositiveSmallIntegerField(
        _("pulse (beats/min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(250)],
    )
    systolic_pressure = models.PositiveSmallIntegerField(
        _("systolic blood pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(40), MaxValueValidator(300)],
    )
    diastolic_pressure = models.PositiveSmallIntegerField(
        _("diastolic blood pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(200)],
    )
    respiratory_rate = models.PositiveSmallIntegerField(
        _("breaths per minute"),
        null=True,
        blank=True,
        validators=[MinValueValidator(4), MaxValueValidator(70)],
    )
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(45)],
    )
    oxygen_saturation = models.PositiveSmallIntegerField(
        _("oxygen saturation (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    #: ACVPU (NEWS2's consciousness); blank = not assessed.
    consciousness = models.CharField(
        _("consciousness (ACVPU)"),
        max_length=16,
        choices=Consciousness.choices,
        blank=True,
        default="",
    )
    #: NEWS2's "air or oxygen"; None = not recorded.
    supplemental_oxygen = models.BooleanField(_("on supplemental oxygen"), null=True, blank=True)
    alert_outcome = models.CharField(
        _("the alert"), max_length=12, choices=AlertOutcome.choices, blank=True, default=""
    )
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=300, blank=True, default="")
    #: ``cancelled_reason`` as a key + parameters (``core.messages``) when the
    #: service wrote it (a new plan for the day, the end of care), rendered in
    #: each reader's language; ``cancelled_reason`` is the service-language
    #: copy. A reason a person typed has no key.
    cancelled_reason_key = models.CharField(max_length=300, blank=True, default="")
    cancelled_reason_params = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["participants"])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["planned_start", "pk"]
        indexes = [
            # A person's visits newest first (the record's visit history),
            # without reading every visit they ever had (issue 21).
            models.Index(fields=["patient", "-planned_start"], name="visit_patient_newest"),
            # The planner's continuity of carer: the latest completed visit
            # per (person, discipline), one index probe each (issue 21).
            models.Index(
                fields=["patient", "discipline", "-planned_start"],
                condition=models.Q(status=VisitStatus.COMPLETED),
                name="visit_completed_by_discipline",
            ),
            # A day's visits (the day plan, the dispatch board).
            models.Index(fields=["date", "status"], name="visit_day_status"),
        ]

    @property
    def cancelled_reason_text(self) -> str:
        """Why the visit will not happen, in the reader's language when the
        service wrote it; a typed reason as it was typed."""
        return messages.render(
            self.cancelled_reason_key, self.cancelled_reason_params, fallback=self.cancelled_reason
        )

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.discipline)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.patient_id} {self.planned_start}"

    def news2(self, *, spo2_scale: int = 1) -> Any:
        """NEWS2 from this visit's own observations (``monitoring.news2``):
        complete only when all seven parameters were recorded; otherwise it
        says which are missing, never scoring a missing one as 0."""
        from hearth.monitoring import news2

        return news2.score(
            {
                "respiratory_rate": self.respiratory_rate,
                "spo2": self.oxygen_saturation,
                "on_oxygen": self.supplemental_oxygen,
                "systolic_bp": self.systolic_pressure,
                "pulse": self.pulse,
                "consciousness": (
                    self.consciousness == Consciousness.ALERT if self.consciousness else None
                ),
                "temperature": float(self.temperature) if self.temperature is not None else None,
            },
            spo2_scale=spo2_scale,
        )

    @property
    def is_open(self) -> bool:
        return self.status in (VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY)


class VisitNote(ExternalIdModel):
    """A note written at a visit, in the author's discipline."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="notes")
    discipline = models.CharField(max_length=32)
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.discipline} note on visit {self.visit_id}"

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.discipline)


class VisitTimeChange(models.Model):
    """A published visit whose time or carer changed (an urgent visit was
    inserted, or the coordinator moved it): the family must be told."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="time_changes")
    old_window_start = models.DateTimeField()
    old_window_end = models.DateTimeField()
    new_window_start = models.DateTimeField()
    new_window_end = models.DateTimeField()
    old_staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    new_staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    because = models.CharField(max_length=300)
    changed_at = models.DateTimeField(default=clock.now)
    family_told_at = models.DateTimeField(null=True, blank=True)
    family_told_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "pk"]

    def __str__(self) -> str:
        return f"Visit {self.visit_id} moved at {self.changed_at}"


def window_around(start: datetime, *, minutes: int) -> tuple[datetime, datetime]:
    """The family's window: the planned start ± ``minutes``, on the quarter hour."""
    from datetime import timedelta

    half = timedelta(minutes=minutes)
    low = start - half
    low = low.replace(minute=low.minute - low.minute % 15, second=0, microsecond=0)
    high = start + half
    extra = (15 - high.minute % 15) % 15
    high = (high + timedelta(minutes=extra)).replace(second=0, microsecond=0)
    return low, high
