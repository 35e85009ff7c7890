"""Volumes become computed (shared/CLINICAL.md "Medicines", "Volumes"), and
the formulary gets the first usual maximum single doses.

1. ``Formulation.strength_per_ml`` for liquids, read from the strength as
   written ("10 mg/5 ml" -> 2 mg per ml), in the route's dose unit. A liquid
   whose strength is not "amount/volume" (diamorphine "5 mg ampoule": a powder
   made up at the bedside) is left empty: a volume for it is refused.
2. ``DrugRoute.usual_maximum_single_dose``, only where a standard reference
   gives a single-dose maximum for adults (named in ``source``):
   paracetamol oral 1000 mg (BNF "Paracetamol": 0.5-1 g every 4-6 hours, at
   most 4 g a day); metoclopramide oral and SC 10 mg (BNF "Metoclopramide";
   MHRA Drug Safety Update, August 2013: 10 mg up to three times a day).
3. Active orders: the volume of the version in force is computed where the
   form is a liquid with a known strength. An order whose instructions carry
   a typed volume ("2.5 ml", "5ml") that disagrees with the computed one, or
   cannot be checked, is flagged for a physician (``physician_check``: shown
   on the medicines page and the worklist); changing the order clears it
   (and a change refuses a typed volume, so the text has to go).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

LIQUIDS = ("oral_solution", "injection")
STRENGTH = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?)\s*/\s*(\d+(?:\.\d+)?)?\s*ml\b", re.IGNORECASE
)
TYPED = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:ml|mls|millilit(?:re|er)s?|мл)(?![^\W\d_])", re.IGNORECASE
)
BNF_PARACETAMOL = "BNF Paracetamol: adult 0.5-1 g every 4-6 h, max 4 g/24 h (usual max single dose)"
BNF_METOCLOPRAMIDE = (
    "BNF Metoclopramide; MHRA Drug Safety Update Aug 2013: 10 mg up to 3 times a day "
    "(usual max single dose)"
)
MAXIMA = [
    ("Paracetamol", "oral", "1000", BNF_PARACETAMOL),
    ("Metoclopramide", "oral", "10", BNF_METOCLOPRAMIDE),
    ("Metoclopramide", "subcutaneous", "10", BNF_METOCLOPRAMIDE),
]
# The default rounding of HEARTH_VOLUME_STEPS (CLINICAL.md "Volumes", verify).
STEPS = ((Decimal(1), Decimal("0.1")), (Decimal(5), Decimal("0.25")))
STEP_ABOVE = Decimal("0.5")


def per_ml(strength, dose_unit):
    found = STRENGTH.match(strength or "")
    if not found:
        return None
    amount, unit, volume = found.groups()
    value = Decimal(amount) / Decimal(volume or "1")
    unit = "mg" if unit.lower() == "mg" else "mcg"
    if unit == dose_unit:
        return value
    if unit == "mg" and dose_unit == "mcg":
        return value * 1000
    if unit == "mcg" and dose_unit == "mg":
        return value / 1000
    return None


def syringe(exact):
    step = STEP_ABOVE
    for below, each in STEPS:
        if exact < below:
            step = each
            break
    return ((exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).quantize(
        Decimal("0.001")
    )


def forward(apps, schema_editor):
    Formulation = apps.get_model("medications", "Formulation")
    DrugRoute = apps.get_model("medications", "DrugRoute")
    MedicationOrder = apps.get_model("medications", "MedicationOrder")
    for formulation in Formulation.objects.filter(
        form__in=LIQUIDS, strength_per_ml__isnull=True
    ).select_related("drug_route"):
        value = per_ml(formulation.strength, formulation.drug_route.dose_unit)
        if value is not None:
            formulation.strength_per_ml = value.quantize(Decimal("0.001"))
            formulation.save(update_fields=["strength_per_ml"])
    for drug, route, maximum, source in MAXIMA:
        row = DrugRoute.objects.filter(
            drug__name=drug, route=route, usual_maximum_single_dose__isnull=True
        ).first()
        if row is not None:
            row.usual_maximum_single_dose = Decimal(maximum)
            if not row.source:
                row.source = source[:200]
            row.save(update_fields=["usual_maximum_single_dose", "source"])
    for order in MedicationOrder.objects.filter(
        status="active", current__isnull=False
    ).select_related("current__formulation", "drug_route__drug"):
        version = order.current
        formulation = version.formulation
        computed = None
        if formulation is not None and formulation.form in LIQUIDS:
            if formulation.strength_per_ml:
                computed = syringe(version.dose / formulation.strength_per_ml)
                version.volume_ml = computed
                version.save(update_fields=["volume_ml"])
        typed = [Decimal(t.replace(",", ".")) for t in TYPED.findall(version.instructions or "")]
        problem = ""
        if typed and computed is None:
            problem = (
                f"The instructions give a volume ({', '.join(str(t) for t in typed)} ml) that "
                "cannot be worked out from the dose and strength: check the order and remove "
                "the typed volume."
            )
        elif typed and any(t != computed for t in typed):
            problem = (
                f"The instructions say {', '.join(str(t) for t in typed)} ml but "
                f"{version.dose.normalize():f} {version.dose_unit} of this liquid is "
                f"{computed.normalize():f} ml: check the order and remove the typed volume."
            )
        elif formulation is not None and formulation.form in LIQUIDS and computed is None:
            problem = (
                "This liquid has no strength per ml in the formulary, so its volume "
                "cannot be worked out: check the order."
            )
        if problem:
            order.physician_check = problem[:300]
            order.save(update_fields=["physician_check"])


def backward(apps, schema_editor):
    """The new columns go with 0003; nothing else to undo."""


class Migration(migrations.Migration):
    dependencies = [("medications", "0005_dose_safety_fields")]

    operations = [migrations.RunPython(forward, backward)]
