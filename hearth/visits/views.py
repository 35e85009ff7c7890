"""Visits pages: staff availability (the coordinator), a person's visits and
visit needs, the visit record, urgent visit requests, and the family portal.

Every write goes through ``hearth.visits.services``; a refusal shows on the
form it came from, or as the refusal page for a page the person may not open.
The family's page is built from ``queries.portal_visits``, which never holds
the planned minute of a home visit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.pagination import page_of, refuses_bad_pages
from hearth.core.web import (
    AuthenticatedRequest,
    Confirmation,
    confirmation_page,
    form_page,
    is_confirmed,
    page_with_way_back,
    refusal,
    show_domain_error,
    staff_required,
)
from hearth.patients.models import Patient
from hearth.patients.web import with_patient, with_patient_of, with_portal_patient
from hearth.visits import queries, services
from hearth.visits.choices import VisitStatus
from hearth.visits.forms import (
    ArriveForm,
    CloseVisitForm,
    ConfirmForm,
    PlanningProfileForm,
    ReasonForm,
    ShiftForm,
    TeleconsultForm,
    TimeRequestForm,
    UrgentVisitForm,
    VisitNeedForm,
    VisitNoteForm,
)
from hearth.visits.models import Shift, Visit, VisitNeed, VisitTimeRequest
from hearth.visits.services import PLANNED_DISCIPLINES

VIEW = "visits.view_visits"

# --- Shared shapes ------------------------------------------------------------------


def _find(queryset: QuerySet[Any], external_id: Any) -> Any:
    found = queryset.filter(external_id=external_id).first()
    if found is None:
        raise Http404
    return found


def _visits_url(patient: Patient) -> str:
    return reverse("patient_visits", args=[patient.external_id])


def _confirm(request: HttpRequest) -> ConfirmForm:
    """A button with no fields: bound on any POST (even one without a CSRF field)."""
    return ConfirmForm(request.POST if request.method == "POST" else None)


# --- Staff availability ------------------------------------------------------------


def _may_see_staff_page(user: User) -> bool:
    return user.has_perm("visits.manage_staff_availability") or user.has_perm(
        "visits.view_staff_day", user
    )


@staff_required
def staff_availability(request: AuthenticatedRequest) -> HttpResponse:
    """Who is planned onto visits: discipline, skills, languages, visits a
    day and their shifts for the next seven days. The coordinator changes
    them; anyone else sees only their own row."""
    actor = request.user
    if not _may_see_staff_page(actor):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    days = queries.next_days(7)
    rows = queries.staff_availability(actor, days[0], days[-1])
    grid = [
        {
            "row": row,
            "days": [
                (day, next((shift for shift in row.shifts if shift.date == day), None))
                for day in days
            ],
        }
        for row in rows
    ]
    return render(
        request,
        "visits/staff_availability.html",
        {
            "days": days,
            "grid": grid,
            "can_manage": actor.has_perm("visits.manage_staff_availability"),
        },
    )


def _planned_staff_member(staff_id: Any) -> User:
    found: User | None = queries.planned_staff().filter(external_id=staff_id).first()
    if found is None:
        raise Http404
    return found


def _coordinator_only(request: AuthenticatedRequest) -> HttpResponse | None:
    if not request.user.has_perm("visits.manage_staff_availability"):
        return refusal(request, NotAllowed(_("Only the coordinator plans staff.")))
    return None


@staff_required
def edit_planning_profile(request: AuthenticatedRequest, staff_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    staff = _planned_staff_member(staff_id)
    profile = queries.profile_of(staff)
    initial = (
        {
            "skills": list(profile.skills or []),
            "max_visits_per_day": profile.max_visits_per_day,
            "home_latitude": profile.home_latitude,
            "home_longitude": profile.home_longitude,
        }
        if profile
        else {"max_visits_per_day": 8}
    )
    return page_with_way_back(
        request,
        PlanningProfileForm(request.POST or None, initial=initial),
        title=_("Planning profile: %(name)s") % {"name": staff.display_name},
        perform=lambda data: services.set_planning_profile(actor=request.user, staff=staff, **data),
        back_url=reverse("staff_availability"),
        back_label=_("Staff availability"),
        success_message=_("Planning profile saved."),
    )


@staff_required
def add_shift(request: AuthenticatedRequest, staff_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    staff = _planned_staff_member(staff_id)
    return page_with_way_back(
        request,
        ShiftForm(
            request.POST or None,
            initial={
                "date": clock.today() + timedelta(days=1),
                "starts_at": "08:30",
                "ends_at": "16:30",
            },
        ),
        title=_("Add a shift: %(name)s") % {"name": staff.display_name},
        perform=lambda data: services.add_shift(actor=request.user, staff=staff, **data),
        back_url=reverse("staff_availability"),
        back_label=_("Staff availability"),
        success_message=_("Shift added."),
        submit_label=_("Add the shift"),
    )


@staff_required
def cancel_shift(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    shift = _find(Shift.objects.select_related("staff"), shift_id)
    if not is_confirmed(request):
        open_visits = (
            Visit.objects.filter(staff=shift.staff, date=shift.date)
            .filter(status__in=[VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY])
            .count()
        )
        return confirmation_page(
            request,
            Confirmation(
                question=_("Cancel the shift of %(name)s on %(date)s, %(start)s–%(end)s?")
                % {
                    "name": shift.staff.display_name,
                    "date": date_format(shift.date, "l, j E"),
                    "start": shift.starts_at.strftime("%H:%M"),
                    "end": shift.ends_at.strftime("%H:%M"),
                },
                consequence=ngettext(
                    "%(count)d published visit of that day stays with them until you "
                    "re-plan the day.",
                    "%(count)d published visits of that day stay with them until you "
                    "re-plan the day.",
                    open_visits,
                )
                % {"count": open_visits}
                if open_visits
                else _("They are not planned for that day any more."),
                yes_label=_("Yes, cancel the shift"),
            ),
            back_url=reverse("staff_availability"),
        )
    return page_with_way_back(
        request,
        _confirm(request),
        title=_("Cancel the shift of %(name)s on %(date)s")
        % {"name": shift.staff.display_name, "date": date_format(shift.date, "j M Y")},
        perform=lambda _data: services.cancel_shift(actor=request.user, shift=shift),
        back_url=reverse("staff_availability"),
        back_label=_("Staff availability"),
        success_message=_("Shift cancelled. Re-plan the day if visits were published."),
        submit_label=_("Cancel the shift"),
    )


# --- A person's visits (staff) --------------------------------------------------


def _need_form(patient: Patient, data: Any = None) -> VisitNeedForm:
    team = queries.care_team_for_discipline(patient, PLANNED_DISCIPLINES)
    return VisitNeedForm(data, team=team)


def _teleconsult_form(patient: Patient, data: Any = None) -> TeleconsultForm:
    return TeleconsultForm(
        data,
        clinicians=queries.care_team_clinicians(patient),
        people=queries.people_for_teleconsult(patient),
        initial={"duration_minutes": 30},
    )


@staff_required
@refuses_bad_pages
def patient_visits(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Visit needs, upcoming and past visits and calls (a page at a time), the
    family's time requests, and the forms that change them."""

    def build(patient: Patient) -> HttpResponse:
        actor = request.user
        past = page_of(request, queries.past_visits(patient))
        found = queries.patient_visits(patient, past=past.items)
        can = {
            "manage_needs": actor.has_perm("visits.manage_visit_needs", patient),
            "book_teleconsult": actor.has_perm("visits.book_teleconsult", patient),
            "request_time": actor.has_perm("visits.request_visit_time", patient),
        }
        return render(
            request,
            "visits/patient_visits.html",
            {
                "patient": patient,
                "visits": found,
                "past_page": past,
                "can": can,
                "need_form": _need_form(patient) if can["manage_needs"] else None,
                "time_form": TimeRequestForm(initial={"date": clock.today()})
                if can["request_time"]
                else None,
                "teleconsult_form": _teleconsult_form(patient) if can["book_teleconsult"] else None,
            },
        )

    return with_patient(request, patient_id, VIEW, build, AuditEventType.VISITS_VIEWED)


@staff_required
def add_visit_need(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            _need_form(patient, request.POST or None),
            title=_("Add a visit need"),
            perform=lambda data: services.add_visit_need(
                actor=request.user, patient=patient, **data
            ),
            back_url=_visits_url(patient),
            back_label=_("Visits") + " · " + patient.full_name,
            success_message=_("Visit need added."),
        )

    return with_patient(request, patient_id, "visits.manage_visit_needs", build)


@staff_required
@require_POST
def visit_needs_from_care_plan(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        try:
            created = services.sync_needs_from_care_plan(actor=request.user, patient=patient)
        except DomainError as error:
            if isinstance(error, NotAllowed):
                raise
            messages.error(request, error.message)
        else:
            if created:
                messages.success(
                    request,
                    _("%(count)s visit needs taken from the care plan.") % {"count": len(created)},
                )
            else:
                messages.info(request, _("The visit needs already match the care plan."))
        return redirect(_visits_url(patient))

    return with_patient(request, patient_id, "visits.manage_visit_needs", build)


@staff_required
def end_visit_need(request: AuthenticatedRequest, need_id: Any) -> HttpResponse:
    need = _find(VisitNeed.objects.select_related("patient"), need_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            _confirm(request),
            title=_("End the visit need: %(need)s") % {"need": need.description},
            perform=lambda _data: services.end_visit_need(actor=request.user, need=need),
            back_url=_visits_url(patient),
            back_label=_("Visits") + " · " + patient.full_name,
            success_message=_("Visit need ended."),
            submit_label=_("End it"),
        )

    return with_patient_of(request, need, "visits.manage_visit_needs", build)


@staff_required
def add_time_request(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            TimeRequestForm(request.POST or None, initial={"date": clock.today()}),
            title=_("A time request from the family"),
            perform=lambda data: services.request_visit_time(
                actor=request.user, patient=patient, **data
            ),
            back_url=_visits_url(patient),
            back_label=_("Visits") + " · " + patient.full_name,
            success_message=_("Time request recorded."),
        )

    return with_patient(request, patient_id, "visits.request_visit_time", build)


@staff_required
def withdraw_time_request(request: AuthenticatedRequest, request_id: Any) -> HttpResponse:
    found = _find(VisitTimeRequest.objects.select_related("patient"), request_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            _confirm(request),
            title=_("Withdraw the time request for %(date)s")
            % {"date": date_format(found.date, "j M Y")},
            perform=lambda _data: services.withdraw_visit_time_request(
                actor=request.user, request=found
            ),
            back_url=_visits_url(patient),
            back_label=_("Visits") + " · " + patient.full_name,
            success_message=_("Time request withdrawn."),
            submit_label=_("Withdraw"),
        )

    return with_patient_of(request, found, "visits.request_visit_time", build)


@staff_required
def book_teleconsult(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            _teleconsult_form(patient, request.POST or None),
            title=_("Book a teleconsultation"),
            perform=lambda data: services.book_teleconsult(
                actor=request.user, patient=patient, **data
            ),
            back_url=_visits_url(patient),
            back_label=_("Visits") + " · " + patient.full_name,
            success_message=_("Teleconsultation booked. The family sees the time and the link."),
            submit_label=_("Book"),
        )

    return with_patient(request, patient_id, "visits.book_teleconsult", build)


# --- The visit record ---------------------------------------------------------------


def _visit(visit_id: Any) -> Visit:
    found = queries.visit_detail(visit_id)
    if found is None:
        raise Http404
    return found


def _visit_page(
    request: AuthenticatedRequest,
    visit: Visit,
    *,
    note_form: forms.BaseForm | None = None,
    close_form: forms.BaseForm | None = None,
    arrive_form: forms.BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    alert = services.linked_alert(visit)
    may_record = actor.has_perm("visits.record_visit", visit)
    answers_alert = alert is not None and alert.is_open
    if close_form is None and note_form is not None and note_form.is_bound:
        # The note box sits in the closing form: what was typed in the other
        # boxes comes back with the note's refusal or its confirmation.
        close_form = CloseVisitForm(answers_alert=answers_alert, initial=_typed(note_form.data))
    return render(
        request,
        "visits/visit.html",
        {
            "patient": visit.patient,
            "visit": visit,
            "alert": alert,
            "notes": list(visit.notes.all()),
            "participants": list(visit.participants.all()),
            "can_record": may_record,
            "can_cancel": actor.has_perm("visits.cancel_visit", visit),
            "arrive_form": arrive_form or ArriveForm(),
            "note_form": note_form or VisitNoteForm(),
            "close_form": close_form
            # "Left" is not filled in when the page loads: a time set then is
            # before the arrival of a visit opened early (issue 20); empty = now.
            or CloseVisitForm(answers_alert=answers_alert),
            "pps_at_visit": queries.pps_recorded_at(visit),
            "news2": queries.visit_news2(visit) if visit.status == VisitStatus.COMPLETED else None,
        },
        status=status,
    )


@staff_required
def visit_record(request: AuthenticatedRequest, visit_id: Any) -> HttpResponse:
    """One visit: who, when, why; arrive, write notes, close with vital
    signs, PPS, phase of illness and the alert's outcome."""
    visit = _visit(visit_id)
    return with_patient(
        request,
        visit.patient.external_id,
        VIEW,
        lambda _patient: _visit_page(request, visit),
        AuditEventType.VISIT_VIEWED,
    )


def _visit_action(
    request: AuthenticatedRequest,
    visit_id: Any,
    form: forms.BaseForm,
    act: Callable[[Visit, dict[str, Any]], Any],
    success: str,
    form_key: str,
) -> HttpResponse:
    """Run one step on the visit page; on refusal show the page again with
    the form and the service's message on it."""
    visit = _visit(visit_id)

    def build(_patient: Patient) -> HttpResponse:
        status = 422
        if form.is_valid():
            try:
                act(visit, form.cleaned_data)
            except DomainError as error:
                if isinstance(error, NotAllowed):
                    raise
                show_domain_error(form, error)
                status = error.status if error.status != 404 else 400
            else:
                messages.success(request, success)
                return redirect("visit_record", visit_id=visit.external_id)
        fresh = _visit(visit_id)
        return _visit_page(request, fresh, status=status, **{form_key: form})

    return with_patient(request, visit.patient.external_id, VIEW, build)


@staff_required
@require_POST
def visit_arrive(request: AuthenticatedRequest, visit_id: Any) -> HttpResponse:
    return _visit_action(
        request,
        visit_id,
        ArriveForm(request.POST),
        lambda visit, data: services.arrive(actor=request.user, visit=visit, at=data["at"]),
        _("Arrival recorded."),
        "arrive_form",
    )


def _typed(data: Any) -> dict[str, Any]:
    """What was typed in the closing form's other boxes (not the note)."""
    return {
        key: (data.getlist(key) if key == "participants" else data.get(key))
        for key in CloseVisitForm.base_fields
        if key != "text" and data.get(key)
    }


@staff_required
@require_POST
def visit_note(request: AuthenticatedRequest, visit_id: Any) -> HttpResponse:
    visit = _visit(visit_id)
    form = VisitNoteForm(request.POST)
    typed = _typed(request.POST)
    if not typed:
        return _visit_action(
            request,
            visit_id,
            form,
            lambda visit, data: services.add_visit_note(
                actor=request.user, visit=visit, text=data["text"]
            ),
            _("Note added."),
            "note_form",
        )

    def build(_patient: Patient) -> HttpResponse:
        # "Save the note" pressed with the closing boxes half filled in: the
        # note is saved and the page comes back with those boxes as typed.
        status = 422
        if form.is_valid():
            try:
                services.add_visit_note(
                    actor=request.user, visit=visit, text=form.cleaned_data["text"]
                )
            except DomainError as error:
                if isinstance(error, NotAllowed):
                    raise
                show_domain_error(form, error)
                status = error.status if error.status != 404 else 400
            else:
                messages.success(request, _("Note added. The visit is still open."))
                fresh = _visit(visit_id)
                alert = services.linked_alert(fresh)
                close_form = CloseVisitForm(
                    answers_alert=alert is not None and alert.is_open, initial=typed
                )
                return _visit_page(request, fresh, close_form=close_form)
        return _visit_page(request, _visit(visit_id), status=status, note_form=form)

    return with_patient(request, visit.patient.external_id, VIEW, build)


@staff_required
@require_POST
def visit_close(request: AuthenticatedRequest, visit_id: Any) -> HttpResponse:
    visit = _visit(visit_id)
    alert = services.linked_alert(visit)
    form = CloseVisitForm(request.POST, answers_alert=alert is not None and alert.is_open)

    def close(target: Visit, data: dict[str, Any]) -> Visit:
        values = dict(data)
        values["notes"] = values.pop("text", "")
        values["consciousness"] = values.get("consciousness") or None
        values["departed_at"] = values.get("departed_at") or clock.now()
        values["phase"] = values.get("phase") or None
        values["alert_outcome"] = values.get("alert_outcome") or None
        return services.close_visit(actor=request.user, visit=target, **values)

    return _visit_action(request, visit_id, form, close, _("Visit closed."), "close_form")


@staff_required
def visit_cancel(request: AuthenticatedRequest, visit_id: Any) -> HttpResponse:
    visit = _visit(visit_id)
    back = reverse("visit_record", args=[visit.external_id])

    def build(_patient: Patient) -> HttpResponse:
        if not request.user.has_perm("visits.cancel_visit", visit):
            raise NotAllowed(_("Your role does not allow this."))
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Cancel the %(kind)s on %(date)s")
            % {"kind": visit.get_kind_display().lower(), "date": date_format(visit.date, "j M Y")},
            perform=lambda data: services.cancel_visit(
                actor=request.user, visit=visit, reason=data["reason"]
            ),
            back_url=back,
            back_label=_("The visit"),
            success_message=_("Visit cancelled."),
            submit_label=_("Cancel the visit"),
            confirm=Confirmation(
                question=_("Cancel the %(kind)s to %(name)s on %(date)s at %(time)s?")
                % {
                    "kind": visit.get_kind_display().lower(),
                    "name": visit.patient.full_name,
                    "date": date_format(visit.date, "l, j E"),
                    "time": time_format(timezone.localtime(visit.planned_start), "H:i"),
                },
                consequence=_(
                    "The family will be told. The visit will not happen, and it cannot be undone."
                ),
                yes_label=_("Yes, cancel the visit"),
            ),
        )

    return with_patient(request, visit.patient.external_id, VIEW, build)


# --- The family portal ------------------------------------------------------------------


@login_required
def portal_visits(request: AuthenticatedRequest) -> HttpResponse:
    """Who is coming and roughly when (the family window, never the minute a
    home visit is planned for), calls with their time and link, changed
    times, and the family's own requests about times."""

    def build(patient: Patient) -> HttpResponse:
        actor = request.user
        can_request = actor.has_perm("visits.request_visit_time", patient)
        form = TimeRequestForm(request.POST or None, initial={"date": clock.today()})
        status = 200
        if request.method == "POST":
            if not can_request:
                raise NotAllowed(_("Your role does not allow this."))
            if form.is_valid():
                try:
                    services.request_visit_time(actor=actor, patient=patient, **form.cleaned_data)
                except DomainError as error:
                    if isinstance(error, NotAllowed):
                        raise
                    show_domain_error(form, error)
                    status = error.status if error.status != 404 else 400
                else:
                    messages.success(request, _("Thank you: the team will plan around it."))
                    return redirect("portal_visits")
            else:
                status = 422
        return render(
            request,
            "visits/portal_visits.html",
            {
                "patient": patient,
                "visits": queries.portal_visits(patient),
                "help": services.help_status_for_family(patient),
                "form": form if can_request else None,
            },
            status=status,
        )

    read = AuditEventType.VISITS_PORTAL_VIEWED if request.method == "GET" else None
    return with_portal_patient(request, VIEW, build, read)


@login_required
@require_POST
def portal_withdraw_time_request(request: AuthenticatedRequest, request_id: Any) -> HttpResponse:
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    found = _find(VisitTimeRequest.objects.select_related("patient"), request_id)

    def build(_patient: Patient) -> HttpResponse:
        try:
            services.withdraw_visit_time_request(actor=request.user, request=found)
        except DomainError as error:
            if isinstance(error, NotAllowed):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Request withdrawn."))
        return redirect("portal_visits")

    return with_patient_of(request, found, "visits.request_visit_time", build)


# --- Urgent visits ----------------------------------------------------------------


@staff_required
def urgent_visits(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("visits.view_urgent_requests"):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    rows = queries.urgent_requests_for(request.user)
    return render(request, "visits/urgent_visits.html", {"requests": rows})


@staff_required
def request_urgent_visit(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=UrgentVisitForm,
            title=_("Ask for an urgent visit today"),
            perform=lambda data: services.request_urgent_visit(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=lambda _result: reverse("urgent_visits"),
            success_message=_(
                "Urgent visit requested. It is on the urgent visits list: the plan starts it "
                "before its deadline, or the clinician on call is asked to go."
            ),
            context={"patient": patient},
        )

    return with_patient(request, patient_id, "visits.request_urgent_visit", build)


urlpatterns = [
    path("visits/staff/", staff_availability, name="staff_availability"),
    path(
        "visits/staff/<uuid:staff_id>/profile/",
        edit_planning_profile,
        name="staff_planning_profile",
    ),
    path("visits/staff/<uuid:staff_id>/shifts/add/", add_shift, name="staff_add_shift"),
    path("visits/shifts/<uuid:shift_id>/cancel/", cancel_shift, name="cancel_shift"),
    path("patients/<uuid:patient_id>/visits/", patient_visits, name="patient_visits"),
    path("patients/<uuid:patient_id>/visits/needs/add/", add_visit_need, name="add_visit_need"),
    path(
        "patients/<uuid:patient_id>/visits/needs/from-care-plan/",
        visit_needs_from_care_plan,
        name="visit_needs_from_care_plan",
    ),
    path(
        "patients/<uuid:patient_id>/visits/time-requests/add/",
        add_time_request,
        name="add_visit_time_request",
    ),
    path(
        "patients/<uuid:patient_id>/visits/teleconsults/add/",
        book_teleconsult,
        name="book_teleconsult",
    ),
    path("visits/needs/<uuid:need_id>/end/", end_visit_need, name="end_visit_need"),
    path(
        "visits/time-requests/<uuid:request_id>/withdraw/",
        withdraw_time_request,
        name="withdraw_visit_time_request",
    ),
    path("visits/<uuid:visit_id>/", visit_record, name="visit_record"),
    path("visits/<uuid:visit_id>/arrive/", visit_arrive, name="visit_arrive"),
    path("visits/<uuid:visit_id>/notes/", visit_note, name="visit_note"),
    path("visits/<uuid:visit_id>/close/", visit_close, name="visit_close"),
    path("visits/<uuid:visit_id>/cancel/", visit_cancel, name="visit_cancel"),
    path("visits/urgent/", urgent_visits, name="urgent_visits"),
    path(
        "patients/<uuid:patient_id>/urgent-visit/",
        request_urgent_visit,
        name="request_urgent_visit",
    ),
    path("portal/visits/", portal_visits, name="portal_visits"),
    path(
        "portal/visits/requests/<uuid:request_id>/withdraw/",
        portal_withdraw_time_request,
        name="portal_withdraw_visit_time_request",
    ),
]
