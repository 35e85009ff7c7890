"""The "About me" panel, shown at the top of the patient record."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.personhood import queries

register = template.Library()


@register.inclusion_tag("personhood/_about_me.html")
def about_me(patient: Any) -> dict[str, Any]:
    return queries.about_me(patient)
