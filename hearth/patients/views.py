"""HTML pages for staff and the family portal. Same services and rules as the API."""

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
from django.views.decorators.http import require_POST

from hearth.accounts.models import UserKind
from hearth.core import refusals
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.pagination import page_of, refuses_bad_pages
from hearth.core.web import (
    AuthenticatedRequest,
    Confirmation,
    form_page,
    refusal,
    staff_required,
    unless_confirmed,
)
from hearth.patients import access, queries, services, signals
from hearth.patients.choices import EpisodeState
from hearth.patients.forms import (
    CaregiverForm,
    CareTeamForm,
    CommissionDecisionForm,
    DeathForm,
    DiagnosisForm,
    DischargeForm,
    EditPatientForm,
    EmergencyAccessForm,
    EmergencyReviewForm,
    NewReferralForm,
    NoteForm,
    PatientDetailsForm,
    ReferralForm,
    ScreeningForm,
)
from hearth.patients.models import CareTeamAssignment, EmergencyAccess, Episode, Patient


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    if access.is_volunteer(request.user):
        return redirect("volunteers_me")
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    return redirect("portal")


@staff_required
@refuses_bad_pages
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    if access.is_volunteer(request.user):
        # A volunteer's people are their assignments, each opening its brief.
        return redirect("volunteers_me")
    state = request.GET.get("state") or None
    if state not in EpisodeState.values:
        state = None
    mine = request.GET.get("mine") == "1"
    search = request.GET.get("q", "")[:100]
    rows = queries.worklist(
        request.user, state=state, mine_only=mine, search=search, request=request
    )
    return render(
        request,
        "patients/worklist.html",
        {
            "rows": rows,
            "page": rows.page,
            "states": EpisodeState.choices,
            "state": state,
            "mine": mine,
            "search": search,
            "can_refer": request.user.has_perm("patients.refer_new_patient"),
        },
    )


def _patient_or_refuse(request: AuthenticatedRequest, patient_id: Any, **kwargs: Any) -> Patient:
    return access.access_patient(request.user, patient_id, **kwargs)


@staff_required
def patient_page(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    try:
        patient = _patient_or_refuse(request, patient_id)
    except DomainError as error:
        if error.code == "emergency_access_available":
            refusals.note(request, error.code)  # refused, though answered by a redirect
            return redirect("emergency_access", patient_id=patient_id)
        return refusal(request, error)
    episodes = list(
        patient.episodes.select_related("referral").prefetch_related(
            "screenings__screened_by",
            "commission_decisions__members",
            "commission_decisions__chair",
            "commission_decisions__signed_by",
        )
    )
    episode = episodes[0] if episodes else None
    return render(
        request,
        "patients/patient.html",
        {
            "patient": patient,
            "episode": episode,
            "earlier_episodes": episodes[1:],
            "decision": episode.current_decision if episode else None,
            "stage": episode.stage if episode else None,
            "diagnoses": patient.diagnoses.current().select_related("recorded_by"),
            "team": queries.care_team(patient),
            "caregivers": patient.caregivers.filter(ended_at__isnull=True).select_related("user"),
            "timeline": queries.timeline(patient, limit=50),
            "emergency": access.reached_only_by_emergency_access(request.user, patient),
            "emergency_grant": EmergencyAccess.objects.in_force()
            .filter(user_id=request.user.pk or 0, patient=patient)
            .first(),
        },
    )


@staff_required
def refer_new_patient(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.refer_new_patient"):
        return refusal(request, NotAllowed(_("Your role cannot refer patients.")))

    def perform(data: dict[str, Any]) -> Episode:
        return services.refer_new_patient(
            actor=request.user,
            patient={f: data[f] for f in NewReferralForm.PATIENT_FIELDS},
            referral={f: data[f] for f in NewReferralForm.REFERRAL_FIELDS},
            diagnoses=[
                {
                    "icd10_code": data["icd10_code"],
                    "text": data["diagnosis_text"],
                    "group": data["diagnosis_group"],
                    "is_primary": True,
                }
            ],
        )

    title = _("New referral")
    if _finding_the_address(request):
        return _address_search_step(request, NewReferralForm(initial=request.POST.dict()), title)
    return form_page(
        request,
        form_class=NewReferralForm,
        title=title,
        perform=perform,
        success_url=lambda episode: reverse("patient", args=[episode.patient.external_id]),
        success_message=_("Referral recorded."),
    )


def _finding_the_address(request: AuthenticatedRequest) -> bool:
    """The first step of the address picker without JavaScript: the person
    pressed "Find the address on the map" rather than Save."""
    return request.method == "POST" and "find_address" in request.POST


def _address_search_step(
    request: AuthenticatedRequest,
    form: PatientDetailsForm,
    title: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show the form again as it was typed (nothing saved, no errors yet),
    with the places the search found to choose from."""
    form.offer_places()
    return render(
        request,
        "patients/form_page.html",
        {"form": form, "title": title, "submit_label": _("Save"), **(context or {})},
    )


def _may(request: AuthenticatedRequest, perm: str, patient: Patient) -> bool:
    return bool(request.user.has_perm(perm, patient))


def _patient_form(
    request: AuthenticatedRequest,
    patient_id: Any,
    perm: str,
    build: Callable[[Patient], HttpResponse],
) -> HttpResponse:
    """Open the patient for a write page; people who could not save the form
    are told so before they fill it in (the service checks again on save)."""
    try:
        patient = _patient_or_refuse(request, patient_id, audit_read=False)
    except DomainError as error:
        return refusal(request, error)
    if not _may(request, perm, patient):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    return build(patient)


def _episode_form(
    request: AuthenticatedRequest,
    episode_id: Any,
    perm: str,
    build: Callable[[Episode], HttpResponse],
) -> HttpResponse:
    try:
        episode = services.get_episode(actor=request.user, episode_id=episode_id)
    except DomainError as error:
        return refusal(request, error)
    if not _may(request, perm, episode.patient):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    return build(episode)


def _back_to(patient: Patient) -> Callable[[Any], str]:
    return lambda _result: reverse("patient", args=[patient.external_id])


@staff_required
def edit_patient(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        initial = {
            field: getattr(patient, field)
            for field in EditPatientForm.base_fields
            if field not in EditPatientForm.PLACE_FIELDS
        }
        title = _("Edit details of %(name)s") % {"name": patient.full_name}
        if _finding_the_address(request):
            form = EditPatientForm(initial={**initial, **request.POST.dict()})
            return _address_search_step(request, form, title, {"patient": patient})
        return form_page(
            request,
            form=EditPatientForm(request.POST or None, initial=initial),
            title=title,
            perform=lambda data: services.update_patient(
                actor=request.user,
                patient=patient,
                changes=data,
            ),
            success_url=_back_to(patient),
            success_message=_("Details saved."),
            context={"patient": patient},
        )

    return _patient_form(request, patient_id, "patients.change_patient", build)


@staff_required
def add_diagnosis(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=DiagnosisForm,
            title=_("Add a diagnosis"),
            perform=lambda data: services.add_diagnosis(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=_back_to(patient),
            success_message=_("Diagnosis added."),
            context={"patient": patient},
        )

    return _patient_form(request, patient_id, "patients.manage_diagnoses", build)


@staff_required
def add_caregiver(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=CaregiverForm,
            title=_("Add a family caregiver"),
            perform=lambda data: services.add_family_caregiver(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=_back_to(patient),
            success_message=_("Family caregiver added. Give them their username and password."),
            context={"patient": patient},
        )

    return _patient_form(request, patient_id, "patients.manage_caregivers", build)


@staff_required
def refer_again(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=ReferralForm,
            title=_("New referral for %(name)s") % {"name": patient.full_name},
            perform=lambda data: services.refer_existing_patient(
                actor=request.user,
                patient=patient,
                referral=data,
            ),
            success_url=_back_to(patient),
            success_message=_("Referral recorded."),
            context={"patient": patient},
        )

    return _patient_form(request, patient_id, "patients.refer_again", build)


@staff_required
def care_team(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=CareTeamForm,
            title=_("Care team of %(name)s") % {"name": patient.full_name},
            perform=lambda data: services.assign_to_care_team(
                actor=request.user,
                patient=patient,
                staff=data["staff"],
                role=data["role"],
            ),
            success_url=lambda _r: reverse("care_team", args=[patient.external_id]),
            success_message=_("Added to the care team."),
            context={"patient": patient, "team": queries.care_team(patient), "show_team": True},
            submit_label=_("Assign"),
        )

    return _patient_form(request, patient_id, "patients.manage_care_team", build)


@staff_required
@require_POST
def end_assignment(request: AuthenticatedRequest, assignment_id: Any) -> HttpResponse:
    try:
        assignment = CareTeamAssignment.objects.select_related("patient", "staff").get(
            external_id=assignment_id
        )
        access.access_patient(request.user, assignment.patient.external_id, audit_read=False)
        if assignment.ended_at is None:
            asking = unless_confirmed(
                request,
                Confirmation(
                    question=_("Remove %(name)s (%(role)s) from the care team of %(patient)s?")
                    % {
                        "name": assignment.staff.display_name,
                        "role": assignment.get_role_display().lower(),
                        "patient": assignment.patient.full_name,
                    },
                    consequence=_(
                        "From now on they are no longer on this person's care team. "
                        "What they wrote stays in the record."
                    ),
                    yes_label=_("Yes, remove them from the team"),
                ),
                back_url=reverse("care_team", args=[assignment.patient.external_id]),
            )
            if asking is not None:
                return asking
        services.end_care_team_assignment(actor=request.user, assignment=assignment)
    except CareTeamAssignment.DoesNotExist as error:
        raise Http404 from error
    except DomainError as error:
        return refusal(request, error)
    messages.success(request, _("Removed from the care team."))
    return redirect("care_team", patient_id=assignment.patient.external_id)


@staff_required
def emergency_access(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    try:
        access.refuse_a_volunteer(request.user)
        patient = access.find_patient(patient_id)
    except DomainError as error:
        return refusal(request, error)
    if access.staff_can_open(request.user, patient):
        return redirect("patient", patient_id=patient.external_id)
    if not access.can_use_emergency_access(request.user, patient):
        return refusal(request, NotAllowed(_("Your role cannot use emergency access.")))
    return form_page(
        request,
        form_class=EmergencyAccessForm,
        title=_("Emergency access"),
        perform=lambda data: services.use_emergency_access(
            actor=request.user,
            patient=patient,
            reason=data["reason"],
        ),
        # The emergency summary comes first: CPR status and focus of care are
        # what a clinician called at night needs before anything else.
        success_url=lambda _grant: reverse("emergency_summary", args=[patient.external_id]),
        success_message=_("Emergency access granted. The clinical lead will review it."),
        context={"emergency_warning": True},
        submit_label=_("Open the record"),
    )


@staff_required
@refuses_bad_pages
def audit_trail(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    if access.is_volunteer(request.user):
        raise Http404
    if not request.user.has_perm("patients.view_audit_trail"):
        return refusal(request, NotAllowed(_("Only an administrator can see who opened a record.")))
    try:
        patient = _patient_or_refuse(
            request, patient_id, event_type=AuditEventType.AUDIT_TRAIL_VIEWED
        )
    except DomainError as error:
        return refusal(request, error)
    return render(
        request,
        "patients/audit_trail.html",
        {"patient": patient, "events": page_of(request, queries.audit_trail_events(patient))},
    )


@staff_required
def screening(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    def build(episode: Episode) -> HttpResponse:
        return form_page(
            request,
            form_class=ScreeningForm,
            title=_("Eligibility screening (SPICT)"),
            perform=lambda data: services.record_eligibility_screening(
                actor=request.user,
                episode=episode,
                **data,
            ),
            success_url=_back_to(episode.patient),
            success_message=_("Screening recorded."),
            context={"patient": episode.patient, "episode": episode},
        )

    return _episode_form(request, episode_id, "patients.screen_eligibility", build)


@staff_required
def commission_decision(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    def build(episode: Episode) -> HttpResponse:
        primary = episode.patient.primary_diagnosis
        initial = (
            {"diagnosis_code": primary.icd10_code, "diagnosis_text": primary.text}
            if primary
            else {}
        )

        def perform(data: dict[str, Any]) -> Any:
            return services.record_commission_decision(
                actor=request.user,
                episode=episode,
                decided_on=data["decided_on"],
                member_ids=[m.external_id for m in data["members"]],
                chair_id=data["chair"].external_id,
                diagnosis_code=data["diagnosis_code"],
                diagnosis_text=data["diagnosis_text"],
                indications=data["indications"],
                form_of_care=data["form_of_care"],
                outcome=data["outcome"],
                reason=data["reason"],
                review_date=data["review_date"],
            )

        return form_page(
            request,
            form_class=CommissionDecisionForm,
            title=_("Medical commission decision"),
            perform=perform,
            success_url=_back_to(episode.patient),
            success_message=_("Decision signed."),
            context={
                "patient": episode.patient,
                "episode": episode,
                "signing_warning": True,
                # What the commission decides on, above the form (issue 20).
                "commission_facts": {
                    "referral": getattr(episode, "referral", None),
                    "screening": episode.screenings.select_related("screened_by").first(),
                    "diagnoses": episode.patient.diagnoses.current(),
                    "decision": episode.current_decision,
                },
            },
            initial=initial,
            submit_label=_("Sign the decision"),
        )

    return _episode_form(request, episode_id, "patients.record_commission_decision", build)


def _episode_action(
    request: AuthenticatedRequest,
    episode_id: Any,
    *,
    form_class: type[forms.BaseForm],
    title: str,
    service: Callable[..., Any],
    message: str,
    perm: str | Callable[[Episode], str],
    about: Callable[[Episode], dict[str, Any]] | None = None,
    submit_label: str | None = None,
) -> HttpResponse:
    """``about`` adds what the page restates before the button (what is being
    decided, on what grounds, what happens next)."""

    def build(episode: Episode) -> HttpResponse:
        return form_page(
            request,
            form_class=form_class,
            title=title,
            perform=lambda data: service(actor=request.user, episode=episode, **data),
            success_url=_back_to(episode.patient),
            success_message=message,
            context={
                "patient": episode.patient,
                "episode": episode,
                **(about(episode) if about else {}),
            },
            submit_label=submit_label,
        )

    def build_checked(episode: Episode) -> HttpResponse:
        needed = perm(episode) if callable(perm) else perm
        if not _may(request, needed, episode.patient):
            return refusal(request, NotAllowed(_("Your role does not allow this.")))
        return build(episode)

    return _episode_form(request, episode_id, "patients.view_clinical_record", build_checked)


def _telling_what_care_end_closed(
    request: AuthenticatedRequest, service: Callable[..., Episode]
) -> Callable[..., Episode]:
    """The page after a discharge or a recorded death says what it closed,
    cancelled or handed over, and in amber what could not be closed (by hand)."""

    def perform(**kwargs: Any) -> Episode:
        episode = service(**kwargs)
        summary = episode.care_end_summary
        if summary is not None and summary.items:
            messages.info(request, _("Because home care has ended:"))
            for item in summary.items:
                if item.kind == signals.FAILED:
                    messages.warning(request, item.text)
                else:
                    messages.info(request, item.text)
        elif summary is not None:
            messages.info(request, _("Nothing was left open to close."))
        return episode

    return perform


class ConfirmForm(forms.Form):
    pass


@staff_required
def admit(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    return _episode_action(
        request,
        episode_id,
        form_class=ConfirmForm,
        title=_("Admit to home care"),
        service=services.admit_to_home_care,
        perm="patients.admit",
        message=_("Admitted to home care."),
        # The page says whom, on which decision, and what follows, rather
        # than a lone Save button.
        about=lambda episode: {"admitting": True, "decision": episode.current_decision},
        submit_label=_("Admit to home care"),
    )


@staff_required
def discharge(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    return _episode_action(
        request,
        episode_id,
        form_class=DischargeForm,
        title=_("Discharge"),
        service=_telling_what_care_end_closed(request, services.discharge),
        perm="patients.discharge",
        message=_("Discharged."),
    )


@staff_required
def record_death(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    return _episode_action(
        request,
        episode_id,
        form_class=DeathForm,
        title=_("Record a death"),
        service=_telling_what_care_end_closed(request, services.record_death),
        perm="patients.record_death",
        message=_("Death recorded. Consider starting bereavement follow-up for the family."),
    )


@staff_required
def start_bereavement(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    return _episode_action(
        request,
        episode_id,
        form_class=ConfirmForm,
        title=_("Start bereavement follow-up"),
        service=services.start_bereavement_follow_up,
        perm="patients.bereavement",
        message=_("Bereavement follow-up started."),
    )


@staff_required
def close_episode(request: AuthenticatedRequest, episode_id: Any) -> HttpResponse:
    return _episode_action(
        request,
        episode_id,
        form_class=NoteForm,
        title=_("Close the episode"),
        service=services.close_episode,
        perm=services.close_episode_permission,
        message=_("Episode closed."),
    )


@staff_required
def commission_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_commission_member:
        return refusal(request, NotAllowed(_("Only members of the medical commission see this.")))
    return render(
        request,
        "patients/commission_queue.html",
        {"episodes": queries.commission_queue(request.user)},
    )


@staff_required
def emergency_access_review(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.review_emergency_access"):
        return refusal(request, NotAllowed(_("Only the clinical lead reviews emergency access.")))
    return render(
        request,
        "patients/emergency_review.html",
        {"grants": queries.emergency_access_for_review(), "form": EmergencyReviewForm()},
    )


@staff_required
@require_POST
def review_emergency_access(request: AuthenticatedRequest, grant_id: Any) -> HttpResponse:
    try:
        grant = EmergencyAccess.objects.select_related("patient", "user").get(external_id=grant_id)
    except EmergencyAccess.DoesNotExist as error:
        raise Http404 from error
    form = EmergencyReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome."))
        return redirect("emergency_access_review")
    try:
        services.review_emergency_access(actor=request.user, grant=grant, **form.cleaned_data)
    except DomainError as error:
        if error.status == 403:
            return refusal(request, error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("Review recorded."))
    return redirect("emergency_access_review")


@login_required
def portal(request: AuthenticatedRequest) -> HttpResponse:
    """The family's home: their patient, the team and how to reach them."""
    user = request.user
    if user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)
    patient = access.access_patient(
        user, patient.external_id, clinical=False, event_type=AuditEventType.PORTAL_VIEWED
    )
    return render(
        request,
        "patients/portal.html",
        {
            "patient": patient,
            "team": queries.care_team(patient),
            "caregivers": patient.caregivers.filter(ended_at__isnull=True).select_related("user"),
            "episode": patient.current_episode,
        },
    )
