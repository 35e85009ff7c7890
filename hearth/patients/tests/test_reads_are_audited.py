"""Every read of a patient's family, equipment, bereavement, volunteer or
debrief records, page or API, leaves an audit event naming who read whose
record. Walks the rows the new apps declare in the permission matrix, so a
new read route is covered the day it is declared."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest

from hearth.core.models import AuditAction, AuditEvent
from hearth.patients.tests.matrix import Route
from hearth.patients.tests.test_permission_matrix import ROUTE_MODULES, _perform

#: Pages that show a record: a patient's section, or a portal page. Form pages
#: (".../add/", ".../record/") show only the form and, as everywhere in Hearth,
#: are audited when they write.
RECORD_PAGE = re.compile(r"^/patients/\{patient\}/[a-z-]+/$|^/portal/[a-z-]+/$")


def _reads_a_record(kind: str, path: str) -> bool:
    if kind == "API_ROUTES":
        return "{patient}" in path or "/portal/" in path
    return RECORD_PAGE.match(path) is not None


def _patient_reads(kind: str) -> list[Route]:
    rows: list[Route] = []
    for app in ROUTE_MODULES:
        module = importlib.import_module(f"hearth.{app}.tests.matrix_routes")
        for route in getattr(module, kind):
            if route.method == "GET" and _reads_a_record(kind, route.path):
                rows.append(route)
    return rows


def _reader(route: Route) -> str:
    """A role the row lets in, preferring the nurse on the team."""
    if "/portal/" in route.path:
        return "family"
    for role in ("nurse", "social_worker", "psychologist", "coordinator", "family"):
        if role in route.allowed:
            return role
    raise AssertionError(f"nobody may read {route.path}")


API_READS = _patient_reads("API_ROUTES")
PAGE_READS = _patient_reads("PAGE_ROUTES")


def _check(route_world: Any, client_for: Any, route: Route, *, api: bool) -> None:
    world = route_world
    role = _reader(route)
    response = _perform(world, client_for, route, role, api=api)
    assert response.status_code == 200, response.content[:300]
    # Preparing the case reads nothing as this role: only the request can.
    reads = AuditEvent.objects.filter(
        actor=getattr(world, role),
        patient_id=world.patient.pk,
        action__in=[AuditAction.VIEW, AuditAction.LIST],
    )
    assert reads.exists(), f"{route.path} read by {role} left no audit event"


def test_the_new_apps_declare_patient_reads() -> None:
    assert len(API_READS) >= 8 and len(PAGE_READS) >= 8


@pytest.mark.parametrize("route", API_READS, ids=[r.path for r in API_READS])
def test_an_api_read_is_audited(route_world: Any, client_for: Any, route: Route) -> None:
    _check(route_world, client_for, route, api=True)


@pytest.mark.parametrize("route", PAGE_READS, ids=[r.path for r in PAGE_READS])
def test_a_page_read_is_audited(route_world: Any, client_for: Any, route: Route) -> None:
    _check(route_world, client_for, route, api=False)
