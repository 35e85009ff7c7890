"""Every refused request leaves one audit event: who, what route, which code,
which identifier was asked for (hearth.core.refusals)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db.models import Q

from hearth.conftest import World, make_user
from hearth.core.models import AuditEvent

REFUSALS = Q(event_type__in=["access.refused", "access.not_found"])


def refusals_since(last_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(REFUSALS, id__gt=last_id).order_by("id"))


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize(
    ("who", "whose", "path", "status", "code"),
    [
        # A family member asking for another family's patient (told "not found").
        ("family", "other_patient", "/api/v1/patients/{id}", 404, "not_found"),
        ("family", "other_patient", "/api/v1/patients/{id}/timeline", 404, "not_found"),
        # Staff outside the caseload (offered emergency access).
        ("outsider_nurse", "patient", "/api/v1/patients/{id}", 403, "emergency_access_available"),
        # (pages send them to the emergency-access page instead)
        ("outsider_nurse", "patient", "/patients/{id}/", 302, "emergency_access_available"),
        # A volunteer asking for a record that is not theirs.
        ("volunteer", "other_patient", "/api/v1/patients/{id}", 404, "not_found"),
        # ... or their own patient's record: they read the brief, never the record.
        ("volunteer", "patient", "/api/v1/patients/{id}/medication-orders", 404, "not_found"),
        ("volunteer", "other_patient", "/patients/{id}/", 404, "not_found"),
        # A nurse on the team asking for what only an administrator may see.
        ("nurse", "patient", "/api/v1/patients/{id}/audit", 403, "forbidden"),
        ("nurse", "patient", "/patients/{id}/audit/", 403, "forbidden"),
    ],
)
def test_a_cross_patient_refusal_leaves_exactly_one_event_with_the_asked_id(
    world: World, client_for: Any, who: str, whose: str, path: str, status: int, code: str
) -> None:
    user = getattr(world, who)
    patient = getattr(world, whose)
    client = client_for(user)  # signing in is an event of its own
    before = last_event_id()
    response = client.get(path.format(id=patient.external_id))
    assert response.status_code == status
    events = refusals_since(before)
    assert len(events) == 1
    event = events[0]
    assert AuditEvent.objects.filter(id__gt=before).count() == 1  # nothing else either
    assert event.event_type == "access.refused"  # a 404 here hides a refusal
    assert event.action == "refused"
    assert event.actor == user
    assert event.object_type == "patient_id"
    assert event.object_id == str(patient.external_id)
    assert event.patient_id == patient.pk
    assert event.changes["code"] == code
    assert event.changes["status"] == status
    assert event.changes["asked_for"] == {"patient_id": str(patient.external_id)}
    assert event.ip_address == "203.0.113.7"
    assert event.emergency is False


def test_a_refusal_the_api_hides_behind_a_404_records_the_real_reason(
    world: World, client_for: Any
) -> None:
    """The family hear "not found" for a staff-only list of their own patient;
    the trail says it was a refusal by role."""
    client = client_for(world.family)
    before = last_event_id()
    response = client.get(f"/api/v1/patients/{world.patient.external_id}/audit")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    (event,) = refusals_since(before)
    assert event.event_type == "access.refused"
    assert event.changes["concealed"] is True
    assert event.changes["code"] == "forbidden"
    assert event.patient_id == world.patient.pk


def test_an_identifier_that_names_no_patient_is_kept_without_a_link(
    world: World, client_for: Any
) -> None:
    asked = str(uuid.uuid4())
    client = client_for(world.nurse)
    before = last_event_id()
    assert client.get(f"/api/v1/patients/{asked}").status_code == 404
    (event,) = refusals_since(before)
    assert event.event_type == "access.not_found"
    assert event.patient_id is None
    assert event.object_id == asked
    assert event.changes["asked_for"] == {"patient_id": asked}


def test_an_anonymous_request_for_a_record_is_audited(world: World, client_for: Any) -> None:
    before = last_event_id()
    path = f"/api/v1/patients/{world.patient.external_id}"
    assert client_for(None).get(path).status_code == 401
    (event,) = refusals_since(before)
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.changes["code"] == "not_authenticated"
    assert event.patient_id == world.patient.pk


def test_a_refused_write_leaves_the_refusal_and_nothing_else(world: World, client_for: Any) -> None:
    client = client_for(world.family)
    before = last_event_id()
    response = client.post(
        f"/api/v1/patients/{world.other_patient.external_id}/phases",
        data={"phase": "stable", "started_at": "2026-01-01T10:00:00+00:00"},
        content_type="application/json",
    )
    assert response.status_code in (404, 422)
    events = list(AuditEvent.objects.filter(id__gt=before))
    if response.status_code == 404:
        assert [event.event_type for event in events] == ["access.refused"]
        assert events[0].changes["method"] == "POST"


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/static/no-such-file.css", "/api/v1/no-such-endpoint"]
)
def test_a_path_no_route_matches_is_not_audited(world: World, client_for: Any, path: str) -> None:
    client = client_for(world.nurse)
    before = last_event_id()
    assert client.get(path).status_code == 404
    assert refusals_since(before) == []


def test_a_successful_read_records_no_refusal(world: World, client_for: Any) -> None:
    before = last_event_id()
    path = f"/api/v1/patients/{world.patient.external_id}"
    assert client_for(world.nurse).get(path).status_code == 200
    assert refusals_since(before) == []


@pytest.mark.django_db(transaction=True)
def test_the_refusal_event_is_committed_with_the_response(client_for: Any) -> None:
    """No transaction is open around the test: what is in the table after the
    request was committed by it, outside any work the refusal rolled back."""
    from django.db import connection

    nurse = make_user("nurse.alone", discipline="nurse")
    asked = str(uuid.uuid4())
    assert client_for(nurse).get(f"/patients/{asked}/").status_code == 404
    assert not connection.in_atomic_block
    (event,) = refusals_since(0)
    assert event.actor == nurse
    assert event.event_type == "access.not_found"
    assert event.object_id == asked
    assert event.channel == "web"


def test_bad_input_is_not_a_refusal(world: World, client_for: Any) -> None:
    client = client_for(world.nurse)
    before = last_event_id()
    response = client.patch(
        f"/api/v1/patients/{world.patient.external_id}",
        data={"date_of_birth": "not a date"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert refusals_since(before) == []


def test_a_refusal_already_audited_in_the_request_is_not_audited_again(world: World) -> None:
    """A part that records its own refusal (a failed sign-in) stops the
    middleware from writing a second event for the same request."""
    from hearth.core import audit
    from hearth.core.audit_events import AuditEventType
    from hearth.core.models import AuditAction

    with audit.refusals_recorded_in_request() as already:
        audit.record(actor=None, action=AuditAction.VIEW, event_type=AuditEventType.PATIENT_VIEWED)
        assert already() is False
        audit.record(
            actor=None,
            action=AuditAction.SECURITY,
            event_type=AuditEventType.ACCOUNT_SIGN_IN_FAILED,
        )
        assert already() is True
    with audit.refusals_recorded_in_request() as already:
        assert already() is False  # each request starts afresh


def test_a_refusal_by_the_mfa_policy_before_any_view_is_audited(
    world: World, client_for: Any
) -> None:
    from hearth.accounts.models import SecurityPolicy

    policy = SecurityPolicy.current()
    policy.require_staff_mfa = True
    policy.save()
    client = client_for(world.nurse)
    before = last_event_id()
    response = client.get(f"/api/v1/patients/{world.patient.external_id}")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    (event,) = refusals_since(before)
    assert event.actor == world.nurse
    assert event.changes["code"] == "mfa_required"
    assert event.patient_id == world.patient.pk


def test_a_refusal_stays_out_of_the_timeline_the_care_team_reads(
    world: World, client_for: Any
) -> None:
    """Patient A's trail (administrators) shows that another family's relative
    tried A's record; A's timeline, read by A's team, must not name them."""
    intruder = client_for(world.other_family)
    path = f"/api/v1/patients/{world.patient.external_id}"
    assert intruder.get(path).status_code == 404
    refused = AuditEvent.objects.filter(event_type="access.refused", actor=world.other_family)
    assert refused.get().patient_id == world.patient.pk
    timeline = client_for(world.nurse).get(f"{path}/timeline")
    assert timeline.status_code == 200
    assert "access.refused" not in timeline.content.decode()
    assert "Family B" not in timeline.content.decode()
    trail = client_for(world.administrator).get(f"{path}/audit")
    assert trail.status_code == 200
    assert "access.refused" in trail.content.decode()


def test_the_record_trail_names_a_refusal_in_words_not_codes(world: World, client_for: Any) -> None:
    """The administrator reads "Refused: not found" and the page asked for,
    not the route and the code (they stay in the event's changes)."""
    client_for(world.volunteer).get(f"/patients/{world.patient.external_id}/")
    page = client_for(world.administrator).get(f"/patients/{world.patient.external_id}/audit/")
    text = page.content.decode()
    assert "Refused: not found" in text
    assert f'<code translate="no">/patients/{world.patient.external_id}/</code>' in text
    assert "not_found" not in text
    assert "patient_id" not in text
    assert "(web page)" in text
