"""Reads for the volunteers pages and API. Each list that names patients
writes one audit event per patient shown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.choices import language_name
from hearth.core.dates import day_range
from hearth.patients.models import Episode, Patient
from hearth.volunteers import services
from hearth.volunteers.choices import (
    OPEN_ASSIGNMENT_STATUSES,
    AssignmentStatus,
    TrainingModule,
    required_modules,
)
from hearth.volunteers.models import (
    UnavailablePeriod,
    VolunteerAssignment,
    VolunteerProfile,
    VolunteerTraining,
    WeeklySlot,
)


def language_labels(codes: Iterable[str]) -> list[str]:
    """Spoken languages named in the reader's language ("ru" → «русский»),
    never the stored code or the English name."""
    return [language_name(code) for code in codes or []]


def _with_episodes(queryset: QuerySet[Any], prefix: str = "patient") -> QuerySet[Any]:
    return queryset.prefetch_related(
        Prefetch(
            f"{prefix}__episodes",
            queryset=Episode.objects.order_by("-opened_at"),
            to_attr="episodes_newest_first",
        )
    )


def _slot_text(slot: WeeklySlot) -> str:
    # Django's translated short weekday names (Monday is 0, as in Weekday),
    # looked up when the page is drawn so they follow the reader's language.
    return f"{WEEKDAYS_ABBR[slot.weekday]} {slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"


def availability_summary(
    slots: Sequence[WeeklySlot], away: Sequence[UnavailablePeriod], today: date | None = None
) -> str:
    """One line: "Tue 13:00–17:00, Thu 10:00–13:00 · away 3 Jun–10 Jun"."""
    today = today or clock.today()
    parts = [", ".join(_slot_text(slot) for slot in slots) or _("no usual times given")]
    upcoming = [period for period in away if period.ends_on >= today]
    if upcoming:
        parts.append(
            _("away %(periods)s")
            % {"periods": ", ".join(day_range(p.starts_on, p.ends_on) for p in upcoming)}
        )
    return " · ".join(parts)


def away_on(away: Iterable[UnavailablePeriod], day: date) -> UnavailablePeriod | None:
    return next((p for p in away if p.starts_on <= day <= p.ends_on), None)


@dataclass
class AssignmentRow:
    """An assignment with what the reader needs to act on it."""

    assignment: VolunteerAssignment
    care_ended: str | None = None

    @property
    def patient(self) -> Patient:
        return self.assignment.patient

    @property
    def volunteer(self) -> User:
        return self.assignment.volunteer


def assignment_row(assignment: VolunteerAssignment) -> AssignmentRow:
    """``care_ended`` says so when an open assignment's family is no longer
    on the service for its kind (the person died or was discharged): the
    coordinator should end or change it so nobody turns up unexpected."""
    problem = None
    if assignment.status in OPEN_ASSIGNMENT_STATUSES:
        problem = services.patient_problem(assignment.patient, assignment.kind)
    return AssignmentRow(assignment, problem)


@dataclass
class VolunteerRow:
    profile: VolunteerProfile
    missing: list[str]
    vetting_current: bool
    assignments: list[AssignmentRow]
    availability: str
    away_now: UnavailablePeriod | None

    @property
    def volunteer(self) -> User:
        return self.profile.volunteer

    @property
    def languages(self) -> list[str]:
        return language_labels(self.profile.volunteer.spoken_languages)

    @property
    def missing_labels(self) -> list[str]:
        return [str(TrainingModule(module).label) for module in self.missing]

    @property
    def training_complete(self) -> bool:
        return not self.missing

    @property
    def offers_labels(self) -> list[str]:
        from hearth.volunteers.choices import Activity

        return [str(Activity(o).label) for o in self.profile.offers or [] if o in Activity.values]

    @property
    def needs_attention(self) -> bool:
        return any(row.care_ended for row in self.assignments)


def _profiles() -> QuerySet[VolunteerProfile]:
    today = clock.today()
    open_assignments = _with_episodes(
        VolunteerAssignment.objects.open().select_related("patient").order_by("starts_on", "pk"),
    )
    return VolunteerProfile.objects.select_related("volunteer").prefetch_related(
        Prefetch("training", queryset=VolunteerTraining.objects.current(), to_attr="live_training"),
        "weekly_slots",
        Prefetch(
            "unavailable_periods",
            queryset=UnavailablePeriod.objects.filter(ends_on__gte=today),
            to_attr="upcoming_away",
        ),
        Prefetch(
            "volunteer__volunteer_assignments",
            queryset=open_assignments,
            to_attr="open_assignments",
        ),
    )


def _row(profile: VolunteerProfile, today: date) -> VolunteerRow:
    slots = list(profile.weekly_slots.all())
    away = list(profile.upcoming_away)  # type: ignore[attr-defined]
    return VolunteerRow(
        profile=profile,
        missing=services.missing_modules(
            profile,
            on=today,
            records=profile.live_training,  # type: ignore[attr-defined]
        ),
        vetting_current=profile.vetting_current_on(today),
        assignments=[assignment_row(a) for a in profile.volunteer.open_assignments],  # type: ignore[attr-defined]
        availability=availability_summary(slots, away, today),
        away_now=away_on(away, today),
    )


#: The coordinator's list of volunteers: by name (annotated by ``volunteer_profiles``).
VOLUNTEER_ORDER = ("volunteer_last_name", "volunteer_first_name", "id")


def volunteer_profiles(*, status: str | None = None) -> QuerySet[VolunteerProfile]:
    """Every volunteer profile (or those with ``status``) by name, as rows the
    API can page; ``volunteer_summaries`` makes them rows of the list."""
    profiles = _profiles().annotate(
        volunteer_last_name=F("volunteer__last_name"),
        volunteer_first_name=F("volunteer__first_name"),
    )
    if status:
        profiles = profiles.filter(status=status)
    return profiles.order_by(*VOLUNTEER_ORDER)


def volunteer_summaries(actor: Any, profiles: Iterable[VolunteerProfile]) -> list[VolunteerRow]:
    """The rows of ``profiles``, with every family named audited as a list view."""
    today = clock.today()
    rows = [_row(profile, today) for profile in profiles]
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.VOLUNTEERS_LISTED,
        patients={a.patient for row in rows for a in row.assignments},
    )
    return rows


def volunteer_rows(actor: Any, *, status: str | None = None) -> list[VolunteerRow]:
    """The coordinator's list, with every family named audited as a list view."""
    return volunteer_summaries(actor, volunteer_profiles(status=status))


def volunteers_without_profile() -> QuerySet[User]:
    return User.objects.filter(
        kind=UserKind.STAFF,
        discipline=Discipline.VOLUNTEER,
        is_active=True,
        volunteer_profile__isnull=True,
    ).order_by("last_name", "first_name")


def find_profile(profile_id: Any) -> VolunteerProfile | None:
    try:
        return _profiles().filter(external_id=profile_id).first()
    except (ValueError, TypeError):
        return None


@dataclass
class ModuleState:
    module: str
    label: str
    required: bool
    record: VolunteerTraining | None
    current: bool

    @property
    def expired(self) -> bool:
        return self.record is not None and not self.current


def module_table(profile: VolunteerProfile, on: date | None = None) -> list[ModuleState]:
    """Each module: the latest record and whether it is in date. "Required"
    are those every assignment needs; others depend on the kind."""
    on = on or clock.today()
    records = list(profile.training.current().order_by("-completed_on", "-pk"))
    base = set(required_modules())
    table = []
    for module in TrainingModule:
        mine = [r for r in records if r.module == module.value]
        current = next((r for r in mine if r.current_on(on)), None)
        table.append(
            ModuleState(
                module=module.value,
                label=str(module.label),
                required=module.value in base,
                record=current or (mine[0] if mine else None),
                current=current is not None,
            )
        )
    return table


@dataclass
class ProfileDetail:
    row: VolunteerRow
    modules: list[ModuleState]
    training: list[VolunteerTraining]
    slots: list[WeeklySlot]
    away: list[UnavailablePeriod]
    assignments: list[AssignmentRow] = field(default_factory=list)

    @property
    def profile(self) -> VolunteerProfile:
        return self.row.profile


def profile_detail(actor: Any, profile: VolunteerProfile) -> ProfileDetail:
    today = clock.today()
    assignments = list(
        _with_episodes(
            VolunteerAssignment.objects.filter(volunteer=profile.volunteer).select_related(
                "patient", "volunteer"
            )
        ).order_by("-starts_on", "-pk")
    )
    detail = ProfileDetail(
        row=_row(profile, today),
        modules=module_table(profile, today),
        training=list(
            profile.training.select_related("recorded_by", "withdrawn_by").order_by(
                "module", "-completed_on"
            )
        ),
        slots=list(profile.weekly_slots.all()),
        away=list(profile.unavailable_periods.filter(ends_on__gte=today)),
        assignments=[assignment_row(a) for a in assignments],
    )
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.VOLUNTEERS_PROFILE_VIEWED,
        patients={row.patient for row in detail.assignments},
    )
    return detail


def my_page(actor: User) -> ProfileDetail | None:
    """A volunteer's own page: their profile, availability and assignments."""
    profile = find_profile_of(actor)
    if profile is None:
        return None
    detail = profile_detail(actor, profile)
    # Ended assignments are shown only for a month: the volunteer's record of
    # where they went, not a history of families they no longer see.
    since = clock.today().toordinal() - 31
    detail.assignments = [
        row
        for row in detail.assignments
        if row.assignment.is_open
        or (row.assignment.ended_at and row.assignment.ended_at.date().toordinal() >= since)
    ]
    return detail


def find_profile_of(user: User) -> VolunteerProfile | None:
    return _profiles().filter(volunteer=user).first()


#: A person's volunteer assignments: open first (``closed_rank`` 0), newest first.
ASSIGNMENT_ORDER = ("closed_rank", "-starts_on", "-id")


def patient_assignment_rows(patient: Patient) -> QuerySet[VolunteerAssignment]:
    """Every assignment for the person in ``ASSIGNMENT_ORDER``, ordered by the
    database so the API can page it."""
    return (
        VolunteerAssignment.objects.filter(patient=patient)
        .select_related("volunteer", "patient", "proposed_by", "ended_by")
        .annotate(
            closed_rank=Case(
                When(status__in=OPEN_ASSIGNMENT_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(*ASSIGNMENT_ORDER)
    )


def patient_assignments(patient: Patient) -> list[AssignmentRow]:
    """Every assignment for the person, open first, newest first."""
    return [assignment_row(a) for a in patient_assignment_rows(patient)]


def find_assignment(assignment_id: Any) -> VolunteerAssignment | None:
    try:
        return (
            VolunteerAssignment.objects.select_related("patient", "volunteer")
            .filter(external_id=assignment_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def eligible_volunteers(kind: str | None = None) -> list[User]:
    """Volunteers who may be assigned today (for the assignment form)."""
    today = clock.today()
    return [
        row.volunteer
        for row in (_row(profile, today) for profile in _profiles())
        if not services.eligibility_problems(
            row.profile,
            kind=kind,
            on=today,
            records=row.profile.live_training,  # type: ignore[attr-defined]
        )
    ]


# --- The family's view -----------------------------------------------------------------


@dataclass
class FamilyVolunteer:
    """What the family sees: a first name, what they do and when. No surname,
    no phone: the family calls the service, which reaches the volunteer."""

    first_name: str
    kind: str
    kind_label: str
    usual_times: str
    starts_on: date
    ends_on: date | None


def family_volunteer(assignment: VolunteerAssignment) -> FamilyVolunteer:
    volunteer = assignment.volunteer
    return FamilyVolunteer(
        first_name=volunteer.first_name or _("Your volunteer"),
        kind=assignment.kind,
        kind_label=str(assignment.get_kind_display()),
        usual_times=assignment.usual_times,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
    )


def portal_volunteers(patient: Patient) -> list[FamilyVolunteer]:
    found = (
        VolunteerAssignment.objects.active()
        .filter(patient=patient)
        .select_related("volunteer")
        .order_by("starts_on", "pk")
    )
    return [family_volunteer(a) for a in found]


def panel(patient: Patient) -> dict[str, Any]:
    rows = [row for row in patient_assignments(patient) if row.assignment.is_open]
    return {
        "patient": patient,
        "rows": rows,
        "active_count": sum(1 for r in rows if r.assignment.status == AssignmentStatus.ACTIVE),
    }
