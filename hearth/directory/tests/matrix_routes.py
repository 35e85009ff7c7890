"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

The directory: entries and service areas (public information, no patient) and
patient A's next steps (health data, opened through the patient). The objects
the routes act on are made through ``hearth.directory.services`` by the
coordinator or the team's social worker, never by the role under test:
``world.region`` (an area), ``world.entry`` (a listed entry),
``world.retired_entry`` (an entry taken out of the directory) and
``world.step`` (``world.entry`` suggested to patient A's family).
"""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.patients.tests.matrix import (
    BEREAVEMENT_TEAM,
    OPENERS,
    PORTAL,
    PORTAL_PAGES,
    SIGNED_IN,
    STAFF,
    Route,
)

#: ``directory.maintain_directory``: the coordinator, social workers and the
#: administrator, anywhere in the service (the directory has no patient).
MAINTAINERS = {"coordinator", "social_worker", "administrator"}
#: ``directory.view_retired_entries``: staff; the family and the patient get 404.
RETIRED_READERS = STAFF
#: ``directory.view_next_steps``: whoever may open patient A, the family and the patient.
STEP_READERS = OPENERS | PORTAL
#: ``directory.add_next_step`` / ``change_next_step``: the family-support roles who
#: may open patient A (the team's physician, nurse, social worker, psychologist,
#: chaplain, and the coordinator); not the volunteer, the administrator or the commission.
STEP_KEEPERS = BEREAVEMENT_TEAM
#: ``directory.mark_next_step_done``: the team above, and the family and the patient
#: (status to do / done only).
STEP_MARKERS = STEP_KEEPERS | PORTAL


def _entry_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "category": "paperwork",
        "topic": "benefits",
        "name": "Matrix advice centre",
        "organisation": "",
        "description": "Free help with benefit forms.",
        "how_to": "",
        "regions": ["all"],
        "address": "",
        "phone": "020 7946 0000",
        "email": "",
        "website": "",
        "opening_hours": "",
        "languages": ["en"],
        "faiths_served": [],
    }
    details.update(overrides)
    return details


def _region(world: World, actor: Any) -> None:
    """An area in use (``world.region``)."""
    from hearth.directory import services

    world.region = services.create_region(actor=world.coordinator, name="Camden")  # type: ignore[attr-defined]


def _entry(world: World, actor: Any) -> None:
    """A listed entry serving every area (``world.entry``)."""
    from hearth.directory import services

    world.entry = services.create_entry(actor=world.coordinator, **_entry_details())  # type: ignore[attr-defined]


def _retired_entry(world: World, actor: Any) -> None:
    """An entry the coordinator took out of the directory (``world.retired_entry``)."""
    from hearth.directory import services

    entry = services.create_entry(
        actor=world.coordinator, **_entry_details(name="Closed advice centre")
    )
    world.retired_entry = services.retire_entry(  # type: ignore[attr-defined]
        actor=world.coordinator, entry=entry, reason="Closed down."
    )


def _step(world: World, actor: Any) -> None:
    """``world.entry`` suggested to patient A's family by the social worker (``world.step``)."""
    from hearth.directory import services

    _entry(world, actor)
    world.step = services.add_next_step(  # type: ignore[attr-defined]
        actor=world.social_worker,
        patient=world.patient,
        entry=world.entry,  # type: ignore[attr-defined]
        note="Call them on Monday to ask for the attendance allowance form.",
    )


def _new_entry_body(world: World, actor: Any) -> dict[str, Any]:
    return _entry_details(name="New advice centre")


def _new_entry_form(world: World, actor: Any) -> dict[str, Any]:
    return {
        key: value
        for key, value in _entry_details(name="New advice centre").items()
        if value not in ("", [])
    }


def _step_body(world: World, actor: Any) -> dict[str, Any]:
    return {"entry_id": str(world.entry.external_id), "note": "Ask for form AA1."}  # type: ignore[attr-defined]


def _step_form(world: World, actor: Any) -> dict[str, Any]:
    return {"entry": str(world.entry.external_id), "note": "Ask for form AA1."}  # type: ignore[attr-defined]


API_ROUTES: list[Route] = [
    # Areas
    Route("GET", "/api/v1/directory/regions", SIGNED_IN, prepare=_region),
    Route("POST", "/api/v1/directory/regions", MAINTAINERS, body=lambda w, a: {"name": "Hackney"}),
    Route(
        "PATCH",
        "/api/v1/directory/regions/{region}",
        MAINTAINERS,
        prepare=_region,
        body=lambda w, a: {"name": "Camden Town"},
    ),
    Route(
        "PATCH",
        "/api/v1/directory/regions/{region}",
        MAINTAINERS,
        prepare=_region,
        body=lambda w, a: {"active": False},
        key="region_out_of_use",
    ),
    # Entries: searching and reading is for everyone signed in.
    Route("GET", "/api/v1/directory/entries", SIGNED_IN, prepare=_entry),
    Route("POST", "/api/v1/directory/entries", MAINTAINERS, body=_new_entry_body),
    Route("GET", "/api/v1/directory/entries/{entry}", SIGNED_IN, prepare=_entry),
    # A retired entry: staff still read it (next steps point to it); the family get 404.
    Route(
        "GET", "/api/v1/directory/entries/{retired_entry}", RETIRED_READERS, prepare=_retired_entry
    ),
    Route(
        "PATCH",
        "/api/v1/directory/entries/{entry}",
        MAINTAINERS,
        prepare=_entry,
        body=lambda w, a: {"phone": "020 7946 0001"},
    ),
    Route(
        "PATCH",
        "/api/v1/directory/entries/{entry}",
        MAINTAINERS,
        prepare=_entry,
        body=lambda w, a: {"reviewed": True},
        key="checked",
    ),
    Route(
        "PATCH",
        "/api/v1/directory/entries/{entry}",
        MAINTAINERS,
        prepare=_entry,
        body=lambda w, a: {"active": False, "retired_reason": "Closed down."},
        key="retire",
    ),
    Route(
        "PATCH",
        "/api/v1/directory/entries/{retired_entry}",
        MAINTAINERS,
        prepare=_retired_entry,
        body=lambda w, a: {"active": True},
        key="reinstate",
    ),
    # Patient A's next steps
    Route("GET", "/api/v1/patients/{patient}/next-steps", STEP_READERS, prepare=_step),
    Route(
        "POST",
        "/api/v1/patients/{patient}/next-steps",
        STEP_KEEPERS,
        prepare=_entry,
        body=_step_body,
    ),
    # The team changes the note; the family may not (403).
    Route(
        "PATCH",
        "/api/v1/next-steps/{step}",
        STEP_KEEPERS,
        prepare=_step,
        body=lambda w, a: {"note": "Ask for form AA1 by name."},
    ),
    # The family and the patient tick a step off, like the team.
    Route(
        "PATCH",
        "/api/v1/next-steps/{step}",
        STEP_MARKERS,
        prepare=_step,
        body=lambda w, a: {"status": "done"},
        key="status_done",
    ),
    # Only the team says a step is no longer needed.
    Route(
        "PATCH",
        "/api/v1/next-steps/{step}",
        STEP_KEEPERS,
        prepare=_step,
        body=lambda w, a: {"status": "not_needed"},
        key="status_not_needed",
    ),
]

PAGE_ROUTES: list[Route] = [
    # Search and entries
    Route("GET", "/directory/", SIGNED_IN, prepare=_entry),
    Route("GET", "/directory/entries/add/", MAINTAINERS),
    Route("POST", "/directory/entries/add/", MAINTAINERS, ok=(302,), body=_new_entry_form),
    Route("GET", "/directory/entries/{entry}/", SIGNED_IN, prepare=_entry),
    Route("GET", "/directory/entries/{retired_entry}/", RETIRED_READERS, prepare=_retired_entry),
    Route("GET", "/directory/entries/{entry}/edit/", MAINTAINERS, prepare=_entry),
    Route("GET", "/directory/entries/{entry}/retire/", MAINTAINERS, prepare=_entry),
    Route(
        "POST",
        "/directory/entries/{entry}/retire/",
        MAINTAINERS,
        ok=(302,),
        prepare=_entry,
        body=lambda w, a: {"reason": "Closed down."},
    ),
    Route(
        "GET", "/directory/entries/{retired_entry}/reinstate/", MAINTAINERS, prepare=_retired_entry
    ),
    Route(
        "POST",
        "/directory/entries/{retired_entry}/reinstate/",
        MAINTAINERS,
        ok=(302,),
        prepare=_retired_entry,
    ),
    Route("POST", "/directory/entries/{entry}/checked/", MAINTAINERS, ok=(302,), prepare=_entry),
    # Areas
    Route("GET", "/directory/regions/", MAINTAINERS, prepare=_region),
    Route(
        "POST",
        "/directory/regions/",
        MAINTAINERS,
        ok=(302,),
        body=lambda w, a: {"name": "Hackney"},
    ),
    Route("GET", "/directory/regions/{region}/", MAINTAINERS, prepare=_region),
    # Patient A's next steps (the team's pages)
    Route("GET", "/patients/{patient}/next-steps/", OPENERS, prepare=_step),
    Route("GET", "/patients/{patient}/next-steps/add/", STEP_KEEPERS, prepare=_entry),
    Route(
        "POST",
        "/patients/{patient}/next-steps/add/",
        STEP_KEEPERS,
        ok=(302,),
        prepare=_entry,
        body=_step_form,
    ),
    Route("GET", "/directory/next-steps/{step}/", STEP_KEEPERS, prepare=_step),
    Route(
        "POST",
        "/directory/next-steps/{step}/",
        STEP_KEEPERS,
        ok=(302,),
        prepare=_step,
        body=lambda w, a: {"status": "not_needed", "note": "Sorted by the council."},
    ),
    # The portal: each family member their own patient's next steps.
    Route("GET", "/portal/next-steps/", PORTAL_PAGES, prepare=_step),
    # Ticking off patient A's step: the family and the patient of patient A.
    Route(
        "POST",
        "/portal/next-steps/{step}/status/",
        PORTAL,
        ok=(302,),
        prepare=_step,
        body=lambda w, a: {"status": "done"},
    ),
]
