"""Volunteers over JSON: what goes in and what comes out.

Objects are named by their external UUID. Times of the week are local
wall-clock times (``HH:MM``); weekdays are 0 (Monday) to 6 (Sunday). The
family's schema (``FamilyVolunteerOut``) holds a first name, what the volunteer
does and when: never their surname or phone.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from hearth.core.validation import CalendarDate, WallClockTime
from hearth.patients.schemas import StrictIn
from hearth.volunteers.choices import Activity, EndReason, TrainingModule, VolunteerStatus

# --- In ----------------------------------------------------------------------------


class ProfileIn(StrictIn):
    volunteer_id: UUID = Field(description="The volunteer's user id (staff, role volunteer).")
    started_on: CalendarDate
    offers: list[Activity] = Field(default_factory=list)
    area: str = Field("", max_length=300)
    vetting_checked_on: CalendarDate | None = None
    vetting_expires_on: CalendarDate | None = None
    notes: str = Field("", max_length=4000)


class ProfilePatch(StrictIn):
    started_on: CalendarDate | None = None
    offers: list[Activity] | None = None
    area: str | None = Field(None, max_length=300)
    vetting_checked_on: CalendarDate | None = None
    vetting_expires_on: CalendarDate | None = None
    notes: str | None = Field(None, max_length=4000)


class StatusIn(StrictIn):
    status: VolunteerStatus
    note: str = Field("", max_length=300)


class VolunteerTrainingIn(StrictIn):
    module: TrainingModule
    completed_on: CalendarDate
    expires_on: CalendarDate | None = None


class SlotIn(StrictIn):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday.")
    starts_at: WallClockTime = Field(description="Local wall-clock time, HH:MM.")
    ends_at: WallClockTime = Field(description="Local wall-clock time, HH:MM, after the start.")


class AwayIn(StrictIn):
    starts_on: CalendarDate
    ends_on: CalendarDate
    note: str = Field("", max_length=200)


class AssignmentIn(StrictIn):
    volunteer_id: UUID = Field(description="The volunteer's user id.")
    kind: Activity
    starts_on: CalendarDate
    ends_on: CalendarDate | None = None
    usual_times: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)


class EndAssignmentIn(StrictIn):
    reason: EndReason
    note: str = Field("", max_length=300)


# --- Out ---------------------------------------------------------------------------


class PersonRef(Schema):
    id: UUID
    name: str


class VolunteerTrainingOut(Schema):
    id: UUID
    module: str
    module_label: str
    completed_on: date
    expires_on: date | None
    current: bool
    withdrawn: bool


class SlotOut(Schema):
    id: UUID
    weekday: int
    weekday_label: str
    starts_at: WallClockTime
    ends_at: WallClockTime


class AwayOut(Schema):
    id: UUID
    starts_on: date
    ends_on: date
    note: str


class AssignmentOut(Schema):
    id: UUID
    patient_id: UUID
    patient_name: str
    volunteer: PersonRef
    kind: str
    kind_label: str
    starts_on: date
    ends_on: date | None
    usual_times: str
    note: str
    status: str
    end_reason: str
    end_note: str
    on_care_team: bool
    care_ended: str | None = Field(
        None, description="Set when the family is no longer on the service for this kind."
    )


class VolunteerSummaryOut(Schema):
    id: UUID
    volunteer: PersonRef
    status: str
    offers: list[str]
    area: str
    languages: list[str]
    vetting_expires_on: date | None
    vetting_current: bool
    training_complete: bool
    missing_training: list[str]
    availability: str
    away_now: bool
    assignments: list[AssignmentOut]


class VolunteerDetailOut(VolunteerSummaryOut):
    started_on: date
    vetting_checked_on: date | None
    notes: str
    training: list[VolunteerTrainingOut]
    weekly_slots: list[SlotOut]
    away: list[AwayOut]


class MyVolunteerOut(VolunteerSummaryOut):
    """The volunteer's own view: no coordinator's notes."""

    started_on: date
    vetting_checked_on: date | None
    training: list[VolunteerTrainingOut]
    weekly_slots: list[SlotOut]
    away: list[AwayOut]


class FamilyVolunteerOut(Schema):
    first_name: str
    kind: str
    kind_label: str
    usual_times: str
    starts_on: date
    ends_on: date | None


class PortalVolunteersOut(Schema):
    volunteers: list[FamilyVolunteerOut]
    service_phone: str = Field(description="Call the service to reach the volunteer.")


# --- The volunteer brief ------------------------------------------------------------------


class VolunteerBriefLineOut(Schema):
    label: str
    text: str


class VolunteerBriefContactOut(Schema):
    label: str
    name: str
    phone: str


class VolunteerBriefFamilyOut(Schema):
    name: str
    relationship: str
    main_carer: bool


class VolunteerBriefQuietTimeOut(Schema):
    label: str
    kind: str
    days: str
    starts_at: WallClockTime
    ends_at: WallClockTime


class VolunteerBriefVisitOut(Schema):
    kind: str
    volunteer: str
    usual_times: str
    note: str
    starts_on: date
    ends_on: date | None
    next_visit: datetime | None


class VolunteerBriefOut(Schema):
    """What a volunteer on assignment reads about the person: nothing clinical."""

    patient_id: UUID
    called: str = Field(description="The name the person likes to be called.")
    full_name: str
    address: str
    getting_in: list[VolunteerBriefLineOut]
    what_matters: list[VolunteerBriefLineOut]
    family: list[VolunteerBriefFamilyOut]
    quiet_times: list[VolunteerBriefQuietTimeOut]
    safety: list[VolunteerBriefLineOut]
    who_to_call: list[VolunteerBriefContactOut]
    visits: list[VolunteerBriefVisitOut]
