"""Chain the audit trail by hash (hearth.core.audit_chain).

Adds ``previous_hash`` and ``hash`` and chains the events already stored, in id
order, so ``manage.py verify_audit`` holds from the first event. Filling the two
columns is the one UPDATE the trail ever gets: the append-only trigger is
switched off for it (PostgreSQL, as the table's owner who runs migrations) or
dropped and made again (SQLite, where adding a column with a default rebuilds
the table and loses the trigger anyway).
"""

from django.db import migrations, models

from hearth.core.audit_chain import GENESIS, compute_hash

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
BATCH = 2000


def _reinstall_sqlite_trigger(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    vendor = schema_editor.connection.vendor
    alias = schema_editor.connection.alias
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    previous = GENESIS
    batch = []
    for event in AuditEvent.objects.using(alias).order_by("id").iterator(chunk_size=BATCH):
        event.previous_hash = previous
        event.hash = compute_hash(event, previous)
        previous = event.hash
        batch.append(event)
        if len(batch) >= BATCH:
            AuditEvent.objects.using(alias).bulk_update(batch, ["previous_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(alias).bulk_update(batch, ["previous_hash", "hash"])
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
    else:
        _reinstall_sqlite_trigger(schema_editor)


def reinstall_trigger_after_removal(apps, schema_editor):
    """Going back, SQLite rebuilds the table to drop the columns and loses the
    trigger with it: put it back."""
    _reinstall_sqlite_trigger(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_idempotency_keys")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_trigger_after_removal),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
