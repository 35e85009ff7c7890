"""Visits over JSON: what goes in and what comes out.

- Objects are named by their external UUID, in and out.
- Date-times carry a time zone (ISO 8601, e.g. ``2026-05-01T08:00+01:00``); a
  time without one is refused with 422 naming the field. Shift and request
  times are local wall-clock times (``HH:MM``) in the service's time zone.
- The family's schemas (``FamilyVisitOut``) have no planned start: a home
  visit shows only the window the family is told; a teleconsultation's window
  is the call itself, with its link.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from hearth.core.validation import AwareDateTime, CalendarDate, WallClockTime
from hearth.patients.schemas import StrictIn
from hearth.visits.choices import AlertOutcome, Endpoint, Per, Skill, TimeRequestKind, VisitKind

AWARE = "ISO 8601 with a time zone, e.g. 2026-05-01T08:00+01:00."

#: A decimal in an answer: a string such as ``"37.2"``, so no precision is lost.
Amount = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value.normalize(), "f"), return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "examples": ["37.2"]}),
]


def _external(obj: Any) -> UUID | None:
    return obj.external_id if obj is not None else None


def _name(obj: Any) -> str:
    return str(obj.display_name) if obj is not None else ""


class StaffMemberOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str = Field(alias="display_name")
    discipline: str


# --- Urgent visit requests ---------------------------------------------------------


class UrgentVisitIn(StrictIn):
    reason: str = Field(min_length=1, max_length=4000)
    discipline: str = "physician"


class UrgentVisitOut(Schema):
    id: UUID = Field(alias="external_id")
    patient_id: UUID
    patient_name: str
    alert_id: UUID | None
    discipline: str
    for_date: date
    reason: str
    requested_at: datetime
    status: str

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_patient_name(obj: Any) -> str:
        return str(obj.patient.full_name)

    @staticmethod
    def resolve_alert_id(obj: Any) -> UUID | None:
        return obj.alert.external_id if obj.alert_id else None


# --- Staff availability ---------------------------------------------------------


class PlanningProfileIn(StrictIn):
    skills: list[Skill] = Field(default_factory=list)
    max_visits_per_day: int = Field(8, description="Most home visits in a day, 1 to 20.")
    home_latitude: Decimal | None = Field(None, description="Decimal degrees; with longitude.")
    home_longitude: Decimal | None = Field(None, description="Decimal degrees; with latitude.")


class PlanningProfileOut(Schema):
    staff_id: UUID
    skills: list[str]
    max_visits_per_day: int
    home_latitude: Amount | None
    home_longitude: Amount | None

    @staticmethod
    def resolve_staff_id(obj: Any) -> UUID:
        return obj.staff.external_id  # type: ignore[no-any-return]


class ShiftIn(StrictIn):
    date: CalendarDate
    starts_at: WallClockTime = Field(description="Local wall-clock time, HH:MM.")
    ends_at: WallClockTime = Field(description="Local wall-clock time, HH:MM, after the start.")
    starts_from: Endpoint = Endpoint.BASE
    ends_at_place: Endpoint = Endpoint.BASE


class ShiftOut(Schema):
    id: UUID = Field(alias="external_id")
    staff_id: UUID
    date: date
    starts_at: WallClockTime
    ends_at: WallClockTime
    starts_from: str
    ends_at_place: str
    cancelled_at: datetime | None

    @staticmethod
    def resolve_staff_id(obj: Any) -> UUID:
        return obj.staff.external_id  # type: ignore[no-any-return]


class StaffShiftOut(Schema):
    id: UUID = Field(alias="external_id")
    date: date
    starts_at: WallClockTime
    ends_at: WallClockTime
    starts_from: str
    ends_at_place: str


class StaffAvailabilityOut(Schema):
    id: UUID
    name: str
    discipline: str
    languages: list[str]
    skills: list[str]
    max_visits_per_day: int | None
    has_home_position: bool
    shifts: list[StaffShiftOut]

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.staff.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.staff.display_name)

    @staticmethod
    def resolve_discipline(obj: Any) -> str:
        return str(obj.staff.discipline)

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        return list(obj.staff.spoken_languages or [])

    @staticmethod
    def resolve_has_home_position(obj: Any) -> bool:
        return bool(obj.profile and obj.profile.home_latitude is not None)


class AvailabilityQuery(Schema):
    start: CalendarDate | None = Field(None, alias="from", description="First day; default today.")
    end: CalendarDate | None = Field(
        None, alias="to", description="Last day; default six days later."
    )


# --- Visit needs -------------------------------------------------------------------


class VisitNeedIn(StrictIn):
    description: str = Field(min_length=1, max_length=500)
    kind: VisitKind = VisitKind.HOME_VISIT
    discipline: str = Field(min_length=1, max_length=32)
    skills: list[Skill] = Field(default_factory=list)
    duration_minutes: int
    times: int
    per: Per
    preferred_staff_id: UUID | None = None


class FromCarePlanIn(StrictIn):
    intervention_id: UUID | None = Field(
        None, description="One care-plan line; leave out to take every visit the plan lists."
    )


class VisitNeedOut(Schema):
    id: UUID = Field(alias="external_id")
    description: str
    kind: str
    discipline: str
    skills: list[str]
    duration_minutes: int
    times: int
    per: str
    preferred_staff: StaffMemberOut | None
    intervention_id: UUID | None
    created_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_intervention_id(obj: Any) -> UUID | None:
        return _external(obj.intervention) if obj.intervention_id else None


# --- Time requests -----------------------------------------------------------------------


class TimeRequestIn(StrictIn):
    date: CalendarDate
    kind: TimeRequestKind
    starts_at: WallClockTime = Field(description="Local wall-clock time, HH:MM.")
    ends_at: WallClockTime = Field(description="Local wall-clock time, HH:MM, after the start.")
    note: str = Field("", max_length=300)


class TimeRequestOut(Schema):
    id: UUID = Field(alias="external_id")
    date: date
    kind: str
    starts_at: WallClockTime
    ends_at: WallClockTime
    note: str
    requested_by: str
    requested_at: datetime
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_requested_by(obj: Any) -> str:
        return _name(obj.requested_by)


# --- Teleconsultations and visits -----------------------------------------------------


class TeleconsultIn(StrictIn):
    staff_id: UUID = Field(description="The clinician who holds the call (on the care team).")
    starts_at: AwareDateTime = Field(description=AWARE)
    duration_minutes: int = 30
    video_link: str = Field(description="https:// link of the video call.")
    participant_ids: list[UUID] = Field(
        default_factory=list, description="Care team members or the person's family."
    )
    participants_note: str = Field("", max_length=300)
    purpose: str = Field("", max_length=500)
    need_id: UUID | None = None
    alert_id: UUID | None = None


class ArriveIn(StrictIn):
    at: AwareDateTime | None = Field(None, description=AWARE + " Default: now.")


class VisitNoteIn(StrictIn):
    text: str = Field(min_length=1, max_length=10000)


class CloseVisitIn(StrictIn):
    departed_at: AwareDateTime = Field(description=AWARE)
    actions_taken: str = Field(min_length=1, max_length=10000)
    arrived_at: AwareDateTime | None = Field(
        None, description=AWARE + " Needed when the arrival was not recorded."
    )
    notes: str = Field("", max_length=10000)
    pulse: int | None = None
    systolic_pressure: int | None = None
    diastolic_pressure: int | None = None
    respiratory_rate: int | None = None
    temperature: Decimal | None = Field(None, description="°C, one decimal.")
    oxygen_saturation: int | None = None
    consciousness: str | None = Field(
        None, description="ACVPU: alert, new_confusion, voice, pain, unresponsive."
    )
    supplemental_oxygen: bool | None = Field(None, description="NEWS2 air or oxygen.")
    pps: int | None = Field(None, description="Palliative Performance Scale, 0–100 by 10.")
    phase: str | None = Field(None, description="stable, unstable, deteriorating, terminal…")
    phase_end_reason: str = Field("", max_length=300)
    alert_outcome: AlertOutcome | None = None


class VisitNoteOut(Schema):
    id: UUID = Field(alias="external_id")
    discipline: str
    text: str
    written_by: str
    written_at: datetime

    @staticmethod
    def resolve_written_by(obj: Any) -> str:
        return _name(obj.written_by)


class VisitOut(Schema):
    """A visit as staff see it, with the planned minute and the record."""

    id: UUID = Field(alias="external_id")
    patient_id: UUID
    kind: str
    status: str
    staff: StaffMemberOut
    discipline: str
    purpose: str
    date: date
    planned_start: datetime
    planned_end: datetime
    family_window_start: datetime
    family_window_end: datetime
    video_link: str
    participants: list[StaffMemberOut]
    participants_note: str
    need_id: UUID | None
    alert_id: UUID | None
    urgent_request_id: UUID | None
    arrived_at: datetime | None
    departed_at: datetime | None
    actions_taken: str
    pulse: int | None
    systolic_pressure: int | None
    diastolic_pressure: int | None
    respiratory_rate: int | None
    temperature: Amount | None
    oxygen_saturation: int | None
    consciousness: str
    supplemental_oxygen: bool | None
    alert_outcome: str
    closed_at: datetime | None
    cancelled_reason: str = Field(
        description="Why the visit will not happen: in the request's language when the "
        "service wrote it (a new plan for the day, the end of care), as typed otherwise."
    )
    notes: list[VisitNoteOut]

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_cancelled_reason(obj: Any) -> str:
        return obj.cancelled_reason_text  # type: ignore[no-any-return]

    @staticmethod
    def resolve_participants(obj: Any) -> list[Any]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_need_id(obj: Any) -> UUID | None:
        return _external(obj.need) if obj.need_id else None

    @staticmethod
    def resolve_alert_id(obj: Any) -> UUID | None:
        return _external(obj.alert) if obj.alert_id else None

    @staticmethod
    def resolve_urgent_request_id(obj: Any) -> UUID | None:
        return _external(obj.urgent_request) if obj.urgent_request_id else None

    @staticmethod
    def resolve_notes(obj: Any) -> list[Any]:
        return list(obj.notes.all())


class PatientVisitsOut(Schema):
    needs: list[VisitNeedOut]
    upcoming: list[VisitOut]
    past: list[VisitOut]
    time_requests: list[TimeRequestOut]


# --- The family's view ---------------------------------------------------------------


class FamilyVisitOut(Schema):
    """A visit as the family sees it: no planned minute for a home visit."""

    id: UUID
    kind: str
    date: date
    window_start: datetime = Field(
        description="Home visit: the start of the window the family is told. "
        "Teleconsultation: the exact start of the call."
    )
    window_end: datetime
    staff_name: str
    discipline: str
    status: str
    video_link: str = Field(description="Teleconsultations only; empty for home visits.")
    participants_note: str


class FamilyTimeChangeOut(Schema):
    visit_id: UUID
    date: date
    old_window_start: datetime
    old_window_end: datetime
    new_window_start: datetime
    new_window_end: datetime
    old_staff_name: str
    new_staff_name: str
    changed_at: datetime


class PortalVisitsOut(Schema):
    patient_id: UUID
    upcoming: list[FamilyVisitOut]
    recent: list[FamilyVisitOut]
    changes: list[FamilyTimeChangeOut]
    time_requests: list[TimeRequestOut]


class DispatchOut(Schema):
    """An urgent visit with the clinician on call, as the board and the
    clinician's phone read it."""

    id: UUID = Field(alias="external_id")
    patient_id: UUID
    patient_name: str
    record_number: str
    discipline: str
    status: str
    offered_role: str
    offered_to: str | None
    offered_at: datetime
    accept_by: datetime | None
    accepted_by: str | None
    accepted_at: datetime | None
    expected_arrival: datetime | None
    arrived_at: datetime | None
    done_at: datetime | None
    respond_by: datetime | None
    why_on_call: str

    @staticmethod
    def resolve_patient_id(obj: Any) -> UUID:
        return obj.patient.external_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_why_on_call(obj: Any) -> str:
        return obj.why_on_call_text  # type: ignore[no-any-return]

    @staticmethod
    def resolve_patient_name(obj: Any) -> str:
        return str(obj.patient.full_name)

    @staticmethod
    def resolve_record_number(obj: Any) -> str:
        return str(obj.patient.record_number)

    @staticmethod
    def resolve_offered_to(obj: Any) -> str | None:
        return obj.offered_to.display_name if obj.offered_to else None

    @staticmethod
    def resolve_accepted_by(obj: Any) -> str | None:
        return obj.accepted_by.display_name if obj.accepted_by else None

    @staticmethod
    def resolve_respond_by(obj: Any) -> datetime | None:
        return obj.request.respond_by  # type: ignore[no-any-return]


class DeclineIn(StrictIn):
    reason: str


class OnTheWayIn(StrictIn):
    expected_arrival: AwareDateTime


class DispatchDoneIn(StrictIn):
    note: str
    visit_id: UUID | None = None
