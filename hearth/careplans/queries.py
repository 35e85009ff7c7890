"""Reads of care plans and advance care plans: the plan tree, version diffs,
the emergency summary."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hearth.allergies.queries import allergy_summary
from hearth.careplans.choices import PlanStatus, ReviewTaskStatus, ReviewTrigger
from hearth.careplans.models import (
    AdvanceCarePlan,
    CarePlan,
    CarePlanQuerySet,
    CarePlanReviewTask,
    CarePlanReviewTaskQuerySet,
    HolisticAssessment,
    PlanGoal,
    PlanNeed,
    TeamMeeting,
)
from hearth.core import audit, dates
from hearth.core.audit_events import AuditEventType
from hearth.core.latest import first_per_group
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.queries import WorklistColumn


def plans_for(patient: Patient) -> CarePlanQuerySet:
    return (
        CarePlan.objects.for_patient(patient)
        .exclude(status=PlanStatus.DISCARDED)
        .select_related("created_by", "activated_by")
    )


def with_tree(plans: CarePlanQuerySet) -> CarePlanQuerySet:
    return plans.prefetch_related(
        Prefetch(
            "needs",
            queryset=PlanNeed.objects.prefetch_related(
                Prefetch(
                    "goals",
                    queryset=PlanGoal.objects.prefetch_related("interventions__responsible"),
                )
            ),
        )
    )


def plan_lines(plan: CarePlan) -> list[str]:
    """The plan as indented lines, the unit of a readable diff, in the reader's
    language (dates too: a review date reads "22 December 2026", not ISO)."""
    lines = [
        _("Review date: %(date)s")
        % {"date": dates.day_month_year(plan.review_date) if plan.review_date else "—"},
        _("Summary: %(text)s") % {"text": plan.summary or "—"},
    ]
    for need in plan.needs.all():
        lines.append(
            _("Need [%(domain)s, %(severity)s]: %(description)s")
            % {
                "domain": need.get_domain_display(),
                "severity": need.get_severity_display(),
                "description": need.description,
            }
        )
        for goal in need.goals.all():
            target = goal.measurable_target
            if goal.target_date:
                target = _("%(target)s (by %(date)s)") % {
                    "target": target,
                    "date": dates.day_month_year(goal.target_date),
                }
            lines.append(
                "    "
                + _("Goal: %(words)s — %(target)s") % {"words": goal.in_own_words, "target": target}
            )
            for item in goal.interventions.all():
                who = item.responsible.display_name if item.responsible else ""
                detail = ", ".join(
                    part
                    for part in (item.get_discipline_display(), who, item.frequency_label)
                    if part
                )
                lines.append(
                    "        "
                    + _("Intervention: %(description)s (%(detail)s)")
                    % {"description": item.description, "detail": detail}
                )
    return lines


@dataclass
class DiffLine:
    change: str  # "added", "removed" or "same"
    text: str


def diff_plans(older: CarePlan, newer: CarePlan) -> list[DiffLine]:
    """Line-by-line differences between two versions, both fully prefetched."""
    marks = {"+ ": "added", "- ": "removed", "  ": "same"}
    return [
        DiffLine(marks[line[:2]], line[2:])
        for line in difflib.ndiff(plan_lines(older), plan_lines(newer))
        if line[:2] in marks
    ]


def assessments_for(patient: Patient) -> QuerySet[HolisticAssessment]:
    return (
        HolisticAssessment.objects.filter(patient=patient)
        .select_related("assessed_by")
        .prefetch_related("needs")
    )


def meetings_for(patient: Patient) -> QuerySet[TeamMeeting]:
    return (
        TeamMeeting.objects.filter(patient=patient)
        .select_related("recorded_by", "approved_plan")
        .prefetch_related("attendees")
    )


def current_advance_care_plan(patient: Patient) -> AdvanceCarePlan | None:
    return (
        AdvanceCarePlan.objects.filter(patient=patient)
        .current()
        .select_related("signed_by")
        .first()
    )


def emergency_summary(patient: Patient) -> dict[str, Any]:
    """What an out-of-hours clinician needs first: CPR status, focus of care,
    preferred place of death, proxy contact, from the current signed plan only."""
    plan = current_advance_care_plan(patient)
    return {
        "patient": patient,
        "plan": plan,
        "has_plan": plan is not None,
        # Allergies are on the emergency summary (shared/CLINICAL.md, issue 19).
        "allergies": allergy_summary(patient),
    }


def family_summary(plan: CarePlan) -> dict[str, Any]:
    """The active plan in the family's terms: no staff notes, no severities."""
    goals, support = [], []
    for need in plan.needs.all():
        for goal in need.goals.all():
            goals.append(goal.in_own_words)
            for item in goal.interventions.all():
                line = item.description
                if item.frequency_label:
                    line += f" ({item.frequency_label})"
                support.append(line)
    return {
        "version": plan.version,
        "summary": plan.summary,
        "review_date": plan.review_date,
        "goals": goals,
        "support": support,
    }


def versions_to_compare(plan: CarePlan, against: Any = None) -> tuple[CarePlan, CarePlan]:
    """(older, newer), both with their whole tree loaded."""
    from hearth.core.errors import NotFound

    if against is not None:
        other = CarePlan.objects.filter(patient=plan.patient, external_id=against).first()
        if other is None:
            raise NotFound(_("No such version of this patient's care plan."))
    else:
        other = plan.based_on
        if other is None:
            raise NotFound(_("This is the first version; there is nothing to compare with."))
    pair = {p.pk: p for p in with_tree(CarePlan.objects.filter(pk__in=[plan.pk, other.pk]))}
    older, newer = (
        sorted(pair.values(), key=lambda p: p.version)
        if len(pair) == 2
        else (
            pair[plan.pk],
            pair[plan.pk],
        )
    )
    return older, newer


def emergency_summary_data(patient: Patient) -> dict[str, Any]:
    plan = current_advance_care_plan(patient)
    # Allergies are on the emergency summary, signed plan or not (issue 19).
    allergies = allergy_summary(patient)
    if plan is None:
        return {"has_signed_plan": False, "allergies": allergies}
    proxy = ", ".join(
        part for part in (plan.proxy_name, plan.proxy_relationship, plan.proxy_phone) if part
    )
    return {
        "has_signed_plan": True,
        "version": plan.version,
        "cpr": plan.cpr,
        "cpr_label": plan.get_cpr_display(),
        "focus_of_care": plan.focus_of_care,
        "focus_of_care_label": plan.get_focus_of_care_display(),
        "preferred_place_of_death": plan.preferred_place_of_death or None,
        "proxy": proxy or None,
        "signed_by": plan.signed_by.display_name if plan.signed_by else None,
        "signed_at": plan.signed_at,
        "review_date": plan.review_date,
        "allergies": allergies,
    }


# --- Care plan reviews after a change of phase ----------------------------------------


def _review_tasks() -> CarePlanReviewTaskQuerySet:
    return CarePlanReviewTask.objects.select_related(
        "patient", "closed_by", "reviewed_in"
    ).prefetch_related("assignees")


#: Open review tasks first, then newest first; ``id`` makes the order unique.
REVIEW_TASK_ORDER = ("closed_rank", "-created_at", "-id")


def review_task_rows(patient: Patient) -> CarePlanReviewTaskQuerySet:
    """Every review task of the patient, open first, newest first, ordered by
    the database (``closed_rank`` is 0 for an open task, 1 otherwise) so the
    API can page it."""
    return (
        _review_tasks()
        .for_patient(patient)
        .annotate(
            closed_rank=Case(
                When(status=ReviewTaskStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by(*REVIEW_TASK_ORDER)
    )


def review_tasks_for(patient: Patient) -> list[CarePlanReviewTask]:
    """Every review task of the patient, open first, newest first."""
    return list(review_task_rows(patient))


def open_review_task_rows(actor: Any) -> CarePlanReviewTaskQuerySet:
    """Open review tasks for every patient ``actor`` may see, oldest first, not
    yet audited: the caller audits what it shows (``audit_review_tasks_listed``)."""
    return (
        _review_tasks()
        .open()
        .filter(patient__in=access.patients_visible_to(actor))
        .order_by("created_at", "id")
    )


def audit_review_tasks_listed(actor: Any, tasks: Sequence[CarePlanReviewTask]) -> None:
    """One list-view event per patient whose review task ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.CARE_PLAN_REVIEW_TASKS_LISTED,
        patients=[task.patient for task in tasks],
    )


def open_review_tasks(actor: Any) -> list[CarePlanReviewTask]:
    """Open review tasks for every patient ``actor`` may see, oldest first
    (audited as listed)."""
    tasks = list(open_review_task_rows(actor))
    audit_review_tasks_listed(actor, tasks)
    return tasks


def review_worklist_columns(patient_ids: Sequence[int]) -> list[WorklistColumn]:
    """ "Care plan review": the oldest open review task of each patient, in one
    query whatever the number of patients, linking to the care plan."""
    # The oldest open task of each listed patient, picked by the database.
    oldest: dict[int, CarePlanReviewTask] = {
        task.patient_id: task
        for task in first_per_group(
            CarePlanReviewTask.objects.open()
            .filter(patient_id__in=list(patient_ids))
            .select_related("patient"),
            group_by="patient_id",
            order_by=("created_at", "id"),
        )
    }
    cells = {
        patient_id: {
            "text": (
                _("Review the plan: terminal phase since %(date)s")
                if task.phase == ReviewTrigger.TERMINAL
                else _("Review the plan: unstable phase since %(date)s")
            )
            % {"date": dates.date_format(timezone.localtime(task.phase_started_at), "j M")},
            "css": "alert-medium",
            "url": reverse("care_plan_home", args=[task.patient.external_id]),
        }
        for patient_id, task in oldest.items()
    }
    return [WorklistColumn(key="care_plan_review", title=_("Care plan review"), cells=cells)]
