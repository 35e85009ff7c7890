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

import re
from collections.abc import Mapping, Sequence
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
    #: The answer comes with a name the person gives (IPOS "other symptoms").
    named: bool = False
    #: The words run from the good end (IPOS "at peace": 0 = "Always"): the
    #: published form prints the score beside each word, so the stored value is
    #: already the item's score and no arithmetic reverses it later.
    reverse_worded: bool = False
    #: A tick box (a problem list): ticked is 1, not ticked 0.
    checkbox: bool = False
    #: A few words naming what the item is about, where the label is a whole
    #: question ("Information needs"): lists of concerns use it.
    topic: Label = ""

    def in_range(self, value: int) -> bool:
        return self.minimum <= value <= self.maximum

    def allowed(self, value: int) -> bool:
        on_the_line = self.in_range(value) and (value - self.minimum) % self.step == 0
        return on_the_line and (not self.choices or value in self.choice_values)

    @property
    def choice_values(self) -> tuple[int, ...]:
        return tuple(value for value, _words in self.choices)

    def words_for(self, value: int | None) -> Label:
        """The words beside a score on the form ("" when it has none)."""
        return dict(self.choices).get(value, "") if value is not None else ""


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


#: A reference to the project's own clinical notes inside a source text.
_OUR_NOTES = re.compile(r"\s*;?\s*\b(?:docs/clinical-reference\.md|CLINICAL\.md)\b")


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
    #: Every scored item must be answered: a total over fewer items could read
    #: as reassuring (a 4AT without its alertness item, a Braden without one
    #: of its six), so the form is refused, naming each blank item.
    all_required: bool = False
    #: A proxy may answer "cannot assess" for an item (IPOS staff version): the
    #: item is then left out of every sum and counted.
    allows_not_assessed: bool = False
    #: Items scoring at or above this are marked as concerns (IPOS: 3 severely,
    #: 4 overwhelmingly).
    concern_from: int | None = None
    #: The recall period the wording refers to ("over the past 3 days").
    recall: Label = ""
    #: The name on a link or a column ("IPOS (staff)"); the code in capitals if blank.
    short_name: Label = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def citation(self) -> str:
        """The source as people read it: the published reference, without the
        path of the project's own notes ("docs/clinical-reference.md",
        "CLINICAL.md"), which is for the people who maintain Hearth."""
        text = _OUR_NOTES.sub("", self.source)
        text = re.sub(r"\(\s*\)", "", text).replace(" ;", ";").replace(" .", ".")
        return text.strip(" ;")

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.key not in self.unscored_items)

    @property
    def maximum_total(self) -> int:
        if self.single_level:
            return self.items[0].maximum
        return sum(item.maximum for item in self.scored_items)

    @property
    def minimum_total(self) -> int:
        """Braden runs from 6, RASS-PAL from -5: not every total starts at 0."""
        if self.single_level:
            return self.items[0].minimum
        return sum(item.minimum for item in self.scored_items)

    @property
    def label(self) -> Label:
        """A short name people know ("ESAS-r"), never the stored code ("ESAS_R")."""
        return self.short_name or self.name

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
    #: Items a proxy could not assess: out of every sum, and counted.
    not_assessed: tuple[str, ...] = ()

    def concerns(self, instrument: Instrument) -> tuple[str, ...]:
        """The items at or above the instrument's concern level, in form order."""
        if instrument.concern_from is None:
            return ()
        return tuple(key for key, band in self.item_bands.items() if band == CONCERN)


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
    short_name=_("ESAS-r"),
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
    short_name=_("PPS"),
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
    short_name=_("AKPS"),
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
    short_name=_("PAINAD"),
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
    short_name=_("Caregiver strain (MCSI)"),
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
        short_name=_("Zarit-12"),
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


# --- IPOS (Integrated Palliative care Outcome Scale, Cicely Saunders Institute) -----
#
# Source: the IPOS patient and staff questionnaires, 3-day recall (pos-pal.org,
# free with registration) and "How to score IPOS" there; subscales from Murtagh
# et al., Palliat Med 2019;33(8):1045-57 (physical symptoms 10 items, emotional
# symptoms 4, communication/practical issues 3; total 17 items, 0-68). Each
# printed answer carries its score, 0 = best, 4 = worst, also for the items whose
# words run from the good end ("at peace": 0 = Always, 4 = Not at all): the
# "reverse" items are converted by their choice tables, not by arithmetic. The
# "other symptoms" lines are scored 0-4 but kept out of every sum, as in the
# manual. No single validated cut-off: an item at 3 (severely) or 4
# (overwhelmingly) is marked as a concern (CLINICAL.md). The wording of the
# emotional and practical items below follows the published English form; check
# it against the registered copy (the staff wording especially), and treat the
# subscale membership as data the clinical lead confirms.

CONCERN = "concern"
IPOS_CODES = ("ipos_patient", "ipos_staff")
IPOS_PHYSICAL = (
    "pain",
    "shortness_of_breath",
    "weakness",
    "nausea",
    "vomiting",
    "poor_appetite",
    "constipation",
    "sore_or_dry_mouth",
    "drowsiness",
    "poor_mobility",
)
IPOS_EMOTIONAL = ("patient_anxiety", "family_anxiety", "depression", "at_peace")
IPOS_COMMUNICATION = ("sharing_feelings", "information", "practical_matters")
IPOS_OTHER = ("other_symptom_1", "other_symptom_2", "other_symptom_3")

_IPOS_SYMPTOM_WORDS = (
    (0, _("Not at all")),
    (1, _("Slightly")),
    (2, _("Moderately")),
    (3, _("Severely")),
    (4, _("Overwhelmingly")),
)
_IPOS_HOW_OFTEN = (
    (0, _("Not at all")),
    (1, _("Occasionally")),
    (2, _("Sometimes")),
    (3, _("Most of the time")),
    (4, _("Always")),
)
#: "At peace", "shared feelings", "information": the good answer scores 0.
_IPOS_HOW_OFTEN_GOOD_FIRST = (
    (0, _("Always")),
    (1, _("Most of the time")),
    (2, _("Sometimes")),
    (3, _("Occasionally")),
    (4, _("Not at all")),
)
_IPOS_ADDRESSED = (
    (0, _("Problems addressed, or no problems")),
    (1, _("Problems mostly addressed")),
    (2, _("Problems partly addressed")),
    (3, _("Problems hardly addressed")),
    (4, _("Problems not addressed")),
)
_IPOS_SYMPTOM_LABELS: dict[str, Label] = {
    "pain": _("Pain"),
    "shortness_of_breath": _("Shortness of breath"),
    "weakness": _("Weakness or lack of energy"),
    "nausea": _("Nausea (feeling like you are going to be sick)"),
    "vomiting": _("Vomiting (being sick)"),
    "poor_appetite": _("Poor appetite"),
    "constipation": _("Constipation"),
    "sore_or_dry_mouth": _("Sore or dry mouth"),
    "drowsiness": _("Drowsiness"),
    "poor_mobility": _("Poor mobility"),
}
#: Lazy each, so the page shows them in the reader's language.
_IPOS_OTHER_LABELS = (
    _("Other symptom 1 (name it)"),
    _("Other symptom 2 (name it)"),
    _("Other symptom 3 (name it)"),
)
_IPOS_PATIENT_WORDING: dict[str, Label] = {
    "patient_anxiety": _(
        "Have you been feeling anxious or worried about your illness or treatment?"
    ),
    "family_anxiety": _("Have any of your family or friends been anxious or worried about you?"),
    "depression": _("Have you been feeling depressed?"),
    "at_peace": _("Have you felt at peace?"),
    "sharing_feelings": _(
        "Have you been able to share how you are feeling with your family or friends as much "
        "as you wanted?"
    ),
    "information": _("Have you had as much information as you wanted?"),
    "practical_matters": _(
        "Have any practical problems resulting from your illness been addressed? (such as "
        "financial or personal)"
    ),
}
_IPOS_STAFF_WORDING: dict[str, Label] = {
    "patient_anxiety": _(
        "Has the patient been feeling anxious or worried about their illness or treatment?"
    ),
    "family_anxiety": _(
        "Have any of the patient's family or friends been anxious or worried about the patient?"
    ),
    "depression": _("Do you think the patient felt depressed?"),
    "at_peace": _("Do you think the patient has felt at peace?"),
    "sharing_feelings": _(
        "Has the patient been able to share how they are feeling with their family or friends "
        "as much as they wanted?"
    ),
    "information": _("Has the patient had as much information as they wanted?"),
    "practical_matters": _(
        "Have any practical problems resulting from the patient's illness been addressed? (such "
        "as financial or personal)"
    ),
}


def _ipos(code: str, name: Label, wording: Mapping[str, Label], *, staff: bool) -> Instrument:
    symptoms = tuple(
        Item(key, label, 0, 4, choices=_IPOS_SYMPTOM_WORDS)
        for key, label in _IPOS_SYMPTOM_LABELS.items()
    )
    others = tuple(
        Item(key, label, 0, 4, choices=_IPOS_SYMPTOM_WORDS, optional=True, named=True)
        for key, label in zip(IPOS_OTHER, _IPOS_OTHER_LABELS, strict=True)
    )
    feelings = (
        Item(
            "patient_anxiety",
            wording["patient_anxiety"],
            0,
            4,
            topic=_("Patient anxiety"),
            choices=_IPOS_HOW_OFTEN,
        ),
        Item(
            "family_anxiety",
            wording["family_anxiety"],
            0,
            4,
            topic=_("Family anxiety"),
            choices=_IPOS_HOW_OFTEN,
        ),
        Item(
            "depression",
            wording["depression"],
            0,
            4,
            topic=_("Depression"),
            choices=_IPOS_HOW_OFTEN,
        ),
        Item(
            "at_peace",
            wording["at_peace"],
            0,
            4,
            topic=_("Feeling at peace"),
            choices=_IPOS_HOW_OFTEN_GOOD_FIRST,
            reverse_worded=True,
        ),
        Item(
            "sharing_feelings",
            wording["sharing_feelings"],
            0,
            4,
            topic=_("Sharing feelings"),
            choices=_IPOS_HOW_OFTEN_GOOD_FIRST,
            reverse_worded=True,
        ),
        Item(
            "information",
            wording["information"],
            0,
            4,
            topic=_("Information needs"),
            choices=_IPOS_HOW_OFTEN_GOOD_FIRST,
            reverse_worded=True,
        ),
        Item(
            "practical_matters",
            wording["practical_matters"],
            0,
            4,
            topic=_("Practical matters"),
            choices=_IPOS_ADDRESSED,
            reverse_worded=True,
        ),
    )
    return Instrument(
        code=code,
        name=name,
        short_name=_("IPOS (staff)") if staff else _("IPOS (patient)"),
        source=(
            "IPOS 3-day recall, Cicely Saunders Institute (pos-pal.org); subscales Murtagh 2019 "
            "(CLINICAL.md). No single validated cut-off: an item at 3 or 4 is a concern"
        ),
        items=(*symptoms, *others, *feelings),
        subscales=(
            Subscale("physical", _("Physical symptoms"), IPOS_PHYSICAL),
            Subscale("emotional", _("Emotional symptoms"), IPOS_EMOTIONAL),
            Subscale("communication", _("Communication and practical issues"), IPOS_COMMUNICATION),
        ),
        item_bands=(Band(CONCERN, _("concern (severe or overwhelming)"), 3, 4),),
        # Staff: a proxy report. Patient: the person answers, alone or helped by
        # family (the portal may send it, as ESAS-r check-ins are sent).
        respondents=("professional",) if staff else ("patient", "caregiver_assisted"),
        portal=not staff,
        unscored_items=IPOS_OTHER,
        all_required=staff,
        allows_not_assessed=staff,
        concern_from=3,
        recall=_("over the past 3 days"),
    )


IPOS_PATIENT = _ipos(
    "ipos_patient",
    _("Integrated Palliative care Outcome Scale (IPOS), patient version"),
    _IPOS_PATIENT_WORDING,
    staff=False,
)
IPOS_STAFF = _ipos(
    "ipos_staff",
    _("Integrated Palliative care Outcome Scale (IPOS), staff version"),
    _IPOS_STAFF_WORDING,
    staff=True,
)

# --- Distress Thermometer (NCCN) ----------------------------------------------

_DT_PROBLEMS = (
    ("practical", _("Practical problems (for example money, housing, transport, work)")),
    ("family", _("Family problems (for example with a partner or children)")),
    ("emotional", _("Emotional problems (for example worry, fears, sadness)")),
    ("spiritual", _("Spiritual or religious concerns")),
    ("physical", _("Physical problems (for example pain, tiredness, sleep)")),
)
DT_PROBLEM_KEYS = tuple(key for key, _label in _DT_PROBLEMS)


def distress_cut_off() -> int:
    """The score at or above which distress is clinically significant: 4 by
    default (NCCN Distress Management guideline; CLINICAL.md), per service
    (``HEARTH_DISTRESS_THERMOMETER_CUT_OFF``)."""
    return int(getattr(settings, "HEARTH_DISTRESS_THERMOMETER_CUT_OFF", 4))


def _distress_thermometer() -> Instrument:
    cut_off = min(max(distress_cut_off(), 1), 10)
    return Instrument(
        code="distress_thermometer",
        short_name=_("Distress Thermometer"),
        name=_("Distress Thermometer with problem list (NCCN)"),
        source=(
            "NCCN Distress Thermometer (CLINICAL.md); the cut-off is the service's "
            "HEARTH_DISTRESS_THERMOMETER_CUT_OFF (default 4)"
        ),
        items=(
            Item(
                "distress",
                _("How much distress has the person felt in the past week, including today?"),
                0,
                10,
                low_anchor=_("No distress"),
                high_anchor=_("Extreme distress"),
            ),
            *(
                Item(key, label, 0, 1, choices=((0, _("No")), (1, _("Yes"))), checkbox=True)
                for key, label in _DT_PROBLEMS
            ),
        ),
        total_bands=(
            Band("below_cut_off", _("below the cut-off"), 0, cut_off - 1),
            Band("significant", _("clinically significant distress"), cut_off, 10),
        ),
        respondents=("patient", "caregiver_assisted"),
        single_level=True,
        unscored_items=DT_PROBLEM_KEYS,
        recall=_("over the past week, including today"),
        extra={"cut_off": cut_off},
    )


# --- Abbey Pain Scale (Abbey et al. 2004) -------------------------------------

_ABBEY_WORDS = ((0, _("Absent")), (1, _("Mild")), (2, _("Moderate")), (3, _("Severe")))
ABBEY = Instrument(
    code="abbey",
    short_name=_("Abbey"),
    name=_("Abbey Pain Scale"),
    source="Abbey et al., Int J Palliat Nurs 2004 (CLINICAL.md); for people who cannot say",
    items=(
        Item(
            "vocalisation",
            _("Vocalisation (for example whimpering, groaning, crying)"),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
        Item(
            "facial_expression",
            _("Facial expression (for example looking tense, frowning, grimacing, frightened)"),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
        Item(
            "body_language",
            _("Change in body language (for example fidgeting, rocking, guarding, withdrawn)"),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
        Item(
            "behavioural_change",
            _(
                "Behavioural change (for example more confused, refusing to eat, change in "
                "usual patterns)"
            ),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
        Item(
            "physiological_change",
            _(
                "Physiological change (for example temperature, pulse or blood pressure out of "
                "the usual range, sweating, flushing or pallor)"
            ),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
        Item(
            "physical_changes",
            _(
                "Physical changes (for example skin tears, pressure areas, arthritis, "
                "contractures, earlier injuries)"
            ),
            0,
            3,
            choices=_ABBEY_WORDS,
        ),
    ),
    total_bands=(
        Band("none", _("no pain"), 0, 2),
        Band("mild", _("mild pain"), 3, 7),
        Band("moderate", _("moderate pain"), 8, 13),
        Band("severe", _("severe pain"), 14, 18),
    ),
    all_required=True,
)

# --- RASS-PAL (Bush et al. 2014, from RASS, Sessler 2002) ---------------------

RASS_PAL_LEVELS: dict[int, Label] = {
    4: _("Combative: openly combative or violent, a danger to staff"),
    3: _("Very agitated: pulls at or removes lines (including subcutaneous lines), or aggressive"),
    2: _("Agitated: frequent movement without purpose"),
    1: _("Restless: anxious, but movements not aggressive or vigorous"),
    0: _("Alert and calm"),
    -1: _(
        "Drowsy: not fully alert, but stays awake to voice (eyes open, eye contact) 10 s or more"
    ),
    -2: _("Light sedation: briefly wakes to voice, with eye contact, under 10 seconds"),
    -3: _("Moderate sedation: movement or eyes open to voice, but no eye contact"),
    -4: _("Deep sedation: no response to voice, but moves or opens eyes to touch"),
    -5: _("Unrousable: no response to voice or touch"),
}


def rass_pal_target() -> tuple[int, int]:
    """The team's target range in palliative sedation: -2 to 0 by default
    (CLINICAL.md, RASS-PAL), per service (``HEARTH_RASS_PAL_TARGET_LOW`` and
    ``_HIGH``). Guidance: a score outside it is marked, nothing else happens."""
    low = int(getattr(settings, "HEARTH_RASS_PAL_TARGET_LOW", -2))
    high = int(getattr(settings, "HEARTH_RASS_PAL_TARGET_HIGH", 0))
    low, high = max(-5, min(low, 4)), max(-5, min(high, 4))
    return (low, high) if low <= high else (high, low)


def _rass_pal() -> Instrument:
    low, high = rass_pal_target()
    target = {"low": f"{low:+d}" if low else "0", "high": f"{high:+d}" if high else "0"}
    bands = [
        Band("within_target", _("within the target (%(low)s to %(high)s)") % target, low, high)
    ]
    if low > -5:
        bands.insert(
            0,
            Band(
                "below_target",
                _("more sedated than the target (%(low)s to %(high)s)") % target,
                -5,
                low - 1,
            ),
        )
    if high < 4:
        bands.append(
            Band(
                "above_target",
                _("more alert or agitated than the target (%(low)s to %(high)s)") % target,
                high + 1,
                4,
            )
        )
    return Instrument(
        code="rass_pal",
        short_name=_("RASS-PAL"),
        name=_("Richmond Agitation-Sedation Scale, palliative version (RASS-PAL)"),
        source=(
            "Bush et al., BMC Palliat Care 2014, from RASS (Sessler 2002) (CLINICAL.md); "
            "descriptors shortened, check them against the published sheet; the target is "
            "the team's (HEARTH_RASS_PAL_TARGET_LOW/HIGH, default -2 to 0), guidance only"
        ),
        items=(Item("level", _("RASS-PAL level"), -5, 4, choices=tuple(RASS_PAL_LEVELS.items())),),
        total_bands=tuple(bands),
        bands_are_guidance=True,
        single_level=True,
        extra={"target": (low, high)},
    )


# --- 4AT (delirium screen; MacLullich, the4at.com) ----------------------------

FOUR_AT = Instrument(
    code="4at",
    short_name=_("4AT"),
    name=_("4AT (delirium and cognitive impairment screen)"),
    source="4AT version 1.2, the4at.com (CLINICAL.md)",
    items=(
        Item(
            "alertness",
            _("Alertness"),
            0,
            4,
            choices=(
                (0, _("Normal, or mild sleepiness for under 10 seconds after waking")),
                (4, _("Clearly abnormal")),
            ),
        ),
        Item(
            "amt4",
            _("AMT4: age, date of birth, place, current year"),
            0,
            2,
            choices=(
                (0, _("No mistakes")),
                (1, _("One mistake")),
                (2, _("Two or more mistakes, or untestable")),
            ),
        ),
        Item(
            "attention",
            _("Attention: months of the year backwards"),
            0,
            2,
            choices=(
                (0, _("Seven months or more correctly")),
                (1, _("Starts but fewer than seven months, or refuses to start")),
                (2, _("Untestable (cannot start: unwell, drowsy, inattentive)")),
            ),
        ),
        Item(
            "acute_change",
            _(
                "Acute change or fluctuating course (in alertness, thinking or other mental "
                "function, over the last 2 weeks and still there in the last 24 hours)"
            ),
            0,
            4,
            choices=((0, _("No")), (4, _("Yes"))),
        ),
    ),
    total_bands=(
        Band("unlikely", _("delirium or severe cognitive impairment unlikely"), 0, 0),
        Band("cognitive_impairment", _("possible cognitive impairment"), 1, 3),
        Band("delirium", _("possible delirium, with or without cognitive impairment"), 4, 12),
    ),
    all_required=True,
)

# --- Braden Scale (Bergstrom et al. 1987) -------------------------------------

BRADEN = Instrument(
    code="braden",
    short_name=_("Braden"),
    name=_("Braden Scale (pressure ulcer risk)"),
    source="Bergstrom et al. 1987 (CLINICAL.md); a lower total means a higher risk",
    items=(
        Item(
            "sensory_perception",
            _("Sensory perception"),
            1,
            4,
            choices=(
                (1, _("Completely limited")),
                (2, _("Very limited")),
                (3, _("Slightly limited")),
                (4, _("No impairment")),
            ),
        ),
        Item(
            "moisture",
            _("Moisture"),
            1,
            4,
            choices=(
                (1, _("Constantly moist")),
                (2, _("Very moist")),
                (3, _("Occasionally moist")),
                (4, _("Rarely moist")),
            ),
        ),
        Item(
            "activity",
            _("Activity"),
            1,
            4,
            choices=(
                (1, _("Bedfast")),
                (2, _("Chairfast")),
                (3, _("Walks occasionally")),
                (4, _("Walks frequently")),
            ),
        ),
        Item(
            "mobility",
            _("Mobility"),
            1,
            4,
            choices=(
                (1, _("Completely immobile")),
                (2, _("Very limited")),
                (3, _("Slightly limited")),
                (4, _("No limitation")),
            ),
        ),
        Item(
            "nutrition",
            _("Nutrition"),
            1,
            4,
            choices=(
                (1, _("Very poor")),
                (2, _("Probably inadequate")),
                (3, _("Adequate")),
                (4, _("Excellent")),
            ),
        ),
        Item(
            "friction_shear",
            _("Friction and shear"),
            1,
            3,
            choices=(
                (1, _("Problem")),
                (2, _("Potential problem")),
                (3, _("No apparent problem")),
            ),
        ),
    ),
    total_bands=(
        Band("very_high", _("very high risk"), 6, 9),
        Band("high", _("high risk"), 10, 12),
        Band("moderate", _("moderate risk"), 13, 14),
        Band("mild", _("mild risk"), 15, 18),
        Band("not_at_risk", _("not at risk"), 19, 23),
    ),
    higher_is_worse=False,
    all_required=True,
)

# --- Victoria Bowel Performance Scale (Victoria Hospice Society) --------------

VBPS_LEVELS: dict[int, Label] = {
    4: _("Diarrhoea: frequent or constant; liquid; no control"),
    3: _("Diarrhoea: frequent; liquid or unformed; little control"),
    2: _("Loose: more often than usual; loose, unformed; urgency"),
    1: _("Softer: a little more often than usual; soft; some urgency"),
    0: _("Normal for this person: usual pattern; formed and soft; effortless"),
    -1: _("Firmer: a little less often than usual; formed but firm; some effort"),
    -2: _("Hard: irregular; hard; straining"),
    -3: _("Constipated: no bowel movement for 3 days or more; hard, dry pieces; much straining"),
    -4: _("Impacted or obstructed: little or no stool passed, perhaps leakage"),
}
VBPS = Instrument(
    code="vbps",
    short_name=_("Bowel (VBPS)"),
    name=_("Victoria Bowel Performance Scale"),
    source=(
        "Victoria Hospice Society (Downing 2007; CLINICAL.md): -4 severe constipation to +4 "
        "severe diarrhoea, 0 the person's usual; descriptors shortened, check them against "
        "the published scale"
    ),
    items=(
        Item(
            "level",
            _("Bowel performance"),
            -4,
            4,
            choices=tuple(VBPS_LEVELS.items()),
        ),
    ),
    total_bands=(
        Band("constipation", _("towards constipation"), -4, -1),
        Band("normal", _("normal for this person"), 0, 0),
        Band("diarrhoea", _("towards diarrhoea"), 1, 4),
    ),
    single_level=True,
)


def _static_registry() -> dict[str, Instrument]:
    fixed = (
        ESAS_R,
        PPS,
        AKPS,
        PAINAD,
        MCSI,
        IPOS_PATIENT,
        IPOS_STAFF,
        ABBEY,
        FOUR_AT,
        BRADEN,
        VBPS,
    )
    return {i.code: i for i in fixed}


def registry() -> dict[str, Instrument]:
    """Every instrument, by code. Built per call so the Zarit wording, the
    distress cut-off and the sedation target follow settings."""
    instruments = _static_registry()
    instruments["zarit12"] = _zarit12()
    for built in (_distress_thermometer(), _rass_pal()):
        instruments[built.code] = built
    return instruments


def get(code: str) -> Instrument | None:
    return registry().get(code)


def validate(
    instrument: Instrument, answers: Mapping[str, Any], not_assessed: Sequence[str] = ()
) -> dict[str, list[str]]:
    """Field-keyed errors: unknown item, not a whole number, out of range, off
    the steps or the choices; "cannot assess" where the form has none, or beside
    a score; a blank item where every item is needed."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: Any) -> None:
        errors.setdefault(key, []).append(str(message))

    for key, value in answers.items():
        item = instrument.item(key)
        if item is None:
            add(key, _("Not an item of this instrument."))
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            add(key, _("Give a whole number."))
            continue
        if not item.in_range(value) or (value - item.minimum) % item.step != 0:
            message = (
                _("Must be between %(low)d and %(high)d.")
                if item.step == 1
                else _("Must be between %(low)d and %(high)d in steps of %(step)d.")
            )
            add(key, message % {"low": item.minimum, "high": item.maximum, "step": item.step})
        elif not item.allowed(value):
            add(
                key,
                _("Choose one of %(values)s.")
                % {"values": ", ".join(str(v) for v in item.choice_values)},
            )
    cannot = list(dict.fromkeys(not_assessed or ()))
    if cannot and not instrument.allows_not_assessed:
        add("not_assessed", _("This form has no “cannot assess” answer."))
        cannot = []
    for key in cannot:
        item = instrument.item(key)
        if item is None:
            add(key, _("Not an item of this instrument."))
        elif answers.get(key) is not None:
            add(key, _("Give a score or mark it “cannot assess”, not both."))
    if instrument.single_level and answers.get(instrument.items[0].key) is None:
        add(instrument.items[0].key, _("Choose a level."))
    elif instrument.all_required:
        message = (
            _("Answer this item, or mark it “cannot assess”.")
            if instrument.allows_not_assessed
            else _("Answer this item.")
        )
        for item in instrument.scored_items:
            if answers.get(item.key) is None and item.key not in cannot and item.key not in errors:
                add(item.key, message)
    elif not instrument.single_level and not any(
        answers.get(item.key) is not None for item in instrument.scored_items
    ):
        add("__all__", _("Answer at least one item."))
    return errors


def score(
    instrument: Instrument, answers: Mapping[str, Any], not_assessed: Sequence[str] = ()
) -> Score:
    """Sum what was answered; a blank scored item makes every sum that needs it
    partial (shown as such), never silently zero. An item a proxy could not
    assess is left out of the sums too, and counted apart from the blanks."""
    present = {
        item.key: int(answers[item.key])
        for item in instrument.items
        if answers.get(item.key) is not None
    }
    cannot = tuple(
        item.key
        for item in instrument.items
        if item.key in set(not_assessed or ()) and item.key not in present
    )
    missing = tuple(
        item.key
        for item in instrument.scored_items
        if item.key not in present and item.key not in cannot
    )
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
        partial=bool(missing or cannot),
        missing=missing,
        item_bands=item_bands,
        total_band=total_band.key if total_band else None,
        not_assessed=cannot,
    )


def caregiver_strain_cut_off(code: str) -> int | None:
    """The total at or above which strain counts as high, per service.

    Zarit-12: 17 (Bédard 2001, docs/clinical-reference.md says *verify*). The Modified Caregiver
    Strain Index has no cut-off in docs/clinical-reference.md, so it is off until the clinical
    lead sets one (``HEARTH_CAREGIVER_STRAIN_HIGH``).
    """
    return dict(settings.HEARTH_CAREGIVER_STRAIN_HIGH).get(code)
