"""Visit needs: by hand, from the care plan (one line or all), and ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from hearth.careplans import services as plans
from hearth.careplans.models import PlanIntervention
from hearth.conftest import World
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.visits import services
from hearth.visits.models import VisitNeed


def need(world: World, **overrides: Any) -> VisitNeed:
    values: dict[str, Any] = {
        "actor": world.nurse,
        "patient": world.patient,
        "description": "Wound dressing",
        "kind": "home_visit",
        "discipline": "nurse",
        "skills": ["wound_care"],
        "duration_minutes": 40,
        "times": 2,
        "per": "week",
        "preferred_staff": world.nurse,
    }
    values.update(overrides)
    return services.add_visit_need(**values)


def care_plan_visit(world: World) -> PlanIntervention:
    care = world.personal_care(drafts=False)
    return PlanIntervention.objects.get(goal__need__plan=care.active_plan, kind="home_visit")


def test_a_clinician_adds_a_visit_need_by_hand(active: World) -> None:
    added = need(active)
    assert (added.discipline, added.times, added.per, added.skills) == (
        "nurse",
        2,
        "week",
        ["wound_care"],
    )
    assert added.preferred_staff == active.nurse and added.intervention is None
    event = AuditEvent.objects.get(event_type="visit_need.added")
    assert event.patient_id == active.patient.pk


def test_a_visit_need_is_refused_with_each_field_named(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        need(
            active,
            description="",
            discipline="coordinator",
            skills=["flying"],
            duration_minutes=2,
            times=9,
            per="month",
            preferred_staff=None,
        )
    assert set(refused.value.field_errors) == {
        "description",
        "discipline",
        "skills",
        "duration_minutes",
        "times",
        "per",
    }
    assert not VisitNeed.objects.exists()


def test_the_preferred_staff_member_must_be_of_that_discipline_and_on_the_team(
    active: World,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        need(active, preferred_staff=active.physician)
    assert "preferred_staff" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        need(active, preferred_staff=active.outsider_nurse)
    assert "care team" in refused.value.field_errors["preferred_staff"][0]


def test_who_may_manage_visit_needs(active: World) -> None:
    need(active, actor=active.coordinator)
    need(active, actor=active.chaplain, discipline="chaplain", preferred_staff=active.chaplain)
    for actor in (active.outsider_nurse, active.family, active.volunteer, active.patient_user):
        with pytest.raises(NotAllowed):
            need(active, actor=actor)
    with pytest.raises(NotAllowed):
        need(active, patient=active.other_patient)  # not on the nurse's caseload


def test_visit_needs_are_only_for_people_in_care(world: World) -> None:
    with pytest.raises(InvalidTransition):
        need(world)


def test_a_care_plan_visit_becomes_a_visit_need(active: World) -> None:
    intervention = care_plan_visit(active)
    made = services.visit_need_from_intervention(actor=active.nurse, intervention=intervention)
    assert made.intervention == intervention
    assert (made.discipline, made.times, made.per, made.duration_minutes) == (
        "nurse",
        3,
        "week",
        45,
    )
    assert made.preferred_staff == active.nurse
    assert made.description == "Nurse home visit"
    with pytest.raises(Conflict):
        services.visit_need_from_intervention(actor=active.nurse, intervention=intervention)


def test_only_visits_of_an_active_plan_become_needs(active: World) -> None:
    care = active.personal_care(drafts=True)
    with pytest.raises(InvalidTransition):
        services.visit_need_from_intervention(actor=active.nurse, intervention=care.intervention)
    assert not VisitNeed.objects.exists()


def test_a_phone_call_in_the_active_plan_is_not_a_visit(active: World) -> None:
    intervention = care_plan_visit(active)
    intervention.kind = "phone_call"
    intervention.save(update_fields=["kind"])
    with pytest.raises(ValidationFailed):
        services.visit_need_from_intervention(actor=active.nurse, intervention=intervention)


def test_syncing_the_care_plan_is_safe_to_repeat(active: World) -> None:
    care_plan_visit(active)
    first = services.sync_needs_from_care_plan(actor=active.nurse, patient=active.patient)
    assert len(first) == 1
    assert services.sync_needs_from_care_plan(actor=active.nurse, patient=active.patient) == []
    assert VisitNeed.objects.current().count() == 1


def test_a_new_plan_version_replaces_its_visit_needs(active: World) -> None:
    care = active.personal_care(drafts=True)
    old = services.sync_needs_from_care_plan(actor=active.nurse, patient=active.patient)[0]
    by_hand = need(active)
    plans.activate_care_plan(actor=active.nurse, plan=care.draft_plan)
    new = services.sync_needs_from_care_plan(actor=active.nurse, patient=active.patient)
    old.refresh_from_db()
    assert old.ended_at is not None
    assert [row.intervention for row in new] == [care.intervention]
    assert set(VisitNeed.objects.current()) == {new[0], by_hand}


def test_syncing_without_an_active_plan_says_so(active: World) -> None:
    with pytest.raises(InvalidTransition):
        services.sync_needs_from_care_plan(actor=active.nurse, patient=active.patient)


def test_a_responsible_person_who_cannot_be_preferred_is_left_out(active: World) -> None:
    intervention = care_plan_visit(active)
    intervention.responsible = active.outsider_nurse
    intervention.save(update_fields=["responsible"])
    made = services.visit_need_from_intervention(actor=active.nurse, intervention=intervention)
    assert made.preferred_staff is None
    event = AuditEvent.objects.get(event_type="visit_need.from_care_plan")
    assert event.changes["preferred_staff_left_out"]


def test_ending_a_visit_need(active: World) -> None:
    made = need(active)
    with pytest.raises(NotAllowed):
        services.end_visit_need(actor=active.outsider_nurse, need=made)
    ended = services.end_visit_need(actor=active.nurse, need=made)
    assert ended.ended_by == active.nurse
    with pytest.raises(InvalidTransition):
        services.end_visit_need(actor=active.nurse, need=made)


def test_the_visits_page_adds_needs_from_the_plan_and_by_hand(
    active: World, client_for: Any
) -> None:
    care_plan_visit(active)
    page = client_for(active.nurse)
    url = f"/patients/{active.patient.external_id}/visits/"
    assert page.get(url).status_code == 200
    assert page.post(url + "needs/from-care-plan/").status_code == 302
    assert VisitNeed.objects.current().count() == 1
    response = page.post(
        url + "needs/add/",
        {
            "description": "Syringe driver check",
            "kind": "home_visit",
            "discipline": "nurse",
            "skills": ["syringe_driver"],
            "duration_minutes": "30",
            "times": "1",
            "per": "day",
            "preferred_staff": str(active.nurse.external_id),
        },
    )
    assert response.status_code == 302, response.content.decode()
    text = page.get(url).content.decode()
    assert "Syringe driver check" in text and "Nurse home visit" in text
    bad = page.post(
        url + "needs/add/",
        {
            "description": "Too often",
            "kind": "home_visit",
            "discipline": "nurse",
            "duration_minutes": "30",
            "times": "12",
            "per": "day",
        },
    )
    assert bad.status_code == 422
    assert "From 1 to 7" in bad.content.decode()
    made = VisitNeed.objects.get(description="Syringe driver check")
    assert page.post(f"/visits/needs/{made.external_id}/end/").status_code == 302
    made.refresh_from_db()
    assert made.ended_at is not None


def test_staff_off_the_caseload_and_families_cannot_open_the_visits_page(
    active: World, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/visits/"
    assert client_for(active.outsider_nurse).get(url).status_code == 302  # emergency access
    assert client_for(active.family).get(url).status_code == 302  # to the portal
    assert client_for(active.nurse).get(url).status_code == 200
    assert client_for(active.coordinator).get(url).status_code == 200


def test_the_need_s_frequency_is_kept_as_a_plural_key(active: World) -> None:
    """ "2× a week, 40 min" is one phrase with its count, so Russian says
    «2 раза в неделю, 40 мин» and 5 says «5 раз»."""
    need(active)
    event = AuditEvent.objects.get(event_type="visit_need.added")
    assert event.summary_key == "Visit need added: %(need)s"
    week = "%(count)s× a week, %(minutes)s min"
    assert event.summary_params == {
        "need": {
            "$m": "%(description)s: %(frequency)s",
            "$p": {
                "description": "Wound dressing",
                "frequency": {
                    "$m": week,
                    "$p": {"count": 2, "minutes": 40, "_plural": week, "_count": "count"},
                },
            },
        }
    }
    with translation.override("en"):
        assert event.summary_text == "Visit need added: Wound dressing: 2× a week, 40 min"
