from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from hearth.allergies.queries import allergy_summary
from hearth.core import clock
from hearth.core.pdf import render_pdf
from hearth.patients.models import Patient
from hearth.personhood import queries


def about_me_pdf(request: HttpRequest | None, patient: Patient) -> HttpResponse:
    context = queries.about_me(patient)
    context["printed_at"] = clock.now()
    context["allergy_summary"] = allergy_summary(patient)
    return render_pdf(
        request, "personhood/about_me_pdf.html", context, f"about-me-{patient.record_number}"
    )
