"""When the database cannot be reached: a 503 that says "try again", never a 500.

A database outage is not a bug in the request, so it must not look like one:
the phone retries an API call after ``Retry-After`` seconds and a nurse sees a
plain page telling her to try again or to phone the service. The error may come
from anywhere (a middleware loading the session or the user before any view
runs, a view, saving the session afterwards), and Django turns an exception
into a response at the layer it was raised in, so the answer is given by the
project's 500 handler, which still sees the exception, and by the API's own
exception handler. Neither answer touches the database: the page is rendered
without a request (no context processor, no session).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from hearth.core.errors import error_response

logger = logging.getLogger(__name__)

#: What an unreachable, stalled (statement or connect timeout) or locked
#: database raises. An IntegrityError is a different thing (a bug or a race),
#: and stays an error.
DATABASE_OUTAGE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)

API_PREFIX = "/api/"


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_OUTAGE_ERRORS)


def _retry_after() -> str:
    return str(settings.HEARTH_OUTAGE_RETRY_AFTER_SECONDS)


def database_unavailable_json() -> JsonResponse:
    return error_response(
        _("The service cannot reach its database just now. Try again shortly."),
        "database_unavailable",
        status=503,
        retry_after=settings.HEARTH_OUTAGE_RETRY_AFTER_SECONDS,
    )


def database_unavailable_page() -> HttpResponse:
    page = render_to_string(
        "503.html",
        {
            "service_name": settings.HEARTH_SERVICE_NAME,
            "service_phone": settings.HEARTH_SERVICE_PHONE,
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = _retry_after()
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return database_unavailable_json()
    return database_unavailable_page()


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The project's ``handler500``: Django calls it while handling the
    exception, so ``sys.exc_info()`` still names it."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        logger.warning("Database unavailable answering %s: %s", request.path, error)
        return database_unavailable(request)
    return defaults.server_error(request, template_name=template_name)


def api_database_unavailable(request: HttpRequest, error: Any) -> HttpResponse:
    """The API's handler for the same errors (django-ninja catches them
    before Django's 500 handler could)."""
    logger.warning("Database unavailable answering %s: %s", request.path, error)
    return database_unavailable_json()


def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: one ``SELECT 1``, bounded by the connect and
    statement timeouts, so an outage takes the instance out of rotation."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_OUTAGE_ERRORS as error:
        logger.warning("Health check: database unavailable: %s", error)
        response = JsonResponse({"status": "database_unavailable"}, status=503)
        response["Retry-After"] = _retry_after()
        return response
    return JsonResponse({"status": "ok"})
