"""Reads of the profile, shaped for pages, the API and the printed summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from hearth.core.choices import SPOKEN_LANGUAGES, language_name
from hearth.core.pagination import after
from hearth.patients.choices import relationship_label
from hearth.patients.models import Patient
from hearth.personhood.choices import BLOCKING_WINDOW_KINDS, ProposalStatus, Section
from hearth.personhood.models import (
    SECTION_MODELS,
    Communication,
    CultureAndFaith,
    DailyRoutine,
    Diet,
    EndOfLifeWishes,
    HomeEnvironment,
    InformationPreferences,
    LegacyItem,
    ProfileProposal,
    ProfileSection,
    ValuesAndGoals,
    WeeklyWindow,
)


@dataclass
class SectionView:
    key: str
    title: str
    row: ProfileSection | None
    fields: list[tuple[Any, Any]] = field(default_factory=list)
    accepted_words: list[ProfileProposal] = field(default_factory=list)


def _display(row: ProfileSection, model_field: Any) -> Any:
    value = getattr(row, model_field.name)
    if value in ("", None, []):
        return None
    # Languages are stored as codes and named in the reader's language (not
    # Django's English names); a typed relationship ("daughter") likewise.
    if model_field.name == "preferred_language":
        return language_name(value)
    if model_field.name == "other_languages":
        return ", ".join(language_name(code) for code in value)
    if model_field.name.endswith("relationship"):
        return relationship_label(value)
    if model_field.choices:
        return getattr(row, f"get_{model_field.name}_display")()
    item_choices = getattr(model_field, "item_choices", None)
    if item_choices:
        names = dict(item_choices)
        return ", ".join(str(names.get(item, item)) for item in value)
    if isinstance(value, bool):
        return value or None
    return value


#: Fields the family must never read: "who must not be told what" is often
#: about them. Staff and the patient themself see it.
CONFIDENTIAL_FROM_FAMILY = frozenset({"who_must_not_be_told"})


def profile(patient: Patient, *, for_family: bool = False) -> dict[str, Any]:
    """All sections (saved or not), windows, legacy items and proposals, in a
    constant number of queries."""
    rows: dict[str, ProfileSection | None] = {
        key: model._default_manager.filter(patient=patient).select_related("recorded_by").first()
        for key, model in SECTION_MODELS.items()
    }
    proposals = list(
        ProfileProposal.objects.filter(patient=patient).select_related("proposed_by", "decided_by")
    )
    sections = []
    for key, title in Section.choices:
        row = rows.get(key)
        fields = []
        if row is not None:
            fields = [
                (model_field.verbose_name, shown)
                for model_field in row.content_fields()
                if not (for_family and model_field.name in CONFIDENTIAL_FROM_FAMILY)
                and (shown := _display(row, model_field)) is not None
            ]
        sections.append(
            SectionView(
                key=key,
                title=str(title),
                row=row,
                fields=fields,
                accepted_words=[
                    p for p in proposals if p.section == key and p.status == ProposalStatus.ACCEPTED
                ],
            )
        )
    return {
        "sections": sections,
        "windows": [
            window
            for window in WeeklyWindow.objects.current().for_patient(patient)
            if window.kind in BLOCKING_WINDOW_KINDS
        ],
        "legacy_items": list(LegacyItem.objects.filter(patient=patient)),
        "pending_proposals": [p for p in proposals if p.status == ProposalStatus.PENDING],
        "proposals": proposals,
    }


def proposals_for(patient: Patient) -> QuerySet[ProfileProposal]:
    return ProfileProposal.objects.filter(patient=patient).select_related(
        "proposed_by", "decided_by"
    )


def _first(model: type[ProfileSection], patient: Patient) -> Any:
    return model._default_manager.filter(patient=patient).first()


def about_me(patient: Patient, *, confidential: bool = False) -> dict[str, Any]:
    """The one-page "About me": what a visiting nurse should know before
    knocking, in the order they need it. ``confidential`` adds who must not be
    told what: on the staff screen only, never on paper left in the home."""
    values: ValuesAndGoals | None = _first(ValuesAndGoals, patient)
    information: InformationPreferences | None = _first(InformationPreferences, patient)
    faith: CultureAndFaith | None = _first(CultureAndFaith, patient)
    diet: Diet | None = _first(Diet, patient)
    communication: Communication | None = _first(Communication, patient)
    routine: DailyRoutine | None = _first(DailyRoutine, patient)
    home: HomeEnvironment | None = _first(HomeEnvironment, patient)
    wishes: EndOfLifeWishes | None = _first(EndOfLifeWishes, patient)
    languages = dict(SPOKEN_LANGUAGES)
    diet_names = dict(Diet._meta.get_field("practices").item_choices)  # type: ignore[attr-defined]
    return {
        "patient": patient,
        "values": values,
        "information": information,
        "faith": faith,
        "diet": diet,
        "diet_practices": [str(diet_names[p]) for p in (diet.practices if diet else [])],
        "communication": communication,
        "language": languages.get(communication.preferred_language, "") if communication else "",
        "routine": routine,
        "home": home,
        "wishes": wishes,
        "windows": [
            window
            for window in WeeklyWindow.objects.current().for_patient(patient)
            if window.kind in BLOCKING_WINDOW_KINDS
        ],
        "legacy_items": list(LegacyItem.objects.filter(patient=patient).exclude(status="done")),
        "confidential": confidential,
        "is_empty": not any(
            (values, information, faith, diet, communication, routine, home, wishes)
        ),
    }


@dataclass
class SectionVersion:
    recorded_by: Any
    recorded_at: Any
    changed: list[str]
    content: dict[str, Any]


#: A section's saved versions, newest first (``history_id`` breaks a tie).
SECTION_HISTORY_ORDER = ("-history_date", "-history_id")


def section_history_rows(patient: Patient, section: str) -> QuerySet[Any]:
    """The saved versions of a section, newest first, as rows the API can page."""
    model = SECTION_MODELS[section]
    return (
        model.history.filter(patient=patient)  # type: ignore[attr-defined]
        .select_related("recorded_by")
        .order_by(*SECTION_HISTORY_ORDER)
    )


def section_versions(patient: Patient, section: str, rows: list[Any]) -> list[SectionVersion]:
    """``rows`` (newest first, as ``section_history_rows`` gives them) with
    what changed from the version before each. The version just older than
    the last row is read too, so the oldest version on a page of history says
    what it changed, as it does when the whole history is read."""
    if not rows:
        return []
    model = SECTION_MODELS[section]
    names = [f.name for f in model.content_fields()]
    oldest = rows[-1]
    before = (
        section_history_rows(patient, section)
        .filter(after(SECTION_HISTORY_ORDER, [oldest.history_date, oldest.history_id]))
        .first()
    )
    previous: dict[str, Any] = (
        {name: getattr(before, name) for name in names} if before is not None else {}
    )
    versions: list[SectionVersion] = []
    for row in reversed(rows):
        content = {name: getattr(row, name) for name in names}
        if previous:
            changed = [name for name in names if content[name] != previous[name]]
        else:
            changed = [name for name in names if content[name] not in ("", None, [], False)]
        versions.append(SectionVersion(row.recorded_by, row.recorded_at, changed, content))
        previous = content
    return list(reversed(versions))


def section_history(patient: Patient, section: str) -> list[SectionVersion]:
    """Every saved version of a section, newest first, with what changed from
    the one before: the answer to "who wrote that she wants to die at home?"."""
    return section_versions(patient, section, list(section_history_rows(patient, section)))


def pending_proposal_count(patient: Patient) -> int:
    return ProfileProposal.objects.filter(patient=patient, status=ProposalStatus.PENDING).count()
