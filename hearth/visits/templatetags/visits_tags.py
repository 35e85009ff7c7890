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


@register.inclusion_tag("visits/_help_visit_lines.html", takes_context=True)
def help_visit_lines(context: Any, patient: Any) -> dict[str, Any]:
    """The family's help page (monitoring) shows when the clinician sent is
    expected and when they arrived: lines from the dispatch, never a surname
    or a phone number."""
    from hearth.visits.services import help_status_for_family

    return {"help": help_status_for_family(patient) if patient is not None else None}


@register.filter
def skill_names(values: Any) -> str:
    """Skills a visit needs, by their names ("Syringe driver"), never their codes."""
    return ", ".join(queries.skill_labels(values or []))
