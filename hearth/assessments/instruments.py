"""The instrument registry: every validated scale Hearth scores, described as data.

Adding an instrument is a new ``Instrument`` here plus a scoring test with a
worked example; the pages and the API build their forms from this registry.
Items, ranges, sums and bands come from ``docs/clinical-reference.md`` and the source
named on each instrument. Wording of the ESAS-r items is the published wording
and must not be altered; the Zarit Burden Interview is licensed, so only its
structure ships and a licensed service loads the wording through the
``HEARTH_ZARIT12_WORDING`` setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise


@dataclass(frozen=True)
class Item:
    key: str
    label: Label
    minimum: int
    maximum: int
    step: int = 1
    #: Words at each end of the scale ("no pain" … "worst possible pain").
    low_anchor: Label = ""
    high_anchor: Label = ""
    #: Answer choices with their words, for items that are not a plain number line.
    choices: tuple[tuple[int, Label], ...] = ()
    optional: bool = False

    def allowed(self, value: int) -> bool:
        return self.minimum <= value <= self.maximum and (value - self.minimum) % self.step == 0


@dataclass(frozen=True)
class Band:
    key: str
    label: Label
    minimum: int
    maximum: int

    def contains(self, value: int) -> bool:
        return self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class Subscale:
    key: str
    label: Label
    items: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    code: str
    name: Label
    source: str
    items: tuple[Item, ...]
    #: Sums reported besides the total; the total is the sum of every scored item.
    subscales: tuple[Subscale, ...] = ()
    item_bands: tuple[Band, ...] = ()
    total_bands: tuple[Band, ...] = ()
    #: PAINAD's bands are quoted often but not validated: shown as guidance only.
    bands_are_guidance: bool = False
    #: Who may complete it: "patient", "family_caregiver", "professional", "caregiver_assisted".
    respondents: tuple[str, ...] = ("professional",)
    #: The family may complete it in the portal (about the patient, or about themselves).
    portal: bool = False
    #: About the caregiver rather than the patient (caregiver strain).
    about_caregiver: bool = False
    #: A single level picked from a table (PPS, AKPS): the total is that level.
    single_level: bool = False
    #: Items not counted in the total (ESAS-r "other problem").
    unscored_items: tuple[str, ...] = ()
    higher_is_worse: bool = True
    licensed_wording: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.key not in self.unscored_items)

    @property
    def maximum_total(self) -> int:
        if self.single_level:
            return self.items[0].maximum
        return sum(item.maximum for item in self.scored_items)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def band_for(self, value: int | None, bands: tuple[Band, ...]) -> Band | None:
        if value is None:
            return None
        return next((band for band in bands if band.contains(value)), None)


@dataclass(frozen=True)
class Score:
    """The scored result. ``partial`` means at least one scored item was left
    blank: a blank is missing, not zero, so the sums are not comparable."""

    total: int | None
    subscales: dict[str, int | None]
    partial: bool
    missing: tuple[str, ...]
    item_bands: dict[str, str]
    total_band: str | None


# --- ESAS-r (Watanabe 2011; sums and bands as docs/clinical-reference.md) --------------------

_ESAS_ITEMS = (
    ("pain", _("Pain"), _("No pain"), _("Worst possible pain")),
    (
        "tiredness",
        _("Tiredness (lack of energy)"),
        _("No tiredness"),
        _("Worst possible tiredness"),
    ),
    (
        "drowsiness",
        _("Drowsiness (feeling sleepy)"),
        _("No drowsiness"),
        _("Worst possible drowsiness"),
    ),
    ("nausea", _("Nausea"), _("No nausea"), _("Worst possible nausea")),
    (
        "appetite",
        _("Lack of appetite"),
        _("No lack of appetite"),
        _("Worst possible lack of appetite"),
    ),
    (
        "shortness_of_breath",
        _("Shortness of breath"),
        _("No shortness of breath"),
        _("Worst possible shortness of breath"),
    ),
    (
        "depression",
        _("Depression (feeling sad)"),
        _("No depression"),
        _("Worst possible depression"),
    ),
    ("anxiety", _("Anxiety (feeling nervous)"), _("No anxiety"), _("Worst possible anxiety")),
    (
        "wellbeing",
        _("Wellbeing (how you feel overall)"),
        _("Best wellbeing"),
        _("Worst possible wellbeing"),
    ),
)
ESAS_ITEM_KEYS = tuple(key for key, *_rest in _ESAS_ITEMS)
ESAS_R = Instrument(
    code="esas_r",
    name=_("Edmonton Symptom Assessment System (revised)"),
    source="Watanabe 2011; sums and minimal differences Hui 2015/2016 (docs/clinical-reference.md)",
    items=(
        *(
            Item(key, label, 0, 10, low_anchor=low, high_anchor=high)
            for key, label, low, high in _ESAS_ITEMS
        ),
        Item(
            "other",
            _("Other problem (for example constipation)"),
            0,
            10,
            low_anchor=_("None"),
            high_anchor=_("Worst possible"),
            optional=True,
        ),
    ),
    subscales=(
        Subscale(
            "physical",
            _("Physical"),
            ("pain", "tiredness", "drowsiness", "nausea", "appetite", "shortness_of_breath"),
        ),
        Subscale("emotional", _("Emotional"), ("depression", "anxiety")),
    ),
    item_bands=(
        Band("none", _("none"), 0, 0),
        Band("mild", _("mild"), 1, 3),
        Band("moderate", _("moderate"), 4, 6),
        Band("severe", _("severe"), 7, 10),
    ),
    respondents=("patient", "family_caregiver", "professional", "caregiver_assisted"),
    portal=True,
    unscored_items=("other",),
    extra={
        # Minimal clinically important differences (Hui 2015 items, Hui 2016 sums):
        # (improvement, deterioration) in points.
        "mcid": {"item": (1, 1), "physical": (3, 4), "emotional": (2, 1), "total": (3, 4)}
    },
)

# --- PPS v2 (Victoria Hospice Society) and AKPS (Abernethy 2005) --------------

PPS_LEVELS: dict[int, Label] = {
    100: _(
        "Full ambulation; normal activity and work, no evidence of disease; full self-care; "
        "normal intake; full consciousness"
    ),
    90: _(
        "Full ambulation; normal activity and work, some evidence of disease; full self-care; "
        "normal intake; full consciousness"
    ),
    80: _(
        "Full ambulation; normal activity with effort, some evidence of disease; full "
        "self-care; normal or reduced intake; full consciousness"
    ),
    70: _(
        "Reduced ambulation; unable to do normal job or work, significant disease; full "
        "self-care; normal or reduced intake; full consciousness"
    ),
    60: _(
        "Reduced ambulation; unable to do hobby or housework, significant disease; occasional "
        "assistance necessary; normal or reduced intake; full or confusion"
    ),
    50: _(
        "Mainly sit or lie; unable to do any work, extensive disease; considerable assistance "
        "required; normal or reduced intake; full or confusion"
    ),
    40: _(
        "Mainly in bed; unable to do most activity, extensive disease; mainly assistance; "
        "normal or reduced intake; full or drowsy, with or without confusion"
    ),
    30: _(
        "Totally bed bound; unable to do any activity, extensive disease; total care; normal "
        "or reduced intake; full or drowsy, with or without confusion"
    ),
    20: _(
        "Totally bed bound; unable to do any activity, extensive disease; total care; minimal "
        "to sips; full or drowsy, with or without confusion"
    ),
    10: _(
        "Totally bed bound; unable to do any activity, extensive disease; total care; mouth "
        "care only; drowsy or coma, with or without confusion"
    ),
    0: _("Death"),
}
PPS = Instrument(
    code="pps",
    name=_("Palliative Performance Scale (PPSv2)"),
    source="Victoria Hospice Society, PPS version 2 (docs/clinical-reference.md)",
    items=(
        Item(
            "level",
            _("PPS level (%)"),
            0,
            100,
            step=10,
            choices=tuple(sorted(PPS_LEVELS.items(), reverse=True)),
        ),
    ),
    single_level=True,
    higher_is_worse=False,
)

AKPS_LEVELS: dict[int, Label] = {
    100: _("Normal; no complaints; no evidence of disease"),
    90: _("Able to carry on normal activity; minor signs or symptoms"),
    80: _("Normal activity with effort; some signs or symptoms"),
    70: _("Cares for self; unable to carry on normal activity or to do active work"),
    60: _("Able to care for most needs; but requires occasional assistance"),
    50: _("Considerable assistance and frequent medical care required"),
    # xgettext:no-python-format
    40: _("In bed more than 50% of the time"),
    30: _("Almost completely bedfast"),
    20: _("Totally bedfast and requiring extensive nursing care by professionals and/or family"),
    10: _("Comatose or barely rousable"),
    0: _("Dead"),
}
AKPS = Instrument(
    code="akps",
    name=_("Australia-modified Karnofsky Performance Status (AKPS)"),
    source="Abernethy 2005 (docs/clinical-reference.md)",
    items=(
        Item(
            "level",
            _("AKPS level"),
            0,
            100,
            step=10,
            choices=tuple(sorted(AKPS_LEVELS.items(), reverse=True)),
        ),
    ),
    single_level=True,
    higher_is_worse=False,
)

# --- PAINAD (Warden 2003) -----------------------------------------------------

PAINAD = Instrument(
    code="painad",
    name=_("Pain Assessment in Advanced Dementia (PAINAD)"),
    source="Warden 2003 (docs/clinical-reference.md); bands are guidance only, not validated",
    items=(
        Item(
            "breathing",
            _("Breathing independent of vocalisation"),
            0,
            2,
            choices=(
                (0, _("Normal")),
                (1, _("Occasional laboured breathing; short period of hyperventilation")),
                (
                    2,
                    _(
                        "Noisy laboured breathing; long period of hyperventilation; "
                        "Cheyne-Stokes respirations"
                    ),
                ),
            ),
        ),
        Item(
            "vocalisation",
            _("Negative vocalisation"),
            0,
            2,
            choices=(
                (0, _("None")),
                (1, _("Occasional moan or groan; low-level speech with a negative quality")),
                (2, _("Repeated troubled calling out; loud moaning or groaning; crying")),
            ),
        ),
        Item(
            "facial_expression",
            _("Facial expression"),
            0,
            2,
            choices=(
                (0, _("Smiling or inexpressive")),
                (1, _("Sad; frightened; frown")),
                (2, _("Facial grimacing")),
            ),
        ),
        Item(
            "body_language",
            _("Body language"),
            0,
            2,
            choices=(
                (0, _("Relaxed")),
                (1, _("Tense; distressed pacing; fidgeting")),
                (
                    2,
                    _(
                        "Rigid; fists clenched; knees pulled up; pulling or pushing away; "
                        "striking out"
                    ),
                ),
            ),
        ),
        Item(
            "consolability",
            _("Consolability"),
            0,
            2,
            choices=(
                (0, _("No need to console")),
                (1, _("Distracted or reassured by voice or touch")),
                (2, _("Unable to console, distract or reassure")),
            ),
        ),
    ),
    total_bands=(
        Band("none", _("no pain behaviours"), 0, 0),
        Band("mild", _("mild (guidance only)"), 1, 3),
        Band("moderate", _("moderate (guidance only)"), 4, 6),
        Band("severe", _("severe (guidance only)"), 7, 10),
    ),
    bands_are_guidance=True,
)

# --- Caregiver strain ---------------------------------------------------------

_YES_NO = (
    (0, _("No")),
    (1, _("Yes, sometimes")),
    (2, _("Yes, on a regular basis")),
)
_MCSI_ITEMS = (
    ("sleep", _("My sleep is disturbed")),
    ("inconvenient", _("Caregiving is inconvenient")),
    ("physical_strain", _("Caregiving is a physical strain")),
    ("confining", _("Caregiving is confining")),
    ("family_adjustments", _("There have been family adjustments")),
    ("personal_plans", _("There have been changes in personal plans")),
    ("other_demands", _("There have been other demands on my time")),
    ("emotional_adjustments", _("There have been emotional adjustments")),
    ("upsetting_behaviour", _("Some behaviour is upsetting")),
    ("person_changed", _("It is upsetting to find the person has changed so much")),
    ("work_adjustments", _("There have been work adjustments")),
    ("financial_strain", _("Caregiving is a financial strain")),
    ("overwhelmed", _("I feel completely overwhelmed")),
)
MCSI = Instrument(
    code="mcsi",
    name=_("Modified Caregiver Strain Index"),
    source="Thornton & Travis 2003 (docs/clinical-reference.md)",
    items=tuple(Item(key, label, 0, 2, choices=_YES_NO) for key, label in _MCSI_ITEMS),
    respondents=("family_caregiver", "professional"),
    portal=True,
    about_caregiver=True,
)


def _zarit_wording() -> dict[str, str]:
    """The licensed item wording, if the service holds a licence (Mapi Research
    Trust) and configured it; otherwise neutral item numbers."""
    return dict(getattr(settings, "HEARTH_ZARIT12_WORDING", {}) or {})


def _zarit12() -> Instrument:
    wording = _zarit_wording()
    frequency = (
        (0, _("Never")),
        (1, _("Rarely")),
        (2, _("Sometimes")),
        (3, _("Quite frequently")),
        (4, _("Nearly always")),
    )
    return Instrument(
        code="zarit12",
        name=_("Zarit Burden Interview, 12-item (licensed)"),
        source=(
            "Bédard 2001 (docs/clinical-reference.md); wording licensed from Mapi Research Trust"
        ),
        items=tuple(
            Item(
                f"item_{number}",
                wording.get(f"item_{number}") or _("Item %(number)d") % {"number": number},
                0,
                4,
                choices=frequency,
            )
            for number in range(1, 13)
        ),
        respondents=("family_caregiver", "professional"),
        portal=True,
        about_caregiver=True,
        licensed_wording=True,
    )


def _static_registry() -> dict[str, Instrument]:
    return {i.code: i for i in (ESAS_R, PPS, AKPS, PAINAD, MCSI)}


def registry() -> dict[str, Instrument]:
    """Every instrument, by code. Built per call so the Zarit wording follows settings."""
    instruments = _static_registry()
    instruments["zarit12"] = _zarit12()
    return instruments


def get(code: str) -> Instrument | None:
    return registry().get(code)


def validate(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field-keyed errors: unknown item, not a whole number, out of range, off the steps."""
    errors: dict[str, list[str]] = {}
    for key, value in answers.items():
        item = instrument.item(key)
        if item is None:
            errors.setdefault(key, []).append(str(_("Not an item of this instrument.")))
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors.setdefault(key, []).append(str(_("Give a whole number.")))
            continue
        if not item.allowed(value):
            message = (
                _("Must be between %(low)d and %(high)d.")
                if item.step == 1
                else _("Must be between %(low)d and %(high)d in steps of %(step)d.")
            )
            errors.setdefault(key, []).append(
                str(message % {"low": item.minimum, "high": item.maximum, "step": item.step})
            )
    if instrument.single_level and answers.get(instrument.items[0].key) is None:
        errors.setdefault(instrument.items[0].key, []).append(str(_("Choose a level.")))
    elif not instrument.single_level and not any(
        answers.get(item.key) is not None for item in instrument.scored_items
    ):
        errors.setdefault("__all__", []).append(str(_("Answer at least one item.")))
    return errors


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Score:
    """Sum what was answered; a blank scored item makes every sum that needs it
    partial (shown as such), never silently zero."""
    present = {
        item.key: int(answers[item.key])
        for item in instrument.items
        if answers.get(item.key) is not None
    }
    missing = tuple(item.key for item in instrument.scored_items if item.key not in present)
    scored = [present[item.key] for item in instrument.scored_items if item.key in present]
    total = sum(scored) if scored else None
    subscales: dict[str, int | None] = {}
    for subscale in instrument.subscales:
        values = [present[key] for key in subscale.items if key in present]
        subscales[subscale.key] = sum(values) if values else None
    item_bands = {}
    for key, value in present.items():
        band = instrument.band_for(value, instrument.item_bands)
        if band is not None:
            item_bands[key] = band.key
    total_band = instrument.band_for(total, instrument.total_bands)
    return Score(
        total=total,
        subscales=subscales,
        partial=bool(missing),
        missing=missing,
        item_bands=item_bands,
        total_band=total_band.key if total_band else None,
    )


def caregiver_strain_cut_off(code: str) -> int | None:
    """The total at or above which strain counts as high, per service.

    Zarit-12: 17 (Bédard 2001, docs/clinical-reference.md says *verify*). The Modified Caregiver
    Strain Index has no cut-off in docs/clinical-reference.md, so it is off until the clinical
    lead sets one (``HEARTH_CAREGIVER_STRAIN_HIGH``).
    """
    return dict(settings.HEARTH_CAREGIVER_STRAIN_HIGH).get(code)
