"""Signed totals (RASS-PAL, Victoria Bowel Performance Scale), "cannot assess"
items (IPOS staff version) and the names given to free-text items."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_instrument_responses_and_phases")]

    operations = [
        migrations.AlterField(
            model_name="assessmentresponse",
            name="total",
            field=models.SmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="assessmentresponse",
            name="not_assessed",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="assessmentresponse",
            name="item_names",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
