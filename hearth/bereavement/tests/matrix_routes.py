"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Bereavement: every case runs with patient A dead (``stage=DECEASED``);
recording the death made the family's plan and its scheduled contacts (the
``home_care_ended`` receiver). The objects the routes act on are made through
``hearth.bereavement.services`` by a member of the team, never by the role
under test: ``world.contact`` (the first planned contact), ``world.risk_screen``
(a risk screen by the psychologist).
"""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.patients.choices import EpisodeState
from hearth.patients.tests.matrix import (
    BEREAVEMENT_TEAM,
    CLINICIANS,
    PORTAL_ONLY_FOR_STAFF,
    STAFF,
    Route,
)

#: ``bereavement.view_plan``: the family-support disciplines on the team and the
#: coordinator (risk screens are sensitive: not the volunteer or administrator).
PLAN_READERS = BEREAVEMENT_TEAM
#: The worklist: the family-support disciplines anywhere in the service, and the coordinator.
WORKLIST_READERS = STAFF - {"administrator", "volunteer", "commission_member"}
#: ``bereavement.manage_plan`` / ``confirm_equipment`` / ``close_plan``: the
#: family-support disciplines on the team and the coordinator.
SUPPORT_TEAM = BEREAVEMENT_TEAM
#: ``bereavement.screen_risk``: psychologist, social worker, nurse, physician
#: or chaplain on the team (not the coordinator).
SCREENERS = CLINICIANS
#: ``bereavement.confirm_controlled_drugs``: the team's physician and nurse.
DRUG_CONFIRMERS = {"physician", "nurse"}
#: ``bereavement.view_portal``: a family member, for their own patient (the
#: other family gets their own patient's empty view; the patient's own portal
#: account is not a bereaved relative).
PORTAL_FAMILY = {"family", "other_family"}


def _after_death(method: str, path: str, allowed: set[str], **options: Any) -> Route:
    """A bereavement row: every case runs with patient A dead."""
    return Route(method, path, allowed, stage=EpisodeState.DECEASED, **options)


def _plan(world: World) -> Any:
    from hearth.bereavement.models import BereavementPlan

    return BereavementPlan.objects.get(patient=world.patient)


def _contact(world: World, actor: Any) -> None:
    """The first contact planned at the death (``world.contact``)."""
    world.contact = (  # type: ignore[attr-defined]
        _plan(world).contacts.filter(status="planned").order_by("due_on", "id").first()
    )


def _risk_screen(world: World, actor: Any) -> None:
    """A moderate-risk screen by the team's psychologist (``world.risk_screen``)."""
    from hearth.bereavement import services

    world.risk_screen = services.record_risk_screen(  # type: ignore[attr-defined]
        actor=world.psychologist, plan=_plan(world), factors=["previous_losses"]
    )


def _ready_to_close(world: World, actor: Any) -> None:
    """Every contact marked not needed and the return checklist confirmed."""
    from hearth.bereavement import services

    plan = _plan(world)
    for contact in plan.contacts.filter(status="planned"):
        services.mark_contact_not_needed(
            actor=world.coordinator, contact=contact, reason="The family moved abroad."
        )
    services.confirm_equipment_collected(actor=world.coordinator, plan=plan)
    services.confirm_controlled_drugs(actor=world.nurse, plan=plan)


def _contact_body(world: World, actor: Any) -> dict[str, Any]:
    from datetime import timedelta

    return {
        "due_on": (clock.today() + timedelta(days=3)).isoformat(),
        "kind": "home_visit",
        "purpose": "Funeral arrangements",
    }


API_ROUTES: list[Route] = [
    # Service-wide reads (rows only for the patients the caller may see).
    _after_death("GET", "/api/v1/bereavement/worklist", WORKLIST_READERS),
    _after_death("GET", "/api/v1/bereavement/risk-factors", WORKLIST_READERS),
    # Patient A's plan
    _after_death(
        "GET", "/api/v1/patients/{patient}/bereavement", PLAN_READERS, prepare=_risk_screen
    ),
    # Starting the plan again returns the one the death made (idempotent).
    _after_death("POST", "/api/v1/patients/{patient}/bereavement", SUPPORT_TEAM),
    _after_death(
        "POST",
        "/api/v1/patients/{patient}/bereavement/contacts",
        SUPPORT_TEAM,
        body=_contact_body,
    ),
    _after_death(
        "PATCH",
        "/api/v1/bereavement/contacts/{contact}",
        SUPPORT_TEAM,
        prepare=_contact,
        body=lambda w, a: {"kind": "home_visit"},
    ),
    _after_death(
        "POST",
        "/api/v1/bereavement/contacts/{contact}/outcome",
        SUPPORT_TEAM,
        prepare=_contact,
        body=lambda w, a: {"outcome": "done", "note": "Spoke with the daughter; coping."},
    ),
    _after_death(
        "POST",
        "/api/v1/bereavement/contacts/{contact}/not-needed",
        SUPPORT_TEAM,
        prepare=_contact,
        body=lambda w, a: {"reason": "The family asked for no calls."},
    ),
    _after_death(
        "POST",
        "/api/v1/patients/{patient}/bereavement/risk-screens",
        SCREENERS,
        body=lambda w, a: {"factors": ["previous_losses", "lack_of_social_support"]},
    ),
    _after_death(
        "POST",
        "/api/v1/bereavement/risk-screens/{risk_screen}/entered-in-error",
        SCREENERS,
        prepare=_risk_screen,
        body=lambda w, a: {"reason": "Recorded for the wrong relative."},
    ),
    # The return checklist and closure
    _after_death("POST", "/api/v1/patients/{patient}/bereavement/returns/equipment", SUPPORT_TEAM),
    _after_death(
        "POST", "/api/v1/patients/{patient}/bereavement/returns/controlled-drugs", DRUG_CONFIRMERS
    ),
    _after_death(
        "POST",
        "/api/v1/patients/{patient}/bereavement/close",
        SUPPORT_TEAM,
        prepare=_ready_to_close,
        body=lambda w, a: {"note": "The family is supported by their community."},
    ),
    # The family's "our contacts with you"
    _after_death("GET", "/api/v1/portal/bereavement", PORTAL_FAMILY, refused=PORTAL_ONLY_FOR_STAFF),
]

PAGE_ROUTES: list[Route] = [
    _after_death("GET", "/bereavement/", WORKLIST_READERS),
    _after_death("GET", "/patients/{patient}/bereavement/", PLAN_READERS, prepare=_risk_screen),
    _after_death("POST", "/patients/{patient}/bereavement/start/", SUPPORT_TEAM, ok=(302,)),
    _after_death("GET", "/patients/{patient}/bereavement/contacts/add/", SUPPORT_TEAM),
    _after_death("GET", "/bereavement/contacts/{contact}/change/", SUPPORT_TEAM, prepare=_contact),
    _after_death("GET", "/bereavement/contacts/{contact}/record/", SUPPORT_TEAM, prepare=_contact),
    _after_death(
        "GET", "/bereavement/contacts/{contact}/not-needed/", SUPPORT_TEAM, prepare=_contact
    ),
    _after_death("GET", "/patients/{patient}/bereavement/risk-screen/", SCREENERS),
    _after_death(
        "GET",
        "/bereavement/risk-screens/{risk_screen}/entered-in-error/",
        SCREENERS,
        prepare=_risk_screen,
    ),
    _after_death("GET", "/patients/{patient}/bereavement/returns/equipment/", SUPPORT_TEAM),
    _after_death(
        "GET", "/patients/{patient}/bereavement/returns/controlled-drugs/", DRUG_CONFIRMERS
    ),
    _after_death("GET", "/patients/{patient}/bereavement/close/", SUPPORT_TEAM),
    _after_death("GET", "/portal/bereavement/", PORTAL_FAMILY),
]
