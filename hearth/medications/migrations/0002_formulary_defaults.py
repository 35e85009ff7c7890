"""The starting formulary: opioids with their oral-morphine-equivalent factors
from shared/CLINICAL.md (UK Palliative Care Formulary and the 2022 CDC table;
*verify*), and the commonest symptom-control medicines at home.

Where CLINICAL.md gives a range the UK value is loaded and the other is named
in ``source``: hydromorphone oral 7.5 (Canada 5), tramadol 0.1 (CDC 0.2). An
administrator changes a factor on the formulary page with a recorded reason.
Fentanyl SC "150 per mg" is stored per microgram (0.15), the unit it is
prescribed in. Methadone has no linear ratio and alfentanil is not converted
automatically (the issue): both are flagged for specialist advice.
"""

from decimal import Decimal

from django.db import migrations

UK_PCF = "CLINICAL.md: UK Palliative Care Formulary / CDC 2022 (verify)"

# name, controlled, opioid, warning, [(route, unit, conversion, factor, source,
#   [(form, strength, amount per stock unit, stock unit)])]
FORMULARY = [
    ("Morphine", True, True, "", [
        ("oral", "mg", "per_dose_unit", "1", UK_PCF, [
            ("oral_solution", "10 mg/5 ml", "2", "ml"),
            ("mr_tablet", "10 mg", "10", "tablet"),
            ("tablet", "10 mg", "10", "tablet"),
        ]),
        ("subcutaneous", "mg", "per_dose_unit", "2", UK_PCF, [
            ("injection", "10 mg/1 ml", "10", "ampoule"),
        ]),
        ("intravenous", "mg", "per_dose_unit", "2", UK_PCF, []),
    ]),
    ("Diamorphine", True, True, "", [
        ("subcutaneous", "mg", "per_dose_unit", "3", UK_PCF, [
            ("injection", "5 mg ampoule", "5", "ampoule"),
        ]),
    ]),
    ("Oxycodone", True, True, "", [
        ("oral", "mg", "per_dose_unit", "1.5", UK_PCF, [
            ("oral_solution", "5 mg/5 ml", "1", "ml"),
            ("mr_tablet", "10 mg", "10", "tablet"),
        ]),
        ("subcutaneous", "mg", "per_dose_unit", "3", UK_PCF, [
            ("injection", "10 mg/1 ml", "10", "ampoule"),
        ]),
    ]),
    ("Hydromorphone", True, True, "", [
        ("oral", "mg", "per_dose_unit", "7.5",
         "CLINICAL.md: UK 7.5 (Canada 5); the service must choose (verify)", [
            ("capsule", "1.3 mg", "1.3", "capsule"),
        ]),
        ("subcutaneous", "mg", "per_dose_unit", "10", UK_PCF, [
            ("injection", "10 mg/1 ml", "10", "ampoule"),
        ]),
    ]),
    ("Codeine", True, True, "", [
        ("oral", "mg", "per_dose_unit", "0.1", UK_PCF, [("tablet", "30 mg", "30", "tablet")]),
    ]),
    ("Dihydrocodeine", True, True, "", [
        ("oral", "mg", "per_dose_unit", "0.1", UK_PCF, [("tablet", "30 mg", "30", "tablet")]),
    ]),
    ("Tramadol", True, True, "", [
        ("oral", "mg", "per_dose_unit", "0.1", "CLINICAL.md: UK PCF 0.1 (CDC 0.2) (verify)", [
            ("capsule", "50 mg", "50", "capsule"),
        ]),
    ]),
    ("Tapentadol", True, True, "", [
        ("oral", "mg", "per_dose_unit", "0.4", UK_PCF, [("tablet", "50 mg", "50", "tablet")]),
    ]),
    ("Fentanyl", True, True, "", [
        ("transdermal", "mcg/h", "patch_rate", "2.4",
         "CLINICAL.md: mcg/h × 2.4 = mg OME per 24 h (verify)", [
            ("patch", "12 mcg/h", "12", "patch"),
            ("patch", "25 mcg/h", "25", "patch"),
        ]),
        ("subcutaneous", "mcg", "per_dose_unit", "0.15",
         "CLINICAL.md: fentanyl SC 150 per mg = 0.15 per microgram (verify)", [
            ("injection", "100 mcg/2 ml", "100", "ampoule"),
        ]),
    ]),
    ("Buprenorphine", True, True, "", [
        ("transdermal", "mcg/h", "patch_rate", "2.4",
         "CLINICAL.md: mcg/h × 2.4 = mg OME per 24 h (verify)", [
            ("patch", "10 mcg/h (7-day)", "10", "patch"),
        ]),
    ]),
    ("Alfentanil", True, True,
     "Alfentanil is not converted automatically (reference factor 30 for SC); "
     "ask for specialist advice.", [
        ("subcutaneous", "mg", "specialist", "30",
         "CLINICAL.md: alfentanil SC 30, reference only (verify)", [
            ("injection", "1 mg/2 ml", "1", "ampoule"),
        ]),
    ]),
    ("Methadone", True, True,
     "Methadone has no linear ratio to morphine: never convert automatically; "
     "ask for specialist advice.", [
        ("oral", "mg", "specialist", None, "CLINICAL.md: no linear ratio", [
            ("oral_solution", "1 mg/1 ml", "1", "ml"),
        ]),
    ]),
    ("Midazolam", True, False, "", [
        ("buccal", "mg", "not_opioid", None, "", [("buccal_film", "10 mg/1 ml", "10", "syringe")]),
        ("subcutaneous", "mg", "not_opioid", None, "", [
            ("injection", "10 mg/2 ml", "10", "ampoule"),
        ]),
    ]),
    ("Haloperidol", False, False, "", [
        ("oral", "mg", "not_opioid", None, "", [("tablet", "500 mcg", "0.5", "tablet")]),
        ("subcutaneous", "mg", "not_opioid", None, "", [
            ("injection", "5 mg/1 ml", "5", "ampoule"),
        ]),
    ]),
    ("Levomepromazine", False, False, "", [
        ("subcutaneous", "mg", "not_opioid", None, "", [
            ("injection", "25 mg/1 ml", "25", "ampoule"),
        ]),
    ]),
    ("Hyoscine butylbromide", False, False, "", [
        ("subcutaneous", "mg", "not_opioid", None, "", [
            ("injection", "20 mg/1 ml", "20", "ampoule"),
        ]),
    ]),
    ("Metoclopramide", False, False, "", [
        ("oral", "mg", "not_opioid", None, "", [("tablet", "10 mg", "10", "tablet")]),
        ("subcutaneous", "mg", "not_opioid", None, "", [
            ("injection", "10 mg/2 ml", "10", "ampoule"),
        ]),
    ]),
    ("Paracetamol", False, False, "", [
        ("oral", "mg", "not_opioid", None, "", [("tablet", "500 mg", "500", "tablet")]),
    ]),
    ("Dexamethasone", False, False, "", [
        ("oral", "mg", "not_opioid", None, "", [("tablet", "2 mg", "2", "tablet")]),
    ]),
]


def load(apps, schema_editor):
    Drug = apps.get_model("medications", "Drug")
    DrugRoute = apps.get_model("medications", "DrugRoute")
    Formulation = apps.get_model("medications", "Formulation")
    for name, controlled, opioid, warning, routes in FORMULARY:
        drug, _ = Drug.objects.get_or_create(
            name=name,
            defaults={"is_controlled": controlled, "is_opioid": opioid, "warning": warning},
        )
        for route, unit, conversion, factor, source, forms in routes:
            drug_route, _ = DrugRoute.objects.get_or_create(
                drug=drug,
                route=route,
                defaults={
                    "dose_unit": unit,
                    "conversion": conversion,
                    "ome_factor": Decimal(factor) if factor else None,
                    "source": source,
                },
            )
            for form, strength, amount, stock_unit in forms:
                Formulation.objects.get_or_create(
                    drug_route=drug_route,
                    form=form,
                    strength=strength,
                    defaults={"amount_per_unit": Decimal(amount), "stock_unit": stock_unit},
                )


def unload(apps, schema_editor):
    """Reversible while nothing refers to the rows (a fresh database)."""
    Drug = apps.get_model("medications", "Drug")
    DrugRoute = apps.get_model("medications", "DrugRoute")
    Formulation = apps.get_model("medications", "Formulation")
    names = [row[0] for row in FORMULARY]
    Formulation.objects.filter(drug_route__drug__name__in=names).delete()
    DrugRoute.objects.filter(drug__name__in=names).delete()
    Drug.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("medications", "0001_formulary_orders_administrations_register")]

    operations = [migrations.RunPython(load, unload)]
