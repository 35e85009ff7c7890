"""An urgent visit out of planned hours goes to the clinician on call, not into
a day plan: offered and paged, accepted or declined with a reason, on the way,
arrived, done; unaccepted in 15 minutes it is offered to the next on the chain,
once per step. Asserted on the rows, the outbox and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from hearth.accounts.models import User
from hearth.conftest import World, at_once, build_world
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.monitoring import services as monitoring
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import Message
from hearth.patients.models import Patient
from hearth.visits import services
from hearth.visits.models import DayPlan, Dispatch, UrgentVisitRequest, Visit
from hearth.visits.signals import urgent_visit_not_placed_in_time
from hearth.visits.tests.conftest import help_alert, local

two_connections = pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
    reason="needs two real connections: PostgreSQL, or a file SQLite test database "
    "(set HEARTH_TEST_SQLITE_NAME, as `make test` does)",
)


def next_sunday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(6 - today.weekday()) or 7)


def roster(world: World, moment: datetime, hours: int = 12) -> None:
    """The nurse, the physician and the clinical lead on call around ``moment``."""
    for role, person in (
        ("nurse", world.nurse),
        ("physician", world.physician),
        ("clinical_lead", world.clinical_lead),
    ):
        monitoring.add_on_call_shift(
            actor=world.coordinator,
            role=role,
            staff=person,
            starts_at=moment - timedelta(hours=1),
            ends_at=moment + timedelta(hours=hours),
        )


@contextmanager
def sunday_night(world: World) -> Iterator[datetime]:
    """02:34 on a Sunday with nobody on shift, the on-call roster in place."""
    moment = local(next_sunday(), "02:34")
    with clock.travel_to(moment):
        roster(world, moment)
        yield moment


def night_dispatch(world: World) -> Dispatch:
    """The nurse on call triages a family's call as an urgent physician visit."""
    alert = help_alert(world)
    monitoring.acknowledge_alert(actor=world.nurse, alert=alert)
    monitoring.triage_alert(
        actor=world.nurse,
        alert=alert,
        outcome="urgent_physician_visit",
        note="Needs physician review now for midazolam",
    )
    return Dispatch.objects.get()


def pages_to(user: User) -> list[Message]:
    return list(
        Message.objects.filter(kind=MessageKind.DISPATCH_PAGE, recipient=user).order_by("id")
    )


def test_a_night_time_triage_offers_the_visit_to_the_physician_on_call_and_pages_them(
    active: World,
) -> None:
    with sunday_night(active) as moment:
        dispatch = night_dispatch(active)
    request = UrgentVisitRequest.objects.get()
    assert request.status == "dispatched"
    assert (dispatch.status, dispatch.offered_role, dispatch.offered_to) == (
        "offered",
        "physician",
        active.physician,
    )
    assert dispatch.accept_by == dispatch.offered_at + timedelta(minutes=15)
    assert dispatch.offered_at >= moment
    # Not into a future day plan.
    assert not Visit.objects.exists()
    (page,) = pages_to(active.physician)
    accept_by = timezone.localtime(dispatch.accept_by).strftime("%H:%M")
    assert page.urgent is True
    assert page.body == (
        f"Urgent visit needed · record {active.patient.record_number} · accept by {accept_by}"
    )
    assert page.link.endswith(f"/visits/dispatch/{dispatch.external_id}/")
    for secret in ("midazolam", "physician review", active.patient.family_name):
        assert secret not in page.body and secret not in page.subject
    assert AuditEvent.objects.filter(event_type="dispatch.offered").count() == 1


def test_accept_on_the_way_arrived_done(active: World) -> None:
    with sunday_night(active) as moment:
        dispatch = night_dispatch(active)
        dispatch = services.accept_dispatch(actor=active.physician, dispatch=dispatch)
        assert (dispatch.status, dispatch.accepted_by) == ("accepted", active.physician)
        with pytest.raises(NotAllowed):
            services.arrive_at_dispatch(actor=active.clinical_lead, dispatch=dispatch)
        with pytest.raises(ValidationFailed) as past:
            services.set_on_the_way(
                actor=active.physician,
                dispatch=dispatch,
                expected_arrival=moment - timedelta(minutes=30),
            )
        assert "expected_arrival" in past.value.field_errors
        expected = clock.now() + timedelta(minutes=40)
        dispatch = services.set_on_the_way(
            actor=active.physician, dispatch=dispatch, expected_arrival=expected
        )
        assert (dispatch.status, dispatch.expected_arrival) == ("on_the_way", expected)
        dispatch = services.arrive_at_dispatch(actor=active.physician, dispatch=dispatch)
        assert dispatch.status == "arrived"
        with pytest.raises(ValidationFailed):
            services.finish_dispatch(actor=active.physician, dispatch=dispatch, note=" ")
        dispatch = services.finish_dispatch(
            actor=active.physician, dispatch=dispatch, note="Midazolam given, settled."
        )
    assert (dispatch.status, dispatch.done_note) == ("done", "Midazolam given, settled.")
    assert UrgentVisitRequest.objects.get().status == "done"
    events = list(
        AuditEvent.objects.filter(event_type__startswith="dispatch.")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        "dispatch.offered",
        "dispatch.accepted",
        "dispatch.on_the_way",
        "dispatch.arrived",
        "dispatch.done",
    ]


def test_a_decline_needs_a_reason_and_offers_it_to_the_clinical_lead(active: World) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        with pytest.raises(ValidationFailed) as refused:
            services.decline_dispatch(actor=active.physician, dispatch=dispatch, reason="  ")
        assert "reason" in refused.value.field_errors
        assert Dispatch.objects.get().offered_to == active.physician
        dispatch = services.decline_dispatch(
            actor=active.physician, dispatch=dispatch, reason="At another death, 40 min away"
        )
    assert (dispatch.status, dispatch.offered_role, dispatch.offered_to) == (
        "offered",
        "clinical_lead",
        active.clinical_lead,
    )
    assert len(pages_to(active.clinical_lead)) == 1


def test_someone_not_on_call_cannot_accept(active: World) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        with pytest.raises(NotAllowed):
            services.accept_dispatch(actor=active.outsider_nurse, dispatch=dispatch)
    assert Dispatch.objects.get().status == "offered"


def test_unaccepted_in_15_minutes_it_is_offered_to_the_next_exactly_once(active: World) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
    deadline = dispatch.accept_by
    assert deadline is not None
    with clock.travel_to(deadline - timedelta(seconds=30)):
        assert services.pass_on_overdue() == 0
    with clock.travel_to(deadline + timedelta(seconds=20)):
        assert services.pass_on_overdue() == 1
        assert services.pass_on_overdue() == 0
    dispatch.refresh_from_db()
    assert (dispatch.offered_role, dispatch.offered_to, dispatch.offer_count) == (
        "clinical_lead",
        active.clinical_lead,
        2,
    )
    assert len(pages_to(active.clinical_lead)) == 1
    assert len(pages_to(active.physician)) == 1
    assert AuditEvent.objects.filter(event_type="dispatch.passed_on").count() == 1
    # The clinical lead is asked again, not left out, when they do not answer.
    assert dispatch.accept_by is not None
    with clock.travel_to(dispatch.accept_by + timedelta(seconds=5)):
        assert services.pass_on_overdue() == 1
    dispatch.refresh_from_db()
    assert (dispatch.offered_to, dispatch.offer_count) == (active.clinical_lead, 3)
    assert len(pages_to(active.clinical_lead)) == 2


def test_a_nurse_visit_goes_to_the_nurse_on_call_then_the_physician(active: World) -> None:
    with sunday_night(active):
        request = services.request_urgent_visit(
            actor=active.coordinator,
            patient=active.patient,
            reason="Syringe pump alarm",
            discipline="nurse",
        )
        dispatch = Dispatch.objects.get(request=request)
        assert (dispatch.offered_role, dispatch.offered_to) == ("nurse", active.nurse)
        dispatch = services.decline_dispatch(
            actor=active.nurse, dispatch=dispatch, reason="Car broken down"
        )
    assert (dispatch.offered_role, dispatch.offered_to) == ("physician", active.physician)


def test_a_discharged_or_dead_patient_is_refused_and_nothing_is_written(active: World) -> None:
    Patient.objects.filter(pk=active.patient.pk).update(date_of_death=clock.today())
    with sunday_night(active), pytest.raises(InvalidTransition) as refused:
        services.request_urgent_visit(
            actor=active.physician, patient=Patient.objects.get(pk=active.patient.pk), reason="x"
        )
    assert "no longer in home care" in str(refused.value)
    assert not UrgentVisitRequest.objects.exists()
    assert not Dispatch.objects.exists()


def test_within_hours_it_stays_for_the_planner_until_the_plan_cannot_start_it(
    active: World,
) -> None:
    DayPlan.objects.create(date=clock.today(), status="published", created_by=active.coordinator)
    roster(active, clock.now())
    request = services.request_urgent_visit(
        actor=active.physician, patient=active.patient, reason="Pain out of control"
    )
    assert request.status == "waiting"
    assert not Dispatch.objects.exists()
    urgent_visit_not_placed_in_time.send(
        sender=UrgentVisitRequest, request=request, reason="Nobody can be there by 12:00."
    )
    dispatch = Dispatch.objects.get()
    assert (dispatch.offered_to, dispatch.why_on_call) == (
        active.physician,
        "Nobody can be there by 12:00.",
    )
    request.refresh_from_db()
    assert request.status == "dispatched"


def test_a_day_with_no_published_plan_goes_to_the_clinician_on_call(active: World) -> None:
    roster(active, clock.now())
    services.request_urgent_visit(
        actor=active.physician, patient=active.patient, reason="Pain out of control"
    )
    assert Dispatch.objects.get().offered_to == active.physician


@two_connections
@pytest.mark.django_db(transaction=True)
def test_two_clinicians_accepting_at_once_one_wins_the_other_gets_a_409() -> None:
    world = build_world()
    world.bring_to("active")
    roster(world, clock.now())
    request = services.request_urgent_visit(
        actor=world.nurse, patient=world.patient, reason="Agitated"
    )
    dispatch = Dispatch.objects.get(request=request)
    results = at_once(
        lambda: services.accept_dispatch(actor=world.physician, dispatch=dispatch),
        lambda: services.accept_dispatch(actor=world.clinical_lead, dispatch=dispatch),
    )
    won = [result for result in results if isinstance(result, Dispatch)]
    lost = [result for result in results if isinstance(result, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].status == 409
    assert "has already accepted" in str(lost[0])
    dispatch.refresh_from_db()
    assert dispatch.accepted_by == won[0].accepted_by
    assert AuditEvent.objects.filter(event_type="dispatch.accepted").count() == 1


def test_no_hospital_transfer_in_the_advance_care_plan_still_allows_the_home_visit(
    active: World,
) -> None:
    active.personal_care(drafts=False)  # "do not consider" transfer to hospital
    with sunday_night(active):
        alert = help_alert(active)
        with pytest.raises(ValidationFailed):
            monitoring.triage_alert(actor=active.nurse, alert=alert, outcome="emergency_services")
        dispatch = night_dispatch(active)
    assert (dispatch.status, dispatch.offered_to) == ("offered", active.physician)


def test_the_clinician_holding_a_dispatch_opens_the_record_on_call_until_it_is_done(
    active: World, client_for: Any
) -> None:
    """The nurse on call is not on this patient's team: while the dispatch is
    offered to her or hers, the record opens without break-the-glass, audited
    as on-call access; when it is done, it no longer does."""
    moment = local(next_sunday(), "02:34")
    record = f"/api/v1/patients/{active.patient.external_id}"
    with clock.travel_to(moment):
        monitoring.add_on_call_shift(
            actor=active.coordinator,
            role="nurse",
            staff=active.outsider_nurse,
            starts_at=moment - timedelta(hours=1),
            ends_at=moment + timedelta(hours=8),
        )
        assert client_for(active.outsider_nurse).get(record).status_code == 403
        services.request_urgent_visit(
            actor=active.nurse,
            patient=active.patient,
            reason="Syringe pump alarm",
            discipline="nurse",
        )
        dispatch = Dispatch.objects.get()
        assert dispatch.offered_to == active.outsider_nurse
        assert client_for(active.outsider_nurse).get(record).status_code == 200
        assert AuditEvent.objects.filter(
            event_type="record.opened_on_call", actor=active.outsider_nurse
        ).exists()
        dispatch = services.accept_dispatch(actor=active.outsider_nurse, dispatch=dispatch)
        dispatch = services.arrive_at_dispatch(actor=active.outsider_nurse, dispatch=dispatch)
        services.finish_dispatch(
            actor=active.outsider_nurse, dispatch=dispatch, note="Pump re-sited."
        )
        assert client_for(active.outsider_nurse).get(record).status_code == 403


def test_the_familys_help_page_says_when_the_clinician_is_expected_and_arrived(
    active: World, client_for: Any
) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        dispatch = services.accept_dispatch(actor=active.physician, dispatch=dispatch)
        dispatch = services.set_on_the_way(
            actor=active.physician,
            dispatch=dispatch,
            expected_arrival=clock.now() + timedelta(minutes=40),
        )
        page = client_for(active.family).get("/portal/help/").content.decode()
        assert "Expected between" in page
        assert active.physician.last_name not in page
        services.arrive_at_dispatch(actor=active.physician, dispatch=dispatch)
        page = client_for(active.family).get("/portal/help/").content.decode()
        assert "Arrived at" in page and "Expected between" not in page


def test_a_page_withdrawn_on_acceptance_says_who_accepted_in_the_reader_s_language(
    active: World,
) -> None:
    with sunday_night(active):
        dispatch = night_dispatch(active)
        services.accept_dispatch(actor=active.physician, dispatch=dispatch)
    withdrawn = Message.objects.filter(topic=f"dispatch:{dispatch.pk}", status="cancelled")
    assert withdrawn.exists()
    for page in withdrawn:
        assert page.finished_reason_key == "Accepted by %(who)s."
        assert page.finished_reason_params == {"who": active.physician.display_name}
        with translation.override("en"):
            assert page.finished_reason_text == f"Accepted by {active.physician.display_name}."
