"""Printable documents: WeasyPrint renders the same Django templates as the pages.

Every printed document extends ``pdf_base.html`` and is styled by one
stylesheet, ``pdf.css`` beside this module (no inline styles), where each fact
is a table row (label cell | value cell) that never splits across pages, so a
label cannot drift next to another fact's value whatever the length or the
language (hazard M27). A document left in the home for strangers to read (the
advance care plan, the medicines chart) prints in the family's language and the
service's language side by side when they differ (hazard M28): the
``{% bilingual %}`` tag (``core/templatetags/pdf.py``) renders its content
once per language of ``pdf_languages``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

#: The one stylesheet of every printed document.
STYLESHEET = Path(__file__).with_name("pdf.css")


def family_language(preferred: str | None, request: HttpRequest | None) -> str:
    """The language a family reads on paper: the patient's preferred language
    (recorded at referral, the household's portal language) when the service
    ships it, else the language of whoever prints."""
    try:
        return translation.get_supported_language_variant(preferred or "")
    except LookupError:
        return getattr(request, "LANGUAGE_CODE", None) or translation.get_language()


def service_language() -> str:
    """The language the team and an ambulance crew read (``LANGUAGE_CODE``)."""
    try:
        return translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def document_languages(family: str) -> list[str]:
    """The family's language first (the document's own language), then the
    service's when it is a different one: a Russian-speaking family and an
    English-speaking crew both read the same sheet."""
    service = service_language()
    return [family] if family == service else [family, service]


def render_pdf(
    request: HttpRequest | None,
    template: str,
    context: dict[str, Any],
    filename: str,
    *,
    languages: Sequence[str] | None = None,
) -> HttpResponse:
    """A PDF answer, in ``languages`` side by side (default: the active
    language alone); the first one is the document's language. Imported
    lazily: WeasyPrint loads Pango, which pages that never print should not
    pay for."""
    from weasyprint import CSS, HTML

    languages = list(languages or [translation.get_language()])
    with translation.override(languages[0]):
        context = {
            "service_name": settings.HEARTH_SERVICE_NAME,
            "service_phone": settings.HEARTH_SERVICE_PHONE,
            **context,
            "pdf_languages": languages,
            "LANGUAGE_CODE": languages[0],
        }
        html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    document = HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "document"}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
