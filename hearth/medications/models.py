"""Formulary, prescriptions and their versions, the home medication
administration record (MAR), family sign-off per route, the offline-sync
review queue and the controlled-drug register at home.

Clinical records are never deleted: a wrong administration is marked entered
in error; a changed dose is a new version of the order; a stopped order keeps
its versions.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from hearth.core import clock, messages
from hearth.core.models import ExternalIdModel
from hearth.medications.choices import (
    LIQUID_FORMS,
    AdministrationOutcome,
    Conversion,
    DoseForm,
    DoseUnit,
    NotGivenReason,
    OrderKind,
    OrderStatus,
    ReviewStatus,
    Route,
    StockMovement,
)
from hearth.patients.models import Patient

USER = settings.AUTH_USER_MODEL


# --- Formulary --------------------------------------------------------------


class Drug(ExternalIdModel):
    """A medicine the service uses. ``is_controlled`` puts it in the home
    controlled-drug register; ``is_opioid`` counts it in the opioid totals."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_controlled = models.BooleanField(_("controlled drug"), default=False)
    is_opioid = models.BooleanField(_("opioid"), default=False)
    warning = models.CharField(
        _("warning for the prescriber"), max_length=300, blank=True, default=""
    )
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DrugRoute(ExternalIdModel):
    """A drug by one route, with its oral-morphine-equivalent factor. The
    factor is per unit of dose (mg), or per microgram/hour for a patch."""

    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="routes")
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    dose_unit = models.CharField(_("dose unit"), max_length=8, choices=DoseUnit.choices)
    conversion = models.CharField(
        _("conversion to oral morphine"),
        max_length=16,
        choices=Conversion.choices,
        default=Conversion.NOT_OPIOID,
    )
    ome_factor = models.DecimalField(
        _("oral-morphine-equivalent factor"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
    )
    source = models.CharField(_("source of the factor"), max_length=200, blank=True, default="")
    usual_maximum_single_dose = models.DecimalField(
        _("usual maximum single dose"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("In the dose unit. Above it, the physician confirms with a reason."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["drug__name", "route"]
        constraints = [
            models.UniqueConstraint(fields=["drug", "route"], name="one_formulary_row_per_route"),
            models.CheckConstraint(
                condition=Q(ome_factor__isnull=True) | Q(ome_factor__gt=0),
                name="ome_factor_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug.name} ({self.get_route_display()})"

    def as_message(self) -> messages.Message:
        """As ``str()``, for a stored text: the route read in each reader's language."""
        return messages.text(
            gettext_noop("%(drug)s (%(route)s)"),
            drug=self.drug.name,
            route=messages.choice(self, "route"),
        )


#: The units the controlled-drug register counts stock in (see the formulary
#: migration), as people read them.
STOCK_UNIT_LABELS = {
    "tablet": _("tablet(s)"),
    "capsule": _("capsule(s)"),
    "ampoule": _("ampoule(s)"),
    "patch": _("patch(es)"),
    "syringe": _("syringe(s)"),
    "ml": _("ml"),
}


class Formulation(ExternalIdModel):
    """What is actually in the home: a form and strength. ``amount_per_unit``
    (in the route's dose unit, per tablet, ml, ampoule or patch) lets the
    controlled-drug register turn a dose into stock used."""

    drug_route = models.ForeignKey(DrugRoute, on_delete=models.PROTECT, related_name="formulations")
    form = models.CharField(_("form"), max_length=16, choices=DoseForm.choices)
    strength = models.CharField(_("strength"), max_length=60)
    amount_per_unit = models.DecimalField(
        _("dose per stock unit"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    stock_unit = models.CharField(_("counted in"), max_length=16, default="tablet")
    strength_per_ml = models.DecimalField(
        _("strength per ml"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("For a liquid: the dose (in the route's unit) in each ml."),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["drug_route__drug__name", "form", "strength"]

    def __str__(self) -> str:
        return f"{self.drug_route.drug.name} {self.strength} {self.get_form_display().lower()}"

    def as_message(self) -> messages.Message:
        """As ``str()``, for a stored text: the form read in each reader's language
        (the strength is typed as the pharmacy writes it)."""
        return messages.text(
            gettext_noop("%(drug)s %(strength)s %(form)s"),
            drug=self.drug_route.drug.name,
            strength=self.strength,
            form=messages.lower_case(messages.choice(self, "form")),
        )

    @property
    def stock_unit_label(self) -> str:
        """What the stock is counted in, in the reader's language ("tablet" is
        a stored code, never shown as such); an unknown unit shows as typed."""
        return str(STOCK_UNIT_LABELS.get(self.stock_unit, self.stock_unit))

    @property
    def is_liquid(self) -> bool:
        """A liquid is measured in ml: its volume is worked out, never typed."""
        return self.form in LIQUID_FORMS


# --- Prescriptions ----------------------------------------------------------


class OrderQuerySet(models.QuerySet["MedicationOrder"]):
    def for_patient(self, patient: Patient) -> OrderQuerySet:
        return self.filter(patient=patient)

    def active(self) -> OrderQuerySet:
        return self.filter(status=OrderStatus.ACTIVE)

    def with_current(self) -> OrderQuerySet:
        return self.select_related(
            "drug_route__drug", "current__formulation", "current__prescribed_by"
        )


class MedicationOrder(ExternalIdModel):
    """One prescription over its life. The dose and timing live in versions;
    this row is what administrations lock, so two carers cannot both pass the
    checks for the last allowed dose."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="medication_orders")
    drug_route = models.ForeignKey(DrugRoute, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.ACTIVE
    )
    current = models.ForeignKey(
        "OrderVersion", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    stop_reason = models.TextField(_("reason for stopping"), blank=True, default="")
    #: Set when the order needs a physician's look (a typed volume that could not
    #: be checked when volumes became computed); cleared by changing the order.
    physician_check = models.CharField(
        _("needs a physician's check"), max_length=300, blank=True, default=""
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["status", "kind", "drug_route__drug__name", "id"]

    def __str__(self) -> str:
        return f"{self.drug_route} {self.get_kind_display()}"

    @property
    def drug(self) -> Drug:
        return self.drug_route.drug

    @property
    def route(self) -> str:
        return self.drug_route.route

    @property
    def is_as_needed(self) -> bool:
        return self.kind == OrderKind.AS_NEEDED

    @property
    def is_breakthrough(self) -> bool:
        """An as-needed opioid: what the 3-in-24-h review counts."""
        return self.is_as_needed and self.drug_route.drug.is_opioid


class OrderVersion(ExternalIdModel):
    """The dose as a physician wrote it at one time. Never edited: a change
    ends this version (``valid_until``) and starts the next."""

    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    formulation = models.ForeignKey(
        Formulation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dose = models.DecimalField(_("dose"), max_digits=10, decimal_places=3)
    dose_unit = models.CharField(_("unit"), max_length=8, choices=DoseUnit.choices)
    times = models.JSONField(_("times of day"), default=list, blank=True)
    every_days = models.PositiveSmallIntegerField(
        _("every how many days"),
        default=1,
        help_text=_("1 = daily; 3 = a patch changed every 72 h"),
    )
    indication = models.CharField(_("what it is for"), max_length=200)
    minimum_interval_minutes = models.PositiveIntegerField(
        _("minimum time between doses (minutes)"), null=True, blank=True
    )
    maximum_doses_24h = models.PositiveIntegerField(
        _("maximum doses in 24 hours"), null=True, blank=True
    )
    instructions = models.TextField(_("instructions for the family"), blank=True, default="")
    prescribed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    change_reason = models.TextField(_("reason for the change"), blank=True, default="")
    #: Why the physician prescribed despite a matching allergy (allergy_check).
    allergy_override_reason = models.TextField(
        _("why prescribed despite an allergy"), blank=True, default=""
    )
    volume_ml = models.DecimalField(
        _("volume (ml)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    confirmation_reason = models.TextField(
        _("why the physician confirmed the dose"), blank=True, default=""
    )
    confirmed_checks = models.JSONField(_("dose checks confirmed"), default=list, blank=True)

    class Meta:
        ordering = ["order_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "number"], name="one_version_number_per_order"
            ),
            models.CheckConstraint(condition=Q(dose__gt=0), name="order_dose_positive"),
            models.CheckConstraint(
                condition=Q(every_days__gte=1), name="order_every_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} v{self.number}: {self.dose} {self.dose_unit}"

    def covers(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)

    @property
    def doses_per_day(self) -> int:
        return len(self.times)

    @property
    def volume_text(self) -> str:
        """The volume of a liquid to draw up, e.g. "2.5 ml"; "" when not a liquid.
        Worked out from the dose and the strength when the version was written."""
        if self.volume_ml is None:
            return ""
        return _("%(volume)s ml") % {"volume": plain_decimal(self.volume_ml)}


# --- Family sign-off --------------------------------------------------------


class SignOffQuerySet(models.QuerySet["MedicineSignOff"]):
    def valid_on(self, day: date) -> SignOffQuerySet:
        return self.filter(revoked_at__isnull=True, signed_off_on__lte=day, expires_on__gte=day)


class MedicineSignOff(ExternalIdModel):
    """A nurse or physician saw this family member give medicines by this route
    and judged them competent, until ``expires_on``. The family-training app
    reads the same record."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="medicine_sign_offs"
    )
    caregiver = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="medicine_sign_offs")
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    signed_off_on = models.DateField(_("signed off on"))
    expires_on = models.DateField(_("valid until"))
    signed_off_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("what was taught and practised"), blank=True, default="")
    recorded_at = models.DateTimeField(default=clock.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoke_reason = models.TextField(blank=True, default="")

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_off_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("signed_off_on")),
                name="sign_off_expires_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.caregiver} {self.route} until {self.expires_on}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.signed_off_on <= clock.today() <= self.expires_on


# --- Administration record --------------------------------------------------


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def for_patient(self, patient: Patient) -> AdministrationQuerySet:
        return self.filter(patient=patient)

    def valid(self) -> AdministrationQuerySet:
        return self.filter(entered_in_error_at__isnull=True)

    def given(self) -> AdministrationQuerySet:
        return self.valid().filter(outcome=AdministrationOutcome.GIVEN)

    def counting_towards(self, order: MedicationOrder) -> AdministrationQuerySet:
        """Doses that count against ``order``'s interval and 24 h maximum: its
        own, and for an as-needed order those of every as-needed order of the
        same drug for this person, by any route, active or stopped
        (CLINICAL.md "Duplicate therapy": limits are counted across orders), so
        a second order or stopping and writing the order again never resets
        the count. Regular doses keep to their own slots."""
        if order.kind != OrderKind.AS_NEEDED:
            return self.given().filter(order=order)
        return self.given().filter(
            Q(order=order)
            | Q(
                order__patient_id=order.patient_id,
                order__drug_route__drug_id=order.drug_route.drug_id,
                order__kind=OrderKind.AS_NEEDED,
            )
        )


class Administration(ExternalIdModel):
    """One line of the medication administration record: a dose given, or a
    scheduled dose not given and why. ``given_at`` is when it happened, as the
    carer says; ``recorded_at`` when the server stored it; an offline phone's
    own clock is kept in ``device_recorded_at``."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="administrations")
    order = models.ForeignKey(
        MedicationOrder, on_delete=models.PROTECT, related_name="administrations"
    )
    version = models.ForeignKey(OrderVersion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=AdministrationOutcome.choices)
    not_given_reason = models.CharField(
        _("why it was not given"), max_length=16, choices=NotGivenReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, default="")
    dose = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    dose_unit = models.CharField(max_length=8, choices=DoseUnit.choices, blank=True)
    route = models.CharField(max_length=16, choices=Route.choices)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    given_at = models.DateTimeField(db_index=True)
    recorded_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_offline = models.BooleanField(default=False)
    device_recorded_at = models.DateTimeField(null=True, blank=True)
    client_id = models.CharField(max_length=80, blank=True, default="")
    accepted_after_review = models.BooleanField(default=False)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    entered_in_error_reason = models.TextField(blank=True, default="")

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["order", "given_at"], name="administration_order_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "scheduled_for"],
                condition=Q(scheduled_for__isnull=False, entered_in_error_at__isnull=True),
                name="one_record_per_scheduled_dose",
            ),
            models.CheckConstraint(
                condition=Q(outcome=AdministrationOutcome.NOT_GIVEN) | Q(dose__isnull=False),
                name="given_dose_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.outcome} {self.given_at:%Y-%m-%d %H:%M}"


class SyncReview(ExternalIdModel):
    """An offline dose that only clashed once it reached the server (another
    carer recorded the same slot, or it breaks the interval or the 24 h
    maximum after merging). It is neither merged nor dropped: a clinician
    decides whether it was really given."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sync_reviews")
    order = models.ForeignKey(MedicationOrder, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(OrderVersion, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=clock.now)
    given_at = models.DateTimeField()
    device_recorded_at = models.DateTimeField(null=True, blank=True)
    client_id = models.CharField(max_length=80, blank=True, default="")
    payload = models.JSONField(default=dict)
    #: The problems as text in the service's language (all that reviews made
    #: before keys have), and as ``[{"key", "params"}]`` (hearth.core.messages)
    #: to read in each reviewer's language.
    problems = models.JSONField(default=list)
    problem_messages = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.WAITING
    )
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")
    administration = models.OneToOneField(
        Administration, on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )

    class Meta:
        ordering = ["status", "-submitted_at"]

    @property
    def problem_texts(self) -> list[str]:
        """The problems in the reader's (active) language."""
        if len(self.problem_messages) != len(self.problems):
            return list(self.problems)
        return [
            messages.render(str(item.get("key", "")), item.get("params"), fallback=text)
            for item, text in zip(self.problem_messages, self.problems, strict=True)
        ]

    def __str__(self) -> str:
        return f"Review {self.order} {self.given_at:%Y-%m-%d %H:%M} ({self.status})"


# --- Controlled drugs at home -----------------------------------------------


class StockHolding(models.Model):
    """The running balance of one controlled-drug formulation in one home.
    Locked for every movement so the balance is never computed twice at once."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stock_holdings")
    formulation = models.ForeignKey(Formulation, on_delete=models.PROTECT, related_name="+")
    balance = models.DecimalField(max_digits=10, decimal_places=3, default=Decimal(0))
    discrepancy_open = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "formulation"], name="one_stock_balance_per_formulation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.formulation}: {self.balance} {self.formulation.stock_unit_label}"


class StockEntry(ExternalIdModel):
    """One line of the home controlled-drug register. A count that differs
    from the running balance is a discrepancy: recorded, flagged and kept."""

    holding = models.ForeignKey(StockHolding, on_delete=models.PROTECT, related_name="entries")
    movement = models.CharField(max_length=16, choices=StockMovement.choices)
    quantity = models.DecimalField(max_digits=10, decimal_places=3)
    balance_after = models.DecimalField(max_digits=10, decimal_places=3)
    expected_balance = models.DecimalField(max_digits=10, decimal_places=3)
    discrepancy = models.DecimalField(max_digits=10, decimal_places=3, default=Decimal(0))
    administration = models.OneToOneField(
        Administration, on_delete=models.PROTECT, null=True, blank=True, related_name="stock_entry"
    )
    occurred_at = models.DateTimeField(default=clock.now)
    recorded_at = models.DateTimeField(default=clock.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    witness = models.CharField(_("witness"), max_length=150, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    #: A note the service wrote (not one typed) as a gettext key and parameters
    #: (``hearth.core.messages``), read in each reader's language; ``note``
    #: keeps the service-language text, the only text of a typed note.
    note_key = models.CharField(max_length=300, blank=True, default="")
    note_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "stock entries"

    def __str__(self) -> str:
        return f"{self.movement} {self.quantity}"

    @property
    def has_discrepancy(self) -> bool:
        return self.discrepancy != 0

    @property
    def note_text(self) -> str:
        """The note as shown: a dose given is named by its medicine and route in
        the reader's language, a note the service wrote is read from its key
        (the stored note is the service-language copy); a typed note as typed."""
        if self.movement == StockMovement.GIVEN and self.administration_id:
            return str(self.holding.formulation.drug_route)
        return messages.render(self.note_key, self.note_params, fallback=self.note)


def plain_decimal(value: Decimal) -> str:
    """``Decimal("2.500")`` → ``"2.5"``; ``Decimal("20.000")`` → ``"20"``: a
    number as a carer or physician reads it."""
    return format(value.normalize(), "f")


def describe_dose(dose: Decimal | None, unit: str) -> str:
    """``2.5 mg`` rather than ``2.500 mg``: what a carer reads on the chart."""
    if dose is None:
        return ""
    label = DoseUnit(unit).label if unit in DoseUnit.values else unit
    return f"{plain_decimal(dose)} {label}"


def dose_param(dose: Decimal | None, unit: str) -> Any:
    """The dose for a stored message: the number without an exponent and the
    unit kept as its (lazy) label, so "tablet" is read in each reader's
    language; as ``describe_dose`` for an unknown unit."""
    if dose is None or unit not in DoseUnit.values:
        return describe_dose(dose, unit)
    return messages.Joined([plain_decimal(dose), DoseUnit(unit).label], separator=" ")
