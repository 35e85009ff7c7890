"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Care plan reviews after a change of phase (issue 19): patient A in active home
care enters the terminal phase (recorded by the nurse), which opens
``world.care_plan_review``. The other care plan routes are still declared in
the matrix itself.
"""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.patients.tests.matrix import CLINICIANS, NOT_FOUND, OPENERS, STAFF, Route

#: ``careplans.view_review_tasks``: the clinicians (anywhere; the list holds
#: only the patients each may see), the coordinator and the clinical lead.
REVIEW_LIST = CLINICIANS | {"coordinator", "clinical_lead", "outsider_nurse"}


def _review(world: World, actor: Any) -> None:
    from hearth.assessments import services as assessments
    from hearth.careplans.models import CarePlanReviewTask

    assessments.start_phase(actor=world.nurse, patient=world.patient, phase="terminal")
    world.care_plan_review = CarePlanReviewTask.objects.get(  # type: ignore[attr-defined]
        patient=world.patient
    )


API_ROUTES: list[Route] = [
    Route(
        "GET",
        "/api/v1/care-plan-reviews",
        REVIEW_LIST,
        prepare=_review,
        # The list exists only for those who review plans (careplans' own tests).
        refused=dict.fromkeys(STAFF - REVIEW_LIST, NOT_FOUND),
    ),
    Route("GET", "/api/v1/patients/{patient}/care-plan-reviews", OPENERS, prepare=_review),
    Route(
        "POST",
        "/api/v1/care-plan-reviews/{care_plan_review}/complete",
        CLINICIANS,
        prepare=_review,
        body=lambda w, a: {"note": "Goals changed to comfort."},
    ),
    Route(
        "POST",
        "/api/v1/care-plan-reviews/{care_plan_review}/dismiss",
        CLINICIANS,
        prepare=_review,
        body=lambda w, a: {"reason": "Reviewed at the bedside."},
    ),
]

PAGE_ROUTES: list[Route] = [
    Route("GET", "/care-plan-reviews/{care_plan_review}/complete/", CLINICIANS, prepare=_review),
    Route("GET", "/care-plan-reviews/{care_plan_review}/dismiss/", CLINICIANS, prepare=_review),
]
