"""The family training and support panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.caregiving import queries

register = template.Library()


@register.inclusion_tag("caregiving/_panel.html")
def caregiving_panel(patient: Any, user: Any = None) -> dict[str, Any]:
    """Who is signed off for what, sign-offs needing refreshing, open support
    tasks, strain assessments due, respite waiting or booked, the next contact.
    Links show only to people whose role opens those pages."""
    context = queries.panel(patient)
    context["can_view_training"] = bool(
        user is not None and user.has_perm("caregiving.view_training", patient)
    )
    context["can_view_support"] = bool(
        user is not None and user.has_perm("caregiving.view_family_support", patient)
    )
    return context
