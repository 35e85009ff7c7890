"""Reads for monitoring, already filtered to what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    DateTimeField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hearth.assessments import instruments
from hearth.assessments import services as assessments
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed, NotFound
from hearth.core.models import AuditAction
from hearth.core.pagination import Page, page_of
from hearth.monitoring import evaluation, news2
from hearth.monitoring.choices import OPEN_STATUSES, SEVERITY_RANK, AlertStatus, OnCallRole
from hearth.monitoring.models import Alert, CheckIn, Observation, OnCallShift
from hearth.notifications.models import Message
from hearth.patients import access
from hearth.patients.models import Patient


def _alerts_visible_to(actor: Any) -> QuerySet[Alert]:
    """Alerts on the actor's caseload (the patients they may see) plus any
    they own on call: what the alerts page lists and the menu's badge counts."""
    if access.sees_whole_service(actor):
        return Alert.objects.all()
    # A UNION of two indexed look-ups, not ``Q(patient__in=...) | Q(owner=...)``:
    # that OR makes the database read every alert of the service on every
    # page (the menu's badge counts these).
    visible = access.patients_visible_to(actor).order_by().values("pk")
    on_caseload = Alert.objects.filter(patient__in=visible).order_by().values("pk")
    owned = Alert.objects.filter(owner_id=actor.pk).order_by().values("pk")
    return Alert.objects.filter(pk__in=on_caseload.union(owned))


def open_alert_count(actor: Any) -> int:
    """How many open alerts the alerts page would list for ``actor``: one
    COUNT query, no audit event (no patient is shown), so the menu's badge can
    be drawn on every page and refreshed in the background cheaply. Volunteers
    and portal users see no alerts: 0 without a query."""
    if not access.is_staff(actor) or access.is_volunteer(actor):
        return 0
    return _alerts_visible_to(actor).filter(status__in=OPEN_STATUSES).count()


def severity_rank() -> Case:
    """An alert's severity as a number the database sorts by (high = 3)."""
    return Case(
        *(When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


#: Most severe first, then the longest waiting, ``id`` breaking ties (so a
#: cursor never skips or repeats an alert).
ALERT_ORDER = ("-severity_rank", "raised_at", "id")


def alerts_visible(actor: Any, *, status: str = "open", mine: bool = False) -> QuerySet[Alert]:
    """Alerts on patients the actor may see, plus any they own (on call),
    most severe first, then oldest first: sorted in the database so the first
    page holds the most urgent alerts of the whole list. Not yet read."""
    alerts = _alerts_visible_to(actor)
    if status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    if mine:
        alerts = alerts.filter(owner=actor)
    return (
        alerts.annotate(severity_rank=severity_rank())
        .select_related("patient", "owner", "acknowledged_by")
        .order_by(*ALERT_ORDER)
    )


def audit_alerts_listed(actor: Any, alerts: Iterable[Alert]) -> None:
    """One ``list`` event per patient on the page of alerts served."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.ALERTS_LISTED,
        patients=[alert.patient for alert in alerts],
    )


def alerts_for(
    actor: Any,
    *,
    status: str = "open",
    mine: bool = False,
    request: HttpRequest | None = None,
) -> Page[Alert]:
    """One page of ``alerts_visible`` (``?page=`` of ``request``, else the
    first); the patients on it are audited as listed."""
    page = page_of(request or HttpRequest(), alerts_visible(actor, status=status, mine=mine))
    audit_alerts_listed(actor, page.items)
    return page


def worklist_urgency(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """The worklist's urgency, per patient, in the database: the rank of the
    most severe open alert (0 with none) and when the oldest alert of that
    severity was raised (far in the future with none), so the patients
    waiting longest with the worst alert head page 1 of the whole caseload."""
    most_urgent = (
        Alert.objects.open()
        .filter(patient=OuterRef("pk"))
        .annotate(rank=severity_rank())
        .order_by("-rank", "raised_at")
    )
    return patients.annotate(
        worklist_alert_rank=Coalesce(Subquery(most_urgent.values("rank")[:1]), Value(0)),
        worklist_alert_since=Coalesce(
            Subquery(most_urgent.values("raised_at")[:1]),
            Value(NO_ALERT_SINCE, output_field=DateTimeField()),
        ),
    )


#: Sorts after every real alert time (a patient with no open alert).
NO_ALERT_SINCE = datetime(9999, 12, 31, tzinfo=UTC)


def owns_an_open_alert(user: Any, patient: Patient) -> bool:
    """The on-call reason monitoring gives ``patients.access``: the clinician who
    owns an open (or acknowledged, not yet resolved) alert on this patient."""
    return Alert.objects.open().filter(patient=patient, owner_id=user.pk).exists()


def open_alert(actor: Any, alert_id: Any, *, perm: str = "monitoring.view_alert") -> Alert:
    """Load one alert for ``actor`` or refuse (404 hides it from strangers)."""
    try:
        alert = (
            Alert.objects.select_related("patient", "owner", "acknowledged_by", "triaged_by")
            .filter(external_id=alert_id)
            .first()
        )
    except ValidationError:
        alert = None
    if alert is not None and not actor.has_perm("monitoring.view_alert", alert):
        # Staff outside the caseload are told what the patient's record tells them.
        if access.can_use_emergency_access(actor, alert.patient):
            raise NotAllowed(str(access.OUTSIDE_THE_CASELOAD), code="emergency_access_available")
        alert = None
    if alert is None:
        raise NotFound(_("No alert with that identifier."))
    if perm != "monitoring.view_alert" and not actor.has_perm(perm, alert):
        raise NotAllowed(
            _("Only a physician or nurse on the team, or whoever is on call, acts on alerts.")
        )
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        event_type=AuditEventType.ALERT_VIEWED,
        patient=alert.patient,
        obj=alert,
    )
    return alert


def check_in_history(patient: Patient) -> QuerySet[CheckIn]:
    """Every check-in of ``patient``, newest first (the API pages it)."""
    return (
        CheckIn.objects.filter(patient=patient)
        .select_related("esas", "submitted_by")
        .order_by("-submitted_at", "-id")
    )


def check_ins(patient: Patient, *, limit: int = 60) -> QuerySet[CheckIn]:
    """The newest ``limit`` check-ins, for a page's short history."""
    return check_in_history(patient)[:limit]


def observations(
    patient: Patient, *, days: int = 14, code: str | None = None
) -> QuerySet[Observation]:
    since = clock.now() - timedelta(days=days)
    rows = Observation.objects.filter(patient=patient, observed_at__gte=since).select_related(
        "device"
    )
    if code:
        rows = rows.filter(code=code)
    return rows.order_by("-observed_at")


def on_call_roster(*, days: int = 7) -> QuerySet[OnCallShift]:
    now = clock.now()
    return (
        OnCallShift.objects.filter(ends_at__gt=now, starts_at__lt=now + timedelta(days=days))
        .filter(cancelled_at__isnull=True)
        .select_related("staff")
        .order_by("starts_at", "role")
    )


def alert_messages(alert: Alert) -> QuerySet[Message]:
    """The alert's delivery log: each message about it, oldest first, with
    every try, in two queries however many there are."""
    return (
        Message.objects.about(f"alert:{alert.pk}")
        .select_related("recipient")
        .prefetch_related("attempts")
        .order_by("created_at", "id")
    )


@dataclass
class Phone:
    """A number to tap at night, and whose it is."""

    number: str
    whose: str


@dataclass
class AtTheBedside:
    """What the clinician on call needs on the first screen of an alert:
    whom to phone, where to go, and the latest symptoms and NEWS2."""

    phones: list[Phone] = field(default_factory=list)
    address: str = ""
    map_url: str = ""
    esas_at: datetime | None = None
    esas: list[tuple[str, int]] = field(default_factory=list)
    news2_total: int | None = None
    news2_band: str = ""
    news2_at: datetime | None = None
    news2_partial: bool = False


def map_link(patient: Patient) -> str:
    """A link the phone's map opens: the point when known, else a search."""
    if patient.latitude is not None and patient.longitude is not None:
        query = urlencode({"mlat": patient.latitude, "mlon": patient.longitude})
        return (
            f"https://www.openstreetmap.org/?{query}#map=17/{patient.latitude}/{patient.longitude}"
        )
    address = ", ".join(
        part for part in (patient.address_line, patient.city, patient.postal_code) if part
    )
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})


def at_the_bedside(patient: Patient) -> AtTheBedside:
    """The alert page's first screen, in a fixed number of queries."""
    facts = AtTheBedside(
        address=", ".join(
            part for part in (patient.address_line, patient.city, patient.postal_code) if part
        ),
        map_url=map_link(patient),
    )
    if patient.phone_primary:
        facts.phones.append(Phone(patient.phone_primary, _("home")))
    if patient.phone_secondary:
        facts.phones.append(Phone(patient.phone_secondary, _("second phone")))
    for link in patient.caregivers.filter(ended_at__isnull=True).select_related("user"):
        number = link.phone or link.user.phone
        if number:
            facts.phones.append(
                Phone(number, f"{link.user.display_name} ({link.relationship_label})")
            )
    esas = assessments.latest(patient, "esas_r")
    if esas is not None:
        labels = {item.key: str(item.label) for item in instruments.ESAS_R.items}
        facts.esas_at = esas.assessed_at
        facts.esas = sorted(
            (
                (labels.get(key, key), value)
                for key, value in esas.answers.items()
                if isinstance(value, int) and key in labels
            ),
            key=lambda row: -row[1],
        )
    newest = (
        Observation.objects.filter(patient=patient, code__in=evaluation.NEWS2_CODES)
        .order_by("-observed_at")
        .values_list("observed_at", flat=True)
        .first()
    )
    if newest is not None:
        spo2_scale = evaluation.thresholds_for(patient).spo2_scale
        result = news2.score(evaluation.latest_news2_values(patient, newest), spo2_scale=spo2_scale)
        facts.news2_total = result.total
        facts.news2_band = str(evaluation.NEWS2_BANDS[result.band])
        facts.news2_at = newest
        facts.news2_partial = result.partial
    return facts


#: Shifts that meet within a minute of each other leave no gap worth a warning.
SHORTEST_GAP = timedelta(minutes=1)


@dataclass
class OnCallNow:
    role: str
    label: str
    shift: OnCallShift | None


@dataclass
class OnCallGap:
    """A stretch of time when nobody holds an on-call role."""

    role: str
    label: str
    starts_at: datetime
    ends_at: datetime


def on_call_now(moment: datetime | None = None) -> list[OnCallNow]:
    """Who holds each on-call role right now (nurse, physician, clinical lead),
    in one query; a role with nobody is listed with ``shift=None``."""
    moment = moment or clock.now()
    current: dict[str, OnCallShift] = {}
    for shift in (
        OnCallShift.objects.filter(
            starts_at__lte=moment, ends_at__gt=moment, cancelled_at__isnull=True
        )
        .select_related("staff")
        .order_by("starts_at")
    ):
        current.setdefault(shift.role, shift)
    return [OnCallNow(role, str(label), current.get(role)) for role, label in OnCallRole.choices]


def on_call_gaps(moment: datetime | None = None, *, days: int | None = None) -> list[OnCallGap]:
    """Every stretch in the coming days when an on-call role has nobody, so the
    coordinator fills it before the night it matters (hazard S24)."""
    moment = moment or clock.now()
    if days is None:
        days = int(settings.HEARTH_ON_CALL_GAP_WARNING_DAYS)
    until = moment + timedelta(days=days)
    covered: dict[str, list[tuple[datetime, datetime]]] = {role: [] for role in OnCallRole.values}
    for role, starts_at, ends_at in (
        OnCallShift.objects.filter(
            ends_at__gt=moment, starts_at__lt=until, cancelled_at__isnull=True
        )
        .order_by("starts_at")
        .values_list("role", "starts_at", "ends_at")
    ):
        covered.setdefault(role, []).append((starts_at, ends_at))
    gaps: list[OnCallGap] = []
    for role, label in OnCallRole.choices:
        reached = moment
        for starts_at, ends_at in covered.get(role, []):
            if starts_at - reached >= SHORTEST_GAP:
                gaps.append(OnCallGap(role, str(label), reached, starts_at))
            reached = max(reached, ends_at)
        if until - reached >= SHORTEST_GAP:
            gaps.append(OnCallGap(role, str(label), reached, until))
    return sorted(gaps, key=lambda gap: (gap.starts_at, gap.role))


#: How long after pressing "We need help now" the family's status page keeps
#: showing that call (a later press starts a new one).
HELP_CALL_SHOWN_FOR = timedelta(hours=24)


def latest_help_call(patient: Patient) -> Alert | None:
    """The family's most recent "We need help now" alert of the last day, with
    who saw it and who decided, for their status page."""
    return (
        Alert.objects.filter(
            patient=patient,
            rule="help_requested",
            raised_at__gte=clock.now() - HELP_CALL_SHOWN_FOR,
        )
        .select_related("acknowledged_by", "triaged_by", "owner")
        .order_by("-raised_at", "-id")
        .first()
    )
