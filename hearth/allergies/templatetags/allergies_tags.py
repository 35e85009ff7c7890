"""Allergies on other apps' pages (the patient record, the order forms, the
medicines pages, the family's chart, the emergency summary): one summary,
one look."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from hearth.allergies.queries import allergy_summary

register = template.Library()


@register.inclusion_tag("allergies/_summary.html")
def allergy_summary_box(
    patient: Any, *, link: bool = False, portal: bool = False, prescribing: bool = False
) -> dict[str, Any]:
    """Not asked (a warning), no known drug allergies (with its date) or the
    active allergies, and the family's proposals marked as not yet confirmed.
    ``prescribing`` words the "not asked" warning for an order form."""
    url = ""
    if link:
        url = (
            reverse("portal_allergies")
            if portal
            else reverse("allergies", args=[patient.external_id])
        )
    return {
        "summary": allergy_summary(patient),
        "link": url,
        "portal": portal,
        "prescribing": prescribing,
    }
