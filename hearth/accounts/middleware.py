"""Session protections that apply to every page and API call."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hearth.accounts.models import SecurityPolicy, UserKind

LAST_ACTIVITY_KEY = "hearth_last_activity"


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
            if last is not None and now - float(last) > idle_limit_seconds(user):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Your session expired. Sign in again."), "code": "expired"},
                        status=401,
                    )
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health")


class RequireStaffMfaMiddleware:
    """When the security policy requires it, staff without TOTP can only set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.kind == UserKind.STAFF
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and SecurityPolicy.current().require_staff_mfa
            and not is_mfa_enabled(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _("Two-factor authentication is required for staff."),
                        "code": "mfa_required",
                    },
                    status=403,
                )
            messages.warning(
                request, _("Set up two-factor authentication before you open patient records.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


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
