"""Printable documents: WeasyPrint renders the same Django templates as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def render_pdf(
    request: HttpRequest | None, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """A PDF answer. Imported lazily: WeasyPrint loads Pango, which pages
    that never print should not pay for."""
    from django.conf import settings
    from weasyprint import HTML

    context = {
        "service_name": settings.HEARTH_SERVICE_NAME,
        "service_phone": settings.HEARTH_SERVICE_PHONE,
        **context,
    }
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    document = HTML(string=html, base_url=base_url).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "document"}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
