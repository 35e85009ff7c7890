"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Caregiving: patient A in active home care. Objects the routes act on are made
through ``hearth.caregiving.services`` by the person whose job it is, never by
the role under test: ``world.support_task`` (raised by the nurse),
``world.support_contact`` (a counselling session by the psychologist),
``world.respite`` (asked for by the family; ``_booked_now`` has the
coordinator book it from an hour ago). Path values that are not objects (a
skill code) are put on the world with an ``external_id``.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.patients.tests.matrix import (
    BEREAVEMENT_TEAM,
    NOT_FOUND,
    OPENERS,
    PORTAL,
    PORTAL_PAGES,
    SIGNED_IN,
    STAFF,
    Route,
)

#: ``caregiving.record_training``: the team's physician and nurse.
TRAINERS = {"physician", "nurse"}
#: ``caregiving.view_family_support`` / ``manage_support_tasks`` /
#: ``request_respite`` (staff) / ``cancel_respite`` (staff): the family-support
#: disciplines on the team and the coordinator.
SUPPORT_TEAM = BEREAVEMENT_TEAM
#: ``caregiving.view_support_tasks``: the family-support disciplines anywhere
#: (the list holds only the patients each may see).
TASK_LIST = SUPPORT_TEAM | {"clinical_lead", "outsider_nurse"}
#: The family of patient A; the other family gets their own patient's page.
OWN_FAMILY = {"family"}
PORTAL_FAMILIES = {"family", "other_family"}


def _carer(world: World) -> str:
    return str(world.patient.caregivers.get(user=world.family).external_id)


def _skill(world: World, actor: Any) -> None:
    world.skill = SimpleNamespace(external_id="mouth_care")  # type: ignore[attr-defined]
    world.code = world.skill  # type: ignore[attr-defined]


def _shown(world: World, actor: Any) -> None:
    """The nurse showed patient A's daughter mouth care (something to withdraw)."""
    from hearth.caregiving import services

    services.record_training_step(
        actor=world.nurse,
        patient=world.patient,
        caregiver=world.patient.caregivers.get(user=world.family),
        skill="mouth_care",
        step="demonstrated",
    )


def _task(world: World, actor: Any) -> None:
    from hearth.caregiving import services

    world.support_task = services.create_support_task(  # type: ignore[attr-defined]
        actor=world.nurse,
        patient=world.patient,
        caregiver=world.patient.caregivers.get(user=world.family),
        reason="Exhausted; asks about a sitter.",
        suggested_actions=["respite"],
    )


def _contact(world: World, actor: Any) -> None:
    from hearth.caregiving import services

    world.support_contact = services.record_support_contact(  # type: ignore[attr-defined]
        actor=world.psychologist,
        patient=world.patient,
        kind="counselling",
        mode="home",
        occurred_at=clock.now() - timedelta(hours=1),
        relatives=[world.patient.caregivers.get(user=world.family)],
        outcome="Talked about the nights.",
    )


def _respite(world: World, actor: Any) -> None:
    from hearth.caregiving import services

    day = clock.today() + timedelta(days=2)
    world.respite = services.request_respite(  # type: ignore[attr-defined]
        actor=world.family, patient=world.patient, kind="day", wanted_from=day, wanted_to=day
    )


def _booked_now(world: World, actor: Any) -> None:
    """Booked from an hour ago, so it can be marked as taken place."""
    from hearth.caregiving import services

    _respite(world, actor)
    now = clock.now()
    world.respite = services.book_respite(  # type: ignore[attr-defined]
        actor=world.coordinator,
        respite=world.respite,  # type: ignore[attr-defined]
        place="St Joseph's Hospice day unit",
        booked_from=now - timedelta(hours=1),
        booked_to=now + timedelta(hours=3),
    )


def _step_body(world: World, actor: Any) -> dict[str, Any]:
    return {"caregiver_id": _carer(world), "skill": "mouth_care", "step": "demonstrated"}


def _withdraw_body(world: World, actor: Any) -> dict[str, Any]:
    return {"caregiver_id": _carer(world), "skill": "mouth_care", "reason": "Not safe now."}


def _task_body(world: World, actor: Any) -> dict[str, Any]:
    return {"caregiver_id": _carer(world), "reason": "Benefits advice."}


def _contact_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "kind": "counselling",
        "mode": "phone",
        "occurred_at": (clock.now() - timedelta(hours=1)).isoformat(),
        "relative_ids": [_carer(world)],
        "outcome": "Less alone.",
    }


def _respite_body(world: World, actor: Any) -> dict[str, Any]:
    day = (clock.today() + timedelta(days=3)).isoformat()
    return {"kind": "day", "wanted_from": day, "wanted_to": day}


def _book_body(world: World, actor: Any) -> dict[str, Any]:
    start = clock.now() + timedelta(days=2)
    return {
        "booked_from": start.isoformat(),
        "booked_to": (start + timedelta(hours=6)).isoformat(),
        "place": "St Joseph's Hospice day unit",
    }


def _reason(world: World, actor: Any) -> dict[str, Any]:
    return {"reason": "Plans changed."}


API_ROUTES: list[Route] = [
    Route("GET", "/api/v1/caregiving/skills", SIGNED_IN),
    Route("GET", "/api/v1/caregiving/skills/{code}", SIGNED_IN, prepare=_skill),
    # Training: staff who can open the record read every carer; the family their own.
    Route("GET", "/api/v1/patients/{patient}/training", OPENERS | OWN_FAMILY),
    Route("POST", "/api/v1/patients/{patient}/training/steps", TRAINERS, body=_step_body),
    Route(
        "POST",
        "/api/v1/patients/{patient}/training/withdrawals",
        TRAINERS,
        prepare=_shown,
        body=_withdraw_body,
    ),
    # Caregiver strain and support tasks
    Route("GET", "/api/v1/patients/{patient}/caregiver-strain-schedule", SUPPORT_TEAM),
    Route(
        "GET",
        "/api/v1/support-tasks",
        TASK_LIST,
        prepare=_task,
        # The worklist exists only for the family-support team (caregiving's own tests).
        refused=dict.fromkeys(STAFF - TASK_LIST, NOT_FOUND),
    ),
    Route("GET", "/api/v1/patients/{patient}/support-tasks", SUPPORT_TEAM, prepare=_task),
    Route("POST", "/api/v1/patients/{patient}/support-tasks", SUPPORT_TEAM, body=_task_body),
    Route(
        "PATCH",
        "/api/v1/support-tasks/{support_task}",
        SUPPORT_TEAM,
        prepare=_task,
        body=lambda w, a: {"due_on": (clock.today() + timedelta(days=3)).isoformat()},
    ),
    Route(
        "POST",
        "/api/v1/support-tasks/{support_task}/complete",
        SUPPORT_TEAM,
        prepare=_task,
        body=lambda w, a: {"outcome": "Sitter booked."},
    ),
    Route(
        "POST",
        "/api/v1/support-tasks/{support_task}/cancel",
        SUPPORT_TEAM,
        prepare=_task,
        body=_reason,
    ),
    # Counselling (psychologist) and social work (social worker)
    Route("GET", "/api/v1/patients/{patient}/support-contacts", SUPPORT_TEAM, prepare=_contact),
    Route(
        "POST",
        "/api/v1/patients/{patient}/support-contacts",
        {"psychologist"},
        body=_contact_body,
    ),
    # Only the author marks a contact wrong.
    Route(
        "POST",
        "/api/v1/support-contacts/{support_contact}/entered-in-error",
        {"psychologist"},
        prepare=_contact,
        body=_reason,
    ),
    # Respite: the family asks, the coordinator books, declines, marks it taken.
    Route("GET", "/api/v1/patients/{patient}/respite", SUPPORT_TEAM | PORTAL, prepare=_respite),
    Route(
        "POST", "/api/v1/patients/{patient}/respite", SUPPORT_TEAM | OWN_FAMILY, body=_respite_body
    ),
    Route(
        "POST",
        "/api/v1/respite/{respite}/book",
        {"coordinator"},
        prepare=_respite,
        body=_book_body,
    ),
    Route("POST", "/api/v1/respite/{respite}/complete", {"coordinator"}, prepare=_booked_now),
    Route(
        "POST", "/api/v1/respite/{respite}/decline", {"coordinator"}, prepare=_respite, body=_reason
    ),
    Route(
        "POST",
        "/api/v1/respite/{respite}/cancel",
        SUPPORT_TEAM | OWN_FAMILY,
        prepare=_respite,
        body=_reason,
    ),
]

PAGE_ROUTES: list[Route] = [
    Route("GET", "/patients/{patient}/training/", OPENERS),
    Route("GET", "/patients/{patient}/training/record/", TRAINERS),
    Route("GET", "/patients/{patient}/training/withdraw/", TRAINERS),
    Route("GET", "/patients/{patient}/family-support/", SUPPORT_TEAM),
    Route(
        "GET", "/patients/{patient}/family-support/contacts/new/", {"psychologist", "social_worker"}
    ),
    Route(
        "GET",
        "/caregiving/contacts/{support_contact}/entered-in-error/",
        SUPPORT_TEAM,
        prepare=_contact,
    ),
    Route("GET", "/patients/{patient}/family-support/tasks/new/", SUPPORT_TEAM),
    Route("GET", "/caregiving/tasks/", TASK_LIST, prepare=_task),
    Route("GET", "/caregiving/tasks/{support_task}/", SUPPORT_TEAM, prepare=_task),
    Route("GET", "/caregiving/tasks/{support_task}/close/", SUPPORT_TEAM, prepare=_task),
    Route("GET", "/patients/{patient}/family-support/respite/new/", SUPPORT_TEAM),
    Route("GET", "/caregiving/respite/{respite}/book/", {"coordinator"}, prepare=_respite),
    Route("GET", "/caregiving/respite/{respite}/complete/", {"coordinator"}, prepare=_booked_now),
    Route("GET", "/caregiving/respite/{respite}/decline/", {"coordinator"}, prepare=_respite),
    Route("GET", "/caregiving/respite/{respite}/cancel/", SUPPORT_TEAM, prepare=_respite),
    # The portal: the reader's own patient; training is a carer's own record.
    Route("GET", "/portal/training/", PORTAL_FAMILIES),
    Route("GET", "/portal/training/{skill}/", PORTAL_FAMILIES, prepare=_skill),
    Route("GET", "/portal/support/", PORTAL_PAGES, prepare=_respite),
    Route("GET", "/portal/support/respite/", PORTAL_FAMILIES),
    Route("GET", "/portal/support/respite/{respite}/cancel/", OWN_FAMILY, prepare=_respite),
]
