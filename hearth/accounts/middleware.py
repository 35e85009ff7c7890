"""Session protections that apply to every page and API call."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.middleware import UserSessionsMiddleware as BaseUserSessionsMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hearth.accounts import sign_in, throttle
from hearth.accounts.mfa import policy_requires_mfa, session_passed_mfa
from hearth.accounts.models import UserKind
from hearth.core.errors import error_response
from hearth.core.middleware import client_ip, is_background_refresh

LAST_ACTIVITY_KEY = "hearth_last_activity"
#: The address and browser this session was last recorded from (a digest).
SESSION_CLIENT_KEY = "hearth_session_client"


def idle_limit_seconds(user: object) -> int:
    minutes = (
        settings.HEARTH_STAFF_IDLE_MINUTES
        if getattr(user, "kind", None) == UserKind.STAFF
        else settings.HEARTH_PORTAL_IDLE_MINUTES
    )
    return int(minutes) * 60


class IdleSessionTimeoutMiddleware:
    """Ends a signed-in session after a period without requests.

    A tablet left on in a patient's home must not stay signed in to the
    whole caseload. Token-authenticated API calls carry no session and are
    not affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            background = is_background_refresh(request)
            if last is not None and now - float(last) > idle_limit_seconds(user):
                logout(request)
                if request.path.startswith("/api/"):
                    return error_response(
                        _("Your session expired. Sign in again."), "expired", status=401
                    )
                messages.info(request, _("You were signed out after a period of inactivity."))
                if background:
                    # The page refreshing its alert count learns it is signed
                    # out and takes the screen to the sign-in page.
                    return HttpResponse(status=401)
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if not background and activity_is_due(last, now):
                # A page refreshing itself is not the person at the screen.
                # Written at most once a minute (HEARTH_SESSION_ACTIVITY_SECONDS):
                # each write is an UPDATE of the session row.
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def activity_is_due(last: object, now: float) -> bool:
    """True when the person's activity should be written again: never written,
    or last written at least ``HEARTH_SESSION_ACTIVITY_SECONDS`` ago. The idle
    sign-out and allauth's "last seen" share this clock, so a page view within
    the minute writes neither."""
    if last is None:
        return True
    try:
        return now - float(last) >= int(settings.HEARTH_SESSION_ACTIVITY_SECONDS)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _client_of(request: HttpRequest) -> str:
    """Where a session is used from, as allauth records it: address and browser."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    return hashlib.sha256(f"{client_ip(request)}|{user_agent}".encode()).hexdigest()[:32]


class UserSessionsMiddleware(BaseUserSessionsMiddleware):
    """allauth's list of a person's sessions ("last seen"), refreshed at most
    once a minute, and at once when the session moves to another address or
    browser (what a person checks in the list); not refreshed by a page's
    background refresh: that request writes nothing."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_background_refresh(request):
            return self.get_response(request)  # type: ignore[no-any-return]
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return super().__call__(request)  # type: ignore[no-any-return]
        client = _client_of(request)
        if not activity_is_due(session.get(LAST_ACTIVITY_KEY), time.time()) and (
            session.get(SESSION_CLIENT_KEY) == client
        ):
            return self.get_response(request)  # type: ignore[no-any-return]
        if session.get(SESSION_CLIENT_KEY) != client:
            session[SESSION_CLIENT_KEY] = client
        return super().__call__(request)  # type: ignore[no-any-return]


#: Reachable by every signed-in session, whatever its MFA state: signing out,
#: allauth's own second-factor pages and what the browser needs to draw them.
MFA_EXEMPT_PREFIXES = (
    "/static/",
    "/i18n/",
    "/health",
    "/accounts/logout/",
    "/accounts/2fa/authenticate/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/reauthenticate/",
)
#: Reachable only while a person still has to set up a second factor.
MFA_SETUP_PREFIXES = ("/accounts/2fa/totp/activate/",)
MFA_SETUP_PATHS = ("/accounts/2fa/",)


def _refuse_api(message: str) -> JsonResponse:
    return error_response(message, "mfa_required", status=403)


def _throttled_api(request: HttpRequest, wait: throttle.Wait) -> JsonResponse:
    """Too many refused tokens from this address: 429 with ``Retry-After``, audited."""
    sign_in.record_throttled(request, "", wait)
    return error_response(wait.message(), "throttled", status=429, retry_after=wait.seconds)


class RequireStaffMfaMiddleware:
    """No signed-in session is accepted until it has passed MFA, when MFA applies.

    MFA applies to a person who set up TOTP, and to staff when the security
    policy requires it. It is checked per session (see ``hearth.accounts.mfa``):
    a password-only session of someone with TOTP is sent to prove the code, and
    staff without TOTP under the policy can only set it up. Bearer tokens carry
    no session; ``TokenAuth`` applies the policy to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path
        if path.startswith("/api/") and request.headers.get("Authorization", "").startswith(
            "Bearer"
        ):
            wait = throttle.wait_for_address(client_ip(request))
            if wait is not None:
                return _throttled_api(request, wait)
        if not user.is_authenticated or path.startswith(MFA_EXEMPT_PREFIXES):
            return self.get_response(request)
        if is_mfa_enabled(user):
            if session_passed_mfa(request, user):
                return self.get_response(request)
            if path.startswith("/api/"):
                return _refuse_api(_("This session has not passed two-factor authentication."))
            messages.warning(request, _("Enter the code from your authenticator app to continue."))
            target = reverse("mfa_reauthenticate")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        if not policy_requires_mfa(user):
            return self.get_response(request)
        if path.startswith(MFA_SETUP_PREFIXES) or path in MFA_SETUP_PATHS:
            return self.get_response(request)
        if path.startswith("/api/"):
            return _refuse_api(_("Two-factor authentication is required for staff."))
        messages.warning(
            request, _("Set up two-factor authentication before you open patient records.")
        )
        return redirect("mfa_activate_totp")


class UserLanguageMiddleware:
    """Speak each person's own language: a signed-in user's preferred language
    wins over the browser's, unless they chose one on this device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "preferred_language", "") if user.is_authenticated else ""
        if (
            language
            and language in dict(settings.LANGUAGES)
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
