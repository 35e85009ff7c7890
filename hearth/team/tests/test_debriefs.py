"""Debriefs after a death: only after a death, by the patient's team (or the
coordinator or clinical lead), read by the same people, audited with the patient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.team import queries, services
from hearth.team.models import Debrief

JSON = "application/json"


def details(world: World, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "held_on": clock.today(),
        "facilitator": world.psychologist,
        "attendees": [world.nurse, world.physician, world.psychologist],
        "went_well": "She died at home, as she wished.",
        "could_be_better": "The night number was not in the son's phone.",
        "actions": "Add the number at admission.",
    }
    values.update(extra)
    return values


def api_body(world: World, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_on": clock.today().isoformat(),
        "facilitator_id": str(world.psychologist.external_id),
        "attendee_ids": [str(world.nurse.external_id), str(world.physician.external_id)],
        "went_well": "Calm death at home.",
        "could_be_better": "Earlier anticipatory medicines.",
    }
    body.update(extra)
    return body


@pytest.fixture
def died(world: World) -> World:
    world.bring_to("deceased")
    return world


def test_a_debrief_needs_a_death(world: World) -> None:
    world.bring_to("active")
    with pytest.raises(InvalidTransition):
        services.record_debrief(actor=world.nurse, patient=world.patient, **details(world))


@pytest.mark.parametrize("stage", ["deceased", "bereavement"])
def test_the_team_records_it_once_audited_with_the_patient(world: World, stage: str) -> None:
    world.bring_to(stage)
    debrief = services.record_debrief(actor=world.nurse, patient=world.patient, **details(world))
    assert debrief.attendees.count() == 3
    event = AuditEvent.objects.get(event_type="debrief.recorded")
    assert event.patient_id == world.patient.pk and event.actor == world.nurse
    with pytest.raises(Conflict):
        services.record_debrief(actor=world.physician, patient=world.patient, **details(world))
    services.withdraw_debrief(actor=world.physician, debrief=debrief, reason="Wrong date")
    again = services.record_debrief(actor=world.physician, patient=world.patient, **details(world))
    assert Debrief.objects.current().get() == again
    assert Debrief.objects.count() == 2  # the withdrawn one is kept


@pytest.mark.parametrize("who", ["coordinator", "clinical_lead"])
def test_the_coordinator_and_the_lead_record_it(died: World, who: str) -> None:
    assert services.record_debrief(actor=getattr(died, who), patient=died.patient, **details(died))


@pytest.mark.parametrize("who", ["outsider_nurse", "administrator", "commission_member", "family"])
def test_outsiders_are_refused(died: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        services.record_debrief(actor=getattr(died, who), patient=died.patient, **details(died))


def test_it_refuses_impossible_details(died: World) -> None:
    before = clock.today() - timedelta(days=2)
    with pytest.raises(ValidationFailed) as error:
        services.record_debrief(
            actor=died.nurse,
            patient=died.patient,
            **details(died, held_on=before, attendees=[died.family], went_well=" "),
        )
    assert set(error.value.field_errors) == {"held_on", "attendees", "went_well"}


def test_staff_who_left_the_team_before_the_death_may_not(died: World) -> None:
    from hearth.patients.models import CareTeamAssignment

    assignment = CareTeamAssignment.objects.get(patient=died.patient, staff=died.chaplain)
    assignment.ended_at = died.episode.died_at - timedelta(days=1)  # type: ignore[operator]
    assignment.save(update_fields=["ended_at"])
    with pytest.raises(NotAllowed):
        services.record_debrief(actor=died.chaplain, patient=died.patient, **details(died))
    # Someone on the team at the death who has since been taken off still may.
    nurse = CareTeamAssignment.objects.get(patient=died.patient, staff=died.nurse)
    nurse.ended_at = clock.now() + timedelta(minutes=1)
    nurse.save(update_fields=["ended_at"])
    with clock.travel_to(clock.now() + timedelta(hours=1)):
        assert services.record_debrief(actor=died.nurse, patient=died.patient, **details(died))


def test_the_api_for_the_patients_debriefs(died: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{died.patient.external_id}/debriefs"
    made = client_for(died.nurse).post(url, data=api_body(died), content_type=JSON)
    assert made.status_code == 201, made.content
    debrief_id = made.json()["id"]
    assert (
        client_for(died.nurse).post(url, data=api_body(died), content_type=JSON).status_code == 409
    )
    bad = client_for(died.physician).post(
        url, data=api_body(died, attendee_ids=[]), content_type=JSON
    )
    assert bad.status_code == 422
    for reader in (died.chaplain, died.coordinator, died.clinical_lead):
        rows = client_for(reader).get(url).json()["items"]
        assert [row["id"] for row in rows] == [debrief_id]
        one = client_for(reader).get(f"/api/v1/team/debriefs/{debrief_id}")
        assert one.status_code == 200
    for outsider in (died.outsider_nurse, died.administrator):
        assert client_for(outsider).get(url).status_code == 403
        assert client_for(outsider).get(f"/api/v1/team/debriefs/{debrief_id}").status_code == 403
        assert (
            client_for(outsider).post(url, data=api_body(died), content_type=JSON).status_code
            == 403
        )
    for stranger in (died.family, died.other_family):
        assert client_for(stranger).get(url).status_code == 404
        assert client_for(stranger).get(f"/api/v1/team/debriefs/{debrief_id}").status_code == 404
    withdraw = f"/api/v1/team/debriefs/{debrief_id}/withdraw"
    reason = {"reason": "entered in error"}
    assert (
        client_for(died.outsider_nurse).post(withdraw, data=reason, content_type=JSON).status_code
        == 403
    )
    assert client_for(died.family).post(withdraw, data=reason, content_type=JSON).status_code == 404
    done = client_for(died.nurse).post(withdraw, data=reason, content_type=JSON)
    assert done.status_code == 200 and done.json()["withdrawn"] is True
    views = AuditEvent.objects.filter(event_type="debrief.viewed", patient_id=died.patient.pk)
    assert views.filter(actor=died.clinical_lead).exists()


def test_an_active_patient_cannot_be_debriefed_over_the_api(world: World, client_for: Any) -> None:
    world.bring_to("active")
    url = f"/api/v1/patients/{world.patient.external_id}/debriefs"
    assert (
        client_for(world.nurse).post(url, data=api_body(world), content_type=JSON).status_code
        == 409
    )


def test_recent_deaths_without_a_debrief(died: World, client_for: Any) -> None:
    url = "/api/v1/team/deaths-without-debrief"
    listed = client_for(died.coordinator).get(url).json()["items"]
    assert [row["patient_id"] for row in listed] == [str(died.patient.external_id)]
    assert AuditEvent.objects.filter(
        event_type="debrief.deaths_listed", patient_id=died.patient.pk
    ).exists()
    assert client_for(died.clinical_lead).get(url).status_code == 200
    for user in (died.nurse, died.administrator):
        assert client_for(user).get(url).status_code == 403
    services.record_debrief(actor=died.nurse, patient=died.patient, **details(died))
    assert client_for(died.coordinator).get(url).json()["items"] == []
    page = client_for(died.coordinator).get("/team/debriefs/")
    assert page.context["deaths"] == [] and len(page.context["debriefs"]) == 1
    # Long ago is not "recent".
    with clock.travel_to(clock.now() + timedelta(days=queries.RECENT_DEATH_DAYS + 1)):
        assert queries.deaths_without_debrief(died.coordinator) == []


def test_the_debrief_list_shows_only_patients_one_cared_for(died: World, client_for: Any) -> None:
    services.record_debrief(actor=died.nurse, patient=died.patient, **details(died))
    assert len(client_for(died.chaplain).get("/api/v1/team/debriefs").json()["items"]) == 1
    assert client_for(died.outsider_nurse).get("/api/v1/team/debriefs").json()["items"] == []
    assert client_for(died.administrator).get("/api/v1/team/debriefs").json()["items"] == []
    assert len(client_for(died.clinical_lead).get("/api/v1/team/debriefs").json()["items"]) == 1


def test_the_debrief_pages(died: World, client_for: Any) -> None:
    base = f"/patients/{died.patient.external_id}/debriefs/"
    form = {
        "held_on": clock.today().isoformat(),
        "facilitator": str(died.psychologist.external_id),
        "attendees": [str(died.nurse.external_id)],
        "went_well": "Calm.",
        "could_be_better": "Earlier night support.",
        "actions": "",
    }
    assert client_for(died.outsider_nurse).get(base + "add/").status_code == 403
    assert client_for(died.outsider_nurse).post(base + "add/", data=form).status_code == 403
    assert client_for(died.family).get(base).status_code == 302  # staff pages send family away
    assert client_for(died.nurse).get(base + "add/").status_code == 200
    assert client_for(died.nurse).post(base + "add/", data=form).status_code == 302
    debrief = Debrief.objects.get()
    assert client_for(died.clinical_lead).get(base).status_code == 200
    detail = f"/team/debriefs/{debrief.external_id}/"
    assert client_for(died.chaplain).get(detail).status_code == 200
    assert client_for(died.outsider_nurse).get(detail).status_code == 403
    assert client_for(died.outsider_nurse).get(detail + "withdraw/").status_code == 403
    done = client_for(died.nurse).post(detail + "withdraw/", data={"reason": "Duplicate"})
    assert done.status_code == 302
    assert Debrief.objects.current().count() == 0


def test_the_panel_appears_only_after_a_death_for_those_who_may_read(died: World) -> None:
    from hearth.team.templatetags.team_tags import team_debrief_panel

    assert team_debrief_panel(died.patient, died.nurse)["visible"] is True
    assert team_debrief_panel(died.patient, died.outsider_nurse)["visible"] is False
    assert team_debrief_panel(died.other_patient, died.coordinator)["visible"] is False
