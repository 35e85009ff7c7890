from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hearth.core import context


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the web server saw it.

    ``X-Forwarded-For`` is not trusted here: a deployment behind a proxy sets
    REMOTE_ADDR correctly at the proxy layer (see docs/deployment.md).
    """
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        with context.using(
            context.RequestContext(
                ip_address=client_ip(request), request_id=request_id, channel=channel
            )
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
