"""Headers every answer of the application carries, past the static files.

Staff use shared tablets in patients' homes: a page or an API answer left in
the browser's cache (or a proxy's) can be read by the next person holding the
tablet, with the back button or offline. So nothing the application answers is
stored: ``Cache-Control: no-store``. Static files (CSS, scripts, icons) carry
no patient data and are served by WhiteNoise before this middleware, so they
keep their long caching.

The browser features no page uses (camera, microphone, location...) are
switched off with ``Permissions-Policy``, so injected or embedded content
cannot ask for them either.

A PDF is not a page: the browser shows it in its own viewer, which a page's
Content-Security-Policy (``object-src 'none'`` in particular) can stop from
showing it at all, so PDFs go without that header (they still get no-store).

Nothing here reads the database (not even who is signed in), so these headers
are on the 503 answers of a database outage too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

NO_STORE = "no-store"
CSP_HEADER = "Content-Security-Policy"


def _may_be_signed_in(request: HttpRequest) -> bool:
    return bool(
        request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.headers.get("Authorization")
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(settings.HEARTH_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # An anonymous request for something that chose its own caching (the
        # service worker's "no-cache") keeps it; everything else, and
        # everything for someone who may be signed in, is never stored.
        if _may_be_signed_in(request) or "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        if response.get("Content-Type", "").startswith("application/pdf"):
            response.headers.pop(CSP_HEADER, None)
        if self.permissions_policy:
            response.setdefault("Permissions-Policy", self.permissions_policy)
        return response
