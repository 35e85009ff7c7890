"""The patient-bound half of the page kit: open a page through a patient.

Every app's pages about one patient (or about a record that belongs to one)
go through these, so the refusals are the same everywhere: 404 for records a
person may not know exist, the refusal page for a role that may not, and the
emergency-access page for staff outside the caseload. They need the patient
model, which the kernel must not import, so they live here, next to
``access.py``, and not in ``patients/views.py``: apps import this module and
``hearth.core.web``, never another app's views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from hearth.accounts.models import UserKind
from hearth.core import refusals
from hearth.core.errors import DomainError
from hearth.core.web import AuthenticatedRequest, refusal
from hearth.patients import access
from hearth.patients.models import Patient


def open_for(
    request: AuthenticatedRequest, patient_id: Any, perm: str, read: str | None = None
) -> Patient:
    """The patient, if the signed-in user may do ``perm`` for them (family and
    staff alike); ``read`` names the audit event when the page is a read."""
    return access.access_patient_for(request.user, patient_id, perm, read=read)


def with_patient(
    request: AuthenticatedRequest,
    patient_id: Any,
    perm: str,
    build: Callable[[Patient], HttpResponse],
    read: str | None = None,
) -> HttpResponse:
    """Open the patient for ``perm`` and build the page; a refusal (here or from
    the service the page calls) becomes the refusal page, and staff outside the
    caseload are offered emergency access."""
    try:
        return build(open_for(request, patient_id, perm, read))
    except DomainError as error:
        if error.code == "emergency_access_available":
            refusals.note(request, error.code)  # refused, though answered by a redirect
            return redirect("emergency_access", patient_id=patient_id)
        return refusal(request, error)


def with_patient_of(
    request: AuthenticatedRequest,
    record: Any,
    perm: str,
    build: Callable[[Patient], HttpResponse],
) -> HttpResponse:
    """A page about one record (an order, a visit, a respite booking) is opened
    through its patient, with the same refusals as the patient's own pages."""
    return with_patient(request, record.patient.external_id, perm, build)


def with_portal_patient(
    request: AuthenticatedRequest,
    perm: str,
    build: Callable[[Patient], HttpResponse],
    read: str | None = None,
) -> HttpResponse:
    """A portal page: the family member's (or patient's own) one patient,
    found by ``access.portal_patient``, then opened like any patient page.
    Staff who land here go to their worklist; a portal sign-in that reaches
    no patient (the link ended) gets the "no patient" page."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        return render(request, "patients/portal_no_patient.html", status=403)
    return with_patient(request, patient.external_id, perm, build, read)
