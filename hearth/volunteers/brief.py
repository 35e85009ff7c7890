"""The volunteer brief: what a sitting volunteer needs before they knock.

A volunteer reads this and nothing else of the person's record (issue 18,
least privilege). It is built from an allow-list of non-clinical facts: how
the person likes to be called, the address, what matters to them, the
family, quiet times, safety in the home, who to call and the visit's
purpose. Diagnoses, medicines, observations, assessments, the advance care
plan, notes, debriefs and the timeline never enter it, so no template or
schema can leak them by accident. Access and the audit event are
``patients.access.access_volunteer_brief``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from hearth.accounts.models import Discipline, User
from hearth.core import clock
from hearth.core.choices import language_name
from hearth.equipment.choices import AT_HOME, EquipmentKind
from hearth.equipment.models import Loan
from hearth.monitoring.choices import OnCallRole
from hearth.monitoring.queries import on_call_now
from hearth.patients.models import Patient
from hearth.personhood.choices import WindowKind
from hearth.personhood.models import (
    Communication,
    CultureAndFaith,
    DailyRoutine,
    Diet,
    HomeEnvironment,
    ValuesAndGoals,
    WeeklyWindow,
)
from hearth.volunteers.choices import AssignmentStatus
from hearth.volunteers.models import VolunteerAssignment

#: The only profile fields a volunteer reads, section by section. Left out on
#: purpose: fears and worries, goals and wishes, who may or must not be told,
#: beliefs about treatments, swallowing notes and end-of-life wishes (clinical
#: or confidential: the team's to share in person).
WHAT_MATTERS_FIELDS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (ValuesAndGoals, ("what_matters_most", "good_day")),
    (DailyRoutine, ("wakes_at", "goes_to_bed_at", "rest", "meals", "routine_notes")),
    (CultureAndFaith, ("culture", "religion", "rituals_and_prayers")),
    (Diet, ("practices", "favourite_foods", "dislikes", "food_texture", "drink_thickness")),
    (
        Communication,
        (
            "preferred_language",
            "other_languages",
            "interpreter_needed",
            "hearing_aid",
            "glasses",
            "style",
            "notes",
        ),
    ),
    (HomeEnvironment, ("music", "scents", "colours_and_light", "photos_and_objects")),
)
#: Kinds of equipment that mean someone must not lift or move the person alone.
MOVING_AND_HANDLING_KINDS = frozenset(
    {EquipmentKind.HOSPITAL_BED, EquipmentKind.WHEELCHAIR, EquipmentKind.COMMODE}
)


@dataclass
class BriefLine:
    label: str
    text: str


@dataclass
class BriefContact:
    label: str
    name: str
    phone: str


@dataclass
class BriefFamilyMember:
    name: str
    relationship: str
    main_carer: bool


@dataclass
class BriefQuietTime:
    label: str
    kind: str
    days: str
    starts_at: Any
    ends_at: Any


@dataclass
class BriefVisit:
    kind: str
    volunteer: str
    usual_times: str
    note: str
    starts_on: date
    ends_on: date | None
    next_visit: datetime | None


@dataclass
class VolunteerBrief:
    patient: Patient
    called: str
    full_name: str
    address: str
    getting_in: list[BriefLine] = field(default_factory=list)
    what_matters: list[BriefLine] = field(default_factory=list)
    family: list[BriefFamilyMember] = field(default_factory=list)
    quiet_times: list[BriefQuietTime] = field(default_factory=list)
    safety: list[BriefLine] = field(default_factory=list)
    who_to_call: list[BriefContact] = field(default_factory=list)
    visits: list[BriefVisit] = field(default_factory=list)


def _shown(row: Model, name: str) -> str | None:
    """One field as a person reads it, or None when it says nothing."""
    model_field: Any = row._meta.get_field(name)
    value = getattr(row, name)
    if value in ("", None, [], False):
        return None
    if value is True:
        return _("Yes")
    if name in ("preferred_language",):
        return language_name(value)
    if name == "other_languages":
        return ", ".join(language_name(code) for code in value)
    if model_field.choices:
        return str(getattr(row, f"get_{name}_display")())
    item_choices = getattr(model_field, "item_choices", None)
    if item_choices:
        names = dict(item_choices)
        return ", ".join(str(names.get(item, item)) for item in value)
    if hasattr(value, "strftime"):
        return str(value.strftime("%H:%M"))
    return str(value)


def _line(row: Model, name: str) -> BriefLine | None:
    text = _shown(row, name)
    if text is None:
        return None
    label = str(row._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    return BriefLine(label[:1].upper() + label[1:], text)


def _first(model: type[Model], patient: Patient) -> Any:
    return model._default_manager.filter(patient=patient).first()


def _what_matters(patient: Patient) -> list[BriefLine]:
    lines: list[BriefLine] = []
    for model, names in WHAT_MATTERS_FIELDS:
        row = _first(model, patient)
        if row is None:
            continue
        lines += [line for name in names if (line := _line(row, name)) is not None]
    return lines


def _quiet_times(patient: Patient) -> list[BriefQuietTime]:
    """Prayer, rest and do-not-disturb times: when not to arrive or to keep quiet."""
    return [
        BriefQuietTime(
            label=window.label,
            kind=window.kind,
            days=window.days_label,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
        )
        for window in WeeklyWindow.objects.current().for_patient(patient)
        if window.kind in (WindowKind.PRAYER, WindowKind.DO_NOT_DISTURB, WindowKind.REST)
    ]


def _safety(patient: Patient) -> list[BriefLine]:
    """Oxygen, moving and handling and pets, in that order."""
    lines: list[BriefLine] = []
    kinds = set(
        Loan.objects.filter(patient=patient, status__in=AT_HOME).values_list(
            "item__kind", flat=True
        )
    )
    if EquipmentKind.OXYGEN_CONCENTRATOR in kinds:
        lines.append(
            BriefLine(
                _("Oxygen in the home"),
                _(
                    "Nobody smokes in the home, not even outside the door with it open. Keep "
                    "candles, matches, lighters and heaters away from the oxygen and its "
                    "tubing. Do not step on or move the tubing. If the machine alarms or "
                    "stops, call the service straight away."
                ),
            )
        )
    if kinds & MOVING_AND_HANDLING_KINDS:
        lines.append(
            BriefLine(
                _("Moving and handling"),
                _(
                    "Do not lift, move or help them stand on your own, even if asked. If they "
                    "slip or fall, make them comfortable where they are and call the nurse "
                    "on call."
                ),
            )
        )
    home: HomeEnvironment | None = _first(HomeEnvironment, patient)
    if home is not None:
        pets = _line(home, "pets")
        if pets is not None:
            lines.append(pets)
    return lines


def _getting_in(patient: Patient) -> list[BriefLine]:
    """How to reach the door: the home's access notes, as the team wrote them."""
    home: HomeEnvironment | None = _first(HomeEnvironment, patient)
    if home is None or not home.accessibility_needs:
        return []
    return [BriefLine(_("Access and mobility at home"), home.accessibility_needs)]


def _family(patient: Patient) -> list[BriefFamilyMember]:
    return [
        BriefFamilyMember(
            name=link.user.display_name,
            relationship=link.relationship_label,
            main_carer=link.is_primary_caregiver,
        )
        for link in patient.caregivers.filter(ended_at__isnull=True)
        .select_related("user")
        .order_by("-is_primary_caregiver", "pk")
    ]


def _coordinators(assignments: list[VolunteerAssignment]) -> list[User]:
    """The coordinator who started the assignment (else who proposed it);
    without an assignment, the service's coordinators."""
    found: list[User] = []
    for assignment in assignments:
        person = assignment.activated_by or assignment.proposed_by
        if person is not None and person not in found:
            found.append(person)
    if found:
        return found
    return list(
        User.objects.filter(is_active=True, discipline=Discipline.COORDINATOR).order_by(
            "last_name", "first_name", "pk"
        )[:2]
    )


def _who_to_call(assignments: list[VolunteerAssignment]) -> list[BriefContact]:
    contacts = [
        BriefContact(
            _("The service (day and night)"),
            str(settings.HEARTH_SERVICE_NAME),
            str(settings.HEARTH_SERVICE_PHONE),
        )
    ]
    contacts += [
        BriefContact(_("Volunteer coordinator"), person.display_name, person.phone)
        for person in _coordinators(assignments)
    ]
    for slot in on_call_now():
        if slot.role == OnCallRole.NURSE and slot.shift is not None:
            contacts.append(
                BriefContact(
                    _("Nurse on call now"), slot.shift.staff.display_name, slot.shift.staff.phone
                )
            )
    return contacts


def _next_visit(assignment: VolunteerAssignment) -> datetime | None:
    """The volunteer's next published visit to this person, if the planner
    has one (most sitting is arranged by the usual times instead)."""
    visit = (
        assignment.patient.visits.filter(
            staff=assignment.volunteer, status="scheduled", planned_start__gte=clock.now()
        )
        .order_by("planned_start")
        .first()
    )
    return visit.planned_start if visit is not None else None


def _visit(assignment: VolunteerAssignment) -> BriefVisit:
    return BriefVisit(
        kind=str(assignment.get_kind_display()),
        volunteer=assignment.volunteer.display_name,
        usual_times=assignment.usual_times,
        note=assignment.note,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        next_visit=_next_visit(assignment),
    )


def volunteer_brief(reader: User, patient: Patient) -> VolunteerBrief:
    """The brief for ``reader`` (already let in by ``access_volunteer_brief``):
    a volunteer sees their own active assignments; staff see every active one."""
    assignments = list(
        VolunteerAssignment.objects.filter(patient=patient, status=AssignmentStatus.ACTIVE)
        .select_related("volunteer", "patient", "activated_by", "proposed_by")
        .order_by("starts_on", "pk")
    )
    if reader.discipline == Discipline.VOLUNTEER:
        assignments = [a for a in assignments if a.volunteer_id == reader.pk]
    called = patient.preferred_name or patient.given_name
    return VolunteerBrief(
        patient=patient,
        called=called,
        full_name=f"{patient.given_name} {patient.family_name}",
        address=", ".join(
            part for part in (patient.address_line, patient.city, patient.postal_code) if part
        ),
        getting_in=_getting_in(patient),
        what_matters=_what_matters(patient),
        family=_family(patient),
        quiet_times=_quiet_times(patient),
        safety=_safety(patient),
        who_to_call=_who_to_call(assignments),
        visits=[_visit(a) for a in assignments],
    )
