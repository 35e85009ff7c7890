"""Account changes: API tokens, signing out everywhere, the security policy."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from hearth.accounts.models import ApiToken, SecurityPolicy, User
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from hearth.core.models import AuditAction

TOKEN_PREFIX = "hth_"  # noqa: S105 - a public prefix, not a secret  # nosec B105


@transaction.atomic
def issue_api_token(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and its secret. The secret is never stored or shown again."""
    if not actor.has_perm("accounts.use_api_tokens"):
        raise NotAllowed(_("Your account cannot use API tokens."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            _("Name the token after the device or integration that will use it."),
            field_errors={"name": [_("Required.")]},
        )
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_LIFETIME.days:
        raise ValidationFailed(
            _("A token lasts between 1 and %(max)d days.")
            % {"max": settings.API_TOKEN_MAX_LIFETIME.days},
            field_errors={"days": [_("Out of range.")]},
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=secret[:12],
        digest=ApiToken.digest_of(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.API_TOKEN_ISSUED,
        obj=token,
        summary=_("API token issued: %(name)s") % {"name": token.name},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token_id: UUID | str) -> ApiToken:
    try:
        token = ApiToken.objects.select_for_update().get(external_id=token_id, user=actor)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("No such token.")) from error
    except Exception as error:  # invalid UUID text raises ValidationError
        raise NotFound(_("No such token.")) from error
    if token.revoked_at is not None:
        raise Conflict(_("This token was already revoked."))
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.API_TOKEN_REVOKED,
        obj=token,
        summary=_("API token revoked: %(name)s") % {"name": token.name},
    )
    return token


def authenticate_api_token(secret: str) -> User | None:
    """The user behind a bearer token, or None. Records use at most once a minute."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def sign_out_everywhere(*, actor: User) -> int:
    """End every session of ``actor`` on every device and revoke their API tokens:
    what a nurse does when a phone with Hearth on it is lost."""
    sessions = UserSession.objects.purge_and_list(actor)
    get_usersessions_adapter().end_sessions(sessions)
    revoked = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.ACCOUNT_SIGNED_OUT_EVERYWHERE,
        summary=_("Signed out of %(sessions)d sessions; %(tokens)d API tokens revoked")
        % {"sessions": len(sessions), "tokens": revoked},
    )
    return len(sessions)


@transaction.atomic
def set_security_policy(*, actor: User, require_staff_mfa: bool) -> SecurityPolicy:
    if not actor.has_perm("accounts.manage_security_policy"):
        raise NotAllowed(_("Only an administrator changes the security policy."))
    policy = SecurityPolicy.current()
    before = policy.require_staff_mfa
    policy.require_staff_mfa = bool(require_staff_mfa)
    policy.updated_by = actor
    policy.save()
    audit.record(
        actor=actor,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.SECURITY_POLICY_CHANGED,
        obj=policy,
        summary=_("Two-factor authentication for staff: %(state)s")
        % {"state": _("required") if policy.require_staff_mfa else _("optional")},
        changes={"require_staff_mfa": {"from": before, "to": policy.require_staff_mfa}},
    )
    return policy
