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


@register.filter
def allergy_choice_label(code: str | None, kind: str) -> str:
    """The label of a stored code (``type``, ``severity``, ``certainty``) in
    the language active now, so a printout in two languages can say
    "анафилаксия / anaphylaxis" from one summary (``{% bilingual %}``)."""
    from hearth.allergies.choices import AllergyType, Certainty, ReactionSeverity

    choices = {"type": AllergyType, "severity": ReactionSeverity, "certainty": Certainty}.get(kind)
    if not code or choices is None or code not in choices.values:
        return ""
    return str(choices(code).label)


@register.filter
def allergy_substance_label(entry: dict[str, Any]) -> str:
    """The substance of a summary entry named in the language active now
    (groups and everyday substances are translated; a medicine keeps the
    formulary's spelling; what a clinician typed stays as typed)."""
    from hearth.allergies.catalogue import LABELS, describe_substance

    found = LABELS.get(entry.get("substance") or "")
    if found is None:  # a medicine: the formulary's spelling in every language
        return str(entry.get("substance_label") or "")
    return describe_substance(
        str(found), entry.get("substance_kind") or "", entry.get("substance_text") or ""
    )
