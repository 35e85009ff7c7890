"""The UI sweep's parts (issue 20): who signs in for each role, which pages it
cannot reach in the demo and why, and the checks run in the page.

Kept apart from ``test_ui_sweep.py`` so the checks can be read (and changed)
without the browser plumbing. The page checks run as one script per size, so
a page costs one round trip for the text and layout and one for axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from hearth.patients.tests.matrix import Route

#: The roles of the permission matrix a person signs in as, and the demo
#: account for each (``hearth.demo.people`` and the stories). The matrix's
#: ``other_family`` sees the same pages as ``family`` and ``anonymous`` no
#: page at all, so neither is swept.
ROLE_USERS: dict[str, tuple[str, ...]] = {
    # Dr Ivanova and Nurse Sokolova care for the Smirnovs (active) and the
    # Kuznetsovs (bereavement); a page about a record only another member of
    # the role can open (the Hassans' allergies, the Adeyemis' discharge) is
    # tried as the next account of the same role.
    "physician": ("dr.ivanova", "dr.okafor", "dr.patel"),
    "nurse": ("nurse.sokolova", "nurse.brennan"),
    "psychologist": ("psych.mensah",),
    # Lucia Garcia and Owen Davies join the Kuznetsovs' team in the sweep's
    # fixture, so the pages after a death are reached in their roles too.
    "social_worker": ("sw.garcia",),
    "chaplain": ("chaplain.davies",),
    "volunteer": ("vol.hughes",),
    "coordinator": ("coord.lewis",),
    "administrator": ("admin.kaur",),
    "commission_member": ("dr.hale",),
    "clinical_lead": ("dr.okafor",),
    # Nurse Brennan is not on the Smirnovs' team: she reaches their record by emergency access.
    "outsider_nurse": ("nurse.brennan",),
    "family": ("family.hassan", "family.kuznetsov"),
    "patient_user": ("patient.whitaker",),
}

#: Who joins the bereaved family's team in the sweep (``ROLE_USERS``), and as what.
JOIN_THE_KUZNETSOVS = (("sw.garcia", "social_worker"), ("chaplain.davies", "chaplain"))

#: The two screens every page is checked on: a small phone, then a laptop.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
LANGUAGES = ("en", "ru")

#: Routes that are not HTML pages: files the browser downloads or a script.
NOT_PAGES = {
    "/sw.js": "the service worker script, not a page",
    "/alerts/count/": "the menu's alert badge alone, fetched by hearth.js into every page",
}
NOT_PAGE_SUFFIXES = (".pdf", "/pdf/")

#: (path, role) pairs the sweep cannot reach in the demo, with the reason;
#: ``"*"`` stands for every role the route allows. Each entry is checked to
#: be still out of reach, and ``test_not_covered_does_not_grow`` pins their
#: number: extend the demo (or the sweep's fixture) rather than this list.
_NOT_ON_THAT_TEAM = "in the demo only patients whose team this role's account is not on have one"
NOT_COVERED: dict[tuple[str, str], str] = {
    # Kwame Mensah (the Smirnovs, the Kuznetsovs, the Whitakers) and Lucia
    # Garcia (the O'Briens, the Whitakers, and the Kuznetsovs in the sweep).
    **{
        (path, role): _NOT_ON_THAT_TEAM
        for path in (
            "/care-plans/{plan}/diff/",
            "/visits/time-requests/{time_request}/withdraw/",
            "/care-plan-reviews/{care_plan_review}/complete/",
            "/care-plan-reviews/{care_plan_review}/dismiss/",
        )
        for role in ("psychologist", "social_worker")
    },
    ("/visits/{visit}/cancel/", "psychologist"): (
        "Kwame Mensah has no visit of his own in the demo that can still be cancelled"
    ),
    **{
        (path, "social_worker"): _NOT_ON_THAT_TEAM
        for path in (
            "/caregiving/tasks/{support_task}/",
            "/caregiving/tasks/{support_task}/close/",
            "/caregiving/respite/{respite}/cancel/",
        )
    },
    # Owen Davies: the Hassans, and the Kuznetsovs in the sweep.
    **{
        (path, "chaplain"): _NOT_ON_THAT_TEAM
        for path in (
            "/visits/{visit}/",
            "/caregiving/contacts/{support_contact}/entered-in-error/",
            "/caregiving/tasks/{support_task}/",
            "/caregiving/tasks/{support_task}/close/",
        )
    },
    ("/visits/planned/{planned_visit}/move/", "coordinator"): (
        "today's demo plan is published: a visit is moved on a draft plan"
    ),
}

#: The number of (route, role) pairs the sweep does not reach; pinned so the
#: list above cannot grow without someone deciding it should.
NOT_COVERED_PAIRS = 17

#: Pairs of ``NOT_COVERED`` the demo does reach at some hours: it lays today's
#: visits and day plan around the hour it is seeded, so run after midnight
#: (seen in CI at 00:20) a visit can still be cancelled or opened and today's
#: plan is still a draft. Reached, they are swept like any page (that is how
#: the move page's raw "social_worker" was found); not reached, they are not
#: a finding, and the sweep does not ask for them to be taken off the list.
REACHED_AT_SOME_HOURS = frozenset(
    {
        ("/visits/{visit}/cancel/", "psychologist"),
        ("/visits/{visit}/", "chaplain"),
        ("/visits/planned/{planned_visit}/move/", "coordinator"),
    }
)

#: English words the sweep would excuse on Russian pages: a path pattern
#: (``{id}`` for any external id), the words, and why they are there. It is
#: empty: every text the services store is kept as a key and read in the
#: reader's language (issue 20). It stays as the one place to list a word
#: that cannot be fixed at once, as a counted debt, not an exception:
#: ``KNOWN_ENGLISH_WORDS`` pins the number, so the list cannot grow without
#: someone deciding it should, and a word listed is still reported on every
#: other page.
KNOWN_ENGLISH: list[tuple[str, frozenset[str], str]] = []
KNOWN_ENGLISH_WORDS = 0


def known_english(url: str, words: list[str]) -> list[str]:
    """The words of ``words`` not excused for ``url`` by ``KNOWN_ENGLISH``."""
    excused: set[str] = set()
    for pattern, listed, _why in KNOWN_ENGLISH:
        regex = "^" + re.escape(pattern).replace(r"\{id\}", "[0-9a-f-]{36}") + "$"
        if re.match(regex, url.split("?")[0]):
            excused |= listed
    return [word for word in words if word not in excused]


#: Where to find ids for the placeholders no page links to (a page behind a
#: POST button, a record only reached from a list filtered by date): the
#: model, and the field named in the path. Ids found in links come first; the
#: role's own access still decides, as the sweep keeps only pages answering 200.
DEMO_IDS: dict[str, tuple[str, str]] = {
    "contact": ("bereavement.BereavementContact", "external_id"),
    "risk_screen": ("bereavement.RiskScreen", "external_id"),
    "acp_draft": ("careplans.AdvanceCarePlan", "external_id"),
    "allergy_proposal": ("allergies.AllergyIntolerance", "external_id"),
    "allergy": ("allergies.AllergyIntolerance", "external_id"),
    "visit": ("visits.Visit", "external_id"),
    "visit_need": ("visits.VisitNeed", "external_id"),
    "time_request": ("visits.VisitTimeRequest", "external_id"),
    "planned_visit": ("visits.PlannedVisit", "pk"),
    "dispatch": ("visits.Dispatch", "external_id"),
    "staff": ("accounts.User", "external_id"),
    "goal": ("careplans.PlanGoal", "external_id"),
    "need": ("careplans.PlanNeed", "external_id"),
    "care_plan_review": ("careplans.CarePlanReviewTask", "external_id"),
    "support_task": ("caregiving.SupportTask", "external_id"),
    "support_contact": ("caregiving.SupportContact", "external_id"),
    "debrief": ("team.Debrief", "external_id"),
    "review": ("medications.SyncReview", "external_id"),
    "fault": ("equipment.FaultReport", "external_id"),
    "formulation": ("medications.Formulation", "external_id"),
    "patient": ("patients.Patient", "external_id"),
    "episode": ("patients.Episode", "external_id"),
    "plan": ("careplans.CarePlan", "external_id"),
}


def demo_ids() -> dict[str, list[str]]:
    """Every id of each ``DEMO_IDS`` placeholder in the demo, newest first."""
    from django.apps import apps

    found: dict[str, list[str]] = {}
    for name, (label, field_name) in DEMO_IDS.items():
        model = apps.get_model(label)
        found[name] = [
            str(value)
            for value in model._default_manager.order_by("-pk").values_list(field_name, flat=True)
        ]
    return found


def is_page(route: Route) -> bool:
    """Whether the route answers an HTML page (not a PDF or a script)."""
    return route.path not in NOT_PAGES and not route.path.endswith(NOT_PAGE_SUFFIXES)


def path_pattern(path: str) -> re.Pattern[str]:
    """A regular expression matching a route's path with any id in its placeholders."""
    parts = re.split(r"(\{[a-z_]+\})", path)
    return re.compile(
        "^"
        + "".join(
            f"(?P<{part[1:-1]}>[^/?#]+)" if part.startswith("{") else re.escape(part)
            for part in parts
        )
        + "$"
    )


def not_covered(path: str, role: str) -> str | None:
    """Why the sweep does not reach ``path`` as ``role``, or None."""
    return NOT_COVERED.get((path, role)) or NOT_COVERED.get((path, "*"))


def screenshot_dir(base: Path) -> Path:
    """Where the screenshots go (``HEARTH_UI_SWEEP_DIR``, else ``build/ui-sweep``)."""
    import os

    return Path(os.environ.get("HEARTH_UI_SWEEP_DIR") or base / "build" / "ui-sweep")


#: Latin-letter words a Russian page may show outside people's own words: the
#: service's name, units and the names of clinical scales and standards,
#: which stay in Latin letters in Russian clinical use too.
RUSSIAN_PAGE_LATIN_ALLOWED = {
    "Hearth",  # the product's name
    # units
    "mg",
    "ml",
    "mcg",
    "mmHg",
    "SpO",  # SpO₂ (the subscript is its own character)
    "SpO2",
    "kg",
    "h",  # mcg/h, ml/h
    "min",  # /min (pulse, breathing rate)
    "C",  # °C (the degree sign is its own character)
    # clinical scales, scores and standards (their published names)
    "ESAS-r",
    "ESAS",
    "PPS",
    "AKPS",
    "NEWS2",
    "NEWS",
    "PAINAD",
    "Zarit",
    "Zarit-12",
    "SPICT",
    "ACVPU",
    "OME",
    "DNACPR",
    "ReSPECT",
    "ICD-10",
    "IPOS",
    "MCSI",
    "PPSv2",
    "RASS-PAL",
    "VBPS",
    "AT",  # 4AT (the word check starts at the letter)
    "IDDSI",
    # formats and technical names a person types or sees on a device
    "PDF",
    "SMS",
    "TOTP",
    "FHIR",
    "API",
    "e-mail",
    "Web",
    "Push",
    "https",  # a video link "starts with https://"
    "DBS",  # the Disclosure and Barring Service check a volunteer needs (its name)
    # keys printed on keyboards
    "Ctrl",
    "Cmd",
}

#: Text codes that may look like raw codes but are what a person reads.
RAW_CODE_ALLOWED = {"NEWS2", "SpO2", "ICD-10", "ESAS-r", "Zarit-12"}

#: The script run in the page after each load or resize: overflow, and the
#: visible text split into the whole page and the page less people's own words
#: (names, notes, quotes, addresses: elements marked ``data-free-text``,
#: ``translate="no"`` or with a ``lang`` of their own).
PAGE_FACTS_JS = """
() => {
  const root = document.documentElement;
  const pageLang = (root.getAttribute('lang') || '').slice(0, 2);
  const skipTags = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);
  const isFree = (el) => el.closest(
    '[data-free-text], [translate="no"]'
  ) || (el.closest('[lang]') && el.closest('[lang]') !== root &&
        el.closest('[lang]').getAttribute('lang').slice(0, 2) !== pageLang);
  const all = [], ours = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || skipTags.has(el.tagName)) continue;
    if (el.tagName === 'OPTION') {
      const select = el.closest('select');
      if (!select || !select.checkVisibility()) continue;
    } else if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) {
      continue;
    }
    all.push(text);
    if (!isFree(el)) ours.push(text);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.checkVisibility() && !isFree(el)) ours.push(el.getAttribute('placeholder'));
  }
  return {
    overflow: root.scrollWidth - window.innerWidth,
    scrollWidth: root.scrollWidth,
    all: all.join('\\n'),
    ours: ours.join('\\n'),
    links: Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href')).concat(
      Array.from(document.querySelectorAll('form[action]'), (f) => f.getAttribute('action')),
      Array.from(document.querySelectorAll('[formaction]'), (b) => b.getAttribute('formaction')),
    ),
  };
}
"""

AXE_JS = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    count: v.nodes.length,
  }));
}
"""

_DASHES = re.compile(r"-{4,}")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_CAPS_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[A-Z]{3,}[0-9]+\b")
#: Python's None printed as a value; not the English word in "None wanted"
#: or a scale's anchor "0 = None" / "0 · None".
_NONE = re.compile(r"(?<!= )(?<!0 · )\bNone\b(?!\s+[a-z])")
_EMPTY_LIST = re.compile(r"\[\]")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")


def raw_values(whole: str, ours: str) -> list[str]:
    """Placeholders and raw codes on the page: "---------" anywhere; ``None``,
    ``[]``, snake_case and ALL_CAPS codes and ISO dates outside people's own
    words (someone may well type "None." for pets)."""
    found: list[str] = []
    found += [f"placeholder {m!r}" for m in sorted(set(_DASHES.findall(whole)))]
    found += [f"'None' in {_around(ours, m)!r}" for m in _NONE.finditer(ours)][:3]
    found += [f"'[]' in {_around(ours, m)!r}" for m in _EMPTY_LIST.finditer(ours)][:3]
    found += [f"raw code {m!r}" for m in sorted(set(_SNAKE.findall(ours)))]
    found += [
        f"raw code {m!r}"
        for m in sorted(set(_CAPS_CODE.findall(ours)))
        if m not in RAW_CODE_ALLOWED
    ]
    found += [f"ISO date {m!r}" for m in sorted(set(_ISO_DATE.findall(ours)))]
    return found


#: Stored texts the code writes, not a person (a sentence made in the service
#: language, a message sent to someone, the name of a kind of record): not
#: free text, so the sweep still finds them when a Russian page shows them in
#: English. Fields with a ``<name>_key`` beside them (a message stored as a
#: key and its parameters) are found without being listed here.
NOT_TYPED_FIELDS = {
    "core.AuditEvent.object_type",
    "core.IdempotencyKey.result_type",
    "notifications.Message.subject",
    "notifications.Message.body",
    "notifications.Message.finished_reason",
    "visits.Dispatch.why_on_call",
    "medications.SyncReview.problems",
    "medications.OrderVersion.confirmed_checks",
}

#: Text columns beside a ``*_key`` column that hold either the service's own
#: words (a key is stored) or what a person typed (no key): a register note,
#: a physician's reason for routing an alert, a review's outcome.
TYPED_OR_KEPT_AS_A_KEY = {
    "medications.StockEntry.note",
    "monitoring.Alert.routing_note",
    "careplans.CarePlanReviewTask.outcome",
}

#: A value that is a code, not words: lower-case letters and digits, maybe
#: joined by ``_``, ``.``, ``:``, ``-`` or ``/`` ("syringe_driver",
#: "coord.lewis", "alert:3", "physician", "tablet"). A plain field whose every
#: value looks like that holds codes (a discipline, a unit) or words the page
#: translates (a relationship), so it never hides; in a field of typed words
#: ("breakthrough pain", "breathlessness") a one-word value is typed too.
#: Inside JSON, a code-like string is always taken for a code.
_CODE_LIKE = re.compile(r"[a-z0-9]+(?:[-_.:/][a-z0-9]+)*")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
#: The keys of a stored message (``hearth.core.messages``) that hold words
#: the code translates or dates it formats, not what a person typed.
_MESSAGE_KEYS = {"$m", "$t", "$c", "$d", "$dt", "$s"}
_SPACES = re.compile(r"[^\S\n]+")


def free_texts_in_the_demo() -> list[str]:
    """What people typed into the demo's database, to be left out of the
    "English on a Russian page" check: every string of a CharField, TextField
    or JSONField without ``choices`` in Hearth's models (names, notes,
    descriptions, addresses, drug and product names, course titles, e-mails),
    less codes (a plain field of one-word lower-case values: a relationship
    such as "daughter" is shown in the reader's language, so it must not
    hide) and texts the code generates (``NOT_TYPED_FIELDS``, messages stored
    as keys; of ``TYPED_OR_KEPT_AS_A_KEY``, only the rows without a key).
    A course title an administrator typed may equal a word the
    catalogue translates elsewhere; it is still typed."""
    from django.apps import apps
    from django.db import models

    texts: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("hearth."):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                continue
            if f.choices or getattr(f, "item_choices", None):
                continue
            label = f"{model._meta.label}.{f.name}"
            if f.name.endswith(("_key", "_params")) or label in NOT_TYPED_FIELDS:
                continue
            rows = model._default_manager.all()
            if f"{f.name}_key" in names:
                if label not in TYPED_OR_KEPT_AS_A_KEY:
                    continue
                rows = rows.filter(**{f"{f.name}_key": ""})
            values = rows.values_list(f.name, flat=True).distinct()
            if isinstance(f, models.JSONField):
                texts.update(s for v in values for s in _strings_in(v) if not _is_code(s))
            else:
                typed = [v for v in values if v]
                if not all(_is_code(v) for v in typed):
                    texts.update(typed)
    return free_text_values(texts)


def _is_code(value: str) -> bool:
    return bool(_CODE_LIKE.fullmatch(value.strip()))


def _strings_in(value: object) -> list[str]:
    """The strings in a stored value: itself, or a JSON value's strings less
    its message keys (``$m``, ``$t``...), its parameters included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings_in(item)]
    if isinstance(value, dict):
        return [
            s
            for key, item in value.items()
            if not (isinstance(key, str) and key in _MESSAGE_KEYS)
            for s in _strings_in(item)
        ]
    return []


def free_text_values(texts: Iterable[str]) -> list[str]:
    """The typed texts as the page shows them: line by line, spaces made one,
    only lines of 4 characters or more or with a space (a short word such as
    "No" would hide the same word in a template), less codes; longest first,
    so a sentence goes before a name inside it."""
    lines: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            line = _SPACES.sub(" ", line).strip()
            if len(line) < 4 and " " not in line:
                continue
            if not _LATIN_LETTER.search(line):
                continue
            lines.add(line)
    return sorted(lines, key=lambda line: (-len(line), line))


#: A typed text cut short on a page (a timeline line ends "... Urgen") is
#: still typed: its first ``CUT_SHORT_FROM`` characters or more are removed.
CUT_SHORT_FROM = 40


def without_free_text(text: str, free_texts: Iterable[str]) -> str:
    """``text`` less every whole occurrence of a typed value (not inside a
    longer word: "Care" typed as a name leaves "Careful" alone), and of the
    start of a long one cut short; each removed value leaves a line break, so
    the words either side stay apart. A page may show a text both whole and
    cut short (a family's words quoted, and listed among what they sent):
    the cut-short copy goes too."""
    text = _SPACES.sub(" ", text)
    for value in free_texts:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "\n", text)
        if len(value) > CUT_SHORT_FROM and value[:CUT_SHORT_FROM] in text:
            text = _without_the_start_of(text, value)
    return text


def _without_the_start_of(text: str, value: str) -> str:
    """``text`` less each place that starts like ``value`` and runs on with it
    as far as the page shows (at least ``CUT_SHORT_FROM`` characters)."""
    start = text.find(value[:CUT_SHORT_FROM])
    while start != -1:
        end = start + CUT_SHORT_FROM
        while end < len(text) and end - start < len(value) and text[end] == value[end - start]:
            end += 1
        text = text[:start] + "\n" + text[end:]
        start = text.find(value[:CUT_SHORT_FROM], start + 1)
    return text


def english_words(ours: str) -> list[str]:
    """Latin-letter words outside the allow-list on a Russian page's own text."""
    words = {m.group(0) for m in LATIN_WORD.finditer(ours)}
    return sorted(w for w in words if w not in RUSSIAN_PAGE_LATIN_ALLOWED)


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
