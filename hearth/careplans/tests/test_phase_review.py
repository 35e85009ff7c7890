"""Entering the terminal or unstable phase asks the key clinicians to review
the care plan: a task that names why, links to the plan, appears on the
worklist, is one per phase start, and closes when the plan is reviewed (a new
version or a recorded review) or is dismissed with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.assessments import services as assessments
from hearth.careplans import services
from hearth.careplans.models import CarePlanReviewTask
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.patients import queries as patient_queries
from hearth.patients import services as patient_services
from hearth.patients.signals import phase_of_illness_started


def _enter(world: World, phase: str, **details: Any) -> Any:
    current = assessments.current_phase(world.patient)
    return assessments.start_phase(
        actor=world.nurse,
        patient=world.patient,
        phase=phase,
        end_reason="Changed" if current else "",
        **details,
    )


def _task(world: World) -> CarePlanReviewTask:
    return CarePlanReviewTask.objects.get(patient=world.patient)


def test_entering_the_terminal_phase_asks_the_lead_physician_and_key_nurse_to_review(
    active: World,
) -> None:
    _enter(active, "stable")
    assert not CarePlanReviewTask.objects.exists()
    phase = _enter(active, "terminal", note="Sleeping most of the day; not eating")
    task = _task(active)
    assert task.is_open and task.phase == "terminal"
    assert task.phase_started_at == phase.started_at
    assert set(task.assignees.all()) == {active.physician, active.nurse}
    assert "Entered the terminal phase on" in task.reason
    assert "review goals and interventions" in task.reason
    assert "consider stopping non-essential medicines and observations" in task.reason
    event = AuditEvent.objects.get(event_type="care_plan_review_task.created")
    assert event.patient_id == active.patient.pk and "terminal" in event.summary


def test_entering_the_unstable_phase_asks_for_a_review_too(active: World) -> None:
    _enter(active, "unstable")
    task = _task(active)
    assert task.phase == "unstable"
    assert "Entered the unstable phase on" in task.reason


@pytest.mark.parametrize("phase", ["stable", "deteriorating"])
def test_other_phases_ask_for_no_review(active: World, phase: str) -> None:
    _enter(active, phase)
    assert not CarePlanReviewTask.objects.exists()


def test_the_setting_chooses_which_phases_ask(active: World, settings: Any) -> None:
    settings.HEARTH_CARE_PLAN_REVIEW_PHASES = ("terminal",)
    _enter(active, "unstable")
    assert not CarePlanReviewTask.objects.exists()
    _enter(active, "terminal")
    assert _task(active).phase == "terminal"


def test_without_a_lead_physician_or_key_nurse_the_teams_physicians_and_nurses_are_asked(
    active: World,
) -> None:
    for assignment in active.patient.care_team.current().filter(
        role__in=["lead_physician", "key_nurse"]
    ):
        assignment.role = "physician" if assignment.role == "lead_physician" else "nurse"
        assignment.save(update_fields=["role"])
    _enter(active, "terminal")
    assert set(_task(active).assignees.all()) == {active.physician, active.nurse}


def test_one_review_task_per_phase_start(active: World) -> None:
    phase = _enter(active, "terminal")
    # The same phase start heard twice (a signal sent again) opens nothing new.
    phase_of_illness_started.send(sender=type(phase), phase=phase, actor=active.nurse)
    assert CarePlanReviewTask.objects.count() == 1
    # A later phase start is a new reason to review.
    _enter(active, "unstable")
    assert CarePlanReviewTask.objects.open().count() == 2


def test_a_new_care_plan_version_completes_the_review(active: World) -> None:
    care = active.personal_care(drafts=False)
    _enter(active, "terminal")
    draft = services.start_care_plan_draft(actor=active.physician, patient=active.patient)
    assert _task(active).is_open  # a draft is not yet a review
    services.update_care_plan(
        actor=active.physician,
        plan=draft,
        changes={"review_date": clock.today() + timedelta(days=3)},
    )
    services.activate_care_plan(actor=active.physician, plan=draft)
    task = _task(active)
    assert task.status == "completed"
    assert task.reviewed_in == draft and draft.based_on == care.active_plan
    assert task.closed_by == active.physician
    assert "version 2" in task.outcome
    assert AuditEvent.objects.filter(event_type="care_plan_review_task.completed").count() == 1


def test_a_recorded_review_completes_it_and_needs_a_note(active: World) -> None:
    _enter(active, "terminal")
    task = _task(active)
    with pytest.raises(ValidationFailed) as refused:
        services.complete_care_plan_review(actor=active.nurse, task=task, note="   ")
    assert "note" in refused.value.field_errors
    assert _task(active).is_open
    done = services.complete_care_plan_review(
        actor=active.nurse,
        task=task,
        note="Meals goal stopped; mouth care instead. Observations stopped.",
    )
    assert (done.status, done.closed_by, done.reviewed_in) == ("completed", active.nurse, None)
    assert "Meals goal stopped" in done.outcome
    with pytest.raises(InvalidTransition):
        services.complete_care_plan_review(actor=active.nurse, task=task, note="Again")


def test_dismissing_a_review_needs_a_reason(active: World) -> None:
    _enter(active, "unstable")
    task = _task(active)
    with pytest.raises(ValidationFailed) as refused:
        services.dismiss_care_plan_review(actor=active.physician, task=task, reason="")
    assert "reason" in refused.value.field_errors
    dismissed = services.dismiss_care_plan_review(
        actor=active.physician, task=task, reason="Phase recorded for the wrong patient."
    )
    assert dismissed.status == "dismissed"
    event = AuditEvent.objects.get(event_type="care_plan_review_task.dismissed")
    assert "wrong patient" in event.summary


def test_only_the_teams_clinicians_close_a_review(active: World) -> None:
    _enter(active, "terminal")
    task = _task(active)
    with pytest.raises(NotAllowed):
        services.dismiss_care_plan_review(actor=active.coordinator, task=task, reason="No")
    assert _task(active).is_open


def test_the_worklist_shows_the_review_with_a_link_to_the_plan(
    active: World, client_for: Any
) -> None:
    _enter(active, "terminal")
    rows = patient_queries.worklist(active.nurse)
    row = next(r for r in rows if r.id == active.patient.external_id)
    keys = [key for key, _title in rows.columns]
    cell = dict(zip(keys, (cell for _title, cell in row.extra), strict=True))["care_plan_review"]
    assert cell is not None and "terminal phase since" in cell["text"]
    plan_url = f"/patients/{active.patient.external_id}/care-plan/"
    assert cell["url"] == plan_url
    page = client_for(active.nurse).get("/patients/")
    assert f'href="{plan_url}"' in page.content.decode()
    assert "Review the plan: terminal phase since" in page.content.decode()
    # Once reviewed, the worklist no longer asks.
    services.complete_care_plan_review(actor=active.nurse, task=_task(active), note="Done")
    rows = patient_queries.worklist(active.nurse)
    row = next(r for r in rows if r.id == active.patient.external_id)
    assert (
        dict(zip(keys, (cell for _title, cell in row.extra), strict=True))["care_plan_review"]
        is None
    )


def test_the_care_plan_page_says_why_and_records_the_review(active: World, client_for: Any) -> None:
    _enter(active, "terminal")
    task = _task(active)
    nurse = client_for(active.nurse)
    home = nurse.get(f"/patients/{active.patient.external_id}/care-plan/").content.decode()
    assert "Entered the terminal phase on" in home
    assert f"/care-plan-reviews/{task.external_id}/complete/" in home
    url = f"/care-plan-reviews/{task.external_id}/complete/"
    assert nurse.get(url).status_code == 200
    refused = nurse.post(url, {"note": ""})
    assert refused.status_code == 422 and _task(active).is_open
    done = nurse.post(url, {"note": "Goals changed to comfort and mouth care."})
    assert done.status_code == 302
    assert _task(active).status == "completed"


def test_the_care_plan_page_dismisses_with_a_reason(active: World, client_for: Any) -> None:
    _enter(active, "unstable")
    task = _task(active)
    url = f"/care-plan-reviews/{task.external_id}/dismiss/"
    response = client_for(active.physician).post(url, {"reason": "Reviewed at the bedside."})
    assert response.status_code == 302
    assert _task(active).status == "dismissed"


def test_home_care_ending_dismisses_an_open_review(active: World) -> None:
    _enter(active, "terminal")
    patient_services.record_death(
        actor=active.physician,
        episode=active.episode,
        died_at=clock.now() - timedelta(minutes=30),
        place_of_death="home",
    )
    task = _task(active)
    assert task.status == "dismissed" and task.outcome == "Home care ended."


# --- API ------------------------------------------------------------------------------


def test_the_api_lists_completes_and_dismisses_reviews(active: World, client_for: Any) -> None:
    _enter(active, "terminal")
    api = client_for(active.nurse)
    listed = api.get("/api/v1/care-plan-reviews").json()["items"]
    assert [item["phase"] for item in listed] == ["terminal"]
    item = listed[0]
    assert item["status"] == "open"
    assert "consider stopping non-essential medicines" in item["reason"]
    assert item["care_plan_url"] == f"/patients/{active.patient.external_id}/care-plan/"
    assert {person["name"] for person in item["assignees"]} == {
        active.physician.display_name,
        active.nurse.display_name,
    }
    patient_list = api.get(f"/api/v1/patients/{active.patient.external_id}/care-plan-reviews")
    assert [row["id"] for row in patient_list.json()["items"]] == [item["id"]]
    columns = api.get("/api/v1/patients").json()["items"][0]["columns"]
    assert "terminal phase since" in columns["care_plan_review"]

    blank = api.post(
        f"/api/v1/care-plan-reviews/{item['id']}/complete",
        data={"note": " "},
        content_type="application/json",
    )
    assert blank.status_code == 422 and "note" in blank.content.decode()
    done = api.post(
        f"/api/v1/care-plan-reviews/{item['id']}/complete",
        data={"note": "Plan reviewed with the family: comfort goals only."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = api.post(
        f"/api/v1/care-plan-reviews/{item['id']}/dismiss",
        data={"reason": "Too late"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert api.get("/api/v1/care-plan-reviews").json()["items"] == []


def test_the_review_api_validates_ownership(active: World, client_for: Any) -> None:
    _enter(active, "terminal")
    task = _task(active)
    complete = f"/api/v1/care-plan-reviews/{task.external_id}/complete"
    body = {"note": "Reviewed"}
    # The other patient's family and the family of this patient: not found.
    for user in (active.other_family, active.family):
        response = client_for(user).post(complete, data=body, content_type="application/json")
        assert response.status_code == 404
        assert client_for(user).get("/api/v1/care-plan-reviews").status_code == 404
    # A nurse outside the caseload sees nothing in the list and cannot close it.
    outsider = client_for(active.outsider_nurse)
    assert outsider.get("/api/v1/care-plan-reviews").json()["items"] == []
    refused = outsider.post(complete, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "emergency_access_available"
    assert _task(active).is_open
