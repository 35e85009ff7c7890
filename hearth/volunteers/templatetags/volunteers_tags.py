"""The volunteers panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.volunteers import queries

register = template.Library()


@register.inclusion_tag("volunteers/_panel.html")
def volunteers_panel(patient: Any, user: Any = None) -> dict[str, Any]:
    """Who volunteers with this family, what they do and when; a warning when
    care at home has ended and an assignment is still open. Usage:
    ``{% load volunteers_tags %}{% volunteers_panel patient request.user %}``."""
    context = queries.panel(patient)
    context["can_assign"] = bool(
        user is not None and user.has_perm("volunteers.assign_volunteers", patient)
    )
    return context
