"""Proposed → active → ended, and what that does to the care team (and so to
which records the volunteer can open)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.patients import access
from hearth.patients import services as patient_services
from hearth.patients.models import CareTeamAssignment
from hearth.volunteers import queries, services
from hearth.volunteers.choices import Activity

from .conftest import make_profile, new_volunteer, propose


def _places(world: World, volunteer: object) -> list[CareTeamAssignment]:
    return list(
        CareTeamAssignment.objects.current().filter(
            patient=world.patient, staff=volunteer, role="volunteer"
        )
    )


def test_starting_puts_the_volunteer_on_the_care_team_and_ending_takes_them_off(
    active: World,
) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    assert not access.volunteer_on_assignment(volunteer, active.patient)

    services.activate_assignment(actor=active.coordinator, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == "active"
    assert assignment.created_care_team_assignment
    assert _places(active, volunteer) == [assignment.care_team_assignment]
    assert access.volunteer_on_assignment(volunteer, active.patient)
    assert access.can_read_volunteer_brief(volunteer, active.patient)
    assert not access.can_read_volunteer_brief(volunteer, active.other_patient)
    # The brief, never the clinical record (issue 18, least privilege).
    assert not access.staff_can_open(volunteer, active.patient)

    services.end_assignment(
        actor=active.coordinator, assignment=assignment, reason="family_request"
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.end_reason) == ("ended", "family_request")
    assert _places(active, volunteer) == []
    assert not access.can_read_volunteer_brief(volunteer, active.patient)
    events = set(
        AuditEvent.objects.filter(patient_id=active.patient.pk).values_list("event_type", flat=True)
    )
    assert {
        "volunteer.assignment_proposed",
        "volunteer.assignment_active",
        "volunteer.assignment_ended",
        "care_team.assigned",
        "care_team.ended",
    } <= events


def test_a_place_the_coordinator_gave_by_hand_is_kept(active: World) -> None:
    """The world's volunteer is on patient A's team already: the assignment
    uses that place and does not take it away at the end."""
    make_profile(active, active.volunteer)
    (place,) = _places(active, active.volunteer)
    assignment = propose(active, active.volunteer)
    services.activate_assignment(actor=active.coordinator, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.care_team_assignment == place
    assert not assignment.created_care_team_assignment
    services.end_assignment(
        actor=active.coordinator, assignment=assignment, reason="no_longer_needed"
    )
    assert _places(active, active.volunteer) == [place]


def test_the_place_stays_while_another_assignment_is_active(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    sitting = propose(active, volunteer)
    errands = propose(active, volunteer, kind=Activity.ERRANDS)
    services.activate_assignment(actor=active.coordinator, assignment=sitting)
    services.activate_assignment(actor=active.coordinator, assignment=errands)
    assert len(_places(active, volunteer)) == 1
    services.end_assignment(actor=active.coordinator, assignment=sitting, reason="no_longer_needed")
    assert len(_places(active, volunteer)) == 1
    assert access.volunteer_on_assignment(volunteer, active.patient)
    services.end_assignment(actor=active.coordinator, assignment=errands, reason="no_longer_needed")
    assert _places(active, volunteer) == []


def test_a_proposal_can_be_withdrawn_without_touching_the_team(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    services.end_assignment(actor=active.coordinator, assignment=assignment, reason="not_taken_up")
    assert _places(active, volunteer) == []
    with pytest.raises(InvalidTransition):
        services.activate_assignment(actor=active.coordinator, assignment=assignment)
    with pytest.raises(InvalidTransition):
        services.end_assignment(actor=active.coordinator, assignment=assignment, reason="other")


def test_transitions_and_reasons_are_checked(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    services.activate_assignment(actor=active.coordinator, assignment=assignment)
    with pytest.raises(InvalidTransition):
        services.activate_assignment(actor=active.coordinator, assignment=assignment)
    with pytest.raises(ValidationFailed) as refused:
        services.end_assignment(actor=active.coordinator, assignment=assignment, reason="other")
    assert "note" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.end_assignment(actor=active.coordinator, assignment=assignment, reason="bored")
    with pytest.raises(Conflict):
        propose(active, volunteer)


def test_dates_are_checked(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    today = clock.today()
    with pytest.raises(ValidationFailed) as refused:
        propose(active, volunteer, starts_on=today.replace(year=today.year - 1))
    assert "starts_on" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        propose(active, volunteer, ends_on=today.replace(year=today.year - 1))
    assert "ends_on" in refused.value.field_errors


def test_only_the_coordinator_assigns(active: World) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    for who in (active.nurse, active.physician, active.volunteer, active.family):
        with pytest.raises(NotAllowed):
            propose(active, volunteer, actor=who)
    assignment = propose(active, volunteer)
    for who in (active.nurse, volunteer):
        with pytest.raises(NotAllowed):
            services.activate_assignment(actor=who, assignment=assignment)
        with pytest.raises(NotAllowed):
            services.end_assignment(actor=who, assignment=assignment, reason="other", note="x")


def test_only_the_coordinator_manages_profiles_and_training(active: World) -> None:
    volunteer = new_volunteer()
    with pytest.raises(NotAllowed):
        services.create_profile(actor=active.nurse, volunteer=volunteer, started_on=clock.today())
    profile = make_profile(active, volunteer)
    for who in (active.nurse, volunteer, active.administrator):
        with pytest.raises(NotAllowed):
            services.update_profile(actor=who, profile=profile, changes={"area": "Anywhere"})
        with pytest.raises(NotAllowed):
            services.record_training(
                actor=who, profile=profile, module="induction", completed_on=clock.today()
            )
        with pytest.raises(NotAllowed):
            services.set_status(actor=who, profile=profile, status="paused")


def test_a_profile_is_only_for_a_volunteer_and_only_once(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.create_profile(
            actor=active.coordinator, volunteer=active.nurse, started_on=clock.today()
        )
    assert "volunteer" in refused.value.field_errors
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    with pytest.raises(Conflict):
        services.create_profile(
            actor=active.coordinator, volunteer=volunteer, started_on=clock.today()
        )


def test_a_volunteer_with_families_is_not_paused_until_they_are_handed_over(
    active: World,
) -> None:
    volunteer = new_volunteer()
    profile = make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    with pytest.raises(InvalidTransition, match="Alice Able"):
        services.set_status(actor=active.coordinator, profile=profile, status="left")
    services.end_assignment(
        actor=active.coordinator, assignment=assignment, reason="other", note="Moving away"
    )
    assert (
        services.set_status(actor=active.coordinator, profile=profile, status="left").status
        == "left"
    )


def test_an_open_assignment_is_flagged_when_care_at_home_ends(active: World, settings: Any) -> None:
    # A service that ends assignments by hand (by default a death or a
    # discharge ends them: test_care_end.py).
    settings.HEARTH_CARE_END_END_VOLUNTEER_ASSIGNMENTS = False
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    services.activate_assignment(actor=active.coordinator, assignment=assignment)
    (row,) = queries.patient_assignments(active.patient)
    assert row.care_ended is None
    patient_services.record_death(
        actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
    )
    (row,) = queries.patient_assignments(active.patient)
    assert row.care_ended and "not in active home care" in row.care_ended
    assert queries.panel(active.patient)["rows"][0].care_ended
    services.end_assignment(actor=active.coordinator, assignment=assignment, reason="patient_died")
    (row,) = queries.patient_assignments(active.patient)
    assert row.care_ended is None


def test_the_list_reads_in_constant_queries(active: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries_run:
            rows = queries.volunteer_rows(active.coordinator)
            assert all(row.assignments for row in rows)
        return len(queries_run)

    first = new_volunteer("vol.one")
    make_profile(active, first)
    propose(active, first)
    once = count()
    for name in ("vol.two", "vol.three", "vol.four"):
        volunteer = new_volunteer(name)
        make_profile(active, volunteer)
        propose(active, volunteer)
    assert count() == once
