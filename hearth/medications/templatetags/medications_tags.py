"""The medicines panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hearth.core import clock
from hearth.medications import charts, ome, queries, services
from hearth.medications.choices import Route
from hearth.medications.models import (
    DrugRoute,
    MedicationOrder,
    StockHolding,
    describe_dose,
    plain_decimal,
)

register = template.Library()


@register.inclusion_tag("medications/_panel.html")
def medicines_panel(patient: Any) -> dict[str, Any]:
    """What a clinician opening the record should see first about medicines:
    how many orders, breakthrough doses in the last 24 h (three or more call
    for a review), offline doses waiting for a decision, an open register
    discrepancy, and the opioid charts when there is anything to draw."""
    days = queries.opioid_days(patient)
    return {
        "patient": patient,
        # The issue asks for both opioid charts on the patient page itself.
        "opioid_charts": charts.opioid_group(patient, days),
        "active_orders": MedicationOrder.objects.for_patient(patient).active().count(),
        # A typed volume that could not be checked when volumes became computed.
        "physician_checks": MedicationOrder.objects.for_patient(patient)
        .active()
        .exclude(physician_check="")
        .count(),
        "breakthrough_24h": len(services.breakthrough_doses(patient, clock.now())),
        "review_count": queries.waiting_reviews(patient).count(),
        "discrepancy": StockHolding.objects.filter(patient=patient, discrepancy_open=True).exists(),
    }


@register.filter
def dose(record: Any) -> str:
    """``5 mg`` for an order version or a dose record (``dose``, ``dose_unit``)."""
    if record is None:
        return ""
    return describe_dose(record.dose, record.dose_unit)


@register.filter
def minutes(value: Any) -> str:
    """A waiting time a carer reads at night: "1 hour", "4 hours", "30 minutes"."""
    if value in (None, ""):
        return ""
    total = int(value)
    hours, rest = divmod(total, 60)
    if not hours:
        return ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest}
    text = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    if rest:
        text += " " + ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest}
    return text


@register.inclusion_tag("medications/_as_needed_now.html")
def as_needed_now(patient: Any) -> dict[str, Any]:
    """The as-needed medicines for the clinician on call at night: the last
    doses and when the next is allowed, from the same reckoning as the family's
    "may I give another dose" chart (hazard M12), not a second calculation."""
    return {
        "lines": [line for line in queries.home_chart(patient) if line.is_as_needed],
        "now": clock.now(),
    }


@register.filter
def follows_note(drug_route: DrugRoute) -> str:
    """“2 × the factor for By mouth” beside a factor that follows another, so
    the administrator knows which one to change."""
    link = ome.follows(drug_route)
    if link is None:
        return ""
    route, multiplier = link
    label = Route(route).label if route in Route.values else route
    return _("%(multiplier)s × the factor for “%(route)s”") % {
        "multiplier": plain_decimal(multiplier),
        "route": label,
    }
