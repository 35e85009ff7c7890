"""Checks ``manage.py check --deploy`` runs: a production setting that is
valid but leaves the service quietly half-working."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PRINTING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_is_sent(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Without EMAIL_URL a password reset "succeeds" and the link is only
    printed to the log: the nurse never receives it."""
    if getattr(settings, "PRODUCTION", False) and settings.EMAIL_BACKEND in PRINTING_BACKENDS:
        return [
            Warning(
                "EMAIL_URL is not set: password reset links and e-mail pages are printed "
                "to the log, not sent.",
                hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=True",
                id="hearth.W001",
            )
        ]
    return []
