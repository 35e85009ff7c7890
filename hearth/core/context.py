"""Who is acting, from where: carried with the request so services need no request object.

The audit trail needs the client's IP address and a request id; services are
called from pages, the API, management commands and background tasks alike,
so the web layer puts what it knows here and everything else sees an empty
context.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


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


#: Answers worked out once per request and reused within it (who may open which
#: patient): a record page asks "is this nurse on the care team?" several
#: times (the view, each permission, the templates). ``None`` outside a
#: request that opened a store, so tasks, commands and tests of services
#: always ask the database.
_answers: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar(
    "hearth_request_answers", default=None
)


@contextmanager
def remembering_answers() -> Iterator[dict[Hashable, Any]]:
    """Open a store of answers for the length of one request."""
    store: dict[Hashable, Any] = {}
    token = _answers.set(store)
    try:
        yield store
    finally:
        _answers.reset(token)


def remembered(key: Hashable, work_out: Callable[[], T]) -> T:
    """The answer to ``key`` for this request, worked out at most once; with
    no store open (no request, or one that may change the answer) the work is
    done every time."""
    store = _answers.get()
    if store is None:
        return work_out()
    if key not in store:
        store[key] = work_out()
    return store[key]  # type: ignore[no-any-return]


def forget_answers() -> None:
    """Drop every remembered answer: something they depend on changed."""
    store = _answers.get()
    if store:
        store.clear()
