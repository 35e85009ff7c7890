"""One way every form in Hearth marks its required fields.

``FORM_RENDERER`` points here, so every ``field.label_tag`` (and
``legend_tag``, ``as_div``, ``as_field_group``) of every form carries the same
visible marker for a required field, without each template or form repeating
it. Screen readers hear "required" from the input's own ``required``
attribute; the asterisk is for the eye and the ``{% required_legend form %}``
line above a form says what it means.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

#: The CSS class Django puts on a required field's label and wrapper.
REQUIRED_CLASS = "required"


def asks_for_an_answer(field: BoundField) -> bool:
    """A visible field the person must fill in before the form is accepted."""
    return bool(field.field.required) and not field.is_hidden


class MarkedBoundField(BoundField):
    """A bound field whose label says, visibly, when the field is required."""

    def label_tag(
        self,
        contents: str | None = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> SafeString:
        if not asks_for_an_answer(self):
            return super().label_tag(contents, attrs, label_suffix, tag)
        text = contents or self.label
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        # Django's own rule: no suffix after a label that ends in punctuation.
        suffix = label_suffix if label_suffix and text and text[-1] not in _(":?.!") else ""
        marked = format_html(
            '{}<span class="required-mark" aria-hidden="true">*</span>{}',
            conditional_escape(text),
            suffix,
        )
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(c for c in (attrs.get("class", ""), REQUIRED_CLASS) if c)
        return super().label_tag(marked, attrs, label_suffix="", tag=tag)

    def css_classes(self, extra_classes: Any = None) -> str:
        classes = super().css_classes(extra_classes)
        if asks_for_an_answer(self) and REQUIRED_CLASS not in classes.split():
            classes = f"{classes} {REQUIRED_CLASS}".strip()
        return classes


class HearthFormRenderer(TemplatesSetting):
    """Django's template renderer (so ``hearth/templates/django/forms`` can
    override a form template) with the marked bound field for every form."""

    bound_field_class = MarkedBoundField


class FieldGroup:
    """One fieldset of a long form: a key (for the template), its legend and
    its bound fields."""

    def __init__(self, key: str, legend: str, fields: list[BoundField]) -> None:
        self.key = key
        self.legend = legend
        self.fields = fields

    def __iter__(self) -> Any:
        return iter(self.fields)


class GroupedForm:
    """A long form in named fieldsets (``fieldsets = ((key, legend, names), …)``),
    so a 26-field referral reads as five short questions. Fields not named
    in any group follow in a last group without a legend."""

    fieldsets: tuple[tuple[str, Any, tuple[str, ...]], ...] = ()

    def field_groups(self) -> list[FieldGroup]:
        form: Any = self
        named: set[str] = set()
        groups = []
        for key, legend, names in self.fieldsets:
            fields = [form[name] for name in names if name in form.fields]
            named.update(names)
            if fields:
                groups.append(FieldGroup(key, str(legend), fields))
        rest = [
            form[name] for name in form.fields if name not in named and not form[name].is_hidden
        ]
        if rest:
            groups.append(FieldGroup("other", "", rest))
        return groups


class Radios(forms.RadioSelect):
    """Radio buttons without the blank "---------" choice a model field that
    may be left empty brings with it: a question not answered yet is a group
    with nothing ticked, never a ticked placeholder."""

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        groups = super().optgroups(name, value, attrs)
        kept = []
        for group_name, options, index in groups:
            options = [option for option in options if option["value"] not in ("", None)]
            if options:
                kept.append((group_name, options, index))
        return kept
