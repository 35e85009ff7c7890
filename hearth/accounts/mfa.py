"""Whether a person must use two-factor authentication, and whether this session did.

Having TOTP set up is not the same as having used it: a session signed in by
password alone (the Django admin's own form, an old session, a test's
``force_login``) belongs to a user with TOTP but never proved the second
factor. allauth writes every authentication step of a session into the
session itself (``get_authentication_records``); a session passed MFA only if
one of those records is an "mfa" step, for this very user.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest

from hearth.accounts.models import SecurityPolicy, UserKind

#: Set on the request by ``TokenAuth``: a bearer token is never an MFA-verified session.
TOKEN_AUTHENTICATED_ATTRIBUTE = "hearth_token_authenticated"  # noqa: S105 - an attribute name  # nosec B105


def is_staff_account(user: Any) -> bool:
    """Staff for the MFA policy: clinical staff, and anyone who can open the admin."""
    return bool(
        getattr(user, "kind", None) == UserKind.STAFF
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def policy_requires_mfa(user: Any) -> bool:
    """The security policy makes this person use a second factor."""
    return is_staff_account(user) and SecurityPolicy.current().require_staff_mfa


def must_use_mfa(user: Any) -> bool:
    """This person has to prove a second factor: the policy says so, or they set one up
    (someone who chose TOTP is protected by it whatever the policy)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return policy_requires_mfa(user) or is_mfa_enabled(user)


def session_passed_mfa(request: HttpRequest, user: Any = None) -> bool:
    """True only for a browser session in which allauth recorded an MFA step for ``user``."""
    if getattr(request, TOKEN_AUTHENTICATED_ATTRIBUTE, False):
        return False
    user = user if user is not None else getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        isinstance(record, dict) and record.get("method") == "mfa"
        for record in get_authentication_records(request, user)
    )
