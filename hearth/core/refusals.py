"""Refused requests in the audit trail: who asked for what, and was told no.

A refusal is as much a part of a record's story as a read: a family member
trying another patient's identifier, a nurse outside the caseload, a token
that is not allowed. ``RefusalAuditMiddleware`` writes one ``access.refused``
(401, 403, or a refusal the API hides behind a 404) or ``access.not_found``
(404) event per refused request, after the view has answered: outside any
service transaction, so the event survives the rollback of the work that was
refused, and once per request however many layers had a say.

What is audited: every 403 on a resolved route (a failed authorisation,
wherever it came from: an API handler, a page's refusal, the MFA policy), and
every 401 and 404 on a route that names a record (its URL carries an
identifier, like ``patient_id``). A 404 for a path no route matches (a typo,
a missing static file, a scanner) is not: it names no record.

Which patient: the asked identifier is kept as the event's ``object_id`` and
in ``changes`` (the patient may not exist). When it is a real patient, the
event is linked to that patient too (``patient_id``), so the record's trail
shows who tried to open it. That trail is read only by administrators, who see
the whole service anyway; the person refused never sees any trail, so the link
tells nothing to anyone who could not already know it. The events' action is
``refused``, which the record's timeline (read by the care team) leaves out
(``AuditEventQuerySet.writes``): it would name another family's relative.

A 404 on a route that asks for nothing but a patient who exists is a refusal
worded as "not found" (``concealed``), and recorded as ``access.refused``.

The handlers that make a refusal say why with ``note`` (the code, and whether a
forbidden request was answered 404 so as not to reveal the record); an API
answer carries its code in its body otherwise. A refusal another part already
audited in the same request (a failed sign-in, say: any type in
``REFUSAL_EVENT_TYPES``) is not audited twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hearth.core import audit
from hearth.core.audit_events import AuditEventType
from hearth.core.messages import text
from hearth.core.models import AuditAction

logger = logging.getLogger("hearth.audit")

#: The URL keyword that names a patient, in every app's routes.
PATIENT_KEYWORD = "patient_id"
#: What a refusal's code means, for the administrator reading a record's
#: trail (the code itself stays in ``changes``); any other code is "refused".
REFUSAL_WORDS = {
    "not_authenticated": _("not signed in"),
    "forbidden": _("not allowed"),
    "not_found": _("not found"),
    "emergency_access_available": _("not on the care team (emergency access offered)"),
}
#: URL namespaces whose 404s name nothing (the admin answers 404 for unknown paths).
UNAUDITED_NOT_FOUND_NAMESPACES = frozenset({"admin"})
DEFAULT_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}
_NOTE = "_hearth_refusal"

#: ``patient_pk(asked identifier) -> int | None``: the patients app tells the
#: kernel which patient an identifier names (see PatientsConfig.ready).
PatientLookup = Callable[[str], int | None]
_patient_lookup: PatientLookup | None = None


def set_patient_lookup(lookup: PatientLookup) -> None:
    global _patient_lookup
    _patient_lookup = lookup


def note(request: HttpRequest, code: str, *, concealed: bool = False) -> None:
    """Say why this request is being refused, for its audit event. ``concealed``:
    the answer is a 404 although the real reason is a refusal by role."""
    setattr(request, _NOTE, {"code": str(code), "concealed": bool(concealed)})


def _asker(request: HttpRequest) -> Any:
    """The API's bearer token puts the user on ``request.auth`` only."""
    for candidate in (getattr(request, "auth", None), getattr(request, "user", None)):
        if getattr(candidate, "is_authenticated", False):
            return candidate
    return getattr(request, "user", None)


def _code_in_body(response: HttpResponse) -> str:
    if not response.get("Content-Type", "").startswith("application/json"):
        return ""
    try:
        body = json.loads(response.content[:4096])
    except (ValueError, AttributeError):
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return str(code)[:80] if code else ""


def _route(request: HttpRequest) -> ResolverMatch | None:
    """The route the request asked for. A middleware that refuses before the
    view (the MFA policy) answers before Django resolves the path: resolve it
    here then. A path no route matches has none."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        request.resolver_match = match
    return match


def is_audited(request: HttpRequest, response: HttpResponse) -> bool:
    status = response.status_code
    if status not in DEFAULT_CODES and not 300 <= status < 400:
        return False
    match = _route(request)
    if match is None:
        return False
    if getattr(request, _NOTE, None) is not None and 300 <= status < 400:
        # A refusal answered another way (staff outside the caseload are sent
        # to the emergency-access page).
        return True
    if status not in DEFAULT_CODES:
        return False
    if status == 403:
        return True
    if status == 404 and UNAUDITED_NOT_FOUND_NAMESPACES & set(match.namespaces):
        return False
    return bool(match.kwargs)


def record_refusal(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    assert match is not None
    status = response.status_code
    noted = getattr(request, _NOTE, None) or {}
    concealed = bool(noted.get("concealed"))
    code = noted.get("code") or _code_in_body(response) or DEFAULT_CODES.get(status, "refused")
    asked = {str(name): str(value)[:64] for name, value in match.kwargs.items()}
    asked_patient = asked.get(PATIENT_KEYWORD)
    patient_pk = None
    if asked_patient is not None and _patient_lookup is not None:
        patient_pk = _patient_lookup(asked_patient)
    object_type, object_id = next(iter(asked.items()), ("", ""))
    if asked_patient is not None:
        object_type, object_id = PATIENT_KEYWORD, asked_patient
    if status == 404 and patient_pk is not None and set(asked) == {PATIENT_KEYWORD}:
        # The route asks for nothing but a patient, and that patient exists:
        # "not found" was how the refusal was worded (the family and strangers
        # are never told that another record exists).
        concealed = True
    refused = status != 404 or concealed
    audit.record(
        actor=_asker(request),
        action=AuditAction.REFUSED,
        event_type=(AuditEventType.ACCESS_REFUSED if refused else AuditEventType.ACCESS_NOT_FOUND),
        patient=patient_pk,
        object_type=object_type,
        object_id=object_id,
        summary=text(gettext_noop("Refused: %(why)s"), why=REFUSAL_WORDS.get(code, _("refused"))),
        changes={
            "method": request.method,
            "path": request.path[:300],
            "route": match.view_name,
            "status": status,
            "code": code,
            "concealed": concealed,
            "asked_for": asked,
        },
        emergency=False,
    )


class RefusalAuditMiddleware:
    """One audit event per refused request (see the module's docstring). Sits
    inside ``RequestContextMiddleware``, so the event has the request's address
    and id, and outside the MFA policy, so its refusals are seen too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.refusals_recorded_in_request() as already:
            response = self.get_response(request)
            if is_audited(request, response) and not already():
                try:
                    record_refusal(request, response)
                except DatabaseError:
                    # The answer stands (a 503 page for a database outage is
                    # someone else's): the refusal is logged instead.
                    logger.warning(
                        "Refusal of %s %s (%s) could not be audited.",
                        request.method,
                        request.path,
                        response.status_code,
                        exc_info=True,
                    )
        return response


__all__ = ["RefusalAuditMiddleware", "is_audited", "note", "record_refusal", "set_patient_lookup"]
