from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from hearth.accounts.mfa import TOKEN_AUTHENTICATED_ATTRIBUTE
from hearth.accounts.services import authenticate_api_token


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session (CSRF checked on writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hth_…`` for phones and integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        setattr(request, TOKEN_AUTHENTICATED_ATTRIBUTE, True)
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        else:
            setattr(request, TOKEN_AUTHENTICATED_ATTRIBUTE, False)
        return user


API_AUTH = [TokenAuth(), SessionAuth()]
