"""Sign-in events go into the audit trail too: a throttled account or a
stream of failures is something an administrator needs to see."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hearth.accounts import sign_in
from hearth.core import audit
from hearth.core.audit_events import AuditEventType
from hearth.core.middleware import client_ip
from hearth.core.models import AuditAction


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sign_in.signed_in(request, user)
    audit.record(
        actor=user, action=AuditAction.SECURITY, event_type=AuditEventType.ACCOUNT_SIGNED_IN
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            actor=user, action=AuditAction.SECURITY, event_type=AuditEventType.ACCOUNT_SIGNED_OUT
        )


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    """Django cleans the password out of ``credentials`` before sending this; only
    the username is kept, with the address it came from."""
    username = str((credentials or {}).get("username", ""))[:150]
    audit.record(
        actor=None,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ACCOUNT_SIGN_IN_FAILED,
        summary=f"Failed sign-in for {username!r}",
        changes={
            "username": username,
            "address": client_ip(request) if request is not None else None,
        },
    )


@receiver(authenticator_added)
def _totp_set_up_in_this_session(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    """Setting up TOTP means typing a code it produced: allauth records that as an
    MFA step of this session, so the person is not asked for a second code at once."""
    if (
        request is not None
        and getattr(authenticator, "type", None) == Authenticator.Type.TOTP
        and getattr(request, "user", None) == user
    ):
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
        )
