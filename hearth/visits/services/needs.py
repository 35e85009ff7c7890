"""Visit needs: how often each person needs which kind of visit, written by
hand or taken from the care plan's interventions, so planning follows the
plan the team agreed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User
from hearth.careplans.choices import frequency
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.visits.choices import Per, VisitKind
from hearth.visits.models import VisitNeed
from hearth.visits.services.checks import (
    PLANNED_DISCIPLINES,
    _check_field,
    _is_planned_staff,
    _require_in_care,
    _skills,
)

#: Care-plan intervention kinds that become visit needs.
VISIT_KINDS_FROM_PLAN = (VisitKind.HOME_VISIT, VisitKind.TELECONSULT)


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


def _need_summary(need: VisitNeed) -> messages.Message:
    """ "Morning care: 2× a day, 30 min", kept as keys so the frequency reads
    in each reader's language with its plural form."""
    return messages.text(
        gettext_noop("%(description)s: %(frequency)s"),
        description=need.description[:120],
        frequency=frequency(need.times, need.per, need.duration_minutes),
    )


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
        summary=messages.text(gettext_noop("Visit need added: %(need)s"), need=_need_summary(need)),
        changes={"discipline": discipline, "skills": chosen, "preferred_staff": preferred_staff},
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
        summary=messages.text(
            gettext_noop("Visit need from the care plan (v%(version)s): %(need)s"),
            version=plan.version,
            need=_need_summary(need),
        ),
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
            summary=messages.text(
                gettext_noop("Visit need ended (its care plan was replaced): %(need)s"),
                need=need.description[:200],
            ),
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
        summary=messages.text(
            gettext_noop("Visit need ended: %(need)s"), need=need.description[:200]
        ),
    )
    return need
