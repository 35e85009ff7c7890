"""Teleconsultations: booked at a set time with a secure link, for the team
and the person's own family."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.visits import services
from hearth.visits.models import Visit

from .conftest import local

LINK = "https://meet.example.org/hearth-alice"


def book(world: World, **overrides: Any) -> Visit:
    values: dict[str, Any] = {
        "actor": world.physician,
        "patient": world.patient,
        "staff": world.physician,
        "starts_at": local(clock.today() + timedelta(days=1), "14:00"),
        "duration_minutes": 30,
        "video_link": LINK,
        "participants": [world.nurse, world.family],
        "participants_note": "Interpreter from the language line",
        "purpose": "Review of breathlessness",
    }
    values.update(overrides)
    return services.book_teleconsult(**values)


def test_a_teleconsult_is_booked_at_an_exact_time(active: World) -> None:
    visit = book(active)
    assert (visit.kind, visit.status, visit.plan, visit.discipline) == (
        "teleconsult",
        "scheduled",
        None,
        "physician",
    )
    assert visit.family_window_start == visit.planned_start
    assert visit.family_window_end == visit.planned_start + timedelta(minutes=30)
    assert visit.date == clock.today() + timedelta(days=1)
    assert set(visit.participants.all()) == {active.nurse, active.family}
    assert AuditEvent.objects.filter(event_type="teleconsult.booked", patient_id=active.patient.pk)


def test_the_coordinator_books_for_a_clinician(active: World) -> None:
    assert book(active, actor=active.coordinator, staff=active.nurse).staff == active.nurse


def test_a_time_in_the_past_or_an_insecure_link_is_refused(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        book(active, starts_at=clock.now() - timedelta(minutes=1))
    assert "starts_at" in refused.value.field_errors
    for link in ("http://meet.example.org/x", "", "not a link", "javascript:alert(1)"):
        with pytest.raises(ValidationFailed) as refused:
            book(active, video_link=link)
        assert "video_link" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        book(active, duration_minutes=0)
    assert "duration_minutes" in refused.value.field_errors
    assert not Visit.objects.exists()


def test_a_naive_time_is_refused(active: World) -> None:
    naive = local(clock.today() + timedelta(days=1), "14:00").replace(tzinfo=None)
    with pytest.raises(ValidationFailed) as refused:
        book(active, starts_at=naive)
    assert "starts_at" in refused.value.field_errors


def test_participants_must_be_the_team_or_that_family(active: World) -> None:
    for stranger in (active.other_family, active.outsider_nurse, active.coordinator):
        with pytest.raises(ValidationFailed) as refused:
            book(active, participants=[stranger])
        assert "participants" in refused.value.field_errors
    assert book(active, participants=[active.patient_user, active.chaplain])


def test_the_clinician_holding_the_call_is_on_the_team(active: World) -> None:
    for staff in (active.outsider_nurse, active.coordinator, active.family):
        with pytest.raises(ValidationFailed) as refused:
            book(active, staff=staff)
        assert "staff" in refused.value.field_errors


def test_who_may_book(active: World) -> None:
    for actor in (active.family, active.outsider_nurse, active.volunteer):
        with pytest.raises(NotAllowed):
            book(active, actor=actor)
    with pytest.raises(NotAllowed):
        book(active, patient=active.other_patient)


def test_booking_from_the_page(active: World, client_for: Any) -> None:
    page = client_for(active.nurse)
    url = f"/patients/{active.patient.external_id}/visits/teleconsults/add/"
    start = (clock.today() + timedelta(days=1)).isoformat() + "T15:30"
    form = {
        "staff": str(active.physician.external_id),
        "starts_at": start,
        "duration_minutes": "20",
        "video_link": "http://insecure.example.org",
        "participants": [str(active.family.external_id)],
    }
    refused = page.post(url, form)
    assert refused.status_code == 422
    assert "https://" in refused.content.decode()
    response = page.post(url, {**form, "video_link": LINK})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.staff == active.physician and list(visit.participants.all()) == [active.family]
    assert visit.planned_start == local(clock.today() + timedelta(days=1), "15:30")


def test_booking_over_the_api(active: World, client_for: Any) -> None:
    url = f"/api/v1/patients/{active.patient.external_id}/teleconsults"
    body = {
        "staff_id": str(active.physician.external_id),
        "starts_at": local(clock.today() + timedelta(days=1), "09:15").isoformat(),
        "duration_minutes": 30,
        "video_link": LINK,
        "participant_ids": [str(active.family.external_id)],
    }
    api = client_for(active.physician)
    created = api.post(url, data=body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["video_link"] == LINK
    assert [p["id"] for p in created.json()["participants"]] == [str(active.family.external_id)]
    naive = api.post(
        url, data={**body, "starts_at": "2030-01-01T09:00"}, content_type="application/json"
    )
    assert naive.status_code == 422 and "starts_at" in naive.json()["errors"]
    other_family = api.post(
        url,
        data={**body, "participant_ids": [str(active.other_family.external_id)]},
        content_type="application/json",
    )
    assert other_family.status_code == 422
    assert client_for(active.family).post(
        url, data=body, content_type="application/json"
    ).status_code in (403, 404)
