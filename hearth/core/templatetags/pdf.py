"""Printed documents in two languages side by side (``core/pdf.py``)."""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.html import format_html_join

register = template.Library()


class BilingualNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        languages = context.get("pdf_languages") or [translation.get_language()]
        rendered: list[tuple[str, str]] = []
        for language in languages:
            with translation.override(language):
                text = self.nodelist.render(context)
            # A text with no translation yet, or the same in both, prints once.
            if text.strip() and text.strip() not in (seen.strip() for _, seen in rendered):
                rendered.append((language, text))
        if len(rendered) < 2:
            return rendered[0][1] if rendered else ""
        return format_html_join(" / ", '<span class="in-language" lang="{}">{}</span>', rendered)


@register.tag
def bilingual(parser: Parser, token: Token) -> BilingualNode:
    """``{% bilingual %}{% translate "CPR" %}{% endbilingual %}`` prints "СЛР /
    CPR" on a document printed for a Russian-speaking family by an
    English-speaking service: the content is rendered once in each language of
    ``pdf_languages`` (translations, choice labels, dates). Free text a
    clinician typed is the same in both and prints once, as typed."""
    nodelist = parser.parse(("endbilingual",))
    parser.delete_first_token()
    return BilingualNode(nodelist)
