"""The visits panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.visits import queries

register = template.Library()


@register.inclusion_tag("visits/_panel.html")
def visits_panel(patient: Any) -> dict[str, Any]:
    """The next visits and calls, so whoever opens the record knows who is
    coming and when before phoning the family."""
    return queries.panel(patient)
