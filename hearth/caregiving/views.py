"""Caregiving pages for staff and the family portal.

The same services and rules as the API: every write goes through
``hearth.caregiving.services``; a refusal is shown on the form or, for a page
the person may not open at all, as the refusal page. The family sees only
their own patient, and in training only their own record.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from hearth.accounts.models import Discipline, User, UserKind
from hearth.caregiving import curriculum, queries, services
from hearth.caregiving.choices import ContactKind, SupportTaskStatus
from hearth.caregiving.forms import (
    BookRespiteForm,
    CloseTaskForm,
    ContactForm,
    NoteForm,
    ReasonForm,
    RespiteRequestForm,
    SupportTaskForm,
    TrainingStepForm,
    WithdrawTrainingForm,
)
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed
from hearth.core.web import (
    AuthenticatedRequest,
    page_with_way_back,
    refusal,
    staff_required,
)
from hearth.patients import queries as patient_queries
from hearth.patients.models import CaregiverLink, Patient
from hearth.patients.web import with_patient, with_patient_of, with_portal_patient

TEMPLATE_FORM = "caregiving/form_page.html"


# --- Shared shapes --------------------------------------------------------------------


def _carers(patient: Patient, *, include_ended: bool = False) -> dict[str, CaregiverLink]:
    links = patient.caregivers.select_related("user").order_by("-is_primary_caregiver", "id")
    if not include_ended:
        links = links.filter(ended_at__isnull=True)
    return {str(link.external_id): link for link in links}


def _carer_choices(links: dict[str, CaregiverLink]) -> list[tuple[str, str]]:
    return [
        (key, f"{link.user.display_name} ({link.relationship_label})")
        for key, link in links.items()
    ]


def _team(patient: Patient) -> dict[str, User]:
    return {
        str(member.staff.external_id): member.staff
        for member in patient_queries.care_team(patient)
        if member.staff.discipline != Discipline.VOLUNTEER
    }


def _staff_choices(team: dict[str, User]) -> list[tuple[str, str]]:
    return [(key, f"{u.display_name} ({u.get_discipline_display()})") for key, u in team.items()]


def _volunteers() -> dict[str, User]:
    return {
        str(user.external_id): user
        for user in User.objects.filter(
            kind=UserKind.STAFF, discipline=Discipline.VOLUNTEER, is_active=True
        ).order_by("first_name", "last_name")
    }


def _find(queryset: QuerySet[Any], external_id: Any) -> Any:
    found = queryset.filter(external_id=external_id).first()
    if found is None:
        raise Http404
    return found


def _training_url(patient: Patient) -> str:
    return reverse("caregiving_training", args=[patient.external_id])


def _support_url(patient: Patient) -> str:
    return reverse("caregiving_family_support", args=[patient.external_id])


def _may(request: AuthenticatedRequest, perm: str, patient: Patient | None = None) -> bool:
    return bool(request.user.has_perm(f"caregiving.{perm}", patient))


# --- Training (staff) -------------------------------------------------------------------


@staff_required
def training(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Carers × skills: where each stands, the next step, the sign-off and its expiry."""

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "caregiving/training.html",
            {
                "patient": patient,
                "carers": queries.training_for(patient),
                "skills": curriculum.all_skills(),
                "can_record": _may(request, "record_training", patient),
                "sign_off_days": services.sign_off_days(),
            },
        )

    return with_patient(
        request, patient_id, "caregiving.view_training", build, AuditEventType.TRAINING_VIEWED
    )


@staff_required
def training_record(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        links = _carers(patient)
        initial = {
            "caregiver": request.GET.get("caregiver", ""),
            "skill": request.GET.get("skill", ""),
            "step": request.GET.get("step", "demonstrated"),
            "on": clock.today(),
        }
        form = TrainingStepForm(
            request.POST or None, initial=initial, caregivers=_carer_choices(links)
        )
        return page_with_way_back(
            request,
            form,
            title=_("Record a carer's training"),
            perform=lambda data: services.record_training_step(
                actor=request.user,
                patient=patient,
                caregiver=links.get(data["caregiver"]),
                skill=data["skill"],
                step=data["step"],
                on=data["on"],
                expires_on=data["expires_on"],
                note=data["note"],
            ),
            back_url=_training_url(patient),
            success_message=_("Training recorded."),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient(request, patient_id, "caregiving.record_training", build)


@staff_required
def training_withdraw(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        links = _carers(patient, include_ended=True)
        form = WithdrawTrainingForm(
            request.POST or None,
            initial={
                "caregiver": request.GET.get("caregiver", ""),
                "skill": request.GET.get("skill", ""),
            },
            caregivers=_carer_choices(links),
        )
        return page_with_way_back(
            request,
            form,
            title=_("Withdraw a carer's sign-off"),
            perform=lambda data: services.withdraw_training(
                actor=request.user,
                patient=patient,
                caregiver=links.get(data["caregiver"]),
                skill=data["skill"],
                reason=data["reason"],
            ),
            back_url=_training_url(patient),
            success_message=_(
                "Withdrawn. Their doses by that route are refused until signed off again."
            ),
            submit_label=_("Withdraw"),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient(request, patient_id, "caregiving.record_training", build)


# --- Family support (staff) --------------------------------------------------------------


@staff_required
def family_support(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Contacts, respite, support tasks and the strain schedule for one family."""

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "caregiving/family_support.html",
            {
                "patient": patient,
                **queries.family_support(patient),
                "can": {
                    name: _may(request, name, patient)
                    for name in (
                        "record_counselling",
                        "record_social_work",
                        "request_respite",
                        "book_respite",
                        "cancel_respite",
                        "manage_support_tasks",
                    )
                },
                "user_pk": request.user.pk,
            },
        )

    return with_patient(
        request,
        patient_id,
        "caregiving.view_family_support",
        build,
        AuditEventType.FAMILY_SUPPORT_VIEWED,
    )


@staff_required
def contact_new(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """A psychologist records counselling; a social worker a social-work action."""

    def build(patient: Patient) -> HttpResponse:
        kinds = [
            kind
            for kind in services.contact_kinds_for(request.user)
            if _may(
                request,
                "record_counselling"
                if kind in (ContactKind.COUNSELLING, ContactKind.FAMILY_COUNSELLING)
                else "record_social_work",
                patient,
            )
        ]
        if not kinds:
            return refusal(
                request,
                NotAllowed(
                    _(
                        "Counselling is recorded by the psychologist and social-work actions by "
                        "the social worker on the team."
                    )
                ),
            )
        links = _carers(patient, include_ended=True)
        form = ContactForm(
            request.POST or None,
            initial={"occurred_at": clock.now().replace(second=0, microsecond=0)},
            kinds=kinds,
            relatives=_carer_choices(links),
        )
        return page_with_way_back(
            request,
            form,
            title=_("Record a contact with the family"),
            perform=lambda data: services.record_support_contact(
                actor=request.user,
                patient=patient,
                kind=data["kind"],
                mode=data["mode"],
                occurred_at=data["occurred_at"],
                duration_minutes=data["duration_minutes"],
                relatives=[links[key] for key in data["relatives"] if key in links],
                others_present=data["others_present"],
                outcome=data["outcome"],
                next_step=data["next_step"],
                next_contact_on=data["next_contact_on"],
            ),
            back_url=_support_url(patient),
            success_message=_("Contact recorded."),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient(request, patient_id, "caregiving.view_family_support", build)


@staff_required
def contact_entered_in_error(request: AuthenticatedRequest, contact_id: Any) -> HttpResponse:
    contact = _find(SupportContact.objects.select_related("patient"), contact_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Mark this contact as entered in error"),
            perform=lambda data: services.mark_contact_entered_in_error(
                actor=request.user,
                contact=contact,
                reason=data["reason"],
            ),
            back_url=_support_url(patient),
            success_message=_("Marked as entered in error."),
            submit_label=_("Mark as entered in error"),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, contact, "caregiving.view_family_support", build)


# --- Support tasks ----------------------------------------------------------------------


@staff_required
def task_new(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        links = _carers(patient)
        team = _team(patient)
        form = SupportTaskForm(
            request.POST or None,
            initial={"due_on": clock.today() + timedelta(days=7)},
            caregivers=_carer_choices(links),
            staff=[
                (key, f"{u.display_name} ({u.get_discipline_display()})") for key, u in team.items()
            ],
        )
        return page_with_way_back(
            request,
            form,
            title=_("New support task for the family"),
            perform=lambda data: services.create_support_task(
                actor=request.user,
                patient=patient,
                caregiver=links.get(data["caregiver"]),
                reason=data["reason"],
                suggested_actions=data["suggested_actions"],
                due_on=data["due_on"],
                assigned_discipline=data["assigned_discipline"],
                assigned_to=team.get(data["assigned_to"]),
            ),
            back_url=_support_url(patient),
            success_message=_("Support task added."),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient(request, patient_id, "caregiving.manage_support_tasks", build)


@staff_required
def task_edit(request: AuthenticatedRequest, task_id: Any) -> HttpResponse:
    task = _find(SupportTask.objects.select_related("patient", "assigned_to"), task_id)

    def build(patient: Patient) -> HttpResponse:
        team = _team(patient)
        form = SupportTaskForm(
            request.POST or None,
            initial={
                "suggested_actions": task.suggested_actions,
                "due_on": task.due_on,
                "assigned_discipline": task.assigned_discipline,
                "assigned_to": str(task.assigned_to.external_id) if task.assigned_to else "",
            },
            staff=[
                (key, f"{u.display_name} ({u.get_discipline_display()})") for key, u in team.items()
            ],
        )
        return page_with_way_back(
            request,
            form,
            title=_("Assign or change the support task"),
            perform=lambda data: services.update_support_task(
                actor=request.user,
                task=task,
                changes={
                    "suggested_actions": data["suggested_actions"],
                    "due_on": data["due_on"],
                    "assigned_discipline": data["assigned_discipline"],
                    "assigned_to": team.get(data["assigned_to"]),
                },
            ),
            back_url=_support_url(patient),
            success_message=_("Support task saved."),
            context={"patient": patient, "task": task},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, task, "caregiving.manage_support_tasks", build)


@staff_required
def task_close(request: AuthenticatedRequest, task_id: Any) -> HttpResponse:
    task = _find(SupportTask.objects.select_related("patient"), task_id)

    def perform(data: dict[str, Any]) -> SupportTask:
        if data["status"] == SupportTaskStatus.DONE:
            return services.complete_support_task(
                actor=request.user,
                task=task,
                outcome=data["text"],
            )
        return services.cancel_support_task(
            actor=request.user,
            task=task,
            reason=data["text"],
        )

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            CloseTaskForm(request.POST or None),
            title=_("Close the support task"),
            perform=perform,
            back_url=_support_url(patient),
            success_message=_("Support task closed."),
            submit_label=_("Close the task"),
            context={"patient": patient, "task": task},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, task, "caregiving.manage_support_tasks", build)


@staff_required
def task_list(request: AuthenticatedRequest) -> HttpResponse:
    """Open support tasks and strain assessments due, for every patient the
    user may see."""
    if not _may(request, "view_support_tasks"):
        return refusal(
            request, NotAllowed(_("Support tasks are for the team caring for families."))
        )
    return render(
        request,
        "caregiving/tasks.html",
        {
            "tasks": queries.open_tasks(request.user),
            "strain_due": queries.strain_due_for(request.user),
        },
    )


# --- Respite (staff) ----------------------------------------------------------------------


@staff_required
def respite_new(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        links = _carers(patient)
        form = RespiteRequestForm(
            request.POST or None,
            initial={"wanted_from": clock.today(), "wanted_to": clock.today()},
            caregivers=_carer_choices(links),
        )
        return page_with_way_back(
            request,
            form,
            title=_("Ask for respite for the family"),
            perform=lambda data: services.request_respite(
                actor=request.user,
                patient=patient,
                kind=data["kind"],
                wanted_from=data["wanted_from"],
                wanted_to=data["wanted_to"],
                reason=data["reason"],
                caregiver=links.get(data.get("caregiver") or ""),
            ),
            back_url=_support_url(patient),
            success_message=_("Respite asked for. The coordinator will book it."),
            context={"patient": patient},
            template=TEMPLATE_FORM,
        )

    return with_patient(request, patient_id, "caregiving.request_respite", build)


def _respite(respite_id: Any) -> RespiteRequest:
    return _find(  # type: ignore[no-any-return]
        RespiteRequest.objects.select_related("patient", "volunteer", "caregiver__user"),
        respite_id,
    )


@staff_required
def respite_book(request: AuthenticatedRequest, respite_id: Any) -> HttpResponse:
    respite = _respite(respite_id)

    def build(patient: Patient) -> HttpResponse:
        volunteers = _volunteers()
        form = BookRespiteForm(
            request.POST or None,
            volunteers=[(key, user.display_name) for key, user in volunteers.items()],
        )
        return page_with_way_back(
            request,
            form,
            title=_("Book respite"),
            perform=lambda data: services.book_respite(
                actor=request.user,
                respite=respite,
                volunteer=volunteers.get(data["volunteer"]),
                place=data["place"],
                booked_from=data["booked_from"],
                booked_to=data["booked_to"],
                note=data["note"],
            ),
            back_url=_support_url(patient),
            success_message=_("Respite booked."),
            submit_label=_("Book"),
            context={"patient": patient, "respite": respite},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, respite, "caregiving.book_respite", build)


@staff_required
def respite_complete(request: AuthenticatedRequest, respite_id: Any) -> HttpResponse:
    respite = _respite(respite_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            NoteForm(request.POST or None),
            title=_("Respite took place"),
            perform=lambda data: services.complete_respite(
                actor=request.user,
                respite=respite,
                note=data["note"],
            ),
            back_url=_support_url(patient),
            success_message=_("Recorded."),
            context={"patient": patient, "respite": respite},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, respite, "caregiving.book_respite", build)


@staff_required
def respite_decline(request: AuthenticatedRequest, respite_id: Any) -> HttpResponse:
    respite = _respite(respite_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Decline the respite request"),
            perform=lambda data: services.decline_respite(
                actor=request.user,
                respite=respite,
                reason=data["reason"],
            ),
            back_url=_support_url(patient),
            success_message=_("Declined. Tell the family why, and what else may help."),
            submit_label=_("Decline"),
            context={"patient": patient, "respite": respite},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, respite, "caregiving.book_respite", build)


@staff_required
def respite_cancel(request: AuthenticatedRequest, respite_id: Any) -> HttpResponse:
    respite = _respite(respite_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Cancel the respite"),
            perform=lambda data: services.cancel_respite(
                actor=request.user,
                respite=respite,
                reason=data["reason"],
            ),
            back_url=_support_url(patient),
            success_message=_("Respite cancelled."),
            submit_label=_("Cancel the respite"),
            context={"patient": patient, "respite": respite},
            template=TEMPLATE_FORM,
        )

    return with_patient_of(request, respite, "caregiving.cancel_respite", build)


# --- The family portal ------------------------------------------------------------------


@login_required
def portal_training(request: AuthenticatedRequest) -> HttpResponse:
    """What I have learned, what is next, and the guidance for each skill."""

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "caregiving/portal_training.html",
            {"patient": patient, "mine": queries.own_training(request.user, patient)},
        )

    return with_portal_patient(
        request, "caregiving.view_own_training", build, AuditEventType.TRAINING_VIEWED
    )


@login_required
def portal_skill(request: AuthenticatedRequest, skill: str) -> HttpResponse:
    definition = curriculum.get(skill)
    if definition is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        mine = queries.own_training(request.user, patient)
        state = next((s for s in mine.skills if s.skill.code == skill), None) if mine else None
        return render(
            request,
            "caregiving/portal_skill.html",
            {"patient": patient, "skill": definition, "state": state},
        )

    return with_portal_patient(request, "caregiving.view_own_training", build, None)


@login_required
def portal_support(request: AuthenticatedRequest) -> HttpResponse:
    """The family's respite requests and their status, and the helpline."""

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "caregiving/portal_support.html",
            {
                "patient": patient,
                "respite": queries.respite_for(patient),
                "can_request": _may(request, "request_respite", patient),
                "can_cancel": _may(request, "cancel_respite", patient),
            },
        )

    return with_portal_patient(
        request, "caregiving.view_own_support", build, AuditEventType.FAMILY_SUPPORT_VIEWED
    )


@login_required
def portal_respite_new(request: AuthenticatedRequest) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        form = RespiteRequestForm(
            request.POST or None,
            initial={"wanted_from": clock.today(), "wanted_to": clock.today()},
        )
        return page_with_way_back(
            request,
            form,
            title=_("Ask for a break (respite)"),
            perform=lambda data: services.request_respite(
                actor=request.user,
                patient=patient,
                kind=data["kind"],
                wanted_from=data["wanted_from"],
                wanted_to=data["wanted_to"],
                reason=data["reason"],
            ),
            back_url=reverse("caregiving_portal_support"),
            success_message=_("Thank you. The coordinator will call you to arrange it."),
            submit_label=_("Send"),
            context={"patient": patient, "portal": True},
            template=TEMPLATE_FORM,
        )

    return with_portal_patient(request, "caregiving.request_respite", build, None)


@login_required
def portal_respite_cancel(request: AuthenticatedRequest, respite_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        respite = _find(RespiteRequest.objects.filter(patient=patient), respite_id)
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Cancel this respite"),
            perform=lambda data: services.cancel_respite(
                actor=request.user,
                respite=respite,
                reason=data["reason"],
            ),
            back_url=reverse("caregiving_portal_support"),
            success_message=_("Cancelled."),
            submit_label=_("Cancel the respite"),
            context={"patient": patient, "portal": True, "respite": respite},
            template=TEMPLATE_FORM,
        )

    return with_portal_patient(request, "caregiving.cancel_respite", build, None)


urlpatterns = [
    path("patients/<uuid:patient_id>/training/", training, name="caregiving_training"),
    path(
        "patients/<uuid:patient_id>/training/record/",
        training_record,
        name="caregiving_training_record",
    ),
    path(
        "patients/<uuid:patient_id>/training/withdraw/",
        training_withdraw,
        name="caregiving_training_withdraw",
    ),
    path(
        "patients/<uuid:patient_id>/family-support/",
        family_support,
        name="caregiving_family_support",
    ),
    path(
        "patients/<uuid:patient_id>/family-support/contacts/new/",
        contact_new,
        name="caregiving_contact_new",
    ),
    path(
        "caregiving/contacts/<uuid:contact_id>/entered-in-error/",
        contact_entered_in_error,
        name="caregiving_contact_entered_in_error",
    ),
    path(
        "patients/<uuid:patient_id>/family-support/tasks/new/",
        task_new,
        name="caregiving_task_new",
    ),
    path("caregiving/tasks/", task_list, name="caregiving_tasks"),
    path("caregiving/tasks/<uuid:task_id>/", task_edit, name="caregiving_task_edit"),
    path("caregiving/tasks/<uuid:task_id>/close/", task_close, name="caregiving_task_close"),
    path(
        "patients/<uuid:patient_id>/family-support/respite/new/",
        respite_new,
        name="caregiving_respite_new",
    ),
    path(
        "caregiving/respite/<uuid:respite_id>/book/", respite_book, name="caregiving_respite_book"
    ),
    path(
        "caregiving/respite/<uuid:respite_id>/complete/",
        respite_complete,
        name="caregiving_respite_complete",
    ),
    path(
        "caregiving/respite/<uuid:respite_id>/decline/",
        respite_decline,
        name="caregiving_respite_decline",
    ),
    path(
        "caregiving/respite/<uuid:respite_id>/cancel/",
        respite_cancel,
        name="caregiving_respite_cancel",
    ),
    path("portal/training/", portal_training, name="caregiving_portal_training"),
    path("portal/training/<slug:skill>/", portal_skill, name="caregiving_portal_skill"),
    path("portal/support/", portal_support, name="caregiving_portal_support"),
    path("portal/support/respite/", portal_respite_new, name="caregiving_portal_respite_new"),
    path(
        "portal/support/respite/<uuid:respite_id>/cancel/",
        portal_respite_cancel,
        name="caregiving_portal_respite_cancel",
    ),
]
