"""Care plan, team meeting and advance care plan pages. Same services as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hearth.allergies.queries import allergy_summary
from hearth.careplans import conflicts, queries, services
from hearth.careplans.choices import Domain, PlanStatus
from hearth.careplans.forms import (
    AdvanceCarePlanForm,
    AssessedNeedForm,
    AssessmentForm,
    CarePlanForm,
    PlanGoalForm,
    PlanInterventionForm,
    PlanNeedForm,
    SignForm,
    TeamMeetingForm,
)
from hearth.careplans.models import (
    AdvanceCarePlan,
    CarePlan,
    CarePlanReviewTask,
    PlanGoal,
    PlanIntervention,
    PlanNeed,
)
from hearth.careplans.pdf import advance_care_plan_pdf, care_plan_pdf
from hearth.core import dates
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotFound
from hearth.core.web import (
    AuthenticatedRequest,
    form_page,
    refusal,
    show_domain_error,
    staff_required,
)
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.web import open_for, with_patient, with_portal_patient


def _get(model: Any, object_id: Any, *related: str) -> Any:
    obj = model.objects.select_related(*related).filter(external_id=object_id).first()
    if obj is None:
        raise Http404
    return obj


def _plan_url(plan: CarePlan) -> Callable[[Any], str]:
    return lambda _result: reverse("care_plan_version", args=[plan.external_id])


# --- Overview --------------------------------------------------------------------


@staff_required
def care_plan_home(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plans = list(queries.with_tree(queries.plans_for(patient)))
        active = next((p for p in plans if p.status == PlanStatus.ACTIVE), None)
        draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
        return render(
            request,
            "careplans/home.html",
            {
                "patient": patient,
                "active": active,
                "draft": draft,
                "plans": plans,
                "conflicts": conflicts.find_conflicts(active) if active else [],
                "assessments": queries.assessments_for(patient)[:5],
                "meetings": queries.meetings_for(patient)[:10],
                "reviews": [task for task in queries.review_tasks_for(patient) if task.is_open],
                "can_edit": request.user.has_perm("careplans.change_care_plan", patient),
            },
        )

    return with_patient(
        request, patient_id, "careplans.view_care_plan", build, AuditEventType.CARE_PLAN_VIEWED
    )


NeedFormSet = forms.formset_factory(AssessedNeedForm, extra=0)


@staff_required
def add_assessment(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """One form for the six domains; empty rows are skipped."""

    def build(patient: Patient) -> HttpResponse:
        initial = [{"domain": domain} for domain in Domain.values]
        form = AssessmentForm(request.POST or None)
        formset = NeedFormSet(request.POST or None, initial=initial * 2, prefix="needs")
        for need_form in formset.forms:
            need_form.empty_permitted = True
            need_form.use_required_attribute = False
        status = 200
        if request.method == "POST":
            if form.is_valid() and formset.is_valid():
                needs = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("description")]
                try:
                    services.record_holistic_assessment(
                        actor=request.user,
                        patient=patient,
                        needs=needs,
                        **form.cleaned_data,
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                    status = 422
                else:
                    messages.success(request, _("Assessment recorded."))
                    return redirect("care_plan_home", patient_id=patient.external_id)
            else:
                status = 422
        return render(
            request,
            "careplans/assessment_form.html",
            {"patient": patient, "form": form, "formset": formset},
            status=status,
        )

    return with_patient(request, patient_id, "careplans.change_care_plan", build)


class StartDraftForm(forms.Form):
    assessment = forms.ChoiceField(
        label=gettext_lazy("Add the needs of an assessment"), required=False
    )


@staff_required
def start_draft(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        assessments = list(queries.assessments_for(patient)[:10])

        class Form(StartDraftForm):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.fields["assessment"].choices = [("", "—")] + [  # type: ignore[attr-defined]
                    (
                        str(a.external_id),
                        f"{dates.day_month_year(a.assessed_on)} — {a.assessed_by.display_name}",
                    )
                    for a in assessments
                ]

        def perform(data: dict[str, Any]) -> CarePlan:
            chosen = next(
                (a for a in assessments if str(a.external_id) == data.get("assessment")), None
            )
            return services.start_care_plan_draft(
                actor=request.user,
                patient=patient,
                from_assessment=chosen,
            )

        return form_page(
            request,
            form_class=Form,
            title=_("Start a new version of the care plan"),
            perform=perform,
            success_url=lambda plan: reverse("care_plan_version", args=[plan.external_id]),
            success_message=_(
                "Draft started: it copies the active plan. Change it, then activate."
            ),
            context={"patient": patient},
            submit_label=_("Start the draft"),
        )

    return with_patient(request, patient_id, "careplans.change_care_plan", build)


@staff_required
def plan_version(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")

    def build(patient: Patient) -> HttpResponse:
        full = (
            queries.with_tree(CarePlan.objects.filter(pk=plan.pk))
            .select_related("created_by", "activated_by", "based_on")
            .get()
        )
        return render(
            request,
            "careplans/plan.html",
            {
                "patient": patient,
                "plan": full,
                "conflicts": conflicts.find_conflicts(full),
                "can_edit": full.is_draft
                and request.user.has_perm("careplans.change_care_plan", patient),
            },
        )

    return with_patient(
        request,
        plan.patient.external_id,
        "careplans.view_care_plan",
        build,
        AuditEventType.CARE_PLAN_VIEWED,
    )


def _draft_form(
    request: AuthenticatedRequest,
    plan: CarePlan,
    *,
    form_class: type[forms.BaseForm],
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=form_class,  # type: ignore[arg-type]
            title=title,
            perform=perform,
            success_url=_plan_url(plan),
            success_message=_("Saved."),
            context={"patient": patient},
            initial=initial,
        )

    return with_patient(request, plan.patient.external_id, "careplans.change_care_plan", build)


@staff_required
def edit_plan(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")
    return _draft_form(
        request,
        plan,
        form_class=CarePlanForm,
        title=_("Summary and review date"),
        perform=lambda data: services.update_care_plan(
            actor=request.user,
            plan=plan,
            changes=data,
        ),
        initial={"summary": plan.summary, "review_date": plan.review_date},
    )


@staff_required
def add_need(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")
    return _draft_form(
        request,
        plan,
        form_class=PlanNeedForm,
        title=_("Add a need"),
        perform=lambda data: services.add_need(actor=request.user, plan=plan, **data),
    )


@staff_required
def add_goal(request: AuthenticatedRequest, need_id: Any) -> HttpResponse:
    need = _get(PlanNeed, need_id, "plan__patient")
    return _draft_form(
        request,
        need.plan,
        form_class=PlanGoalForm,
        title=_("Add a goal for “%(need)s”") % {"need": need.description},
        perform=lambda data: services.add_goal(actor=request.user, need=need, **data),
    )


@staff_required
def add_intervention(request: AuthenticatedRequest, goal_id: Any) -> HttpResponse:
    goal = _get(PlanGoal, goal_id, "need__plan__patient")

    def perform(data: dict[str, Any]) -> PlanIntervention:
        responsible = data.pop("responsible", None)
        data["responsible"] = str(responsible.external_id) if responsible else None
        return services.add_intervention(actor=request.user, goal=goal, **data)

    return _draft_form(
        request,
        goal.need.plan,
        form_class=PlanInterventionForm,
        title=_("Add an intervention for “%(goal)s”") % {"goal": goal.in_own_words},
        perform=perform,
    )


def _plan_post(
    request: AuthenticatedRequest, plan: CarePlan, act: Callable[[], Any], done: str
) -> HttpResponse:
    try:
        open_for(request, plan.patient.external_id, "careplans.view_care_plan")
        result = act()
    except DomainError as error:
        if error.status in (403, 404):
            return refusal(request, error)
        messages.error(request, error.message)
        for field_messages in error.field_errors.values():
            for text in field_messages:
                if text != error.message:
                    messages.error(request, text)
        return redirect("care_plan_version", plan_id=plan.external_id)
    messages.success(request, done)
    target = result if isinstance(result, CarePlan) else plan
    return redirect("care_plan_version", plan_id=target.external_id)


@staff_required
@require_POST
def remove_item(request: AuthenticatedRequest, kind: str, item_id: Any) -> HttpResponse:
    models = {
        "need": (PlanNeed, "plan__patient", "plan"),
        "goal": (PlanGoal, "need__plan__patient", "need__plan"),
        "intervention": (PlanIntervention, "goal__need__plan__patient", "goal__need__plan"),
    }
    if kind not in models:
        raise Http404
    model, related, path = models[kind]
    item = _get(model, item_id, related)
    plan = item
    for step in path.split("__"):
        plan = getattr(plan, step)
    return _plan_post(
        request,
        plan,
        lambda: services.remove_plan_item(actor=request.user, item=item),
        _("Removed from the draft."),
    )


@staff_required
@require_POST
def activate(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")
    return _plan_post(
        request,
        plan,
        lambda: services.activate_care_plan(actor=request.user, plan=plan),
        _("This version is now the active care plan."),
    )


@staff_required
@require_POST
def discard(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")
    try:
        open_for(request, plan.patient.external_id, "careplans.view_care_plan")
        services.discard_care_plan_draft(actor=request.user, plan=plan)
    except DomainError as error:
        if error.status in (403, 404):
            return refusal(request, error)
        messages.error(request, error.message)
        return redirect("care_plan_version", plan_id=plan.external_id)
    messages.success(request, _("Draft discarded."))
    return redirect("care_plan_home", patient_id=plan.patient.external_id)


@staff_required
def plan_document(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")
    return with_patient(
        request,
        plan.patient.external_id,
        "careplans.view_care_plan",
        lambda _patient: care_plan_pdf(request, plan),
        AuditEventType.CARE_PLAN_PRINTED,
    )


@staff_required
def plan_diff(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    plan = _get(CarePlan, plan_id, "patient")

    def build(patient: Patient) -> HttpResponse:
        against = request.GET.get("against") or None
        try:
            older, newer = queries.versions_to_compare(plan, against)
        except NotFound as error:
            messages.info(request, error.message)
            return redirect("care_plan_version", plan_id=plan.external_id)
        return render(
            request,
            "careplans/diff.html",
            {
                "patient": patient,
                "older": older,
                "newer": newer,
                "lines": queries.diff_plans(older, newer),
            },
        )

    return with_patient(
        request,
        plan.patient.external_id,
        "careplans.view_care_plan",
        build,
        AuditEventType.CARE_PLAN_VIEWED,
    )


@staff_required
def add_meeting(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        draft = queries.plans_for(patient).filter(status=PlanStatus.DRAFT).first()

        class Form(TeamMeetingForm):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if draft is None:
                    del self.fields["approve_plan"]
                else:
                    self.fields["approve_plan"].label = _(
                        "The meeting approved draft version %(version)s of the care plan"
                    ) % {"version": draft.version}

        def perform(data: dict[str, Any]) -> Any:
            return services.record_team_meeting(
                actor=request.user,
                patient=patient,
                held_on=data["held_on"],
                attendee_ids=[user.external_id for user in data["attendees"]],
                other_attendees=data["other_attendees"],
                discussion=data["discussion"],
                decisions=data["decisions"],
                approve_plan=draft if data.get("approve_plan") else None,
            )

        return form_page(
            request,
            form_class=Form,
            title=_("Record an interdisciplinary team meeting"),
            perform=perform,
            success_url=lambda _r: reverse("care_plan_home", args=[patient.external_id]),
            success_message=_("Meeting recorded."),
            context={"patient": patient},
        )

    return with_patient(request, patient_id, "careplans.change_care_plan", build)


# --- Advance care plan ---------------------------------------------------------------


@staff_required
def acp_home(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plans = list(
            AdvanceCarePlan.objects.filter(patient=patient).select_related(
                "created_by", "signed_by"
            )
        )
        return render(
            request,
            "careplans/acp_home.html",
            {
                "patient": patient,
                "plans": plans,
                "acp": next((p for p in plans if p.status == "current"), None),
                "draft": next((p for p in plans if p.status == "draft"), None),
                "can_draft": request.user.has_perm("careplans.draft_advance_care_plan", patient),
            },
        )

    return with_patient(
        request,
        patient_id,
        "careplans.view_care_plan",
        build,
        AuditEventType.ADVANCE_CARE_PLANS_VIEWED,
    )


@staff_required
@require_POST
def acp_start(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    try:
        patient = open_for(request, patient_id, "careplans.view_care_plan")
        plan = services.start_advance_care_plan(actor=request.user, patient=patient)
    except DomainError as error:
        if error.status in (403, 404):
            return refusal(request, error)
        messages.error(request, error.message)
        return redirect("acp_home", patient_id=patient_id)
    return redirect("acp_edit", acp_id=plan.external_id)


@staff_required
def acp_detail(request: AuthenticatedRequest, acp_id: Any) -> HttpResponse:
    plan = _get(AdvanceCarePlan, acp_id, "patient", "signed_by", "created_by")

    def build(patient: Patient) -> HttpResponse:
        from hearth.core import clock

        return render(
            request,
            "careplans/acp_detail.html",
            {
                "patient": patient,
                "plan": plan,
                "problems": plan.signing_problems(clock.today()) if plan.status == "draft" else {},
                "can_edit": plan.status == "draft"
                and request.user.has_perm("careplans.draft_advance_care_plan", patient),
                "can_sign": plan.status == "draft"
                and request.user.has_perm("careplans.sign_advance_care_plan", patient),
            },
        )

    return with_patient(
        request,
        plan.patient.external_id,
        "careplans.view_care_plan",
        build,
        AuditEventType.ADVANCE_CARE_PLAN_VIEWED,
    )


@staff_required
def acp_edit(request: AuthenticatedRequest, acp_id: Any) -> HttpResponse:
    plan = _get(AdvanceCarePlan, acp_id, "patient")

    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=AdvanceCarePlanForm,
            title=_("Advance care plan, version %(version)s (draft)") % {"version": plan.version},
            perform=lambda data: services.update_advance_care_plan(
                actor=request.user,
                plan=plan,
                changes=data,  # type: ignore[arg-type]
            ),
            success_url=lambda _r: reverse("acp_detail", args=[plan.external_id]),
            success_message=_("Draft saved. A physician signs it when it is complete."),
            context={"patient": patient},
            initial={field: getattr(plan, field) for field in AdvanceCarePlan.CONTENT_FIELDS},
        )

    return with_patient(
        request, plan.patient.external_id, "careplans.draft_advance_care_plan", build
    )


@staff_required
def acp_sign(request: AuthenticatedRequest, acp_id: Any) -> HttpResponse:
    plan = _get(AdvanceCarePlan, acp_id, "patient")

    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=SignForm,
            title=_("Sign the advance care plan"),
            perform=lambda _data: services.sign_advance_care_plan(
                actor=request.user,
                plan=plan,  # type: ignore[arg-type]
            ),
            success_url=lambda _r: reverse("acp_detail", args=[plan.external_id]),
            success_message=_("Signed. This is now the plan shown in an emergency."),
            context={"patient": patient, "plan": plan, "signing_warning": True},
            submit_label=_("Sign"),
            template="careplans/acp_sign.html",
        )

    return with_patient(
        request, plan.patient.external_id, "careplans.sign_advance_care_plan", build
    )


@login_required
def acp_document(request: AuthenticatedRequest, acp_id: Any) -> HttpResponse:
    plan = _get(AdvanceCarePlan, acp_id, "patient", "signed_by")

    def build(patient: Patient) -> HttpResponse:
        if plan.status == "draft" and not request.user.has_perm(
            "careplans.view_care_plan", patient
        ):
            raise Http404
        return advance_care_plan_pdf(request, plan)

    return with_patient(
        request,
        plan.patient.external_id,
        "careplans.view_advance_care_plan",
        build,
        AuditEventType.ADVANCE_CARE_PLAN_PRINTED,
    )


@staff_required
def emergency_summary(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The first page after break-the-glass access: the decisions that matter
    in the next ten minutes, before anything else."""

    def build(patient: Patient) -> HttpResponse:
        acp = queries.current_advance_care_plan(patient)
        return render(
            request,
            "careplans/emergency.html",
            {
                "patient": patient,
                "acp": acp,
                "acp_url": reverse("acp_detail", args=[acp.external_id]) if acp else "",
                "allergies": allergy_summary(patient),
                "emergency": access.reached_only_by_emergency_access(request.user, patient),
            },
        )

    return with_patient(
        request,
        patient_id,
        "careplans.view_care_plan",
        build,
        AuditEventType.EMERGENCY_SUMMARY_VIEWED,
    )


@login_required
def portal_care_plan(request: AuthenticatedRequest) -> HttpResponse:
    """The family's view: goals in the person's words, who helps and how often,
    and the signed emergency decisions."""

    def build(patient: Patient) -> HttpResponse:
        plan = queries.with_tree(queries.plans_for(patient).active()).first()
        return render(
            request,
            "careplans/portal_care_plan.html",
            {
                "patient": patient,
                "summary": queries.family_summary(plan) if plan else None,
                "acp": queries.current_advance_care_plan(patient),
            },
        )

    return with_portal_patient(
        request, "careplans.view_plan_summary", build, AuditEventType.PORTAL_CARE_PLAN_VIEWED
    )


# --- Care plan reviews after a change of phase ---------------------------------------


class ReviewNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the review found"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy(
            "For example: goals and interventions still fit; or what was stopped or changed. "
            "Activating a new version of the plan also records the review."
        ),
    )


class ReviewDismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why no review is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


def _review_page(
    request: AuthenticatedRequest,
    task_id: Any,
    *,
    form_class: type[forms.Form],
    title: str,
    perform: Callable[[CarePlanReviewTask, dict[str, Any]], Any],
    done: str,
    submit_label: str,
) -> HttpResponse:
    task = _get(CarePlanReviewTask, task_id, "patient")

    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=form_class,
            title=f"{title}: {task.reason}",
            perform=lambda data: perform(task, data),
            success_url=lambda _result: reverse("care_plan_home", args=[patient.external_id]),
            success_message=done,
            context={"patient": patient},
            submit_label=submit_label,
        )

    return with_patient(request, task.patient.external_id, "careplans.change_care_plan", build)


@staff_required
def complete_review(request: AuthenticatedRequest, task_id: Any) -> HttpResponse:
    return _review_page(
        request,
        task_id,
        form_class=ReviewNoteForm,
        title=_("Record the care plan review"),
        perform=lambda task, data: services.complete_care_plan_review(
            actor=request.user, task=task, note=data["note"]
        ),
        done=_("Review recorded."),
        submit_label=_("Record the review"),
    )


@staff_required
def dismiss_review(request: AuthenticatedRequest, task_id: Any) -> HttpResponse:
    return _review_page(
        request,
        task_id,
        form_class=ReviewDismissForm,
        title=_("Dismiss the care plan review"),
        perform=lambda task, data: services.dismiss_care_plan_review(
            actor=request.user, task=task, reason=data["reason"]
        ),
        done=_("Review dismissed."),
        submit_label=_("Dismiss"),
    )
