from __future__ import annotations

import logging
import smtplib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from hearth.accounts import sign_in
from hearth.core.middleware import client_ip

logger = logging.getLogger(__name__)

#: What a mail backend raises when the server cannot be reached or refuses.
MAIL_FAILURES: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


def user_display(user: Any) -> str:
    """How allauth names a person ("Successfully signed in as …"): their name,
    as everywhere else in Hearth, the username only when no name is recorded."""
    return str(getattr(user, "display_name", "") or user.get_username())


def _attempted_username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")


class HearthAccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: coordinators and administrators create accounts,
    because every account is tied to a discipline or to one patient.

    Sign-in attempts go through Hearth's throttle (hearth/accounts/throttle.py)
    instead of allauth's per-username lockout, which anyone could trigger.
    allauth's password re-check (before adding a second factor) calls
    ``authenticate`` too, so it is throttled and counted the same way."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        sign_in.refuse_if_throttled(request, _attempted_username(credentials))

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        sign_in.password_refused(request, _attempted_username(credentials))

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own rate limits see the same address as the audit and the throttle."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client address")
        return address

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Sign-in mail (password reset) that cannot break the page asking for it.

        A mail server that refuses, times out or is not configured must not turn
        "reset my password" into a server error, nor answer differently for an
        address we know (whose mail fails) and one we do not (no mail at all):
        either would tell a stranger which addresses have accounts. The failure
        is logged for the administrator, and the page says what it always says."""
        try:
            super().send_mail(template_prefix, email, context)
        except MAIL_FAILURES:
            logger.exception(
                "Could not send the sign-in e-mail %r (check EMAIL_URL and the mail server)",
                template_prefix,
            )
