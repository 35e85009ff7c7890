"""Pages and API: the same services, and each endpoint checks who is asking.
One "validates ownership" check per endpoint: an outsider (another
volunteer, a nurse off the team, another family) gets 403/404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings

from hearth.conftest import World
from hearth.core import clock
from hearth.volunteers.choices import TrainingModule
from hearth.volunteers.models import VolunteerAssignment, WeeklySlot

from .conftest import make_profile, new_volunteer, propose

JSON = "application/json"


def _started(world: World, volunteer: Any = None) -> VolunteerAssignment:
    from hearth.volunteers import services

    volunteer = volunteer or new_volunteer("bethan.hughes")
    make_profile(world, volunteer)
    assignment = propose(world, volunteer)
    return services.activate_assignment(actor=world.coordinator, assignment=assignment)


# --- The coordinator's list and profile ----------------------------------------------


def test_the_list_is_the_coordinators(active: World, client_for: Any) -> None:
    assignment = _started(active)
    page = client_for(active.coordinator).get("/volunteers/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bethan Hughes" in text and "Alice Able" in text and "complete" in text
    for who in (active.nurse, active.volunteer, assignment.volunteer):
        assert client_for(who).get("/volunteers/").status_code == 403
    assert client_for(active.family).get("/volunteers/").status_code == 302  # to the portal
    api = client_for(active.coordinator).get("/api/v1/volunteers").json()["items"]
    (row,) = api
    assert row["training_complete"] and row["vetting_current"]
    assert row["assignments"][0]["patient_name"] == "Alice Able"
    for who, refused in ((active.nurse, 403), (assignment.volunteer, 403), (active.family, 404)):
        assert client_for(who).get("/api/v1/volunteers").status_code == refused


def test_the_profile_page_is_the_coordinators(active: World, client_for: Any) -> None:
    assignment = _started(active)
    profile = assignment.volunteer.volunteer_profile
    url = f"/volunteers/{profile.external_id}/"
    page = client_for(active.coordinator).get(url)
    assert page.status_code == 200 and "Prefers afternoons." in page.content.decode()
    assert client_for(assignment.volunteer).get(url).status_code == 403
    assert client_for(active.nurse).get(url).status_code == 403
    api = f"/api/v1/volunteers/{profile.external_id}"
    assert client_for(active.coordinator).get(api).json()["notes"] == "Prefers afternoons."
    assert client_for(assignment.volunteer).get(api).status_code == 403
    missing = client_for(active.coordinator).get(
        "/api/v1/volunteers/00000000-0000-0000-0000-000000000000"
    )
    assert missing.status_code == 404


def test_profiles_are_created_and_changed_by_the_coordinator(
    active: World, client_for: Any
) -> None:
    volunteer = new_volunteer()
    body = {
        "volunteer_id": str(volunteer.external_id),
        "started_on": clock.today().isoformat(),
        "offers": ["sitting"],
    }
    assert client_for(active.nurse).post("/api/v1/volunteers", body, JSON).status_code == 403
    assert client_for(volunteer).post("/api/v1/volunteers", body, JSON).status_code == 403
    created = client_for(active.coordinator).post("/api/v1/volunteers", body, JSON)
    assert created.status_code == 201, created.content
    profile_id = created.json()["id"]
    patch = {"area": "Hackney", "vetting_checked_on": clock.today().isoformat()}
    refused = client_for(active.coordinator).patch(f"/api/v1/volunteers/{profile_id}", patch, JSON)
    assert refused.status_code == 422 and "vetting_expires_on" in refused.json()["errors"]
    assert (
        client_for(volunteer).patch(f"/api/v1/volunteers/{profile_id}", {"area": "x"}, JSON)
    ).status_code == 403
    typo = client_for(active.coordinator).patch(
        f"/api/v1/volunteers/{profile_id}", {"aera": "x"}, JSON
    )
    assert typo.status_code == 422
    page = client_for(active.coordinator).post(
        f"/volunteers/{profile_id}/edit/",
        {"started_on": clock.today().isoformat(), "offers": ["sitting", "errands"], "area": "Bow"},
    )
    assert page.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.volunteer_profile.offers == ["sitting", "errands"]
    assert client_for(volunteer).get(f"/volunteers/{profile_id}/edit/").status_code == 403


def test_training_is_recorded_by_the_coordinator(active: World, client_for: Any) -> None:
    volunteer = new_volunteer()
    profile = make_profile(active, volunteer, modules=[])
    url = f"/api/v1/volunteers/{profile.external_id}/training"
    body = {"module": "safeguarding", "completed_on": clock.today().isoformat()}
    assert client_for(volunteer).post(url, body, JSON).status_code == 403
    assert client_for(active.nurse).post(url, body, JSON).status_code == 403
    recorded = client_for(active.coordinator).post(url, body, JSON)
    assert recorded.status_code == 201 and recorded.json()["current"]
    future = {**body, "completed_on": (clock.today() + timedelta(days=3)).isoformat()}
    assert client_for(active.coordinator).post(url, future, JSON).status_code == 422
    withdraw = f"/api/v1/volunteer-training/{recorded.json()['id']}/withdraw"
    assert client_for(volunteer).post(withdraw, {"reason": "x"}, JSON).status_code == 403
    withdrawn = client_for(active.coordinator).post(withdraw, {"reason": "Wrong"}, JSON)
    assert withdrawn.json()["withdrawn"] is True
    assert client_for(active.coordinator).post(withdraw, {"reason": "x"}, JSON).status_code == 409
    page = client_for(active.coordinator).get(f"/volunteers/{profile.external_id}/")
    assert "Cannot be assigned until this training is complete" in page.content.decode()
    assert (
        client_for(volunteer).get(f"/volunteers/{profile.external_id}/training/add/").status_code
        == 403
    )


# --- A volunteer's own page and availability -------------------------------------------


def test_a_volunteer_sees_only_their_own(active: World, client_for: Any) -> None:
    assignment = _started(active)
    bethan = assignment.volunteer
    other = new_volunteer("olga.other")
    make_profile(active, other)
    mine = client_for(bethan).get("/volunteers/me/")
    assert mine.status_code == 200 and "Alice Able" in mine.content.decode()
    assert "Prefers afternoons." not in mine.content.decode()  # the coordinator's notes
    theirs = client_for(other).get("/volunteers/me/")
    assert theirs.status_code == 200 and "Alice Able" not in theirs.content.decode()
    body = client_for(other).get("/api/v1/volunteers/me").json()
    assert body["assignments"] == [] and "notes" not in body
    assert (
        client_for(bethan).get("/api/v1/volunteers/me").json()["assignments"][0]["patient_name"]
        == "Alice Able"
    )
    assert client_for(active.nurse).get("/volunteers/me/").status_code == 403
    assert client_for(active.nurse).get("/api/v1/volunteers/me").status_code == 403
    no_profile = new_volunteer("vol.new2")
    assert client_for(no_profile).get("/api/v1/volunteers/me").status_code == 404
    assert client_for(no_profile).get("/volunteers/me/").status_code == 200


def test_availability_endpoints_check_ownership(active: World, client_for: Any) -> None:
    mine = make_profile(active, new_volunteer("vol.mine"))
    other = new_volunteer("vol.other")
    make_profile(active, other)
    url = f"/api/v1/volunteers/{mine.external_id}/weekly-slots"
    slot = {"weekday": 1, "starts_at": "13:00", "ends_at": "17:00"}
    assert client_for(other).post(url, slot, JSON).status_code == 403
    assert client_for(active.nurse).post(url, slot, JSON).status_code == 403
    added = client_for(mine.volunteer).post(url, slot, JSON)
    assert added.status_code == 201
    clash = client_for(mine.volunteer).post(
        url, {**slot, "starts_at": "16:00", "ends_at": "18:00"}, JSON
    )
    assert clash.status_code == 422 and "starts_at" in clash.json()["errors"]
    backwards = client_for(mine.volunteer).post(
        url, {**slot, "weekday": 2, "ends_at": "12:00"}, JSON
    )
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["errors"]
    bad_day = client_for(mine.volunteer).post(url, {**slot, "weekday": 9}, JSON)
    assert bad_day.status_code == 422
    slot_url = f"/api/v1/volunteer-slots/{added.json()['id']}"
    assert client_for(other).delete(slot_url).status_code == 403
    assert client_for(mine.volunteer).delete(slot_url).status_code == 204
    away_url = f"/api/v1/volunteers/{mine.external_id}/away"
    away = {
        "starts_on": (clock.today() + timedelta(days=3)).isoformat(),
        "ends_on": (clock.today() + timedelta(days=5)).isoformat(),
    }
    assert client_for(other).post(away_url, away, JSON).status_code == 403
    made = client_for(active.coordinator).post(away_url, away, JSON)
    assert made.status_code == 201
    assert (
        client_for(other).delete(f"/api/v1/volunteer-away/{made.json()['id']}").status_code == 403
    )
    assert (
        client_for(mine.volunteer).delete(f"/api/v1/volunteer-away/{made.json()['id']}").status_code
        == 204
    )
    # The pages: the volunteer adds their own, not another's.
    page = client_for(mine.volunteer).post(
        f"/volunteers/{mine.external_id}/slots/add/",
        {"weekday": 3, "starts_at": "10:00", "ends_at": "12:00"},
    )
    assert page.status_code == 302 and page["Location"] == "/volunteers/me/"
    assert (
        client_for(other)
        .post(
            f"/volunteers/{mine.external_id}/slots/add/",
            {"weekday": 4, "starts_at": "10:00", "ends_at": "12:00"},
        )
        .status_code
        == 403
    )
    slot_row = WeeklySlot.objects.get(profile=mine)
    assert (
        client_for(other).post(f"/volunteers/slots/{slot_row.external_id}/remove/").status_code
        == 403
    )
    assert (
        client_for(mine.volunteer)
        .post(f"/volunteers/slots/{slot_row.external_id}/remove/")
        .status_code
        == 302
    )
    assert not WeeklySlot.objects.filter(profile=mine).exists()
    refused = client_for(mine.volunteer).post(
        f"/volunteers/{mine.external_id}/away/add/",
        {"starts_on": "2020-01-05", "ends_on": "2020-01-01"},
    )
    assert refused.status_code == 422


# --- A person's volunteers -----------------------------------------------------------------


def test_the_team_sees_a_persons_volunteers(active: World, client_for: Any) -> None:
    assignment = _started(active)
    url = f"/patients/{active.patient.external_id}/volunteers/"
    page = client_for(active.nurse).get(url)
    assert page.status_code == 200 and "Bethan Hughes" in page.content.decode()
    # On the team, yet the volunteer reads the brief, not this page (issue 18).
    assert client_for(assignment.volunteer).get(url).status_code == 404
    assert client_for(active.outsider_nurse).get(url).status_code == 302  # offered emergency access
    assert client_for(active.family).get(url).status_code == 302  # to the portal
    api = f"/api/v1/patients/{active.patient.external_id}/volunteers"
    assert client_for(active.nurse).get(api).json()["items"][0]["on_care_team"] is True
    assert client_for(active.outsider_nurse).get(api).status_code == 403
    assert client_for(active.family).get(api).status_code == 404
    assert client_for(active.other_family).get(api).status_code in (403, 404)


def test_assigning_over_the_pages_and_api(active: World, client_for: Any) -> None:
    volunteer = new_volunteer("gareth.morgan")
    make_profile(active, volunteer, modules=[TrainingModule.INDUCTION])
    page_url = f"/patients/{active.patient.external_id}/volunteers/assign/"
    form = {
        "volunteer": str(volunteer.external_id),
        "kind": "sitting",
        "starts_on": clock.today().isoformat(),
        "usual_times": "Tuesdays 2–5 pm",
    }
    assert client_for(active.nurse).get(page_url).status_code == 403
    assert "Gareth Morgan" in client_for(active.coordinator).get(page_url).content.decode()
    new_profile = client_for(active.coordinator).get("/volunteers/add/")
    assert new_profile.status_code == 200 and "Gareth Morgan" not in new_profile.content.decode()
    assert client_for(active.nurse).get("/volunteers/add/").status_code == 403
    refused = client_for(active.coordinator).post(page_url, form)
    assert refused.status_code == 422
    assert "Safeguarding adults and children" in refused.content.decode()
    api_url = f"/api/v1/patients/{active.patient.external_id}/volunteers"
    volunteer_id = form.pop("volunteer")
    body = {**form, "volunteer_id": volunteer_id}
    refused_api = client_for(active.coordinator).post(api_url, body, JSON)
    assert refused_api.status_code == 422 and refused_api.json()["code"] == "not_eligible"
    assert "Safeguarding" in refused_api.json()["detail"]
    assert client_for(active.nurse).post(api_url, body, JSON).status_code == 403
    assert client_for(active.outsider_nurse).post(api_url, body, JSON).status_code == 403

    ready = new_volunteer("vol.ready")
    make_profile(active, ready)
    proposed = client_for(active.coordinator).post(
        api_url, {**body, "volunteer_id": str(ready.external_id)}, JSON
    )
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    assignment_id = proposed.json()["id"]
    start = f"/api/v1/volunteer-assignments/{assignment_id}/activate"
    assert client_for(active.nurse).post(start).status_code == 403
    assert client_for(ready).post(start).status_code == 403
    started = client_for(active.coordinator).post(start)
    assert started.json()["status"] == "active" and started.json()["on_care_team"]
    end = f"/api/v1/volunteer-assignments/{assignment_id}/end"
    assert (
        client_for(active.nurse).post(end, {"reason": "other", "note": "x"}, JSON).status_code
        == 403
    )
    assert client_for(active.coordinator).post(end, {"reason": "nope"}, JSON).status_code == 422
    ended = client_for(active.coordinator).post(end, {"reason": "family_request"}, JSON)
    assert ended.json()["status"] == "ended" and ended.json()["on_care_team"] is False
    assert (
        client_for(active.coordinator).post(end, {"reason": "other", "note": "x"}, JSON).status_code
        == 409
    )


def test_starting_and_ending_over_the_pages(active: World, client_for: Any) -> None:
    volunteer = new_volunteer()
    make_profile(active, volunteer)
    assignment = propose(active, volunteer)
    start = f"/volunteers/assignments/{assignment.external_id}/start/"
    assert client_for(active.nurse).post(start).status_code == 403
    assert client_for(active.coordinator).get(start).status_code == 200
    assert client_for(active.coordinator).post(start).status_code == 302
    end = f"/volunteers/assignments/{assignment.external_id}/end/"
    # The assignment opens through the patient, which a volunteer is told does not exist.
    assert client_for(volunteer).post(end, {"reason": "volunteer_request"}).status_code == 404
    assert (
        client_for(active.coordinator).post(end, {"reason": "volunteer_request"}).status_code == 302
    )
    assignment.refresh_from_db()
    assert assignment.status == "ended"


def test_the_panel_on_the_record(active: World) -> None:
    from django.template import Context, Template

    _started(active)
    html = Template("{% load volunteers_tags %}{% volunteers_panel patient user %}").render(
        Context({"patient": active.patient, "user": active.coordinator})
    )
    assert "Bethan Hughes" in html and "Propose a volunteer" in html
    nurse_view = Template("{% load volunteers_tags %}{% volunteers_panel patient user %}").render(
        Context({"patient": active.patient, "user": active.nurse})
    )
    assert "Propose a volunteer" not in nurse_view


# --- The family ------------------------------------------------------------------------------


@override_settings(HEARTH_SERVICE_PHONE="+44 20 7000 1234")
def test_the_family_sees_their_volunteer_without_a_phone(active: World, client_for: Any) -> None:
    assignment = _started(active)
    phone = assignment.volunteer.phone
    page = client_for(active.family).get("/portal/volunteers/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bethan" in text and "Hughes" not in text and "Tuesdays 2–5 pm" in text
    assert phone not in text and "+44 20 7000 1234" in text
    body = client_for(active.family).get("/api/v1/portal/volunteers").json()
    assert body["service_phone"] == "+44 20 7000 1234"
    (volunteer,) = body["volunteers"]
    assert volunteer == {
        "first_name": "Bethan",
        "kind": "sitting",
        "kind_label": volunteer["kind_label"],
        "usual_times": "Tuesdays 2–5 pm",
        "starts_on": clock.today().isoformat(),
        "ends_on": None,
    }
    assert client_for(active.patient_user).get("/api/v1/portal/volunteers").json()["volunteers"]
    # Another family sees nothing of patient A's volunteer.
    other = client_for(active.other_family).get("/portal/volunteers/").content.decode()
    assert "Bethan" not in other
    assert (
        client_for(active.other_family).get("/api/v1/portal/volunteers").json()["volunteers"] == []
    )
    # Staff use the staff pages.
    assert client_for(active.nurse).get("/portal/volunteers/").status_code == 302
    assert client_for(active.nurse).get("/api/v1/portal/volunteers").status_code == 403


def test_a_proposed_volunteer_is_not_shown_to_the_family(active: World, client_for: Any) -> None:
    volunteer = new_volunteer("xena.x")
    make_profile(active, volunteer)
    propose(active, volunteer)
    assert "Xena" not in client_for(active.family).get("/portal/volunteers/").content.decode()
