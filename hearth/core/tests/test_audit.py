"""The audit trail: reads and writes are attributable, and nothing can rewrite it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from hearth.conftest import World
from hearth.core.models import AppendOnlyError, AuditEvent
from hearth.patients import services


def test_it_records_a_read_with_actor_ip_and_channel(world: World, client_for: Any) -> None:
    client = client_for(world.nurse)
    before = AuditEvent.objects.filter(patient_id=world.patient.pk).count()
    response = client.get(f"/api/v1/patients/{world.patient.external_id}")
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.filter(patient_id=world.patient.pk).count() == before + 1
    assert event is not None
    assert event.actor == world.nurse
    assert event.action == "view"
    assert event.patient_id == world.patient.pk
    assert event.ip_address == "203.0.113.7"
    assert event.channel == "api"
    assert event.emergency is False


def test_it_records_page_reads_too(world: World, client_for: Any) -> None:
    client_for(world.physician).get(f"/patients/{world.patient.external_id}/")
    event = AuditEvent.objects.filter(actor=world.physician, action="view").get()
    assert event.channel == "web"
    assert event.patient_id == world.patient.pk


def test_a_worklist_records_each_patient_listed(world: World, client_for: Any) -> None:
    client_for(world.coordinator).get("/patients/")
    listed = set(
        AuditEvent.objects.filter(actor=world.coordinator, action="list").values_list(
            "patient_id", flat=True
        )
    )
    assert listed == {world.patient.pk, world.other_patient.pk}


def test_a_family_member_lists_only_their_patient(world: World, client_for: Any) -> None:
    rows = client_for(world.family).get("/api/v1/patients").json()["items"]
    assert [row["id"] for row in rows] == [str(world.patient.external_id)]


def test_staff_list_only_their_caseload(world: World, client_for: Any) -> None:
    rows = client_for(world.nurse).get("/api/v1/patients").json()["items"]
    assert [row["id"] for row in rows] == [str(world.patient.external_id)]
    outsider = client_for(world.outsider_nurse).get("/api/v1/patients").json()
    assert outsider == {"items": [], "next": None}


def test_it_records_writes_with_before_and_after(world: World) -> None:
    services.update_patient(actor=world.nurse, patient=world.patient, changes={"city": "Leeds"})
    event = AuditEvent.objects.filter(event_type="patient.updated").get()
    assert event.actor == world.nurse
    assert event.changes == {"city": {"from": "London", "to": "Leeds"}}


def test_events_cannot_be_changed_or_deleted_through_the_model(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update_even_in_raw_sql(world: World) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET summary = 'rewritten'")
    assert not AuditEvent.objects.filter(summary="rewritten").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger is PostgreSQL-only")
def test_postgres_refuses_a_delete_in_raw_sql(world: World) -> None:
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == count


def test_the_admin_offers_no_way_to_change_audit_events(rf: Any, admin_user: Any) -> None:
    from django.contrib import admin

    model_admin = admin.site._registry.get(AuditEvent)
    assert model_admin is not None
    request = rf.get("/admin/")
    request.user = admin_user
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False


def test_emergency_access_flags_every_following_event(world: World, client_for: Any) -> None:
    client = client_for(world.outsider_nurse)
    path = f"/api/v1/patients/{world.patient.external_id}"
    refused = client.get(path)
    assert refused.status_code == 403
    assert refused.json()["code"] == "emergency_access_available"
    granted = client.post(
        f"{path}/emergency-access",
        data={"reason": "Called at 3 a.m.; the team is unreachable."},
        content_type="application/json",
    )
    assert granted.status_code == 201
    assert client.get(path).status_code == 200
    events = AuditEvent.objects.filter(actor=world.outsider_nurse, patient_id=world.patient.pk)
    assert events.filter(action="emergency_access", emergency=True).exists()
    assert events.filter(action="view", emergency=True).exists()
    # The clinical lead sees it for review, and cannot review their own.
    queue = client_for(world.clinical_lead).get("/api/v1/emergency-access").json()["items"]
    assert [item["user"]["id"] for item in queue] == [str(world.outsider_nurse.external_id)]


def test_emergency_access_expires(world: World, client_for: Any) -> None:
    from datetime import timedelta

    from hearth.core import clock

    grant = services.use_emergency_access(
        actor=world.outsider_nurse, patient=world.patient, reason="Night call, team away."
    )
    assert grant.expires_at - grant.started_at == timedelta(hours=4)
    with clock.travel_to(grant.expires_at + timedelta(minutes=1)):
        from hearth.patients import access

        assert access.staff_can_open(world.outsider_nurse, world.patient) is False


def test_emergency_access_needs_a_reason(world: World) -> None:
    from hearth.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as failed:
        services.use_emergency_access(actor=world.outsider_nurse, patient=world.patient, reason="")
    assert "reason" in failed.value.field_errors


def test_a_patient_shown_in_several_rows_of_a_list_is_one_list_event(world: World) -> None:
    """Two alerts or two tasks of one patient on a page: the trail says the
    patient was listed once, in the order the page showed them."""
    from hearth.core import audit
    from hearth.core.audit_events import AuditEventType

    shown = [world.patient, world.other_patient, world.patient]
    written = audit.record_list_view(
        actor=world.coordinator, event_type=AuditEventType.ALERTS_LISTED, patients=shown
    )
    events = AuditEvent.objects.filter(event_type=AuditEventType.ALERTS_LISTED).order_by("pk")
    assert written == 2
    assert [event.patient_id for event in events] == [world.patient.pk, world.other_patient.pk]
