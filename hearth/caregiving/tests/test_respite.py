"""Respite: asked for by the family (portal) or the team, booked by the
coordinator with a volunteer or a place, then taken; or declined or
cancelled with the reason. Every refusal leaves the request as it was."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.caregiving import services
from hearth.caregiving.models import RespiteRequest
from hearth.conftest import World, make_user
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent

from .conftest import at, link


def ask(world: World, actor: Any = None, **values: Any) -> RespiteRequest:
    arguments: dict[str, Any] = {
        "actor": actor or world.family,
        "patient": world.patient,
        "kind": "volunteer_sitting",
        "wanted_from": at(2).date(),
        "wanted_to": at(2).date(),
        "reason": "I need to sleep.",
    }
    arguments.update(values)
    with clock.travel_to(at(0)):
        return services.request_respite(**arguments)


def book(world: World, respite: RespiteRequest, **values: Any) -> RespiteRequest:
    arguments: dict[str, Any] = {
        "actor": world.coordinator,
        "respite": respite,
        "volunteer": world.volunteer,
        "booked_from": at(2, "14:00"),
        "booked_to": at(2, "18:00"),
        "note": "Chris will come.",
    }
    arguments.update(values)
    with clock.travel_to(at(1)):
        return services.book_respite(**arguments)


def test_the_family_asks_the_coordinator_books_and_it_takes_place(active: World) -> None:
    respite = ask(active)
    assert (respite.status, respite.caregiver, respite.requested_by) == (
        "requested",
        link(active.family),
        active.family,
    )
    respite = book(active, respite)
    assert (respite.status, respite.volunteer, respite.booked_by) == (
        "booked",
        active.volunteer,
        active.coordinator,
    )
    with clock.travel_to(at(2, "12:00")), pytest.raises(InvalidTransition):
        services.complete_respite(actor=active.coordinator, respite=respite)
    with clock.travel_to(at(2, "19:00")):
        respite = services.complete_respite(
            actor=active.coordinator, respite=respite, note="Leila slept 4 hours."
        )
    assert respite.status == "completed"
    events = AuditEvent.objects.filter(event_type__startswith="respite.")
    assert [e.event_type for e in events.order_by("id")] == [
        "respite.requested",
        "respite.booked",
        "respite.completed",
    ]


def test_the_team_may_ask_for_a_carer(active: World) -> None:
    respite = ask(active, actor=active.nurse, caregiver=link(active.family), kind="inpatient")
    assert respite.requested_by == active.nurse
    respite = book(active, respite, volunteer=None, place="St Joseph's Hospice, ward 2")
    assert respite.provider_label == "St Joseph's Hospice, ward 2"


@pytest.mark.parametrize("role", ["family", "nurse", "physician", "volunteer", "psychologist"])
def test_only_the_coordinator_books(active: World, role: str) -> None:
    respite = ask(active)
    with pytest.raises(NotAllowed):
        book(active, respite, actor=getattr(active, role))
    respite.refresh_from_db()
    assert respite.status == "requested"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"volunteer": None}, "volunteer_id"),
        ({"booked_to": "from"}, "booked_to"),
        ({"booked_from": at(0, "08:00"), "booked_to": at(0, "09:00")}, "booked_to"),
    ],
)
def test_a_booking_is_checked(active: World, values: dict[str, Any], field: str) -> None:
    respite = ask(active)
    if values.get("booked_to") == "from":
        values = {"booked_from": at(2, "18:00"), "booked_to": at(2, "14:00")}
    with pytest.raises(ValidationFailed) as error:
        book(active, respite, **values)
    assert field in error.value.field_errors


def test_a_booking_needs_a_real_volunteer(active: World) -> None:
    respite = ask(active)
    with pytest.raises(ValidationFailed) as error:
        book(active, respite, volunteer=active.nurse)
    assert "volunteer_id" in error.value.field_errors


def test_an_inpatient_stay_needs_a_place(active: World) -> None:
    respite = ask(active, kind="inpatient")
    with pytest.raises(ValidationFailed) as error:
        book(active, respite, volunteer=None, place="")
    assert "place" in error.value.field_errors


def test_a_volunteer_is_not_booked_twice_at_once(active: World, second_carer: Any) -> None:
    book(active, ask(active))
    other = ask(active, kind="volunteer_sitting", wanted_to=at(3).date())
    with pytest.raises(Conflict):
        book(active, other, booked_from=at(2, "17:00"), booked_to=at(2, "20:00"))
    assert book(active, other, booked_from=at(2, "18:00"), booked_to=at(2, "20:00")).status == (
        "booked"
    )


def test_the_same_request_twice_is_refused(active: World) -> None:
    ask(active)
    with pytest.raises(Conflict):
        ask(active)
    assert RespiteRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"wanted_from": at(-1).date()}, "wanted_from"),
        ({"wanted_to": at(1).date()}, "wanted_to"),
        ({"kind": "holiday"}, "kind"),
    ],
)
def test_a_request_is_checked(active: World, values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        ask(active, **values)
    assert field in error.value.field_errors


def test_declined_and_cancelled_need_a_reason_and_are_final(active: World) -> None:
    respite = ask(active)
    with pytest.raises(ValidationFailed):
        services.decline_respite(actor=active.coordinator, respite=respite, reason="")
    with clock.travel_to(at(0, "12:00")):
        respite = services.decline_respite(
            actor=active.coordinator, respite=respite, reason="No volunteer free that day."
        )
    assert respite.status == "declined"
    declined = AuditEvent.objects.get(event_type="respite.declined")
    assert (declined.summary_key, declined.summary_params) == (
        "Respite declined: %(reason)s",
        {"reason": "No volunteer free that day."},
    )
    with pytest.raises(InvalidTransition):
        book(active, respite)
    with pytest.raises(InvalidTransition):
        services.cancel_respite(actor=active.family, respite=respite, reason="Changed my mind.")


def test_the_family_cancels_their_own_booking(active: World) -> None:
    respite = book(active, ask(active))
    with pytest.raises(NotAllowed):
        services.cancel_respite(actor=active.other_family, respite=respite, reason="Not mine.")
    respite = services.cancel_respite(
        actor=active.family, respite=respite, reason="My brother is coming."
    )
    assert (respite.status, respite.closed_by) == ("cancelled", active.family)


def test_no_respite_outside_home_care(world: World) -> None:
    with pytest.raises(InvalidTransition):
        ask(world)


def test_another_family_cannot_ask_for_this_patient(active: World) -> None:
    with pytest.raises(NotAllowed):
        ask(active, actor=active.other_family)
    stranger = make_user("vol.other", discipline="volunteer")
    with pytest.raises(NotAllowed):
        ask(active, actor=stranger)


def test_a_declined_respite_is_summarised_as_a_key_with_the_typed_reason(active: World) -> None:
    respite = ask(active)
    with clock.travel_to(at(0, "12:00")):
        services.decline_respite(
            actor=active.coordinator, respite=respite, reason="No volunteer free that day."
        )
    event = AuditEvent.objects.filter(event_type="respite.declined").get()
    assert event.summary_key == "Respite declined: %(reason)s"
    assert event.summary_params == {"reason": "No volunteer free that day."}
