"""A staff member's wellbeing answers are visible to nobody else.

Every reader is tried: another member of staff, the administrator, the
coordinator, the clinical lead (aggregates only, and only for groups of the
minimum size), the Django admin, the API and the audit trail.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import override_settings

from hearth.accounts.models import User
from hearth.api import api
from hearth.conftest import World
from hearth.core.errors import Conflict, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.team import queries, services
from hearth.team.models import WellbeingCheckIn

JSON = "application/json"
# Distinctive answers for the person whose privacy is tested.
SECRET = {"energy": 1, "sleep": 2, "supported": 1, "emotional_load": 1, "workload": 2}


def answers(value: int) -> dict[str, int]:
    return {item: value for item in SECRET}


def submit(user: User, values: dict[str, int] | None = None) -> WellbeingCheckIn:
    return services.submit_wellbeing_check_in(actor=user, **(values or answers(4)))


def clinical_group(world: World) -> list[User]:
    return [
        world.physician,
        world.nurse,
        world.commission_member,
        world.commission_physician_1,
        world.commission_physician_2,
        world.outsider_nurse,
        world.clinical_lead,
    ]


def test_it_shows_the_author_their_own_answers_only(world: World, client_for: Any) -> None:
    submit(world.nurse, SECRET)
    submit(world.physician, answers(5))
    mine = client_for(world.nurse).get("/api/v1/team/wellbeing/check-ins").json()["items"]
    assert [{k: row[k] for k in SECRET} for row in mine] == [SECRET]
    page = client_for(world.nurse).get("/team/wellbeing/")
    assert [row.energy for row in page.context["history"]] == [1]


@pytest.mark.parametrize(
    "reader", ["physician", "outsider_nurse", "administrator", "coordinator", "clinical_lead"]
)
def test_nobody_else_reads_the_answers(world: World, client_for: Any, reader: str) -> None:
    submit(world.nurse, SECRET)
    user = getattr(world, reader)
    api_rows = client_for(user).get("/api/v1/team/wellbeing/check-ins")
    assert api_rows.status_code == 200 and api_rows.json()["items"] == []
    page = client_for(user).get("/team/wellbeing/")
    assert page.status_code == 200 and list(page.context["history"]) == []
    assert list(queries.own_check_ins(user)) == []


def test_family_and_patients_have_no_wellbeing_pages(world: World, client_for: Any) -> None:
    submit(world.nurse, SECRET)
    for user in (world.family, world.patient_user):
        # Not found: a family is never told a staff-only thing exists.
        assert client_for(user).get("/api/v1/team/wellbeing/check-ins").status_code == 404
        assert client_for(user).get("/api/v1/team/wellbeing/summary").status_code == 404
        assert client_for(user).get("/team/wellbeing/").status_code == 302  # to the portal
    with pytest.raises(NotAllowed):
        submit(world.family)


def test_no_api_route_reaches_a_single_check_in(world: World) -> None:
    paths = [path for path in api.get_openapi_schema()["paths"] if "wellbeing" in path]
    assert sorted(paths) == [
        "/api/v1/team/wellbeing/check-ins",
        "/api/v1/team/wellbeing/summary",
    ]


def test_the_django_admin_does_not_show_check_ins() -> None:
    assert WellbeingCheckIn not in admin.site._registry


def test_the_audit_trail_records_only_that_a_check_in_was_submitted(world: World) -> None:
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    submit(world.nurse, SECRET)
    events = list(AuditEvent.objects.exclude(pk__in=before))
    assert [(e.event_type, e.actor_id, e.patient_id) for e in events] == [
        ("wellbeing.submitted", world.nurse.pk, None)
    ]
    event = events[0]
    assert event.changes == {} and event.object_id == "" and event.object_type == ""
    assert event.summary == "Submitted a wellbeing check-in"
    assert not any(ch.isdigit() for ch in event.summary)
    # Nor does anything else in the trail carry an answer.
    for item in SECRET:
        assert not AuditEvent.objects.filter(changes__has_key=item).exists()
    row = WellbeingCheckIn.objects.get()
    assert str(row) == f"Wellbeing check-in {row.period:%Y-%m}"  # no answers in logs


@pytest.mark.parametrize("reader", ["administrator", "coordinator", "physician", "nurse"])
def test_only_the_clinical_lead_sees_the_figures(
    world: World, client_for: Any, reader: str
) -> None:
    user = getattr(world, reader)
    assert client_for(user).get("/team/wellbeing/summary/").status_code == 403
    assert client_for(user).get("/api/v1/team/wellbeing/summary").status_code == 403
    assert client_for(world.clinical_lead).get("/team/wellbeing/summary/").status_code == 200


def test_the_lead_never_sees_one_persons_answers(world: World, client_for: Any) -> None:
    submit(world.nurse, SECRET)
    body = client_for(world.clinical_lead).get("/api/v1/team/wellbeing/summary").json()
    [month] = body
    assert month["team"] == {
        "group": "team",
        "label": "",
        "shown": False,
        "respondents": None,
        "means": None,
        "low_share_percent": None,
    }
    assert all(not group["shown"] and group["means"] is None for group in month["groups"])
    page = client_for(world.clinical_lead).get("/team/wellbeing/summary/")
    assert b"Too few answers to show" in page.content
    assert "history" not in page.context


def test_a_group_is_shown_only_from_the_minimum_size(world: World, client_for: Any) -> None:
    group = clinical_group(world)
    for person in group[:5]:
        submit(person, SECRET)
    with override_settings(HEARTH_WELLBEING_MINIMUM_GROUP=5):
        [month] = queries.wellbeing_summary()
        assert month.team.shown and month.team.respondents == 5
        clinical = next(g for g in month.groups if g.key == "clinical")
        assert clinical.shown and clinical.respondents == 5
        assert clinical.means["energy"] == 1 and clinical.low_share["sleep"] == 100
        page = client_for(world.clinical_lead).get("/team/wellbeing/summary/")
        assert b"1.0 \xc2\xb7 100%" in page.content and b"Too few answers to show" in page.content
    with override_settings(HEARTH_WELLBEING_MINIMUM_GROUP=6):
        [month] = queries.wellbeing_summary()
        assert not month.team.shown and month.team.respondents is None
        assert not any(g.shown for g in month.groups)
        body = client_for(world.clinical_lead).get("/api/v1/team/wellbeing/summary").json()
        assert body[0]["minimum_group"] == 6 and body[0]["team"]["means"] is None


@override_settings(HEARTH_WELLBEING_MINIMUM_GROUP=1)
def test_a_setting_below_three_still_never_shows_one_or_two_people(world: World) -> None:
    submit(world.nurse, SECRET)
    submit(world.physician, SECRET)
    [month] = queries.wellbeing_summary()
    assert queries.wellbeing_minimum() == 3
    assert not month.team.shown and not any(g.shown for g in month.groups)


@override_settings(HEARTH_WELLBEING_MINIMUM_GROUP=3)
def test_a_small_group_cannot_be_worked_out_from_the_team_and_the_rest(world: World) -> None:
    # Clinical 4, psychosocial 3, support 1: the team (8) minus the two shown
    # groups would give away the one volunteer, so the next smallest shown
    # group is hidden too.
    for person in clinical_group(world)[:4]:
        submit(person, answers(4))
    for person in (world.psychologist, world.social_worker, world.chaplain):
        submit(person, answers(3))
    submit(world.volunteer, SECRET)
    [month] = queries.wellbeing_summary()
    shown = {g.key: g.shown for g in month.groups}
    assert month.team.shown
    assert shown == {"clinical": True, "psychosocial": False, "support": False}


def test_one_check_in_a_month_and_answers_from_1_to_5(world: World, client_for: Any) -> None:
    api = client_for(world.nurse)
    url = "/api/v1/team/wellbeing/check-ins"
    refused = api.post(url, data={**SECRET, "energy": 6}, content_type=JSON)
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["energy"]
    extra = api.post(url, data={**SECRET, "note": "hello"}, content_type=JSON)
    assert extra.status_code == 422
    assert api.post(url, data=SECRET, content_type=JSON).status_code == 201
    assert api.post(url, data=SECRET, content_type=JSON).status_code == 409
    with pytest.raises(Conflict):
        submit(world.nurse)
    with pytest.raises(ValidationFailed) as error:
        services.submit_wellbeing_check_in(actor=world.physician, **{**SECRET, "sleep": 0})
    assert list(error.value.field_errors) == ["sleep"]
    assert WellbeingCheckIn.objects.count() == 1


def test_the_page_form_submits_once(world: World, client_for: Any) -> None:
    page = client_for(world.nurse)
    assert page.post("/team/wellbeing/", data=SECRET).status_code == 302
    again = page.get("/team/wellbeing/")
    assert again.context["already"] is True
    assert WellbeingCheckIn.objects.get().staff == world.nurse
