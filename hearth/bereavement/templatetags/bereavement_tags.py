"""The bereavement panel on the patient record (shown once a plan exists)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.bereavement import queries
from hearth.bereavement.models import BereavementPlan

register = template.Library()


@register.inclusion_tag("bereavement/_panel.html")
def bereavement_panel(patient: Any, user: Any = None) -> dict[str, Any]:
    """Status, risk and the next contact, for whoever opens the record:
    ``{% load bereavement_tags %}{% bereavement_panel patient request.user %}``."""
    return queries.panel(patient, user)


@register.simple_tag
def family_has_bereavement_plan(user: Any, patient: Any) -> bool:
    """The portal home offers "Our contacts with you" only to the family of a
    person who has died, never to families still caring."""
    return (
        getattr(user, "kind", None) == "family"
        and BereavementPlan.objects.filter(patient=patient).exists()
    )
