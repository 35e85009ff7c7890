from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hearth.careplans.models import AdvanceCarePlan
from hearth.core import clock
from hearth.core.pdf import render_pdf


def advance_care_plan_pdf(request: HttpRequest | None, plan: AdvanceCarePlan) -> HttpResponse:
    """The printed plan kept in the home, where an ambulance crew looks first."""
    return render_pdf(
        request,
        "careplans/advance_care_plan_pdf.html",
        {"plan": plan, "patient": plan.patient, "printed_at": clock.now()},
        f"advance-care-plan-{plan.patient.record_number}-v{plan.version}",
    )
