"""The vocabulary of the permission matrix: roles, role sets and the Route row.

Kept apart from the matrix test so each app declares its own routes in
``hearth/<app>/tests/matrix_routes.py`` (``API_ROUTES`` and ``PAGE_ROUTES``)
and the matrix gathers them; an object a ``prepare=`` function puts on the
world as ``world.<name>`` fills ``{<name>}`` in a path by its external id.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from hearth.conftest import World
from hearth.patients.choices import EpisodeState

ROLES = [
    "physician",
    "nurse",
    "psychologist",
    "social_worker",
    "chaplain",
    "volunteer",
    "coordinator",
    "administrator",
    "commission_member",
    "clinical_lead",
    "outsider_nurse",
    "family",
    "other_family",
    "patient_user",
    "anonymous",
]
ON_TEAM = {"physician", "nurse", "psychologist", "social_worker", "chaplain", "volunteer"}
SERVICE_WIDE = {"coordinator", "administrator"}
STAFF = ON_TEAM | SERVICE_WIDE | {"commission_member", "clinical_lead", "outsider_nurse"}
PORTAL = {"family", "patient_user"}
SIGNED_IN = set(ROLES) - {"anonymous"}
#: Staff who can open patient A while the episode is active or awaiting the commission.
OPENERS = ON_TEAM | SERVICE_WIDE | {"commission_member"}
REFERRERS = {
    "physician",
    "nurse",
    "psychologist",
    "social_worker",
    "chaplain",
    "coordinator",
    "clinical_lead",
    "outsider_nurse",
}
RECORD_KEEPERS = {"physician", "nurse", "social_worker", "coordinator"}
BEREAVEMENT_TEAM = {
    "physician",
    "nurse",
    "psychologist",
    "social_worker",
    "chaplain",
    "coordinator",
}
EMERGENCY_USERS = {"clinical_lead", "outsider_nurse"}
PROFILE_KEEPERS = {"physician", "nurse", "psychologist", "social_worker", "chaplain", "coordinator"}
#: Clinicians on patient A's team: they assess and write the care plan.
CLINICIANS = {"physician", "nurse", "psychologist", "social_worker", "chaplain"}
ACP_WRITERS = {"physician", "nurse"}
#: Portal pages: the family of another patient gets their own patient's page.
PORTAL_PAGES = PORTAL | {"other_family"}


@dataclass
class Route:
    method: str
    path: str  # with {patient}, {episode}, {diagnosis}, {assignment}, {caregiver}, {grant}, {token}
    allowed: set[str]
    stage: str = EpisodeState.ACTIVE
    body: Callable[[World, Any], dict[str, Any]] | None = None
    ok: tuple[int, ...] = (200, 201)
    prepare: Callable[[World, Any], None] | None = None
    key: str = field(default="")
    #: Statuses that count as "not let in" besides 401/403/404 (e.g. 409 "not needed").
    also_refused: tuple[int, ...] = ()
    #: Runs the whole case (stage, prepare and request) inside it: a set clock, settings.
    around: Callable[[], AbstractContextManager[Any]] | None = None
