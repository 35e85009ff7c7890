"""The readings table loses its two single-column key indexes (patient, device).

Every look-up by patient or by device is served by a composite index that
starts with the same column (``observation_patient_time``,
``observation_patient_newest``, ``one_reading_per_device_code_time``), while
each index is one more page to change for every reading stored: at 10 million
readings, two of six index insertions per reading, for nothing.

Plain ``DROP INDEX`` / ``CREATE INDEX`` (the same on SQLite and PostgreSQL), so
neither database rebuilds the table or re-checks the foreign keys of every
stored reading, as ``AlterField`` would."""

import django.db.models.deletion
from django.db import migrations, models

DEVICE_INDEX = "monitoring_observation_device_id_07944cf3"
PATIENT_INDEX = "monitoring_observation_patient_id_500188ef"


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0009_observation_and_alert_indexes"),
        ("patients", "0003_access_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="observation",
                    name="device",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="observations",
                        to="monitoring.monitoringdevice",
                    ),
                ),
                migrations.AlterField(
                    model_name="observation",
                    name="patient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="observations",
                        to="patients.patient",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{DEVICE_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{DEVICE_INDEX}" '
                    'ON "monitoring_observation" ("device_id")',
                ),
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PATIENT_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{PATIENT_INDEX}" '
                    'ON "monitoring_observation" ("patient_id")',
                ),
            ],
        ),
    ]
