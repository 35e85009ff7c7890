"""The same journeys through the HTML forms a nurse uses on a phone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.careplans.choices import AcpStatus, PlanStatus
from hearth.careplans.models import AdvanceCarePlan, CarePlan, PlanIntervention, TeamMeeting
from hearth.conftest import World
from hearth.core import clock
from hearth.patients.choices import EpisodeState


@pytest.fixture
def care(world: World) -> Any:
    world.bring_to(EpisodeState.ACTIVE)
    return world.personal_care()


def test_a_nurse_adds_an_intervention_and_the_team_approves_the_draft(
    world: World, care: Any, client_for: Any
) -> None:
    nurse = client_for(world.nurse)
    response = nurse.post(
        f"/plan-goals/{care.goal.external_id}/interventions/add/",
        {
            "description": "Chaplain visit for prayer",
            "kind": "home_visit",
            "discipline": "chaplain",
            "responsible": str(world.chaplain.external_id),
            "times": "1",
            "per": "week",
            "duration_minutes": "40",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = PlanIntervention.objects.get(description="Chaplain visit for prayer")
    assert added.responsible == world.chaplain
    refused = nurse.post(
        f"/plan-goals/{care.goal.external_id}/interventions/add/",
        {"description": "Visit", "kind": "home_visit", "discipline": "nurse"},
    )
    assert refused.status_code == 422
    assert "how often" in refused.content.decode().lower()

    meeting = nurse.post(
        f"/patients/{world.patient.external_id}/team-meetings/add/",
        {
            "held_on": clock.today().isoformat(),
            "attendees": [str(world.nurse.external_id), str(world.chaplain.external_id)],
            "decisions": "Add weekly chaplain visits.",
            "approve_plan": "on",
        },
    )
    assert meeting.status_code == 302, meeting.content.decode()[:2000]
    care.draft_plan.refresh_from_db()
    assert care.draft_plan.status == PlanStatus.ACTIVE
    assert TeamMeeting.objects.get().approved_plan == care.draft_plan
    assert CarePlan.objects.filter(status=PlanStatus.ACTIVE).count() == 1


def test_a_nurse_drafts_and_a_physician_signs_through_the_pages(
    world: World, care: Any, client_for: Any
) -> None:
    draft = care.acp_draft
    edit = client_for(world.nurse).post(
        f"/advance-care-plans/{draft.external_id}/edit/",
        {
            **{
                field: getattr(draft, field)
                for field in AdvanceCarePlan.CONTENT_FIELDS
                if getattr(draft, field) not in (None, False)
            },
            "patient_involved": "on",
            "cpr": "attempt",
            "cpr_reason": "",
            "focus_of_care": "full",
            "review_date": (clock.today() + timedelta(days=60)).isoformat(),
        },
    )
    assert edit.status_code == 302, edit.content.decode()[:2000]
    assert (
        client_for(world.nurse).get(f"/advance-care-plans/{draft.external_id}/sign/").status_code
        == 403
    )
    sign = client_for(world.physician).post(
        f"/advance-care-plans/{draft.external_id}/sign/", {"confirm": "on"}
    )
    assert sign.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AcpStatus.CURRENT
    assert draft.cpr == "attempt"
    page = client_for(world.nurse).get(f"/patients/{world.patient.external_id}/").content.decode()
    assert "Attempt CPR" in page


def test_the_signing_page_restates_the_cpr_decision_first(
    world: World, care: Any, client_for: Any
) -> None:
    """Issue 20: the physician signs what they can read on the page."""
    draft = care.acp_draft
    page = client_for(world.physician).get(f"/advance-care-plans/{draft.external_id}/sign/")
    assert page.status_code == 200
    text = page.content.decode()
    cpr = text.find("You are signing this CPR decision")
    assert cpr > 0
    if draft.cpr:
        assert draft.get_cpr_display() in text[cpr : text.find("<form", cpr)]
    assert "Transfer to hospital" in text and "Focus of care" in text
    assert cpr < text.find('name="confirm"')
