"""Pages and API: the same services; every endpoint checks who is asking
(an outsider nurse or another family gets nothing); the family sees only
their own patient's contacts, as months and kinds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import override_settings

from hearth.bereavement import services
from hearth.bereavement.models import BereavementContact, BereavementPlan, RiskScreen
from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.core.pagination import encode_cursor

from .conftest import JSON, lend


@pytest.fixture
def screen(deceased: World, plan: BereavementPlan) -> RiskScreen:
    return services.record_risk_screen(
        actor=deceased.psychologist, plan=plan, factors=["family_conflict"]
    )


def _contact(plan: BereavementPlan) -> BereavementContact:
    found = plan.contacts.order_by("due_on").first()
    assert found is not None
    return found


def _api_calls(
    world: World, plan: BereavementPlan, screen: RiskScreen
) -> list[tuple[str, str, Any]]:
    patient = f"/api/v1/patients/{world.patient.external_id}/bereavement"
    contact = f"/api/v1/bereavement/contacts/{_contact(plan).external_id}"
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    return [
        ("get", patient, None),
        ("post", patient, None),
        ("post", patient + "/contacts", {"due_on": tomorrow, "kind": "phone_call"}),
        ("patch", contact, {"kind": "home_visit"}),
        ("post", contact + "/outcome", {"outcome": "done", "note": "x"}),
        ("post", contact + "/not-needed", {"reason": "x"}),
        ("post", patient + "/risk-screens", {"factors": []}),
        (
            "post",
            f"/api/v1/bereavement/risk-screens/{screen.external_id}/entered-in-error",
            {"reason": "x"},
        ),
        ("post", patient + "/returns/equipment", {}),
        ("post", patient + "/returns/controlled-drugs", {}),
        ("post", patient + "/close", {"note": "x"}),
    ]


def _send(client: Any, method: str, url: str, body: Any) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=body or {}, content_type=JSON)


def test_every_api_endpoint_validates_ownership(
    deceased: World, plan: BereavementPlan, screen: RiskScreen, client_for: Any
) -> None:
    ours = AuditEvent.objects.writes().filter(event_type__startswith="bereavement")
    before = ours.count()
    for user, allowed in (
        (deceased.outsider_nurse, {403}),
        (deceased.other_family, {404}),
        (deceased.family, {404}),  # a family is never told a staff-only thing exists
        (None, {401}),
    ):
        client = client_for(user)
        for method, url, body in _api_calls(deceased, plan, screen):
            answer = _send(client, method, url, body)
            assert answer.status_code in allowed, (user, method, url, answer.content)
    assert ours.count() == before
    assert _contact(plan).status == "planned" and plan.contacts.count() == 4


def test_the_team_works_the_plan_over_the_api(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    api = client_for(deceased.psychologist)
    url = f"/api/v1/patients/{deceased.patient.external_id}/bereavement"
    body = api.get(url).json()
    assert [c["kind"] for c in body["contacts"]] == [
        "phone_call",
        "home_visit",
        "letter_or_card",
        "anniversary",
    ]
    assert body["contacts"][0]["relatives"][0]["is_primary_caregiver"] is True
    assert body["returns"]["equipment_at_home"] == []
    high = api.post(
        url + "/risk-screens",
        data={"factors": ["family_conflict", "previous_losses", "young_carer_or_children"]},
        content_type=JSON,
    )
    assert high.status_code == 201, high.content
    assert high.json()["result"] == "high" and high.json()["extra_contact_id"]
    bad = api.post(url + "/risk-screens", data={"factors": ["nope"]}, content_type=JSON)
    assert bad.status_code == 422
    contact = body["contacts"][0]["id"]
    done = api.post(
        f"/api/v1/bereavement/contacts/{contact}/outcome",
        data={"outcome": "done", "note": "Talked."},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.get(url).json()["episode_state"] == "bereavement"
    lend(deceased, serial="O2-7", kind="oxygen_concentrator")
    refused = api.post(url + "/returns/equipment", data={}, content_type=JSON)
    assert refused.status_code == 409 and "O2-7" in refused.json()["detail"]
    closing = api.post(url + "/close", data={"note": "x"}, content_type=JSON)
    assert closing.status_code == 409 and closing.json()["code"] == "open_contacts"
    assert (
        api.post(url + "/close", data={"note": "x", "extra": 1}, content_type=JSON).status_code
        == 422
    )


def test_the_worklist_shows_due_contacts_on_my_patients_only(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    first = _contact(plan)
    with clock.travel_to(clock.now() + timedelta(days=10)):
        mine = client_for(deceased.psychologist).get("/api/v1/bereavement/worklist").json()["items"]
        assert [row["plan_id"] for row in mine] == [str(plan.external_id)]
        assert mine[0]["next_due"] == first.due_on.isoformat()
        assert (
            client_for(deceased.outsider_nurse).get("/api/v1/bereavement/worklist").json()["items"]
            == []
        )
        assert client_for(deceased.family).get("/api/v1/bereavement/worklist").status_code == 404
        page = client_for(deceased.psychologist).get("/bereavement/")
        assert page.status_code == 200 and deceased.patient.full_name in page.content.decode()
        assert AuditEvent.objects.filter(event_type="bereavement_plans.listed").exists()
    # Today nothing is due within the week (the first contact is at 14 days)...
    assert (
        client_for(deceased.psychologist).get("/api/v1/bereavement/worklist").json()["items"] == []
    )
    # ...but every open plan is one click away.
    every = (
        client_for(deceased.psychologist)
        .get("/api/v1/bereavement/worklist?all=true")
        .json()["items"]
    )
    assert len(every) == 1


@override_settings(HEARTH_FAMILY_HELPLINE_PHONE="+44 20 0000 9999")
def test_the_family_sees_their_own_contacts_as_months(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    services.record_contact(
        actor=deceased.psychologist,
        contact=_contact(plan),
        outcome="done",
        note="Private staff note",
    )
    body = client_for(deceased.family).get("/api/v1/portal/bereavement").json()
    assert body["has_plan"] and len(body["upcoming"]) == 3 and len(body["past"]) == 1
    assert body["upcoming"][0]["month"].endswith("-01")
    assert body["helpline_phone"] == "+44 20 0000 9999"
    page = client_for(deceased.family).get("/portal/bereavement/")
    text = page.content.decode()
    assert page.status_code == 200 and "+44 20 0000 9999" in text
    assert "Private staff note" not in text and "Private staff note" not in str(body)
    # The other family's patient is alive: no plan, nothing of patient A.
    other = client_for(deceased.other_family).get("/api/v1/portal/bereavement").json()
    assert other["has_plan"] is False and other["upcoming"] == []
    other_page = client_for(deceased.other_family).get("/portal/bereavement/")
    assert other_page.status_code == 200
    assert deceased.patient.given_name not in other_page.content.decode()
    # Staff use the staff pages.
    assert client_for(deceased.nurse).get("/api/v1/portal/bereavement").status_code == 404


def test_the_staff_page_shows_the_plan_and_checklist(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    lend(deceased, serial="MAT-9")
    page = client_for(deceased.nurse).get(f"/patients/{deceased.patient.external_id}/bereavement/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "MAT-9" in text and f"/patients/{deceased.patient.external_id}/equipment/" in text
    assert "Anniversary contact" in text


def test_every_page_validates_ownership(
    deceased: World, plan: BereavementPlan, screen: RiskScreen, client_for: Any
) -> None:
    patient = f"/patients/{deceased.patient.external_id}/bereavement"
    contact = f"/bereavement/contacts/{_contact(plan).external_id}"
    pages = [
        patient + "/",
        patient + "/contacts/add/",
        contact + "/change/",
        contact + "/record/",
        contact + "/not-needed/",
        patient + "/risk-screen/",
        f"/bereavement/risk-screens/{screen.external_id}/entered-in-error/",
        patient + "/returns/equipment/",
        patient + "/returns/controlled-drugs/",
        patient + "/close/",
    ]
    outsider = client_for(deceased.outsider_nurse)
    family = client_for(deceased.family)
    for url in pages:
        for method in ("get", "post"):
            answer = getattr(outsider, method)(url)
            # Outside the caseload: offered audited emergency access, never the page.
            assert answer.status_code == 302 and "emergency" in answer["Location"], url
            assert getattr(family, method)(url).status_code == 302, url
    start = outsider.post(patient + "/start/")
    assert start.status_code == 302 and "emergency" in start["Location"]
    # A volunteer reads only the volunteer brief: the record is not found for them.
    volunteer = client_for(deceased.volunteer)
    assert volunteer.get(patient + "/close/").status_code == 404
    assert volunteer.get(patient + "/risk-screen/").status_code == 404
    assert client_for(deceased.coordinator).get(patient + "/risk-screen/").status_code == 403
    assert (
        client_for(deceased.social_worker).get(patient + "/returns/controlled-drugs/").status_code
        == 403
    )
    assert _contact(plan).status == "planned"


def test_a_contact_is_recorded_through_the_page(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    contact = _contact(plan)
    client = client_for(deceased.psychologist)
    url = f"/bereavement/contacts/{contact.external_id}/record/"
    when = clock.now().strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"outcome": "done", "done_at": when, "note": ""})
    assert refused.status_code == 422
    done = client.post(url, {"outcome": "done", "done_at": when, "note": "Talked at length."})
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.status == "done" and contact.outcome_note == "Talked at length."
    close = client.post(
        f"/patients/{deceased.patient.external_id}/bereavement/close/", {"note": "x"}
    )
    assert close.status_code == 409 and "still planned" in close.content.decode()


def test_the_panel_shows_the_next_contact(deceased: World, plan: BereavementPlan) -> None:
    from django.template import Context, Template

    html = Template("{% load bereavement_tags %}{% bereavement_panel patient user %}").render(
        Context({"patient": deceased.patient, "user": deceased.nurse})
    )
    assert "Bereavement follow-up" in html and "Phone call" in html
    hidden = Template("{% load bereavement_tags %}{% bereavement_panel patient user %}").render(
        Context({"patient": deceased.patient, "user": deceased.outsider_nurse})
    )
    assert "Bereavement" not in hidden


def test_the_portal_menu_offers_our_contacts_only_after_a_death(world, client_for):
    from django.urls import reverse

    world.bring_to("deceased")
    still_caring = client_for(world.other_family).get(reverse("portal")).content.decode()
    assert reverse("portal_bereavement") not in still_caring
    bereaved = client_for(world.family).get(reverse("portal")).content.decode()
    assert reverse("portal_bereavement") in bereaved


def test_the_worklist_pages_in_the_database_after_a_cursor(
    deceased: World, plan: BereavementPlan, client_for: Any
) -> None:
    """The worklist's order (soonest contact due, plans with nothing planned
    last) is computed by the database, so a cursor filters on the aggregate:
    rows after a position before the plan include it, after it nothing."""
    _contact(plan)
    api = client_for(deceased.psychologist)
    url = "/api/v1/bereavement/worklist"
    (row,) = api.get(url, {"all": True}).json()["items"]
    due = date.fromisoformat(row["next_due"])
    before = encode_cursor("bereavement-worklist", [due - timedelta(days=1), 0])
    after = encode_cursor("bereavement-worklist", [due, plan.pk])
    assert [
        r["plan_id"] for r in api.get(url, {"all": True, "cursor": before}).json()["items"]
    ] == [row["plan_id"]]
    assert api.get(url, {"all": True, "cursor": after}).json() == {"items": [], "next": None}
    foreign = encode_cursor("patients", [due, plan.pk])
    refused = api.get(url, {"all": True, "cursor": foreign})
    assert refused.status_code == 400 and refused.json()["code"] == "bad_cursor"
