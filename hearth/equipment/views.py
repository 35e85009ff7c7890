"""Home equipment pages for staff and the family portal.

The same services and rules as the API: every write goes through
``hearth.equipment.services``; a refusal is shown on the form, or, for a page
the person may not open at all, as the refusal page. The family sees their own
patient's equipment, the safety advice for each kind, and reports a fault.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from hearth.core.audit_events import AuditEventType
from hearth.core.errors import NotAllowed
from hearth.core.pagination import page_of, refuses_bad_pages
from hearth.core.web import (
    AuthenticatedRequest,
    page_with_way_back,
    refusal,
    staff_required,
)
from hearth.equipment import checklists, queries, services
from hearth.equipment.choices import EquipmentKind
from hearth.equipment.forms import (
    FaultForm,
    ItemFilterForm,
    ItemForm,
    ItemStatusForm,
    LendForm,
    MaintenanceForm,
    ResolveFaultForm,
    ReturnForm,
    SafetyCheckForm,
)
from hearth.equipment.models import EquipmentItem, FaultReport, Loan
from hearth.patients.models import Patient
from hearth.patients.web import with_patient, with_portal_patient

FORM = "equipment/form_page.html"


def _find(queryset: Any, external_id: Any) -> Any:
    found = queryset.filter(external_id=external_id).first()
    if found is None:
        raise Http404
    return found


def _may(request: AuthenticatedRequest, perm: str, patient: Patient | None = None) -> bool:
    return bool(request.user.has_perm(f"equipment.{perm}", patient))


def _patient_url(patient: Patient) -> str:
    return reverse("equipment_patient", args=[patient.external_id])


def _store_page(
    request: AuthenticatedRequest, perm: str, build: Callable[[], HttpResponse]
) -> HttpResponse:
    if not _may(request, perm):
        return refusal(
            request,
            NotAllowed(_("Only coordinators, nurses and physicians see the equipment store.")),
        )
    return build()


# --- The store ------------------------------------------------------------------------


@staff_required
@refuses_bad_pages
def inventory(request: AuthenticatedRequest) -> HttpResponse:
    def build() -> HttpResponse:
        filters = ItemFilterForm(request.GET or None)
        data = filters.cleaned_data if filters.is_valid() else {}
        items = queries.inventory(
            kind=data.get("kind") or None,
            status=data.get("status") or None,
            maintenance=data.get("maintenance") or None,
        )
        page = page_of(request, items)
        return render(
            request,
            "equipment/inventory.html",
            {
                "filters": filters,
                "page": page,
                "rows": queries.inventory_rows(request.user, page.items),
                "can_manage": _may(request, "manage_inventory"),
            },
        )

    return _store_page(request, "view_inventory", build)


@staff_required
def add_item(request: AuthenticatedRequest) -> HttpResponse:
    def build() -> HttpResponse:
        return page_with_way_back(
            request,
            ItemForm(request.POST or None),
            title=_("Add an item to the store"),
            perform=lambda data: services.add_item(actor=request.user, **data),
            back_url=reverse("equipment_inventory"),
            success_message=_("Item added."),
            template=FORM,
        )

    return _store_page(request, "manage_inventory", build)


@staff_required
def item_page(request: AuthenticatedRequest, item_id: Any) -> HttpResponse:
    def build() -> HttpResponse:
        item = _find(queries.inventory(), item_id)
        return render(
            request,
            "equipment/item.html",
            {
                "row": queries.inventory_rows(request.user, [item])[0],
                "item": item,
                "history": queries.item_history(request.user, item),
                "checklist": checklists.checklist_for(item.kind),
                "can_manage": _may(request, "manage_inventory"),
            },
        )

    return _store_page(request, "view_inventory", build)


@staff_required
def maintenance(request: AuthenticatedRequest, item_id: Any) -> HttpResponse:
    def build() -> HttpResponse:
        item = _find(EquipmentItem.objects.all(), item_id)
        back = reverse("equipment_item", args=[item.external_id])
        return page_with_way_back(
            request,
            MaintenanceForm(request.POST or None),
            title=_("Record a service: %(item)s") % {"item": item},
            perform=lambda data: services.record_maintenance(
                actor=request.user,
                item=item,
                **data,
            ),
            back_url=back,
            success_message=_("Service recorded."),
            context={"item": item},
            template=FORM,
        )

    return _store_page(request, "manage_inventory", build)


@staff_required
def item_status(request: AuthenticatedRequest, item_id: Any) -> HttpResponse:
    def build() -> HttpResponse:
        item = _find(EquipmentItem.objects.all(), item_id)
        back = reverse("equipment_item", args=[item.external_id])
        return page_with_way_back(
            request,
            ItemStatusForm(request.POST or None),
            title=_("Change the status: %(item)s") % {"item": item},
            perform=lambda data: services.change_item_status(
                actor=request.user,
                item=item,
                **data,
            ),
            back_url=back,
            success_message=_("Status changed."),
            context={"item": item},
            template=FORM,
        )

    return _store_page(request, "manage_inventory", build)


# --- A patient's equipment (staff) ----------------------------------------------------------


def _loan_rows(patient: Patient, include_returned: bool) -> list[dict[str, Any]]:
    return [
        {
            "loan": loan,
            "latest_check": queries.latest_check(loan),
            "open_faults": queries.open_faults(loan),
        }
        for loan in queries.patient_loans(patient, include_returned=include_returned)
    ]


@staff_required
def patient_equipment(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        rows = _loan_rows(patient, include_returned=True)
        return render(
            request,
            "equipment/patient.html",
            {
                "patient": patient,
                "at_home": [row for row in rows if row["loan"].is_at_home],
                "returned": [row for row in rows if not row["loan"].is_at_home],
                "can": {
                    perm: _may(request, perm, patient)
                    for perm in (
                        "lend",
                        "check_safety",
                        "report_fault",
                        "resolve_fault",
                        "return_loan",
                    )
                },
            },
        )

    return with_patient(
        request, patient_id, "equipment.view_equipment", build, AuditEventType.EQUIPMENT_VIEWED
    )


@staff_required
def lend(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        items = list(queries.lendable_items())
        form = LendForm(request.POST or None, items=items)

        def perform(data: dict[str, Any]) -> Loan:
            item = next(i for i in items if str(i.external_id) == data["item"])
            return services.lend(
                actor=request.user,
                item=item,
                patient=patient,
                delivered_at=data.get("delivered_at"),
            )

        return page_with_way_back(
            request,
            form,
            title=_("Lend equipment to %(name)s") % {"name": patient.full_name},
            perform=perform,
            back_url=_patient_url(patient),
            success_message=_("Delivered. Do the safety check at home."),
            context={"patient": patient},
            submit_label=_("Record the delivery"),
            template=FORM,
        )

    return with_patient(request, patient_id, "equipment.lend", build)


def _on_loan(
    request: AuthenticatedRequest,
    loan_id: Any,
    perm: str,
    build: Callable[[Loan, Patient], HttpResponse],
) -> HttpResponse:
    loan = _find(Loan.objects.select_related("item", "patient"), loan_id)
    return with_patient(
        request, loan.patient.external_id, f"equipment.{perm}", lambda p: build(loan, p)
    )


@staff_required
def safety_check(request: AuthenticatedRequest, loan_id: Any) -> HttpResponse:
    def build(loan: Loan, patient: Patient) -> HttpResponse:
        form = SafetyCheckForm(request.POST or None, kind=loan.item.kind)
        return page_with_way_back(
            request,
            form,
            title=_("Safety check: %(item)s") % {"item": loan.item},
            perform=lambda data: services.record_safety_check(
                actor=request.user,
                loan=loan,
                answers=form.answers(),
                note=data.get("note", ""),
            ),
            back_url=_patient_url(patient),
            success_message=_("Safety check recorded."),
            context={"patient": patient, "loan": loan, "checklist_form": True},
            submit_label=_("Record the check"),
            template=FORM,
        )

    return _on_loan(request, loan_id, "check_safety", build)


@staff_required
def report_fault(request: AuthenticatedRequest, loan_id: Any) -> HttpResponse:
    def build(loan: Loan, patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            FaultForm(request.POST or None),
            title=_("Report a fault: %(item)s") % {"item": loan.item},
            perform=lambda data: services.report_fault(
                actor=request.user,
                loan=loan,
                description=data["description"],
            ),
            back_url=_patient_url(patient),
            success_message=_("Fault reported. The team has been alerted."),
            context={"patient": patient, "loan": loan},
            submit_label=_("Report the fault"),
            template=FORM,
        )

    return _on_loan(request, loan_id, "report_fault", build)


@staff_required
def resolve_fault(request: AuthenticatedRequest, fault_id: Any) -> HttpResponse:
    fault = _find(FaultReport.objects.select_related("loan__item", "loan__patient"), fault_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ResolveFaultForm(request.POST or None),
            title=_("Close a fault: %(item)s") % {"item": fault.loan.item},
            perform=lambda data: services.resolve_fault(
                actor=request.user,
                fault=fault,
                resolution=data["resolution"],
            ),
            back_url=_patient_url(patient),
            success_message=_("Fault closed."),
            context={"patient": patient, "loan": fault.loan, "fault": fault},
            template=FORM,
        )

    return with_patient(request, fault.loan.patient.external_id, "equipment.resolve_fault", build)


@staff_required
def return_loan(request: AuthenticatedRequest, loan_id: Any) -> HttpResponse:
    def build(loan: Loan, patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReturnForm(request.POST or None),
            title=_("Record the return: %(item)s") % {"item": loan.item},
            perform=lambda data: services.return_loan(
                actor=request.user,
                loan=loan,
                condition_note=data["condition_note"],
            ),
            back_url=_patient_url(patient),
            success_message=_("Return recorded."),
            context={"patient": patient, "loan": loan},
            submit_label=_("Record the return"),
            template=FORM,
        )

    return _on_loan(request, loan_id, "return_loan", build)


# --- The family portal -----------------------------------------------------------------------


@login_required
def portal_equipment(request: AuthenticatedRequest) -> HttpResponse:
    """The family's equipment, the safety advice for each kind, and a way to
    report a fault."""

    def build(patient: Patient) -> HttpResponse:
        rows = _loan_rows(patient, include_returned=False)
        kinds = sorted({row["loan"].item.kind for row in rows})
        return render(
            request,
            "equipment/portal.html",
            {
                "patient": patient,
                "rows": rows,
                "guidance": [
                    (EquipmentKind(kind).label, checklists.checklist_for(kind)) for kind in kinds
                ],
                "can_report": _may(request, "report_fault", patient),
            },
        )

    return with_portal_patient(
        request, "equipment.view_equipment", build, AuditEventType.EQUIPMENT_PORTAL_VIEWED
    )


@login_required
def portal_report_fault(request: AuthenticatedRequest, loan_id: Any) -> HttpResponse:
    """A family member reports a fault on an item at their home. Another
    family's item is "not found"."""

    def build(patient: Patient) -> HttpResponse:
        loan = _find(
            Loan.objects.for_patient(patient).at_home().select_related("item", "patient"), loan_id
        )
        return page_with_way_back(
            request,
            FaultForm(request.POST or None),
            title=_("Report a problem: %(item)s") % {"item": loan.item.get_kind_display()},
            perform=lambda data: services.report_fault(
                actor=request.user,
                loan=loan,
                description=data["description"],
            ),
            back_url=reverse("equipment_portal"),
            success_message=_(
                "Thank you. The team has been told and will contact you. If anyone is in "
                "danger, call the emergency services."
            ),
            context={"loan": loan, "portal": True},
            submit_label=_("Send to the team"),
            template=FORM,
        )

    return with_portal_patient(request, "equipment.report_fault", build, None)
