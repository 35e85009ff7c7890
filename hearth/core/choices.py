"""Vocabularies shared by several apps."""

from __future__ import annotations

from django.conf import global_settings

#: Languages a person may speak: Django's own list (translated by Django),
#: without regional variants, so a patient's "ru" matches a nurse's "ru".
SPOKEN_LANGUAGES: list[tuple[str, str]] = sorted(
    {(code, name) for code, name in global_settings.LANGUAGES if "-" not in code},
    key=lambda item: item[0],
)
