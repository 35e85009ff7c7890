"""Bereavement pages: the staff worklist, a patient's plan (contacts, risk
screens, return checklist, closure), the forms that change it, and the
family's "our contacts with you".

Every write goes through ``hearth.bereavement.services``; a refusal shows on
the form it came from, or as the refusal page for a page the person may not
open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.accounts.models import UserKind
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.web import (
    AuthenticatedRequest,
    page_with_way_back,
    refusal,
    staff_required,
)
from hearth.patients.models import Patient
from hearth.patients.web import with_patient

from . import queries, services
from .forms import (
    ChangeContactForm,
    ClosePlanForm,
    ConfirmForm,
    ContactForm,
    ContactOutcomeForm,
    ReasonForm,
    RiskScreenForm,
)
from .models import BereavementContact, BereavementPlan

VIEW = "bereavement.view_plan"
MANAGE = "bereavement.manage_plan"
FORM = "bereavement/form_page.html"


def _plan_url(patient: Patient) -> str:
    return reverse("patient_bereavement", args=[patient.external_id])


def _way_back_label(patient: Patient) -> str:
    """Every bereavement write page leads back to the family's plan."""
    return _("Bereavement") + " · " + patient.full_name


def _plan(patient: Patient) -> BereavementPlan:
    plan = queries.plan_for(patient)
    if plan is None:
        raise Http404
    return plan


def _relatives(patient: Patient) -> list[Any]:
    return list(queries.relatives_of(patient))


def _contact(contact_id: Any) -> BereavementContact:
    found = queries.contact_detail(contact_id)
    if found is None:
        raise Http404
    return found


# --- Staff ----------------------------------------------------------------------


@staff_required
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Families whose contact is overdue or due this week, on the caller's patients."""
    actor = request.user
    if not actor.has_perm("bereavement.view_worklist"):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    everything = request.GET.get("all") == "1"
    return render(
        request,
        "bereavement/worklist.html",
        {"rows": queries.worklist(actor, everything=everything), "everything": everything},
    )


@staff_required
def patient_bereavement(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The plan: contacts, risk screens, the live return checklist and closure."""

    def build(patient: Patient) -> HttpResponse:
        actor = request.user
        plan = queries.plan_for(patient)
        checklist = queries.returns_checklist(patient) if plan else None
        can = {
            "manage": actor.has_perm(MANAGE, patient),
            "screen": actor.has_perm("bereavement.screen_risk", patient),
            "confirm_equipment": actor.has_perm("bereavement.confirm_equipment", patient),
            "confirm_drugs": actor.has_perm("bereavement.confirm_controlled_drugs", patient),
            "close": actor.has_perm("bereavement.close_plan", patient),
        }
        open_plan = plan is not None and plan.is_open
        return render(
            request,
            "bereavement/plan.html",
            {
                "patient": patient,
                "plan": plan,
                "contacts": list(plan.contacts.all()) if plan else [],
                "screens": list(plan.screens.all()) if plan else [],
                "checklist": checklist,
                "loans": [(loan, queries.describe_loan(loan)) for loan in checklist.loans]
                if checklist
                else [],
                "drugs": [
                    (holding, queries.describe_holding(holding))
                    for holding in checklist.controlled_drugs
                ]
                if checklist
                else [],
                "equipment_url": f"/patients/{patient.external_id}/equipment/",
                "can": can,
                "open_plan": open_plan,
                "may_start": plan is None
                and can["manage"]
                and patient.episodes.filter(died_at__isnull=False).exists(),
                "today": clock.today(),
                "risk_bands": queries.risk_bands(),
            },
        )

    return with_patient(request, patient_id, VIEW, build, AuditEventType.BEREAVEMENT_PLAN_VIEWED)


@staff_required
@require_POST
def start_plan(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        try:
            services.create_plan(actor=request.user, patient=patient)
        except DomainError as error:
            if isinstance(error, NotAllowed):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Bereavement plan started."))
        return redirect(_plan_url(patient))

    return with_patient(request, patient_id, MANAGE, build)


@staff_required
def add_contact(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plan = _plan(patient)
        form = ContactForm(
            request.POST or None, relatives=_relatives(patient), initial={"kind": "phone_call"}
        )
        return page_with_way_back(
            request,
            form,
            title=_("Plan a contact with the family"),
            perform=lambda data: services.add_contact(actor=request.user, plan=plan, **data),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Contact planned."),
            submit_label=_("Plan it"),
            template=FORM,
        )

    return with_patient(request, patient_id, MANAGE, build)


def _on_contact(
    request: AuthenticatedRequest,
    contact_id: Any,
    perm: str,
    build: Callable[[BereavementContact], HttpResponse],
) -> HttpResponse:
    contact = _contact(contact_id)
    return with_patient(request, contact.plan.patient.external_id, perm, lambda _p: build(contact))


def _contact_title(contact: BereavementContact) -> str:
    return f"{contact.get_kind_display()} · {date_format(contact.due_on, 'j M Y')}"


@staff_required
def change_contact(request: AuthenticatedRequest, contact_id: Any) -> HttpResponse:
    def build(contact: BereavementContact) -> HttpResponse:
        patient = contact.plan.patient
        form = ChangeContactForm(
            request.POST or None,
            relatives=_relatives(patient),
            initial={
                "due_on": contact.due_on,
                "kind": contact.kind,
                "relative_ids": [str(link.external_id) for link in contact.relatives.all()],
            },
        )
        return page_with_way_back(
            request,
            form,
            title=_("Reschedule or change: %(contact)s") % {"contact": _contact_title(contact)},
            perform=lambda data: services.update_contact(
                actor=request.user,
                contact=contact,
                due_on=data["due_on"],
                kind=data["kind"],
                relative_ids=data["relative_ids"] or None,
                reason=data["reason"],
            ),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Contact changed."),
            template=FORM,
        )

    return _on_contact(request, contact_id, MANAGE, build)


@staff_required
def record_contact(request: AuthenticatedRequest, contact_id: Any) -> HttpResponse:
    def build(contact: BereavementContact) -> HttpResponse:
        patient = contact.plan.patient
        form = ContactOutcomeForm(
            request.POST or None,
            relatives=_relatives(patient),
            initial={
                "outcome": "done",
                "done_at": clock.now().replace(second=0, microsecond=0),
                "relative_ids": [str(link.external_id) for link in contact.relatives.all()],
            },
        )
        return page_with_way_back(
            request,
            form,
            title=_("Record: %(contact)s") % {"contact": _contact_title(contact)},
            perform=lambda data: services.record_contact(
                actor=request.user, contact=contact, **data
            ),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Contact recorded."),
            context={"episode_state": contact.plan.episode.state},
            template=FORM,
        )

    return _on_contact(request, contact_id, MANAGE, build)


@staff_required
def contact_not_needed(request: AuthenticatedRequest, contact_id: Any) -> HttpResponse:
    def build(contact: BereavementContact) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Not needed: %(contact)s") % {"contact": _contact_title(contact)},
            perform=lambda data: services.mark_contact_not_needed(
                actor=request.user, contact=contact, reason=data["reason"]
            ),
            back_url=_plan_url(contact.plan.patient),
            back_label=_way_back_label(contact.plan.patient),
            success_message=_("Contact marked not needed."),
            submit_label=_("Mark not needed"),
            template=FORM,
        )

    return _on_contact(request, contact_id, MANAGE, build)


@staff_required
def risk_screen(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plan = _plan(patient)
        bands = queries.risk_bands()
        return page_with_way_back(
            request,
            RiskScreenForm(request.POST or None, relatives=_relatives(patient)),
            title=_("Bereavement risk screen"),
            perform=lambda data: services.record_risk_screen(
                actor=request.user,
                plan=plan,
                factors=data["factors"],
                relative_ids=data["relative_ids"],
                raised_to=data["raised_to"],
                note=data["note"],
                referred_to=data["referred_to"],
            ),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Risk screen recorded."),
            context={
                "intro": _(
                    "Tick the factors present. The result follows the service's banding "
                    "(moderate from %(moderate)s factors, high from %(high)s): a service "
                    "choice, not a validated cut-off. Raise it if your judgement says so."
                )
                % {"moderate": bands["moderate_from"], "high": bands["high_from"]},
            },
            template=FORM,
        )

    return with_patient(request, patient_id, "bereavement.screen_risk", build)


@staff_required
def screen_entered_in_error(request: AuthenticatedRequest, screen_id: Any) -> HttpResponse:
    screen = queries.screen_detail(screen_id)
    if screen is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Mark the risk screen of %(day)s entered in error")
            % {"day": date_format(screen.screened_at, "j M Y")},
            perform=lambda data: services.mark_screen_entered_in_error(
                actor=request.user, screen=screen, reason=data["reason"]
            ),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Risk screen marked entered in error."),
            submit_label=_("Mark entered in error"),
            template=FORM,
        )

    return with_patient(request, screen.plan.patient.external_id, "bereavement.screen_risk", build)


def _confirm_page(
    request: AuthenticatedRequest,
    patient_id: Any,
    perm: str,
    title: str,
    act: Callable[..., Any],
    done: str,
) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plan = _plan(patient)
        return page_with_way_back(
            request,
            ConfirmForm(request.POST or None),
            title=title,
            perform=lambda data: act(actor=request.user, plan=plan, note=data["note"]),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=done,
            submit_label=_("Confirm"),
            template=FORM,
        )

    return with_patient(request, patient_id, perm, build)


@staff_required
def confirm_equipment(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    return _confirm_page(
        request,
        patient_id,
        "bereavement.confirm_equipment",
        _("Confirm all equipment collected"),
        services.confirm_equipment_collected,
        _("Equipment collection confirmed."),
    )


@staff_required
def confirm_drugs(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    return _confirm_page(
        request,
        patient_id,
        "bereavement.confirm_controlled_drugs",
        _("Confirm controlled drugs returned or destroyed"),
        services.confirm_controlled_drugs,
        _("Controlled drugs confirmed returned or destroyed."),
    )


@staff_required
def close_plan(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        plan = _plan(patient)
        return page_with_way_back(
            request,
            ClosePlanForm(request.POST or None),
            title=_("Close bereavement follow-up"),
            perform=lambda data: services.close_plan(actor=request.user, plan=plan, **data),
            back_url=_plan_url(patient),
            back_label=_way_back_label(patient),
            success_message=_("Bereavement follow-up closed."),
            submit_label=_("Close"),
            template=FORM,
        )

    return with_patient(request, patient_id, "bereavement.close_plan", build)


# --- The family portal -------------------------------------------------------------


@login_required
def portal_bereavement(request: AuthenticatedRequest) -> HttpResponse:
    """Our contacts with you: the months we plan to be in touch, and whom to call."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = queries.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)

    def build(found: Patient) -> HttpResponse:
        return render(
            request,
            "bereavement/portal.html",
            {
                "patient": found,
                "view": queries.family_view(found),
                "helpline_phone": settings.HEARTH_FAMILY_HELPLINE_PHONE,
                "helpline_hours": settings.HEARTH_FAMILY_HELPLINE_HOURS,
            },
        )

    return with_patient(
        request,
        patient.external_id,
        "bereavement.view_portal",
        build,
        AuditEventType.BEREAVEMENT_PORTAL_VIEWED,
    )
