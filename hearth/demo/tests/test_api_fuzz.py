"""Schemathesis drives the OpenAPI document against the app on the demo data.

Every operation of ``/api/v1/openapi.json`` is called with requests generated
from its own schema, as the coordinator, a nurse, a physician and a family
member (each with an API token), with the path's ids taken from the demo so the
calls reach the records rather than stopping at 404. Two checks, nothing else:
no answer is a server error, and every documented answer matches its schema.

Each operation is tried with valid requests (positive: they must be answered
without a server error, and as documented) and with invalid ones (negative: a
wrong type, a missing field, a value out of range must be a 4xx in the error
shape, never a 500). ``HEARTH_FUZZ_EXAMPLES`` (default 2) is how many requests
per operation, role and mode; the generation is derandomized, so CI sends the
same requests every time. Writes happen in the test database and are rolled
back after each test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from hearth.accounts.models import User
from hearth.accounts.services import issue_api_token
from hearth.api import api
from hearth.demo.tests.api_routes import API_PREFIX

pytestmark = pytest.mark.usefixtures("seeded_demo")

EXAMPLES = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "2"))

#: The roles the issue names, by their demo sign-ins: each is on the team (or
#: the family) of the patient whose ids the paths get (records the Hassan story
#: has none of, such as a visit, are taken from another patient: a refusal
#: there is an answer to check too).
ROLES = {
    "coordinator": "coord.lewis",
    "nurse": "nurse.brennan",
    "physician": "dr.okafor",
    "family": "family.hassan",
}
PATIENT_FAMILY_NAME = "Hassan"

_DJANGO = get_wsgi_application()


def in_the_test_transaction(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Django's WSGI handler, minus the end-of-request connection clean-up.

    A real request ends by closing "old" connections, which inside a test
    closes the connection holding the test's transaction (and the saved demo
    under it) on PostgreSQL and file SQLite. Django's own test client leaves
    that signal out the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = _DJANGO(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix=API_PREFIX))
SCHEMA.app = in_the_test_transaction
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _first(model: Any, **filters: Any) -> Any:
    row = model.objects.filter(**filters).order_by("pk").first()
    return None if row is None else str(row.external_id)


def demo_ids() -> dict[tuple[str, str], Callable[[], Any]]:
    """(path segment, parameter) → the demo record a path names, for the
    patient whose family signs in here (or the service-wide record)."""
    from hearth.allergies.models import AllergyIntolerance
    from hearth.bereavement.models import BereavementContact
    from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask
    from hearth.careplans.models import AdvanceCarePlan, CarePlan, PlanNeed
    from hearth.directory.models import DirectoryEntry
    from hearth.equipment.models import EquipmentItem, Loan
    from hearth.medications.models import MedicationOrder
    from hearth.monitoring.models import Alert
    from hearth.patients.models import Episode, Patient
    from hearth.team.models import Debrief
    from hearth.visits.models import DayPlan, Dispatch, Visit, VisitNeed
    from hearth.volunteers.models import VolunteerProfile

    patient = Patient.objects.get(family_name=PATIENT_FAMILY_NAME)
    mine = {"patient": patient}
    return {
        ("*", "patient_id"): lambda: str(patient.external_id),
        ("*", "staff_id"): lambda: _first(User, username="nurse.brennan"),
        ("*", "episode_id"): lambda: _first(Episode, **mine),
        ("care-plans", "plan_id"): lambda: _first(CarePlan, **mine),
        ("visit-plans", "plan_id"): lambda: _first(DayPlan),
        ("plan-needs", "need_id"): lambda: _first(PlanNeed, plan__patient=patient),
        ("visit-needs", "need_id"): lambda: _first(VisitNeed, **mine),
        ("*", "visit_id"): lambda: _first(Visit, **mine) or _first(Visit),
        ("*", "alert_id"): lambda: _first(Alert, **mine),
        ("*", "order_id"): lambda: _first(MedicationOrder, **mine),
        ("*", "acp_id"): lambda: _first(AdvanceCarePlan, **mine),
        ("*", "allergy_id"): lambda: _first(AllergyIntolerance, **mine),
        ("*", "dispatch_id"): lambda: _first(Dispatch),
        ("equipment", "item_id"): lambda: _first(EquipmentItem),
        ("*", "loan_id"): lambda: _first(Loan, **mine),
        ("*", "profile_id"): lambda: _first(VolunteerProfile),
        ("*", "entry_id"): lambda: _first(DirectoryEntry),
        ("*", "debrief_id"): lambda: _first(Debrief),
        ("*", "task_id"): lambda: _first(SupportTask, **mine) or _first(SupportTask),
        ("*", "respite_id"): lambda: _first(RespiteRequest, **mine),
        ("bereavement", "contact_id"): lambda: _first(BereavementContact),
        ("support-contacts", "contact_id"): lambda: (
            _first(SupportContact, **mine) or _first(SupportContact)
        ),
    }


def path_parameters(path: str, ids: dict[tuple[str, str], Callable[[], Any]]) -> dict[str, Any]:
    segment = path.removeprefix(API_PREFIX).strip("/").split("/")[0]
    found: dict[str, Any] = {}
    for name in (part[1:-1] for part in path.split("/") if part.startswith("{")):
        make = ids.get((segment, name)) or ids.get(("*", name))
        value = make() if make is not None else None
        if value is not None:
            found[name] = value
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_server_errors_and_answers_match_the_document(
    operation: Any, role: str, mode: GenerationMode
) -> None:
    # Plain answers: schemathesis's WSGI transport asks for gzip like any
    # HTTP client but does not decode it. Compression has its own tests
    # (hearth/core/tests/test_compression.py).
    headers = {"Authorization": _bearer(role), "Accept-Encoding": "identity"}
    strategy = operation.as_strategy(
        mode, path_parameters=path_parameters(operation.path, demo_ids())
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    try:
        call()
    except Unsatisfiable:
        # Nothing invalid can be sent (a body that takes any form field):
        # there is no negative request to try.
        assert mode is GenerationMode.NEGATIVE


def test_the_paths_get_real_demo_ids() -> None:
    """The fuzzing reaches records: each id it knows exists in the demo, and
    most operations with ids in their path get all of them (the rest, such as
    a token or a reminder of one person, get generated ids and a 404)."""
    ids = demo_ids()
    missing = [key for key, make in ids.items() if make() is None]
    # The demo seeds no saved day plan: those paths get generated ids.
    assert missing in ([], [("visit-plans", "plan_id")]), missing
    with_ids = [operation for operation in OPERATIONS if "{" in operation.path]
    complete = [
        operation
        for operation in with_ids
        if len(path_parameters(operation.path, ids)) == operation.path.count("{")
    ]
    assert len(complete) >= 0.6 * len(with_ids), (len(complete), len(with_ids))
    response = Client(HTTP_AUTHORIZATION=_bearer("nurse")).get(
        f"{API_PREFIX}/patients/{ids[('*', 'patient_id')]()}/phases"
    )
    assert response.status_code == 200 and response.json()["items"]


def _bearer(role: str) -> str:
    _token, secret = issue_api_token(
        actor=User.objects.get(username=ROLES[role]), name="fuzzing", days=1
    )
    return f"Bearer {secret}"
