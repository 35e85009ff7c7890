"""Medicines over JSON: what goes in and what comes out.

Conventions (the same for every medicines endpoint):

- Objects are named by their external UUID, in and out; internal ids never leave.
- Decimal amounts (doses, OME, factors, stock) come back as **strings** without
  trailing zeros (``"2.5"``, ``"20"``), so no precision is lost in a JSON
  number. A request may send a string or a JSON number; a string is preferred.
- Date-times carry a time zone (ISO 8601, e.g. ``2026-05-01T08:00+01:00``); a
  time without one is refused with 422 naming the field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from hearth.accounts.schemas import PersonOut
from hearth.core.validation import AwareDateTime, CalendarDate
from hearth.medications import queries
from hearth.medications.choices import (
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
from hearth.medications.models import plain_decimal
from hearth.patients.schemas import StrictIn

#: A decimal amount in an answer: always a string, e.g. ``"2.5"``.
Amount = Annotated[
    Decimal,
    PlainSerializer(plain_decimal, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["2.5"]}),
]
AMOUNT_IN = 'A decimal as a string (preferred, e.g. "2.5") or a JSON number.'
AWARE = "ISO 8601 with a time zone, e.g. 2026-05-01T08:00+01:00."


# --- Formulary --------------------------------------------------------------


class FormulationOut(Schema):
    id: UUID = Field(alias="external_id")
    form: DoseForm
    strength: str
    amount_per_unit: Amount | None = Field(
        description="Dose (in the route's dose unit) per stock unit; a string."
    )
    stock_unit: str
    strength_per_ml: Amount | None = Field(
        description="For a liquid: the dose in each ml (the volume is worked out from it)."
    )
    active: bool


class DrugRouteOut(Schema):
    id: UUID = Field(alias="external_id")
    route: Route
    dose_unit: DoseUnit
    conversion: Conversion
    ome_factor: Amount | None = Field(
        description="Oral-morphine-equivalent factor per dose unit (per mcg/h for a patch); "
        "a string. Empty when the drug is not converted automatically."
    )
    source: str
    usual_maximum_single_dose: Amount | None = Field(
        description="Above it, the physician confirms with a reason; a string."
    )
    formulations: list[FormulationOut]

    @staticmethod
    def resolve_formulations(obj: Any) -> list[Any]:
        return list(obj.formulations.all())


class DrugOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    is_controlled: bool
    is_opioid: bool
    warning: str
    active: bool
    routes: list[DrugRouteOut]

    @staticmethod
    def resolve_routes(obj: Any) -> list[Any]:
        return list(obj.routes.all())


class DrugRef(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    is_opioid: bool
    is_controlled: bool


class DrugRouteDetailOut(DrugRouteOut):
    drug: DrugRef


class DrugRoutePatch(StrictIn):
    """Send only what changes, with the reason. ``ome_factor: null`` clears the factor."""

    ome_factor: Decimal | None = Field(None, description=AMOUNT_IN)
    conversion: Conversion | None = None
    source: str | None = Field(None, max_length=200)
    usual_maximum_single_dose: Decimal | None = Field(
        None, description=AMOUNT_IN + " null clears it."
    )
    reason: str = Field(min_length=1, max_length=2000)


class DrugPatch(StrictIn):
    """Send only what changes, with the reason."""

    is_controlled: bool | None = None
    is_opioid: bool | None = None
    warning: str | None = Field(None, max_length=300)
    active: bool | None = None
    reason: str = Field(min_length=1, max_length=2000)


# --- Prescriptions ----------------------------------------------------------


class DrugRouteRef(Schema):
    id: UUID = Field(alias="external_id")
    route: Route
    dose_unit: DoseUnit


class FormulationRef(Schema):
    id: UUID = Field(alias="external_id")
    form: DoseForm
    strength: str
    stock_unit: str


class ConfirmedCheckOut(Schema):
    check: str = Field(
        description="usual_maximum, opioid_naive, large_increase or as_needed_above_fraction."
    )
    message: str


class VersionOut(Schema):
    id: UUID = Field(alias="external_id")
    number: int
    formulation: FormulationRef | None
    dose: Amount
    dose_unit: DoseUnit
    times: list[str] = Field(description="Times of day, HH:MM, for a regular order.")
    every_days: int
    indication: str
    minimum_interval_minutes: int | None
    maximum_doses_24h: int | None
    instructions: str
    prescribed_by: PersonOut
    valid_from: datetime
    valid_until: datetime | None
    change_reason: str
    allergy_override_reason: str = Field(
        description="Why it was prescribed despite a matching allergy (empty if none matched)."
    )
    volume_ml: Amount | None = Field(
        description="A liquid: the volume to draw up, worked out from the dose and strength."
    )
    volume_text: str = Field(description="E.g. '2.5 ml'; empty when not a liquid.")
    confirmation_reason: str = Field(description="Why the physician confirmed a dose check.")
    confirmed_checks: list[ConfirmedCheckOut] = Field(
        description="The dose checks the physician confirmed with that reason."
    )


class OrderOut(Schema):
    id: UUID = Field(alias="external_id")
    drug: DrugRef
    drug_route: DrugRouteRef
    kind: OrderKind
    status: OrderStatus
    created_at: datetime
    stopped_at: datetime | None
    stopped_by: PersonOut | None
    stop_reason: str
    current: VersionOut | None = Field(description="The version in force now.")


class OrderDetailOut(OrderOut):
    patient_id: UUID
    versions: list[VersionOut] = Field(description="Every version, newest first.")

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return queries.order_history(obj)


class OrderIn(StrictIn):
    drug_route: UUID = Field(description="The formulary row (drug by a route).")
    formulation: UUID | None = Field(None, description="The form in the home, of that route.")
    kind: OrderKind
    dose: Decimal = Field(description=AMOUNT_IN + " In the route's dose unit.")
    times: list[str] = Field(default_factory=list, description="Regular orders: HH:MM times.")
    every_days: int = Field(1, description="Regular orders: 1 = daily; 3 = every 72 h.")
    indication: str = Field("", max_length=200)
    minimum_interval_minutes: int | None = Field(None, description="As-needed orders.")
    maximum_doses_24h: int | None = Field(None, description="As-needed orders.")
    instructions: str = Field("", max_length=2000)
    allergy_override_reason: str = Field(
        "", max_length=2000, description="Required when the drug matches a recorded allergy."
    )
    dose_unit: DoseUnit | None = Field(None, description="If sent, must be the route's unit.")
    confirmation_reason: str = Field(
        "", max_length=2000, description="Confirms the dose checks the answer listed."
    )


class OrderChangeIn(StrictIn):
    """A new version. Fields left out keep the current version's value;
    ``formulation: null`` removes the formulation."""

    reason: str = Field(min_length=1, max_length=2000)
    dose: Decimal | None = Field(None, description=AMOUNT_IN)
    formulation: UUID | None = None
    times: list[str] | None = None
    every_days: int | None = None
    indication: str | None = Field(None, max_length=200)
    minimum_interval_minutes: int | None = None
    maximum_doses_24h: int | None = None
    instructions: str | None = Field(None, max_length=2000)
    allergy_override_reason: str = Field(
        "", max_length=2000, description="Required when the drug matches a recorded allergy."
    )
    dose_unit: DoseUnit | None = Field(None, description="If sent, must be the route's unit.")
    confirmation_reason: str = Field(
        "", max_length=2000, description="Confirms the dose checks the answer listed."
    )


# --- Opioid summary ---------------------------------------------------------


class OpioidLineOut(Schema):
    order_id: UUID
    drug: str
    route: Route
    kind: OrderKind
    ome_mg: Amount | None = Field(
        description="mg of oral morphine: per 24 h for a regular order, per dose for an "
        "as-needed one (see basis); empty when not converted automatically."
    )
    basis: Literal["per_24h", "per_dose"]
    warning: str


class SwitchOut(Schema):
    drug_route_id: UUID
    drug: str
    route: Route
    dose_unit: DoseUnit
    low: Amount | None
    high: Amount | None
    basis: Literal["per_24h", "patch_rate"]
    note: str


class OpioidSummaryOut(Schema):
    regular_ome_24h: Amount = Field(description="Regular opioids, mg OME per 24 h; a string.")
    lines: list[OpioidLineOut]
    warnings: list[str]
    breakthrough_low: Amount | None
    breakthrough_high: Amount | None
    guideline: str
    titration_low: Amount | None = Field(description="A new 24 h total after a 30 % step.")
    titration_high: Amount | None = Field(description="A new 24 h total after a 50 % step.")
    switch: SwitchOut | None = Field(
        description="With ?switch_to: the equivalent 24 h dose of that drug, already reduced "
        "for incomplete cross-tolerance. Shown to the physician, never applied."
    )


# --- Administration record --------------------------------------------------


class AdministrationIn(StrictIn):
    order: UUID
    idempotency_key: str = Field(
        min_length=1,
        max_length=80,
        description="One per dose, made by the device. Resending the same body replays "
        "the first answer (200); the same key with a different body is refused (422).",
    )
    outcome: AdministrationOutcome = AdministrationOutcome.GIVEN
    dose: Decimal | None = Field(None, description=AMOUNT_IN + " Must be the ordered dose.")
    route: Route | None = Field(None, description="Must be the ordered route.")
    given_at: AwareDateTime | None = Field(None, description=AWARE + " Default: now.")
    scheduled_for: AwareDateTime | None = Field(
        None, description=AWARE + " Regular orders: which scheduled dose this is."
    )
    not_given_reason: NotGivenReason | None = None
    note: str = Field("", max_length=2000)
    recorded_offline: bool = False
    device_recorded_at: AwareDateTime | None = Field(
        None, description=AWARE + " Offline records: the phone's own clock."
    )
    client_id: str = Field("", max_length=80, description="Offline records: the phone's id.")


class AdministrationOut(Schema):
    id: UUID = Field(alias="external_id")
    order_id: UUID
    drug: str
    outcome: AdministrationOutcome
    not_given_reason: str
    note: str
    dose: Amount | None
    dose_unit: str
    route: Route
    scheduled_for: datetime | None
    given_at: datetime
    recorded_at: datetime
    recorded_by: PersonOut
    recorded_offline: bool
    device_recorded_at: datetime | None
    client_id: str
    accepted_after_review: bool
    entered_in_error_at: datetime | None
    entered_in_error_by: PersonOut | None
    entered_in_error_reason: str

    @staticmethod
    def resolve_order_id(obj: Any) -> UUID:
        return obj.order.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_drug(obj: Any) -> str:
        return str(obj.order.drug_route.drug.name)


class RecordQuery(Schema):
    days: int = Field(7, ge=1, le=90, description="The last 1 to 90 days.")


class SyncReviewOut(Schema):
    id: UUID = Field(alias="external_id")
    order_id: UUID
    drug: str
    submitted_by: PersonOut
    submitted_at: datetime
    given_at: datetime
    device_recorded_at: datetime | None
    client_id: str
    payload: dict[str, Any] = Field(description="What the device sent.")
    problems: list[str] = Field(
        alias="problem_texts",
        description="Why it could not go straight into the record, in the request's language.",
    )
    problem_messages: list[dict[str, Any]] = Field(
        description="The same as stored: each a gettext key and its parameters."
    )
    status: ReviewStatus
    reviewed_by: PersonOut | None
    reviewed_at: datetime | None
    review_note: str
    administration_id: UUID | None = Field(description="The record made when accepted.")

    @staticmethod
    def resolve_order_id(obj: Any) -> UUID:
        return obj.order.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_drug(obj: Any) -> str:
        return str(obj.order.drug_route.drug.name)

    @staticmethod
    def resolve_administration_id(obj: Any) -> UUID | None:
        return obj.administration.external_id if obj.administration_id else None


class ReviewDecisionIn(StrictIn):
    decision: Literal["accepted", "duplicate", "rejected"] = Field(
        description="accepted: it was given (goes into the record); duplicate: the same dose "
        "recorded twice; rejected: not given."
    )
    note: str = Field(min_length=1, max_length=2000)


# --- Family sign-off --------------------------------------------------------


class SignOffIn(StrictIn):
    caregiver: UUID = Field(description="The family member's user id.")
    route: Route
    signed_off_on: CalendarDate
    expires_on: CalendarDate
    note: str = Field("", max_length=2000)


class SignOffOut(Schema):
    id: UUID = Field(alias="external_id")
    caregiver: PersonOut
    route: Route
    signed_off_on: date
    expires_on: date
    signed_off_by: PersonOut
    note: str
    recorded_at: datetime
    revoked_at: datetime | None
    revoked_by: PersonOut | None
    revoke_reason: str
    is_current: bool


# --- Controlled drugs -------------------------------------------------------


class StockIn(StrictIn):
    formulation: UUID
    movement: Literal["received", "returned", "destroyed", "counted"]
    quantity: Decimal = Field(description=AMOUNT_IN + " In stock units; a count may be 0.")
    occurred_at: AwareDateTime | None = Field(None, description=AWARE + " Default: now.")
    witness: str = Field("", max_length=150)
    note: str = Field("", max_length=2000)


class StockEntryOut(Schema):
    id: UUID = Field(alias="external_id")
    movement: StockMovement
    quantity: Amount
    balance_after: Amount
    expected_balance: Amount
    discrepancy: Amount
    administration_id: UUID | None
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: PersonOut
    witness: str
    note: str

    @staticmethod
    def resolve_administration_id(obj: Any) -> UUID | None:
        return obj.administration.external_id if obj.administration_id else None


class HoldingOut(Schema):
    formulation: FormulationRef
    drug: str
    route: Route
    balance: Amount = Field(description="In stock units; a string.")
    discrepancy_open: bool


class RegisterLineOut(HoldingOut):
    entries: list[StockEntryOut] = Field(
        description="The newest entries (at most 20), newest first; the whole register "
        "of this drug is GET /patients/{id}/controlled-drugs/{formulation_id}/entries."
    )
    total_entries: int = Field(description="How many entries this drug's register holds.")


def holding_out(holding: Any) -> dict[str, Any]:
    """One register line's head: the formulation, its drug and route, the balance."""
    formulation = holding.formulation
    return {
        "formulation": formulation,
        "drug": formulation.drug_route.drug.name,
        "route": formulation.drug_route.route,
        "balance": holding.balance,
        "discrepancy_open": holding.discrepancy_open,
    }


class RecordedStockOut(StockEntryOut):
    holding: HoldingOut = Field(description="The balance after this entry.")

    @staticmethod
    def resolve_holding(obj: Any) -> dict[str, Any]:
        return holding_out(obj.holding)


# --- The family's home chart ------------------------------------------------


class ChartLineOut(Schema):
    order_id: UUID
    what: str = Field(description="The medicine, with its strength and form when known.")
    drug: str
    kind: OrderKind
    dose: Amount
    dose_unit: DoseUnit
    dose_text: str = Field(description="The dose as the family reads it, e.g. '5 mg'.")
    volume_text: str = Field(description="A liquid: how much to draw up, e.g. '2.5 ml'.")
    route: Route
    route_label: str
    times: list[str]
    every_days: int
    why: str
    instructions: str
    minimum_interval_minutes: int | None
    maximum_doses_24h: int | None
    given_last_24h: int
    last_given_at: datetime | None
    next_allowed_at: datetime | None = Field(description="As needed: the earliest next dose.")
    limit_reached: bool
    when_limit_reached: str = Field(description="As needed: what to do at the 24 h limit.")


class HomeChartOut(Schema):
    as_of: datetime
    service_phone: str
    lines: list[ChartLineOut]
