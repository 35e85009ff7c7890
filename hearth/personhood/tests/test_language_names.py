"""The profile names languages in the reader's language, in its picker and on
the page, and a typed relationship too."""

from __future__ import annotations

from django.utils import translation

from hearth.personhood.forms import section_form
from hearth.personhood.models import Communication, InformationPreferences
from hearth.personhood.queries import _display


def test_the_language_pickers_list_names_in_the_readers_language() -> None:
    form_class = section_form("communication")
    with translation.override("ru"):
        form = form_class()
        preferred = dict(form.fields["preferred_language"].choices)
        others = dict(form.fields["other_languages"].choices)
    assert preferred["ru"] == "Русский" and preferred["cy"] == "Уэльский"
    assert "" in preferred  # "not recorded" stays possible
    assert others["ar"] == "Арабский"


def test_the_profile_shows_languages_and_relationships_in_the_readers_language() -> None:
    row = Communication(preferred_language="en", other_languages=["ar"])
    info = InformationPreferences(decision_maker_relationship="daughter")
    with translation.override("ru"):
        assert _display(row, Communication._meta.get_field("preferred_language")) == "Английский"
        assert _display(row, Communication._meta.get_field("other_languages")) == "Арабский"
        field = InformationPreferences._meta.get_field("decision_maker_relationship")
        assert _display(info, field) == "дочь"
