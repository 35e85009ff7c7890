"""Reads of the directory and of a patient's next steps.

Search works the same on SQLite and PostgreSQL: every word of the text must
appear (case-insensitively, ``icontains``) in the name, the organisation, the
description, the how-to, or the label of the entry's topic, category or a
faith it serves. No database-specific search features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import translation

from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.directory.choices import ALL_REGIONS, Category, Faith, NextStepStatus, Topic
from hearth.directory.models import DirectoryEntry, NextStep, Region
from hearth.patients.models import Patient

PER_PAGE = 20
#: At most this many words of a search are used (each must match).
MAX_WORDS = 8
LANGUAGE_CODES = frozenset(code for code, _name in SPOKEN_LANGUAGES)


def _labels_matching(choices: Any, word: str) -> list[str]:
    """Codes whose label contains ``word``, in the reader's language or in English."""
    word = word.casefold()
    found = []
    for value, label in choices:
        texts = {str(label).casefold()}
        with translation.override("en"):
            texts.add(str(label).casefold())
        if any(word in text for text in texts):
            found.append(value)
    return found


def _json_has(field_name: str, code: str) -> Q:
    """A JSON list of codes holds ``code``: a text match on the quoted code,
    which reads the same on SQLite and PostgreSQL (codes are letters only)."""
    return Q(**{f"{field_name}__icontains": f'"{code}"'})


def _word_matches(word: str) -> Q:
    match = (
        Q(name__icontains=word)
        | Q(organisation__icontains=word)
        | Q(description__icontains=word)
        | Q(how_to__icontains=word)
    )
    topics = _labels_matching(Topic.choices, word)
    if topics:
        match |= Q(topic__in=topics)
    categories = _labels_matching(Category.choices, word)
    if categories:
        match |= Q(category__in=categories)
    for faith in _labels_matching(Faith.choices, word):
        match |= _json_has("faiths_served", faith)
    return match


def words_of(text: str | None) -> list[str]:
    return (text or "").split()[:MAX_WORDS]


def search(
    *,
    text: str | None = None,
    region: str | None = None,
    language: str | None = None,
    category: str | None = None,
    topic: str | None = None,
    include_retired: bool = False,
) -> QuerySet[DirectoryEntry]:
    """Entries matching every filter given, exact name matches first, then by name.

    ``region`` is an area code: entries for that area or for every area
    (``"all"`` alone gives the entries that serve every area). ``language``
    is a language code from the spoken-language list. Filter values are
    expected to be valid (the page's form and the API's schema check them).
    """
    entries = DirectoryEntry.objects.all()
    if not include_retired:
        entries = entries.active()
    words = words_of(text)
    for word in words:
        entries = entries.filter(_word_matches(word))
    if region:
        if region == ALL_REGIONS:
            entries = entries.filter(serves_all_regions=True)
        else:
            in_region = DirectoryEntry.regions.through.objects.filter(region__code=region).values(
                "directoryentry_id"
            )
            entries = entries.filter(Q(serves_all_regions=True) | Q(pk__in=in_region))
    if language:
        entries = entries.filter(_json_has("languages", language))
    if category:
        entries = entries.filter(category=category)
    if topic:
        entries = entries.filter(topic=topic)
    phrase = " ".join(words)
    rank: Case | Value
    if phrase:
        rank = Case(
            When(name__iexact=phrase, then=Value(0)),
            When(name__istartswith=phrase, then=Value(1)),
            When(name__icontains=phrase, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    else:
        rank = Value(3, output_field=IntegerField())
    return (
        entries.annotate(rank=rank)
        .order_by("rank", Lower("name"), "id")
        .select_related("reviewed_by")
        .prefetch_related("regions")
    )


@dataclass
class Page:
    entries: list[DirectoryEntry]
    number: int
    pages: int
    count: int
    per_page: int = PER_PAGE
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def search_page(*, page: int = 1, per_page: int = PER_PAGE, **filters: Any) -> Page:
    """One page of ``search``: two queries (count, rows) plus the areas."""
    found = search(**filters)
    count = found.count()
    pages = max(1, math.ceil(count / per_page))
    number = min(max(1, page), pages)
    start = (number - 1) * per_page
    return Page(
        entries=list(found[start : start + per_page]),
        number=number,
        pages=pages,
        count=count,
        per_page=per_page,
        filters=filters,
    )


def region_choices(*, include_all: bool = True) -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    areas = [(region.code, region.name) for region in Region.objects.active()]
    return ([(ALL_REGIONS, _("All areas (service-wide)"))] if include_all else []) + areas


def entry(external_id: Any, *, include_retired: bool) -> DirectoryEntry | None:
    try:
        found = (
            DirectoryEntry.objects.select_related("reviewed_by", "retired_by", "created_by")
            .prefetch_related("regions")
            .filter(external_id=external_id)
            .first()
        )
    except (ValueError, TypeError):
        return None
    if found is None or (not found.active and not include_retired):
        return None
    return found


_STATUS_ORDER = Case(
    When(status=NextStepStatus.TO_DO, then=Value(0)),
    When(status=NextStepStatus.DONE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


#: Next steps: to do first, then done, then no longer needed; newest first within each.
NEXT_STEP_ORDER = ("order", "-added_at", "-id")


def next_step_rows(patient: Patient) -> QuerySet[NextStep]:
    """A patient's next steps in ``NEXT_STEP_ORDER``. The caller has already
    opened the patient."""
    return (
        NextStep.objects.for_patient(patient)
        .select_related("patient", "entry__reviewed_by", "added_by", "status_changed_by")
        .prefetch_related("entry__regions")
        .annotate(order=_STATUS_ORDER)
        .order_by(*NEXT_STEP_ORDER)
    )


def next_steps(patient: Patient) -> list[NextStep]:
    """A patient's next steps: to do first, then done, then no longer needed;
    newest first within each. The caller has already opened the patient."""
    return list(next_step_rows(patient))


def next_step(external_id: Any) -> NextStep | None:
    try:
        return (
            NextStep.objects.select_related(
                "patient", "entry__reviewed_by", "added_by", "status_changed_by"
            )
            .prefetch_related("entry__regions")
            .filter(external_id=external_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def panel(patient: Patient) -> dict[str, Any]:
    steps = NextStep.objects.for_patient(patient)
    open_steps = list(steps.open().select_related("entry").order_by("-added_at", "-id")[:5])
    return {
        "patient": patient,
        "open_steps": open_steps,
        "open_count": steps.open().count(),
        "done_count": steps.filter(status=NextStepStatus.DONE).count(),
        "retired_count": steps.open().filter(entry__active=False).count(),
    }
