"""Caregiver burden: a strain total at or above the service's cut-off opens
one team task (later high scores are added to it) that shows on the
worklist; below the cut-off, or an instrument with no cut-off, opens none;
strain assessments fall due on the configured schedule."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.assessments import services as assessments
from hearth.caregiving import queries, services
from hearth.caregiving.models import SupportTask
from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.patients import queries as patient_queries

from .conftest import at, link

ZARIT_18 = {f"item_{n}": v for n, v in enumerate((2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0), 1)}
ZARIT_16 = {f"item_{n}": v for n, v in enumerate((2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0), 1)}
MCSI_HIGH = {
    key: 2
    for key in (
        "sleep",
        "inconvenient",
        "physical_strain",
        "confining",
        "family_adjustments",
        "personal_plans",
        "other_demands",
        "emotional_adjustments",
        "upsetting_behaviour",
        "person_changed",
        "work_adjustments",
        "financial_strain",
        "overwhelmed",
    )
}


def strain(world: World, instrument: str, answers: dict[str, int], carer: Any = None) -> Any:
    return assessments.record_assessment(
        actor=world.nurse,
        patient=world.patient,
        instrument=instrument,
        answers=answers,
        completed_by="family_caregiver",
        caregiver_id=link(carer or world.family).external_id,
    )


def family_support_cell(world: World, actor: Any) -> str | None:
    rows = patient_queries.worklist(actor)
    row = next(r for r in rows if r.id == world.patient.external_id)
    for title, cell in row.extra:
        if str(title) == "Family support":
            return cell["text"] if cell else None
    raise AssertionError("no family support column")


def test_a_score_at_the_cut_off_opens_one_task_on_the_worklist(
    active: World, settings: Any
) -> None:
    settings.HEARTH_CAREGIVER_STRAIN_HIGH = {"zarit12": 18, "mcsi": None}
    with clock.travel_to(at(0)):
        response = strain(active, "zarit12", ZARIT_18)
    task = SupportTask.objects.get()
    assert (task.patient, task.caregiver.user, task.source, task.status) == (
        active.patient,
        active.family,
        "high_strain",
        "open",
    )
    assert list(task.responses.all()) == [response]
    assert set(task.suggested_actions) == {
        "respite",
        "psychologist",
        "social_worker",
        "more_training",
    }
    assert AuditEvent.objects.filter(event_type="support_task.opened").count() == 1
    with clock.travel_to(at(0, "11:00")):
        cell = family_support_cell(active, active.nurse)
    assert cell is not None and "1 open support task" in cell


def test_a_later_high_score_is_added_to_the_open_task(active: World) -> None:
    with clock.travel_to(at(0)):
        first = strain(active, "zarit12", ZARIT_18)
    with clock.travel_to(at(3)):
        second = strain(active, "zarit12", ZARIT_18)
    task = SupportTask.objects.get()
    assert set(task.responses.all()) == {first, second}
    assert AuditEvent.objects.filter(event_type="support_task.score_added").count() == 1
    with clock.travel_to(at(4)):
        services.complete_support_task(
            actor=active.psychologist, task=task, outcome="Two sessions; sitter booked."
        )
    with clock.travel_to(at(10)):
        strain(active, "zarit12", ZARIT_18)
    assert SupportTask.objects.count() == 2 and SupportTask.objects.open().count() == 1


def test_each_carer_gets_their_own_task(active: World, second_carer: Any) -> None:
    with clock.travel_to(at(0)):
        strain(active, "zarit12", ZARIT_18)
        strain(active, "zarit12", ZARIT_18, carer=second_carer)
    assert SupportTask.objects.open().count() == 2


def test_below_the_cut_off_no_task(active: World) -> None:
    with clock.travel_to(at(0)):
        strain(active, "zarit12", ZARIT_16)
    assert not SupportTask.objects.exists()
    with clock.travel_to(at(0, "11:00")):
        assert family_support_cell(active, active.nurse) is None


def test_an_instrument_with_no_cut_off_opens_no_task(active: World, settings: Any) -> None:
    settings.HEARTH_CAREGIVER_STRAIN_HIGH = {"zarit12": 17, "mcsi": None}
    with clock.travel_to(at(0)):
        strain(active, "mcsi", MCSI_HIGH)  # 26 of 26, the highest possible
    assert not SupportTask.objects.exists()


def test_a_cut_off_the_clinical_lead_sets_for_mcsi_is_used(active: World, settings: Any) -> None:
    settings.HEARTH_CAREGIVER_STRAIN_HIGH = {"zarit12": 17, "mcsi": 20}
    with clock.travel_to(at(0)):
        strain(active, "mcsi", MCSI_HIGH)
    assert SupportTask.objects.count() == 1


def test_a_family_member_scoring_themself_from_the_portal_opens_the_task(
    active: World,
) -> None:
    with clock.travel_to(at(0)):
        assessments.record_assessment(
            actor=active.family, patient=active.patient, instrument="zarit12", answers=ZARIT_18
        )
    task = SupportTask.objects.get()
    assert task.caregiver.user == active.family


@pytest.mark.parametrize("days", [28, 14])
def test_strain_assessments_fall_due_on_the_schedule(
    active: World, settings: Any, days: int
) -> None:
    settings.HEARTH_CAREGIVER_STRAIN_EVERY_DAYS = days
    admitted = at(-30).date()  # the ``active`` fixture admits on day -30
    with clock.travel_to(at(-30 + days - 1)):
        (item,) = queries.strain_schedule([active.patient.pk])[active.patient.pk]
        assert item.due_on.toordinal() - admitted.toordinal() == days
        assert item.last_assessed_at is None and not item.is_due
    with clock.travel_to(at(-30 + days, "08:00")):
        (item,) = queries.strain_schedule([active.patient.pk])[active.patient.pk]
        assert item.is_due
        cell = family_support_cell(active, active.nurse)
        assert cell is not None and "strain check due" in cell
        strain(active, "zarit12", ZARIT_16)
        (item,) = queries.strain_schedule([active.patient.pk])[active.patient.pk]
        assert not item.is_due
        assert item.due_on.toordinal() - clock.today().toordinal() == days


def test_only_the_primary_carer_and_carers_assessed_before_are_followed(
    active: World, second_carer: Any
) -> None:
    with clock.travel_to(at(0)):
        followed = queries.strain_schedule([active.patient.pk])[active.patient.pk]
        assert [item.caregiver.user for item in followed] == [active.family]
        strain(active, "zarit12", ZARIT_16, carer=second_carer)
        followed = queries.strain_schedule([active.patient.pk])[active.patient.pk]
    assert {item.caregiver.user for item in followed} == {active.family, second_carer}


def test_no_schedule_outside_active_home_care(world: World) -> None:
    assert queries.strain_schedule([world.patient.pk]) == {}


def test_the_worklist_column_costs_the_same_for_more_patients(
    active: World, client_for: Any
) -> None:
    with clock.travel_to(at(0)):
        strain(active, "zarit12", ZARIT_18)
        with CaptureQueriesContext(connection) as one:
            queries.worklist_columns([active.patient.pk])
        with CaptureQueriesContext(connection) as two:
            queries.worklist_columns([active.patient.pk, active.other_patient.pk])
    assert len(one.captured_queries) == len(two.captured_queries) <= 4


def test_the_task_list_shows_open_tasks_for_patients_the_user_may_see(
    active: World, client_for: Any
) -> None:
    with clock.travel_to(at(0)):
        strain(active, "zarit12", ZARIT_18)
    text = client_for(active.psychologist).get("/caregiving/tasks/").content.decode()
    assert active.patient.full_name in text and active.family.display_name in text
    assert AuditEvent.objects.filter(event_type="support_tasks.listed").count() == 1
    outsider = client_for(active.outsider_nurse).get("/caregiving/tasks/")
    assert outsider.status_code == 200
    assert active.patient.full_name not in outsider.content.decode()
    assert client_for(active.volunteer).get("/caregiving/tasks/").status_code == 403
    assert client_for(active.family).get("/caregiving/tasks/").status_code == 302
