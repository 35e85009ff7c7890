"""Reads of the team's own support, each with a constant number of queries.

``own_check_ins`` is the only read of wellbeing rows, and it takes the author
from the signed-in user, never from an argument naming someone else;
``wellbeing_summary`` returns aggregates only, over groups of at least the
minimum size. Debrief lists are patient data: each patient listed is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType, catalogued_event_type
from hearth.monitoring.models import Alert
from hearth.patients import access
from hearth.patients.choices import (
    AFTER_DEATH_STATES,
    OPEN_EPISODE_STATES,
    CareTeamRole,
    EpisodeState,
)
from hearth.patients.models import CareTeamAssignment, Episode, Patient
from hearth.team.choices import ComplianceState, WellbeingGroup, WellbeingItem
from hearth.team.models import (
    Debrief,
    MandatoryCourse,
    TrainingRecord,
    TrainingReminder,
    WellbeingCheckIn,
)
from hearth.visits.choices import VisitStatus
from hearth.visits.models import Visit

#: Deaths in the last this many days are listed when they have no debrief yet.
RECENT_DEATH_DAYS = 90
#: However the setting is configured, wellbeing figures are never shown for
#: fewer people than this: a group of one or two is an individual's answers.
WELLBEING_ABSOLUTE_MINIMUM = 3


def active_staff() -> QuerySet[User]:
    return User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def find_staff(staff_id: UUID | str | None) -> User | None:
    if not staff_id:
        return None
    try:
        return active_staff().filter(external_id=staff_id).first()
    except (ValueError, TypeError):
        return None


# --- Training and compliance -------------------------------------------------------


def training_records_for(actor: User, staff: User | None = None) -> QuerySet[TrainingRecord]:
    """Records the actor may see: their own, or (administrator, clinical lead,
    coordinator) anyone's, optionally one person's."""
    records = TrainingRecord.objects.select_related("staff", "mandatory_course", "recorded_by")
    if actor.has_perm("team.view_everyones_training"):
        return records.filter(staff=staff) if staff is not None else records
    return records.filter(staff=actor)


@dataclass
class ComplianceCell:
    course: MandatoryCourse
    state: str
    record: TrainingRecord | None

    @property
    def state_label(self) -> str:
        return str(ComplianceState(self.state).label)

    @property
    def expires_on(self) -> date | None:
        return self.record.expires_on if self.record else None


@dataclass
class ComplianceRow:
    staff: User
    courses: list[ComplianceCell] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for cell in self.courses if cell.state == state)

    @property
    def expiring(self) -> int:
        return self.count(ComplianceState.EXPIRING)

    @property
    def expired(self) -> int:
        return self.count(ComplianceState.EXPIRED)

    @property
    def missing(self) -> int:
        return self.count(ComplianceState.MISSING)

    @property
    def all_current(self) -> bool:
        return all(cell.state == ComplianceState.CURRENT for cell in self.courses)


def state_of(record: TrainingRecord | None, today: date, warning_days: int) -> str:
    if record is None:
        return ComplianceState.MISSING
    if record.expires_on is None:
        return ComplianceState.CURRENT
    if record.expires_on < today:
        return ComplianceState.EXPIRED
    if record.expires_on <= today + timedelta(days=warning_days):
        return ComplianceState.EXPIRING
    return ComplianceState.CURRENT


def _best(record: TrainingRecord) -> tuple[date, date]:
    return (record.expires_on or date.max, record.completed_on)


#: Lists with a row per member of staff (compliance, case-load), by name.
STAFF_ORDER = ("last_name", "first_name", "id")


def compliance(
    *,
    today: date | None = None,
    staff: User | None = None,
    people: Sequence[User] | None = None,
) -> list[ComplianceRow]:
    """Each active member of staff (or one, or the ``people`` of a page)
    against every mandatory course in use for their discipline: current,
    expiring within ``HEARTH_TRAINING_REMINDER_DAYS``, expired or missing.
    Three queries."""
    today = today or clock.today()
    warning = int(settings.HEARTH_TRAINING_REMINDER_DAYS)
    if people is not None:
        people = list(people)
    else:
        people = list(active_staff().filter(pk=staff.pk) if staff is not None else active_staff())
    courses = list(MandatoryCourse.objects.in_use())
    best: dict[tuple[int, int], TrainingRecord] = {}
    records = TrainingRecord.objects.current().filter(
        mandatory_course__in=courses, staff__in=people
    )
    for record in records:
        key = (record.staff_id, record.mandatory_course_id or 0)
        if key not in best or _best(record) > _best(best[key]):
            best[key] = record
    rows = []
    for person in people:
        row = ComplianceRow(staff=person)
        for course in courses:
            if not course.applies_to(person):
                continue
            held = best.get((person.pk, course.pk))
            row.courses.append(ComplianceCell(course, state_of(held, today, warning), held))
        rows.append(row)
    return rows


def own_reminders(actor: User) -> QuerySet[TrainingReminder]:
    return TrainingReminder.objects.filter(staff=actor, dismissed_at__isnull=True).select_related(
        "course", "training_record"
    )


# --- Wellbeing -------------------------------------------------------------------------

ITEMS: tuple[str, ...] = tuple(WellbeingItem.values)


def own_check_ins(actor: User) -> QuerySet[WellbeingCheckIn]:
    """The signed-in person's own check-ins: the only read of individual answers."""
    return WellbeingCheckIn.objects.filter(staff_id=actor.pk)


def wellbeing_minimum() -> int:
    return max(int(settings.HEARTH_WELLBEING_MINIMUM_GROUP), WELLBEING_ABSOLUTE_MINIMUM)


@dataclass
class Figures:
    """Aggregates for one group in one month; ``shown`` False means "too few
    answers to show", and then nothing else is filled in (not even the count)."""

    key: str
    label: str
    shown: bool
    respondents: int | None = None
    means: dict[str, Decimal] = field(default_factory=dict)
    low_share: dict[str, int] = field(default_factory=dict)


@dataclass
class MonthSummary:
    period: date
    team: Figures
    groups: list[Figures]


def _aggregates(rows: QuerySet[Any]) -> QuerySet[Any]:
    annotations: dict[str, Any] = {"respondents": Count("staff_id", distinct=True)}
    for item in ITEMS:
        annotations[f"mean_{item}"] = Avg(item)
        annotations[f"low_{item}"] = Count("id", filter=Q(**{f"{item}__lte": 2}))
    return rows.annotate(**annotations)


def _figures(key: str, label: str, data: dict[str, Any] | None, shown: bool) -> Figures:
    if not shown or data is None:
        return Figures(key=key, label=label, shown=False)
    respondents = int(data["respondents"])
    return Figures(
        key=key,
        label=label,
        shown=True,
        respondents=respondents,
        means={
            item: Decimal(str(data[f"mean_{item}"])).quantize(Decimal("0.1"), ROUND_HALF_UP)
            for item in ITEMS
        },
        low_share={
            item: int(
                (Decimal(100) * int(data[f"low_{item}"]) / respondents).quantize(
                    Decimal(1), ROUND_HALF_UP
                )
            )
            for item in ITEMS
        },
    )


def _hidden_groups(counts: dict[str, int], minimum: int, team_shown: bool) -> set[str]:
    """Groups below the minimum, plus (when the team figure is shown and the
    hidden groups together are still fewer than the minimum) the smallest shown
    groups, so no hidden group can be worked out as "team minus the rest"."""
    hidden = {key for key, n in counts.items() if n < minimum}
    if not team_shown:
        return set(counts)
    hidden_total = sum(counts[key] for key in hidden)
    if 0 < hidden_total < minimum:
        for key in sorted((k for k in counts if k not in hidden), key=lambda k: (counts[k], k)):
            hidden.add(key)
            hidden_total += counts[key]
            if hidden_total >= minimum:
                break
    return hidden


def wellbeing_summary(*, months: int = 6, today: date | None = None) -> list[MonthSummary]:
    """The clinical lead's figures for the last ``months`` months, newest
    first: per month the whole team and each discipline group, each only with
    at least ``wellbeing_minimum()`` people answering. Two queries; no row
    leaves the database, only sums."""
    today = today or clock.today()
    first = today.replace(day=1)
    for _step in range(max(months, 1) - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    minimum = wellbeing_minimum()
    rows = WellbeingCheckIn.objects.filter(period__gte=first).order_by()
    by_group: dict[date, dict[str, dict[str, Any]]] = defaultdict(dict)
    for data in _aggregates(rows.values("period", "group")):
        by_group[data["period"]][data["group"]] = data
    team = {data["period"]: data for data in _aggregates(rows.values("period"))}
    summaries = []
    for period in sorted(team, reverse=True):
        team_data = team[period]
        team_shown = int(team_data["respondents"]) >= minimum
        counts = {
            key: int(by_group[period].get(key, {}).get("respondents", 0))
            for key in WellbeingGroup.values
        }
        hidden = _hidden_groups(counts, minimum, team_shown)
        summaries.append(
            MonthSummary(
                period=period,
                team=_figures("team", "", team_data, team_shown),
                groups=[
                    _figures(key, str(label), by_group[period].get(key), key not in hidden)
                    for key, label in WellbeingGroup.choices
                ],
            )
        )
    return summaries


# --- Case-load -------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    staff: User
    by_role: dict[str, int] = field(default_factory=dict)
    patients: int = 0
    in_active_care: int = 0
    visits_this_week: int = 0
    visits_done_this_week: int = 0
    open_alerts: int = 0

    @property
    def roles(self) -> list[tuple[str, int]]:
        return [
            (str(CareTeamRole(role).label), count)
            for role, count in sorted(self.by_role.items())
            if count
        ]


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def own_caseload(actor: User, *, today: date | None = None) -> CaseloadRow:
    """The signed-in person's own figures, whatever their role: the coordinator
    and the clinical lead see everyone's on the case-load page, but "my
    case-load" is theirs (issue 20: it showed the first member of staff's)."""
    return caseload(actor, today=today, own=True)[0]


def caseload_people(actor: User, *, own: bool = False) -> QuerySet[User]:
    """Whose case-load ``actor`` may read: the coordinator and the clinical
    lead everyone's; anyone else their own."""
    if actor.has_perm("team.view_everyones_caseload") and not own:
        return active_staff()
    return active_staff().filter(pk=actor.pk)


def caseload(
    actor: User,
    *,
    today: date | None = None,
    own: bool = False,
    people: Sequence[User] | None = None,
) -> list[CaseloadRow]:
    """Per member of staff (everyone ``caseload_people`` gives, or the
    ``people`` of a page of it): current patients (current care-team
    assignments on patients with an open episode) by role, visits this week
    (Monday to Sunday, not cancelled) and open alerts they own. Counts only, no
    patient named; five queries whatever the size of the team."""
    today = today or clock.today()
    people = list(people) if people is not None else list(caseload_people(actor, own=own))
    if own and not people:
        people = [actor]
    rows = {person.pk: CaseloadRow(staff=person) for person in people}
    open_episode = Exists(
        Episode.objects.filter(patient=OuterRef("patient"), state__in=OPEN_EPISODE_STATES)
    )
    in_care = Exists(Episode.objects.filter(patient=OuterRef("patient"), state=EpisodeState.ACTIVE))
    assignments = (
        CareTeamAssignment.objects.current()
        .filter(staff__in=people)
        .alias(open_episode=open_episode, in_care=in_care)
        .filter(open_episode=True)
        .order_by()
    )
    for data in assignments.values("staff_id", "role").annotate(n=Count("patient", distinct=True)):
        rows[data["staff_id"]].by_role[data["role"]] = data["n"]
    for data in assignments.values("staff_id").annotate(
        n=Count("patient", distinct=True),
        active=Count("patient", distinct=True, filter=Q(in_care=True)),
    ):
        rows[data["staff_id"]].patients = data["n"]
        rows[data["staff_id"]].in_active_care = data["active"]
    monday, sunday = week_of(today)
    visits = (
        Visit.objects.not_cancelled()
        .filter(staff__in=people, date__range=(monday, sunday))
        .order_by()
        .values("staff_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=VisitStatus.COMPLETED)))
    )
    for data in visits:
        rows[data["staff_id"]].visits_this_week = data["n"]
        rows[data["staff_id"]].visits_done_this_week = data["done"]
    alerts = Alert.objects.open().filter(owner__in=people).order_by().values("owner_id")
    for data in alerts.annotate(n=Count("id")):
        rows[data["owner_id"]].open_alerts = data["n"]
    return list(rows.values())


# --- Debriefs ----------------------------------------------------------------------------


def _debriefs() -> QuerySet[Debrief]:
    return Debrief.objects.select_related(
        "patient", "episode", "facilitator", "recorded_by", "withdrawn_by"
    ).prefetch_related("attendees")


def debriefs_visible_to(actor: User) -> QuerySet[Debrief]:
    """Current debriefs the actor may read: the coordinator and the clinical
    lead all; others those of patients whose team they were on (now, or when
    the patient died)."""
    debriefs = _debriefs().filter(withdrawn_at__isnull=True)
    if actor.has_perm("team.view_deaths_without_debrief"):
        return debriefs
    if access.is_volunteer(actor):
        return debriefs.none()
    team = CareTeamAssignment.objects.filter(patient=OuterRef("patient"), staff_id=actor.pk).filter(
        Q(ended_at__isnull=True)
        | Q(
            started_at__lte=OuterRef("episode__died_at"), ended_at__gte=OuterRef("episode__died_at")
        )
    )
    return debriefs.filter(Exists(team))


#: Debriefs, the newest meeting first.
DEBRIEF_ORDER = ("-held_on", "-id")


def audit_debriefs_listed(actor: User, debriefs: Sequence[Debrief]) -> None:
    """One list-view event per patient whose debrief ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.DEBRIEF_LISTED,
        patients=[debrief.patient for debrief in debriefs],
    )


def list_debriefs(actor: User, *, limit: int = 100) -> list[Debrief]:
    """The newest ``limit`` debriefs ``actor`` may read, audited as listed (the
    team page; the API pages through all of them)."""
    found = list(debriefs_visible_to(actor).order_by(*DEBRIEF_ORDER)[:limit])
    audit_debriefs_listed(actor, found)
    return found


def patient_debrief_rows(patient: Patient) -> QuerySet[Debrief]:
    """Every debrief of the patient, withdrawn ones included (marked), newest first."""
    return _debriefs().filter(patient=patient).order_by(*DEBRIEF_ORDER)


def patient_debriefs(patient: Patient) -> list[Debrief]:
    """Every debrief of the patient, withdrawn ones included (marked)."""
    return list(patient_debrief_rows(patient))


def debrief_detail(debrief_id: UUID | str) -> Debrief | None:
    try:
        return _debriefs().filter(external_id=debrief_id).first()
    except (ValueError, TypeError):
        return None


#: Deaths without a debrief, the oldest death first.
DEATH_ORDER = ("died_at", "id")


def death_without_debrief_rows(*, days: int = RECENT_DEATH_DAYS) -> QuerySet[Episode]:
    """Deaths in the last ``days`` days with no current debrief, oldest first.
    Not audited: the caller audits the rows it shows (``audit_deaths_listed``)."""
    since = clock.now() - timedelta(days=days)
    debriefed = Debrief.objects.filter(episode=OuterRef("pk"), withdrawn_at__isnull=True)
    return (
        Episode.objects.filter(
            died_at__isnull=False, died_at__gte=since, state__in=AFTER_DEATH_STATES
        )
        .exclude(Exists(debriefed))
        .select_related("patient")
        .order_by(*DEATH_ORDER)
    )


def audit_deaths_listed(actor: User, episodes: Sequence[Episode]) -> None:
    """One list-view event per patient whose death ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.DEBRIEF_DEATHS_LISTED,
        patients=[episode.patient for episode in episodes],
    )


def deaths_without_debrief(
    actor: User, *, today: date | None = None, days: int = RECENT_DEATH_DAYS
) -> list[Episode]:
    """Deaths in the last ``days`` days with no current debrief, oldest first
    (the coordinator and the clinical lead). Each patient listed is audited."""
    episodes = list(death_without_debrief_rows(days=days))
    audit_deaths_listed(actor, episodes)
    return episodes


def panel(patient: Patient, user: Any) -> dict[str, Any]:
    """For the patient record: whether the team has debriefed after the death."""
    episode = patient.death_episode()
    visible = episode is not None and bool(user.has_perm("team.view_debriefs", patient))
    current = (
        Debrief.objects.current().filter(episode=episode).first() if visible and episode else None
    )
    return {
        "patient": patient,
        "visible": visible,
        "debrief": current,
        "can_record": visible and user.has_perm("team.record_debrief", patient),
    }


def open_for_debriefs(user: Any, patient_id: UUID | str, perm: str, *, read: str = "") -> Patient:
    """Open a patient's debriefs: staff on the patient's team (now or at the
    death), the coordinator or the clinical lead. The clinical lead reaches
    debriefs without opening the clinical record. Anyone who is not staff is
    told "not found"; other staff are refused. ``read`` names the audit event."""
    from django.utils.translation import gettext as _

    from hearth.core.errors import NotAllowed, NotFound
    from hearth.core.models import AuditAction

    if not access.is_staff(user) or access.is_volunteer(user):
        raise NotFound(_("No patient with that identifier."))
    patient = access.find_patient(patient_id)
    if not user.has_perm(perm, patient):
        raise NotAllowed(
            _("Debriefs are for the patient's team, the coordinator and the clinical lead.")
        )
    if read:
        audit.record(
            actor=user,
            action=AuditAction.VIEW,
            event_type=catalogued_event_type(read),
            patient=patient,
            obj=patient,
        )
    return patient
