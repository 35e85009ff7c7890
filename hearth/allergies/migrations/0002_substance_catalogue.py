"""The starting substance catalogue.

Every medicine of the starting formulary (medications/migrations/
0002_formulary_defaults.py), by the formulary's spelling, in its groups; the
groups behind most drug allergies seen in practice (penicillins,
cephalosporins, sulfonamides, NSAIDs, macrolides) with common members that are
not in the formulary, so a known penicillin allergy can be recorded on
admission; and the commonest things that are not medicines (latex, plasters,
chlorhexidine, foods; "other" with a description).

Group membership is pharmacological class (BNF / WHO ATC), not a clinical
choice; it is data, extended by a later data migration (*verify* with the
service's pharmacist). Paracetamol belongs to no group here on purpose.
"""

from django.db import migrations

# code, name, [group codes]
MEDICINES = [
    # The starting formulary: every opioid there is in "opioids".
    ("morphine", "Morphine", ["opioids"]),
    ("diamorphine", "Diamorphine", ["opioids"]),
    ("oxycodone", "Oxycodone", ["opioids"]),
    ("hydromorphone", "Hydromorphone", ["opioids"]),
    ("codeine", "Codeine", ["opioids"]),
    ("dihydrocodeine", "Dihydrocodeine", ["opioids"]),
    ("tramadol", "Tramadol", ["opioids"]),
    ("tapentadol", "Tapentadol", ["opioids"]),
    ("fentanyl", "Fentanyl", ["opioids"]),
    ("buprenorphine", "Buprenorphine", ["opioids"]),
    ("alfentanil", "Alfentanil", ["opioids"]),
    ("methadone", "Methadone", ["opioids"]),
    ("midazolam", "Midazolam", ["benzodiazepines"]),
    ("haloperidol", "Haloperidol", ["antipsychotics", "antiemetics"]),
    ("levomepromazine", "Levomepromazine", ["antipsychotics", "antiemetics"]),
    ("hyoscine-butylbromide", "Hyoscine butylbromide", ["antimuscarinics"]),
    ("metoclopramide", "Metoclopramide", ["antiemetics"]),
    ("paracetamol", "Paracetamol", []),
    ("dexamethasone", "Dexamethasone", ["corticosteroids"]),
    # Common members of the common allergy groups (not in the starting formulary).
    ("amoxicillin", "Amoxicillin", ["penicillins"]),
    ("flucloxacillin", "Flucloxacillin", ["penicillins"]),
    ("benzylpenicillin", "Benzylpenicillin", ["penicillins"]),
    ("phenoxymethylpenicillin", "Phenoxymethylpenicillin", ["penicillins"]),
    ("co-amoxiclav", "Co-amoxiclav", ["penicillins"]),
    ("piperacillin-tazobactam", "Piperacillin with tazobactam", ["penicillins"]),
    ("cefalexin", "Cefalexin", ["cephalosporins"]),
    ("ceftriaxone", "Ceftriaxone", ["cephalosporins"]),
    ("cefuroxime", "Cefuroxime", ["cephalosporins"]),
    ("co-trimoxazole", "Co-trimoxazole", ["sulfonamides"]),
    ("sulfasalazine", "Sulfasalazine", ["sulfonamides"]),
    ("ibuprofen", "Ibuprofen", ["nsaids"]),
    ("naproxen", "Naproxen", ["nsaids"]),
    ("diclofenac", "Diclofenac", ["nsaids"]),
    ("aspirin", "Aspirin", ["nsaids"]),
    ("celecoxib", "Celecoxib", ["nsaids"]),
    ("clarithromycin", "Clarithromycin", ["macrolides"]),
    ("erythromycin", "Erythromycin", ["macrolides"]),
    ("azithromycin", "Azithromycin", ["macrolides"]),
    ("diazepam", "Diazepam", ["benzodiazepines"]),
    ("lorazepam", "Lorazepam", ["benzodiazepines"]),
    ("prednisolone", "Prednisolone", ["corticosteroids"]),
    ("cyclizine", "Cyclizine", ["antiemetics"]),
    ("ondansetron", "Ondansetron", ["antiemetics"]),
    ("hyoscine-hydrobromide", "Hyoscine hydrobromide", ["antimuscarinics"]),
    ("glycopyrronium", "Glycopyrronium", ["antimuscarinics"]),
]

GROUPS = [
    ("opioids", "Opioids"),
    ("nsaids", "NSAIDs"),
    ("penicillins", "Penicillins"),
    ("cephalosporins", "Cephalosporins"),
    ("sulfonamides", "Sulfonamides"),
    ("macrolides", "Macrolides"),
    ("benzodiazepines", "Benzodiazepines"),
    ("antipsychotics", "Antipsychotics"),
    ("antiemetics", "Antiemetics"),
    ("antimuscarinics", "Antimuscarinics"),
    ("corticosteroids", "Corticosteroids"),
]

NOT_MEDICINES = [
    ("latex", "Latex"),
    ("adhesive", "Adhesive dressings and plasters"),
    ("chlorhexidine", "Chlorhexidine"),
    ("iodine", "Iodine"),
    ("peanut", "Peanuts"),
    ("tree_nuts", "Tree nuts"),
    ("egg", "Egg"),
    ("milk", "Cow's milk"),
    ("fish", "Fish"),
    ("shellfish", "Shellfish"),
    ("wheat", "Wheat"),
    ("soya", "Soya"),
    ("sesame", "Sesame"),
    ("insect_stings", "Bee or wasp stings"),
]


def load(apps, schema_editor):
    Substance = apps.get_model("allergies", "Substance")
    groups = {}
    for code, name in GROUPS:
        groups[code], _ = Substance.objects.get_or_create(
            code=code, defaults={"kind": "drug_class", "name": name}
        )
    for code, name, in_groups in MEDICINES:
        medicine, _ = Substance.objects.get_or_create(
            code=code, defaults={"kind": "drug", "name": name, "drug_name": name}
        )
        for group in in_groups:
            groups[group].members.add(medicine)
    for code, name in NOT_MEDICINES:
        Substance.objects.get_or_create(code=code, defaults={"kind": "non_drug", "name": name})
    Substance.objects.get_or_create(
        code="other", defaults={"kind": "other", "name": "Other (described)"}
    )


def unload(apps, schema_editor):
    """Only when nothing refers to the catalogue yet (records protect their substance)."""
    apps.get_model("allergies", "Substance").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("allergies", "0001_allergies_and_nkda")]

    operations = [migrations.RunPython(load, unload)]
