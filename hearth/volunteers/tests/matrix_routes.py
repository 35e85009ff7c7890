"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Volunteers: the coordinator's profiles, training, status and assignments;
a volunteer's own page and availability; a person's volunteers (staff who
may open the record) and the family's portal page.

The objects the routes act on are made through ``hearth.volunteers.services``
by the coordinator, never by the role under test:
``world.volunteer_profile`` (the team's volunteer, ``world.volunteer``, with a
current background check and every training module: eligible to be assigned),
``world.training``, ``world.slot`` and ``world.away`` on that profile,
``world.volunteer_assignment`` (that volunteer proposed for patient A) and
``world.new_volunteer`` (a volunteer sign-in with no profile yet).

``{assignment}`` in a path is patient A's care-team place of the volunteer
(see ``_fill``), so a volunteer assignment is ``{volunteer_assignment}``.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from hearth.conftest import World
from hearth.patients.tests.matrix import OPENERS, PORTAL_PAGES, Route

#: ``volunteers.view_volunteers`` / ``manage_volunteers`` / ``assign_volunteers``:
#: the coordinator only.
COORDINATOR = {"coordinator"}
#: ``volunteers.manage_availability`` on ``world.volunteer``'s own profile:
#: the volunteer themselves and the coordinator.
AVAILABILITY = {"coordinator", "volunteer"}
#: ``volunteers.view_own``: a volunteer (with a profile) reads their own page.
OWN_PAGE = {"volunteer"}
#: The volunteer brief: the volunteer on assignment, and staff who may open
#: the record (to know what the volunteer is told). The family and strangers:
#: not found; staff outside the caseload: offered emergency access.
BRIEF_READERS = OPENERS | {"volunteer"}


def _volunteer_profile(world: World, actor: Any) -> None:
    """The team's volunteer, vetted and fully trained (``world.volunteer_profile``)."""
    from hearth.core import clock
    from hearth.volunteers import services
    from hearth.volunteers.choices import Activity, TrainingModule

    today = clock.today()
    profile = services.create_profile(
        actor=world.coordinator,
        volunteer=world.volunteer,
        started_on=today - timedelta(days=400),
        offers=[activity.value for activity in Activity],
        area="Hackney",
        vetting_checked_on=today - timedelta(days=100),
        vetting_expires_on=today + timedelta(days=900),
        notes="Prefers afternoons.",
    )
    for module in TrainingModule:
        world.training = services.record_training(  # type: ignore[attr-defined]
            actor=world.coordinator,
            profile=profile,
            module=module.value,
            completed_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=700),
        )
    world.volunteer_profile = profile  # type: ignore[attr-defined]


def _slot(world: World, actor: Any) -> None:
    """Tuesdays 14:00–17:00 on the volunteer's profile (``world.slot``)."""
    from hearth.volunteers import services

    _volunteer_profile(world, actor)
    world.slot = services.add_weekly_slot(  # type: ignore[attr-defined]
        actor=world.coordinator,
        profile=world.volunteer_profile,  # type: ignore[attr-defined]
        weekday=1,
        starts_at=time(14, 0),
        ends_at=time(17, 0),
    )


def _away(world: World, actor: Any) -> None:
    """A week away next month on the volunteer's profile (``world.away``)."""
    from hearth.core import clock
    from hearth.volunteers import services

    _volunteer_profile(world, actor)
    start = clock.today() + timedelta(days=30)
    world.away = services.add_unavailable_period(  # type: ignore[attr-defined]
        actor=world.coordinator,
        profile=world.volunteer_profile,  # type: ignore[attr-defined]
        starts_on=start,
        ends_on=start + timedelta(days=6),
        note="Holiday",
    )


def _proposed(world: World, actor: Any) -> None:
    """The volunteer proposed to sit with patient A (``world.volunteer_assignment``).
    The volunteer is already on patient A's care team, so starting it adds no
    second care-team place."""
    from hearth.core import clock
    from hearth.volunteers import services

    _volunteer_profile(world, actor)
    world.volunteer_assignment = services.propose_assignment(  # type: ignore[attr-defined]
        actor=world.coordinator,
        patient=world.patient,
        volunteer=world.volunteer,
        kind="sitting",
        starts_on=clock.today(),
        usual_times="Tuesdays 2–5 pm",
    )


def _started(world: World, actor: Any) -> None:
    """The volunteer's assignment to patient A started (it keeps their care-team place)."""
    from hearth.volunteers import services

    _proposed(world, actor)
    services.activate_assignment(
        actor=world.coordinator,
        assignment=world.volunteer_assignment,  # type: ignore[attr-defined]
    )


def _new_volunteer(world: World, actor: Any) -> None:
    """A volunteer's sign-in with no profile yet (``world.new_volunteer``)."""
    from hearth.accounts.models import Discipline
    from hearth.conftest import make_user

    world.new_volunteer = make_user(  # type: ignore[attr-defined]
        "vol.matrix", discipline=Discipline.VOLUNTEER
    )


def _new_profile_body(world: World, actor: Any) -> dict[str, Any]:
    from hearth.core import clock

    return {
        "volunteer_id": str(world.new_volunteer.external_id),  # type: ignore[attr-defined]
        "started_on": clock.today().isoformat(),
        "offers": ["sitting", "companionship"],
        "area": "Islington",
    }


def _training_body(world: World, actor: Any) -> dict[str, Any]:
    from hearth.core import clock

    return {"module": "manual_handling", "completed_on": clock.today().isoformat()}


def _away_body(world: World, actor: Any) -> dict[str, Any]:
    from hearth.core import clock

    start = clock.today() + timedelta(days=60)
    return {
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=3)).isoformat(),
        "note": "Family visit",
    }


def _proposal_body(world: World, actor: Any) -> dict[str, Any]:
    from hearth.core import clock

    return {
        "volunteer_id": str(world.volunteer.external_id),
        "kind": "companionship",
        "starts_on": clock.today().isoformat(),
        "usual_times": "Fridays 10–12",
    }


API_ROUTES: list[Route] = [
    # The coordinator: profiles, training and status.
    Route("GET", "/api/v1/volunteers", COORDINATOR, prepare=_proposed),
    Route(
        "POST", "/api/v1/volunteers", COORDINATOR, prepare=_new_volunteer, body=_new_profile_body
    ),
    # The volunteer's own profile (404 without one: the profile is made first).
    Route("GET", "/api/v1/volunteers/me", OWN_PAGE, prepare=_proposed),
    Route("GET", "/api/v1/volunteers/{volunteer_profile}", COORDINATOR, prepare=_volunteer_profile),
    Route(
        "PATCH",
        "/api/v1/volunteers/{volunteer_profile}",
        COORDINATOR,
        prepare=_volunteer_profile,
        body=lambda w, a: {"area": "Hackney and Islington"},
    ),
    Route(
        "POST",
        "/api/v1/volunteers/{volunteer_profile}/status",
        COORDINATOR,
        prepare=_volunteer_profile,
        body=lambda w, a: {"status": "paused", "note": "Exams this month."},
    ),
    Route(
        "POST",
        "/api/v1/volunteers/{volunteer_profile}/training",
        COORDINATOR,
        prepare=_volunteer_profile,
        body=_training_body,
    ),
    Route(
        "POST",
        "/api/v1/volunteer-training/{training}/withdraw",
        COORDINATOR,
        prepare=_volunteer_profile,
        body=lambda w, a: {"reason": "Recorded against the wrong volunteer."},
    ),
    # Availability: the volunteer their own, the coordinator anyone's.
    Route(
        "POST",
        "/api/v1/volunteers/{volunteer_profile}/weekly-slots",
        AVAILABILITY,
        prepare=_volunteer_profile,
        body=lambda w, a: {"weekday": 3, "starts_at": "10:00", "ends_at": "12:00"},
    ),
    Route("DELETE", "/api/v1/volunteer-slots/{slot}", AVAILABILITY, ok=(204,), prepare=_slot),
    Route(
        "POST",
        "/api/v1/volunteers/{volunteer_profile}/away",
        AVAILABILITY,
        prepare=_volunteer_profile,
        body=_away_body,
    ),
    Route("DELETE", "/api/v1/volunteer-away/{away}", AVAILABILITY, ok=(204,), prepare=_away),
    # Patient A's volunteers: staff who may open the record; the coordinator assigns.
    Route("GET", "/api/v1/patients/{patient}/volunteers", OPENERS, prepare=_proposed),
    Route(
        "POST",
        "/api/v1/patients/{patient}/volunteers",
        COORDINATOR,
        prepare=_volunteer_profile,
        body=_proposal_body,
    ),
    Route(
        "POST",
        "/api/v1/volunteer-assignments/{volunteer_assignment}/activate",
        COORDINATOR,
        prepare=_proposed,
    ),
    Route(
        "POST",
        "/api/v1/volunteer-assignments/{volunteer_assignment}/end",
        COORDINATOR,
        prepare=_proposed,
        body=lambda w, a: {"reason": "not_taken_up"},
    ),
    # The family's own patient's volunteers (another family reads their own).
    Route("GET", "/api/v1/portal/volunteers", PORTAL_PAGES, prepare=_proposed),
    # The brief a volunteer reads instead of the record.
    Route("GET", "/api/v1/patients/{patient}/volunteer-brief", BRIEF_READERS, prepare=_started),
]

PAGE_ROUTES: list[Route] = [
    # The coordinator
    Route("GET", "/volunteers/", COORDINATOR, prepare=_proposed),
    Route("GET", "/volunteers/add/", COORDINATOR, prepare=_new_volunteer),
    Route("GET", "/volunteers/{volunteer_profile}/", COORDINATOR, prepare=_proposed),
    Route("GET", "/volunteers/{volunteer_profile}/edit/", COORDINATOR, prepare=_volunteer_profile),
    Route(
        "GET", "/volunteers/{volunteer_profile}/status/", COORDINATOR, prepare=_volunteer_profile
    ),
    Route(
        "GET",
        "/volunteers/{volunteer_profile}/training/add/",
        COORDINATOR,
        prepare=_volunteer_profile,
    ),
    Route(
        "GET", "/volunteers/training/{training}/withdraw/", COORDINATOR, prepare=_volunteer_profile
    ),
    # Availability: the volunteer their own, the coordinator anyone's.
    Route(
        "GET",
        "/volunteers/{volunteer_profile}/slots/add/",
        AVAILABILITY,
        prepare=_volunteer_profile,
    ),
    Route("GET", "/volunteers/slots/{slot}/remove/", AVAILABILITY, prepare=_slot),
    Route(
        "GET", "/volunteers/{volunteer_profile}/away/add/", AVAILABILITY, prepare=_volunteer_profile
    ),
    Route("GET", "/volunteers/away/{away}/remove/", AVAILABILITY, prepare=_away),
    # The volunteer's own page.
    Route("GET", "/volunteers/me/", OWN_PAGE, prepare=_proposed),
    # Assignments: the coordinator.
    Route(
        "GET",
        "/volunteers/assignments/{volunteer_assignment}/start/",
        COORDINATOR,
        prepare=_proposed,
    ),
    Route(
        "POST",
        "/volunteers/assignments/{volunteer_assignment}/start/",
        COORDINATOR,
        ok=(302,),
        prepare=_proposed,
    ),
    Route(
        "GET",
        "/volunteers/assignments/{volunteer_assignment}/end/",
        COORDINATOR,
        prepare=_proposed,
    ),
    # Patient A's volunteers: staff who may open the record; the coordinator assigns.
    Route("GET", "/patients/{patient}/volunteers/", OPENERS, prepare=_proposed),
    Route("GET", "/patients/{patient}/volunteers/assign/", COORDINATOR, prepare=_volunteer_profile),
    # The brief a volunteer reads instead of the record.
    Route("GET", "/patients/{patient}/volunteer-brief/", BRIEF_READERS, prepare=_started),
    # The family portal: their own patient's volunteers (another family sees theirs).
    Route("GET", "/portal/volunteers/", PORTAL_PAGES, prepare=_proposed),
]
