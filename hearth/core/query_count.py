"""The number of SQL queries a request ran, as a response header, for the
scale benchmark (``bench/scale.py``) only.

The benchmark measures the real server (gunicorn, DEBUG off), where Django
keeps no query log; so the count is taken with a database execute wrapper on
every connection for the length of the request. It is off by default, and the
settings refuse it in production (``HEARTH_QUERY_COUNT_HEADER``): a header
that tells the outside world how much work each request costs is a gift to
whoever wants to find the slow ones.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

HEADER = "X-Hearth-Queries"


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountHeaderMiddleware:
    """Outermost, so it counts what every other middleware runs too (the
    session, the sign-in, the audit of refusals)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _Counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        return response
