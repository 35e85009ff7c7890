"""The "what matters to me" profile: sections, weekly windows, legacy items and
the family's proposals."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.utils import translation

from hearth.conftest import World
from hearth.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.personhood import services
from hearth.personhood.choices import ProposalStatus
from hearth.personhood.models import Communication, Diet, ProfileProposal, WeeklyWindow


def test_it_records_who_wrote_a_section_and_keeps_its_history(active: World) -> None:
    services.update_section(
        actor=active.nurse,
        patient=active.patient,
        section="diet",
        changes={"practices": ["halal"], "favourite_foods": "Dates"},
    )
    row = services.update_section(
        actor=active.social_worker,
        patient=active.patient,
        section="diet",
        changes={"favourite_foods": "Dates and mint tea"},
    )
    assert row.recorded_by == active.social_worker
    assert row.practices == ["halal"]  # fields not sent keep their value
    history = list(Diet.history.filter(patient=active.patient).order_by("history_date"))
    assert [h.favourite_foods for h in history] == ["Dates", "Dates and mint tea"]
    event = AuditEvent.objects.filter(event_type="profile.section_updated").order_by("pk").last()
    assert event is not None
    assert event.changes["favourite_foods"] == {"from": "Dates", "to": "Dates and mint tea"}


def test_it_refuses_unknown_fields_and_bad_choices_naming_the_field(active: World) -> None:
    with pytest.raises(ValidationFailed) as unknown:
        services.update_section(
            actor=active.nurse, patient=active.patient, section="diet", changes={"colour": "red"}
        )
    assert "colour" in unknown.value.field_errors
    with pytest.raises(ValidationFailed) as bad:
        services.update_section(
            actor=active.nurse,
            patient=active.patient,
            section="diet",
            changes={"practices": ["halal", "paleo"]},
        )
    assert "practices" in bad.value.field_errors
    with pytest.raises(ValidationFailed) as rule:
        services.update_section(
            actor=active.nurse,
            patient=active.patient,
            section="communication",
            changes={"interpreter_arranged": True},
        )
    assert "interpreter_needed" in rule.value.field_errors
    assert not Diet.objects.filter(patient=active.patient).exists()
    assert not Communication.objects.filter(patient=active.patient).exists()


def test_it_lets_only_the_team_edit_and_only_the_family_propose(active: World) -> None:
    for outsider in (active.family, active.volunteer, active.commission_member):
        with pytest.raises(NotAllowed):
            services.update_section(
                actor=outsider, patient=active.patient, section="values", changes={"goals": "x"}
            )
    with pytest.raises(NotAllowed):
        services.propose_change(
            actor=active.nurse, patient=active.patient, section="values", text="x"
        )
    with pytest.raises(NotAllowed):
        services.propose_change(
            actor=active.other_family, patient=active.patient, section="values", text="x"
        )


def test_it_reads_windows_that_cross_midnight(active: World) -> None:
    window = services.add_weekly_window(
        actor=active.nurse,
        patient=active.patient,
        kind="do_not_disturb",
        label="Night",
        weekdays=[4],  # Friday
        starts_at="22:00",
        ends_at="07:00",
    )
    assert window.crosses_midnight
    assert window.minutes_on(4) == [(22 * 60, 24 * 60)]
    assert window.minutes_on(5) == [(0, 7 * 60)]  # Saturday morning
    assert window.minutes_on(3) == []


def test_the_days_of_a_window_are_kept_for_each_readers_language(active: World) -> None:
    some_days = services.add_weekly_window(
        actor=active.nurse,
        patient=active.patient,
        kind="do_not_disturb",
        label="Rest",
        weekdays=[1, 0],
        starts_at="07:30",
        ends_at="08:15",
    )
    every_day = services.add_weekly_window(
        actor=active.nurse,
        patient=active.patient,
        kind="do_not_disturb",
        label="Nap",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        starts_at="13:00",
        ends_at="14:30",
    )
    first, second = (
        AuditEvent.objects.get(event_type="profile.window_added", object_id=str(w.external_id))
        for w in (some_days, every_day)
    )
    assert first.summary_key == "Weekly window added: %(window)s, %(days)s"
    assert first.summary_params["days"] == {
        "$j": [
            {"$t": "Monday", "$c": "weekday in a list"},
            {"$t": "Tuesday", "$c": "weekday in a list"},
        ],
        "$s": ", ",
    }
    assert second.summary_params["days"] == {"$t": "every day"}
    with translation.override("en"):
        assert first.summary_text == "Weekly window added: Rest 07:30–08:15, Monday, Tuesday"
        assert second.summary_text == "Weekly window added: Nap 13:00–14:30, every day"
        assert some_days.days_label == "Monday, Tuesday"


def test_it_refuses_a_window_without_days_or_length(active: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.add_weekly_window(
            actor=active.nurse,
            patient=active.patient,
            kind="prayer",
            label="Fajr",
            weekdays=[],
            starts_at="05:00",
            ends_at="05:00",
        )
    assert {"weekdays", "ends_at"} <= set(error.value.field_errors)
    assert not WeeklyWindow.objects.exists()


def test_it_ends_a_window_instead_of_deleting_it(active: World) -> None:
    window = services.add_weekly_window(
        actor=active.nurse,
        patient=active.patient,
        kind="prayer",
        label="Maghrib",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        starts_at=time(17, 0),
        ends_at=time(17, 20),
    )
    services.remove_weekly_window(actor=active.chaplain, window=window)
    window.refresh_from_db()
    assert window.removed_by == active.chaplain
    assert not WeeklyWindow.objects.current().exists()
    with pytest.raises(Conflict):
        services.remove_weekly_window(actor=active.chaplain, window=window)


def test_it_takes_a_proposal_into_the_record_and_keeps_both(active: World) -> None:
    proposal = services.propose_change(
        actor=active.family,
        patient=active.patient,
        section="home",
        text="Mum loves the smell of lavender and hates the radio on.",
    )
    accepted = services.accept_proposal(
        actor=active.nurse,
        proposal=proposal,
        changes={"scents": "Lavender", "music": "Quiet, no radio"},
        response="Thank you, we have added it.",
    )
    assert accepted.status == ProposalStatus.ACCEPTED
    assert accepted.text.startswith("Mum loves")  # their words are kept as written
    from hearth.personhood.models import HomeEnvironment

    home = HomeEnvironment.objects.get(patient=active.patient)
    assert home.scents == "Lavender"
    assert home.recorded_by == active.nurse
    with pytest.raises(Conflict):
        services.decline_proposal(actor=active.nurse, proposal=accepted, response="No")


def test_it_needs_a_reply_to_decline(active: World) -> None:
    proposal = services.propose_change(
        actor=active.patient_user, patient=active.patient, section="values", text="I want to fish."
    )
    with pytest.raises(ValidationFailed):
        services.decline_proposal(actor=active.nurse, proposal=proposal, response=" ")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    declined = services.decline_proposal(
        actor=active.nurse, proposal=proposal, response="Added as a bucket-list wish instead."
    )
    assert declined.status == ProposalStatus.DECLINED


def test_it_shows_the_family_their_proposals_and_accepted_words(
    active: World, client_for: Any
) -> None:
    proposal = services.propose_change(
        actor=active.family, patient=active.patient, section="faith", text="Dad prays at dawn."
    )
    services.accept_proposal(actor=active.chaplain, proposal=proposal, response="Noted.")
    page = client_for(active.family).get("/portal/profile/").content.decode()
    assert "Dad prays at dawn." in page
    assert "Noted." in page
    staff_page = (
        client_for(active.nurse)
        .get(f"/patients/{active.patient.external_id}/profile/")
        .content.decode()
    )
    assert "Dad prays at dawn." in staff_page


def test_it_lets_the_family_propose_from_the_portal(active: World, client_for: Any) -> None:
    response = client_for(active.family).post(
        "/portal/profile/propose/", {"section": "diet", "text": "No pork, ever."}
    )
    assert response.status_code == 302
    proposal = ProfileProposal.objects.get()
    assert proposal.proposed_by == active.family
    assert proposal.patient == active.patient
    empty = client_for(active.family).post("/portal/profile/propose/", {"section": "diet"})
    assert empty.status_code == 422
    assert ProfileProposal.objects.count() == 1


def test_the_api_names_the_bad_field(active: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{active.patient.external_id}/profile/routine"
    response = client_for(active.nurse).put(
        url, {"wakes_at": "half past seven"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "wakes_at" in response.json()["errors"]
    good = client_for(active.nurse).put(url, {"wakes_at": "07:30"}, content_type="application/json")
    assert good.status_code == 200
    assert good.json()["content"]["wakes_at"] == "07:30:00"
    profile = client_for(active.family).get(
        f"/api/v1/patients/{active.patient.external_id}/profile"
    )
    routine = next(s for s in profile.json()["sections"] if s["section"] == "routine")
    assert routine["recorded_by"]["name"] == active.nurse.display_name


def test_other_families_cannot_find_the_profile(active: World, client_for: Any) -> None:
    response = client_for(active.other_family).get(
        f"/api/v1/patients/{active.patient.external_id}/profile"
    )
    assert response.status_code == 404
    with pytest.raises(NotFound):
        from hearth.patients import access

        access.access_patient(active.other_family, active.patient.external_id, clinical=False)


def test_the_family_never_reads_who_must_not_be_told(active: World, client_for: Any) -> None:
    services.update_section(
        actor=active.psychologist,
        patient=active.patient,
        section="information",
        changes={
            "information_wish": "full",
            "who_must_not_be_told": "Her daughter must not hear the prognosis yet.",
        },
    )
    secret = "must not hear the prognosis"
    family = client_for(active.family)
    api = family.get(f"/api/v1/patients/{active.patient.external_id}/profile").content.decode()
    assert secret not in api
    assert secret not in family.get("/portal/profile/").content.decode()
    staff = client_for(active.psychologist)
    assert secret in staff.get(f"/patients/{active.patient.external_id}/").content.decode()
    assert (
        secret
        in staff.get(f"/api/v1/patients/{active.patient.external_id}/profile").content.decode()
    )
    patient_view = client_for(active.patient_user).get(
        f"/api/v1/patients/{active.patient.external_id}/profile"
    )
    assert secret in patient_view.content.decode()  # their own words


def test_each_version_of_a_section_says_who_changed_what(active: World, client_for: Any) -> None:
    services.update_section(
        actor=active.nurse,
        patient=active.patient,
        section="end_of_life",
        changes={"preferred_place_of_death": "hospice"},
    )
    services.update_section(
        actor=active.physician,
        patient=active.patient,
        section="end_of_life",
        changes={"preferred_place_of_death": "home", "people_present": "Her sister"},
    )
    url = f"/api/v1/patients/{active.patient.external_id}/profile/end_of_life/history"
    versions = client_for(active.family).get(url).json()["items"]
    assert [v["recorded_by"]["name"] for v in versions] == [
        active.physician.display_name,
        active.nurse.display_name,
    ]
    assert versions[0]["changed"] == ["preferred_place_of_death", "people_present"]
    assert versions[1]["content"]["preferred_place_of_death"] == "hospice"
    page = client_for(active.nurse).get(
        f"/patients/{active.patient.external_id}/profile/end_of_life/history/"
    )
    assert "Her sister" in page.content.decode()


def test_the_record_tells_staff_when_the_family_is_waiting_for_an_answer(
    active: World, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/"
    assert "Please read and answer" not in client_for(active.nurse).get(url).content.decode()
    proposal = services.propose_change(
        actor=active.family,
        patient=active.patient,
        section="values",
        text="He wants to see the sea.",
    )
    assert "wrote 1 message" in client_for(active.nurse).get(url).content.decode()
    services.accept_proposal(actor=active.nurse, proposal=proposal)
    assert "Please read and answer" not in client_for(active.nurse).get(url).content.decode()
