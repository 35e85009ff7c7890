"""Reads for visits, already filtered to what the actor may see.

The family's reads (``portal_visits``) never hand out a ``Visit``: they
build ``FamilyVisit`` rows that carry the family window of a home visit and
not its planned minute, so no template or schema can show it by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from hearth.accounts.models import User, UserKind, discipline_label
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.visits.choices import Skill, VisitKind, VisitStatus
from hearth.visits.models import (
    Shift,
    StaffPlanningProfile,
    Visit,
    VisitNeed,
    VisitTimeChange,
    VisitTimeRequest,
)
from hearth.visits.services import PLANNED_DISCIPLINES, waiting_requests

OPEN_STATUSES = (VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY)
#: How many past visits the API's visits summary carries (the page and
#: ``GET /patients/{id}/visits/past`` page through every one).
PAST_VISITS_SHOWN = 50
#: How far back the family sees a visit time change or a past visit.
PORTAL_LOOKBACK_DAYS = 14
#: The longest span the staff-availability list answers for at once.
AVAILABILITY_MAX_DAYS = 31


def skill_labels(values: Iterable[str]) -> list[str]:
    return [str(Skill(value).label) if value in Skill.values else value for value in values]


#: Urgent visits: the soonest day first, then the oldest request.
URGENT_ORDER = ("for_date", "requested_at", "id")


def urgent_request_rows(actor: Any) -> Any:
    """Waiting and scheduled urgent visits on the actor's patients (the
    coordinator: all), not yet audited: the caller audits what it shows."""
    visible = access.patients_visible_to(actor).values("pk")
    return waiting_requests().filter(patient__in=visible).order_by(*URGENT_ORDER)


def audit_urgent_requests_listed(actor: Any, rows: Iterable[Any]) -> None:
    """One list-view event per patient whose urgent visit ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.URGENT_VISITS_LISTED,
        patients=[row.patient for row in rows],
    )


def urgent_requests_for(actor: Any) -> list[Any]:
    """Waiting and scheduled urgent visits on the actor's patients (the
    coordinator: all), each patient listed in the audit trail."""
    rows = list(urgent_request_rows(actor))
    audit_urgent_requests_listed(actor, rows)
    return rows


# --- Staff availability ---------------------------------------------------------


@dataclass
class StaffRow:
    staff: User
    profile: StaffPlanningProfile | None
    shifts: list[Shift]

    @property
    def discipline_label(self) -> str:
        return discipline_label(self.staff.discipline)

    @property
    def skills(self) -> list[str]:
        return list(self.profile.skills or []) if self.profile else []

    @property
    def skill_labels(self) -> list[str]:
        return skill_labels(self.skills)

    @property
    def max_visits_per_day(self) -> int | None:
        return self.profile.max_visits_per_day if self.profile else None


def planned_staff() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, kind=UserKind.STAFF, discipline__in=sorted(PLANNED_DISCIPLINES)
    ).order_by("discipline", "last_name", "first_name", "pk")


#: Staff on the availability list: by discipline, then name.
AVAILABILITY_ORDER = ("discipline", "last_name", "first_name", "id")


def availability_people(actor: Any, start: date, end: date) -> QuerySet[User]:
    """Staff planned onto visits, each with their current shifts from ``start``
    to ``end`` (inclusive) prefetched. The coordinator sees everyone; anyone
    else sees only themself (``visits.view_staff_day``)."""
    people = planned_staff()
    if not actor.has_perm("visits.manage_staff_availability"):
        own = actor.has_perm("visits.view_staff_day", actor)
        people = people.filter(pk=actor.pk) if own else people.none()
    shifts = Shift.objects.current().filter(date__gte=start, date__lte=end).order_by("date")
    return (
        people.select_related("planning_profile")
        .prefetch_related(Prefetch("shifts", queryset=shifts, to_attr="shifts_in_range"))
        .order_by(*AVAILABILITY_ORDER)
    )


def availability_rows(people: Iterable[User]) -> list[StaffRow]:
    """The rows of people read by ``availability_people``."""
    return [
        StaffRow(
            staff=person,
            profile=profile_of(person),
            shifts=list(person.shifts_in_range),  # type: ignore[attr-defined]
        )
        for person in people
    ]


def staff_availability(actor: Any, start: date, end: date) -> list[StaffRow]:
    """Staff planned onto visits with their profile and current shifts from
    ``start`` to ``end`` (inclusive). The coordinator sees everyone; anyone
    else sees only themself (``visits.view_staff_day``). Two queries."""
    return availability_rows(availability_people(actor, start, end))


def profile_of(user: User) -> StaffPlanningProfile | None:
    """The planning profile, or None (the reverse one-to-one raises when absent)."""
    try:
        return user.planning_profile  # type: ignore[no-any-return]
    except StaffPlanningProfile.DoesNotExist:
        return None


def next_days(count: int = 7, start: date | None = None) -> list[date]:
    first = start or clock.today()
    return [first + timedelta(days=offset) for offset in range(count)]


# --- A person's visits (staff) -----------------------------------------------------


def _visits(patient: Patient) -> QuerySet[Visit]:
    return (
        Visit.objects.for_patient(patient)
        .select_related("patient", "staff", "need", "alert", "urgent_request")
        .prefetch_related("participants", "notes__written_by")
    )


@dataclass
class PatientVisits:
    needs: list[VisitNeed]
    ended_needs: list[VisitNeed]
    upcoming: list[Visit]
    past: list[Visit]
    time_requests: list[VisitTimeRequest]


def past_visits(patient: Patient) -> QuerySet[Visit]:
    """Every visit and call that is not still ahead, newest first: a person in
    care for a year has hundreds, so pages and the API read them a page at a
    time (issue 21), never cut off silently."""
    return (
        _visits(patient)
        .exclude(date__gte=clock.today(), status__in=OPEN_STATUSES)
        .order_by("-planned_start", "-pk")
    )


def patient_visits(patient: Patient, *, past: Sequence[Visit] | None = None) -> PatientVisits:
    """Everything the visits page shows, in a constant number of queries.
    ``past`` is the page of past visits to show (the newest
    ``PAST_VISITS_SHOWN`` when not given)."""
    today = clock.today()
    needs = list(
        VisitNeed.objects.filter(patient=patient)
        .select_related("preferred_staff", "created_by", "ended_by", "intervention")
        .order_by("-ended_at", "pk")
    )
    upcoming = list(_visits(patient).filter(date__gte=today, status__in=OPEN_STATUSES))
    shown = list(past) if past is not None else list(past_visits(patient)[:PAST_VISITS_SHOWN])
    requests = list(
        VisitTimeRequest.objects.current()
        .filter(patient=patient, date__gte=today)
        .select_related("requested_by")
    )
    for need in needs:
        need.skill_labels = skill_labels(need.skills or [])  # type: ignore[attr-defined]
        need.discipline_label = discipline_label(need.discipline)  # type: ignore[attr-defined]
    return PatientVisits(
        needs=[need for need in needs if need.ended_at is None],
        ended_needs=[need for need in needs if need.ended_at is not None],
        upcoming=upcoming,
        past=shown,
        time_requests=requests,
    )


def visit_detail(visit_id: Any) -> Visit | None:
    try:
        return (
            Visit.objects.select_related(
                "patient", "staff", "need", "alert", "urgent_request__alert", "closed_by", "plan"
            )
            .prefetch_related("participants", "notes__written_by")
            .filter(external_id=visit_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def pps_recorded_at(visit: Visit) -> int | None:
    """The PPS level recorded when this visit was closed (``close_visit``
    records it through the assessments app at the moment the visit ended),
    unless it was since marked entered in error."""
    if visit.departed_at is None:
        return None
    from hearth.assessments.models import AssessmentResponse

    response = (
        AssessmentResponse.objects.filter(
            patient_id=visit.patient_id,
            instrument="pps",
            assessed_at=visit.departed_at,
            entered_in_error_at__isnull=True,
        )
        .order_by("-recorded_at")
        .first()
    )
    if response is None:
        return None
    level = response.answers.get("level")
    return int(level) if level is not None else None


#: NEWS2's parameters as a nurse names them (``monitoring.news2.PARAMETERS``).
NEWS2_PARAMETER_LABELS = {
    "respiratory_rate": gettext_lazy("breaths per minute"),
    "spo2": gettext_lazy("oxygen saturation"),
    "on_oxygen": gettext_lazy("air or oxygen"),
    "systolic_bp": gettext_lazy("systolic blood pressure"),
    "pulse": gettext_lazy("pulse"),
    "consciousness": gettext_lazy("consciousness (ACVPU)"),
    "temperature": gettext_lazy("temperature"),
}


@dataclass(frozen=True)
class VisitNews2:
    total: int
    band: str
    complete: bool
    missing: list[str]
    measured: int


def visit_news2(visit: Visit) -> VisitNews2 | None:
    """The visit's own NEWS2 on the person's SpO2 scale (scale 2 only when a
    clinician chose it for them, in monitoring's thresholds). Complete only
    with all seven parameters; a partial score names what is missing, and
    nothing is shown when nothing was measured."""
    from hearth.monitoring import evaluation, news2

    result = visit.news2(spo2_scale=evaluation.thresholds_for(visit.patient).spo2_scale)
    if not result.points:
        return None
    return VisitNews2(
        total=result.total,
        band=str(evaluation.NEWS2_BANDS[result.band]),
        complete=not result.partial,
        missing=[str(NEWS2_PARAMETER_LABELS[name]) for name in result.missing],
        measured=len(news2.PARAMETERS) - len(result.missing),
    )


def panel(patient: Patient) -> dict[str, Any]:
    """The visits panel on the patient record: the next visits and calls."""
    upcoming = list(_visits(patient).filter(date__gte=clock.today(), status__in=OPEN_STATUSES)[:5])
    return {
        "patient": patient,
        "upcoming": upcoming,
        "need_count": VisitNeed.objects.current().filter(patient=patient).count(),
    }


# --- The family's view -------------------------------------------------------------


@dataclass
class FamilyVisit:
    """A visit as the family may see it. A home visit has only the window
    the family is told; a teleconsultation has its exact time and link."""

    id: Any
    kind: str
    kind_label: str
    date: date
    window_start: datetime
    window_end: datetime
    staff_name: str
    discipline: str
    discipline_label: str
    status: str
    status_label: str
    video_link: str = ""
    participants_note: str = ""

    @property
    def is_teleconsult(self) -> bool:
        return self.kind == VisitKind.TELECONSULT


@dataclass
class FamilyTimeChange:
    visit_id: Any
    date: date
    old_window_start: datetime
    old_window_end: datetime
    new_window_start: datetime
    new_window_end: datetime
    old_staff_name: str
    new_staff_name: str
    changed_at: datetime


@dataclass
class PortalVisits:
    upcoming: list[FamilyVisit]
    recent: list[FamilyVisit]
    changes: list[FamilyTimeChange]
    time_requests: list[VisitTimeRequest] = field(default_factory=list)

    @property
    def teleconsults(self) -> list[FamilyVisit]:
        return [visit for visit in self.upcoming if visit.is_teleconsult]

    @property
    def home_visits(self) -> list[FamilyVisit]:
        return [visit for visit in self.upcoming if not visit.is_teleconsult]


def family_visit(visit: Visit) -> FamilyVisit:
    teleconsult = visit.kind == VisitKind.TELECONSULT
    return FamilyVisit(
        id=visit.external_id,
        kind=visit.kind,
        kind_label=str(visit.get_kind_display()),
        date=visit.date,
        window_start=visit.family_window_start,
        window_end=visit.family_window_end,
        staff_name=visit.staff.display_name,
        discipline=visit.discipline,
        discipline_label=discipline_label(visit.discipline),
        status=visit.status,
        status_label=str(visit.get_status_display()),
        video_link=visit.video_link if teleconsult else "",
        participants_note=visit.participants_note if teleconsult else "",
    )


def portal_visits(patient: Patient) -> PortalVisits:
    today = clock.today()
    since = today - timedelta(days=PORTAL_LOOKBACK_DAYS)
    rows = list(
        Visit.objects.for_patient(patient)
        .filter(date__gte=since)
        .exclude(status=VisitStatus.CANCELLED, date__lt=today)
        .select_related("staff")
        .order_by("family_window_start", "pk")
    )
    upcoming = [
        family_visit(visit)
        for visit in rows
        if visit.date >= today and visit.status in OPEN_STATUSES
    ]
    recent = [
        family_visit(visit) for visit in reversed(rows) if visit.status == VisitStatus.COMPLETED
    ]
    changes = [
        FamilyTimeChange(
            visit_id=change.visit.external_id,
            date=change.visit.date,
            old_window_start=change.old_window_start,
            old_window_end=change.old_window_end,
            new_window_start=change.new_window_start,
            new_window_end=change.new_window_end,
            old_staff_name=change.old_staff.display_name,
            new_staff_name=change.new_staff.display_name,
            changed_at=change.changed_at,
        )
        for change in VisitTimeChange.objects.filter(visit__patient=patient, visit__date__gte=today)
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit", "old_staff", "new_staff")
    ]
    requests = list(
        VisitTimeRequest.objects.current()
        .filter(patient=patient, date__gte=today)
        .select_related("requested_by")
    )
    return PortalVisits(upcoming=upcoming, recent=recent, changes=changes, time_requests=requests)


def people_for_teleconsult(patient: Patient) -> list[User]:
    """Who may be invited to a call: the care team and the person's family."""
    from hearth.patients.models import CaregiverLink, CareTeamAssignment

    team = CareTeamAssignment.objects.current().filter(patient=patient).values("staff")
    family = CaregiverLink.objects.filter(patient=patient, ended_at__isnull=True).values("user")
    users = User.objects.filter(is_active=True).filter(pk__in=team) | User.objects.filter(
        is_active=True, pk__in=family
    )
    found = list(users.order_by("kind", "last_name", "first_name").distinct())
    if patient.portal_user_id and patient.portal_user is not None:
        found.append(patient.portal_user)
    return found


def care_team_clinicians(patient: Patient) -> list[User]:
    from hearth.accounts.models import CLINICAL_DISCIPLINES
    from hearth.patients.models import CareTeamAssignment

    team = CareTeamAssignment.objects.current().filter(patient=patient).values("staff")
    return list(
        User.objects.filter(
            pk__in=team, is_active=True, discipline__in=sorted(CLINICAL_DISCIPLINES)
        ).order_by("discipline", "last_name")
    )


def care_team_for_discipline(patient: Patient, disciplines: Iterable[str]) -> list[User]:
    from hearth.patients.models import CareTeamAssignment

    team = CareTeamAssignment.objects.current().filter(patient=patient).values("staff")
    return list(
        User.objects.filter(pk__in=team, is_active=True, discipline__in=list(disciplines)).order_by(
            "discipline", "last_name"
        )
    )
