"""The debrief panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.team import queries

register = template.Library()


@register.inclusion_tag("team/_panel.html")
def team_debrief_panel(patient: Any, user: Any) -> dict[str, Any]:
    """After a death, whether the team has debriefed; nothing before it, and
    nothing for people who may not read the patient's debriefs."""
    return queries.panel(patient, user)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ figures.means|lookup:item }}``"""
    return (mapping or {}).get(key, "")
