"""Panels monitoring adds to pages of lower apps (the patient record)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.assessments import services as assessments
from hearth.monitoring import charts
from hearth.monitoring.models import Alert

register = template.Library()


@register.inclusion_tag("monitoring/_open_alerts.html")
def open_alerts(patient: Any) -> dict[str, Any]:
    """Open alerts and the current phase at the top of the record."""
    return {
        "patient": patient,
        "alerts": list(Alert.objects.open().for_patient(patient).select_related("owner")),
        "phase": assessments.current_phase(patient),
        "pps": assessments.latest(patient, "pps"),
        "esas_chart": charts.esas_chart(patient).svg,
    }
