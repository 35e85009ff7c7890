"""Allergy pages for staff and the family portal. Same services and rules as
the API: every write goes through ``hearth.allergies.services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from hearth.allergies import queries, services
from hearth.allergies.forms import (
    AcceptForm,
    AllergyForm,
    AllergyReasonForm,
    ChangeAllergyForm,
    NkdaForm,
    ProposalForm,
)
from hearth.allergies.models import AllergyIntolerance
from hearth.core.audit_events import AuditEventType
from hearth.core.web import AuthenticatedRequest, page_with_way_back, staff_required
from hearth.patients.models import Patient
from hearth.patients.web import with_patient, with_patient_of, with_portal_patient

FORM = "allergies/form_page.html"


def _allergies_url(patient: Patient) -> str:
    return reverse("allergies", args=[patient.external_id])


def _find(allergy_id: Any) -> AllergyIntolerance:
    found = (
        AllergyIntolerance.objects.select_related("patient", "substance", "proposed_by")
        .filter(external_id=allergy_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _may(request: AuthenticatedRequest, perm: str, patient: Patient) -> bool:
    return bool(request.user.has_perm(f"allergies.{perm}", patient))


@staff_required
def allergies(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Everything recorded about the person's allergies, with the actions."""

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "allergies/allergies.html",
            {
                "patient": patient,
                **queries.allergies_for_page(patient),
                "can_record": _may(request, "record_allergies", patient),
                "can_review": _may(request, "review_proposals", patient),
            },
        )

    return with_patient(
        request, patient_id, "allergies.view_allergies", build, AuditEventType.ALLERGIES_VIEWED
    )


@staff_required
def allergy_history(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    """Every version of one record: who wrote what, when and why."""
    allergy = _find(allergy_id)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "allergies/history.html",
            {"patient": patient, "allergy": allergy, "versions": queries.history(allergy)},
        )

    return with_patient(
        request,
        allergy.patient.external_id,
        "allergies.view_allergies",
        build,
        AuditEventType.ALLERGY_HISTORY_VIEWED,
    )


def _write_page(
    request: AuthenticatedRequest,
    patient: Patient,
    form: Any,
    *,
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    done: str,
    allergy: AllergyIntolerance | None = None,
) -> HttpResponse:
    return page_with_way_back(
        request,
        form,
        title=title,
        perform=perform,
        back_url=_allergies_url(patient),
        success_message=done,
        context={"patient": patient, "allergy": allergy},
        template=FORM,
    )


@staff_required
def record_allergy(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return _write_page(
            request,
            patient,
            AllergyForm(request.POST or None),
            title=_("Record an allergy or intolerance"),
            perform=lambda data: services.record_allergy(
                actor=request.user, patient=patient, **data
            ),
            done=_("Allergy recorded."),
        )

    return with_patient(request, patient_id, "allergies.record_allergies", build)


@staff_required
def record_nkda(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return _write_page(
            request,
            patient,
            NkdaForm(request.POST or None),
            title=_("No known drug allergies"),
            perform=lambda data: services.record_no_known_drug_allergies(
                actor=request.user, patient=patient, **data
            ),
            done=_("Recorded: no known drug allergies."),
        )

    return with_patient(request, patient_id, "allergies.record_allergies", build)


@staff_required
def change_allergy(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    allergy = _find(allergy_id)

    def build(patient: Patient) -> HttpResponse:
        initial = {
            "type": allergy.type,
            "reaction": allergy.reaction,
            "severity": allergy.severity,
            "certainty": allergy.certainty,
            "reported_by": allergy.reported_by,
            "reported_on": allergy.reported_on,
        }

        def perform(data: dict[str, Any]) -> Any:
            changes = dict(data)
            reason = changes.pop("reason")
            return services.change_allergy(
                actor=request.user, allergy=allergy, reason=reason, changes=changes
            )

        return _write_page(
            request,
            patient,
            ChangeAllergyForm(request.POST or None, initial=initial),
            title=_("Change %(allergy)s") % {"allergy": allergy.substance_label},
            perform=perform,
            done=_("Changed: the earlier version stays in the history."),
            allergy=allergy,
        )

    return with_patient_of(request, allergy, "allergies.record_allergies", build)


def _reason_page(
    request: AuthenticatedRequest,
    allergy_id: Any,
    *,
    perm: str,
    title: str,
    act: Callable[..., Any],
    done: str,
) -> HttpResponse:
    allergy = _find(allergy_id)

    def build(patient: Patient) -> HttpResponse:
        return _write_page(
            request,
            patient,
            AllergyReasonForm(request.POST or None),
            title=title % {"allergy": allergy.substance_label},
            perform=lambda data: act(actor=request.user, allergy=allergy, reason=data["reason"]),
            done=done,
            allergy=allergy,
        )

    return with_patient_of(request, allergy, perm, build)


@staff_required
def refute_allergy(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    return _reason_page(
        request,
        allergy_id,
        perm="allergies.record_allergies",
        title=_("Not an allergy after all: %(allergy)s"),
        act=services.refute_allergy,
        done=_("Marked refuted: it no longer counts at prescribing."),
    )


@staff_required
def entered_in_error(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    return _reason_page(
        request,
        allergy_id,
        perm="allergies.record_allergies",
        title=_("Entered in error: %(allergy)s"),
        act=services.mark_entered_in_error,
        done=_("Marked entered in error."),
    )


@staff_required
def decline_proposal(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    return _reason_page(
        request,
        allergy_id,
        perm="allergies.review_proposals",
        title=_("Decline the family's proposal: %(allergy)s"),
        act=services.decline_proposal,
        done=_("Declined; the family sees your reason."),
    )


@staff_required
def accept_proposal(request: AuthenticatedRequest, allergy_id: Any) -> HttpResponse:
    allergy = _find(allergy_id)

    def build(patient: Patient) -> HttpResponse:
        initial = {
            "type": allergy.type,
            "reaction": allergy.reaction,
            "severity": allergy.severity,
        }
        return _write_page(
            request,
            patient,
            AcceptForm(request.POST or None, initial=initial),
            title=_("Accept the family's proposal: %(allergy)s")
            % {"allergy": allergy.substance_label},
            perform=lambda data: services.accept_proposal(
                actor=request.user, allergy=allergy, **data
            ),
            done=_("Accepted: it is now part of the record."),
            allergy=allergy,
        )

    return with_patient_of(request, allergy, "allergies.review_proposals", build)


# --- The family portal ----------------------------------------------------------


@login_required
def portal_allergies(request: AuthenticatedRequest) -> HttpResponse:
    """The family reads the allergies the team knows and their own proposals."""

    def build(patient: Patient) -> HttpResponse:
        page = queries.allergies_for_page(patient)
        return render(
            request,
            "allergies/portal_allergies.html",
            {
                "patient": patient,
                "summary": page["summary"],
                "proposed": page["proposed"],
                "declined": page["declined"],
                "can_propose": _may(request, "propose_allergy", patient),
            },
        )

    return with_portal_patient(
        request, "allergies.view_allergies", build, AuditEventType.ALLERGIES_VIEWED
    )


@login_required
def portal_propose(request: AuthenticatedRequest) -> HttpResponse:
    """Tell the team about an allergy; a clinician confirms it before it counts."""

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ProposalForm(request.POST or None),
            title=_("Tell the team about an allergy"),
            perform=lambda data: services.propose_allergy(
                actor=request.user, patient=patient, **data
            ),
            back_url=reverse("portal_allergies"),
            back_label=_("Allergies"),
            success_message=_(
                "Thank you. A nurse or doctor will check it; until then it shows as "
                "“proposed by family, not yet confirmed by a clinician”."
            ),
            context={"patient": patient, "portal": True},
            template=FORM,
        )

    return with_portal_patient(request, "allergies.propose_allergy", build)
