"""Model fields shared by several apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of values from a fixed set (diet practices, weekdays, languages).

    Stored as a JSON list so it reads the same on SQLite and PostgreSQL; the
    form shows checkboxes and validation refuses anything outside the set.
    """

    def __init__(self, *args: Any, item_choices: Iterable[tuple[Any, Any]] = (), **kwargs: Any):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        # Choices live in code; changing a label must not create a migration.
        return name, path, args, kwargs

    def allowed_values(self) -> set[Any]:
        return {value for value, _label in self.item_choices}

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if value in (None, ""):
            return
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."), code="invalid")
        unknown = [item for item in value if item not in self.allowed_values()]
        if unknown:
            raise ValidationError(
                _("Not a known choice: %(values)s."),
                code="invalid_choice",
                params={"values": ", ".join(str(item) for item in unknown)},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A choice is listed twice."), code="duplicate")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        coerce = int if all(isinstance(v, int) for v, _label in self.item_choices) else str
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            coerce=coerce,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
