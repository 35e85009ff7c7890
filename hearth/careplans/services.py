"""Every change to assessments, care plans, team meetings and advance care plans.

Versioning rule for both plans: only a draft changes. Activating a care plan
(or signing an advance care plan) freezes it and supersedes the one before, in
the same transaction, under a lock on the patient row, so two clinicians
activating at once still leave exactly one active plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.careplans.choices import AcpStatus, PlanStatus, ReviewTaskStatus, ReviewTrigger
from hearth.careplans.forms import (
    AdvanceCarePlanForm,
    AssessedNeedForm,
    AssessmentForm,
    CarePlanForm,
    PlanGoalForm,
    PlanInterventionForm,
    PlanNeedForm,
    TeamMeetingForm,
)
from hearth.careplans.models import (
    AdvanceCarePlan,
    AssessedNeed,
    CarePlan,
    CarePlanReviewTask,
    HolisticAssessment,
    PlanGoal,
    PlanIntervention,
    PlanNeed,
    TeamMeeting,
)
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm, unknown_keys, validated_form
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment, Patient
from hearth.personhood.models import EndOfLifeWishes, InformationPreferences, ValuesAndGoals


def _check_fields(data: Mapping[str, Any], allowed: Sequence[str]) -> None:
    errors = Errors()
    unknown_keys(data, allowed, errors)
    errors.raise_if_any()


# --- Holistic assessment ------------------------------------------------------


@transaction.atomic
def record_holistic_assessment(
    *,
    actor: User,
    patient: Patient,
    assessed_on: date | str,
    needs: Sequence[Mapping[str, Any]],
    summary: str = "",
) -> HolisticAssessment:
    """One assessment across the six domains; each need has a severity."""
    require_perm(actor, "careplans.change_care_plan", patient)
    header = validated_form(AssessmentForm(data={"assessed_on": assessed_on, "summary": summary}))
    if header["assessed_on"] > clock.today():
        raise ValidationFailed(
            _("The assessment date cannot be in the future."),
            field_errors={"assessed_on": [_("Cannot be in the future.")]},
        )
    if not needs:
        raise ValidationFailed(
            _("List at least one need (or write that there are none in the summary)."),
            field_errors={"needs": [_("At least one need.")]},
        )
    cleaned_needs = []
    errors = Errors()
    for index, need in enumerate(needs):
        form = AssessedNeedForm(data=dict(need))
        if not form.is_valid():
            for field, field_errors in form.errors.items():
                for message in field_errors:
                    errors.add(f"needs[{index}].{field}", str(message))
            continue
        cleaned_needs.append(form.cleaned_data)
    errors.raise_if_any()
    assessment = HolisticAssessment.objects.create(
        patient=patient,
        assessed_on=header["assessed_on"],
        summary=header["summary"],
        assessed_by=actor,
        recorded_at=clock.now(),
    )
    AssessedNeed.objects.bulk_create(
        AssessedNeed(assessment=assessment, **need) for need in cleaned_needs
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ASSESSMENT_HOLISTIC_RECORDED,
        patient=patient,
        obj=assessment,
        summary=messages.text(
            gettext_noop("Holistic assessment recorded (%(count)s needs)"), count=len(cleaned_needs)
        ),
    )
    return assessment


# --- Care plan drafts -----------------------------------------------------------


def _next_version(model: Any, patient: Patient) -> int:
    return int(model.objects.filter(patient=patient).aggregate(top=Max("version"))["top"] or 0) + 1


def _copy_content(source: CarePlan, target: CarePlan) -> None:
    for need in source.needs.prefetch_related("goals__interventions"):
        new_need = PlanNeed.objects.create(
            plan=target,
            domain=need.domain,
            description=need.description,
            severity=need.severity,
            from_assessment=need.from_assessment,
        )
        for goal in need.goals.all():
            new_goal = PlanGoal.objects.create(
                need=new_need,
                in_own_words=goal.in_own_words,
                measurable_target=goal.measurable_target,
                target_date=goal.target_date,
            )
            PlanIntervention.objects.bulk_create(
                PlanIntervention(
                    goal=new_goal,
                    description=item.description,
                    kind=item.kind,
                    discipline=item.discipline,
                    responsible_id=item.responsible_id,
                    times=item.times,
                    per=item.per,
                    duration_minutes=item.duration_minutes,
                    food_contains=list(item.food_contains),
                )
                for item in goal.interventions.all()
            )


@transaction.atomic
def start_care_plan_draft(
    *, actor: User, patient: Patient, from_assessment: HolisticAssessment | None = None
) -> CarePlan:
    """A new version starts as a copy of the active plan (or empty), plus the
    needs of an assessment if one is given."""
    require_perm(actor, "careplans.change_care_plan", patient)
    lock(Patient, patient.pk)
    if CarePlan.objects.for_patient(patient).filter(status=PlanStatus.DRAFT).exists():
        raise Conflict(_("There is already a draft care plan. Finish or discard it first."))
    if from_assessment is not None and from_assessment.patient_id != patient.pk:
        raise ValidationFailed(
            _("That assessment belongs to another patient."),
            field_errors={"assessment_id": [_("Not this patient's assessment.")]},
        )
    active = CarePlan.objects.for_patient(patient).active().first()
    plan = CarePlan.objects.create(
        patient=patient,
        version=_next_version(CarePlan, patient),
        status=PlanStatus.DRAFT,
        summary=active.summary if active else "",
        review_date=None,
        based_on=active,
        created_by=actor,
        created_at=clock.now(),
    )
    if active:
        _copy_content(active, plan)
    if from_assessment is not None:
        PlanNeed.objects.bulk_create(
            PlanNeed(
                plan=plan,
                domain=need.domain,
                description=need.description,
                severity=need.severity,
                from_assessment=need,
            )
            for need in from_assessment.needs.all()
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CARE_PLAN_DRAFT_STARTED,
        patient=patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Care plan version %(version)s drafted"), version=plan.version
        ),
    )
    return plan


def _still_a_draft(plan: CarePlan) -> CarePlan:
    """The plan as locked, if it is still a draft: only a draft changes."""
    if plan.status != PlanStatus.DRAFT:
        raise InvalidTransition(
            _("Version %(version)s is %(status)s and can no longer change; start a new draft.")
            % {"version": plan.version, "status": plan.get_status_display().lower()}
        )
    return plan


@transaction.atomic
def update_care_plan(*, actor: User, plan: CarePlan, changes: Mapping[str, Any]) -> CarePlan:
    require_perm(actor, "careplans.change_care_plan", plan.patient)
    _check_fields(changes, list(CarePlanForm.base_fields))
    plan = _still_a_draft(lock(CarePlan, plan.pk, related=("patient",)))
    fields = list(CarePlanForm.base_fields)
    before = {field: getattr(plan, field) for field in fields}
    validated_form(CarePlanForm(data={**before, **changes}, instance=plan))
    changed = audit.diff(before, {field: getattr(plan, field) for field in fields})
    if changed:
        plan.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.CARE_PLAN_DRAFT_CHANGED,
            patient=plan.patient,
            obj=plan,
            summary=messages.text(gettext_noop("Care plan draft changed")),
            changes=changed,
        )
    return plan


def _item_event(
    actor: User, plan: CarePlan, event: AuditEventType, summary: messages.Message
) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=event,
        patient=plan.patient,
        obj=plan,
        summary=summary,
    )


@transaction.atomic
def add_need(*, actor: User, plan: CarePlan, **details: Any) -> PlanNeed:
    require_perm(actor, "careplans.change_care_plan", plan.patient)
    _check_fields(details, list(PlanNeedForm.base_fields))
    plan = _still_a_draft(lock(CarePlan, plan.pk, related=("patient",)))
    need = PlanNeed(plan=plan)
    validated_form(PlanNeedForm(data=details, instance=need))
    need.save()
    _item_event(
        actor,
        plan,
        AuditEventType.CARE_PLAN_NEED_ADDED,
        messages.text(gettext_noop("Need added: %(text)s"), text=need.description),
    )
    return need


@transaction.atomic
def add_goal(*, actor: User, need: PlanNeed, **details: Any) -> PlanGoal:
    require_perm(actor, "careplans.change_care_plan", need.plan.patient)
    _check_fields(details, list(PlanGoalForm.base_fields))
    plan = _still_a_draft(lock(CarePlan, need.plan.pk, related=("patient",)))
    goal = PlanGoal(need=need)
    validated_form(PlanGoalForm(data=details, instance=goal))
    goal.save()
    _item_event(
        actor,
        plan,
        AuditEventType.CARE_PLAN_GOAL_ADDED,
        messages.text(gettext_noop("Goal added: %(text)s"), text=goal.in_own_words),
    )
    return goal


@transaction.atomic
def add_intervention(*, actor: User, goal: PlanGoal, **details: Any) -> PlanIntervention:
    """An intervention with a frequency and a duration becomes a visit need
    for the planner; ``responsible`` is a staff member's external id."""
    require_perm(actor, "careplans.change_care_plan", goal.need.plan.patient)
    _check_fields(details, list(PlanInterventionForm.base_fields))
    plan = _still_a_draft(lock(CarePlan, goal.need.plan.pk, related=("patient",)))
    intervention = PlanIntervention(goal=goal)
    validated_form(PlanInterventionForm(data=details, instance=intervention))
    intervention.save()
    _item_event(
        actor,
        plan,
        AuditEventType.CARE_PLAN_INTERVENTION_ADDED,
        messages.text(gettext_noop("Intervention added: %(text)s"), text=intervention.description),
    )
    return intervention


@transaction.atomic
def remove_plan_item(*, actor: User, item: PlanNeed | PlanGoal | PlanIntervention) -> CarePlan:
    """Take an item (and what hangs under it) out of a draft. Active and
    superseded versions keep theirs: the earlier version is the history."""
    if isinstance(item, PlanNeed):
        plan = item.plan
    elif isinstance(item, PlanGoal):
        plan = item.need.plan
    else:
        plan = item.goal.need.plan
    require_perm(actor, "careplans.change_care_plan", plan.patient)
    plan = _still_a_draft(lock(CarePlan, plan.pk, related=("patient",)))
    text = str(item)
    item.delete()
    _item_event(
        actor,
        plan,
        AuditEventType.CARE_PLAN_ITEM_REMOVED,
        messages.text(gettext_noop("Removed from the draft: %(text)s"), text=text),
    )
    return plan


@transaction.atomic
def discard_care_plan_draft(*, actor: User, plan: CarePlan) -> CarePlan:
    require_perm(actor, "careplans.change_care_plan", plan.patient)
    plan = _still_a_draft(lock(CarePlan, plan.pk, related=("patient",)))
    plan.status = PlanStatus.DISCARDED
    plan.ended_at = clock.now()
    plan.save(update_fields=["status", "ended_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.CARE_PLAN_DRAFT_DISCARDED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Care plan draft version %(version)s discarded"), version=plan.version
        ),
    )
    return plan


def _activation_problems(plan: CarePlan) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    needs = list(plan.needs.prefetch_related("goals__interventions"))
    if not needs:
        problems["needs"] = [_("Add at least one need with a goal and an intervention.")]
    for need in needs:
        goals = list(need.goals.all())
        if not goals:
            problems.setdefault("needs", []).append(
                _("“%(need)s” has no goal yet.") % {"need": need.description}
            )
        for goal in goals:
            if not goal.interventions.all():
                problems.setdefault("needs", []).append(
                    _("Goal “%(goal)s” has no intervention yet.") % {"goal": goal.in_own_words}
                )
    if plan.review_date is None:
        problems["review_date"] = [_("Set a review date.")]
    elif plan.review_date <= clock.today():
        problems["review_date"] = [_("The review date must be in the future.")]
    return problems


def _activate(actor: User, plan: CarePlan, meeting: TeamMeeting | None = None) -> CarePlan:
    problems = _activation_problems(plan)
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first, field_errors=problems)
    now = clock.now()
    previous = CarePlan.objects.for_patient(plan.patient).active().first()
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
    plan.status = PlanStatus.ACTIVE
    plan.activated_by = actor
    plan.activated_at = now
    plan.save(update_fields=["status", "activated_by", "activated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.CARE_PLAN_ACTIVATED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Care plan version %(version)s is now active"), version=plan.version
        ),
        changes={
            "superseded_version": previous.version if previous else None,
            "meeting": str(meeting.external_id) if meeting else None,
        },
    )
    _reviewed_by_new_version(actor, plan)
    return plan


@transaction.atomic
def activate_care_plan(*, actor: User, plan: CarePlan) -> CarePlan:
    require_perm(actor, "careplans.change_care_plan", plan.patient)
    lock(Patient, plan.patient.pk)
    return _activate(actor, _still_a_draft(lock(CarePlan, plan.pk, related=("patient",))))


@transaction.atomic
def record_team_meeting(
    *,
    actor: User,
    patient: Patient,
    held_on: date | str,
    attendee_ids: Sequence[Any],
    decisions: str,
    other_attendees: str = "",
    discussion: str = "",
    approve_plan: CarePlan | None = None,
) -> TeamMeeting:
    """Minutes of an interdisciplinary team meeting. If it approved the draft
    plan, that draft becomes the active version in the same transaction."""
    require_perm(actor, "careplans.change_care_plan", patient)
    lock(Patient, patient.pk)
    meeting = TeamMeeting(patient=patient, recorded_by=actor, recorded_at=clock.now())
    form = TeamMeetingForm(
        data={
            "held_on": held_on,
            "attendees": [str(item) for item in attendee_ids],
            "other_attendees": other_attendees,
            "discussion": discussion,
            "decisions": decisions,
        },
        instance=meeting,
    )
    data = validated_form(form)
    if data["held_on"] > clock.today():
        raise ValidationFailed(
            _("A meeting cannot be recorded before it happens."),
            field_errors={"held_on": [_("Cannot be in the future.")]},
        )
    if approve_plan is not None:
        if approve_plan.patient_id != patient.pk:
            raise ValidationFailed(
                _("That care plan belongs to another patient."),
                field_errors={"approve_plan_id": [_("Not this patient's plan.")]},
            )
        approve_plan = _still_a_draft(lock(CarePlan, approve_plan.pk, related=("patient",)))
        meeting.approved_plan = approve_plan
    form.save()
    if approve_plan is not None:
        _activate(actor, approve_plan, meeting)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.TEAM_MEETING_RECORDED,
        patient=patient,
        obj=meeting,
        summary=messages.text(
            gettext_noop("Team meeting recorded (%(count)s staff)"), count=len(data["attendees"])
        ),
        changes={"approved_plan_version": approve_plan.version if approve_plan else None},
    )
    return meeting


# --- Advance care plan -------------------------------------------------------------


def _prefill_from_profile(patient: Patient) -> dict[str, Any]:
    """A first draft starts from what the person already told the team."""
    values = ValuesAndGoals.objects.filter(patient=patient).first()
    wishes = EndOfLifeWishes.objects.filter(patient=patient).first()
    information = InformationPreferences.objects.filter(patient=patient).first()
    prefill: dict[str, Any] = {}
    if values:
        prefill["what_matters"] = values.what_matters_most
    if wishes:
        prefill["preferred_place_of_care"] = wishes.preferred_place_of_care
        prefill["preferred_place_of_death"] = wishes.preferred_place_of_death
    if information and information.decision_maker_name:
        prefill["proxy_name"] = information.decision_maker_name
        prefill["proxy_relationship"] = information.decision_maker_relationship
        prefill["proxy_phone"] = information.decision_maker_phone
    diagnoses = "; ".join(
        f"{d.icd10_code} {d.text}" for d in patient.diagnoses.current().order_by("-is_primary")
    )
    if diagnoses:
        prefill["relevant_information"] = diagnoses
    return prefill


@transaction.atomic
def start_advance_care_plan(*, actor: User, patient: Patient) -> AdvanceCarePlan:
    require_perm(actor, "careplans.draft_advance_care_plan", patient)
    lock(Patient, patient.pk)
    if AdvanceCarePlan.objects.filter(patient=patient, status=AcpStatus.DRAFT).exists():
        raise Conflict(_("There is already a draft advance care plan. Finish it first."))
    current = AdvanceCarePlan.objects.filter(patient=patient).current().first()
    if current is not None:
        content = {field: getattr(current, field) for field in AdvanceCarePlan.CONTENT_FIELDS}
        content["review_date"] = None
    else:
        content = _prefill_from_profile(patient)
    now = clock.now()
    plan = AdvanceCarePlan.objects.create(
        patient=patient,
        version=_next_version(AdvanceCarePlan, patient),
        based_on=current,
        created_by=actor,
        created_at=now,
        updated_at=now,
        **content,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ADVANCE_CARE_PLAN_DRAFT_STARTED,
        patient=patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Advance care plan version %(version)s drafted"), version=plan.version
        ),
    )
    return plan


def _still_an_acp_draft(plan: AdvanceCarePlan) -> AdvanceCarePlan:
    """The advance care plan as locked, if it is still a draft: a signed one never changes."""
    if plan.status != AcpStatus.DRAFT:
        raise InvalidTransition(_("A signed advance care plan cannot change; start a new version."))
    return plan


@transaction.atomic
def update_advance_care_plan(
    *, actor: User, plan: AdvanceCarePlan, changes: Mapping[str, Any]
) -> AdvanceCarePlan:
    require_perm(actor, "careplans.draft_advance_care_plan", plan.patient)
    _check_fields(changes, AdvanceCarePlan.CONTENT_FIELDS)
    plan = _still_an_acp_draft(lock(AdvanceCarePlan, plan.pk, related=("patient",)))
    fields = AdvanceCarePlan.CONTENT_FIELDS
    before = {field: getattr(plan, field) for field in fields}
    validated_form(AdvanceCarePlanForm(data={**before, **changes}, instance=plan))
    changed = audit.diff(before, {field: getattr(plan, field) for field in fields})
    if changed:
        plan.updated_at = clock.now()
        plan.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.ADVANCE_CARE_PLAN_DRAFT_CHANGED,
            patient=plan.patient,
            obj=plan,
            summary=messages.text(gettext_noop("Advance care plan draft changed")),
            changes=changed,
        )
    return plan


@transaction.atomic
def sign_advance_care_plan(*, actor: User, plan: AdvanceCarePlan) -> AdvanceCarePlan:
    """Only a physician signs. Signing makes this version the one an
    out-of-hours clinician sees first, and supersedes the one before."""
    require_perm(
        actor,
        "careplans.sign_advance_care_plan",
        plan.patient,
        message=_("Only a physician on the care team can sign an advance care plan."),
    )
    lock(Patient, plan.patient.pk)
    plan = _still_an_acp_draft(lock(AdvanceCarePlan, plan.pk, related=("patient",)))
    problems = plan.signing_problems(clock.today())
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first, field_errors=problems)
    now = clock.now()
    previous = AdvanceCarePlan.objects.filter(patient=plan.patient).current().first()
    if previous is not None:
        previous.status = AcpStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
    plan.status = AcpStatus.CURRENT
    plan.signed_by = actor
    plan.signed_at = now
    plan.save(update_fields=["status", "signed_by", "signed_at"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.ADVANCE_CARE_PLAN_SIGNED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(
            gettext_noop("Advance care plan version %(version)s signed: %(cpr)s, %(focus)s"),
            version=plan.version,
            cpr=messages.choice(plan, "cpr"),
            focus=messages.choice(plan, "focus_of_care"),
        ),
        changes={"superseded_version": previous.version if previous else None},
    )
    return plan


# --- Care plan reviews after a change of phase ---------------------------------------

#: Who is asked first: the named lead physician and key nurse; if the team has
#: none named, its physicians and nurses.
_KEY_ROLES = (CareTeamRole.LEAD_PHYSICIAN, CareTeamRole.KEY_NURSE)
_FALLBACK_ROLES = (CareTeamRole.PHYSICIAN, CareTeamRole.NURSE)
_MAX_OUTCOME = 4000


def key_clinicians(patient: Patient) -> list[User]:
    """The patient's lead physician and key nurse (each role falls back to the
    team's other physicians or nurses when nobody holds it)."""
    current = list(
        CareTeamAssignment.objects.current()
        .filter(patient=patient, staff__is_active=True)
        .filter(role__in=_KEY_ROLES + _FALLBACK_ROLES)
        .select_related("staff")
        .order_by("id")
    )
    chosen: list[User] = []
    for key_role, fallback in zip(_KEY_ROLES, _FALLBACK_ROLES, strict=True):
        named = [a.staff for a in current if a.role == key_role]
        for person in named or [a.staff for a in current if a.role == fallback]:
            if person not in chosen:
                chosen.append(person)
    return chosen


def ask_for_review_after_phase_change(*, actor: Any, phase: Any, **_kwargs: Any) -> None:
    """Receiver of ``patients.signals.phase_of_illness_started``, inside the
    transaction that started the phase: entering a phase named in
    ``HEARTH_CARE_PLAN_REVIEW_PHASES`` (terminal, unstable) opens a review task
    for the key clinicians. The phase was recorded by someone allowed to; the
    task is the service's prompt, so no further permission is checked."""
    if phase.phase not in settings.HEARTH_CARE_PLAN_REVIEW_PHASES:
        return
    if phase.phase not in ReviewTrigger.values:
        return
    open_phase_review(
        actor=actor,
        patient=phase.patient,
        phase=phase.phase,
        started_at=phase.started_at,
        phase_record_id=phase.pk,
    )


def open_phase_review(
    *, actor: Any, patient: Patient, phase: str, started_at: Any, phase_record_id: int
) -> CarePlanReviewTask:
    """One review task per phase start (a second call returns the first)."""
    existing = CarePlanReviewTask.objects.filter(
        patient=patient, phase_record_id=phase_record_id
    ).first()
    if existing is not None:
        return existing
    task = CarePlanReviewTask.objects.create(
        patient=patient,
        phase=phase,
        phase_started_at=started_at,
        phase_record_id=phase_record_id,
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    people = key_clinicians(patient)
    task.assignees.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CARE_PLAN_REVIEW_TASK_CREATED,
        patient=patient,
        obj=task,
        summary=messages.text(
            gettext_noop("Care plan review asked for: %(reason)s"), reason=task.reason_message
        ),
        changes={"phase": phase, "for": [person.display_name for person in people]},
    )
    return task


def _close_review(
    *,
    actor: Any,
    task: CarePlanReviewTask,
    status: str,
    outcome: str | messages.Message,
    plan: CarePlan | None,
) -> CarePlanReviewTask:
    """``outcome`` is what a clinician typed, or the service's own words as a
    ``Message`` (kept as a key, read in each reader's language)."""
    task.status = status
    task.outcome, task.outcome_key, task.outcome_params = messages.stored(
        outcome, language=settings.LANGUAGE_CODE
    )
    task.closed_at = clock.now()
    task.closed_by = actor if getattr(actor, "pk", None) else None
    task.reviewed_in = plan
    task.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_key",
            "outcome_params",
            "closed_at",
            "closed_by",
            "reviewed_in",
        ]
    )
    completed = status == ReviewTaskStatus.COMPLETED
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.CARE_PLAN_REVIEW_TASK_COMPLETED
        if completed
        else AuditEventType.CARE_PLAN_REVIEW_TASK_DISMISSED,
        patient=task.patient,
        obj=task,
        summary=messages.text(
            gettext_noop("Care plan review done: %(text)s")
            if completed
            else gettext_noop("Care plan review dismissed: %(text)s"),
            text=outcome if isinstance(outcome, messages.Message) else outcome[:200],
        ),
        changes={
            "status": status,
            "outcome": task.outcome,
            "plan_version": plan.version if plan else None,
        },
    )
    return task


def _reviewed_by_new_version(actor: Any, plan: CarePlan) -> None:
    """A version activated after the phase changed is the review: every open
    review task of the patient is done, naming the version."""
    tasks = CarePlanReviewTask.objects.select_for_update().open().filter(patient=plan.patient)
    for task in tasks:
        _close_review(
            actor=actor,
            task=task,
            status=ReviewTaskStatus.COMPLETED,
            outcome=messages.text(
                gettext_noop("Care plan version %(version)s activated."), version=plan.version
            ),
            plan=plan,
        )


def _open_review(
    actor: User, task: CarePlanReviewTask, field: str, text: str
) -> tuple[CarePlanReviewTask, str]:
    require_perm(actor, "careplans.change_care_plan", task.patient)
    text = (text or "").strip()
    require(
        bool(text),
        field,
        _("Say what the review found.") if field == "note" else _("Say why."),
    )
    require(len(text) <= _MAX_OUTCOME, field, _("At most 4000 characters."))
    locked = lock(CarePlanReviewTask, task.pk, related=("patient",))
    if not locked.is_open:
        raise InvalidTransition(_("This review is already closed."))
    return locked, text


@transaction.atomic
def complete_care_plan_review(
    *, actor: User, task: CarePlanReviewTask, note: str
) -> CarePlanReviewTask:
    """A recorded review without a new version ("goals still fit; meals
    stopped"): ``note`` says what the review found."""
    locked, text = _open_review(actor, task, "note", note)
    return _close_review(
        actor=actor, task=locked, status=ReviewTaskStatus.COMPLETED, outcome=text, plan=None
    )


@transaction.atomic
def dismiss_care_plan_review(
    *, actor: User, task: CarePlanReviewTask, reason: str
) -> CarePlanReviewTask:
    """Not needed (the phase was recorded in error, reviewed elsewhere): with a reason."""
    locked, text = _open_review(actor, task, "reason", reason)
    return _close_review(
        actor=actor, task=locked, status=ReviewTaskStatus.DISMISSED, outcome=text, plan=None
    )


def end_open_reviews(*, actor: Any, patient: Patient) -> None:
    """When home care ends, open review tasks are dismissed: nothing left to review."""
    for task in CarePlanReviewTask.objects.select_for_update().open().filter(patient=patient):
        _close_review(
            actor=actor,
            task=task,
            status=ReviewTaskStatus.DISMISSED,
            outcome=messages.text(gettext_noop("Home care ended.")),
            plan=None,
        )
