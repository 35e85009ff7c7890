"""Audit summaries as a gettext key and parameters (hearth.core.messages), so the
timeline is read in each reader's language. Events already written keep their
text and no key, and hash as before (the chain covers the key only when set).

On SQLite adding a column with a default rebuilds the table and loses the
append-only trigger: it is made again after (and before, going back).
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""


def reinstall_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_action_refused")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_trigger),
        migrations.AddField(
            model_name="auditevent",
            name="summary_key",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="summary_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(reinstall_sqlite_trigger, migrations.RunPython.noop),
    ]
