"""The "About me" panel, shown at the top of the patient record."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.personhood import queries

register = template.Library()


@register.inclusion_tag("personhood/_about_me.html")
def about_me(patient: Any) -> dict[str, Any]:
    """The staff record's panel (the family never sees this page)."""
    return queries.about_me(patient, confidential=True)


@register.inclusion_tag("personhood/_pending_proposals.html")
def pending_proposals(patient: Any) -> dict[str, Any]:
    """What the person or family asked the team, still unanswered."""
    return {"patient": patient, "count": queries.pending_proposal_count(patient)}
