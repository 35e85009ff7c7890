"""Team pages: my support page, training and compliance, mandatory courses,
the wellbeing check-in (own) and its summary (clinical lead), case-load and
debriefs after a death.

Every write goes through ``hearth.team.services``; a refusal shows on the
form it came from, or as the refusal page for a page the person may not open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.web import AuthenticatedRequest, page_with_way_back, refusal, staff_required
from hearth.patients.models import CareTeamAssignment, Patient
from hearth.team import queries, services
from hearth.team.choices import WELLBEING_ANCHORS, ComplianceState, WellbeingItem
from hearth.team.forms import (
    DebriefForm,
    EditMandatoryCourseForm,
    MandatoryCourseForm,
    ReasonForm,
    TrainingForm,
    WellbeingForm,
)
from hearth.team.models import MandatoryCourse, TrainingReminder


def _refuse(request: HttpRequest, message: str | None = None) -> HttpResponse:
    return refusal(request, NotAllowed(message or _("Your role does not allow this.")))


# --- My support page -------------------------------------------------------------------


@staff_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's own page: training, reminders, wellbeing, case-load."""
    actor = request.user
    compliance = queries.compliance(staff=actor)
    return render(
        request,
        "team/home.html",
        {
            "records": queries.training_records_for(actor, actor).filter(withdrawn_at__isnull=True)[
                :20
            ],
            "reminders": queries.own_reminders(actor),
            "compliance": compliance[0] if compliance else None,
            "caseload": queries.own_caseload(actor)
            if actor.has_perm("team.view_caseload", actor)
            else None,
            "sees_everyones_caseload": actor.has_perm("team.view_everyones_caseload"),
            "checked_in_this_month": queries.own_check_ins(actor)
            .filter(period=services.month_of(clock.today()))
            .exists(),
            "reminder_days": services.reminder_days(),
        },
    )


# --- Training ---------------------------------------------------------------------------


@staff_required
def training(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    everyone = actor.has_perm("team.view_everyones_training")
    staff = queries.find_staff(request.GET.get("staff")) if everyone else None
    records = queries.training_records_for(actor, staff)[:500]
    return render(
        request,
        "team/training.html",
        {
            "records": records,
            "everyone": everyone,
            "people": list(queries.active_staff()) if everyone else [],
            "chosen": staff,
        },
    )


@staff_required
def add_training(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    everyone = actor.has_perm("team.view_everyones_training")
    people = list(queries.active_staff()) if everyone else None
    form = TrainingForm(
        request.POST or None,
        people=people,
        initial={"staff": str(actor.external_id)},
    )

    def perform(data: dict[str, Any]) -> Any:
        staff = queries.find_staff(data.get("staff")) if everyone else actor
        if staff is None:
            raise NotAllowed(_("No member of staff with that identifier."))
        course = (
            MandatoryCourse.objects.filter(external_id=data["mandatory_course"]).first()
            if data.get("mandatory_course")
            else None
        )
        return services.record_training(
            actor=actor,
            staff=staff,
            course_title=data["course_title"],
            provider=data["provider"],
            hours=data["hours"],
            completed_on=data["completed_on"],
            expires_on=data["expires_on"],
            mandatory_course=course,
        )

    return page_with_way_back(
        request,
        form,
        title=_("Record training"),
        perform=perform,
        back_url=reverse("team_training"),
        back_label=_("Training"),
        success_message=_("Training recorded."),
    )


@staff_required
def withdraw_training(request: AuthenticatedRequest, record_id: Any) -> HttpResponse:
    actor = request.user
    record = queries.training_records_for(actor).filter(external_id=record_id).first()
    if record is None:
        raise Http404
    if not actor.has_perm("team.withdraw_training", record):
        return _refuse(request)
    return page_with_way_back(
        request,
        ReasonForm(request.POST or None),
        title=_("Withdraw the training record: %(course)s") % {"course": record.course_title},
        perform=lambda data: services.withdraw_training(
            actor=actor, record=record, reason=data["reason"]
        ),
        back_url=reverse("team_training"),
        back_label=_("Training"),
        success_message=_("Training record withdrawn."),
        submit_label=_("Withdraw"),
    )


@staff_required
@require_POST
def dismiss_reminder(request: AuthenticatedRequest, reminder_id: Any) -> HttpResponse:
    actor = request.user
    reminder = TrainingReminder.objects.filter(external_id=reminder_id, staff=actor).first()
    if reminder is None:
        raise Http404
    services.dismiss_reminder(actor=actor, reminder=reminder)
    messages.success(request, _("Reminder put away."))
    return redirect("team_home")


@staff_required
def compliance(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not actor.has_perm("team.view_compliance"):
        return _refuse(
            request,
            _("The administrator, the clinical lead and the coordinator see everyone's training."),
        )
    rows = queries.compliance()
    return render(
        request,
        "team/compliance.html",
        {
            "rows": rows,
            "courses": MandatoryCourse.objects.in_use(),
            "reminder_days": services.reminder_days(),
            "states": ComplianceState,
        },
    )


# --- Mandatory courses --------------------------------------------------------------------


@staff_required
def courses(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    return render(
        request,
        "team/courses.html",
        {
            "courses": MandatoryCourse.objects.all(),
            "can_manage": actor.has_perm("team.manage_mandatory_courses"),
        },
    )


@staff_required
def add_course(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not actor.has_perm("team.manage_mandatory_courses"):
        return _refuse(
            request,
            _("Only the administrator or the clinical lead keeps the list of mandatory courses."),
        )
    return page_with_way_back(
        request,
        MandatoryCourseForm(request.POST or None),
        title=_("Add a mandatory course"),
        perform=lambda data: services.create_mandatory_course(actor=actor, **data),
        back_url=reverse("team_courses"),
        back_label=_("Mandatory courses"),
        success_message=_("Mandatory course added."),
    )


@staff_required
def edit_course(request: AuthenticatedRequest, course_id: Any) -> HttpResponse:
    actor = request.user
    course = MandatoryCourse.objects.filter(external_id=course_id).first()
    if course is None:
        raise Http404
    if not actor.has_perm("team.manage_mandatory_courses"):
        return _refuse(
            request,
            _("Only the administrator or the clinical lead keeps the list of mandatory courses."),
        )
    initial = {
        "title": course.title,
        "renew_every_months": course.renew_every_months,
        "disciplines": list(course.disciplines or []),
        "description": course.description,
        "is_active": course.is_active,
    }
    return page_with_way_back(
        request,
        EditMandatoryCourseForm(request.POST or None, initial=initial),
        title=_("Change the mandatory course: %(title)s") % {"title": course.title},
        perform=lambda data: services.update_mandatory_course(
            actor=actor, course=course, changes=data
        ),
        back_url=reverse("team_courses"),
        back_label=_("Mandatory courses"),
        success_message=_("Mandatory course saved."),
    )


# --- Wellbeing ------------------------------------------------------------------------------


@staff_required
def wellbeing(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own check-in form and their own history; nobody else's."""
    actor = request.user
    form = WellbeingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_wellbeing_check_in(actor=actor, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Thank you. Only you can see your answers."))
                return redirect("team_wellbeing")
        else:
            status = 422
    history = list(queries.own_check_ins(actor))
    already = any(item.period == services.month_of(clock.today()) for item in history)
    return render(
        request,
        "team/wellbeing.html",
        {
            "form": form,
            "history": history,
            "already": already,
            "items": WellbeingItem.choices,
        },
        status=status,
    )


@staff_required
def wellbeing_summary(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not actor.has_perm("team.view_wellbeing_summary"):
        return _refuse(request, _("Only the clinical lead sees the team's wellbeing figures."))
    return render(
        request,
        "team/wellbeing_summary.html",
        {
            "months": queries.wellbeing_summary(),
            "minimum": queries.wellbeing_minimum(),
            "items": [
                (item, label, WELLBEING_ANCHORS[item]) for item, label in WellbeingItem.choices
            ],
        },
    )


# --- Case-load ----------------------------------------------------------------------------


@staff_required
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    rows = queries.caseload(actor)
    return render(
        request,
        "team/caseload.html",
        {
            "rows": rows,
            "everyone": actor.has_perm("team.view_everyones_caseload"),
            "week": queries.week_of(clock.today()),
        },
    )


# --- Debriefs -------------------------------------------------------------------------------


def _for_debriefs(
    request: AuthenticatedRequest,
    patient_id: Any,
    perm: str,
    build: Callable[[Patient], HttpResponse],
    read: str = "",
) -> HttpResponse:
    try:
        return build(queries.open_for_debriefs(request.user, patient_id, perm, read=read))
    except DomainError as error:
        return refusal(request, error)


@staff_required
def debriefs(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    oversees = actor.has_perm("team.view_deaths_without_debrief")
    return render(
        request,
        "team/debriefs.html",
        {
            "debriefs": queries.list_debriefs(actor),
            "deaths": queries.deaths_without_debrief(actor) if oversees else None,
            "recent_days": queries.RECENT_DEATH_DAYS,
        },
    )


@staff_required
def patient_debriefs(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        episode = patient.death_episode()
        found = queries.patient_debriefs(patient)
        return render(
            request,
            "team/patient_debriefs.html",
            {
                "patient": patient,
                "episode": episode,
                "debriefs": found,
                "can_record": episode is not None
                and not any(item.withdrawn_at is None for item in found)
                and request.user.has_perm("team.record_debrief", patient),
            },
        )

    return _for_debriefs(
        request, patient_id, "team.view_debriefs", build, AuditEventType.DEBRIEF_VIEWED
    )


def _team_of(patient: Patient) -> list[str]:
    return [
        str(external_id)
        for external_id in CareTeamAssignment.objects.filter(patient=patient)
        .values_list("staff__external_id", flat=True)
        .distinct()
    ]


@staff_required
def add_debrief(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    actor = request.user

    def build(patient: Patient) -> HttpResponse:
        people = list(queries.active_staff())
        form = DebriefForm(
            request.POST or None,
            people=people,
            initial={
                "held_on": clock.today(),
                "facilitator": str(actor.external_id),
                "attendees": _team_of(patient),
            },
        )

        def perform(data: dict[str, Any]) -> Any:
            by_id = {str(person.external_id): person for person in people}
            return services.record_debrief(
                actor=actor,
                patient=patient,
                held_on=data["held_on"],
                facilitator=by_id.get(data["facilitator"]),
                attendees=[by_id[key] for key in data["attendees"] if key in by_id],
                went_well=data["went_well"],
                could_be_better=data["could_be_better"],
                actions=data["actions"],
            )

        back = reverse("team_patient_debriefs", args=[patient.external_id])
        return page_with_way_back(
            request,
            form,
            title=_("Team debrief after the death of %(name)s") % {"name": patient.full_name},
            perform=perform,
            back_url=back,
            back_label=_("Debriefs") + " · " + patient.full_name,
            success_message=_("Debrief recorded."),
        )

    return _for_debriefs(request, patient_id, "team.record_debrief", build)


def _debrief_or_404(request: HttpRequest, debrief_id: Any) -> Any:
    found = queries.debrief_detail(debrief_id)
    if found is None:
        raise Http404
    return found


@staff_required
def debrief(request: AuthenticatedRequest, debrief_id: Any) -> HttpResponse:
    found = _debrief_or_404(request, debrief_id)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "team/debrief.html",
            {
                "debrief": found,
                "patient": patient,
                "can_withdraw": found.withdrawn_at is None
                and request.user.has_perm("team.record_debrief", patient),
            },
        )

    return _for_debriefs(
        request,
        found.patient.external_id,
        "team.view_debriefs",
        build,
        AuditEventType.DEBRIEF_VIEWED,
    )


@staff_required
def withdraw_debrief(request: AuthenticatedRequest, debrief_id: Any) -> HttpResponse:
    found = _debrief_or_404(request, debrief_id)
    actor = request.user

    def build(patient: Patient) -> HttpResponse:
        back = reverse("team_patient_debriefs", args=[patient.external_id])
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Withdraw the debrief"),
            perform=lambda data: services.withdraw_debrief(
                actor=actor, debrief=found, reason=data["reason"]
            ),
            back_url=back,
            back_label=_("Debriefs") + " · " + patient.full_name,
            success_message=_("Debrief withdrawn."),
            submit_label=_("Withdraw"),
        )

    return _for_debriefs(request, found.patient.external_id, "team.record_debrief", build)


urlpatterns = [
    path("team/", home, name="team_home"),
    path("team/training/", training, name="team_training"),
    path("team/training/add/", add_training, name="team_add_training"),
    path(
        "team/training/<uuid:record_id>/withdraw/",
        withdraw_training,
        name="team_withdraw_training",
    ),
    path(
        "team/reminders/<uuid:reminder_id>/dismiss/",
        dismiss_reminder,
        name="team_dismiss_reminder",
    ),
    path("team/compliance/", compliance, name="team_compliance"),
    path("team/courses/", courses, name="team_courses"),
    path("team/courses/add/", add_course, name="team_add_course"),
    path("team/courses/<uuid:course_id>/edit/", edit_course, name="team_edit_course"),
    path("team/wellbeing/", wellbeing, name="team_wellbeing"),
    path("team/wellbeing/summary/", wellbeing_summary, name="team_wellbeing_summary"),
    path("team/caseload/", caseload, name="team_caseload"),
    path("team/debriefs/", debriefs, name="team_debriefs"),
    path("team/debriefs/<uuid:debrief_id>/", debrief, name="team_debrief"),
    path(
        "team/debriefs/<uuid:debrief_id>/withdraw/",
        withdraw_debrief,
        name="team_withdraw_debrief",
    ),
    path("patients/<uuid:patient_id>/debriefs/", patient_debriefs, name="team_patient_debriefs"),
    path("patients/<uuid:patient_id>/debriefs/add/", add_debrief, name="team_add_debrief"),
]
