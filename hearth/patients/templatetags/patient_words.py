"""Words about a patient's people, in the reader's language."""

from __future__ import annotations

from django import template

from hearth.patients.choices import relationship_label

register = template.Library()


@register.filter
def relationship(typed: str) -> str:
    """A typed relationship ("wife") as the reader says it («жена»); any other
    text exactly as typed, so a proxy's "Leila's neighbour" is left alone."""
    return relationship_label(typed)
