"""Vocabularies shared by several apps."""

from __future__ import annotations

from django.conf import global_settings

#: Languages a person may speak: Django's own list (translated by Django),
#: without regional variants, so a patient's "ru" matches a nurse's "ru".
SPOKEN_LANGUAGES: list[tuple[str, str]] = sorted(
    {(code, name) for code, name in global_settings.LANGUAGES if "-" not in code},
    key=lambda item: item[0],
)


def languages_by_name() -> list[tuple[str, str]]:
    """Spoken languages named in the reader's language and sorted in the
    reader's alphabetical order (a picker shows "Arabic", stores "ar")."""
    from django.utils.translation import gettext

    named = ((code, gettext(name)) for code, name in SPOKEN_LANGUAGES)
    return sorted(named, key=lambda choice: choice[1].casefold())


def language_name(code: str) -> str:
    """A stored language code as the reader says it ("ru" → "Russian"); an
    unknown code is shown as stored rather than hidden."""
    from django.utils.translation import gettext

    names = dict(SPOKEN_LANGUAGES)
    return gettext(names[code]) if code in names else code
