"""Signing in the real way, second factor included, for tests that need a session
that passed MFA (``force_login`` gives a password-less session that never did)."""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client

from hearth.accounts.mfa import session_passed_mfa


def totp_secret_for(user: Any) -> str:
    """The user's TOTP secret, setting TOTP up (through allauth's model) if needed."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return str(decrypt(existing.data["secret"]))
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now, from allauth's own TOTP functions."""
    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // mfa_settings.TOTP_PERIOD))


def sign_in_with_mfa(client: Client, user: Any, password: str) -> Client:
    """Password then TOTP code through allauth's pages; asserts the session passed MFA."""
    secret = totp_secret_for(user)
    first = client.post("/accounts/login/", {"login": user.get_username(), "password": password})
    assert first.status_code == 302, first.content[:500]
    assert first["Location"].startswith("/accounts/2fa/authenticate/"), first["Location"]
    second = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert second.status_code == 302, second.content[:500]
    request = type("SessionHolder", (), {})()
    request.session = client.session  # type: ignore[attr-defined]
    assert session_passed_mfa(request, user)  # type: ignore[arg-type]
    return client
