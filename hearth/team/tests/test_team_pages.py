"""The team pages: each opens for the people it is for and refuses the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.team import services
from hearth.team.models import MandatoryCourse, TrainingRecord

OPEN_TO_ALL_STAFF = [
    "/team/",
    "/team/training/",
    "/team/training/add/",
    "/team/courses/",
    "/team/wellbeing/",
    "/team/caseload/",
    "/team/debriefs/",
]


@pytest.mark.parametrize("path", OPEN_TO_ALL_STAFF)
def test_every_member_of_staff_opens_their_own_pages(
    world: World, client_for: Any, path: str
) -> None:
    for user in (world.nurse, world.volunteer, world.administrator, world.clinical_lead):
        assert client_for(user).get(path).status_code == 200, (user, path)
    assert client_for(world.family).get(path).status_code == 302
    assert client_for(None).get(path).status_code == 302


def test_a_member_of_staff_records_only_their_own_training_on_the_page(
    world: World, client_for: Any
) -> None:
    form = {
        "staff": str(world.physician.external_id),  # ignored: no such field for a nurse
        "course_title": "Wound care",
        "provider": "Tissue viability",
        "hours": "2",
        "completed_on": (clock.today() - timedelta(days=1)).isoformat(),
    }
    page = client_for(world.nurse).get("/team/training/add/")
    assert "staff" not in page.context["form"].fields
    assert client_for(world.nurse).post("/team/training/add/", data=form).status_code == 302
    assert TrainingRecord.objects.get().staff == world.nurse
    admin_page = client_for(world.administrator).get("/team/training/add/")
    assert "staff" in admin_page.context["form"].fields
    client_for(world.administrator).post("/team/training/add/", data=form)
    assert TrainingRecord.objects.filter(staff=world.physician).count() == 1
    refused = client_for(world.nurse).post("/team/training/add/", data={**form, "hours": "0"})
    assert refused.status_code == 422


def test_the_training_list_is_ones_own_unless_one_keeps_it(world: World, client_for: Any) -> None:
    mine = services.record_training(
        actor=world.nurse,
        staff=world.nurse,
        course_title="A",
        provider="P",
        hours=1,
        completed_on=clock.today(),
    )
    theirs = services.record_training(
        actor=world.physician,
        staff=world.physician,
        course_title="B",
        provider="P",
        hours=1,
        completed_on=clock.today(),
    )
    nurse = client_for(world.nurse)
    assert list(nurse.get("/team/training/").context["records"]) == [mine]
    assert list(
        nurse.get(f"/team/training/?staff={world.physician.external_id}").context["records"]
    ) == [mine]
    assert nurse.get(f"/team/training/{theirs.external_id}/withdraw/").status_code == 404
    assert nurse.get(f"/team/training/{mine.external_id}/withdraw/").status_code == 200
    lead = client_for(world.clinical_lead)
    assert set(lead.get("/team/training/").context["records"]) == {mine, theirs}
    chosen = lead.get(f"/team/training/?staff={world.physician.external_id}")
    assert list(chosen.context["records"]) == [theirs]
    done = lead.post(f"/team/training/{theirs.external_id}/withdraw/", data={"reason": "Typo"})
    assert done.status_code == 302
    assert TrainingRecord.objects.get(pk=theirs.pk).withdrawn_by == world.clinical_lead


def test_the_course_pages_are_for_the_administrator_and_the_lead(
    world: World, client_for: Any
) -> None:
    form = {"title": "Manual handling", "renew_every_months": "24", "disciplines": ["nurse"]}
    for user in (world.nurse, world.coordinator):
        assert client_for(user).get("/team/courses/add/").status_code == 403
        assert client_for(user).post("/team/courses/add/", data=form).status_code == 403
    assert client_for(world.administrator).post("/team/courses/add/", data=form).status_code == 302
    course = MandatoryCourse.objects.get()
    edit = f"/team/courses/{course.external_id}/edit/"
    assert client_for(world.nurse).get(edit).status_code == 403
    changed = {**form, "renew_every_months": "12", "is_active": ""}
    assert client_for(world.clinical_lead).post(edit, data=changed).status_code == 302
    course.refresh_from_db()
    assert (course.renew_every_months, course.is_active) == (12, False)


def test_the_home_page_shows_my_case_load_and_wellbeing_link(world: World, client_for: Any) -> None:
    world.bring_to("active")
    page = client_for(world.nurse).get("/team/")
    assert page.context["caseload"].patients == 1
    assert b"/team/wellbeing/" in page.content
    assert page.context["checked_in_this_month"] is False
