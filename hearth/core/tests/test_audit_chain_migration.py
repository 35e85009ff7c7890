"""Migration 0004 chains the events stored before it, and keeps the trail append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from hearth.core import audit_chain

BEFORE = ("core", "0003_idempotency_keys")
CHAIN = ("core", "0004_audit_hash_chain")


def migrate_to(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_already_stored() -> None:
    executor = migrate_to(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        OldAuditEvent = old_apps.get_model("core", "AuditEvent")
        from hearth.core import clock

        for number in range(5):
            OldAuditEvent.objects.create(
                occurred_at=clock.now(),
                action="create",
                event_type="patient.created",
                summary=f"stored before the chain {number}",
                changes={"number": number, "ratio": 0.5},
                ip_address="2001:DB8::7",
            )
        migrate_to(CHAIN)
        result = audit_chain.verify()
        assert result.intact
        assert result.checked == 5
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET summary = 'rewritten'")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
