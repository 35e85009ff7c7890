"""Symptom, check-in and alert pages for staff and the family portal.

The same services and rules as the API; refusals become the refusal page or
errors on the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from hearth.accounts.models import UserKind
from hearth.assessments import instruments
from hearth.assessments import queries as assessment_queries
from hearth.assessments import services as assessments
from hearth.assessments.choices import Respondent
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import DomainError, NotAllowed
from hearth.core.pagination import refuses_bad_pages
from hearth.core.web import (
    AuthenticatedRequest,
    form_page,
    refusal,
    show_domain_error,
    staff_required,
)
from hearth.monitoring import charts, evaluation, paging, queries, services
from hearth.monitoring.choices import TriageOutcome
from hearth.monitoring.context_processors import AlertBadge, shows_alert_badge
from hearth.monitoring.forms import (
    CheckInForm,
    DeviceForm,
    OnCallShiftForm,
    PhaseForm,
    ResolveForm,
    StaffAssessmentExtras,
    ThresholdsForm,
    TriageForm,
    answers_from,
    instrument_form,
    item_names_from,
    not_assessed_from,
)
from hearth.monitoring.models import Alert, MonitoringDevice, OnCallShift
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.patients.web import with_patient


def _act_then_go_back(
    request: HttpRequest, act: Callable[[], Any], done: str, back: str
) -> HttpResponse:
    """A one-button page action: do it and go back with a message; a refusal
    that hides or forbids (403/404) is raised for the caller's refusal page."""
    try:
        act()
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _symptoms_url(patient: Patient) -> Callable[[Any], str]:
    return lambda _result: reverse("symptoms", args=[patient.external_id])


@staff_required
def symptoms(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    """The patient's symptoms at a glance: open alerts, phase, trends, latest scores."""

    def build(patient: Patient) -> HttpResponse:
        limits = evaluation.thresholds_for(patient)
        latest = {
            code: assessments.latest(patient, code) for code in ("esas_r", "pps", "akps", "painad")
        }
        ipos = assessment_queries.latest_ipos(patient)
        return render(
            request,
            "monitoring/symptoms.html",
            {
                "patient": patient,
                "alerts": Alert.objects.open().for_patient(patient).select_related("owner"),
                "phase": assessments.current_phase(patient),
                "phases": PhaseOfIllness.objects.filter(patient=patient)[:10],
                "latest": latest,
                "ipos": assessment_queries.ipos_summary(ipos) if ipos else None,
                "limits": limits,
                "item_overrides": [
                    (item.label, limits.esas_items[item.key])
                    for item in instruments.ESAS_R.scored_items
                    if item.key in limits.esas_items
                ],
                "check_ins": queries.check_ins(patient, limit=10),
                "assessments": AssessmentResponse.objects.for_patient(patient).select_related(
                    "recorded_by"
                )[:20],
                "instruments": instruments.registry().values(),
                "chart_groups": [
                    charts.esas_charts(patient, limits=limits),
                    charts.function_group(patient),
                    charts.vitals_charts(patient),
                ],
                "devices": patient.devices.usable(),
            },
        )

    return with_patient(
        request, patient_id, "monitoring.view_monitoring", build, AuditEventType.SYMPTOMS_VIEWED
    )


@staff_required
def add_assessment(request: AuthenticatedRequest, patient_id: Any, instrument: str) -> HttpResponse:
    definition = instruments.get(instrument)
    if definition is None:
        raise Http404
    # The same rule as the service: scales a professional scores need a
    # physician or nurse; forms the person answers, any symptom recorder.
    perm = (
        "assessments.record_clinical_assessment"
        if "professional" in definition.respondents and not definition.portal
        else "assessments.record_assessment"
    )
    items_form = instrument_form(definition)

    def build(patient: Patient) -> HttpResponse:
        caregivers = [
            (str(link.external_id), link.user.display_name)
            for link in patient.caregivers.filter(ended_at__isnull=True).select_related("user")
        ]
        form = items_form(request.POST or None)
        extras = StaffAssessmentExtras(
            request.POST or None, initial={"completed_by": Respondent.PROFESSIONAL}
        )
        extras.fields["completed_by"].choices = [  # type: ignore[attr-defined]
            (key, label) for key, label in Respondent.choices if key in definition.respondents
        ]
        extras.fields["caregiver_id"].choices = [("", "—"), *caregivers]  # type: ignore[attr-defined]
        status = 200
        if request.method == "POST":
            if form.is_valid() and extras.is_valid():
                try:
                    assessments.record_assessment(
                        actor=request.user,
                        patient=patient,
                        instrument=definition.code,
                        answers=answers_from(definition, form.cleaned_data),
                        not_assessed=not_assessed_from(definition, form.cleaned_data),
                        item_names=item_names_from(definition, form.cleaned_data),
                        other_problem=form.cleaned_data.get("other_problem") or "",
                        completed_by=extras.cleaned_data["completed_by"],
                        caregiver_id=extras.cleaned_data.get("caregiver_id") or None,
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                    status = error.status if error.status != 404 else 400
                else:
                    messages.success(request, _("Saved."))
                    return redirect("symptoms", patient_id=patient.external_id)
            else:
                status = 422
        return render(
            request,
            "monitoring/assessment_form.html",
            {
                "patient": patient,
                "definition": definition,
                "form": form,
                "extras": extras,
                "show_caregiver": definition.about_caregiver,
            },
            status=status,
        )

    return with_patient(request, patient_id, perm, build)


@staff_required
def start_phase(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        return form_page(
            request,
            form_class=PhaseForm,
            title=_("Phase of illness"),
            perform=lambda data: assessments.start_phase(
                actor=request.user,
                patient=patient,
                **data,
            ),
            success_url=_symptoms_url(patient),
            success_message=_("Phase recorded."),
            context={"patient": patient},
        )

    return with_patient(request, patient_id, "assessments.set_phase", build)


@staff_required
def thresholds(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        current = evaluation.thresholds_for(patient)
        return form_page(
            request,
            form_class=ThresholdsForm,
            title=_("Personal alert thresholds"),
            perform=lambda data: services.set_thresholds(
                actor=request.user,
                patient=patient,
                reason=data.pop("reason"),
                changes=data,
            ),
            success_url=_symptoms_url(patient),
            success_message=_("Thresholds saved."),
            context={"patient": patient},
            initial={
                "esas_item_threshold": current.esas_item,
                "esas_rise_threshold": current.esas_rise,
                "physiological_routing": current.chosen_routing,
                "spo2_scale": current.spo2_scale,
            },
        )

    return with_patient(request, patient_id, "monitoring.set_thresholds", build)


@staff_required
def devices(request: AuthenticatedRequest, patient_id: Any) -> HttpResponse:
    def build(patient: Patient) -> HttpResponse:
        form = DeviceForm(request.POST or None)
        issued: dict[str, Any] | None = None
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    device, secret = services.register_device(
                        actor=request.user,
                        patient=patient,
                        **form.cleaned_data,
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                    status = error.status
                else:
                    issued = {"device": device, "token": secret}
                    form = DeviceForm()
            else:
                status = 422
        return render(
            request,
            "monitoring/devices.html",
            {
                "patient": patient,
                "devices": patient.devices.order_by("-issued_at"),
                "form": form,
                "issued": issued,
            },
            status=status,
        )

    return with_patient(
        request, patient_id, "monitoring.manage_devices", build, AuditEventType.DEVICES_VIEWED
    )


@staff_required
@require_POST
def revoke_device(request: AuthenticatedRequest, device_id: Any) -> HttpResponse:
    device = (
        MonitoringDevice.objects.select_related("patient").filter(external_id=device_id).first()
    )
    if device is None:
        raise Http404

    def build(patient: Patient) -> HttpResponse:
        return _act_then_go_back(
            request,
            lambda: services.revoke_device(actor=request.user, device=device),
            _("Token revoked: the device can no longer send readings."),
            reverse("devices", args=[patient.external_id]),
        )

    return with_patient(request, device.patient.external_id, "monitoring.manage_devices", build)


# --- Alerts -----------------------------------------------------------------


@require_GET
@staff_required
def alert_count(request: AuthenticatedRequest) -> HttpResponse:
    """The menu's alerts badge alone, which ``hearth.js`` fetches every minute
    to keep the count right without a reload. It reads one count and writes
    nothing: no audit event (no patient is shown) and, sent as a background
    refresh, it does not reset the idle sign-out (``hearth.core.web``)."""
    if not shows_alert_badge(request.user):
        return HttpResponse(status=204)
    return HttpResponse(AlertBadge(request.user).__html__())


@staff_required
@refuses_bad_pages
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    mine = request.GET.get("mine") == "1"
    # htmx polls the list (every HEARTH_ALERT_LIST_REFRESH_SECONDS): only the
    # list comes back, so new alerts show without a reload (and without
    # inline script).
    polled = request.headers.get("HX-Request") == "true"
    template = "monitoring/_alert_list.html" if polled else "monitoring/alerts.html"
    return render(
        request,
        template,
        {
            "alerts": queries.alerts_for(request.user, status=status, mine=mine, request=request),
            # The poll refreshes the page being read, filters and page number kept.
            "poll_url": request.get_full_path(),
            "mine": mine,
            "status": status,
            "refreshed_at": clock.now(),
            "refresh_seconds": settings.HEARTH_ALERT_LIST_REFRESH_SECONDS,
        },
    )


def _alert_page(
    request: AuthenticatedRequest, alert_id: Any, perm: str, build: Callable[[Alert], HttpResponse]
) -> HttpResponse:
    """An alert's page opens like its patient's record: staff outside the
    caseload are led to emergency access for that patient."""
    try:
        alert = queries.open_alert(request.user, alert_id, perm=perm)
        return build(alert)
    except DomainError as error:
        if error.code == "emergency_access_available":
            patient = Alert.objects.values_list("patient__external_id", flat=True)
            return redirect("emergency_access", patient_id=patient.get(external_id=alert_id))
        return refusal(request, error)


@staff_required
def alert_detail(request: AuthenticatedRequest, alert_id: Any) -> HttpResponse:
    def build(alert: Alert) -> HttpResponse:
        can_open_record = access.staff_can_open(request.user, alert.patient)
        return render(
            request,
            "monitoring/alert.html",
            {
                "alert": alert,
                # Phones, address, symptoms: only for whoever may open the record now.
                "bedside": queries.at_the_bedside(alert.patient) if can_open_record else None,
                "outcomes": TriageOutcome.choices,
                "patient": alert.patient,
                "evidence": alert.evidence.all(),
                "escalations": alert.escalations.select_related("to_user"),
                "visit_requests": alert.visit_requests.prefetch_related("visits__staff"),
                "messages_sent": queries.alert_messages(alert),
                "nobody_can_be_paged": paging.nobody_can_be_paged(alert),
                "can_act": request.user.has_perm("monitoring.act_on_alert", alert),
                "can_open_record": can_open_record,
            },
        )

    return _alert_page(request, alert_id, "monitoring.view_alert", build)


@staff_required
@require_POST
def acknowledge_alert(request: AuthenticatedRequest, alert_id: Any) -> HttpResponse:
    def build(alert: Alert) -> HttpResponse:
        return _act_then_go_back(
            request,
            lambda: services.acknowledge_alert(actor=request.user, alert=alert),
            _("Acknowledged: you own this alert now."),
            reverse("alert", args=[alert.external_id]),
        )

    return _alert_page(request, alert_id, "monitoring.act_on_alert", build)


@staff_required
def triage_alert(request: AuthenticatedRequest, alert_id: Any) -> HttpResponse:
    def build(alert: Alert) -> HttpResponse:
        return form_page(
            request,
            form_class=TriageForm,
            title=_("Triage: %(summary)s") % {"summary": alert.summary_text},
            perform=lambda data: services.triage_alert(
                actor=request.user,
                alert=alert,
                **data,
            ),
            success_url=lambda _result: reverse("alert", args=[alert.external_id]),
            success_message=_("Triage recorded."),
            context={"patient": None},
        )

    return _alert_page(request, alert_id, "monitoring.act_on_alert", build)


@staff_required
def resolve_alert(request: AuthenticatedRequest, alert_id: Any) -> HttpResponse:
    def build(alert: Alert) -> HttpResponse:
        return form_page(
            request,
            form_class=ResolveForm,
            title=_("Resolve: %(summary)s") % {"summary": alert.summary_text},
            perform=lambda data: services.resolve_alert(
                actor=request.user,
                alert=alert,
                note=data["note"],
            ),
            success_url=lambda _result: reverse("alert", args=[alert.external_id]),
            success_message=_("Alert resolved."),
            context={"patient": None},
        )

    return _alert_page(request, alert_id, "monitoring.act_on_alert", build)


# --- On call --------------------------------------------------------------


@staff_required
def on_call(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "monitoring/on_call.html",
        {
            "shifts": queries.on_call_roster(days=14),
            "can_manage": request.user.has_perm("monitoring.manage_on_call"),
        },
    )


@staff_required
def add_on_call_shift(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("monitoring.manage_on_call"):
        return refusal(request, NotAllowed(_("Only the coordinator keeps the on-call roster.")))
    return form_page(
        request,
        form_class=OnCallShiftForm,
        title=_("Add an on-call shift"),
        perform=lambda data: services.add_on_call_shift(actor=request.user, **data),
        success_url=lambda _result: reverse("on_call"),
        success_message=_("Shift added."),
    )


@staff_required
@require_POST
def cancel_on_call_shift(request: AuthenticatedRequest, shift_id: Any) -> HttpResponse:
    shift = OnCallShift.objects.filter(external_id=shift_id).first()
    if shift is None:
        raise Http404
    try:
        return _act_then_go_back(
            request,
            lambda: services.cancel_on_call_shift(actor=request.user, shift=shift),
            _("Shift cancelled."),
            reverse("on_call"),
        )
    except DomainError as error:
        return refusal(request, error)


# --- Family portal ----------------------------------------------------------


@login_required
def portal_check_in(request: AuthenticatedRequest) -> HttpResponse:
    """The daily check-in on a phone: sliders with words at both ends, a note,
    and the large "we need help now" button. A repeated submit creates nothing
    twice (a one-time key in the form)."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        raise Http404
    definition = instruments.ESAS_R
    esas_form = instrument_form(definition, sliders=True)(request.POST or None)
    form = CheckInForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    status = 200
    if request.method == "POST":
        if form.is_valid() and esas_form.is_valid():
            help_now = "help_now" in request.POST or form.cleaned_data["help_requested"]
            try:
                services.record_check_in(
                    actor=request.user,
                    patient=patient,
                    esas=answers_from(definition, esas_form.cleaned_data),
                    other_problem=esas_form.cleaned_data.get("other_problem") or "",
                    note=form.cleaned_data["note"],
                    help_requested=help_now,
                    cannot_cope=form.cleaned_data["cannot_cope"],
                    idempotency_key=form.cleaned_data["idempotency_key"] or "",
                )
            except DomainError as error:
                show_domain_error(form, error)
                status = error.status if error.status != 404 else 400
            else:
                if help_now:
                    # The status page says at once who was told, then what happens.
                    return redirect("portal_help")
                messages.success(request, _("Thank you. The team can see your check-in."))
                return redirect("portal_check_ins")
        else:
            status = 422
    return render(
        request,
        "monitoring/portal_check_in.html",
        {
            "patient": patient,
            "form": form,
            "esas_form": esas_form,
            "is_family": request.user.kind == UserKind.FAMILY,
        },
        status=status,
    )


@login_required
def portal_check_ins(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        raise Http404
    patient = access.access_patient(
        request.user,
        patient.external_id,
        clinical=False,
        event_type=AuditEventType.CHECK_INS_VIEWED,
    )
    labels = {item.key: item.label for item in instruments.ESAS_R.items}
    rows = list(queries.check_ins(patient, limit=30))
    for row in rows:
        row.scores = [  # type: ignore[attr-defined]
            (labels.get(key, key), value)
            for key, value in (row.esas.answers if row.esas else {}).items()
        ]
    return render(
        request,
        "monitoring/portal_check_ins.html",
        {
            "patient": patient,
            "check_ins": rows,
            # Drawn from the answers sent from home, as listed below: the
            # family sees no more than the table shows (hazard U34).
            "symptom_charts": charts.esas_charts(patient, for_family=True),
        },
    )


#: What the family reads about each triage decision: what the team decided,
#: never a promise of a time the system does not know.
FAMILY_OUTCOME_TEXT: dict[str, Any] = {
    TriageOutcome.ADVICE_BY_PHONE: _lazy(
        "Advice by phone: the nurse will phone you, or already has."
    ),
    TriageOutcome.TREATMENT_ADJUSTMENT: _lazy(
        "A change to the medicines: the team will tell you what to give."
    ),
    TriageOutcome.TELECONSULT: _lazy("A phone or video consultation with the team."),
    TriageOutcome.NURSE_VISIT: _lazy("A nurse is coming to the home."),
    TriageOutcome.URGENT_PHYSICIAN_VISIT: _lazy("A doctor is coming to the home."),
    TriageOutcome.EMERGENCY_SERVICES: _lazy(
        "The team decided emergency services are needed. Follow what the nurse told you."
    ),
    TriageOutcome.NO_ACTION: _lazy(
        "The team decided no visit is needed now. Phone if anything changes."
    ),
}


def _help_status(request: AuthenticatedRequest, patient: Patient) -> dict[str, Any]:
    alert = queries.latest_help_call(patient)
    seen_by = alert.acknowledged_by if alert is not None else None
    return {
        "patient": patient,
        "alert": alert,
        "nobody_paged": alert is not None and paging.nobody_can_be_paged(alert),
        "seen_by_name": (seen_by.first_name or seen_by.display_name) if seen_by else "",
        "seen_by_role": seen_by.get_discipline_display() if seen_by else "",
        "decision": FAMILY_OUTCOME_TEXT.get(alert.triage_outcome, "")
        if alert is not None and alert.triage_outcome
        else "",
        "help_key": uuid.uuid4().hex,
    }


@login_required
def portal_help(request: AuthenticatedRequest) -> HttpResponse:
    """ "We need help now" from the portal home or the check-in, and what
    happens after: told at, seen by, decided. One tap (POST), then this page
    with the service number large at the top; htmx refreshes the status."""
    if request.user.kind == UserKind.STAFF:
        return redirect("worklist")
    patient = access.portal_patient(request.user)
    if patient is None:
        raise Http404
    if request.method == "POST":
        try:
            services.record_check_in(
                actor=request.user,
                patient=patient,
                note="",
                help_requested=True,
                idempotency_key=(request.POST.get("idempotency_key") or "")[:80],
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise Http404 from error
            messages.error(request, error.message)
            return redirect("portal")
        return redirect("portal_help")
    patient = access.access_patient(
        request.user,
        patient.external_id,
        clinical=False,
        event_type=AuditEventType.CHECK_INS_VIEWED,
    )
    polled = request.headers.get("HX-Request") == "true"
    template = "monitoring/_help_status.html" if polled else "monitoring/portal_help.html"
    return render(request, template, _help_status(request, patient))
