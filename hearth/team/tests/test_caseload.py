"""Case-load per member of staff: counts, who sees whose, constant queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.conftest import World
from hearth.core import clock
from hearth.monitoring.models import Alert
from hearth.patients import services as patients
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment
from hearth.team import queries
from hearth.visits.choices import VisitStatus
from hearth.visits.tests.conftest import home_visit


def row_of(rows: list[Any], user: Any) -> Any:
    return next(row for row in rows if row.staff == user)


def test_it_counts_patients_by_role_visits_and_alerts(world: World) -> None:
    world.bring_to("active")
    patients.assign_to_care_team(
        actor=world.coordinator,
        patient=world.other_patient,
        staff=world.nurse,
        role=CareTeamRole.NURSE,
    )
    ended = CareTeamAssignment.objects.create(
        patient=world.other_patient,
        staff=world.physician,
        role=CareTeamRole.PHYSICIAN,
        assigned_by=world.coordinator,
    )
    ended.ended_at = clock.now()
    ended.save(update_fields=["ended_at"])
    monday, sunday = queries.week_of(clock.today())
    home_visit(world, day=monday)
    home_visit(world, day=sunday, status=VisitStatus.COMPLETED)
    home_visit(world, day=monday, status=VisitStatus.CANCELLED)
    home_visit(world, day=monday - timedelta(days=1))  # last week
    Alert.objects.create(
        patient=world.patient,
        rule="help_requested",
        severity="high",
        summary="x",
        owner=world.nurse,
    )
    Alert.objects.create(
        patient=world.patient,
        rule="esas_pain",
        severity="high",
        summary="y",
        owner=world.nurse,
        status="resolved",
    )
    rows = queries.caseload(world.coordinator)
    nurse = row_of(rows, world.nurse)
    assert nurse.by_role == {CareTeamRole.KEY_NURSE: 1, CareTeamRole.NURSE: 1}
    assert (nurse.patients, nurse.in_active_care) == (2, 1)
    assert (nurse.visits_this_week, nurse.visits_done_this_week) == (2, 1)
    assert nurse.open_alerts == 1
    physician = row_of(rows, world.physician)
    assert physician.by_role == {CareTeamRole.LEAD_PHYSICIAN: 1}  # the ended one is not counted
    assert row_of(rows, world.outsider_nurse).patients == 0


def test_a_closed_episode_is_no_longer_on_the_case_load(world: World) -> None:
    world.bring_to("closed")
    assert row_of(queries.caseload(world.coordinator), world.nurse).patients == 0


def test_the_number_of_queries_does_not_grow_with_the_team(world: World) -> None:
    world.bring_to("active")
    with CaptureQueriesContext(connection) as few:
        queries.caseload(world.clinical_lead)
    patients.assign_to_care_team(
        actor=world.coordinator,
        patient=world.other_patient,
        staff=world.outsider_nurse,
        role=CareTeamRole.NURSE,
    )
    home_visit(world, staff=world.outsider_nurse, patient=world.other_patient)
    with CaptureQueriesContext(connection) as more:
        queries.caseload(world.clinical_lead)
    assert len(more) == len(few) <= 8


def test_staff_see_their_own_row_the_coordinator_and_lead_everyone(
    world: World, client_for: Any
) -> None:
    world.bring_to("active")
    mine = client_for(world.nurse).get("/api/v1/team/caseload").json()["items"]
    assert [row["staff"]["id"] for row in mine] == [str(world.nurse.external_id)]
    assert mine[0]["by_role"] == {"key_nurse": 1}
    page = client_for(world.nurse).get("/team/caseload/")
    assert [row.staff for row in page.context["rows"]] == [world.nurse]
    for user in (world.administrator, world.physician):
        assert len(client_for(user).get("/api/v1/team/caseload").json()["items"]) == 1
    for user in (world.coordinator, world.clinical_lead):
        rows = client_for(user).get("/api/v1/team/caseload").json()["items"]
        assert len(rows) > 10
        assert client_for(user).get("/team/caseload/").status_code == 200
    assert client_for(world.family).get("/api/v1/team/caseload").status_code == 404


def test_my_caseload_on_my_page_is_mine_even_for_the_coordinator(
    world: World, client_for: Any
) -> None:
    """Issue 20: "My case-load" showed the first member of staff's figures to
    the coordinator and the clinical lead."""
    world.bring_to("active")
    home_visit(world, day=clock.today())
    assert queries.own_caseload(world.nurse).patients >= 1
    for overseer in (world.coordinator, world.clinical_lead):
        own = queries.own_caseload(overseer)
        assert own.staff == overseer
        page = client_for(overseer).get("/team/").content.decode()
        assert "You have no case-load of your own" in page
        assert "/team/caseload/" in page
    nurse_page = client_for(world.nurse).get("/team/").content.decode()
    assert "You have no case-load of your own" not in nurse_page
    assert "The team&#x27;s case-load" not in nurse_page
