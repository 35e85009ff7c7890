"""Which languages a printed document is in, and how ``{% bilingual %}``
prints a text in each (hazard M28)."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.utils.translation import gettext

from hearth.core.pdf import document_languages, family_language


def _render(source: str, languages: list[str], **context: object) -> str:
    template = Template("{% load i18n pdf %}" + source)
    return template.render(Context({"pdf_languages": languages, **context}))


def _ru(msgid: str) -> str:
    with translation.override("ru"):
        return gettext(msgid)


def test_it_prints_a_label_in_each_language_family_first() -> None:
    html = _render('{% bilingual %}{% translate "CPR" %}{% endbilingual %}', ["ru", "en"])
    if _ru("CPR") == "CPR":
        assert html == "CPR"  # not translated yet: once
    else:
        assert html == (
            f'<span class="in-language" lang="ru">{_ru("CPR")}</span> / '
            '<span class="in-language" lang="en">CPR</span>'
        )


def test_free_text_and_identical_translations_print_once() -> None:
    typed = "Sam Family, son <+44 7700 900123>"
    html = _render("{% bilingual %}{{ typed }}{% endbilingual %}", ["ru", "en"], typed=typed)
    assert html == "Sam Family, son &lt;+44 7700 900123&gt;"  # escaped, once
    assert _render("{% bilingual %}{% endbilingual %}", ["ru", "en"]) == ""


def test_one_language_prints_plainly() -> None:
    html = _render('{% bilingual %}{% translate "CPR" %}{% endbilingual %}', ["en"])
    assert html == "CPR"


@pytest.mark.parametrize(
    ("service", "family", "expected"),
    [
        ("en", "ru", ["ru", "en"]),
        ("en", "en", ["en"]),
        ("ru", "ru", ["ru"]),
        ("ru", "en", ["en", "ru"]),
    ],
)
def test_document_languages(service: str, family: str, expected: list[str]) -> None:
    with override_settings(LANGUAGE_CODE=service):
        assert document_languages(family) == expected


def test_the_family_language_falls_back_to_the_reader_when_not_shipped() -> None:
    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "ru"  # type: ignore[attr-defined]
    assert family_language("ru-RU", request) == "ru"
    assert family_language("ar", request) == "ru"
    assert family_language("", request) == "ru"
    assert family_language("en", request) == "en"


PRINTED = (
    "medications/home_chart_pdf.html",
    "careplans/advance_care_plan_pdf.html",
    "careplans/care_plan_pdf.html",
    "personhood/about_me_pdf.html",
)


@pytest.mark.parametrize("name", PRINTED)
def test_every_printout_has_the_place_for_allergies(
    name: str, settings: Any, tmp_path: Any
) -> None:
    """Allergies go on every printout (issue 19): each document includes
    "allergies/_print.html" when the context has an ``allergy_summary``, and
    prints without it (and without that template) until then."""
    context = {"pdf_languages": ["en"], "patient": {"full_name": "A B", "given_name": "A"}}
    assert "ALLERGIES" not in render_to_string(name, context)
    (tmp_path / "allergies").mkdir()
    (tmp_path / "allergies" / "_print.html").write_text("ALLERGIES: {{ allergy_summary }}")
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    settings.TEMPLATES = [engine]
    html = render_to_string(name, {**context, "allergy_summary": "penicillin"})
    assert "ALLERGIES: penicillin" in html
