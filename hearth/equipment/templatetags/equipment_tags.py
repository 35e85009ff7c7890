"""The equipment panel on the patient record (a page of a lower app)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.equipment import queries

register = template.Library()


@register.inclusion_tag("equipment/_panel.html")
def equipment_panel(patient: Any, user: Any) -> dict[str, Any]:
    """What is at the patient's home, safety checks due, last checks failed and
    open faults. Shown only to someone who may see the patient's equipment."""
    if not user.has_perm("equipment.view_equipment", patient):
        return {"hidden": True, "patient": patient}
    return {"patient": patient, "hidden": False, **queries.panel_summary(patient)}
