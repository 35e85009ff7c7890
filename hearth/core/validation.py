"""Turning Django's ValidationError into our field-keyed domain error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from hearth.core.errors import NotAllowed, ValidationFailed


def field_errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): [
                str(message) for item in items for message in item.messages
            ]
            for field, items in error.error_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def clean_or_raise(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run the model's own validation; raise ``ValidationFailed`` naming each field."""
    try:
        instance.full_clean(exclude=list(exclude or []), validate_unique=True)
    except ValidationError as error:
        raise ValidationFailed(
            _("Some details need correcting."), field_errors=field_errors_of(error)
        ) from error


def require(condition: bool, field: str, message: str) -> None:
    """Collect-free single rule check used by services for cross-field rules."""
    if not condition:
        raise ValidationFailed(message, field_errors={field: [message]})


class Errors:
    """Collects several rule failures so the user sees them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_field:
            first = next(iter(self.by_field.values()))[0]
            raise ValidationFailed(first, field_errors=self.by_field)


def require_perm(actor: Any, perm: str, obj: Any = None, message: str | None = None) -> None:
    """Every service starts here: the rules decide, the refusal says why."""
    if not actor.has_perm(perm, obj):
        raise NotAllowed(message or _("Your role does not allow this."))


def unknown_keys(data: Mapping[str, Any], allowed: Sequence[str], errors: Errors) -> None:
    """Name every field the caller sent that does not exist, instead of ignoring it."""
    for key in data:
        if key not in allowed:
            errors.add(key, _("Unknown field."))


def validated_form(form: Any) -> dict[str, Any]:
    """Validate through the same Django form the page shows, so a page and the
    API refuse the same input in the same words."""
    if not form.is_valid():
        raise ValidationFailed(
            _("Some details need correcting."),
            field_errors={
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            },
        )
    return dict(form.cleaned_data)
