"""Care plan versions: draft → active → superseded, one active plan, diffs,
team meetings and what the family may read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from hearth.careplans import queries, services
from hearth.careplans.choices import PlanStatus
from hearth.careplans.models import CarePlan, PlanIntervention
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent


def _complete_draft(world: World, plan: CarePlan, need_text: str = "Breathless at rest") -> None:
    need = services.add_need(
        actor=world.nurse, plan=plan, domain="physical", description=need_text, severity=2
    )
    goal = services.add_goal(
        actor=world.nurse, need=need, in_own_words="To sit in the garden", measurable_target="Daily"
    )
    services.add_intervention(
        actor=world.physician,
        goal=goal,
        description="Review breathlessness",
        kind="teleconsult",
        discipline="physician",
        responsible=str(world.physician.external_id),
        times=1,
        per="week",
        duration_minutes=20,
    )
    services.update_care_plan(
        actor=world.nurse, plan=plan, changes={"review_date": clock.today() + timedelta(days=14)}
    )


def test_it_versions_the_plan_and_supersedes_the_active_one(active: World) -> None:
    care = active.personal_care(drafts=False)
    first = care.active_plan
    draft = services.start_care_plan_draft(actor=active.psychologist, patient=active.patient)
    assert draft.version == 2
    assert draft.based_on == first
    assert draft.needs.get().goals.get().interventions.count() == 1  # copied, not moved
    services.update_care_plan(
        actor=active.nurse, plan=draft, changes={"review_date": clock.today() + timedelta(days=7)}
    )
    services.activate_care_plan(actor=active.nurse, plan=draft)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    assert draft.status == PlanStatus.ACTIVE
    assert CarePlan.objects.for_patient(active.patient).active().count() == 1
    assert first.needs.get().goals.get().interventions.count() == 1  # history untouched


def test_it_refuses_to_change_an_active_or_superseded_version(active: World) -> None:
    care = active.personal_care(drafts=False)
    with pytest.raises(InvalidTransition):
        services.add_need(
            actor=active.nurse,
            plan=care.active_plan,
            domain="social",
            description="Lonely",
            severity=1,
        )
    intervention = PlanIntervention.objects.get(goal__need__plan=care.active_plan)
    with pytest.raises(InvalidTransition):
        services.remove_plan_item(actor=active.nurse, item=intervention)
    assert PlanIntervention.objects.filter(pk=intervention.pk).exists()


def test_the_database_holds_one_active_plan_per_patient(active: World) -> None:
    care = active.personal_care(drafts=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CarePlan.objects.create(
            patient=active.patient,
            version=9,
            status=PlanStatus.ACTIVE,
            created_by=active.nurse,
            created_at=clock.now(),
        )
    assert CarePlan.objects.for_patient(active.patient).active().get() == care.active_plan


def test_it_allows_one_draft_at_a_time(active: World) -> None:
    services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    with pytest.raises(Conflict):
        services.start_care_plan_draft(actor=active.chaplain, patient=active.patient)


def test_it_will_not_activate_an_incomplete_plan(active: World) -> None:
    plan = services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    with pytest.raises(ValidationFailed) as empty:
        services.activate_care_plan(actor=active.nurse, plan=plan)
    assert {"needs", "review_date"} <= set(empty.value.field_errors)
    need = services.add_need(
        actor=active.nurse, plan=plan, domain="spiritual", description="Afraid", severity=2
    )
    services.add_goal(actor=active.nurse, need=need, in_own_words="Peace", measurable_target="-")
    with pytest.raises(ValidationFailed) as no_intervention:
        services.activate_care_plan(actor=active.nurse, plan=plan)
    assert "no intervention" in " ".join(no_intervention.value.field_errors["needs"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_only_clinicians_on_the_team_write_the_plan(active: World) -> None:
    for who in (active.volunteer, active.coordinator, active.outsider_nurse, active.family):
        with pytest.raises(NotAllowed):
            services.start_care_plan_draft(actor=who, patient=active.patient)


def test_it_checks_visit_frequency_and_duration(active: World) -> None:
    plan = services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    need = services.add_need(
        actor=active.nurse, plan=plan, domain="physical", description="Pain", severity=3
    )
    goal = services.add_goal(
        actor=active.nurse, need=need, in_own_words="Ok", measurable_target="-"
    )
    with pytest.raises(ValidationFailed) as error:
        services.add_intervention(
            actor=active.nurse,
            goal=goal,
            description="Visit",
            kind="home_visit",
            discipline="nurse",
            times=None,
            per="",
            duration_minutes=None,
        )
    assert {"times", "duration_minutes"} <= set(error.value.field_errors)
    with pytest.raises(ValidationFailed) as unknown:
        services.add_intervention(
            actor=active.nurse,
            goal=goal,
            description="Visit",
            kind="home_visit",
            discipline="nurse",
            responsible="not-a-uuid",
            times=3,
            per="week",
            duration_minutes=45,
        )
    assert "responsible" in unknown.value.field_errors


def test_the_diff_says_what_changed_between_versions(active: World) -> None:
    care = active.personal_care(drafts=False)
    draft = services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    services.remove_plan_item(
        actor=active.nurse, item=PlanIntervention.objects.get(goal__need__plan=draft)
    )
    _complete_draft(active, draft, need_text="Breathless when washing")
    older, newer = queries.versions_to_compare(draft)
    assert (older, newer) == (care.active_plan, draft)
    lines = queries.diff_plans(older, newer)
    added = [line.text for line in lines if line.change == "added"]
    removed = [line.text for line in lines if line.change == "removed"]
    assert any("Breathless when washing" in text for text in added)
    assert any("Nurse home visit" in text for text in removed)
    assert any("Pain at night" in line.text for line in lines if line.change == "same")


def test_a_team_meeting_records_who_came_and_approves_the_draft(active: World) -> None:
    draft = services.start_care_plan_draft(actor=active.nurse, patient=active.patient)
    _complete_draft(active, draft)
    meeting = services.record_team_meeting(
        actor=active.physician,
        patient=active.patient,
        held_on=clock.today(),
        attendee_ids=[
            active.physician.external_id,
            active.nurse.external_id,
            active.chaplain.external_id,
        ],
        other_attendees="Patient and daughter",
        decisions="Start weekly teleconsults for breathlessness.",
        approve_plan=draft,
    )
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ACTIVE
    assert meeting.approved_plan == draft
    assert set(meeting.attendees.all()) == {active.physician, active.nurse, active.chaplain}
    activation = AuditEvent.objects.get(event_type="care_plan.activated")
    assert activation.changes["meeting"] == str(meeting.external_id)


def test_a_meeting_cannot_approve_a_plan_twice_or_be_in_the_future(active: World) -> None:
    care = active.personal_care(drafts=False)
    with pytest.raises(InvalidTransition):
        services.record_team_meeting(
            actor=active.physician,
            patient=active.patient,
            held_on=clock.today(),
            attendee_ids=[active.physician.external_id],
            decisions="Approve",
            approve_plan=care.active_plan,
        )
    with pytest.raises(ValidationFailed) as future:
        services.record_team_meeting(
            actor=active.physician,
            patient=active.patient,
            held_on=clock.today() + timedelta(days=1),
            attendee_ids=[active.physician.external_id],
            decisions="Later",
        )
    assert "held_on" in future.value.field_errors


def test_the_family_reads_the_summary_but_not_the_working_plan(
    active: World, client_for: Any
) -> None:
    care = active.personal_care()
    family = client_for(active.family)
    summary = family.get(f"/api/v1/patients/{active.patient.external_id}/care-plan-summary")
    assert summary.status_code == 200
    assert summary.json()["goals"] == ["To sleep through the night"]
    assert "Nurse home visit (3× a week, 45 min)" in summary.json()["support"]
    assert family.get(f"/api/v1/care-plans/{care.active_plan.external_id}").status_code == 404
    page = family.get("/portal/care-plan/").content.decode()
    assert "To sleep through the night" in page


def test_a_holistic_assessment_seeds_the_next_draft(active: World, client_for: Any) -> None:
    response = client_for(active.psychologist).post(
        f"/api/v1/patients/{active.patient.external_id}/holistic-assessments",
        {
            "assessed_on": clock.today().isoformat(),
            "summary": "Anxious at night; daughter exhausted.",
            "needs": [
                {"domain": "psychological", "description": "Night-time anxiety", "severity": 2},
                {"domain": "family", "description": "Carer exhaustion", "severity": 3},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    bad = client_for(active.psychologist).post(
        f"/api/v1/patients/{active.patient.external_id}/holistic-assessments",
        {"assessed_on": clock.today().isoformat(), "needs": []},
        content_type="application/json",
    )
    assert bad.status_code == 422
    started = client_for(active.nurse).post(
        f"/api/v1/patients/{active.patient.external_id}/care-plans",
        {"assessment_id": response.json()["id"]},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    needs = [need["description"] for need in started.json()["needs"]]
    assert needs == ["Night-time anxiety", "Carer exhaustion"]


@pytest.mark.parametrize("ending", ["discharge", "death"])
def test_the_plan_ends_when_home_care_ends(active: World, ending: str) -> None:
    from hearth.patients import services as patients

    care = active.personal_care()
    if ending == "discharge":
        patients.discharge(actor=active.physician, episode=active.episode, reason="moved_away")
    else:
        patients.record_death(
            actor=active.nurse, episode=active.episode, died_at=clock.now(), place_of_death="home"
        )
    care.active_plan.refresh_from_db()
    care.draft_plan.refresh_from_db()
    assert care.active_plan.status == PlanStatus.ENDED
    assert care.draft_plan.status == PlanStatus.DISCARDED
    assert not CarePlan.objects.for_patient(active.patient).active().exists()
    assert care.active_plan.needs.get().goals.get().interventions.count() == 1  # kept whole
    assert AuditEvent.objects.filter(event_type="care_plan.ended").count() == 1
    care.acp.refresh_from_db()
    assert care.acp.status == "current"  # the signed decisions stay as signed
