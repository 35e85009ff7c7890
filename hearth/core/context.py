"""Who is acting, from where: carried with the request so services need no request object.

The audit trail needs the client's IP address and a request id; services are
called from pages, the API, management commands and background tasks alike,
so the web layer puts what it knows here and everything else sees an empty
context.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = ""
    channel: str = "system"  # "web", "api", "system"


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "hearth_request_context",
    default=RequestContext(),  # noqa: B039 - frozen dataclass
)


def current() -> RequestContext:
    return _current.get()


@contextmanager
def using(context: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
