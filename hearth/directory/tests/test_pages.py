"""The directory pages: search for everyone, editing for the maintainers
only, a patient's next steps for the team, the family's own on the portal."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse

from hearth.conftest import World
from hearth.core.models import AuditEvent
from hearth.directory import services
from hearth.directory.models import DirectoryEntry, NextStep, Region

from .conftest import make_entry


@pytest.fixture
def listed(active: World, areas: dict[str, Region]) -> dict[str, DirectoryEntry]:
    return {
        "camden": make_entry(
            active.coordinator,
            name="Camden store",
            regions=["camden"],
            opening_hours="Mon–Fri 9–5",
        ),
        "counsel": make_entry(
            active.coordinator,
            category="services",
            topic="counselling",
            name="Doveriye",
            regions=["all"],
            languages=["ru"],
        ),
    }


@pytest.mark.parametrize("role", ["nurse", "family", "patient_user", "volunteer"])
def test_everyone_signed_in_may_search_and_read_entries(
    active: World, listed: Any, client_for: Any, role: str
) -> None:
    page = client_for(getattr(active, role)).get(
        reverse("directory_search"), {"text": "doveriye", "language": "ru"}
    )
    assert page.status_code == 200
    assert "Doveriye" in page.content.decode() and "Camden store" not in page.content.decode()
    entry = client_for(getattr(active, role)).get(
        reverse("directory_entry", args=[listed["camden"].external_id])
    )
    assert entry.status_code == 200 and "Mon–Fri 9–5" in entry.content.decode()
    assert reverse("directory_edit_entry", args=[listed["camden"].external_id]) not in (
        entry.content.decode()
    )


def test_search_pages_need_sign_in(listed: Any, client_for: Any) -> None:
    assert client_for(None).get(reverse("directory_search")).status_code == 302


def test_unknown_filters_on_the_page_are_dropped(
    active: World, listed: Any, client_for: Any
) -> None:
    page = client_for(active.family).get(
        reverse("directory_search"), {"region": "atlantis", "page": "x", "language": "zz"}
    )
    assert page.status_code == 200 and "Doveriye" in page.content.decode()


@pytest.mark.parametrize("role", ["family", "nurse", "patient_user"])
def test_only_maintainers_edit_entries(
    active: World, listed: Any, client_for: Any, role: str
) -> None:
    client = client_for(getattr(active, role))
    entry = listed["camden"]
    for name in (
        "directory_edit_entry",
        "directory_retire_entry",
        "directory_reinstate_entry",
        "directory_confirm_entry",
    ):
        url = reverse(name, args=[entry.external_id])
        answer = client.post(url, {"name": "Hacked", "reason": "x"})
        assert answer.status_code in (302, 403), (name, answer.status_code)
        if answer.status_code == 302:  # the family is sent to the portal
            assert answer["Location"] == reverse("portal")
    assert client.post(reverse("directory_add_entry"), {"name": "New"}).status_code in (302, 403)
    assert client.get(reverse("directory_regions")).status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.name == "Camden store" and entry.active
    assert DirectoryEntry.objects.count() == 2


def test_a_maintainer_adds_changes_and_retires(active: World, areas: Any, client_for: Any) -> None:
    client = client_for(active.coordinator)
    form = {
        "category": "services",
        "topic": "respite",
        "name": "Willow House",
        "description": "Respite beds.",
        "regions": ["camden"],
        "phone": "020 7946 0118",
        "languages": ["en", "pl"],
    }
    added = client.post(reverse("directory_add_entry"), form)
    assert added.status_code == 302, added.content.decode()[:2000]
    entry = DirectoryEntry.objects.get(name="Willow House")
    assert entry.languages == ["en", "pl"]
    wrong = client.post(
        reverse("directory_edit_entry", args=[entry.external_id]),
        {**form, "topic": "oxygen"},
    )
    assert wrong.status_code == 422 and "belongs under" in wrong.content.decode()
    edited = client.post(
        reverse("directory_edit_entry", args=[entry.external_id]),
        {**form, "phone": "020 7946 0999", "reviewed": "on"},
    )
    assert edited.status_code == 302
    retired = client.post(
        reverse("directory_retire_entry", args=[entry.external_id]), {"reason": "Closed"}
    )
    assert retired.status_code == 302
    entry.refresh_from_db()
    assert (entry.phone, entry.active, entry.retired_reason) == ("020 7946 0999", False, "Closed")
    hidden = client_for(active.family).get(reverse("directory_entry", args=[entry.external_id]))
    assert hidden.status_code == 404
    shown = client.get(reverse("directory_search"), {"retired": "1", "text": "willow"})
    assert "Willow House" in shown.content.decode()
    assert (
        client.post(reverse("directory_reinstate_entry", args=[entry.external_id])).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.active


def test_a_maintainer_keeps_the_areas(active: World, areas: Any, client_for: Any) -> None:
    client = client_for(active.social_worker)
    assert client.post(reverse("directory_regions"), {"name": "Islington"}).status_code == 302
    region = Region.objects.get(code="islington")
    assert (
        client.post(
            reverse("directory_edit_region", args=[region.external_id]), {"name": "Islington"}
        ).status_code
        == 302
    )
    region.refresh_from_db()
    assert not region.active


def test_the_patient_next_steps_page(active: World, listed: Any, client_for: Any) -> None:
    url = reverse("directory_patient_next_steps", args=[active.patient.external_id])
    page = client_for(active.nurse).get(url, {"text": "doveriye"})
    assert page.status_code == 200
    add_url = reverse("directory_add_next_step", args=[active.patient.external_id])
    assert add_url in page.content.decode()
    assert AuditEvent.objects.filter(
        event_type="next_steps.viewed", patient_id=active.patient.pk
    ).exists()
    added = client_for(active.nurse).post(
        add_url, {"entry": str(listed["counsel"].external_id), "note": "Call Monday"}
    )
    assert added.status_code == 302
    step = NextStep.objects.get()
    edit = reverse("directory_edit_next_step", args=[step.external_id])
    assert (
        client_for(active.nurse).post(edit, {"status": "not_needed", "note": "x"}).status_code
        == 302
    )
    step.refresh_from_db()
    assert step.status == "not_needed"


def test_the_patient_next_steps_pages_validate_ownership(
    active: World, listed: Any, client_for: Any
) -> None:
    step = services.add_next_step(
        actor=active.nurse, patient=active.patient, entry=listed["camden"]
    )
    patient_id = active.patient.external_id
    pages = [
        reverse("directory_patient_next_steps", args=[patient_id]),
        reverse("directory_add_next_step", args=[patient_id]),
        reverse("directory_edit_next_step", args=[step.external_id]),
    ]
    for url in pages:
        outsider = client_for(active.outsider_nurse).get(url)
        assert outsider.status_code == 302 and "emergency" in outsider["Location"], url
        assert client_for(active.family).get(url)["Location"] == reverse("portal")
    # On the team, but a volunteer reads only the volunteer brief: not found.
    for url in pages:
        assert client_for(active.volunteer).get(url).status_code == 404, url
    assert client_for(active.volunteer).post(pages[2], {"status": "done"}).status_code == 404
    step.refresh_from_db()
    assert step.status == "to_do"


def test_the_family_sees_their_own_next_steps_only(
    active: World, listed: Any, client_for: Any
) -> None:
    ours = services.add_next_step(
        actor=active.nurse,
        patient=active.patient,
        entry=listed["counsel"],
        note="Ring them for Mum",
    )
    services.add_next_step(
        actor=active.coordinator,
        patient=active.other_patient,
        entry=listed["camden"],
        note="Their private note",
    )
    page = client_for(active.family).get(reverse("directory_portal_next_steps"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ring them for Mum" in text and "Doveriye" in text and "Russian" in text
    assert "Their private note" not in text and "Camden store" not in text
    assert AuditEvent.objects.filter(
        event_type="next_steps.portal_viewed", actor=active.family
    ).exists()
    other = client_for(active.other_family).get(reverse("directory_portal_next_steps"))
    assert "Ring them for Mum" not in other.content.decode()
    assert "Their private note" in other.content.decode()
    # Another family cannot tick ours off.
    status_url = reverse("directory_portal_next_step_status", args=[ours.external_id])
    assert client_for(active.other_family).post(status_url, {"status": "done"}).status_code == 404
    ours.refresh_from_db()
    assert ours.status == "to_do"
    done = client_for(active.family).post(status_url, {"status": "done"})
    assert done.status_code == 302
    ours.refresh_from_db()
    assert ours.status == "done"
    refused = client_for(active.family).post(status_url, {"status": "not_needed"})
    assert refused.status_code == 403
    assert client_for(active.nurse).get(reverse("directory_portal_next_steps")).status_code == 302


def test_the_panel_on_the_patient_record(active: World, listed: Any) -> None:
    services.add_next_step(
        actor=active.nurse, patient=active.patient, entry=listed["counsel"], note="Call"
    )
    template = Template("{% load directory_tags %}{% next_steps_panel patient user %}")
    shown = template.render(Context({"patient": active.patient, "user": active.nurse}))
    assert "Doveriye" in shown and "1 to do" in shown
    hidden = template.render(Context({"patient": active.patient, "user": active.outsider_nurse}))
    assert "Doveriye" not in hidden


def test_a_maintainer_sees_the_tools_on_an_entry(
    active: World, listed: Any, client_for: Any
) -> None:
    services.add_next_step(actor=active.nurse, patient=active.patient, entry=listed["camden"])
    page = client_for(active.coordinator).get(
        reverse("directory_entry", args=[listed["camden"].external_id])
    )
    text = page.content.decode()
    assert reverse("directory_edit_entry", args=[listed["camden"].external_id]) in text
    assert "1 family has this as a next step to do." in text
    checked = client_for(active.coordinator).post(
        reverse("directory_confirm_entry", args=[listed["camden"].external_id])
    )
    assert checked.status_code == 302
    assert client_for(active.coordinator).get(reverse("directory_regions")).status_code == 200
