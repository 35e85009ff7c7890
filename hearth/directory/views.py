"""Directory pages: search (staff and the family), an entry, adding and
changing entries (the maintainers), the service areas, a patient's next steps
(the team) and the family's own next steps on the portal.

Every write goes through ``hearth.directory.services``; a refusal shows on
the form it came from, or as the refusal page.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.accounts.models import UserKind
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.web import (
    AuthenticatedRequest,
    form_page,
    page_with_way_back,
    refusal,
    staff_required,
)
from hearth.directory import queries, services
from hearth.directory.forms import (
    ConfirmForm,
    EditNextStepForm,
    EditRegionForm,
    EntryForm,
    NextStepForm,
    RegionForm,
    RetireForm,
    SearchForm,
)
from hearth.directory.models import DirectoryEntry, NextStep, Region
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.web import with_patient

MAINTAIN = services.MAINTAIN
VIEW_STEPS = "directory.view_next_steps"


def _may_maintain(request: AuthenticatedRequest) -> bool:
    return request.user.has_perm(MAINTAIN)


def _maintainers_only(request: AuthenticatedRequest) -> HttpResponse | None:
    if _may_maintain(request):
        return None
    return refusal(
        request,
        NotAllowed(
            _("Only the coordinator, a social worker or the administrator keep the directory.")
        ),
    )


_page = functools.partial(page_with_way_back, template="directory/form_page.html")


def _entry_or_404(request: AuthenticatedRequest, entry_id: Any) -> DirectoryEntry:
    found = queries.entry(
        entry_id, include_retired=request.user.has_perm("directory.view_retired_entries")
    )
    if found is None:
        raise Http404
    return found


def _entry_url(entry: DirectoryEntry) -> str:
    return reverse("directory_entry", args=[entry.external_id])


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


def _search(request: HttpRequest, *, include_retired: bool = False) -> dict[str, Any]:
    """The search form and one page of results (the first page of the whole
    directory when nothing is asked)."""
    form = SearchForm(request.GET or None)
    filters = form.filters()
    found = queries.search_page(
        page=_page_number(request), include_retired=include_retired, **filters
    )
    kept: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if key != "page" and value
    }
    return {"form": form, "results": found, "query": urlencode(kept)}


# --- Search and entries ------------------------------------------------------------------


@login_required
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Everyone signed in may search; the maintainers also see retired entries
    and those due for review on request."""
    actor = request.user
    maintainer = _may_maintain(request)
    include_retired = maintainer and request.GET.get("retired") == "1"
    context = _search(request, include_retired=include_retired)
    return render(
        request,
        "directory/search.html",
        {
            **context,
            "is_staff": actor.kind == UserKind.STAFF,
            "can_maintain": maintainer,
            "include_retired": include_retired,
            "due_for_review": list(DirectoryEntry.objects.due_for_review().order_by("name"))
            if maintainer
            else [],
        },
    )


@login_required
def entry_page(request: AuthenticatedRequest, entry_id: Any) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    maintainer = _may_maintain(request)
    return render(
        request,
        "directory/entry.html",
        {
            "entry": entry,
            "is_staff": request.user.kind == UserKind.STAFF,
            "can_maintain": maintainer,
            "open_next_steps": NextStep.objects.filter(entry=entry).open().count()
            if maintainer
            else None,
        },
    )


@staff_required
def add_entry(request: AuthenticatedRequest) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    return _page(
        request,
        EntryForm(request.POST or None),
        title=_("Add to the directory"),
        perform=lambda data: services.create_entry(actor=request.user, **data),
        success_url=_entry_url,
        back_url=reverse("directory_search"),
        back_label=_("Finding help"),
        success_message=_("Added to the directory."),
    )


@staff_required
def edit_entry(request: AuthenticatedRequest, entry_id: Any) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    entry = _entry_or_404(request, entry_id)
    initial = services.entry_values(entry)

    def perform(data: dict[str, Any]) -> DirectoryEntry:
        reviewed = bool(data.pop("reviewed", False))
        return services.update_entry(
            actor=request.user, entry=entry, changes=data, reviewed=reviewed
        )

    return _page(
        request,
        EntryForm(request.POST or None, initial=initial, entry=entry),
        title=_("Change: %(name)s") % {"name": entry.name},
        perform=perform,
        success_url=_entry_url,
        back_url=_entry_url(entry),
        back_label=entry.name,
        success_message=_("Directory entry saved."),
    )


@staff_required
def retire_entry(request: AuthenticatedRequest, entry_id: Any) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    entry = _entry_or_404(request, entry_id)
    return _page(
        request,
        RetireForm(request.POST or None),
        title=_("Retire: %(name)s") % {"name": entry.name},
        perform=lambda data: services.retire_entry(
            actor=request.user, entry=entry, reason=data["reason"]
        ),
        success_url=_entry_url,
        back_url=_entry_url(entry),
        back_label=entry.name,
        success_message=_("Retired: it no longer shows in searches."),
        submit_label=_("Retire"),
        context={"retire_warning": True},
    )


@staff_required
def reinstate_entry(request: AuthenticatedRequest, entry_id: Any) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    entry = _entry_or_404(request, entry_id)
    return _page(
        request,
        ConfirmForm(request.POST if request.method == "POST" else None),
        title=_("List again: %(name)s") % {"name": entry.name},
        perform=lambda _data: services.reinstate_entry(actor=request.user, entry=entry),
        success_url=_entry_url,
        back_url=_entry_url(entry),
        back_label=entry.name,
        success_message=_("Listed again."),
        submit_label=_("List again"),
    )


@staff_required
@require_POST
def confirm_entry(request: AuthenticatedRequest, entry_id: Any) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    entry = _entry_or_404(request, entry_id)
    try:
        services.confirm_entry_current(actor=request.user, entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as checked today."))
    return redirect(_entry_url(entry))


# --- Areas -------------------------------------------------------------------------------


@staff_required
def regions(request: AuthenticatedRequest) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    return form_page(
        request,
        form=RegionForm(request.POST or None),
        title=_("Areas the directory covers"),
        perform=lambda data: services.create_region(actor=request.user, **data),
        success_url=lambda _region: reverse("directory_regions"),
        success_message=_("Area added."),
        submit_label=_("Add the area"),
        context={"regions": Region.objects.all()},
        template="directory/regions.html",
    )


@staff_required
def edit_region(request: AuthenticatedRequest, region_id: Any) -> HttpResponse:
    refused = _maintainers_only(request)
    if refused:
        return refused
    region = Region.objects.filter(external_id=region_id).first()
    if region is None:
        raise Http404
    return _page(
        request,
        EditRegionForm(
            request.POST or None, initial={"name": region.name, "active": region.active}
        ),
        title=_("Change the area: %(name)s") % {"name": region.name},
        perform=lambda data: services.update_region(
            actor=request.user, region=region, changes=data
        ),
        success_url=lambda _region: reverse("directory_regions"),
        back_url=reverse("directory_regions"),
        back_label=_("Areas"),
        success_message=_("Area saved."),
    )


# --- A patient's next steps (the team) --------------------------------------------------


def _steps_url(patient: Patient) -> str:
    return reverse("directory_patient_next_steps", args=[patient.external_id])


@staff_required
def patient_next_steps(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The person's next steps and a directory search to add more."""

    def build(patient: Patient) -> HttpResponse:
        actor = request.user
        can_add = actor.has_perm("directory.add_next_step", patient)
        return render(
            request,
            "directory/patient_next_steps.html",
            {
                "patient": patient,
                "steps": queries.next_steps(patient),
                "can_add": can_add,
                "can_change": actor.has_perm("directory.change_next_step", patient),
                **(_search(request) if can_add else {}),
            },
        )

    return with_patient(request, patient_id, VIEW_STEPS, build, AuditEventType.NEXT_STEPS_VIEWED)


@staff_required
def add_next_step(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return _page(
            request,
            NextStepForm(request.POST or None, initial={"entry": request.GET.get("entry", "")}),
            title=_("Suggest a next step to the family"),
            perform=lambda data: services.add_next_step(
                actor=request.user, patient=patient, entry=data["entry"], note=data["note"]
            ),
            success_url=lambda _step: _steps_url(patient),
            back_url=_steps_url(patient),
            back_label=_("Next steps") + " · " + patient.full_name,
            success_message=_("Added: the family sees it on their page."),
            submit_label=_("Add"),
        )

    return with_patient(request, patient_id, "directory.add_next_step", build)


@staff_required
def edit_next_step(request: AuthenticatedRequest, step_id: Any) -> HttpResponse:
    step = queries.next_step(step_id)
    if step is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        return _page(
            request,
            EditNextStepForm(
                request.POST or None, initial={"status": step.status, "note": step.note}
            ),
            title=_("Next step: %(name)s") % {"name": step.entry.name},
            perform=lambda data: services.update_next_step(
                actor=request.user, step=step, changes=data
            ),
            success_url=lambda _step: _steps_url(patient),
            back_url=_steps_url(patient),
            back_label=_("Next steps") + " · " + patient.full_name,
            success_message=_("Next step saved."),
        )

    return with_patient(request, step.patient.external_id, "directory.change_next_step", build)


# --- The family portal ------------------------------------------------------------------


@login_required
def portal_next_steps(request: AuthenticatedRequest) -> HttpResponse:
    """The family's own next steps, with each entry's contact, hours and
    languages, and a button to mark one done."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "directory/portal_next_steps.html",
            {
                "patient": patient,
                "steps": queries.next_steps(patient),
                "can_mark": request.user.has_perm("directory.mark_next_step_done", patient),
            },
        )

    return with_patient(
        request, patient.external_id, VIEW_STEPS, build, AuditEventType.NEXT_STEPS_PORTAL_VIEWED
    )


@login_required
@require_POST
def portal_next_step_status(request: AuthenticatedRequest, step_id: Any) -> HttpResponse:
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    step = queries.next_step(step_id)
    if step is None:
        raise Http404

    def build(_patient: Patient) -> HttpResponse:
        try:
            services.update_next_step(
                actor=request.user,
                step=step,
                changes={"status": request.POST.get("status", "")},
            )
        except DomainError as error:
            if isinstance(error, NotAllowed):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: the team can see it."))
        return redirect("directory_portal_next_steps")

    return with_patient(request, step.patient.external_id, "directory.mark_next_step_done", build)


urlpatterns = [
    path("directory/", search, name="directory_search"),
    path("directory/entries/add/", add_entry, name="directory_add_entry"),
    path("directory/entries/<uuid:entry_id>/", entry_page, name="directory_entry"),
    path("directory/entries/<uuid:entry_id>/edit/", edit_entry, name="directory_edit_entry"),
    path("directory/entries/<uuid:entry_id>/retire/", retire_entry, name="directory_retire_entry"),
    path(
        "directory/entries/<uuid:entry_id>/reinstate/",
        reinstate_entry,
        name="directory_reinstate_entry",
    ),
    path(
        "directory/entries/<uuid:entry_id>/checked/",
        confirm_entry,
        name="directory_confirm_entry",
    ),
    path("directory/regions/", regions, name="directory_regions"),
    path("directory/regions/<uuid:region_id>/", edit_region, name="directory_edit_region"),
    path(
        "patients/<uuid:patient_id>/next-steps/",
        patient_next_steps,
        name="directory_patient_next_steps",
    ),
    path(
        "patients/<uuid:patient_id>/next-steps/add/",
        add_next_step,
        name="directory_add_next_step",
    ),
    path("directory/next-steps/<uuid:step_id>/", edit_next_step, name="directory_edit_next_step"),
    path("portal/next-steps/", portal_next_steps, name="directory_portal_next_steps"),
    path(
        "portal/next-steps/<uuid:step_id>/status/",
        portal_next_step_status,
        name="directory_portal_next_step_status",
    ),
]
