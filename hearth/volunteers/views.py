"""Volunteers pages: the coordinator's list and profiles, a volunteer's own
page, a person's volunteers (the team) and the family's portal page.

Every write goes through ``hearth.volunteers.services``; a refusal shows on
the form it came from, or as the refusal page for a page the person may not
open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.web import AuthenticatedRequest, page_with_way_back, refusal, staff_required
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.web import with_patient
from hearth.volunteers import queries, services
from hearth.volunteers.brief import volunteer_brief
from hearth.volunteers.choices import VolunteerStatus
from hearth.volunteers.forms import (
    AssignmentForm,
    AwayForm,
    ConfirmForm,
    EndAssignmentForm,
    NewProfileForm,
    ProfileForm,
    ReasonForm,
    SlotForm,
    StatusForm,
    TrainingForm,
)
from hearth.volunteers.models import (
    UnavailablePeriod,
    VolunteerProfile,
    VolunteerTraining,
    WeeklySlot,
)

VIEW_PATIENT = "volunteers.view_patient_volunteers"
ASSIGN = "volunteers.assign_volunteers"


def _confirm(request: HttpRequest) -> ConfirmForm:
    return ConfirmForm(request.POST if request.method == "POST" else None)


def _coordinator_only(request: AuthenticatedRequest) -> HttpResponse | None:
    if not request.user.has_perm("volunteers.manage_volunteers"):
        return refusal(request, NotAllowed(_("Only the coordinator manages volunteers.")))
    return None


def _profile(profile_id: Any) -> VolunteerProfile:
    found = queries.find_profile(profile_id)
    if found is None:
        raise Http404
    return found


def _profile_url(profile: VolunteerProfile) -> str:
    return reverse("volunteers_profile", args=[profile.external_id])


def _list_label() -> str:
    return _("Volunteers")


# --- The coordinator ------------------------------------------------------------------


@staff_required
def volunteer_list(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("volunteers.view_volunteers"):
        return refusal(request, NotAllowed(_("Only the coordinator manages volunteers.")))
    status = request.GET.get("status") or None
    if status not in VolunteerStatus.values:
        status = None
    return render(
        request,
        "volunteers/list.html",
        {
            "rows": queries.volunteer_rows(request.user, status=status),
            "statuses": VolunteerStatus.choices,
            "status": status,
            "without_profile": queries.volunteers_without_profile(),
        },
    )


@staff_required
def add_profile(request: AuthenticatedRequest) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused

    def perform(data: dict[str, Any]) -> VolunteerProfile:
        volunteer = data.pop("volunteer")
        return services.create_profile(actor=request.user, volunteer=volunteer, **data)

    return page_with_way_back(
        request,
        NewProfileForm(
            request.POST or None,
            volunteers=queries.volunteers_without_profile(),
            initial={"started_on": clock.today()},
        ),
        title=_("New volunteer profile"),
        perform=perform,
        back_url=reverse("volunteers_list"),
        back_label=_list_label(),
        success_message=_("Volunteer profile created."),
        success_url=_profile_url,
    )


@staff_required
def profile_page(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    profile = _profile(profile_id)
    return render(
        request,
        "volunteers/profile.html",
        {"detail": queries.profile_detail(request.user, profile), "coordinator": True},
    )


@staff_required
def edit_profile(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    profile = _profile(profile_id)
    initial = {
        "started_on": profile.started_on,
        "offers": list(profile.offers or []),
        "area": profile.area,
        "vetting_checked_on": profile.vetting_checked_on,
        "vetting_expires_on": profile.vetting_expires_on,
        "notes": profile.notes,
    }
    return page_with_way_back(
        request,
        ProfileForm(request.POST or None, initial=initial),
        title=_("Volunteer profile: %(name)s") % {"name": profile.volunteer.display_name},
        perform=lambda data: services.update_profile(
            actor=request.user, profile=profile, changes=data
        ),
        back_url=_profile_url(profile),
        back_label=profile.volunteer.display_name,
        success_message=_("Profile saved."),
    )


@staff_required
def change_status(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    profile = _profile(profile_id)
    return page_with_way_back(
        request,
        StatusForm(request.POST or None, initial={"status": profile.status}),
        title=_("Status of %(name)s") % {"name": profile.volunteer.display_name},
        perform=lambda data: services.set_status(actor=request.user, profile=profile, **data),
        back_url=_profile_url(profile),
        back_label=profile.volunteer.display_name,
        success_message=_("Status saved."),
    )


@staff_required
def add_training(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    profile = _profile(profile_id)
    return page_with_way_back(
        request,
        TrainingForm(request.POST or None, initial={"completed_on": clock.today()}),
        title=_("Record training: %(name)s") % {"name": profile.volunteer.display_name},
        perform=lambda data: services.record_training(actor=request.user, profile=profile, **data),
        back_url=_profile_url(profile),
        back_label=profile.volunteer.display_name,
        success_message=_("Training recorded."),
        submit_label=_("Record"),
    )


@staff_required
def withdraw_training(request: AuthenticatedRequest, training_id: Any) -> HttpResponse:
    refused = _coordinator_only(request)
    if refused:
        return refused
    record = (
        VolunteerTraining.objects.select_related("profile__volunteer")
        .filter(external_id=training_id)
        .first()
    )
    if record is None:
        raise Http404
    return page_with_way_back(
        request,
        ReasonForm(request.POST or None),
        title=_("Withdraw a training record entered in error: %(module)s, %(date)s")
        % {
            "module": record.get_module_display(),
            "date": date_format(record.completed_on, "j M Y"),
        },
        perform=lambda data: services.withdraw_training(
            actor=request.user, training=record, **data
        ),
        back_url=_profile_url(record.profile),
        back_label=record.profile.volunteer.display_name,
        success_message=_("Training record withdrawn."),
        submit_label=_("Withdraw"),
    )


# --- Availability -----------------------------------------------------------------------


def _availability_back(request: AuthenticatedRequest, profile: VolunteerProfile) -> tuple[str, str]:
    if profile.volunteer_id == request.user.pk:
        return reverse("volunteers_me"), _("My volunteering")
    return _profile_url(profile), profile.volunteer.display_name


def _may_change_availability(request: AuthenticatedRequest, profile: VolunteerProfile) -> bool:
    return request.user.has_perm("volunteers.manage_availability", profile)


def _not_yours(request: HttpRequest) -> HttpResponse:
    return refusal(request, NotAllowed(_("You can change only your own availability.")))


@staff_required
def add_slot(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    profile = _profile(profile_id)
    if not _may_change_availability(request, profile):
        return _not_yours(request)
    back_url, back_label = _availability_back(request, profile)
    return page_with_way_back(
        request,
        SlotForm(request.POST or None),
        title=_("Add a usual time"),
        perform=lambda data: services.add_weekly_slot(actor=request.user, profile=profile, **data),
        back_url=back_url,
        back_label=back_label,
        success_message=_("Usual time added."),
        submit_label=_("Add"),
    )


@staff_required
def remove_slot(request: AuthenticatedRequest, slot_id: Any) -> HttpResponse:
    slot = (
        WeeklySlot.objects.select_related("profile__volunteer").filter(external_id=slot_id).first()
    )
    if slot is None:
        raise Http404
    if not _may_change_availability(request, slot.profile):
        return _not_yours(request)
    back_url, back_label = _availability_back(request, slot.profile)
    return page_with_way_back(
        request,
        _confirm(request),
        title=_("Remove %(slot)s?") % {"slot": str(slot)},
        perform=lambda _data: services.remove_weekly_slot(actor=request.user, slot=slot),
        back_url=back_url,
        back_label=back_label,
        success_message=_("Usual time removed."),
        submit_label=_("Remove"),
    )


@staff_required
def add_away(request: AuthenticatedRequest, profile_id: Any) -> HttpResponse:
    profile = _profile(profile_id)
    if not _may_change_availability(request, profile):
        return _not_yours(request)
    back_url, back_label = _availability_back(request, profile)
    return page_with_way_back(
        request,
        AwayForm(request.POST or None),
        title=_("Add time away"),
        perform=lambda data: services.add_unavailable_period(
            actor=request.user, profile=profile, **data
        ),
        back_url=back_url,
        back_label=back_label,
        success_message=_("Time away added."),
        submit_label=_("Add"),
    )


@staff_required
def remove_away(request: AuthenticatedRequest, period_id: Any) -> HttpResponse:
    period = (
        UnavailablePeriod.objects.select_related("profile__volunteer")
        .filter(external_id=period_id)
        .first()
    )
    if period is None:
        raise Http404
    if not _may_change_availability(request, period.profile):
        return _not_yours(request)
    back_url, back_label = _availability_back(request, period.profile)
    return page_with_way_back(
        request,
        _confirm(request),
        title=_("Remove time away from %(start)s to %(end)s?")
        % {
            "start": date_format(period.starts_on, "j M Y"),
            "end": date_format(period.ends_on, "j M Y"),
        },
        perform=lambda _data: services.remove_unavailable_period(actor=request.user, period=period),
        back_url=back_url,
        back_label=back_label,
        success_message=_("Time away removed."),
        submit_label=_("Remove"),
    )


# --- A volunteer's own page ----------------------------------------------------------------


@staff_required
def my_page(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not actor.has_perm("volunteers.view_own"):
        return refusal(request, NotAllowed(_("This page is for volunteers.")))
    return render(
        request, "volunteers/me.html", {"detail": queries.my_page(actor), "coordinator": False}
    )


# --- The volunteer brief -------------------------------------------------------------------


@staff_required
def brief_page(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The brief a volunteer reads before a visit, instead of the record."""
    try:
        patient = access.access_volunteer_brief(request.user, patient_id)
    except DomainError as error:
        if error.code == "emergency_access_available":
            return redirect("emergency_access", patient_id=patient_id)
        return refusal(request, error)
    return render(
        request,
        "volunteers/brief.html",
        {"brief": volunteer_brief(request.user, patient)},
    )


# --- A person's volunteers (the team) ---------------------------------------------------


def _patient_url(patient: Patient) -> str:
    return reverse("volunteers_patient", args=[patient.external_id])


@staff_required
def patient_volunteers(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "volunteers/patient.html",
            {
                "patient": patient,
                "rows": queries.patient_assignments(patient),
                "can_assign": request.user.has_perm(ASSIGN, patient),
            },
        )

    return with_patient(request, patient_id, VIEW_PATIENT, build, AuditEventType.VOLUNTEERS_VIEWED)


@staff_required
def assign(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        volunteers = User.objects.filter(
            volunteer_profile__status=VolunteerStatus.ACTIVE, is_active=True
        ).order_by("last_name", "first_name")
        return page_with_way_back(
            request,
            AssignmentForm(
                request.POST or None, volunteers=volunteers, initial={"starts_on": clock.today()}
            ),
            title=_("Propose a volunteer for %(name)s") % {"name": patient.full_name},
            perform=lambda data: services.propose_assignment(
                actor=request.user, patient=patient, **data
            ),
            back_url=_patient_url(patient),
            back_label=_("Volunteers") + " · " + patient.full_name,
            success_message=_("Volunteer proposed. Start the assignment once everyone agrees."),
            submit_label=_("Propose"),
        )

    return with_patient(request, patient_id, ASSIGN, build)


def _assignment_action(
    request: AuthenticatedRequest,
    assignment_id: Any,
    *,
    form: Callable[[], forms.BaseForm],
    title: str,
    perform: Callable[[Any, dict[str, Any]], Any],
    success_message: str,
    submit_label: str,
) -> HttpResponse:
    assignment = queries.find_assignment(assignment_id)
    if assignment is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            form(),
            title=title
            % {
                "name": assignment.volunteer.display_name,
                "kind": assignment.get_kind_display().lower(),
                "patient": patient.full_name,
            },
            perform=lambda data: perform(assignment, data),
            back_url=_patient_url(patient),
            back_label=_("Volunteers") + " · " + patient.full_name,
            success_message=success_message,
            submit_label=submit_label,
        )

    return with_patient(request, assignment.patient.external_id, ASSIGN, build)


@staff_required
def activate_assignment(request: AuthenticatedRequest, assignment_id: Any) -> HttpResponse:
    return _assignment_action(
        request,
        assignment_id,
        form=lambda: _confirm(request),
        title=_("Start %(kind)s by %(name)s for %(patient)s"),
        perform=lambda assignment, _data: services.activate_assignment(
            actor=request.user, assignment=assignment
        ),
        success_message=_("Assignment started; the volunteer is on the care team."),
        submit_label=_("Start"),
    )


@staff_required
def end_assignment(request: AuthenticatedRequest, assignment_id: Any) -> HttpResponse:
    return _assignment_action(
        request,
        assignment_id,
        form=lambda: EndAssignmentForm(request.POST or None),
        title=_("End %(kind)s by %(name)s for %(patient)s"),
        perform=lambda assignment, data: services.end_assignment(
            actor=request.user, assignment=assignment, **data
        ),
        success_message=_("Assignment ended."),
        submit_label=_("End"),
    )


# --- The family portal ----------------------------------------------------------------------


@login_required
def portal_volunteers(request: AuthenticatedRequest) -> HttpResponse:
    """The family's volunteer: first name, what they do and usual times. No
    phone number: the family calls the service, which reaches the volunteer."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "volunteers/portal.html",
            {"patient": patient, "volunteers": queries.portal_volunteers(patient)},
        )

    return with_patient(
        request,
        patient.external_id,
        "volunteers.view_portal_volunteers",
        build,
        AuditEventType.VOLUNTEERS_PORTAL_VIEWED,
    )


urlpatterns = [
    path("volunteers/", volunteer_list, name="volunteers_list"),
    path("volunteers/add/", add_profile, name="volunteers_add"),
    path("volunteers/me/", my_page, name="volunteers_me"),
    path("volunteers/<uuid:profile_id>/", profile_page, name="volunteers_profile"),
    path("volunteers/<uuid:profile_id>/edit/", edit_profile, name="volunteers_edit"),
    path("volunteers/<uuid:profile_id>/status/", change_status, name="volunteers_status"),
    path(
        "volunteers/<uuid:profile_id>/training/add/", add_training, name="volunteers_training_add"
    ),
    path(
        "volunteers/training/<uuid:training_id>/withdraw/",
        withdraw_training,
        name="volunteers_training_withdraw",
    ),
    path("volunteers/<uuid:profile_id>/slots/add/", add_slot, name="volunteers_slot_add"),
    path("volunteers/slots/<uuid:slot_id>/remove/", remove_slot, name="volunteers_slot_remove"),
    path("volunteers/<uuid:profile_id>/away/add/", add_away, name="volunteers_away_add"),
    path("volunteers/away/<uuid:period_id>/remove/", remove_away, name="volunteers_away_remove"),
    path(
        "volunteers/assignments/<uuid:assignment_id>/start/",
        activate_assignment,
        name="volunteers_assignment_activate",
    ),
    path(
        "volunteers/assignments/<uuid:assignment_id>/end/",
        end_assignment,
        name="volunteers_assignment_end",
    ),
    path("patients/<uuid:patient_id>/volunteers/", patient_volunteers, name="volunteers_patient"),
    path("patients/<uuid:patient_id>/volunteers/assign/", assign, name="volunteers_assign"),
    path("patients/<uuid:patient_id>/volunteer-brief/", brief_page, name="volunteer_brief"),
    path("portal/volunteers/", portal_volunteers, name="volunteers_portal"),
]
