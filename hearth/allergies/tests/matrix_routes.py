"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Patient A's allergies. The objects the routes act on are made through
``hearth.allergies.services`` by the team's nurse or the family, never by the
role under test: ``world.allergy`` (a recorded penicillin allergy) and
``world.allergy_proposal`` (the daughter's proposal of a latex allergy).
"""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.patients.tests.matrix import OPENERS, PORTAL, PORTAL_PAGES, SIGNED_IN, Route

#: ``allergies.view_allergies``: anyone who may open patient A, the family and the patient.
READERS = OPENERS | PORTAL
#: ``allergies.record_allergies`` / ``review_proposals``: the team's physician and nurse.
CLINICIANS = {"physician", "nurse"}


def _allergy(world: World, actor: Any) -> None:
    from hearth.allergies import services

    world.allergy = services.record_allergy(  # type: ignore[attr-defined]
        actor=world.nurse,
        patient=world.patient,
        substance="penicillins",
        reaction="Rash all over",
        severity="moderate",
        certainty="suspected",
        reported_by="the patient",
    )


def _proposal(world: World, actor: Any) -> None:
    from hearth.allergies import services

    world.allergy_proposal = services.propose_allergy(  # type: ignore[attr-defined]
        actor=world.family,
        patient=world.patient,
        substance="latex",
        reaction="Her hands swelled after rubber gloves.",
    )


def _new_allergy(world: World, actor: Any) -> dict[str, Any]:
    return {
        "substance": "codeine",
        "type": "intolerance",
        "reaction": "Sick and drowsy",
        "severity": "mild",
        "certainty": "confirmed",
        "reported_by": "daughter",
    }


def _proposal_body(world: World, actor: Any) -> dict[str, Any]:
    return {"substance": "peanut", "reaction": "Swollen lips as a child."}


def _accept_body(world: World, actor: Any) -> dict[str, Any]:
    return {"severity": "moderate", "certainty": "confirmed"}


def _reason_body(world: World, actor: Any) -> dict[str, Any]:
    return {"reason": "Checked with the GP record."}


def _change_body(world: World, actor: Any) -> dict[str, Any]:
    return {"reason": "The GP record says it was hives.", "reaction": "Hives"}


def _nkda_body(world: World, actor: Any) -> dict[str, Any]:
    return {"reported_by": "the patient and her daughter"}


BASE = "/api/v1/patients/{patient}/allergies"

API_ROUTES: list[Route] = [
    # The catalogue: the same for everyone signed in (no patient data).
    Route("GET", "/api/v1/allergy-substances", SIGNED_IN),
    Route("GET", BASE, READERS, prepare=_proposal),
    Route("POST", BASE, CLINICIANS, body=_new_allergy),
    Route("POST", BASE + "/proposals", PORTAL, body=_proposal_body),
    Route("POST", BASE + "/no-known-drug-allergies", CLINICIANS, body=_nkda_body),
    Route("GET", BASE + "/{allergy}/history", READERS, prepare=_allergy),
    Route(
        "POST",
        BASE + "/{allergy_proposal}/accept",
        CLINICIANS,
        prepare=_proposal,
        body=_accept_body,
    ),
    Route(
        "POST",
        BASE + "/{allergy_proposal}/decline",
        CLINICIANS,
        prepare=_proposal,
        body=_reason_body,
    ),
    Route("POST", BASE + "/{allergy}/change", CLINICIANS, prepare=_allergy, body=_change_body),
    Route("POST", BASE + "/{allergy}/refute", CLINICIANS, prepare=_allergy, body=_reason_body),
    Route(
        "POST",
        BASE + "/{allergy}/entered-in-error",
        CLINICIANS,
        prepare=_allergy,
        body=_reason_body,
    ),
]

PAGE_ROUTES: list[Route] = [
    Route("GET", "/patients/{patient}/allergies/", OPENERS, prepare=_proposal),
    Route("GET", "/patients/{patient}/allergies/record/", CLINICIANS),
    Route("GET", "/patients/{patient}/allergies/no-known-drug-allergies/", CLINICIANS),
    Route("GET", "/allergies/{allergy}/history/", OPENERS, prepare=_allergy),
    Route("GET", "/allergies/{allergy}/change/", CLINICIANS, prepare=_allergy),
    Route("GET", "/allergies/{allergy}/refute/", CLINICIANS, prepare=_allergy),
    Route("GET", "/allergies/{allergy}/entered-in-error/", CLINICIANS, prepare=_allergy),
    Route("GET", "/allergies/{allergy_proposal}/accept/", CLINICIANS, prepare=_proposal),
    Route("GET", "/allergies/{allergy_proposal}/decline/", CLINICIANS, prepare=_proposal),
    # The family portal: their own patient's allergies (another family sees theirs).
    Route("GET", "/portal/allergies/", PORTAL_PAGES, prepare=_proposal),
    Route("GET", "/portal/allergies/propose/", PORTAL_PAGES),
]
