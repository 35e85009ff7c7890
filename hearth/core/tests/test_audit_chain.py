"""The audit trail's hash chain: every write extends it, and tampering in raw SQL
(past the triggers) is found by ``verify_audit``, which names the first broken link.

Runs on SQLite and, with ``DATABASE_URL`` set, on PostgreSQL (same tests; the
vendor decides how the trigger is got out of the way, as an attacker would)."""

from __future__ import annotations

import math
import uuid
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hearth.conftest import at_once, patient_details
from hearth.core import audit, audit_chain
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def write_events(count: int, **fields: Any) -> list[AuditEvent]:
    return [
        audit.record(
            actor=None,
            action=AuditAction.CREATE,
            event_type=AuditEventType.PATIENT_CREATED,
            summary=f"event {number}",
            **fields,
        )
        for number in range(count)
    ]


def get_past_the_triggers() -> None:
    """What someone with the database in hand does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        else:
            # Deferred foreign-key checks of this test's inserts must run
            # first: PostgreSQL refuses ALTER TABLE with trigger events pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")


def insert_copy_in_sql(source: AuditEvent, *, new_id: int, summary: str) -> None:
    """A row written by hand: a copy of ``source`` (hashes included) with new
    id, identifier and summary."""
    columns = [
        field.column
        for field in AuditEvent._meta.concrete_fields
        if field.column not in ("id", "external_id", "summary")
    ]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO core_auditevent (id, external_id, summary, {listed}) "  # noqa: S608
            f"SELECT %s, %s, %s, {listed} FROM core_auditevent WHERE id = %s",
            [new_id, uuid.uuid4().hex, summary, source.pk],
        )


def verify() -> audit_chain.Verification:
    return audit_chain.verify(chunk_size=3)


def test_each_event_links_to_the_one_before_and_matches_its_hash() -> None:
    first, second, third = write_events(3)
    stored = list(AuditEvent.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("id"))
    assert [event.previous_hash for event in stored[1:]] == [first.hash, second.hash]
    for event in stored:
        assert len(event.hash) == 64
        assert event.hash == audit_chain.compute_hash(event, event.previous_hash)
    result = verify()
    assert result.intact
    assert result.head_id == third.pk
    assert result.head_hash == third.hash


def test_the_first_event_of_a_database_starts_from_genesis() -> None:
    first = AuditEvent.objects.order_by("id").first() or write_events(1)[0]
    assert first.previous_hash == audit_chain.GENESIS


def test_content_that_changes_in_a_round_trip_still_verifies() -> None:
    """What each database gives back differently (jsonb key order and numbers,
    inet spelling, time zones) hashes the same as what was written."""
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PATIENT_UPDATED,
        summary="Zoë’s record — ünïcode",
        changes={
            "zeta": {"from": 1.0, "to": 1e20},
            "alpha": [0.1, 2.5e-7, True, None, "ä"],
            "count": 3,
        },
        purpose="Night call",
    )
    from hearth.core import context

    with context.using(
        context.RequestContext(ip_address="2001:DB8::1", request_id="r-1", channel="api")
    ):
        write_events(1)
    with context.using(context.RequestContext(ip_address="::ffff:192.0.2.1", channel="web")):
        write_events(1)
    assert verify().intact


def test_the_verify_command_reports_an_intact_chain() -> None:
    from io import StringIO

    write_events(2)
    output = StringIO()
    call_command("verify_audit", "--chunk-size", "2", stdout=output)
    assert output.getvalue().startswith("Audit trail intact:")


def test_an_altered_event_is_named_even_after_the_trigger_is_dropped() -> None:
    events = write_events(5)
    get_past_the_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET summary = %s WHERE id = %s", ["nothing here", events[2].pk]
        )
    result = verify()
    assert result.broken is not None
    assert result.broken.event_id == events[2].pk
    assert result.broken.problem.startswith("altered content")
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")
    assert failed.value.returncode == 1
    assert f"event {events[2].pk}: altered content" in str(failed.value)


def test_a_deleted_event_is_found_at_the_next_one() -> None:
    events = write_events(5)
    get_past_the_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    result = verify()
    assert result.broken is not None
    assert result.broken.event_id == events[2].pk
    assert result.broken.previous_event_id == events[0].pk
    assert result.broken.problem.startswith("missing row")


def test_an_event_inserted_between_two_others_is_named() -> None:
    """Ids with a gap (as a rolled-back insert leaves on PostgreSQL), and a row
    slipped into it by hand."""
    last = write_events(1)[0].pk
    before, after = AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                id=last + 10,
                occurred_at=audit.clock.now(),
                action=AuditAction.CREATE,
                event_type=AuditEventType.PATIENT_CREATED,
            ),
            AuditEvent(
                id=last + 12,
                occurred_at=audit.clock.now(),
                action=AuditAction.CREATE,
                event_type=AuditEventType.PATIENT_CREATED,
            ),
        ]
    )
    assert after.previous_hash == before.hash
    insert_copy_in_sql(before, new_id=last + 11, summary="I was never here")
    result = verify()
    assert result.broken is not None
    assert result.broken.event_id == last + 11
    assert result.broken.problem.startswith("inserted row")


def test_an_event_added_at_the_end_by_hand_is_named() -> None:
    events = write_events(2)
    insert_copy_in_sql(events[-1], new_id=events[-1].pk + 1, summary="appended by hand")
    result = verify()
    assert result.broken is not None
    assert result.broken.event_id == events[-1].pk + 1
    assert "inserted row" in result.broken.problem


def test_an_anchor_catches_a_chain_rewritten_from_scratch() -> None:
    events = write_events(3)
    anchor = (events[1].pk, events[1].hash)
    get_past_the_triggers()
    # Alter one event and recompute every hash after it: the chain holds again.
    rewritten = list(AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("id"))
    previous = rewritten[0].previous_hash
    with connection.cursor() as cursor:
        for event in rewritten:
            if event.pk == events[1].pk:
                event.summary = "rewritten"
            event.previous_hash = previous
            event.hash = audit_chain.compute_hash(event, previous)
            previous = event.hash
            cursor.execute(
                "UPDATE core_auditevent SET summary = %s, previous_hash = %s, hash = %s "
                "WHERE id = %s",
                [event.summary, event.previous_hash, event.hash, event.pk],
            )
    assert verify().intact
    result = audit_chain.verify(expect=[anchor])
    assert result.broken is not None
    assert result.broken.event_id == events[1].pk
    assert result.broken.problem.startswith("rewritten")
    with pytest.raises(CommandError):
        call_command("verify_audit", "--expect", f"{anchor[0]}:{anchor[1]}")


def test_removing_the_newest_events_is_caught_by_an_anchor() -> None:
    events = write_events(3)
    get_past_the_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [events[1].pk])
    assert verify().intact  # the tail has no event after it to notice
    result = audit_chain.verify(expect=[(events[2].pk, events[2].hash)])
    assert result.broken is not None
    assert result.broken.event_id == events[2].pk


def test_the_verify_command_refuses_a_malformed_anchor() -> None:
    with pytest.raises(CommandError):
        call_command("verify_audit", "--expect", "12:not-a-hash")


@pytest.mark.django_db(transaction=True)
def test_the_chain_is_only_extended_inside_a_transaction() -> None:
    assert not connection.in_atomic_block
    with pytest.raises(transaction.TransactionManagementError):
        audit_chain.lock_chain(connection.alias)


def test_a_worklist_of_a_thousand_patients_is_one_lock_and_one_bulk_insert() -> None:
    from hearth.patients.models import Patient

    patients = Patient.objects.bulk_create(
        [Patient(**patient_details(f"BULK-{number}")) for number in range(1000)]
    )
    with CaptureQueriesContext(connection) as queries:
        written = audit.record_list_view(
            actor=None, event_type=AuditEventType.WORKLIST_LISTED, patients=patients
        )
    assert written == 1000
    statements = [query["sql"] for query in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "core_auditevent"')]
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    batch = connection.ops.bulk_batch_size(fields, patients)
    assert len(inserts) == math.ceil(1000 / batch)  # one statement on PostgreSQL
    if connection.vendor == "postgresql":
        assert len(inserts) == 1
        assert sum("pg_advisory_xact_lock" in sql for sql in statements) == 1
    # One read of the chain's head, then the inserts: nothing per patient.
    assert len(statements) <= len(inserts) + 4
    assert verify().intact


def test_the_periodic_check_logs_a_broken_chain_as_an_error(
    caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.HEARTH_AUDIT_VERIFY_SECONDS = 60
    events = write_events(3)
    audit_chain.verify_periodically()
    assert f"head {events[-1].pk} {events[-1].hash}" in caplog.text
    get_past_the_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[0].pk])
    caplog.clear()
    audit_chain.verify_periodically()
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1
    assert f"event {events[1].pk}: missing row" in errors[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_chains_in_its_own() -> None:
    assert not connection.in_atomic_block
    events = write_events(2)
    assert events[1].previous_hash == events[0].hash
    assert verify().intact


@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
    reason="needs real connections: PostgreSQL, or a file SQLite test database "
    "(set HEARTH_TEST_SQLITE_NAME, as `make test` does)",
)
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_keep_one_chain() -> None:
    """Without the chain's lock two writers read the same head and fork the chain
    (two events with the same previous_hash): verify would name the second."""

    def writer(name: str) -> Any:
        def run() -> str:
            for number in range(10):
                with transaction.atomic():
                    audit.record(
                        actor=None,
                        action=AuditAction.VIEW,
                        event_type=AuditEventType.PATIENT_VIEWED,
                        summary=f"{name} {number}",
                    )
            return name

        return run

    results = at_once(*(writer(f"writer {number}") for number in range(4)))
    assert sorted(results) == [f"writer {number}" for number in range(4)]
    assert AuditEvent.objects.count() == 40
    previous = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(set(previous)) == 40
    assert verify().intact
