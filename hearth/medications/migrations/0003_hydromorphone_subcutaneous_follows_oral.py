"""Hydromorphone SC was loaded with factor 10 beside the UK oral 7.5. The
corrected CLINICAL.md ("Medicines") says hydromorphone SC = 2 × the oral factor
the service chose (15 with the UK's 7.5, 10 with Canada's 5; NHS conversion
charts pair oral 7.5 with SC 15): 10 beside 7.5 made a switch to SC suggest 50 %
more drug. The factor is set from the oral factor actually in the formulary,
and the change is written to the formulary history with its reason, as a
change on the formulary page would be.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

REASON = "CLINICAL.md corrected: hydromorphone SC = 2 x the chosen oral factor"
SOURCE = "CLINICAL.md: hydromorphone SC = 2 x the chosen oral factor (UK 7.5 -> 15) (verify)"
OLD_FACTOR = Decimal("10")
OLD_SOURCE = "CLINICAL.md: UK Palliative Care Formulary / CDC 2022 (verify)"


def _set(apps, factor_for, source, reason):
    DrugRoute = apps.get_model("medications", "DrugRoute")
    History = apps.get_model("medications", "HistoricalDrugRoute")
    rows = {
        row.route: row
        for row in DrugRoute.objects.filter(drug__name="Hydromorphone", route__in=["oral", "subcutaneous"])
    }
    subcutaneous = rows.get("subcutaneous")
    if subcutaneous is None:
        return
    factor = factor_for(rows.get("oral"))
    if factor is None or subcutaneous.ome_factor == factor:
        return
    subcutaneous.ome_factor = factor
    subcutaneous.source = source
    subcutaneous.save(update_fields=["ome_factor", "source"])
    History.objects.create(
        id=subcutaneous.id,
        external_id=subcutaneous.external_id,
        drug_id=subcutaneous.drug_id,
        route=subcutaneous.route,
        dose_unit=subcutaneous.dose_unit,
        conversion=subcutaneous.conversion,
        ome_factor=factor,
        source=source,
        history_date=timezone.now(),
        history_change_reason=reason[:100],
        history_type="~",
        history_user=None,
    )


def forward(apps, schema_editor):
    def twice_oral(oral):
        if oral is None or oral.ome_factor is None:
            return None
        return oral.ome_factor * 2

    _set(apps, twice_oral, SOURCE, REASON)


def backward(apps, schema_editor):
    _set(apps, lambda oral: OLD_FACTOR, OLD_SOURCE, "Migration reversed: factor 10 restored")


class Migration(migrations.Migration):
    dependencies = [("medications", "0002_formulary_defaults")]

    operations = [migrations.RunPython(forward, backward)]
