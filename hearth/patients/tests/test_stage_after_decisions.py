"""After each step of the admission journey, the queue, the stage and the
offered next steps say what is now true (issue 20: a granted patient stayed in
the commission queue as "awaiting medical commission")."""

from __future__ import annotations

from django.urls import reverse

from hearth.conftest import World
from hearth.patients import services
from hearth.patients.choices import EpisodeStage, EpisodeState


def _queue_page(world: World, client_for) -> str:
    response = client_for(world.commission_member).get(reverse("commission_queue"))
    assert response.status_code == 200
    return response.content.decode()


def _queue_api(world: World, client_for) -> list[str]:
    response = client_for(world.commission_member).get("/api/v1/commission/queue")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["items"]]


def _record_page(world: World, client_for) -> str:
    page = reverse("patient", args=[world.patient.external_id])
    return client_for(world.commission_member).get(page).content.decode()


def test_a_screened_patient_waits_in_the_queue_with_the_decision_offered(
    world: World, client_for
) -> None:
    world.screen()
    assert world.patient.full_name in _queue_page(world, client_for)
    assert str(world.episode.external_id) in _queue_api(world, client_for)
    record = _record_page(world, client_for)
    assert "<dd>Awaiting medical commission</dd>" in record
    assert reverse("decision", args=[world.episode.external_id]) in record
    assert reverse("admit", args=[world.episode.external_id]) not in record


def test_after_a_granted_decision_the_patient_leaves_the_queue_and_admission_is_next(
    world: World, client_for
) -> None:
    world.screen()
    world.decide("granted")
    assert world.patient.full_name not in _queue_page(world, client_for)
    assert str(world.episode.external_id) not in _queue_api(world, client_for)
    record = _record_page(world, client_for)
    assert "<dd>Awaiting medical commission</dd>" not in record
    assert "<dd>Home care granted: admission next</dd>" in record
    assert reverse("admit", args=[world.episode.external_id]) in record
    assert reverse("decision", args=[world.episode.external_id]) not in record
    episode = client_for(world.coordinator).get(f"/api/v1/episodes/{world.episode.external_id}")
    assert episode.json()["stage"] == EpisodeStage.AWAITING_ADMISSION
    assert episode.json()["state"] == EpisodeState.AWAITING_COMMISSION


def test_a_deferred_decision_stays_in_the_queue_and_says_it_was_deferred(
    world: World, client_for
) -> None:
    world.screen()
    world.decide("deferred")
    queue = _queue_page(world, client_for)
    assert world.patient.full_name in queue and "Commission deferred its decision" in queue
    record = _record_page(world, client_for)
    assert "<dd>Commission deferred its decision</dd>" in record
    assert reverse("decision", args=[world.episode.external_id]) in record
    assert reverse("admit", args=[world.episode.external_id]) not in record


def test_a_grant_of_inpatient_care_ends_the_home_care_referral(world: World, client_for) -> None:
    world.screen()
    world.decide("granted", form_of_care="inpatient")
    assert world.episode.state == EpisodeState.NOT_ADMITTED
    assert world.episode.closed_at is not None
    assert world.patient.full_name not in _queue_page(world, client_for)
    page = reverse("patient", args=[world.patient.external_id])
    record = client_for(world.coordinator).get(page).content.decode()
    assert "<dd>Not admitted</dd>" in record
    assert reverse("admit", args=[world.episode.external_id]) not in record
    assert reverse("refer_again", args=[world.patient.external_id]) in record


def test_after_admission_the_record_offers_care_not_admission(world: World, client_for) -> None:
    world.screen()
    world.decide("granted")
    services.admit_to_home_care(actor=world.coordinator, episode=world.episode)
    record = _record_page(world, client_for)
    assert "<dd>Active home care</dd>" in record
    assert reverse("admit", args=[world.episode.external_id]) not in record
    assert reverse("discharge", args=[world.episode.external_id]) in record
    worklist = client_for(world.coordinator).get(reverse("worklist")).content.decode()
    assert "Home care granted: admission next" not in worklist


def test_the_worklist_shows_a_granted_patient_as_waiting_for_admission(
    world: World, client_for
) -> None:
    world.screen()
    world.decide("granted")
    worklist = client_for(world.coordinator).get(reverse("worklist")).content.decode()
    assert "Home care granted: admission next" in worklist


def test_the_commission_form_restates_the_referral_the_screening_and_the_diagnosis(
    world: World, client_for
) -> None:
    world.screen()
    page = client_for(world.commission_member).get(
        reverse("decision", args=[world.episode.external_id])
    )
    assert page.status_code == 200
    text = page.content.decode()
    start = text.find("What the commission is deciding on")
    facts = text[start : text.find('name="outcome"')]
    assert "Progressive disease, wishes to stay at home." in facts  # the referral's reason
    assert "Refer to the medical commission" in facts  # the screening's outcome
    assert "Cancer</li>" in facts  # a SPICT indicator, by name
    assert "Eligible." in facts  # the clinician's conclusion
    assert "C34.1" in facts  # the diagnosis
    assert 0 < start < text.find('name="outcome"')
