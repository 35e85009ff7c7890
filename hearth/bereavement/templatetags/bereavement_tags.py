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
def family_has_bereavement_plan(user: Any) -> bool:
    """The portal shows "Our contacts with you" only to a family whose person
    has died, never as a menu item to families still caring."""
    patient = queries.portal_patient(user)
    return patient is not None and BereavementPlan.objects.filter(patient=patient).exists()
