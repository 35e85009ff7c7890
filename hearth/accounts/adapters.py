from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from hearth.accounts import sign_in
from hearth.core.middleware import client_ip


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
