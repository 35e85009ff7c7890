"""The advance care plan: only a physician signs, a signed plan never changes,
and the current one is what an out-of-hours clinician sees first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.careplans import services
from hearth.careplans.choices import AcpStatus
from hearth.careplans.models import AdvanceCarePlan
from hearth.conftest import World, complete_advance_care_plan
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.personhood import services as profile


def _complete_draft(world: World) -> AdvanceCarePlan:
    draft = services.start_advance_care_plan(actor=world.nurse, patient=world.patient)
    return services.update_advance_care_plan(
        actor=world.nurse,
        plan=draft,
        changes=complete_advance_care_plan(clock.today() + timedelta(days=90)),
    )


def test_only_a_physician_on_the_team_signs(active: World) -> None:
    draft = _complete_draft(active)
    active.admin_user = active.administrator
    active.administrator.is_superuser = True
    active.administrator.save()
    for who in (
        active.nurse,
        active.psychologist,
        active.coordinator,
        active.administrator,  # an IT superuser has no clinical power
        active.commission_member,
        active.family,
    ):
        with pytest.raises(NotAllowed):
            services.sign_advance_care_plan(actor=who, plan=draft)
    draft.refresh_from_db()
    assert draft.status == AcpStatus.DRAFT
    signed = services.sign_advance_care_plan(actor=active.physician, plan=draft)
    assert signed.status == AcpStatus.CURRENT
    assert signed.signed_by == active.physician


def test_it_will_not_sign_an_incomplete_plan(active: World) -> None:
    draft = services.start_advance_care_plan(actor=active.nurse, patient=active.patient)
    with pytest.raises(ValidationFailed) as error:
        services.sign_advance_care_plan(actor=active.physician, plan=draft)
    assert {"cpr", "focus_of_care", "capacity", "review_date", "not_involved_reason"} <= set(
        error.value.field_errors
    )
    services.update_advance_care_plan(
        actor=active.nurse,
        plan=draft,
        changes={
            **complete_advance_care_plan(clock.today() + timedelta(days=30)),
            "cpr_reason": "",
            "capacity": "lacks_capacity",
            "proxy_name": "",
        },
    )
    with pytest.raises(ValidationFailed) as still:
        services.sign_advance_care_plan(actor=active.physician, plan=draft)
    assert set(still.value.field_errors) == {"cpr_reason", "proxy_name"}


def test_a_signed_plan_never_changes_and_the_next_version_supersedes_it(active: World) -> None:
    first = services.sign_advance_care_plan(actor=active.physician, plan=_complete_draft(active))
    with pytest.raises(InvalidTransition):
        services.update_advance_care_plan(
            actor=active.nurse, plan=first, changes={"cpr": "attempt"}
        )
    second = services.start_advance_care_plan(actor=active.nurse, patient=active.patient)
    assert second.version == 2
    assert second.cpr == first.cpr  # the conversation starts from the current plan
    assert second.review_date is None
    with pytest.raises(Conflict):
        services.start_advance_care_plan(actor=active.physician, patient=active.patient)
    services.update_advance_care_plan(
        actor=active.physician,
        plan=second,
        changes={"cpr": "attempt", "review_date": clock.today() + timedelta(days=60)},
    )
    services.sign_advance_care_plan(actor=active.physician, plan=second)
    first.refresh_from_db()
    assert first.status == AcpStatus.SUPERSEDED
    assert AdvanceCarePlan.objects.current().get().cpr == "attempt"


def test_a_first_draft_starts_from_the_profile(active: World) -> None:
    profile.update_section(
        actor=active.nurse,
        patient=active.patient,
        section="end_of_life",
        changes={"preferred_place_of_death": "home", "preferred_place_of_care": "home"},
    )
    profile.update_section(
        actor=active.nurse,
        patient=active.patient,
        section="information",
        changes={
            "decision_maker_name": "Sam Able",
            "decision_maker_relationship": "son",
            "decision_maker_basis": "named_by_person",
        },
    )
    draft = services.start_advance_care_plan(actor=active.nurse, patient=active.patient)
    assert draft.preferred_place_of_death == "home"
    assert draft.proxy_name == "Sam Able"


def test_the_api_validates_choices_and_refuses_unknown_fields(
    active: World, client_for: Any
) -> None:
    draft = services.start_advance_care_plan(actor=active.nurse, patient=active.patient)
    url = f"/api/v1/advance-care-plans/{draft.external_id}"
    bad = client_for(active.nurse).patch(
        url, {"cpr": "maybe", "dnr": True}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert {"dnr"} <= set(bad.json()["errors"])
    bad_choice = client_for(active.nurse).patch(
        url, {"cpr": "maybe"}, content_type="application/json"
    )
    assert "cpr" in bad_choice.json()["errors"]
    sign = client_for(active.nurse).post(f"{url}/sign", content_type="application/json")
    assert sign.status_code == 403


def test_the_patient_page_opens_with_the_emergency_summary(active: World, client_for: Any) -> None:
    care = active.personal_care(drafts=False)
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/").content.decode()
    banner = page.index("Emergency summary")
    assert banner < page.index("Contact and language")
    assert "Do not attempt CPR" in page
    assert "Symptom control and comfort only" in page
    assert "Sam Family" in page
    api = client_for(active.nurse).get(
        f"/api/v1/patients/{active.patient.external_id}/emergency-summary"
    )
    assert api.json()["cpr"] == "do_not_attempt"
    assert api.json()["version"] == care.acp.version


def test_without_a_signed_plan_the_banner_says_so(active: World, client_for: Any) -> None:
    services.start_advance_care_plan(actor=active.nurse, patient=active.patient)  # draft only
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/").content.decode()
    assert "No signed advance care plan on record." in page
    assert "Do not attempt CPR" not in page


def test_emergency_access_shows_the_emergency_summary_first(active: World, client_for: Any) -> None:
    active.personal_care(drafts=False)
    client = client_for(active.outsider_nurse)
    response = client.post(
        f"/patients/{active.patient.external_id}/emergency-access/",
        {"reason": "Called at 3 a.m.; her breathing changed and the team is away."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{active.patient.external_id}/emergency/"
    page = client.get(response["Location"]).content.decode()
    assert "You are using emergency access" in page
    assert "Do not attempt CPR" in page


def test_the_family_sees_signed_plans_but_not_drafts(active: World, client_for: Any) -> None:
    care = active.personal_care()
    family = client_for(active.family)
    listed = family.get(f"/api/v1/patients/{active.patient.external_id}/advance-care-plans")
    assert [plan["status"] for plan in listed.json()["items"]] == ["current"]
    assert family.get(f"/api/v1/advance-care-plans/{care.acp_draft.external_id}").status_code == 404
    assert family.get(f"/api/v1/advance-care-plans/{care.acp.external_id}").status_code == 200
