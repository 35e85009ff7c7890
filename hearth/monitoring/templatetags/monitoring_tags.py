"""Panels monitoring adds to pages of lower apps (the patient record)."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

from hearth.assessments import services as assessments
from hearth.monitoring import charts, evaluation, queries
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
        "esas_charts": charts.esas_charts(patient, limits=evaluation.thresholds_for(patient)),
    }


@register.inclusion_tag("monitoring/_on_call_now.html", takes_context=True)
def on_call_now(context: template.Context) -> dict[str, Any]:
    """Who is on call now, each with a number to tap; for the coordinator and
    the clinical lead also the coming gaps in the roster."""
    user = context.get("user")
    keeps_roster = bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (user.has_perm("monitoring.manage_on_call") or getattr(user, "is_clinical_lead", False))
    )
    return {
        "on_call": queries.on_call_now(),
        "gaps": queries.on_call_gaps() if keeps_roster else [],
        "keeps_roster": keeps_roster,
    }


@register.inclusion_tag("monitoring/_help_now_button.html", takes_context=True)
def help_now_button(context: template.Context) -> dict[str, Any]:
    """The family's one-tap "We need help now" for the portal home: the same
    service as the check-in's button, with a one-time key against double taps."""
    return {"help_key": uuid.uuid4().hex, "csrf_token": context.get("csrf_token")}
