"""The vocabulary of the permission matrix: roles, role sets and the Route row.

Kept apart from the matrix test so each app declares its own routes in
``hearth/<app>/tests/matrix_routes.py`` (``API_ROUTES`` and ``PAGE_ROUTES``)
and the matrix gathers them; an object a ``prepare=`` function puts on the
world as ``world.<name>`` fills ``{<name>}`` in a path by its external id.
"""

from __future__ import annotations

import re
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
#: Staff who can open patient A while the episode is active or awaiting the
#: commission. Not the volunteer on patient A's team: a volunteer reads the
#: volunteer brief, and every other route about patient A is not found for
#: them (issue 18, least privilege; ``VOLUNTEER_ROUTES_ABOUT_A_PATIENT``).
OPENERS = (ON_TEAM - {"volunteer"}) | SERVICE_WIDE | {"commission_member"}
#: The only routes about patient A a volunteer may use: the brief (page and API).
VOLUNTEER_ROUTES_ABOUT_A_PATIENT = {
    ("GET", "/patients/{patient}/volunteer-brief/"),
    ("GET", "/api/v1/patients/{patient}/volunteer-brief"),
}
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


#: A refusal as the API answers it: the status and the ``code`` of the JSON body.
Refusal = tuple[int, str]
NOT_SIGNED_IN: Refusal = (401, "not_authenticated")
NOT_FOUND: Refusal = (404, "not_found")
EMERGENCY_ACCESS: Refusal = (403, "emergency_access_available")
FORBIDDEN: Refusal = (403, "forbidden")
#: Portal sign-ins: a family (of patient A or of another patient) and the patient.
PORTAL_SIGN_INS = PORTAL | {"other_family"}
#: A refused page: the status, and a clue to check, in ``Location`` for a
#: redirect and in the page for a refusal page ("" checks nothing more).
PageRefusal = tuple[int, str]
TO_SIGN_IN: PageRefusal = (302, "/accounts/login/")
TO_THE_PORTAL: PageRefusal = (302, "/portal/")
TO_STAFF_START: PageRefusal = (302, "/patients/")
TO_EMERGENCY_ACCESS: PageRefusal = (302, "/emergency-access/")
PAGE_NOT_FOUND: PageRefusal = (404, "")
PAGE_FORBIDDEN: PageRefusal = (403, "")
#: A write page that refuses staff outside the caseload on the spot, naming
#: emergency access, instead of leading them to it.
NAMES_EMERGENCY_ACCESS: PageRefusal = (403, "use emergency access")
#: The medical commission's members see a patient only while its decision is
#: awaited: at other stages the record is not found for them.
COMMISSION_OUT_OF_ITS_STAGE: dict[str, Refusal] = {"commission_member": NOT_FOUND}
COMMISSION_PAGE_OUT_OF_ITS_STAGE: dict[str, PageRefusal] = {"commission_member": PAGE_NOT_FOUND}
#: A family's own portal view: staff have no portal patient, so it is not found.
PORTAL_ONLY_FOR_STAFF: dict[str, Refusal] = dict.fromkeys(STAFF, NOT_FOUND)
#: Path placeholders that name something of the service rather than of a patient
#: (a member of staff, a shift, the day's plan, the formulary, the directory, a
#: volunteer, training); every other placeholder names something of patient A.
SERVICE_PLACEHOLDERS = {
    "token",
    "grant",
    "staff",
    "staff_shift",
    "shift",
    "day_plan",
    "planned_visit",
    "time_change",
    "urgent",
    "drug",
    "drug_route",
    "course",
    "training",
    "record",
    "reminder",
    "debrief",
    "region",
    "entry",
    "retired_entry",
    "volunteer_profile",
    "volunteer_assignment",
    "slot",
    "away",
    "item",
    "code",  # a caregiving skill of the service's syllabus
}


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
    #: The API's answer to a refused role where it is not the usual one for the
    #: role's class (``expected_api_refusal``), with the reason in a comment.
    refused: dict[str, Refusal] = field(default_factory=dict)
    #: The same for a page (``expected_page_refusal``).
    page_refused: dict[str, PageRefusal] = field(default_factory=dict)
    #: Runs the whole case (stage, prepare and request) inside it: a set clock, settings.
    around: Callable[[], AbstractContextManager[Any]] | None = None

    def about_patient(self) -> bool:
        """Whether the path names patient A or something of theirs."""
        return bool(set(re.findall(r"\{([a-z_]+)\}", self.path)) - SERVICE_PLACEHOLDERS)


def expected_api_refusal(route: Route, role: str) -> Refusal:
    """What the API answers a role the route refuses (docs/architecture.md,
    "Errors"): 401 to nobody signed in; 404 to a family or a patient, who are
    never told that a staff-only thing or another patient's record exists; 403
    ``emergency_access_available`` to staff outside patient A's caseload; 403
    ``forbidden`` to staff whose role does not allow it; 404 to a volunteer
    on anything about patient A (they read the brief, not the record)."""
    if role in route.refused:
        return route.refused[role]
    if role == "anonymous":
        return NOT_SIGNED_IN
    if role == "volunteer" and route.about_patient():
        return NOT_FOUND
    if role in PORTAL_SIGN_INS:
        return NOT_FOUND
    if role in EMERGENCY_USERS and route.about_patient():
        return EMERGENCY_ACCESS
    return FORBIDDEN


def expected_page_refusal(route: Route, role: str) -> PageRefusal:
    """Where a page leaves a role it refuses: nobody signed in goes to sign in;
    a family or a patient to their portal (or "not found" for a portal page
    about someone else's patient); staff to their start page from a portal
    page; staff outside patient A's caseload to emergency access; a volunteer
    gets "not found" for anything about patient A; other staff get the
    refusal page."""
    if role in route.page_refused:
        return route.page_refused[role]
    if role == "anonymous":
        return TO_SIGN_IN
    portal_page = route.path.startswith("/portal/")
    if role in PORTAL_SIGN_INS:
        return PAGE_NOT_FOUND if portal_page else TO_THE_PORTAL
    if portal_page:
        return TO_STAFF_START
    if role == "volunteer" and route.about_patient():
        return PAGE_NOT_FOUND
    if role in EMERGENCY_USERS and route.about_patient():
        return TO_EMERGENCY_ACCESS
    return PAGE_FORBIDDEN
