"""Sign-in events go into the audit trail too: a locked-out account or a
stream of failures is something an administrator needs to see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hearth.core import audit
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
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
    username = str((credentials or {}).get("username", ""))[:150]
    audit.record(
        actor=None,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ACCOUNT_SIGN_IN_FAILED,
        summary=f"Failed sign-in for {username!r}",
    )
