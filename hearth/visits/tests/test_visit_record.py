"""The visit record: arrive, notes, close with vital signs, PPS, phase and
the alert's outcome; cancel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import Alert
from hearth.visits import services
from hearth.visits.models import UrgentVisitRequest, Visit, VisitNote

from .conftest import help_alert, home_visit


def close(world: World, visit: Visit, **overrides: Any) -> Visit:
    values: dict[str, Any] = {
        "actor": world.nurse,
        "visit": visit,
        "departed_at": clock.now(),
        "actions_taken": "Checked pain and pressure areas; changed the dressing.",
    }
    values.update(overrides)
    return services.close_visit(**values)


def under_way(world: World, **extra: Any) -> Visit:
    visit = home_visit(world, start="09:20", **extra)
    arrived = clock.now() - timedelta(minutes=30)
    return services.arrive(actor=extra.get("staff", world.nurse), visit=visit, at=arrived)


# --- Arriving and notes ----------------------------------------------------------------


def test_arriving_starts_the_visit(active: World) -> None:
    visit = home_visit(active)
    started = services.arrive(actor=active.nurse, visit=visit)
    assert started.status == "under_way"
    assert started.arrived_at is not None
    with pytest.raises(InvalidTransition):
        services.arrive(actor=active.nurse, visit=visit)
    assert AuditEvent.objects.filter(event_type="visit.arrived").count() == 1


def test_an_arrival_in_the_future_or_on_another_day_is_refused(active: World) -> None:
    visit = home_visit(active)
    with pytest.raises(ValidationFailed) as refused:
        services.arrive(actor=active.nurse, visit=visit, at=clock.now() + timedelta(hours=1))
    assert "at" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.arrive(actor=active.nurse, visit=visit, at=clock.now() - timedelta(days=1))
    visit.refresh_from_db()
    assert visit.status == "scheduled"


def test_a_note_is_in_its_authors_discipline(active: World) -> None:
    visit = home_visit(active)
    nurse_note = services.add_visit_note(actor=active.nurse, visit=visit, text="Bring dressings")
    doctor_note = services.add_visit_note(actor=active.physician, visit=visit, text="Call me")
    assert (nurse_note.discipline, doctor_note.discipline) == ("nurse", "physician")
    with pytest.raises(ValidationFailed):
        services.add_visit_note(actor=active.nurse, visit=visit, text="  ")


def test_who_may_record_a_visit(active: World) -> None:
    visit = home_visit(active)
    for actor in (active.chaplain, active.outsider_nurse, active.family, active.coordinator):
        with pytest.raises(NotAllowed):
            services.arrive(actor=actor, visit=visit)
        with pytest.raises(NotAllowed):
            services.add_visit_note(actor=actor, visit=visit, text="Hello")
    # The chaplain records their own visit.
    own = home_visit(active, staff=active.chaplain, start="12:00")
    services.add_visit_note(actor=active.chaplain, visit=own, text="Prayed together")
    # Off the caseload: the nurse cannot record a visit to another patient.
    elsewhere = home_visit(active, patient=active.other_patient)
    with pytest.raises(NotAllowed):
        services.arrive(actor=active.nurse, visit=elsewhere)


# --- Closing ------------------------------------------------------------------------


def test_closing_records_what_happened(active: World) -> None:
    visit = under_way(active)
    closed = close(
        active,
        visit,
        notes="Daughter coping well.",
        pulse=88,
        systolic_pressure=118,
        diastolic_pressure=76,
        respiratory_rate=18,
        temperature="37.4",
        oxygen_saturation=95,
    )
    assert closed.status == "completed" and closed.closed_by == active.nurse
    assert (closed.pulse, closed.temperature, closed.oxygen_saturation) == (
        88,
        Decimal("37.4"),
        95,
    )
    assert VisitNote.objects.get(visit=visit).text == "Daughter coping well."
    event = AuditEvent.objects.get(event_type="visit.completed")
    assert event.changes["vital_signs"]["pulse"] == 88
    with pytest.raises(InvalidTransition):
        close(active, visit)


def test_a_scheduled_visit_closes_when_the_arrival_is_given(active: World) -> None:
    visit = home_visit(active, start="08:00")
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit)
    assert "arrived_at" in refused.value.field_errors
    closed = close(active, visit, arrived_at=clock.now() - timedelta(hours=1))
    assert closed.status == "completed" and closed.arrived_at is not None


def test_the_visit_ends_after_it_starts(active: World) -> None:
    visit = under_way(active)
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, departed_at=visit.arrived_at - timedelta(minutes=1))  # type: ignore[operator]
    assert "departed_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, departed_at=clock.now() + timedelta(hours=2))
    assert "departed_at" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, actions_taken="")
    assert "actions_taken" in refused.value.field_errors


def test_vital_signs_out_of_range_are_refused_by_field(active: World) -> None:
    visit = under_way(active)
    with pytest.raises(ValidationFailed) as refused:
        close(
            active,
            visit,
            pulse=300,
            respiratory_rate=2,
            temperature="50.2",
            oxygen_saturation=120,
            systolic_pressure=80,
            diastolic_pressure=90,
        )
    assert set(refused.value.field_errors) == {
        "pulse",
        "respiratory_rate",
        "temperature",
        "oxygen_saturation",
        "diastolic_pressure",
    }
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, systolic_pressure=120)
    assert "diastolic_pressure" in refused.value.field_errors
    visit.refresh_from_db()
    assert visit.status == "under_way" and visit.pulse is None


def test_pps_and_phase_are_recorded_through_the_assessments_app(active: World) -> None:
    visit = under_way(active)
    close(active, visit, pps=50, phase="deteriorating")
    pps = AssessmentResponse.objects.get(patient=active.patient, instrument="pps")
    assert (pps.total, pps.context, pps.recorded_by) == (50, "home_visit", active.nurse)
    phase = PhaseOfIllness.objects.current().get(patient=active.patient)
    assert phase.phase == "deteriorating"
    assert AuditEvent.objects.filter(event_type="assessment.recorded").exists()
    assert AuditEvent.objects.filter(event_type="phase.started").exists()


def test_a_changed_phase_closes_the_current_one_with_a_reason(active: World) -> None:
    first = under_way(active)
    close(active, first, phase="stable")
    second = home_visit(active, start="09:50")
    close(active, second, arrived_at=clock.now() - timedelta(minutes=5), phase="unstable")
    ended = PhaseOfIllness.objects.get(patient=active.patient, phase="stable")
    assert ended.ended_at is not None and "Reassessed" in ended.end_reason
    # The same phase again opens nothing new.
    third = home_visit(active, start="09:55")
    close(active, third, arrived_at=clock.now() - timedelta(minutes=1), phase="unstable")
    assert PhaseOfIllness.objects.filter(patient=active.patient).count() == 2


def test_bad_pps_or_phase_and_those_who_may_not_record_them(active: World) -> None:
    visit = under_way(active)
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, pps=55, phase="cheerful")
    assert set(refused.value.field_errors) == {"pps", "phase"}
    chaplain_visit = under_way(active, staff=active.chaplain)
    with pytest.raises(ValidationFailed) as refused:
        close(active, chaplain_visit, actor=active.chaplain, pps=60, phase="stable")
    assert set(refused.value.field_errors) == {"pps", "phase"}
    close(active, chaplain_visit, actor=active.chaplain)
    assert not AssessmentResponse.objects.filter(instrument="pps").exists()


# --- Alerts -----------------------------------------------------------------------


def test_a_visit_that_answers_an_alert_must_say_its_outcome(active: World) -> None:
    alert = help_alert(active)
    visit = under_way(active, alert=alert)
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit)
    assert "alert_outcome" in refused.value.field_errors
    plain = home_visit(active, start="09:30")
    with pytest.raises(ValidationFailed) as refused:
        close(
            active, plain, arrived_at=clock.now() - timedelta(minutes=5), alert_outcome="resolved"
        )
    assert "alert_outcome" in refused.value.field_errors


def test_resolving_an_untriaged_alert_triages_it_first(active: World) -> None:
    alert = help_alert(active)
    assert (alert.status, alert.triage_outcome) == ("open", "")
    visit = under_way(active, alert=alert)
    close(active, visit, alert_outcome="resolved")
    alert.refresh_from_db()
    assert (alert.status, alert.triage_outcome, alert.resolved_by) == (
        "resolved",
        "nurse_visit",
        active.nurse,
    )
    assert "Resolved at the home visit" in alert.resolution_note
    visit.refresh_from_db()
    assert visit.alert_outcome == "resolved"


def test_an_urgent_visit_closes_its_alert_and_its_request(active: World) -> None:
    alert = help_alert(active)
    monitoring.triage_alert(
        actor=active.nurse, alert=alert, outcome="urgent_physician_visit", note="Agitated"
    )
    request = UrgentVisitRequest.objects.get(alert=alert)
    request.status = "scheduled"
    request.save(update_fields=["status"])
    visit = under_way(active, staff=active.physician, urgent_request=request)
    close(active, visit, actor=active.physician, alert_outcome="resolved", pps=40)
    alert.refresh_from_db()
    request.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("resolved", active.physician)
    assert request.status == "done"
    assert UrgentVisitRequest.objects.count() == 1


def test_an_untriaged_alert_resolved_by_a_physician_leaves_no_new_request(active: World) -> None:
    alert = help_alert(active)
    visit = under_way(active, staff=active.physician, alert=alert)
    close(active, visit, actor=active.physician, alert_outcome="resolved")
    alert.refresh_from_db()
    assert (alert.status, alert.triage_outcome) == ("resolved", "urgent_physician_visit")
    assert not UrgentVisitRequest.objects.exclude(status="done").exists()


def test_an_alert_still_open_after_the_visit_stays_open(active: World) -> None:
    alert = help_alert(active)
    request = services.request_urgent_visit(
        actor=active.nurse,
        patient=active.patient,
        reason="Breathless",
        alert=alert,
        discipline="nurse",
    )
    visit = under_way(active, urgent_request=request)
    close(active, visit, alert_outcome="still_open")
    alert.refresh_from_db()
    request.refresh_from_db()
    assert alert.status == "open" and request.status == "done"
    event = AuditEvent.objects.get(event_type="alert.still_open_after_visit")
    assert event.object_id == str(alert.external_id)


def test_only_a_physician_or_nurse_resolves_the_alert(active: World) -> None:
    alert = help_alert(active)
    visit = under_way(active, staff=active.chaplain, alert=alert)
    with pytest.raises(ValidationFailed) as refused:
        close(active, visit, actor=active.chaplain, alert_outcome="resolved")
    assert "alert_outcome" in refused.value.field_errors
    close(active, visit, actor=active.chaplain, alert_outcome="still_open")
    assert Alert.objects.get().status == "open"


def test_a_failed_close_leaves_nothing_half_done(active: World) -> None:
    alert = help_alert(active)
    visit = under_way(active, alert=alert)
    with pytest.raises(ValidationFailed):
        close(active, visit, alert_outcome="resolved", pps=50, pulse=400)
    alert.refresh_from_db()
    visit.refresh_from_db()
    assert alert.status == "open" and visit.status == "under_way"
    assert not AssessmentResponse.objects.exists()


# --- Cancelling -----------------------------------------------------------------


def test_cancelling_a_visit(active: World) -> None:
    visit = home_visit(active)
    with pytest.raises(NotAllowed):
        services.cancel_visit(actor=active.chaplain, visit=visit, reason="Busy")
    with pytest.raises(ValidationFailed):
        services.cancel_visit(actor=active.coordinator, visit=visit, reason="")
    cancelled = services.cancel_visit(
        actor=active.coordinator, visit=visit, reason="Admitted to hospital"
    )
    assert (cancelled.status, cancelled.cancelled_reason) == ("cancelled", "Admitted to hospital")
    with pytest.raises(InvalidTransition):
        services.cancel_visit(actor=active.coordinator, visit=visit, reason="Again")
    with pytest.raises(InvalidTransition):
        services.add_visit_note(actor=active.nurse, visit=visit, text="Too late")


def test_a_cancelled_urgent_visit_puts_its_request_back_to_waiting(active: World) -> None:
    request = services.request_urgent_visit(
        actor=active.nurse, patient=active.patient, reason="Pain"
    )
    request.status = "scheduled"
    request.save(update_fields=["status"])
    visit = home_visit(active, staff=active.physician, urgent_request=request)
    services.cancel_visit(actor=active.physician, visit=visit, reason="Pain settled by phone")
    request.refresh_from_db()
    assert request.status == "waiting"


def test_an_under_way_visit_is_closed_not_cancelled(active: World) -> None:
    visit = under_way(active)
    with pytest.raises(InvalidTransition):
        services.cancel_visit(actor=active.coordinator, visit=visit, reason="Changed mind")


# --- The page ---------------------------------------------------------------------------


def test_the_visit_page_arrives_notes_and_closes(active: World, client_for: Any) -> None:
    alert = help_alert(active)
    visit = home_visit(active, start="09:40", alert=alert)
    page = client_for(active.nurse)
    url = f"/visits/{visit.external_id}/"
    text = page.get(url).content.decode()
    assert "I have arrived" in text and "alert_outcome" in text and "Oxygen saturation" in text
    now = timezone.localtime(clock.now())
    arrived = (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    assert page.post(url + "arrive/", {"at": arrived}).status_code == 302
    assert page.post(url + "notes/", {"text": "Son present"}).status_code == 302
    form = {
        "departed_at": now.strftime("%Y-%m-%dT%H:%M"),
        "actions_taken": "Settled; oxygen adjusted.",
        "pulse": "300",
        "pps": "50",
        "phase": "unstable",
        "alert_outcome": "resolved",
    }
    refused = page.post(url + "close/", form)
    assert refused.status_code == 422
    assert "250" in refused.content.decode()
    visit.refresh_from_db()
    assert visit.status == "under_way"
    done = page.post(url + "close/", {**form, "pulse": "96"})
    assert done.status_code == 302, done.content.decode()
    visit.refresh_from_db()
    alert.refresh_from_db()
    assert (visit.status, visit.pulse, alert.status) == ("completed", 96, "resolved")
    assert "Son present" in page.get(url).content.decode()


def test_the_visit_page_is_closed_to_other_people(active: World, client_for: Any) -> None:
    visit = home_visit(active)
    url = f"/visits/{visit.external_id}/"
    assert client_for(active.family).get(url).status_code == 302  # to the portal
    assert client_for(active.outsider_nurse).get(url).status_code == 302  # emergency access
    chaplain = client_for(active.chaplain)
    assert chaplain.get(url).status_code == 200
    assert chaplain.post(url + "arrive/", {}).status_code == 403
    assert chaplain.get(url + "cancel/").status_code == 403
    assert client_for(active.coordinator).get(url + "cancel/").status_code == 200
    visit.refresh_from_db()
    assert visit.status == "scheduled"
