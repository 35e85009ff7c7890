"""Account changes: API tokens, signing out everywhere, the security policy."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts import throttle
from hearth.accounts.mfa import must_use_mfa, policy_requires_mfa
from hearth.accounts.models import ApiToken, SecurityPolicy, User
from hearth.core import audit, clock, context, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from hearth.core.models import AuditAction

TOKEN_PREFIX = "hth_"  # noqa: S105 - a public prefix, not a secret  # nosec B105


def _require_mfa_verified(actor: User, mfa_verified: bool, what: str) -> None:
    if must_use_mfa(actor) and not mfa_verified:
        raise NotAllowed(
            _(
                "%(what)s needs a browser session that passed two-factor "
                "authentication, not a token or a password alone."
            )
            % {"what": what},
            code="mfa_required",
        )


@transaction.atomic
def issue_api_token(
    *, actor: User, name: str, days: int | None = None, mfa_verified: bool = False
) -> tuple[ApiToken, str]:
    """Returns the token row and its secret. The secret is never stored or shown again.

    ``mfa_verified``: the request comes from a browser session that passed MFA
    (``hearth.accounts.mfa.session_passed_mfa``), never from a token. When MFA
    applies to ``actor`` a token is a long-lived copy of their sign-in, so it
    can only be minted from a session that proved the second factor."""
    if not actor.has_perm("accounts.use_api_tokens"):
        raise NotAllowed(_("Your account cannot use API tokens."))
    _require_mfa_verified(actor, mfa_verified, _("A new API token"))
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
        summary=messages.text(gettext_noop("API token issued: %(name)s"), name=token.name),
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
        summary=messages.text(gettext_noop("API token revoked: %(name)s"), name=token.name),
    )
    return token


def _refuse_token(secret: str, reason: str, user: User | None = None) -> None:
    """Audit a refused token (its public prefix only) and count it against the address."""
    throttle.register_address_failure(context.current().ip_address)
    audit.record(
        actor=user,
        action=AuditAction.SECURITY,
        event_type=AuditEventType.API_TOKEN_REFUSED,
        summary=messages.text(gettext_noop("API token refused: %(reason)s"), reason=reason),
        changes={
            "reason": reason,
            "token_prefix": secret[: len(TOKEN_PREFIX) + 4],
            "username": user.get_username() if user is not None else "",
            "address": context.current().ip_address,
        },
    )


def authenticate_api_token(secret: str) -> User | None:
    """The user behind a bearer token, or None. Records use at most once a minute.

    A token is a second way in that skips the sign-in page, so it obeys the
    same MFA policy: a staff member's token stops working (403 ``mfa_required``)
    while the policy requires a second factor its owner has not set up. Tokens
    are only issued from MFA-verified sessions when MFA applies (``issue_api_token``).
    Unknown, expired and revoked tokens are audited and count against the
    address in the sign-in throttle."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        _refuse_token(secret or "", "unknown")
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        _refuse_token(secret, "unknown, expired or revoked")
        return None
    if policy_requires_mfa(token.user) and not is_mfa_enabled(token.user):
        _refuse_token(secret, "owner has not set up required two-factor authentication", token.user)
        raise NotAllowed(
            _(
                "Two-factor authentication is required for staff: set it up in the "
                "browser before this token can be used."
            ),
            code="mfa_required",
        )
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
        summary=messages.text(
            gettext_noop("Signed out of %(sessions)d sessions; %(tokens)d API tokens revoked"),
            sessions=len(sessions),
            tokens=revoked,
        ),
    )
    return len(sessions)


@transaction.atomic
def set_security_policy(
    *, actor: User, require_staff_mfa: bool, mfa_verified: bool = False
) -> SecurityPolicy:
    """``mfa_verified`` as for ``issue_api_token``: while MFA applies to the
    administrator (the policy is on, or they use TOTP), only a session that
    passed MFA may change it, so a bare token cannot switch the policy off."""
    if not actor.has_perm("accounts.manage_security_policy"):
        raise NotAllowed(_("Only an administrator changes the security policy."))
    _require_mfa_verified(actor, mfa_verified, _("Changing the security policy"))
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
        summary=messages.text(
            gettext_noop("Two-factor authentication for staff: %(state)s"),
            state=_("required") if policy.require_staff_mfa else _("optional"),
        ),
        changes={"require_staff_mfa": {"from": before, "to": policy.require_staff_mfa}},
    )
    return policy
