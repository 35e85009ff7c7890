"""Domain errors: what went wrong, in words a nurse understands.

Services raise these; pages turn them into form errors and the API turns them
into ``{"detail": ..., "code": ...}`` with a 4xx status. Nothing here is ever a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.http import JsonResponse


class DomainError(Exception):
    """Base class. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        if code is not None:
            self.code = code
        self.field_errors: dict[str, list[str]] = {
            field: [str(text) for text in texts] for field, texts in (field_errors or {}).items()
        }

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"detail": self.message, "code": self.code}
        if self.field_errors:
            body["errors"] = self.field_errors
        return body


class ValidationFailed(DomainError):
    """The input breaks a rule; ``field_errors`` names the field and the rule."""

    status = 422
    code = "validation_error"


class NotAllowed(DomainError):
    """The actor's role or relationship to the patient does not allow this."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """No such object, or the actor may not know that it exists."""

    status = 404
    code = "not_found"


class InvalidTransition(DomainError):
    """The record is not in a state where this step is possible."""

    status = 409
    code = "invalid_transition"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def error_response(
    detail: str, code: str, *, status: int, retry_after: int | None = None
) -> JsonResponse:
    """The API's error shape (``{"detail", "code"}``) for answers made before or
    outside django-ninja: middleware (an expired session, the MFA policy, a
    throttle), the API documentation's guard, a database outage. ``retry_after``
    (seconds) becomes the ``Retry-After`` header."""
    response = JsonResponse({"detail": str(detail), "code": code}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
