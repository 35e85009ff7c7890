"""The caregiving pages: the training grid and its forms, the family-support
page, the portal (own training only, guidance for each skill, respite and
the helpline), and one "validates ownership" check per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from hearth.caregiving import services
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask, TrainingRecord
from hearth.conftest import World
from hearth.core import clock
from hearth.medications.models import MedicineSignOff

from .conftest import at, link, teach


@pytest.fixture
def records(active: World) -> dict[str, Any]:
    """One of each record, for the pages that open a record."""
    with clock.travel_to(at(0)):
        teach(active, "mouth_care")
        contact = services.record_support_contact(
            actor=active.psychologist,
            patient=active.patient,
            kind="counselling",
            mode="home",
            occurred_at=at(0, "09:00"),
            relatives=[link(active.family)],
            outcome="Talked about the nights.",
        )
        task = services.create_support_task(
            actor=active.nurse,
            patient=active.patient,
            caregiver=link(active.family),
            reason="Exhausted.",
            suggested_actions=["respite"],
        )
        respite = services.request_respite(
            actor=active.family,
            patient=active.patient,
            kind="volunteer_sitting",
            wanted_from=at(2).date(),
            wanted_to=at(2).date(),
        )
    return {"contact": contact, "task": task, "respite": respite}


def test_the_training_grid_shows_each_carer_and_skill(
    active: World, second_carer: Any, client_for: Any
) -> None:
    with clock.travel_to(at(0)):
        teach(active, "mouth_care")
        response = client_for(active.chaplain).get(
            f"/patients/{active.patient.external_id}/training/"
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert active.family.display_name in text and second_carer.display_name in text
    assert "Mouth care" in text and "Signed off" in text and "Not started" in text
    assert "Record training" not in text  # the chaplain reads, the nurse records


def test_a_nurse_records_a_sign_off_from_the_page(active: World, client_for: Any) -> None:
    url = f"/patients/{active.patient.external_id}/training/record/"
    carer = str(link(active.family).external_id)
    nurse = client_for(active.nurse)
    with clock.travel_to(at(0)):
        for step in ("demonstrated", "practised", "signed_off"):
            response = nurse.post(
                url,
                {
                    "caregiver": carer,
                    "skill": "medicines_subcutaneous",
                    "step": step,
                    "on": at(0).date(),
                },
            )
            assert response.status_code == 302, response.content.decode()
    assert MedicineSignOff.objects.get().route == "subcutaneous"


def test_a_refused_step_is_shown_on_the_form(active: World, client_for: Any) -> None:
    url = f"/patients/{active.patient.external_id}/training/record/"
    with clock.travel_to(at(0)):
        response = client_for(active.nurse).post(
            url,
            {
                "caregiver": str(link(active.family).external_id),
                "skill": "mouth_care",
                "step": "signed_off",
                "on": at(0).date(),
            },
        )
    assert response.status_code == 422
    assert "shown and practised" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_the_family_sees_their_own_training_only(
    active: World, second_carer: Any, client_for: Any
) -> None:
    with clock.travel_to(at(0)):
        teach(active, "mouth_care", carer=second_carer)
        teach(active, "pressure_care")
        mine = client_for(active.family).get("/portal/training/").content.decode()
        his = client_for(second_carer).get("/portal/training/").content.decode()
    learned_mine = mine.split("What you have learned")[1].split("What is next")[0]
    learned_his = his.split("What you have learned")[1].split("What is next")[0]
    assert "Preventing pressure sores" in learned_mine and "Mouth care" not in learned_mine
    assert "Mouth care" in learned_his and "Preventing pressure sores" not in learned_his
    assert second_carer.display_name not in mine


def test_another_family_sees_nothing_of_this_family(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    other = client_for(active.other_family)
    text = other.get("/portal/training/").content.decode()
    assert "Nothing signed off yet." in text and active.family.display_name not in text
    support = other.get("/portal/support/").content.decode()
    assert "Asked for" not in support and "You have not asked for respite yet." in support
    response = other.get(f"/portal/support/respite/{records['respite'].external_id}/cancel/")
    assert response.status_code == 404


def test_the_guidance_page_shows_the_steps_and_the_family_status(
    active: World, client_for: Any
) -> None:
    with clock.travel_to(at(0)):
        teach(active, "oxygen_concentrator", sign=False)
        response = client_for(active.family).get("/portal/training/oxygen_concentrator/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nobody smokes" in text and "Practised" in text
    assert client_for(active.family).get("/portal/training/juggling/").status_code == 404


def test_the_portal_is_in_the_readers_language(active: World, client_for: Any) -> None:
    active.family.preferred_language = "ru"
    active.family.save(update_fields=["preferred_language"])
    response = client_for(active.family).get("/portal/training/mouth_care/")
    assert response.status_code == 200
    with translation.override("ru"):
        from hearth.caregiving import curriculum

        title = str(curriculum.get("mouth_care").title)  # type: ignore[union-attr]
    text = response.content.decode()
    assert '<html lang="ru">' in text and title in text


@override_settings(HEARTH_FAMILY_HELPLINE_PHONE="+44 20 0000 4242")
def test_the_support_page_shows_respite_and_the_helpline(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    text = client_for(active.family).get("/portal/support/").content.decode()
    assert "+44 20 0000 4242" in text
    assert "A volunteer sits with the patient" in text and "Asked for" in text


def test_the_family_asks_for_respite_from_the_portal(active: World, client_for: Any) -> None:
    with clock.travel_to(at(0)):
        response = client_for(active.family).post(
            "/portal/support/respite/",
            {"kind": "day", "wanted_from": at(3).date(), "wanted_to": at(3).date(), "reason": ""},
        )
    assert response.status_code == 302
    respite = RespiteRequest.objects.get()
    assert (respite.requested_by, respite.caregiver) == (active.family, link(active.family))


def test_the_family_support_page(records: dict[str, Any], active: World, client_for: Any) -> None:
    text = (
        client_for(active.coordinator)
        .get(f"/patients/{active.patient.external_id}/family-support/")
        .content.decode()
    )
    assert "Talked about the nights." in text and "Exhausted." in text and "Book" in text


def test_the_coordinator_books_from_the_page(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    url = f"/caregiving/respite/{records['respite'].external_id}/book/"
    with clock.travel_to(at(1)):
        response = client_for(active.coordinator).post(
            url,
            {
                "volunteer": str(active.volunteer.external_id),
                "booked_from": "2027-01-21T14:00",
                "booked_to": "2027-01-21T18:00",
            },
        )
    assert response.status_code == 302
    assert RespiteRequest.objects.get().status == "booked"


def test_a_psychologist_records_counselling_from_the_page(active: World, client_for: Any) -> None:
    url = f"/patients/{active.patient.external_id}/family-support/contacts/new/"
    psychologist = client_for(active.psychologist)
    page = psychologist.get(url).content.decode()
    assert "Counselling session" in page and "Benefits" not in page
    with clock.travel_to(at(0, "12:00")):
        response = psychologist.post(
            url,
            {
                "kind": "counselling",
                "mode": "home",
                "occurred_at": "2027-01-19T10:00",
                "relatives": [str(link(active.family).external_id)],
                "outcome": "Feels less alone.",
            },
        )
    assert response.status_code == 302
    assert SupportContact.objects.get().recorded_by == active.psychologist
    assert client_for(active.nurse).get(url).status_code == 403


def test_the_panel_tag(records: dict[str, Any], active: World) -> None:
    from django.template import Context, Template

    html = Template("{% load caregiving_tags %}{% caregiving_panel patient user %}").render(
        Context({"patient": active.patient, "user": active.nurse})
    )
    assert "1 open support task" in html and "Family training" in html
    hidden = Template("{% load caregiving_tags %}{% caregiving_panel patient user %}").render(
        Context({"patient": active.patient, "user": active.volunteer})
    )
    assert "family-support/" not in hidden


def _pages(active: World, records: dict[str, Any]) -> list[str]:
    patient = active.patient.external_id
    return [
        f"/patients/{patient}/training/",
        f"/patients/{patient}/training/record/",
        f"/patients/{patient}/training/withdraw/",
        f"/patients/{patient}/family-support/",
        f"/patients/{patient}/family-support/contacts/new/",
        f"/patients/{patient}/family-support/tasks/new/",
        f"/patients/{patient}/family-support/respite/new/",
        f"/caregiving/contacts/{records['contact'].external_id}/entered-in-error/",
        f"/caregiving/tasks/{records['task'].external_id}/",
        f"/caregiving/tasks/{records['task'].external_id}/close/",
        f"/caregiving/respite/{records['respite'].external_id}/book/",
        f"/caregiving/respite/{records['respite'].external_id}/complete/",
        f"/caregiving/respite/{records['respite'].external_id}/decline/",
        f"/caregiving/respite/{records['respite'].external_id}/cancel/",
    ]


def test_staff_pages_validate_ownership(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    """An outsider nurse is sent to emergency access; a family member to the
    portal; nothing is written."""
    before = (SupportTask.objects.count(), RespiteRequest.objects.count())
    outsider, family = client_for(active.outsider_nurse), client_for(active.other_family)
    for url in _pages(active, records):
        refused = outsider.get(url)
        assert refused.status_code == 302 and "emergency-access" in refused["Location"], url
        posted = outsider.post(url, {"reason": "x", "outcome": "x"})
        assert posted.status_code == 302 and "emergency-access" in posted["Location"], url
        assert family.get(url).status_code == 302 and family.get(url)["Location"] == "/portal/"
    assert (SupportTask.objects.count(), RespiteRequest.objects.count()) == before
    assert RespiteRequest.objects.get().status == "requested"


def test_portal_pages_validate_ownership(
    records: dict[str, Any], active: World, client_for: Any
) -> None:
    respite = records["respite"]
    other = client_for(active.other_family)
    cancel = f"/portal/support/respite/{respite.external_id}/cancel/"
    assert other.post(cancel, {"reason": "Not mine."}).status_code == 404
    respite.refresh_from_db()
    assert respite.status == "requested"
    # The patient (not a carer) has no training record to see.
    assert client_for(active.patient_user).get("/portal/training/").status_code == 403
    for url in ("/portal/training/", "/portal/support/", "/portal/support/respite/", cancel):
        assert client_for(active.nurse).get(url).status_code == 302
