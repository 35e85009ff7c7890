"""Profile pages for staff and the family portal. Same services and rules as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.accounts.models import UserKind
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError
from hearth.core.web import AuthenticatedRequest, form_page, refusal, staff_required
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.web import open_for, with_patient
from hearth.personhood import queries, services
from hearth.personhood.choices import Section
from hearth.personhood.forms import (
    LegacyItemForm,
    ProposalDecisionForm,
    ProposalForm,
    WeeklyWindowForm,
    section_form,
)
from hearth.personhood.models import SECTION_MODELS, LegacyItem, ProfileProposal, WeeklyWindow
from hearth.personhood.pdf import about_me_pdf


def _profile_url(patient: Patient) -> Callable[[Any], str]:
    return lambda _result: reverse("profile", args=[patient.external_id])


@staff_required
def profile(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "personhood/profile.html",
            {
                "patient": patient,
                **queries.profile(patient),
                "can_edit": request.user.has_perm("personhood.change_profile", patient),
                "decision_form": ProposalDecisionForm(),
            },
        )

    return with_patient(
        request, patient_id, "personhood.view_profile", build, AuditEventType.PROFILE_VIEWED
    )


@staff_required
def edit_section(request: AuthenticatedRequest, patient_id: Any, section: str) -> HttpResponse:
    if section not in SECTION_MODELS:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        row = services.section_of(patient, section)
        return form_page(
            request,
            form_class=section_form(section),
            title=str(Section(section).label),
            perform=lambda data: services.update_section(
                actor=request.user,
                patient=patient,
                section=section,
                changes=data,
            ),
            success_url=_profile_url(patient),
            success_message=_("Profile saved."),
            context={"patient": patient},
            initial=row.content(),
        )

    return with_patient(request, patient_id, "personhood.change_profile", build)


@staff_required
def section_history(request: AuthenticatedRequest, patient_id: Any, section: str) -> HttpResponse:
    if section not in SECTION_MODELS:
        raise Http404
    model = SECTION_MODELS[section]
    labels = {f.name: f.verbose_name for f in model.content_fields()}

    def build(patient: Patient) -> HttpResponse:
        versions = queries.section_history(patient, section)
        return render(
            request,
            "personhood/section_history.html",
            {
                "patient": patient,
                "title": Section(section).label,
                "versions": [
                    (version, [(labels[name], version.content[name]) for name in version.changed])
                    for version in versions
                ],
            },
        )

    return with_patient(
        request, patient_id, "personhood.view_profile", build, AuditEventType.PROFILE_HISTORY_VIEWED
    )


@staff_required
def add_window(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=WeeklyWindowForm,
            title=_("Add a weekly time (prayer, rest, do not disturb)"),
            perform=lambda data: services.add_weekly_window(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=_profile_url(patient),
            success_message=_("Weekly time added."),
            context={"patient": patient},
        )

    return with_patient(request, patient_id, "personhood.change_profile", build)


def _post_action(
    request: AuthenticatedRequest, model: Any, object_id: Any, act: Callable[[Any], Any], done: str
) -> HttpResponse:
    obj = model.objects.select_related("patient").filter(external_id=object_id).first()
    if obj is None:
        raise Http404
    try:
        open_for(request, obj.patient.external_id, "personhood.view_profile")
        act(obj)
    except DomainError as error:
        if error.status in (403, 404):
            return refusal(request, error)
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("profile", patient_id=obj.patient.external_id)


@staff_required
@require_POST
def remove_window(request: AuthenticatedRequest, window_id: Any) -> HttpResponse:
    return _post_action(
        request,
        WeeklyWindow,
        window_id,
        lambda window: services.remove_weekly_window(actor=request.user, window=window),
        _("Weekly time removed."),
    )


@staff_required
def add_legacy_item(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=LegacyItemForm,
            title=_("Add a legacy activity or wish"),
            perform=lambda data: services.add_legacy_item(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=_profile_url(patient),
            success_message=_("Added."),
            context={"patient": patient},
        )

    return with_patient(request, patient_id, "personhood.change_profile", build)


@staff_required
def edit_legacy_item(request: AuthenticatedRequest, item_id: Any) -> HttpResponse:
    item = LegacyItem.objects.select_related("patient").filter(external_id=item_id).first()
    if item is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=LegacyItemForm,
            title=item.title,
            perform=lambda data: services.update_legacy_item(
                actor=request.user,
                item=item,
                changes=data,
            ),
            success_url=_profile_url(patient),
            success_message=_("Saved."),
            context={"patient": patient},
            initial={field: getattr(item, field) for field in LegacyItemForm.base_fields},
        )

    return with_patient(request, item.patient.external_id, "personhood.change_profile", build)


def _answer_proposal(
    request: AuthenticatedRequest, proposal_id: Any, answer: Callable[..., Any], done: str
) -> HttpResponse:
    form = ProposalDecisionForm(request.POST)
    response = form.cleaned_data["response"] if form.is_valid() else ""
    return _post_action(
        request,
        ProfileProposal,
        proposal_id,
        lambda proposal: answer(actor=request.user, proposal=proposal, response=response),
        done,
    )


@staff_required
@require_POST
def accept_proposal(request: AuthenticatedRequest, proposal_id: Any) -> HttpResponse:
    return _answer_proposal(
        request,
        proposal_id,
        services.accept_proposal,
        _("Accepted. Their words are now shown with that part of the profile."),
    )


@staff_required
@require_POST
def decline_proposal(request: AuthenticatedRequest, proposal_id: Any) -> HttpResponse:
    return _answer_proposal(request, proposal_id, services.decline_proposal, _("Reply sent."))


@login_required
def about_me_document(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Printed for the home and for each visit; the family may print it too."""
    return with_patient(
        request,
        patient_id,
        "personhood.view_profile",
        lambda patient: about_me_pdf(request, patient),
        AuditEventType.PROFILE_ABOUT_ME_PRINTED,
    )


# --- Portal -----------------------------------------------------------------------


@login_required
def portal_profile(request: AuthenticatedRequest) -> HttpResponse:
    """The family reads the profile and what they asked to change, with the answers."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "personhood/portal_profile.html",
            {
                "patient": patient,
                **queries.profile(patient, for_family=request.user.kind == UserKind.FAMILY),
                **queries.about_me(patient),
            },
        )

    return with_patient(
        request,
        patient.external_id,
        "personhood.view_profile",
        build,
        AuditEventType.PORTAL_PROFILE_VIEWED,
    )


@login_required
def portal_propose(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)
    initial = {"section": request.GET.get("section", "")}

    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=ProposalForm,
            title=_("Tell the team what matters"),
            perform=lambda data: services.propose_change(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=lambda _r: reverse("portal_profile"),
            success_message=_("Thank you. The team will read this and reply here."),
            initial=initial,
            submit_label=_("Send to the team"),
        )

    return with_patient(request, patient.external_id, "personhood.propose_change", build)
