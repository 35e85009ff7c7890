"""Panels other pages show: the emergency summary banner. Pages of lower apps
(the patient record) load these tags instead of importing this app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from hearth.careplans import queries

register = template.Library()


@register.inclusion_tag("careplans/_emergency_banner.html")
def emergency_banner(patient: Any) -> dict[str, Any]:
    acp = queries.current_advance_care_plan(patient)
    return {
        "acp": acp,
        "acp_url": reverse("acp_detail", args=[acp.external_id]) if acp else "",
    }
