"""Medicines pages for staff and the family portal.

The same services and rules as the API: every write goes through
``hearth.medications.services``; a refusal is shown on the form (a wrong dose,
too soon, over the 24 h limit, not signed off) or, for a page the person may
not open at all, as the refusal page. The family only ever reads the chart
and records a dose they gave: there is no edit control for them anywhere.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hearth.accounts.models import UserKind
from hearth.allergies.queries import allergy_summary
from hearth.core import clock, dates
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.pagination import page_of, refuses_bad_pages
from hearth.core.pdf import document_languages, family_language, render_pdf
from hearth.core.web import (
    AuthenticatedRequest,
    Confirmation,
    name_the_blank_choice,
    page_with_way_back,
    refusal,
    show_domain_error,
    staff_required,
)
from hearth.medications import charts, ome, queries, services
from hearth.medications.choices import AdministrationOutcome, Conversion, OrderStatus
from hearth.medications.forms import (
    ChangeOrderForm,
    DrugRouteForm,
    GiveForm,
    NoteForm,
    PrescribeForm,
    ReasonForm,
    ReviewForm,
    SignOffForm,
    StockForm,
    SwitchForm,
    dosing_values,
    order_label,
    slot_value,
)
from hearth.medications.models import (
    Administration,
    Drug,
    DrugRoute,
    MedicationOrder,
    MedicineSignOff,
    StockHolding,
    SyncReview,
    plain_decimal,
)
from hearth.patients.models import Patient
from hearth.patients.web import with_patient, with_patient_of, with_portal_patient

# --- Shared shapes ------------------------------------------------------------

#: Medicines write pages link back to the medicines page (or the formulary).
FORM = "medications/form_page.html"


def _medicines_url(patient: Patient) -> str:
    return reverse("medicines", args=[patient.external_id])


def _find(queryset: QuerySet[Any], external_id: Any) -> Any:
    found = queryset.filter(external_id=external_id).first()
    if found is None:
        raise Http404
    return found


def _may(request: AuthenticatedRequest, perm: str, patient: Patient) -> bool:
    return bool(request.user.has_perm(f"medications.{perm}", patient))


# --- The staff medicines page ---------------------------------------------------


def _breakthrough_lines(summary: ome.OpioidSummary) -> list[dict[str, Any]]:
    """The suggested breakthrough range in the drug of each as-needed opioid
    order (when it converts per unit of dose)."""
    if summary.breakthrough_low is None or summary.breakthrough_high is None:
        return []
    lines = []
    for line in summary.lines:
        order = line.order
        if not order.is_as_needed:
            continue
        low = ome.in_drug(order.drug_route, summary.breakthrough_low)
        high = ome.in_drug(order.drug_route, summary.breakthrough_high)
        lines.append(
            {
                "order": order,
                "low": ome.rounded(low) if low is not None else None,
                "high": ome.rounded(high) if high is not None else None,
                "unit": order.drug_route.get_dose_unit_display(),
                "warning": line.warning,
            }
        )
    return lines


def _switching(request: HttpRequest, summary: ome.OpioidSummary) -> tuple[SwitchForm, Any]:
    """The "if switching to…" helper: a figure shown to the physician, reduced
    for incomplete cross-tolerance, never applied to an order."""
    form = SwitchForm(request.GET or None)
    if not form.is_valid() or form.cleaned_data.get("switch_to") is None:
        return form, None
    target: DrugRoute = form.cleaned_data["switch_to"]
    found = (
        ome.switching_range(summary.regular_ome_24h, target)
        if summary.regular_ome_24h > 0
        else None
    )
    is_patch = target.conversion == Conversion.PATCH_RATE
    return form, {
        "target": target,
        "low": ome.rounded(found[0]) if found else None,
        "high": ome.rounded(found[1]) if found else None,
        "unit": target.get_dose_unit_display(),
        "per_24h": not is_patch,
        "specialist": target.conversion == Conversion.SPECIALIST,
        "warning": target.drug.warning,
        "no_regular": summary.regular_ome_24h <= 0,
    }


@staff_required
def medicines(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """Orders, today's doses, the record, reviews, sign-offs and the
    prescriber's opioid helper on one page."""

    def build(patient: Patient) -> HttpResponse:
        every = queries.orders(patient, include_stopped=True)
        active = [order for order in every if order.status == OrderStatus.ACTIVE]
        summary = ome.summarise(active)
        switch_form, switching = _switching(request, summary)
        days = queries.opioid_days(patient)
        reductions = settings.HEARTH_OPIOID_SWITCH_REDUCTION_PERCENT
        return render(
            request,
            "medications/medicines.html",
            {
                "patient": patient,
                "active": active,
                "stopped": [order for order in every if order.status != OrderStatus.ACTIVE],
                "summary": summary,
                "breakthrough_lines": _breakthrough_lines(summary),
                "switch_form": switch_form,
                "switching": switching,
                "reduction_low": reductions[0],
                "reduction_high": reductions[1],
                "titration_low": settings.HEARTH_OPIOID_TITRATION_PERCENT[0],
                "titration_high": settings.HEARTH_OPIOID_TITRATION_PERCENT[1],
                "breakthrough_interval": settings.HEARTH_BREAKTHROUGH_INTERVAL_MINUTES,
                "schedule": queries.schedule_for_day(patient),
                "administrations": list(queries.administrations(patient)[:100]),
                "reviews": list(queries.waiting_reviews(patient)),
                "sign_offs": list(queries.sign_offs(patient)),
                "breakthrough_24h": services.breakthrough_doses(patient, clock.now()),
                "review_count": settings.HEARTH_BREAKTHROUGH_REVIEW_COUNT,
                "discrepancies": StockHolding.objects.filter(
                    patient=patient, discrepancy_open=True
                ).select_related("formulation__drug_route__drug"),
                "opioid_charts": charts.opioid_group(patient, days),
                "review_form": ReviewForm(),
                "can": {
                    name: _may(request, name, patient)
                    for name in (
                        "prescribe",
                        "record_administration",
                        "correct_administration",
                        "review_sync",
                        "sign_off_caregiver",
                        "manage_controlled_drugs",
                    )
                },
            },
        )

    return with_patient(
        request, patient_id, "medications.view_medicines", build, AuditEventType.MEDICINES_VIEWED
    )


@staff_required
def order_history(request: AuthenticatedRequest, order_id: Any) -> HttpResponse:
    """Every version of one order: who wrote it, when, and why it changed."""
    order = _find(MedicationOrder.objects.with_current().select_related("stopped_by"), order_id)

    def build(patient: Patient) -> HttpResponse:
        return render(
            request,
            "medications/order_history.html",
            {
                "patient": patient,
                "order": order,
                "versions": queries.order_history(order),
                "can_prescribe": _may(request, "prescribe", patient),
            },
        )

    return with_patient(
        request,
        order.patient.external_id,
        "medications.view_medicines",
        build,
        AuditEventType.PRESCRIPTION_HISTORY_VIEWED,
    )


# --- Prescribing (physicians) ------------------------------------------------------


@staff_required
def prescribe(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        form = PrescribeForm(
            request.POST or None,
            initial={
                "minimum_interval_minutes": settings.HEARTH_BREAKTHROUGH_INTERVAL_MINUTES,
                "every_days": 1,
            },
        )
        return page_with_way_back(
            request,
            form,
            title=_("Prescribe"),
            perform=lambda data: services.prescribe(
                actor=request.user,
                patient=patient,
                drug_route=data["drug_route"],
                kind=data["kind"],
                **dosing_values(data, data["kind"]),
            ),
            back_url=_medicines_url(patient),
            success_message=_("Prescribed."),
            submit_label=_("Prescribe"),
            context={"patient": patient, "dosing_help": True},
            template=FORM,
        )

    return with_patient(request, patient_id, "medications.prescribe", build)


def _initial_number(value: Decimal) -> Decimal:
    """A stored number offered in a form as people write it: ``20.000`` as 20,
    and 50 never as ``5E+1`` (what ``normalize()`` alone gives)."""
    return Decimal(plain_decimal(value))


def _version_initial(order: MedicationOrder) -> dict[str, Any]:
    version = order.current
    if version is None:
        return {}
    return {
        "formulation": version.formulation.external_id if version.formulation else None,
        "dose": _initial_number(version.dose),
        "times": ", ".join(version.times),
        "every_days": version.every_days,
        "minimum_interval_minutes": version.minimum_interval_minutes,
        "maximum_doses_24h": version.maximum_doses_24h,
        "indication": version.indication,
        "instructions": version.instructions,
    }


@staff_required
def change_order(request: AuthenticatedRequest, order_id: Any) -> HttpResponse:
    """A dose change is a new version; the form starts from the current one."""
    order = _find(MedicationOrder.objects.with_current().select_related("patient"), order_id)

    def build(patient: Patient) -> HttpResponse:
        form = ChangeOrderForm(
            request.POST or None, initial=_version_initial(order), drug_route=order.drug_route
        )
        return page_with_way_back(
            request,
            form,
            title=_("Change %(order)s") % {"order": order_label(order)},
            perform=lambda data: services.change_order(
                actor=request.user,
                order=order,
                reason=data["reason"],
                **dosing_values(data, order.kind),
            ),
            back_url=_medicines_url(patient),
            success_message=_("Order changed: a new version is in force."),
            context={"patient": patient, "order": order, "dosing_help": True},
            template=FORM,
        )

    return with_patient_of(request, order, "medications.prescribe", build)


@staff_required
def stop_order(request: AuthenticatedRequest, order_id: Any) -> HttpResponse:
    order = _find(MedicationOrder.objects.with_current().select_related("patient"), order_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Stop %(order)s") % {"order": order_label(order)},
            perform=lambda data: services.stop_order(
                actor=request.user,
                order=order,
                reason=data["reason"],
            ),
            back_url=_medicines_url(patient),
            success_message=_("Stopped. Controlled drugs left at home are listed in the register."),
            submit_label=_("Stop this medicine"),
            context={"patient": patient, "order": order},
            template=FORM,
            confirm=Confirmation(
                question=_("Stop %(order)s for %(name)s?")
                % {"order": order_label(order), "name": patient.full_name},
                consequence=_(
                    "From now on no more doses of it are due, for the nurses or the family. "
                    "Starting it again needs a new prescription."
                ),
                yes_label=_("Yes, stop this medicine"),
            ),
        )

    return with_patient_of(request, order, "medications.prescribe", build)


# --- Recording a dose (staff and trained family) ----------------------------------


def _open_slots(patient: Patient) -> list[tuple[str, str]]:
    """Scheduled doses that may be recorded now: not yet recorded, not further
    back than a live record may be dated, and not too early."""
    now = clock.now()
    earliest = now - timedelta(hours=settings.HEARTH_ADMINISTRATION_BACKDATE_HOURS)
    latest = now + timedelta(minutes=settings.HEARTH_SCHEDULED_DOSE_EARLY_MINUTES)
    today = clock.today()
    choices = []
    for day in (today - timedelta(days=1), today):
        for slot in queries.schedule_for_day(patient, day):
            # The schedule lists a slot of the day the order started even if it
            # was before the order; the service refuses those, so they are not offered.
            started = slot.order.created_at
            if slot.record is None and max(earliest, started) <= slot.scheduled_for <= latest:
                when = dates.date_format(timezone.localtime(slot.scheduled_for), "D, j M H:i")
                choices.append(
                    (slot_value(slot.scheduled_for), f"{when} — {order_label(slot.order)}")
                )
    return choices


def _order_by_id(patient: Patient, value: str) -> MedicationOrder | None:
    try:
        external_id = uuid.UUID(str(value))
    except ValueError:
        return None
    return MedicationOrder.objects.for_patient(patient).filter(external_id=external_id).first()


def _give_page(request: AuthenticatedRequest, patient: Patient, *, portal: bool) -> HttpResponse:
    """Record a dose. The one-time key is made when the form is shown, so a
    double-submit is answered with the first record, not a second one."""
    active = queries.orders(patient)
    slots = _open_slots(patient)
    initial: dict[str, Any] = {
        "idempotency_key": uuid.uuid4().hex,
        "outcome": AdministrationOutcome.GIVEN,
    }
    chosen = next((o for o in active if str(o.external_id) == request.GET.get("order")), None)
    if chosen is None and len(active) == 1:
        chosen = active[0]
    if chosen is not None and chosen.current is not None:
        initial.update(
            order=str(chosen.external_id),
            dose=_initial_number(chosen.current.dose),
            route=chosen.route,
        )
    if request.GET.get("slot") in {value for value, _label in slots}:
        initial["scheduled_for"] = request.GET["slot"]
    form = GiveForm(
        request.POST or None,
        initial=initial,
        orders=[(str(order.external_id), order_label(order)) for order in active],
        slots=slots,
    )
    status = 200
    back = reverse("portal_medicines") if portal else _medicines_url(patient)
    if request.method == "POST":
        order = _order_by_id(patient, request.POST.get("order", ""))
        if form.is_valid() and order is None:
            form.add_error("order", _("Choose one of the listed medicines."))
        if form.is_valid() and order is not None:
            data = form.cleaned_data
            given = data["outcome"] == AdministrationOutcome.GIVEN
            try:
                result = services.record_administration(
                    actor=request.user,
                    order=order,
                    idempotency_key=data["idempotency_key"],
                    outcome=data["outcome"],
                    # A dose not given has no amount; a given one no "why not".
                    dose=data["dose"] if given else None,
                    not_given_reason="" if given else data["not_given_reason"],
                    route=data["route"],
                    given_at=data["given_at"],
                    scheduled_for=data["scheduled_for"],
                    note=data["note"],
                )
            except DomainError as error:
                show_domain_error(form, error)
                status = error.status if error.status != 404 else 400
            else:
                if result.replayed:
                    messages.info(request, _("This dose was already recorded: nothing was added."))
                else:
                    messages.success(request, _("Recorded."))
                return redirect(back)
        else:
            status = max(status, 422)
    return render(
        request,
        "medications/give.html",
        {
            "patient": patient,
            "form": form,
            "orders": active,
            "portal": portal,
            "back_url": back,
        },
        status=status,
    )


@staff_required
def give(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    return with_patient(
        request,
        patient_id,
        "medications.record_administration",
        lambda patient: _give_page(request, patient, portal=False),
    )


@staff_required
def entered_in_error(request: AuthenticatedRequest, administration_id: Any) -> HttpResponse:
    administration = _find(
        Administration.objects.select_related("patient", "order__drug_route__drug"),
        administration_id,
    )

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Mark as entered in error"),
            perform=lambda data: services.mark_administration_entered_in_error(
                actor=request.user,
                administration=administration,
                reason=data["reason"],
            ),
            back_url=_medicines_url(patient),
            success_message=_("Marked as entered in error. The record stays, struck through."),
            submit_label=_("Mark as entered in error"),
            context={"patient": patient, "administration": administration},
            template=FORM,
        )

    return with_patient_of(request, administration, "medications.correct_administration", build)


@staff_required
def resolve_review(request: AuthenticatedRequest, review_id: Any) -> HttpResponse:
    review = _find(
        SyncReview.objects.select_related("patient", "order__drug_route__drug", "submitted_by"),
        review_id,
    )

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReviewForm(request.POST or None),
            title=_("Review an offline dose"),
            perform=lambda data: services.resolve_review(
                actor=request.user,
                review=review,
                decision=data["decision"],
                note=data["note"],
            ),
            back_url=_medicines_url(patient),
            success_message=_("Review recorded."),
            context={"patient": patient, "review": review},
            template=FORM,
        )

    return with_patient_of(request, review, "medications.review_sync", build)


# --- Family sign-off -------------------------------------------------------------


@staff_required
def sign_off(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        links = patient.caregivers.filter(ended_at__isnull=True).select_related("user")
        people = {str(link.user.external_id): link.user for link in links}
        today = clock.today()
        form = SignOffForm(
            request.POST or None,
            initial={"signed_off_on": today, "expires_on": today + timedelta(days=90)},
            caregivers=[(key, user.display_name) for key, user in people.items()],
        )
        return page_with_way_back(
            request,
            form,
            title=_("Sign off a family member to give medicines"),
            perform=lambda data: services.sign_off_caregiver(
                actor=request.user,
                patient=patient,
                caregiver=people[data["caregiver"]],
                route=data["route"],
                signed_off_on=data["signed_off_on"],
                expires_on=data["expires_on"],
                note=data["note"],
            ),
            back_url=_medicines_url(patient),
            success_message=_("Signed off."),
            context={"patient": patient},
            template=FORM,
        )

    return with_patient(request, patient_id, "medications.sign_off_caregiver", build)


@staff_required
def revoke_sign_off(request: AuthenticatedRequest, sign_off_id: Any) -> HttpResponse:
    record = _find(MedicineSignOff.objects.select_related("patient", "caregiver"), sign_off_id)

    def build(patient: Patient) -> HttpResponse:
        return page_with_way_back(
            request,
            ReasonForm(request.POST or None),
            title=_("Withdraw the sign-off of %(name)s (%(route)s)")
            % {"name": record.caregiver.display_name, "route": record.get_route_display()},
            perform=lambda data: services.revoke_sign_off(
                actor=request.user,
                sign_off=record,
                reason=data["reason"],
            ),
            back_url=_medicines_url(patient),
            success_message=_("Sign-off withdrawn."),
            submit_label=_("Withdraw"),
            context={"patient": patient},
            template=FORM,
        )

    return with_patient_of(request, record, "medications.sign_off_caregiver", build)


# --- Controlled drugs at home -------------------------------------------------------


@staff_required
def controlled_drugs(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The home register: balances, entries, discrepancies, and a form for
    stock received, returned, destroyed or counted."""

    def build(patient: Patient) -> HttpResponse:
        form = StockForm(request.POST or None)
        name_the_blank_choice(form)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.record_stock(
                        actor=request.user,
                        patient=patient,
                        formulation=data["formulation"],
                        movement=data["movement"],
                        quantity=data["quantity"],
                        occurred_at=data["occurred_at"],
                        witness=data["witness"],
                        note=data["note"],
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                    status = error.status if error.status != 404 else 400
                else:
                    messages.success(request, _("Recorded in the register."))
                    return redirect("controlled_drugs", patient_id=patient.external_id)
            else:
                status = 422
        return render(
            request,
            "medications/controlled_drugs.html",
            {
                "patient": patient,
                "register": queries.controlled_drug_register(patient),
                "to_dispose": queries.stopped_with_stock(patient),
                "form": form,
            },
            status=status,
        )

    return with_patient(
        request,
        patient_id,
        "medications.manage_controlled_drugs",
        build,
        AuditEventType.CONTROLLED_DRUGS_VIEWED,
    )


@staff_required
@refuses_bad_pages
def controlled_drug_entries(
    request: AuthenticatedRequest, patient_id: Any, formulation_id: Any
) -> HttpResponse:
    """One controlled drug's whole register at this home, a page at a time:
    the register page shows only each drug's newest entries."""

    def build(patient: Patient) -> HttpResponse:
        holding = queries.holding_at_home(patient, formulation_id)
        if holding is None:
            raise Http404
        return render(
            request,
            "medications/controlled_drug_entries.html",
            {
                "patient": patient,
                "holding": holding,
                "entries": page_of(request, queries.register_entries(holding)),
            },
        )

    return with_patient(
        request,
        patient_id,
        "medications.manage_controlled_drugs",
        build,
        AuditEventType.CONTROLLED_DRUGS_VIEWED,
    )


@staff_required
def close_discrepancy(
    request: AuthenticatedRequest, patient_id: Any, formulation_id: Any
) -> HttpResponse:
    """A discrepancy is closed with what was found. A link followed after
    someone else closed it says so instead of offering a form that can only
    be refused."""

    def build(patient: Patient) -> HttpResponse:
        holding = queries.holding_at_home(patient, formulation_id)
        if holding is None:
            raise Http404
        if request.method == "GET" and not holding.discrepancy_open:
            return render(
                request,
                "medications/no_discrepancy.html",
                {"patient": patient, "holding": holding},
            )
        return page_with_way_back(
            request,
            NoteForm(request.POST or None),
            title=_("Close the discrepancy: %(formulation)s")
            % {"formulation": holding.formulation},
            perform=lambda data: services.close_discrepancy(
                actor=request.user,
                holding=holding,
                note=data["note"],
            ),
            back_url=_medicines_url(patient),
            success_url=lambda _result: reverse("controlled_drugs", args=[patient.external_id]),
            success_message=_("Discrepancy closed. The entries stay as they were."),
            context={"patient": patient},
            template=FORM,
        )

    return with_patient(request, patient_id, "medications.manage_controlled_drugs", build)


# --- Formulary ------------------------------------------------------------------


@staff_required
def formulary(request: AuthenticatedRequest) -> HttpResponse:
    """Every medicine by route with its oral-morphine-equivalent factor and
    the source; the administrator changes a factor with a reason."""
    if not request.user.has_perm("medications.view_formulary"):
        return refusal(request, NotAllowed(_("Your role does not allow this.")))
    history = DrugRoute.history.select_related(  # type: ignore[attr-defined]
        "drug", "history_user"
    ).order_by("-history_date")[:50]
    return render(
        request,
        "medications/formulary.html",
        {
            "drugs": Drug.objects.prefetch_related("routes__formulations"),
            "history": history,
            "can_edit": request.user.has_perm("medications.manage_formulary"),
        },
    )


@staff_required
def edit_drug_route(request: AuthenticatedRequest, drug_route_id: Any) -> HttpResponse:
    if not request.user.has_perm("medications.manage_formulary"):
        return refusal(request, NotAllowed(_("Only an administrator changes the formulary.")))
    drug_route = _find(DrugRoute.objects.select_related("drug"), drug_route_id)
    form = DrugRouteForm(
        request.POST or None,
        initial={
            "conversion": drug_route.conversion,
            "ome_factor": _initial_number(drug_route.ome_factor) if drug_route.ome_factor else None,
            "source": drug_route.source,
            "usual_maximum_single_dose": (
                _initial_number(drug_route.usual_maximum_single_dose)
                if drug_route.usual_maximum_single_dose
                else None
            ),
        },
    )

    def perform(data: dict[str, Any]) -> DrugRoute:
        factor: Decimal | str = data["ome_factor"] if data["ome_factor"] is not None else ""
        return services.update_drug_route(
            actor=request.user,
            drug_route=drug_route,
            reason=data["reason"],
            ome_factor=factor,
            conversion=data["conversion"],
            source=data["source"],
            usual_maximum_single_dose=(
                data["usual_maximum_single_dose"]
                if data["usual_maximum_single_dose"] is not None
                else ""
            ),
        )

    return page_with_way_back(
        request,
        form,
        title=_("Formulary: %(row)s") % {"row": drug_route},
        perform=perform,
        back_url=reverse("formulary"),
        success_message=_("Formulary changed. Opioid totals now use the new factor."),
        context={"patient": None},
        template=FORM,
    )


# --- The home chart: family portal and printed --------------------------------------


def _chart_context(patient: Patient, reader: Any = None) -> dict[str, Any]:
    """What the family reads, on the page and on paper: each medicine, when,
    how much, why, and for as-needed ones how long to wait and the limit."""
    lines = queries.home_chart(patient)
    signed: set[str] = set()
    if reader is not None and getattr(reader, "kind", None) == UserKind.FAMILY:
        signed = set(
            MedicineSignOff.objects.filter(patient=patient, caregiver=reader)
            .valid_on(clock.today())
            .values_list("route", flat=True)
        )
    return {
        "patient": patient,
        "lines": lines,
        "regular": [line for line in lines if not line.is_as_needed],
        "as_needed": [line for line in lines if line.is_as_needed],
        "limit_reached": [line for line in lines if line.limit_reached],
        "signed_routes": signed,
        "now": clock.now(),
    }


def chart_language(patient: Patient, request: HttpRequest | None) -> str:
    """The printed chart is for the family at home: in the patient's language
    when the service ships it, else in the reader's."""
    return family_language(patient.preferred_language, request)


def home_chart_pdf(request: HttpRequest | None, patient: Patient) -> HttpResponse:
    """The chart on the fridge: in the family's language and, when it is a
    different one, the service's beside it (hazard M28)."""
    languages = document_languages(chart_language(patient, request))
    with translation.override(languages[0]):
        context = _chart_context(patient)
    context["printed_at"] = clock.now()
    context["allergy_summary"] = allergy_summary(patient)
    return render_pdf(
        request,
        "medications/home_chart_pdf.html",
        context,
        f"medicines-{patient.record_number}",
        languages=languages,
    )


@staff_required
def chart_pdf(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    return with_patient(
        request,
        patient_id,
        "medications.view_home_chart",
        lambda patient: home_chart_pdf(request, patient),
        AuditEventType.HOME_CHART_PRINTED,
    )


@login_required
def portal_medicines(request: AuthenticatedRequest) -> HttpResponse:
    """The family's home chart, read-only."""

    def build(patient: Patient) -> HttpResponse:
        context = _chart_context(patient, request.user)
        context["can_record"] = bool(context["signed_routes"]) and _may(
            request, "record_administration", patient
        )
        return render(request, "medications/portal_medicines.html", context)

    return with_portal_patient(
        request, "medications.view_home_chart", build, AuditEventType.HOME_CHART_VIEWED
    )


@login_required
def portal_give(request: AuthenticatedRequest) -> HttpResponse:
    """A trained family member records a dose they gave; the service refuses,
    with its message, anyone not signed off for the medicine's route."""
    return with_portal_patient(
        request,
        "medications.record_administration",
        lambda patient: _give_page(request, patient, portal=True),
        None,
    )


@login_required
def portal_chart_pdf(request: AuthenticatedRequest) -> HttpResponse:
    return with_portal_patient(
        request,
        "medications.view_home_chart",
        lambda patient: home_chart_pdf(request, patient),
        AuditEventType.HOME_CHART_PRINTED,
    )
