"""The next-steps panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.directory import queries

register = template.Library()


@register.inclusion_tag("directory/_panel.html")
def next_steps_panel(patient: Any, user: Any = None) -> dict[str, Any]:
    """What the family has been asked to do and what is done, so whoever
    opens the record can follow up. Shown only to those who may see next
    steps (the record page is already the team's)."""
    if user is not None and not user.has_perm("directory.view_next_steps", patient):
        return {"patient": patient, "hidden": True, "open_steps": [], "open_count": 0}
    return queries.panel(patient)
