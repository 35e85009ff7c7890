from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hearth.allergies.queries import allergy_summary
from hearth.careplans.models import AdvanceCarePlan, CarePlan
from hearth.core import clock
from hearth.core.pdf import document_languages, family_language, render_pdf


def advance_care_plan_pdf(request: HttpRequest | None, plan: AdvanceCarePlan) -> HttpResponse:
    """The printed plan kept in the home, where an ambulance crew looks first:
    in the family's language and, when it is a different one, the service's
    beside it, so a crew that does not read the family's language still reads
    the CPR decision (hazard M28)."""
    return render_pdf(
        request,
        "careplans/advance_care_plan_pdf.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "printed_at": clock.now(),
            "allergy_summary": allergy_summary(plan.patient),
        },
        f"advance-care-plan-{plan.patient.record_number}-v{plan.version}",
        languages=document_languages(family_language(plan.patient.preferred_language, request)),
    )


def care_plan_pdf(request: HttpRequest | None, plan: CarePlan) -> HttpResponse:
    """The plan as the team follows it, for the folder kept in the home."""
    from hearth.careplans import conflicts, queries

    full = (
        queries.with_tree(CarePlan.objects.filter(pk=plan.pk))
        .select_related("patient", "activated_by", "created_by")
        .get()
    )
    return render_pdf(
        request,
        "careplans/care_plan_pdf.html",
        {
            "plan": full,
            "patient": full.patient,
            "conflicts": conflicts.find_conflicts(full),
            "printed_at": clock.now(),
            "allergy_summary": allergy_summary(full.patient),
        },
        f"care-plan-{full.patient.record_number}-v{full.version}",
    )
