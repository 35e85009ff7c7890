"""What happens around each sign-in attempt: throttling and the audit of refusals.

Called from allauth's hooks (the account adapter, the MFA code forms, the
signals) and from bearer-token authentication, so every way in is counted and
recorded the same way. The audit names the username tried and the client
address (``hearth.core.middleware.client_ip``, via the request context); it
never holds a password, a code or a token secret.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_noop

from hearth.accounts import throttle
from hearth.core import audit, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.middleware import client_ip
from hearth.core.models import AuditAction


def _username(value: Any) -> str:
    return str(value or "").strip()[:150]


def record_throttled(request: HttpRequest | None, username: str, wait: throttle.Wait) -> None:
    audit.record(
        actor=None,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ACCOUNT_SIGN_IN_THROTTLED,
        summary=messages.text(
            gettext_noop("Sign-in refused for %(username)r: too many failed attempts"),
            username=_username(username),
        ),
        changes={
            "username": _username(username),
            "address": client_ip(request) if request is not None else None,
            "retry_after_seconds": wait.seconds,
        },
    )


def refuse_if_throttled(request: HttpRequest, username: str) -> None:
    """Raise the form error (with when to try again) while this account or address waits."""
    wait = throttle.wait_for_account(_username(username), client_ip(request))
    if wait is None:
        return
    record_throttled(request, username, wait)
    raise forms.ValidationError(wait.message(), code="too_many_login_attempts")


def password_refused(request: HttpRequest | None, username: str) -> None:
    """Counted here; audited by the ``user_login_failed`` receiver (hearth.accounts.signals)."""
    address = client_ip(request) if request is not None else None
    throttle.register_account_failure(_username(username), address)


def mfa_code_refused(request: HttpRequest, user: Any) -> None:
    username = _username(user.get_username())
    throttle.register_account_failure(username, client_ip(request))
    audit.record(
        actor=user,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ACCOUNT_MFA_CODE_REFUSED,
        summary=messages.text(
            gettext_noop("Wrong two-factor code for %(username)r"), username=username
        ),
        changes={"username": username, "address": client_ip(request)},
    )


def signed_in(request: HttpRequest | None, user: Any) -> None:
    """A complete sign-in: this account's failures from this address are forgotten."""
    if request is not None:
        throttle.forget_account(_username(user.get_username()), client_ip(request))
