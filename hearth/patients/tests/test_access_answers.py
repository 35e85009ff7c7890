"""Who may see a patient costs what the person's caseload costs, not the
service: the list is one UNION of indexed look-ups, and a request asks each
access question once (issue 21) and forgets the answer when access changes."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.accounts.models import Discipline
from hearth.conftest import World, make_user
from hearth.core import context
from hearth.patients import access, services
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment

#: The care-team question of ``access.on_care_team``: one row, this person, this patient.
CARE_TEAM_CHECK = re.compile(
    r'FROM "patients_careteamassignment" WHERE .*"staff_id" = \d+.* LIMIT 1', re.S
)


def _care_team_checks(sqls: list[str]) -> int:
    return sum(1 for sql in sqls if CARE_TEAM_CHECK.search(sql))


def test_the_record_page_asks_the_care_team_question_once(world: World, client_for: Any) -> None:
    nurse = client_for(world.nurse)
    record = f"/patients/{world.patient.external_id}/"
    with CaptureQueriesContext(connection) as captured:
        response = nurse.get(record)
    assert response.status_code == 200
    assert _care_team_checks([query["sql"] for query in captured.captured_queries]) == 1


def test_a_care_team_place_given_within_a_request_opens_the_record(world: World) -> None:
    with context.remembering_answers():
        assert not access.staff_can_open(world.outsider_nurse, world.patient)
        place = services.assign_to_care_team(
            actor=world.coordinator,
            patient=world.patient,
            staff=world.outsider_nurse,
            role=CareTeamRole.NURSE,
        )
        assert access.staff_can_open(world.outsider_nurse, world.patient)
        services.end_care_team_assignment(actor=world.coordinator, assignment=place)
        assert not access.staff_can_open(world.outsider_nurse, world.patient)


def test_emergency_access_granted_within_a_request_opens_the_record(world: World) -> None:
    with context.remembering_answers():
        assert not access.staff_can_open(world.outsider_nurse, world.patient)
        services.use_emergency_access(
            actor=world.outsider_nurse,
            patient=world.patient,
            reason="Called by the family at night",
        )
        assert access.staff_can_open(world.outsider_nurse, world.patient)
        assert access.reached_only_by_emergency_access(world.outsider_nurse, world.patient)


def test_answers_are_not_kept_outside_a_request(world: World) -> None:
    """Tasks and commands have no store: every question goes to the database."""
    with CaptureQueriesContext(connection) as captured:
        access.on_care_team(world.nurse, world.patient)
        access.on_care_team(world.nurse, world.patient)
    assert _care_team_checks([query["sql"] for query in captured.captured_queries]) == 2


def test_the_caseload_is_the_union_of_every_route_each_patient_once(world: World) -> None:
    """Care team, emergency access and the commission, each patient listed
    once however many routes reach them."""
    nurse = world.outsider_nurse
    assert list(access.patients_visible_to(nurse)) == []
    CareTeamAssignment.objects.create(
        patient=world.patient, staff=nurse, role=CareTeamRole.NURSE, assigned_by=world.coordinator
    )
    CareTeamAssignment.objects.create(
        patient=world.patient,
        staff=nurse,
        role=CareTeamRole.KEY_NURSE,
        assigned_by=world.coordinator,
    )
    assert list(access.patients_visible_to(nurse)) == [world.patient]
    services.use_emergency_access(
        actor=nurse, patient=world.other_patient, reason="Called by the family at night"
    )
    assert set(access.patients_visible_to(nurse)) == {world.patient, world.other_patient}
    assert access.patients_visible_to(nurse).count() == 2
    world.bring_to("awaiting_commission")
    member = make_user("dr.panel", discipline=Discipline.PHYSICIAN, sits_on_medical_commission=True)
    commission = access.patients_visible_to(member)
    assert list(commission) == [world.patient]
    CareTeamAssignment.objects.create(
        patient=world.patient,
        staff=member,
        role=CareTeamRole.PHYSICIAN,
        assigned_by=world.coordinator,
    )
    assert list(access.patients_visible_to(member)) == [world.patient]
    # The queryset still takes filters and ordering as any patient list does.
    assert list(commission.filter(pk=world.patient.pk).order_by("pk")) == [world.patient]


def test_the_caseload_reads_no_other_persons_rows(world: World) -> None:
    """One query, a UNION of this person's own rows (not an OR across joins
    over every care-team row of the service)."""
    with CaptureQueriesContext(connection) as captured:
        list(access.patients_visible_to(world.nurse))
    (sql,) = [query["sql"] for query in captured.captured_queries]
    assert "UNION" in sql.upper()
    assert " OR " not in sql.upper()
