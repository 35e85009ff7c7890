from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from contextlib import ExitStack

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from hearth.core import context

#: A client-sent request id is kept only if it is this plain: it ends up in the
#: audit trail, in logs and on pages, so markup or control characters never do.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one function the audit trail and the sign-in
    throttle both use, so they always agree on who was where.

    With ``HEARTH_TRUSTED_PROXY_COUNT`` = 0 (the default) nothing the client
    sends is believed and REMOTE_ADDR is the answer. Behind N proxies that each
    append to ``X-Forwarded-For``, the client is the N-th address from the right:
    anything further left could have been typed by the client itself.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = int(getattr(settings, "HEARTH_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    chosen = hops[-trusted] if len(hops) >= trusted else hops[0]
    return _valid_address(chosen) or remote


#: Sent by ``hearth.js`` on the requests a page makes by itself (the menu's
#: alert count every minute), as opposed to the person's own clicks.
BACKGROUND_REFRESH_HEADER = "X-Hearth-Background"


def is_background_refresh(request: HttpRequest) -> bool:
    """A request the page made on its own, not the person: it must not count as
    activity (the idle sign-out would never come on a tablet left open) and
    must not write the session. A client can only send it to be signed out
    sooner, so believing it is safe."""
    return request.headers.get(BACKGROUND_REFRESH_HEADER) == "refresh"


def request_id_of(request: HttpRequest) -> str:
    """The client's ``X-Request-ID`` when it is safe to store, otherwise a new one."""
    sent = request.headers.get("X-Request-ID", "")
    return sent if SAFE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


#: Requests that change nothing, whose access answers may be kept for the
#: request (``hearth.core.context.remembered``).
ANSWERS_KEPT_FOR = frozenset({"GET", "HEAD"})


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        request_id = request_id_of(request)
        with ExitStack() as stack:
            stack.enter_context(
                context.using(
                    context.RequestContext(
                        ip_address=client_ip(request), request_id=request_id, channel=channel
                    )
                )
            )
            if request.method in ANSWERS_KEPT_FOR:
                # Access answers are remembered only where nothing may change
                # them: a GET changes no care team (hearth.patients.access).
                stack.enter_context(context.remembering_answers())
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


#: Responses already compressed by their format: gzip would spend the CPU of a
#: 2-core server for a few bytes (PDFs are streamed from WeasyPrint; images
#: and archives are compressed already).
ALREADY_COMPRESSED = ("application/pdf", "application/zip", "image/", "audio/", "video/")


class CompressionMiddleware(GZipMiddleware):
    """Gzip the pages and the JSON API (a worklist page shrinks 5-10 times on
    a weak mobile connection), but not what is compressed already.

    BREACH (compression revealing a secret by the size of pages an attacker
    makes the browser fetch) needs a secret repeated in every response: Django
    masks the CSRF token with a new random mask in every response since 1.10,
    and session ids travel only in cookies, which are not compressed. Brotli
    would need a middleware we would write ourselves; gzip is Django's own.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith(ALREADY_COMPRESSED):
            return response
        return super().process_response(request, response)  # type: ignore[no-any-return]
