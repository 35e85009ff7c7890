"""Translated names of the substance catalogue's groups and non-medicines.

The catalogue itself is data (``Substance`` rows, seeded by
``migrations/0002_substance_catalogue.py``; a new entry is a data migration); medicine
names are proper names and are shown as the formulary spells them. The names
of groups and everyday substances are read by families and by an ambulance
crew, so they are translated here by the row's code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hearth.allergies.choices import SubstanceKind
from hearth.core import messages

LABELS = {
    # Groups of medicines
    "opioids": _("Opioids (morphine-like painkillers)"),
    "nsaids": _("NSAIDs (anti-inflammatory painkillers such as ibuprofen)"),
    "penicillins": _("Penicillins"),
    "cephalosporins": _("Cephalosporins"),
    "sulfonamides": _("Sulfonamides (“sulfa” medicines)"),
    "macrolides": _("Macrolide antibiotics"),
    "benzodiazepines": _("Benzodiazepines"),
    "antipsychotics": _("Antipsychotics"),
    "antiemetics": _("Antiemetics (anti-sickness medicines)"),
    "antimuscarinics": _("Antimuscarinics"),
    "corticosteroids": _("Corticosteroids (steroids)"),
    # Not medicines
    "latex": _("Latex (rubber)"),
    "adhesive": _("Adhesive dressings and plasters"),
    "chlorhexidine": _("Chlorhexidine (skin antiseptic)"),
    "iodine": _("Iodine and povidone-iodine"),
    "peanut": _("Peanuts"),
    "tree_nuts": _("Tree nuts"),
    "egg": _("Egg"),
    "milk": _("Cow's milk"),
    "fish": _("Fish"),
    "shellfish": _("Shellfish"),
    "wheat": _("Wheat (gluten)"),
    "soya": _("Soya"),
    "sesame": _("Sesame"),
    "insect_stings": _("Bee or wasp stings"),
    "other": _("Other (describe it)"),
}


def label_of(code: str, name: str) -> str:
    """The name people read: translated for groups and everyday substances,
    the formulary's spelling for a medicine."""
    found = LABELS.get(code)
    return str(found) if found is not None else name


def describe_substance(label: str, kind: str, text: str) -> str:
    """How a recorded substance reads: the catalogue's name, with what the
    clinician typed after it ("Other, described" is the typed text alone).
    One rule for the record and for printouts that name it in two languages."""
    if not text:
        return label
    if kind == SubstanceKind.OTHER:
        return text
    return f"{label}: {text}"


def substance_param(code: str, name: str, kind: str, text: str) -> Any:
    """As ``describe_substance``, for a stored message (``hearth.core.messages``):
    a catalogue name stays a lazy label, so each reader sees it in their
    language; a medicine's name and typed words stay as written."""
    label = LABELS.get(code, name)
    if not text:
        return label
    if kind == SubstanceKind.OTHER:
        return text
    return messages.text(gettext_noop("%(substance)s: %(details)s"), substance=label, details=text)
