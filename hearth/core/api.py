"""What every router shares: the error shape and the exception mapping.

Every failure answers ``{"detail": ..., "code": ...}`` (plus ``errors`` keyed by
field for validation) with a 4xx status: never a 500 for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hearth.core import refusals
from hearth.core.errors import DomainError, NotFound
from hearth.core.outage import DATABASE_OUTAGE_ERRORS, api_database_unavailable

if TYPE_CHECKING:  # core sits below accounts: the user model is only a type here
    from hearth.accounts.models import User


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


#: Responses every write endpoint may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def actor_of(request: HttpRequest) -> User:
    """The signed-in user an API call acts for. The API's authentication
    (session or bearer token) puts it on ``request.auth`` before any handler
    runs, so a handler never sees an anonymous caller."""
    return cast("User", request.auth)  # type: ignore[attr-defined]


def get_by_external_id(
    model_or_queryset: type[Model] | QuerySet[Any], object_id: UUID | str, **related: Any
) -> Any:
    """The one record with this external identifier, or the API's 404
    (``{"detail": "Not found.", "code": "not_found"}``): a malformed
    identifier is "not found" too, never a 500. ``select=(...)`` names the
    relations to load with it. Pass a queryset to look only among its rows."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        return queryset.select_related(*related.get("select", ())).get(external_id=object_id)
    except (ObjectDoesNotExist, DjangoValidationError) as error:
        raise NotFound(_("Not found.")) from error


def _field_path(location: list[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


def install_error_handlers(
    api: NinjaAPI, *, told_not_found: Callable[[Any], bool] | None = None
) -> None:
    """Map every exception a handler may raise to the error shape.

    ``told_not_found(user)`` picks the sign-ins (a family, the patient) who are
    answered "not found" where staff would hear that their role does not allow
    it: they are never told that a staff-only thing, or another patient's
    record, exists (docs/architecture.md, "Errors"). Each refusal's code, and
    whether it was hidden behind a 404, is noted for its audit event
    (hearth.core.refusals)."""

    def refused_by_role(exc: Any) -> bool:
        return isinstance(exc, PermissionDenied) or (
            isinstance(exc, DomainError) and exc.status == 403 and exc.code == "forbidden"
        )

    def conceals(request: HttpRequest, exc: Any) -> bool:
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        return (
            told_not_found is not None
            and refused_by_role(exc)
            and bool(getattr(user, "is_authenticated", False))
            and told_not_found(user)
        )

    def domain_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status in (403, 404):
            refusals.note(request, exc.code, concealed=conceals(request, exc))
        if conceals(request, exc):
            return not_found(request, exc)
        return api.create_response(request, exc.as_dict(), status=exc.status)

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_path(list(error.get("loc", []))), []).append(
                str(error.get("msg", _("Invalid value.")))
            )
        body = {
            "detail": _("Some details need correcting."),
            "code": "validation_error",
            "errors": errors,
        }
        return api.create_response(request, body, status=422)

    def not_authenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {"detail": _("Sign in, or send a valid API token."), "code": "not_authenticated"}
        return api.create_response(request, body, status=401)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {"detail": _("Not found."), "code": "not_found"}
        return api.create_response(request, body, status=404)

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        refusals.note(request, "forbidden", concealed=conceals(request, exc))
        if conceals(request, exc):
            return not_found(request, exc)
        body = {"detail": _("Your role does not allow this."), "code": "forbidden"}
        return api.create_response(request, body, status=403)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {"detail": str(exc.message), "code": "error"}
        return api.create_response(request, body, status=exc.status_code)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    for database_error in DATABASE_OUTAGE_ERRORS:
        api.add_exception_handler(database_error, api_database_unavailable)
