"""Small text helpers for generated sentences (a template builtin, see settings)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

#: What already ends a sentence, so none is added after it ("tablet.. Scents").
_SENTENCE_ENDS = (".", "!", "?", "…", ":", ";")


@register.filter(is_safe=False)
def sentence(value: Any) -> str:
    """Text a person typed, ended with a full stop unless it already ends with
    punctuation: "Lavender." stays "Lavender.", "Lavender" becomes "Lavender."."""
    text = str(value or "").strip()
    if not text:
        return ""
    stripped = text.rstrip("»\"')\u201d\u2019")  # closing quotes and brackets
    if stripped.endswith(_SENTENCE_ENDS):
        return text
    return f"{text}."
