"""Every change to visits that is not the planner's: urgent requests, who
works when, the visits each person needs, the family's time requests,
teleconsultations and what happened at each visit.

Each function checks the rules, validates, writes in one transaction and
leaves an audit event. Changes that belong to another app (a PPS score, the
phase of illness, resolving an alert) go through that app's own services, so
they are scored, checked and audited the way they always are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.accounts.models import CLINICAL_DISCIPLINES, Discipline, User, UserKind
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.monitoring.models import Alert
from hearth.patients import access
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient
from hearth.visits.choices import (
    AlertOutcome,
    Endpoint,
    Per,
    PlanStatus,
    Skill,
    TimeRequestKind,
    UrgentRequestStatus,
    VisitKind,
    VisitStatus,
)
from hearth.visits.models import (
    DayPlan,
    Shift,
    StaffPlanningProfile,
    UrgentVisitRequest,
    Visit,
    VisitNeed,
    VisitNote,
    VisitTimeRequest,
)

#: Disciplines whose members are planned onto visits: the clinical team and volunteers.
PLANNED_DISCIPLINES = frozenset({*CLINICAL_DISCIPLINES, Discipline.VOLUNTEER})
#: A phone's or a laptop's clock may run a little fast; later than this is "in the future".
CLOCK_SKEW = timedelta(minutes=5)
#: Care-plan intervention kinds that become visit needs.
VISIT_KINDS_FROM_PLAN = (VisitKind.HOME_VISIT, VisitKind.TELECONSULT)
#: Teleconsultation length limits, minutes (a service choice, not a clinical rule).
TELECONSULT_MINUTES = (5, 240)


# --- Shared checks -------------------------------------------------------------


def _in_care(patient: Patient) -> bool:
    episode = patient.current_episode
    return (
        patient.date_of_death is None
        and episode is not None
        and episode.state == EpisodeState.ACTIVE
    )


def _require_in_care(patient: Patient) -> None:
    if not _in_care(patient):
        raise InvalidTransition(_("Visits are planned only for people in home care."))


def _aware(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        errors.add(field, _("Give the time with its time zone, e.g. 2026-05-01T08:00+01:00."))
        return None
    return value


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _is_planned_staff(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.kind == UserKind.STAFF
        and user.discipline in PLANNED_DISCIPLINES
    )


def _require_planned_staff(staff: Any) -> None:
    if not _is_planned_staff(staff):
        message = _("Only clinical staff and volunteers are planned onto visits.")
        raise ValidationFailed(message, field_errors={"staff": [message]})


def _check_field(model: Any, name: str, value: Any, errors: Errors, field: str = "") -> None:
    """Run one model field's own validators (its ranges), naming the field."""
    if value is None:
        return
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        for message in error.messages:
            errors.add(field or name, message)


def _skills(value: Iterable[str] | None, errors: Errors) -> list[str]:
    skills = [str(item) for item in (value or [])]
    unknown = [item for item in skills if item not in Skill.values]
    if unknown:
        errors.add("skills", _("Not a known skill: %(values)s.") % {"values": ", ".join(unknown)})
    return list(dict.fromkeys(skills))


# --- Urgent visit requests -------------------------------------------------------


@transaction.atomic
def request_urgent_visit(
    *,
    actor: User,
    patient: Patient,
    reason: str,
    alert: Alert | None = None,
    discipline: str = "physician",
) -> UrgentVisitRequest:
    """A visit today. From triage the permission is the triage's own (the
    owner of the alert may dispatch even off their caseload)."""
    if alert is None or not actor.has_perm("monitoring.act_on_alert", alert):
        require_perm(actor, "visits.request_urgent_visit", patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the visit is urgent."))
    require(discipline in ("physician", "nurse"), "discipline", _("A physician or a nurse."))
    if alert is not None:
        existing = UrgentVisitRequest.objects.filter(
            alert=alert,
            status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED],
        ).first()
        if existing is not None:
            return existing
    request = UrgentVisitRequest.objects.create(
        patient=patient,
        alert=alert,
        discipline=discipline,
        for_date=clock.today(),
        reason=reason,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.URGENT_VISIT_REQUESTED,
        patient=patient,
        obj=request,
        summary=_("Urgent %(discipline)s visit requested for today: %(reason)s")
        % {"discipline": request.discipline_label.lower(), "reason": reason[:200]},
    )
    _fit_into_published_day(request)
    return request


def _fit_into_published_day(request: UrgentVisitRequest) -> None:
    """When today is already published, the planner fits the visit in at once
    (a background task, so triage is not held up by the search). The task row
    is written in this transaction: if the request rolls back, so does it."""
    from hearth.visits.tasks import insert_urgent_visit_task

    if DayPlan.objects.filter(date=request.for_date, status=PlanStatus.PUBLISHED).exists():
        insert_urgent_visit_task.enqueue(request_id=request.pk)


def waiting_requests() -> Any:
    return (
        UrgentVisitRequest.objects.filter(
            status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED]
        )
        .select_related("patient", "alert", "requested_by")
        .order_by("for_date", "requested_at")
    )


# --- Staff availability ------------------------------------------------------------


def _profile_values(profile: StaffPlanningProfile) -> dict[str, Any]:
    return {
        "skills": list(profile.skills or []),
        "max_visits_per_day": profile.max_visits_per_day,
        "home_latitude": profile.home_latitude,
        "home_longitude": profile.home_longitude,
    }


def _coordinate(value: Any, field: str, limit: int, errors: Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(field, _("Give a number in decimal degrees."))
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.add(field, _("Between -%(limit)s and %(limit)s degrees.") % {"limit": limit})
        return None
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def set_planning_profile(
    *,
    actor: User,
    staff: User,
    skills: Sequence[str] = (),
    max_visits_per_day: int = 8,
    home_latitude: Any = None,
    home_longitude: Any = None,
) -> StaffPlanningProfile:
    """What the planner needs beyond discipline and languages: the skills the
    team has signed this person off for, how many home visits fit in their
    day, and where home is (for shifts that start or end there)."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    _require_planned_staff(staff)
    errors = Errors()
    chosen = _skills(skills, errors)
    _check_field(StaffPlanningProfile, "max_visits_per_day", max_visits_per_day, errors)
    latitude = _coordinate(home_latitude, "home_latitude", 90, errors)
    longitude = _coordinate(home_longitude, "home_longitude", 180, errors)
    if (latitude is None) != (longitude is None):
        errors.add(
            "home_longitude" if longitude is None else "home_latitude",
            _("Give both the latitude and the longitude of home, or neither."),
        )
    errors.raise_if_any()
    profile = StaffPlanningProfile.objects.select_for_update().filter(
        staff=staff
    ).first() or StaffPlanningProfile(staff=staff)
    created = profile.pk is None
    before = {} if created else _profile_values(profile)
    profile.skills = chosen
    profile.max_visits_per_day = max_visits_per_day
    profile.home_latitude = latitude
    profile.home_longitude = longitude
    profile.save()
    after = _profile_values(profile)
    if created or after != before:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            event_type=AuditEventType.STAFF_PLANNING_PROFILE_SET,
            obj=profile,
            summary=_("Planning profile of %(name)s: at most %(count)s home visits a day")
            % {"name": staff.display_name, "count": max_visits_per_day},
            changes=audit.diff(before, after),
        )
    return profile


@transaction.atomic
def add_shift(
    *,
    actor: User,
    staff: User,
    date: date,
    starts_at: time,
    ends_at: time,
    starts_from: str = Endpoint.BASE,
    ends_at_place: str = Endpoint.BASE,
) -> Shift:
    """One working day. One shift a day per person: a split day is one shift
    with the gap kept free by the coordinator (the planner has no breaks)."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    _require_planned_staff(staff)
    errors = Errors()
    if date < clock.today():
        errors.add("date", _("That day is over."))
    if starts_at >= ends_at:
        errors.add("ends_at", _("A shift ends after it starts, on the same day."))
    elif date == clock.today() and _local(date, ends_at) <= clock.now():
        errors.add("ends_at", _("That time is already over today."))
    for field, value in (("starts_from", starts_from), ("ends_at_place", ends_at_place)):
        if value not in Endpoint.values:
            errors.add(field, _("Home or base."))
    if Endpoint.HOME in (starts_from, ends_at_place):
        profile = StaffPlanningProfile.objects.filter(staff=staff).first()
        if profile is None or profile.home_latitude is None:
            field = "starts_from" if starts_from == Endpoint.HOME else "ends_at_place"
            errors.add(
                field,
                _("%(name)s has no home position in their planning profile: use base.")
                % {"name": staff.display_name},
            )
    errors.raise_if_any()
    User.objects.select_for_update().filter(pk=staff.pk).first()
    if Shift.objects.current().filter(staff=staff, date=date).exists():
        raise Conflict(
            _("%(name)s already has a shift on %(date)s: cancel it first to change it.")
            % {"name": staff.display_name, "date": date.isoformat()},
            field_errors={"date": [_("Already has a shift that day.")]},
        )
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                staff=staff,
                date=date,
                starts_at=starts_at,
                ends_at=ends_at,
                starts_from=starts_from,
                ends_at_place=ends_at_place,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(name)s already has a shift that day.") % {"name": staff.display_name},
            field_errors={"date": [_("Already has a shift that day.")]},
        ) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.STAFF_SHIFT_ADDED,
        obj=shift,
        summary=_("Shift for %(name)s on %(date)s, %(start)s–%(end)s")
        % {
            "name": staff.display_name,
            "date": date.isoformat(),
            "start": starts_at.strftime("%H:%M"),
            "end": ends_at.strftime("%H:%M"),
        },
        changes={"staff": staff, "date": date, "starts_at": starts_at, "ends_at": ends_at},
    )
    return shift


@transaction.atomic
def cancel_shift(*, actor: User, shift: Shift) -> Shift:
    """A shift that will not happen (sickness, leave). Visits already
    published for that day stay until the coordinator re-plans the day."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    shift = Shift.objects.select_for_update().select_related("staff").get(pk=shift.pk)
    if shift.cancelled_at is not None:
        raise InvalidTransition(_("This shift is already cancelled."))
    if shift.date < clock.today():
        raise InvalidTransition(_("That day is over: its shift stays on record."))
    shift.cancelled_at = clock.now()
    shift.save(update_fields=["cancelled_at"])
    open_visits = (
        Visit.objects.filter(staff=shift.staff, date=shift.date)
        .filter(status__in=[VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY])
        .count()
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.STAFF_SHIFT_CANCELLED,
        obj=shift,
        summary=_("Shift of %(name)s on %(date)s cancelled (%(count)s visits still to re-plan)")
        % {"name": shift.staff.display_name, "date": shift.date.isoformat(), "count": open_visits},
        changes={"open_visits": open_visits},
    )
    return shift


# --- Visit needs -------------------------------------------------------------------


def _preferred_staff_problem(staff: User, discipline: str, patient: Patient) -> str:
    if not _is_planned_staff(staff) or staff.discipline != discipline:
        return _("The preferred staff member must be a %(discipline)s.") % {
            "discipline": Discipline(discipline).label.lower()
            if discipline in Discipline.values
            else discipline
        }
    if not access.on_care_team(staff, patient):
        return _("%(name)s is not on this person's care team.") % {"name": staff.display_name}
    return ""


def _need_summary(need: VisitNeed) -> str:
    return _("%(description)s: %(times)s× %(per)s, %(minutes)s min") % {
        "description": need.description[:120],
        "times": need.times,
        "per": Per(need.per).label,
        "minutes": need.duration_minutes,
    }


def _validate_need(
    *,
    patient: Patient,
    description: str,
    kind: str,
    discipline: str,
    skills: Iterable[str] | None,
    duration_minutes: Any,
    times: Any,
    per: str,
    preferred_staff: User | None,
    errors: Errors,
) -> list[str]:
    if not description:
        errors.add("description", _("Say what the visit is for."))
    elif len(description) > 500:
        errors.add("description", _("At most 500 characters."))
    if kind not in VisitKind.values:
        errors.add("kind", _("A home visit or a teleconsultation."))
    if discipline not in PLANNED_DISCIPLINES:
        errors.add("discipline", _("Choose the discipline of the person who visits."))
    chosen = _skills(skills, errors)
    if duration_minutes is None:
        errors.add("duration_minutes", _("Say how long each visit takes."))
    else:
        _check_field(VisitNeed, "duration_minutes", duration_minutes, errors)
    if times is None:
        errors.add("times", _("Say how often."))
    else:
        try:
            VisitNeed._meta.get_field("times").run_validators(times)
        except ValidationError:
            errors.add("times", _("From 1 to 7 times a day or a week."))
    if per not in Per.values:
        errors.add("per", _("A day or a week."))
    if preferred_staff is not None and discipline in PLANNED_DISCIPLINES:
        problem = _preferred_staff_problem(preferred_staff, discipline, patient)
        if problem:
            errors.add("preferred_staff", problem)
    return chosen


@transaction.atomic
def add_visit_need(
    *,
    actor: User,
    patient: Patient,
    description: str,
    kind: str = VisitKind.HOME_VISIT,
    discipline: str,
    skills: Sequence[str] = (),
    duration_minutes: int,
    times: int,
    per: str,
    preferred_staff: User | None = None,
) -> VisitNeed:
    """A recurring visit the person needs, written by hand (the care plan's
    visits come through ``visit_need_from_intervention``)."""
    require_perm(actor, "visits.manage_visit_needs", patient)
    _require_in_care(patient)
    description = (description or "").strip()
    errors = Errors()
    chosen = _validate_need(
        patient=patient,
        description=description,
        kind=kind,
        discipline=discipline,
        skills=skills,
        duration_minutes=duration_minutes,
        times=times,
        per=per,
        preferred_staff=preferred_staff,
        errors=errors,
    )
    errors.raise_if_any()
    need = VisitNeed.objects.create(
        patient=patient,
        description=description,
        kind=kind,
        discipline=discipline,
        skills=chosen,
        duration_minutes=duration_minutes,
        times=times,
        per=per,
        preferred_staff=preferred_staff,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_NEED_ADDED,
        patient=patient,
        obj=need,
        summary=_("Visit need added: %(need)s") % {"need": _need_summary(need)},
        changes={
            "discipline": discipline,
            "skills": chosen,
            "preferred_staff": preferred_staff,
        },
    )
    return need


def _intervention_plan(intervention: Any) -> Any:
    return intervention.goal.need.plan


def _need_from_intervention(
    actor: User, patient: Patient, intervention: Any, *, skills: Sequence[str] = ()
) -> VisitNeed:
    """The shared part of one and of all: checks that need no permission again."""
    from hearth.careplans.choices import PlanStatus as CarePlanStatus

    plan = _intervention_plan(intervention)
    if plan.status != CarePlanStatus.ACTIVE:
        raise InvalidTransition(_("Only the active care plan's visits become visit needs."))
    if intervention.kind not in VISIT_KINDS_FROM_PLAN:
        message = _("Only home visits and teleconsultations are planned as visits.")
        raise ValidationFailed(message, field_errors={"intervention": [message]})
    if VisitNeed.objects.current().filter(intervention=intervention).exists():
        raise Conflict(_("This care-plan visit already has a visit need."))
    errors = Errors()
    preferred = intervention.responsible
    dropped = ""
    if preferred is not None:
        dropped = _preferred_staff_problem(preferred, intervention.discipline, patient)
        if dropped:
            preferred = None
    chosen = _validate_need(
        patient=patient,
        description=(intervention.description or "").strip(),
        kind=intervention.kind,
        discipline=intervention.discipline,
        skills=skills,
        duration_minutes=intervention.duration_minutes,
        times=intervention.times,
        per=intervention.per,
        preferred_staff=None,
        errors=errors,
    )
    if errors.by_field:
        # Say which care-plan line could not be taken, not only the rule.
        first = next(iter(errors.by_field.values()))[0]
        raise ValidationFailed(
            _("“%(intervention)s” cannot be planned as it stands: %(problem)s")
            % {"intervention": intervention.description[:80], "problem": first},
            field_errors=errors.by_field,
        )
    try:
        with transaction.atomic():
            need = VisitNeed.objects.create(
                patient=patient,
                intervention=intervention,
                description=intervention.description.strip(),
                kind=intervention.kind,
                discipline=intervention.discipline,
                skills=chosen,
                duration_minutes=intervention.duration_minutes,
                times=intervention.times,
                per=intervention.per,
                preferred_staff=preferred,
                created_by=actor,
            )
    except IntegrityError as error:
        raise Conflict(_("This care-plan visit already has a visit need.")) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_NEED_FROM_CARE_PLAN,
        patient=patient,
        obj=need,
        summary=_("Visit need from the care plan (v%(version)s): %(need)s")
        % {"version": plan.version, "need": _need_summary(need)},
        changes={
            "intervention": intervention,
            "preferred_staff": preferred,
            "preferred_staff_left_out": dropped,
        },
    )
    return need


@transaction.atomic
def visit_need_from_intervention(
    *, actor: User, intervention: Any, skills: Sequence[str] = ()
) -> VisitNeed:
    """A home visit or teleconsultation in the active care plan becomes a
    visit need with the plan's discipline, frequency and length; the person
    responsible in the plan becomes the preferred carer when they can be
    (same discipline, on the care team), else the need has none and the
    audit event says why."""
    plan = _intervention_plan(intervention)
    patient = plan.patient
    require_perm(actor, "visits.manage_visit_needs", patient)
    _require_in_care(patient)
    return _need_from_intervention(actor, patient, intervention, skills=skills)


@transaction.atomic
def sync_needs_from_care_plan(*, actor: User, patient: Patient) -> list[VisitNeed]:
    """Bring the visit needs in line with the active care plan: a need for
    each home visit and teleconsultation that has none, and the end of needs
    whose care-plan line belongs to a plan that is no longer in force (a new
    version copies its lines, so they would otherwise be planned twice).
    Needs written by hand are left alone. Safe to run again."""
    from hearth.careplans.models import CarePlan, PlanIntervention

    require_perm(actor, "visits.manage_visit_needs", patient)
    _require_in_care(patient)
    plan = CarePlan.objects.active().for_patient(patient).first()
    if plan is None:
        raise InvalidTransition(_("There is no active care plan to take visits from."))
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    outdated = (
        VisitNeed.objects.current()
        .filter(patient=patient, intervention__isnull=False)
        .exclude(intervention__goal__need__plan=plan)
    )
    now = clock.now()
    for need in outdated:
        need.ended_at = now
        need.ended_by = actor
        need.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=AuditEventType.VISIT_NEED_ENDED,
            patient=patient,
            obj=need,
            summary=_("Visit need ended (its care plan was replaced): %(need)s")
            % {"need": need.description[:200]},
        )
    interventions = (
        PlanIntervention.objects.filter(goal__need__plan=plan, kind__in=VISIT_KINDS_FROM_PLAN)
        .exclude(
            pk__in=VisitNeed.objects.current()
            .filter(intervention__isnull=False)
            .values("intervention")
        )
        .select_related("responsible", "goal__need__plan")
        .order_by("pk")
    )
    return [_need_from_intervention(actor, patient, row) for row in interventions]


@transaction.atomic
def end_visit_need(*, actor: User, need: VisitNeed) -> VisitNeed:
    """No more visits of this kind are planned; the need stays on record."""
    require_perm(actor, "visits.manage_visit_needs", need.patient)
    need = VisitNeed.objects.select_for_update().select_related("patient").get(pk=need.pk)
    if need.ended_at is not None:
        raise InvalidTransition(_("This visit need has already ended."))
    need.ended_at = clock.now()
    need.ended_by = actor
    need.save(update_fields=["ended_at", "ended_by"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_NEED_ENDED,
        patient=need.patient,
        obj=need,
        summary=_("Visit need ended: %(need)s") % {"need": need.description[:200]},
    )
    return need


# --- The family's time requests ----------------------------------------------------------


@transaction.atomic
def request_visit_time(
    *,
    actor: User,
    patient: Patient,
    date: date,
    kind: str,
    starts_at: time,
    ends_at: time,
    note: str = "",
) -> VisitTimeRequest:
    """The family asks, for one day, that visits come only between two times
    or not between them (a hospital appointment, a family gathering). The
    planner treats it as a wish for that day."""
    require_perm(actor, "visits.request_visit_time", patient)
    _require_in_care(patient)
    note = (note or "").strip()
    errors = Errors()
    today = clock.today()
    if date < today:
        errors.add("date", _("Choose today or a later day."))
    if kind not in TimeRequestKind.values:
        errors.add("kind", _("Choose “only between” or “not between”."))
    if starts_at >= ends_at:
        errors.add("ends_at", _("The end is after the start, on the same day."))
    elif date == today and _local(date, ends_at) <= clock.now():
        errors.add("ends_at", _("That time is already over today."))
    if len(note) > 300:
        errors.add("note", _("At most 300 characters."))
    errors.raise_if_any()
    request = VisitTimeRequest.objects.create(
        patient=patient,
        date=date,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_TIME_REQUEST_MADE,
        patient=patient,
        obj=request,
        summary=_("Visit time request for %(date)s: %(kind)s %(start)s–%(end)s")
        % {
            "date": date.isoformat(),
            "kind": TimeRequestKind(kind).label,
            "start": starts_at.strftime("%H:%M"),
            "end": ends_at.strftime("%H:%M"),
        },
        changes={"note": note},
    )
    return request


@transaction.atomic
def withdraw_visit_time_request(*, actor: User, request: VisitTimeRequest) -> VisitTimeRequest:
    require_perm(actor, "visits.request_visit_time", request.patient)
    request = (
        VisitTimeRequest.objects.select_for_update().select_related("patient").get(pk=request.pk)
    )
    if request.withdrawn_at is not None:
        raise InvalidTransition(_("This request was already withdrawn."))
    if request.date < clock.today():
        raise InvalidTransition(_("That day is over: the request stays on record."))
    request.withdrawn_at = clock.now()
    request.save(update_fields=["withdrawn_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_TIME_REQUEST_WITHDRAWN,
        patient=request.patient,
        obj=request,
        summary=_("Visit time request for %(date)s withdrawn") % {"date": request.date.isoformat()},
    )
    return request


# --- Teleconsultations -------------------------------------------------------------


def _participant_problem(user: User, patient: Patient) -> str:
    if access.on_care_team(user, patient):
        return ""
    if access.is_family_of(user, patient) or access.is_the_patient(user, patient):
        return ""
    return _("%(name)s is neither on the care team nor family of this person.") % {
        "name": user.display_name
    }


@transaction.atomic
def book_teleconsult(
    *,
    actor: User,
    patient: Patient,
    staff: User,
    starts_at: datetime,
    duration_minutes: int,
    video_link: str,
    participants: Sequence[User] = (),
    participants_note: str = "",
    purpose: str = "",
    need: VisitNeed | None = None,
    alert: Alert | None = None,
) -> Visit:
    """A video call at a set time. Unlike a home visit the family is told the
    exact time (their window is the call itself) and gets the link. Invited
    people must be on the care team or the person's own family; anyone else
    (an interpreter, the hospital team) is named in ``participants_note``."""
    require_perm(actor, "visits.book_teleconsult", patient)
    _require_in_care(patient)
    video_link = (video_link or "").strip()
    participants_note = (participants_note or "").strip()
    purpose = (purpose or "").strip()
    errors = Errors()
    start = _aware(starts_at, "starts_at", errors)
    if start is not None and start <= clock.now():
        errors.add("starts_at", _("Choose a time in the future."))
    low, high = TELECONSULT_MINUTES
    if not isinstance(duration_minutes, int) or not low <= duration_minutes <= high:
        errors.add(
            "duration_minutes",
            _("From %(low)s to %(high)s minutes.") % {"low": low, "high": high},
        )
    if not video_link:
        errors.add("video_link", _("Give the link of the video call."))
    else:
        try:
            URLValidator(schemes=["https"])(video_link)
        except ValidationError:
            errors.add("video_link", _("A secure link starting with https://."))
        if len(video_link) > 200:
            errors.add("video_link", _("At most 200 characters."))
    if not (
        staff.is_active
        and staff.kind == UserKind.STAFF
        and staff.discipline in CLINICAL_DISCIPLINES
        and access.on_care_team(staff, patient)
    ):
        errors.add("staff", _("Choose a clinician on this person's care team."))
    people = list(dict.fromkeys(participants))
    for person in people:
        problem = _participant_problem(person, patient)
        if problem:
            errors.add("participants", problem)
    if len(participants_note) > 300:
        errors.add("participants_note", _("At most 300 characters."))
    if len(purpose) > 500:
        errors.add("purpose", _("At most 500 characters."))
    if need is not None and (
        need.patient_id != patient.pk
        or need.ended_at is not None
        or need.kind != VisitKind.TELECONSULT
    ):
        errors.add("need", _("Not a current teleconsultation need of this person."))
    if alert is not None and alert.patient_id != patient.pk:
        errors.add("alert", _("Not an alert about this person."))
    errors.raise_if_any()
    assert start is not None
    end = start + timedelta(minutes=duration_minutes)
    visit = Visit.objects.create(
        patient=patient,
        staff=staff,
        kind=VisitKind.TELECONSULT,
        discipline=staff.discipline,
        purpose=purpose or (need.description if need else ""),
        need=need,
        alert=alert,
        plan=None,
        date=_local_date(start),
        planned_start=start,
        planned_end=end,
        # A call happens at a set time, so the family's window is the call itself.
        family_window_start=start,
        family_window_end=end,
        video_link=video_link,
        participants_note=participants_note,
    )
    if people:
        visit.participants.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.TELECONSULT_BOOKED,
        patient=patient,
        obj=visit,
        summary=_("Teleconsultation with %(name)s booked for %(when)s")
        % {
            "name": staff.display_name,
            "when": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
        },
        changes={
            "staff": staff,
            "starts_at": start,
            "duration_minutes": duration_minutes,
            "participants": [person.display_name for person in people],
            "participants_note": participants_note,
        },
    )
    return visit


# --- The visit record ---------------------------------------------------------------


def _lock_visit(visit: Visit) -> Visit:
    """Only the visit row: PostgreSQL cannot lock the nullable side of the
    outer joins to the alert and the urgent request."""
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("patient", "staff", "alert", "urgent_request__alert")
        .get(pk=visit.pk)
    )


def _moment(value: datetime | None, field: str, errors: Errors) -> datetime | None:
    moment = _aware(value, field, errors)
    if moment is not None and moment > clock.now() + CLOCK_SKEW:
        errors.add(field, _("Cannot be in the future."))
        return None
    return moment


@transaction.atomic
def arrive(*, actor: User, visit: Visit, at: datetime | None = None) -> Visit:
    """ "I am at the door" (or on the call): the visit is under way."""
    require_perm(actor, "visits.record_visit", visit)
    visit = _lock_visit(visit)
    if visit.status != VisitStatus.SCHEDULED:
        raise InvalidTransition(
            _("This visit is %(status)s: only a scheduled visit can start.")
            % {"status": visit.get_status_display().lower()}
        )
    errors = Errors()
    arrived = _moment(at or clock.now(), "at", errors)
    if arrived is not None and _local_date(arrived) != visit.date:
        errors.add("at", _("Arrival is on the day of the visit."))
    errors.raise_if_any()
    visit.arrived_at = arrived
    visit.status = VisitStatus.UNDER_WAY
    visit.save(update_fields=["arrived_at", "status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_ARRIVED,
        patient=visit.patient,
        obj=visit,
        summary=_("%(kind)s started at %(at)s")
        % {
            "kind": visit.get_kind_display(),
            "at": timezone.localtime(arrived).strftime("%H:%M") if arrived else "",
        },
    )
    return visit


@transaction.atomic
def add_visit_note(*, actor: User, visit: Visit, text: str) -> VisitNote:
    """A note in the author's discipline; a chaplain's and a nurse's notes
    on the same visit stay apart."""
    require_perm(actor, "visits.record_visit", visit)
    visit = _lock_visit(visit)
    if visit.status == VisitStatus.CANCELLED:
        raise InvalidTransition(_("This visit was cancelled."))
    text = (text or "").strip()
    require(bool(text), "text", _("Write the note."))
    require(len(text) <= 10000, "text", _("At most 10,000 characters."))
    note = VisitNote.objects.create(
        visit=visit, discipline=actor.discipline or "", text=text, written_by=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VISIT_NOTE_ADDED,
        patient=visit.patient,
        obj=note,
        summary=_("Visit note (%(discipline)s): %(text)s")
        % {"discipline": actor.discipline, "text": text[:150]},
    )
    return note


VITAL_SIGNS = (
    "pulse",
    "systolic_pressure",
    "diastolic_pressure",
    "respiratory_rate",
    "temperature",
    "oxygen_saturation",
)


def linked_alert(visit: Visit) -> Alert | None:
    """The alert a visit answers: its own, or its urgent request's."""
    if visit.alert_id:
        return visit.alert
    if visit.urgent_request_id and visit.urgent_request and visit.urgent_request.alert_id:
        return visit.urgent_request.alert
    return None


def _vital_signs(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in VITAL_SIGNS:
        value: Any = values.get(name)
        if value is None or value == "":
            clean[name] = None
            continue
        try:
            number: Any = (
                Decimal(str(value)).quantize(Decimal("0.1"))
                if name == "temperature"
                else int(value)
            )
        except (InvalidOperation, TypeError, ValueError):
            errors.add(name, _("Give a number."))
            continue
        if name != "temperature" and Decimal(str(value)) != number:
            errors.add(name, _("Give a whole number."))
            continue
        _check_field(Visit, name, number, errors)
        clean[name] = number
    pressure_errors = "systolic_pressure" in errors.by_field or (
        "diastolic_pressure" in errors.by_field
    )
    systolic, diastolic = clean.get("systolic_pressure"), clean.get("diastolic_pressure")
    if pressure_errors:
        return clean
    if (systolic is None) != (diastolic is None):
        errors.add(
            "diastolic_pressure" if diastolic is None else "systolic_pressure",
            _("Give both blood pressure numbers, or neither."),
        )
    elif systolic is not None and diastolic is not None and diastolic >= systolic:
        errors.add("diastolic_pressure", _("The lower number is below the upper one."))
    return clean


def _check_pps(actor: User, patient: Patient, pps: Any, errors: Errors) -> None:
    if pps is None:
        return
    if not isinstance(pps, int) or not 0 <= pps <= 100 or pps % 10:
        errors.add("pps", _("PPS is 0 to 100 in steps of 10."))
    elif not actor.has_perm("assessments.record_clinical_assessment", patient):
        errors.add("pps", _("Only a physician or nurse records the PPS."))


def _check_phase(actor: User, patient: Patient, phase: str | None, errors: Errors) -> None:
    from hearth.assessments.choices import Phase

    if not phase:
        return
    if phase not in Phase.values:
        errors.add("phase", _("Not a known phase of illness."))
    elif not actor.has_perm("assessments.set_phase", patient):
        errors.add("phase", _("Only a physician or nurse records the phase of illness."))


def _check_alert_outcome(
    actor: User, alert: Alert | None, outcome: str | None, errors: Errors
) -> None:
    if alert is None:
        if outcome:
            errors.add("alert_outcome", _("This visit answers no alert."))
        return
    if outcome and outcome not in AlertOutcome.values:
        errors.add("alert_outcome", _("Resolved, or still needs attention."))
        return
    if not alert.is_open:
        if outcome == AlertOutcome.STILL_OPEN:
            errors.add("alert_outcome", _("The alert was already resolved."))
        return
    if not outcome:
        errors.add(
            "alert_outcome",
            _("This visit answers an alert: say whether it is resolved or still needs attention."),
        )
    elif outcome == AlertOutcome.RESOLVED and not actor.has_perm("monitoring.act_on_alert", alert):
        errors.add(
            "alert_outcome",
            _("Only a physician or nurse resolves an alert: choose “still needs attention”."),
        )


def _triage_outcome_for(visit: Visit) -> str:
    from hearth.monitoring.choices import TriageOutcome

    if visit.kind == VisitKind.TELECONSULT:
        return TriageOutcome.TELECONSULT
    if visit.discipline == Discipline.PHYSICIAN:
        return TriageOutcome.URGENT_PHYSICIAN_VISIT
    return TriageOutcome.NURSE_VISIT


def _settle_alert(actor: User, visit: Visit, alert: Alert, outcome: str) -> None:
    """Through the monitoring app's own services: an alert nobody triaged is
    triaged first (as this visit), since an alert is only resolved after a
    triage; a request that triage raises on the way is answered by this visit."""
    from hearth.monitoring import services as monitoring

    when = timezone.localtime(visit.departed_at or clock.now()).strftime("%Y-%m-%d %H:%M")
    what = visit.actions_taken[:200]
    if outcome == AlertOutcome.RESOLVED:
        if not alert.is_open:
            return
        if not alert.triage_outcome:
            pending = set(
                UrgentVisitRequest.objects.filter(
                    alert=alert,
                    status__in=[UrgentRequestStatus.WAITING, UrgentRequestStatus.SCHEDULED],
                ).values_list("pk", flat=True)
            )
            alert = monitoring.triage_alert(
                actor=actor,
                alert=alert,
                outcome=_triage_outcome_for(visit),
                note=_("Seen at a %(kind)s on %(when)s.")
                % {"kind": visit.get_kind_display().lower(), "when": when},
            )
            UrgentVisitRequest.objects.filter(
                alert=alert, status=UrgentRequestStatus.WAITING
            ).exclude(pk__in=pending).update(status=UrgentRequestStatus.DONE)
        monitoring.resolve_alert(
            actor=actor,
            alert=alert,
            note=_("Resolved at the %(kind)s on %(when)s: %(what)s")
            % {"kind": visit.get_kind_display().lower(), "when": when, "what": what},
        )
        return
    # The monitoring app has no "add a note to an alert" service: the visit
    # keeps the outcome and the audit trail says the alert still needs attention.
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALERT_STILL_OPEN_AFTER_VISIT,
        patient=visit.patient,
        obj=alert,
        summary=_("Alert still needs attention after the %(kind)s on %(when)s: %(what)s")
        % {"kind": visit.get_kind_display().lower(), "when": when, "what": what},
        changes={"visit": visit},
    )


@transaction.atomic
def close_visit(
    *,
    actor: User,
    visit: Visit,
    departed_at: datetime | None,
    actions_taken: str,
    arrived_at: datetime | None = None,
    notes: str = "",
    pulse: Any = None,
    systolic_pressure: Any = None,
    diastolic_pressure: Any = None,
    respiratory_rate: Any = None,
    temperature: Any = None,
    oxygen_saturation: Any = None,
    pps: int | None = None,
    phase: str | None = None,
    phase_end_reason: str = "",
    alert_outcome: str | None = None,
) -> Visit:
    """What happened: when, what was done, the vital signs, and (through the
    assessments app) the PPS and the phase of illness. A visit that answers an
    alert says whether the alert is resolved (then it is resolved through the
    monitoring app) or still needs attention; its urgent request is done."""
    require_perm(actor, "visits.record_visit", visit)
    visit = _lock_visit(visit)
    patient = visit.patient
    if visit.status not in (VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY):
        raise InvalidTransition(
            _("This visit is %(status)s: it cannot be closed again.")
            % {"status": visit.get_status_display().lower()}
        )
    actions_taken = (actions_taken or "").strip()
    notes = (notes or "").strip()
    errors = Errors()
    arrived = _moment(arrived_at, "arrived_at", errors) if arrived_at else visit.arrived_at
    if arrived is None and not errors.by_field.get("arrived_at"):
        errors.add("arrived_at", _("Say when the visit started."))
    departed = _moment(departed_at, "departed_at", errors) if departed_at else None
    if departed_at is None:
        errors.add("departed_at", _("Say when the visit ended."))
    if arrived is not None and departed is not None and departed <= arrived:
        errors.add("departed_at", _("The visit ends after it starts."))
    if arrived is not None and _local_date(arrived) != visit.date:
        errors.add("arrived_at", _("Arrival is on the day of the visit."))
    if not actions_taken:
        errors.add("actions_taken", _("Say what was done."))
    vitals = _vital_signs(
        {
            "pulse": pulse,
            "systolic_pressure": systolic_pressure,
            "diastolic_pressure": diastolic_pressure,
            "respiratory_rate": respiratory_rate,
            "temperature": temperature,
            "oxygen_saturation": oxygen_saturation,
        },
        errors,
    )
    _check_pps(actor, patient, pps, errors)
    _check_phase(actor, patient, phase, errors)
    alert = linked_alert(visit)
    if alert is not None:
        alert = Alert.objects.select_related("patient").get(pk=alert.pk)
    _check_alert_outcome(actor, alert, alert_outcome, errors)
    errors.raise_if_any()
    assert arrived is not None and departed is not None

    before_status = visit.status
    visit.arrived_at = arrived
    visit.departed_at = departed
    visit.actions_taken = actions_taken
    for name, value in vitals.items():
        setattr(visit, name, value)
    visit.alert_outcome = alert_outcome or ""
    visit.status = VisitStatus.COMPLETED
    visit.closed_by = actor
    visit.closed_at = clock.now()
    visit.save()
    if notes:
        VisitNote.objects.create(
            visit=visit, discipline=actor.discipline or "", text=notes, written_by=actor
        )

    recorded: dict[str, Any] = {}
    if pps is not None or phase:
        from hearth.assessments import services as assessments
        from hearth.assessments.choices import Context

        context = Context.TELECONSULT if visit.kind == VisitKind.TELECONSULT else Context.HOME_VISIT
        if pps is not None:
            response = assessments.record_assessment(
                actor=actor,
                patient=patient,
                instrument="pps",
                answers={"level": pps},
                assessed_at=departed,
                context=context,
            )
            recorded["pps"] = {"level": pps, "response": response}
        if phase:
            current = assessments.current_phase(patient)
            if current is None or current.phase != phase:
                when = timezone.localtime(departed).strftime("%Y-%m-%d")
                reason = (phase_end_reason or "").strip() or _(
                    "Reassessed at the %(kind)s on %(when)s."
                ) % {"kind": visit.get_kind_display().lower(), "when": when}
                try:
                    started = assessments.start_phase(
                        actor=actor,
                        patient=patient,
                        phase=phase,
                        end_reason=reason if current is not None else "",
                        started_at=departed,
                    )
                except ValidationFailed as error:
                    raise ValidationFailed(
                        error.message, field_errors={"phase": [error.message]}
                    ) from error
                recorded["phase"] = {"phase": phase, "record": started}
            else:
                recorded["phase"] = {"phase": phase, "unchanged": True}

    if alert is not None and alert_outcome:
        _settle_alert(actor, visit, alert, alert_outcome)
    request = visit.urgent_request
    if request is not None and request.status in (
        UrgentRequestStatus.WAITING,
        UrgentRequestStatus.SCHEDULED,
    ):
        request.status = UrgentRequestStatus.DONE
        request.save(update_fields=["status"])

    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_COMPLETED,
        patient=patient,
        obj=visit,
        summary=_("%(kind)s by %(name)s completed: %(what)s")
        % {
            "kind": visit.get_kind_display(),
            "name": visit.staff.display_name,
            "what": actions_taken[:150],
        },
        changes={
            "status": {"from": before_status, "to": VisitStatus.COMPLETED},
            "arrived_at": arrived,
            "departed_at": departed,
            "vital_signs": {name: value for name, value in vitals.items() if value is not None},
            "pps": pps,
            "phase": phase,
            "alert_outcome": alert_outcome or "",
        },
    )
    return visit


@transaction.atomic
def cancel_visit(*, actor: User, visit: Visit, reason: str) -> Visit:
    """A visit that will not happen. An urgent request it was answering goes
    back to waiting, so the coordinator places it again."""
    require_perm(actor, "visits.cancel_visit", visit)
    visit = _lock_visit(visit)
    if visit.status != VisitStatus.SCHEDULED:
        raise InvalidTransition(
            _("This visit is %(status)s: only a scheduled visit can be cancelled.")
            % {"status": visit.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the visit is cancelled."))
    require(len(reason) <= 300, "reason", _("At most 300 characters."))
    visit.status = VisitStatus.CANCELLED
    visit.cancelled_reason = reason
    visit.closed_by = actor
    visit.closed_at = clock.now()
    visit.save(update_fields=["status", "cancelled_reason", "closed_by", "closed_at"])
    request = visit.urgent_request
    if (
        request is not None
        and request.status == UrgentRequestStatus.SCHEDULED
        and not request.visits.filter(
            status__in=[VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY]
        ).exists()
    ):
        request.status = UrgentRequestStatus.WAITING
        request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VISIT_CANCELLED,
        patient=visit.patient,
        obj=visit,
        summary=_("%(kind)s on %(date)s cancelled: %(reason)s")
        % {
            "kind": visit.get_kind_display(),
            "date": visit.date.isoformat(),
            "reason": reason[:200],
        },
    )
    return visit
