"""Form helpers every app's templates share (``{% load hearth_forms %}``)."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hearth.core.choices import language_name
from hearth.core.forms_rendering import asks_for_an_answer

register = template.Library()


@register.simple_tag
def required_legend(*forms_on_page: Any) -> SafeString:
    """The line above a form that says what the asterisk on a label means,
    shown only when one of the forms on the page has a required field (a
    marker nobody explains is a puzzle; an explanation with no marker is
    noise)."""
    for form in forms_on_page:
        if isinstance(form, forms.BaseForm) and any(asks_for_an_answer(field) for field in form):
            mark = '<span class="required-mark">*</span>'
            # Translators: %(mark)s is the asterisk shown after a required field's label.
            text = _("Fields marked %(mark)s must be filled in.") % {"mark": mark}
            return format_html('<p class="required-legend">{}</p>', mark_safe(text))
    return mark_safe("")


@register.filter
def spoken_language(code: str) -> str:
    """``{{ patient.preferred_language|spoken_language }}``: "Russian" (in the
    reader's language), not "ru". Not Django's ``language_name``, which names
    a language in English and fails on a code it does not know."""
    return language_name(code or "")
