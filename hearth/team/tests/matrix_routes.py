"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Team support is for staff: family and patient accounts get 403 from the team
API (404 from the patient-scoped debrief routes) and are sent to the portal by
the pages. Reads that every member of staff may make but that are narrowed to
their own rows (training, compliance, reminders, check-ins, case-load, the
debrief list) are declared for all staff; a second row names the nurse
(``staff_id``) to show the narrowing is real: only the nurse and those who keep
everyone's training get in.

Debriefs need a death: those rows run with patient A dead (``stage=DECEASED``).
The objects the routes act on are made through ``hearth.team.services`` by the
nurse, the administrator or the coordinator, never by the role under test:
``world.course`` (a mandatory course), ``world.record`` (the nurse's own
training record), ``world.reminder`` (the nurse's reminder for a missing
mandatory course) and ``world.debrief`` (the coordinator's debrief after the
death).
"""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.patients.choices import EpisodeState
from hearth.patients.tests.matrix import (
    FORBIDDEN,
    NOT_FOUND,
    ON_TEAM,
    PAGE_NOT_FOUND,
    STAFF,
    PageRefusal,
    Route,
)

#: ``team.manage_mandatory_courses``: the administrator and the clinical lead.
COURSE_KEEPERS = {"administrator", "clinical_lead"}
#: ``team.view_everyones_training`` / ``view_compliance``: the administrator,
#: the clinical lead and the coordinator.
TRAINING_KEEPERS = {"administrator", "clinical_lead", "coordinator"}
#: The nurse's own training: the nurse and those who keep everyone's.
NURSE_TRAINING = {"nurse"} | TRAINING_KEEPERS
#: The nurse's training record is not found for staff who do not keep training.
SOMEONE_ELSES_RECORD = dict.fromkeys(STAFF - NURSE_TRAINING, NOT_FOUND)
#: ``team.view_wellbeing_summary``: the clinical lead only.
WELLBEING_READERS = {"clinical_lead"}
#: ``team.view_deaths_without_debrief``: the coordinator and the clinical lead.
OVERSEERS = {"coordinator", "clinical_lead"}
#: ``team.view_debriefs`` / ``record_debrief``: patient A's team (now or at the
#: death), the coordinator and the clinical lead (not the administrator, the
#: commission, an outsider or the volunteer, who reads only the volunteer brief).
DEBRIEFERS = (ON_TEAM - {"volunteer"}) | OVERSEERS
#: A debrief is about patient A: a volunteer is told it does not exist.
DEBRIEF_NOT_FOUND_FOR_A_VOLUNTEER = {"volunteer": NOT_FOUND}
DEBRIEF_PAGE_NOT_FOUND_FOR_A_VOLUNTEER: dict[str, PageRefusal] = {"volunteer": PAGE_NOT_FOUND}


def _after_death(method: str, path: str, allowed: set[str], **options: Any) -> Route:
    """A debrief row: every case runs with patient A dead."""
    return Route(method, path, allowed, stage=EpisodeState.DECEASED, **options)


def _course(world: World, actor: Any) -> None:
    """A mandatory course for nurses, kept by the administrator (``world.course``)."""
    from hearth.team import services

    world.course = services.create_mandatory_course(  # type: ignore[attr-defined]
        actor=world.administrator,
        title="Syringe driver competency",
        renew_every_months=12,
        disciplines=["nurse"],
    )


def _record(world: World, actor: Any) -> None:
    """The nurse's own training record (``world.record``)."""
    from hearth.team import services

    world.record = services.record_training(  # type: ignore[attr-defined]
        actor=world.nurse,
        staff=world.nurse,
        course_title="Difficult conversations",
        provider="Hospice education team",
        hours="3",
        completed_on=clock.today(),
    )


def _reminder(world: World, actor: Any) -> None:
    """The nurse's reminder that a mandatory course is missing (``world.reminder``)."""
    from hearth.team import services
    from hearth.team.models import TrainingReminder

    _course(world, actor)
    services.send_training_reminders(actor=None)
    world.reminder = TrainingReminder.objects.get(staff=world.nurse)  # type: ignore[attr-defined]


def _debrief(world: World, actor: Any) -> None:
    """The coordinator's debrief after patient A's death (``world.debrief``)."""
    from hearth.team import services

    world.debrief = services.record_debrief(  # type: ignore[attr-defined]
        actor=world.coordinator,
        patient=world.patient,
        held_on=clock.today(),
        facilitator=world.coordinator,
        attendees=[world.nurse, world.physician],
        went_well="The family felt prepared.",
        could_be_better="Night cover for the syringe driver.",
    )


def _the_nurse(world: World, actor: Any) -> dict[str, Any]:
    return {"staff_id": str(world.nurse.external_id)}


def _course_body(world: World, actor: Any) -> dict[str, Any]:
    return {"title": "Moving and handling", "renew_every_months": 24, "disciplines": ["nurse"]}


def _training_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "course_title": "Advance care planning",
        "provider": "Regional hospice",
        "hours": "6",
        "completed_on": clock.today().isoformat(),
    }


def _nurse_training_body(world: World, actor: Any) -> dict[str, Any]:
    return {**_training_body(world, actor), **_the_nurse(world, actor)}


def _check_in_body(world: World, actor: Any) -> dict[str, Any]:
    return {"energy": 3, "sleep": 4, "supported": 4, "emotional_load": 2, "workload": 3}


def _debrief_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "held_on": clock.today().isoformat(),
        "facilitator_id": str(world.coordinator.external_id),
        "attendee_ids": [str(world.nurse.external_id), str(world.physician.external_id)],
        "went_well": "Symptoms were controlled at home.",
        "could_be_better": "Earlier anticipatory medicines.",
    }


def _reason(world: World, actor: Any) -> dict[str, Any]:
    return {"reason": "Entered in error."}


API_ROUTES: list[Route] = [
    # Mandatory courses: listed for all staff, kept by the administrator and clinical lead.
    Route("GET", "/api/v1/team/mandatory-courses", STAFF, prepare=_course),
    Route("POST", "/api/v1/team/mandatory-courses", COURSE_KEEPERS, body=_course_body),
    Route(
        "PATCH",
        "/api/v1/team/mandatory-courses/{course}",
        COURSE_KEEPERS,
        prepare=_course,
        body=lambda w, a: {"renew_every_months": 6},
    ),
    # Training: one's own for any staff; everyone's for the training keepers.
    Route("GET", "/api/v1/team/training", STAFF, prepare=_record),
    Route("GET", "/api/v1/team/training", NURSE_TRAINING, prepare=_record, body=_the_nurse),
    Route("POST", "/api/v1/team/training", STAFF, body=_training_body),
    Route("POST", "/api/v1/team/training", NURSE_TRAINING, body=_nurse_training_body),
    Route(
        "POST",
        "/api/v1/team/training/{record}/withdraw",
        NURSE_TRAINING,
        prepare=_record,
        body=_reason,
        refused=SOMEONE_ELSES_RECORD,
    ),
    # Compliance: everyone's for the keepers, one's own for other staff.
    Route("GET", "/api/v1/team/compliance", STAFF, prepare=_course),
    Route("GET", "/api/v1/team/compliance", NURSE_TRAINING, prepare=_course, body=_the_nurse),
    # Reminders: one's own only.
    Route("GET", "/api/v1/team/reminders", STAFF, prepare=_reminder),
    Route(
        "POST",
        "/api/v1/team/reminders/{reminder}/dismiss",
        {"nurse"},
        prepare=_reminder,
        refused=dict.fromkeys(STAFF - {"nurse"}, NOT_FOUND),  # the nurse's own reminder
    ),
    # Wellbeing: one's own check-ins; the clinical lead's aggregates.
    Route("GET", "/api/v1/team/wellbeing/check-ins", STAFF),
    Route("POST", "/api/v1/team/wellbeing/check-ins", STAFF, body=_check_in_body),
    Route("GET", "/api/v1/team/wellbeing/summary", WELLBEING_READERS),
    # Case-load: everyone's for the coordinator and clinical lead, one's own row otherwise.
    Route("GET", "/api/v1/team/caseload", STAFF),
    # Debriefs after patient A's death.
    _after_death("GET", "/api/v1/team/debriefs", STAFF, prepare=_debrief),
    _after_death("GET", "/api/v1/team/deaths-without-debrief", OVERSEERS),
    _after_death(
        "GET",
        "/api/v1/team/debriefs/{debrief}",
        DEBRIEFERS,
        prepare=_debrief,
        refused=DEBRIEF_NOT_FOUND_FOR_A_VOLUNTEER,
    ),
    _after_death(
        "POST",
        "/api/v1/team/debriefs/{debrief}/withdraw",
        DEBRIEFERS,
        prepare=_debrief,
        body=_reason,
        refused=DEBRIEF_NOT_FOUND_FOR_A_VOLUNTEER,
    ),
    # Debriefs are the team's own: emergency access to the record does not reach them.
    _after_death(
        "GET",
        "/api/v1/patients/{patient}/debriefs",
        DEBRIEFERS,
        prepare=_debrief,
        refused={"outsider_nurse": FORBIDDEN},
    ),
    _after_death(
        "POST",
        "/api/v1/patients/{patient}/debriefs",
        DEBRIEFERS,
        body=_debrief_body,
        refused={"outsider_nurse": FORBIDDEN},
    ),
]

PAGE_ROUTES: list[Route] = [
    Route("GET", "/team/", STAFF, prepare=_reminder),
    Route("GET", "/team/training/", STAFF, prepare=_record),
    Route("GET", "/team/training/add/", STAFF),
    Route("GET", "/team/training/{record}/withdraw/", NURSE_TRAINING, prepare=_record),
    Route("POST", "/team/reminders/{reminder}/dismiss/", {"nurse"}, ok=(302,), prepare=_reminder),
    Route("GET", "/team/compliance/", TRAINING_KEEPERS, prepare=_course),
    Route("GET", "/team/courses/", STAFF, prepare=_course),
    Route("GET", "/team/courses/add/", COURSE_KEEPERS),
    Route("GET", "/team/courses/{course}/edit/", COURSE_KEEPERS, prepare=_course),
    Route("GET", "/team/wellbeing/", STAFF),
    Route("GET", "/team/wellbeing/summary/", WELLBEING_READERS),
    Route("GET", "/team/caseload/", STAFF),
    _after_death("GET", "/team/debriefs/", STAFF, prepare=_debrief),
    _after_death(
        "GET",
        "/team/debriefs/{debrief}/",
        DEBRIEFERS,
        prepare=_debrief,
        page_refused=DEBRIEF_PAGE_NOT_FOUND_FOR_A_VOLUNTEER,
    ),
    _after_death(
        "GET",
        "/team/debriefs/{debrief}/withdraw/",
        DEBRIEFERS,
        prepare=_debrief,
        page_refused=DEBRIEF_PAGE_NOT_FOUND_FOR_A_VOLUNTEER,
    ),
    _after_death("GET", "/patients/{patient}/debriefs/", DEBRIEFERS, prepare=_debrief),
    _after_death("GET", "/patients/{patient}/debriefs/add/", DEBRIEFERS),
]
