"""What every page shows first: the messages of the last action and the
refusals of the form just sent.

A refusal used to appear beside the field it names, which on a phone can be
below the fold while the form looks unchanged (issue 20: a "too soon" dose).
``{% page_notices %}`` in ``base.html`` puts every message and every form
error at the top of ``<main>``: errors as ``role="alert"``, confirmations as
``role="status"``; ``hearth.js`` moves the focus to the first one. The errors
stay beside their fields too, and each one at the top links to its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.contrib.messages import constants
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.context import Context

register = template.Library()

#: Django message levels read out at once (an error or a warning), rather than
#: announced politely (a confirmation).
URGENT_LEVELS = {constants.ERROR, constants.WARNING}


@dataclass(frozen=True)
class Refusal:
    """One reason a form was not accepted; ``field`` is empty for the form as a whole."""

    message: str
    field: str = ""
    target: str = ""


def _validated(form: forms.BaseForm) -> bool:
    """Only a form the view has already checked: asking a form that was not
    sent (a filter bound to an empty query, the other forms of a page with
    several) for its errors would validate it here and invent refusals."""
    return form.is_bound and getattr(form, "_errors", None) is not None


def _form_refusals(form: forms.BaseForm) -> list[Refusal]:
    if not _validated(form) or not form.errors:
        return []
    found = [Refusal(str(text)) for text in form.non_field_errors()]
    for name, texts in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = str(bound.label or name)
        # A radio group's first choice or the field itself; a hidden field has
        # nothing to jump to, so its refusal is read without a link.
        target = "" if bound.is_hidden else (bound.id_for_label or bound.auto_id or "")
        found.extend(Refusal(str(text), label, str(target)) for text in texts)
    return found


def _formset_refusals(formset: forms.BaseFormSet[Any]) -> list[Refusal]:
    if not formset.is_bound:
        return []
    found = [Refusal(str(text)) for text in formset.non_form_errors()]
    for form in formset.forms:
        found.extend(_form_refusals(form))
    return found


def refusals_in(context: Context) -> list[Refusal]:
    """Every error of every bound form (or formset) the page was given, in
    the order the view listed them, each once."""
    found: list[Refusal] = []
    seen: set[int] = set()
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, forms.BaseForm):
            found.extend(_form_refusals(value))
        elif isinstance(value, forms.BaseFormSet):
            found.extend(_formset_refusals(value))
    unique: list[Refusal] = []
    for refusal in found:
        if refusal not in unique:
            unique.append(refusal)
    return unique


@register.inclusion_tag("_page_notices.html", takes_context=True)
def page_notices(context: Context) -> dict[str, Any]:
    """The messages and refusals of the last action, for the top of ``<main>``."""
    shown = [
        {"text": message, "tags": message.tags, "urgent": message.level in URGENT_LEVELS}
        for message in context.get("messages") or ()
    ]
    return {"notices": shown, "refusals": refusals_in(context)}
