"""Every page every role can reach, on a phone and a laptop, in English and
Russian (issue 20's proof): no sideways scrolling, no raw codes or
"---------", axe-core with no WCAG 2.0/2.1 A or AA violation, and no English
on a Russian page outside people's own words.

The demo is seeded once per test process and a live server serves it. Each
role signs in as its demo account (``ui_sweep.ROLE_USERS``) and walks the
permission matrix's page table (``PAGE_ROUTES``): pages without ids first,
then each page with ids at the first link to it that the role meets on the
pages already swept, so every id is a real one the role may see. A page the
role cannot reach in the demo must be listed in ``ui_sweep.NOT_COVERED``.

Each page is loaded once: checked at 1366×900, then narrowed to 360×740 and
checked again without a reload. Screenshots (a viewport JPEG of the phone
size with ``HEARTH_UI_SWEEP_SHOTS=phone``, as ``make ui-sweep`` runs it;
``both`` adds the laptop's; none in ``make test``) go to
``build/ui-sweep/`` (``HEARTH_UI_SWEEP_DIR``), which is not committed. Every
failure of a case is collected and reported together.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import translation

from hearth.core.tests.browser import CHROMIUM, FLAGS, needs_chromium
from hearth.demo.tests.ui_sweep import (
    AXE_JS,
    DESKTOP,
    JOIN_THE_KUZNETSOVS,
    KNOWN_ENGLISH,
    KNOWN_ENGLISH_WORDS,
    LANGUAGES,
    LATIN_WORD,
    NOT_COVERED,
    NOT_COVERED_PAIRS,
    PAGE_FACTS_JS,
    PHONE,
    REACHED_AT_SOME_HOURS,
    ROLE_USERS,
    demo_ids,
    english_words,
    free_texts_in_the_demo,
    is_page,
    known_english,
    not_covered,
    path_pattern,
    raw_values,
    screenshot_dir,
    without_free_text,
)
from hearth.patients.tests.matrix import Route
from hearth.patients.tests.test_permission_matrix import PAGE_ROUTES

pytestmark = needs_chromium

REPO = Path(__file__).resolve().parents[3]
#: Chromium's wait for a page (a slow page is a finding, not a hang).
PAGE_TIMEOUT_MS = 30_000


#: axe-core is the slow part of a page (about half its time): by default it
#: runs on each page once, as the first role in ``ROLE_USERS`` that reaches
#: it (in English at both sizes, in Russian on the phone); the layout and text
#: checks run for every role. ``HEARTH_UI_SWEEP_AXE=every-role`` runs axe for
#: every role too (about twice as long).
AXE_EVERY_ROLE = os.environ.get("HEARTH_UI_SWEEP_AXE", "") == "every-role"


#: A screenshot costs about 0.08 s, a quarter of a page's time, and is for a
#: person to look at, not for a check: none in the suite (``make test``, so
#: CI stays under 30 minutes); ``HEARTH_UI_SWEEP_SHOTS=phone`` (``make
#: ui-sweep`` sets it) keeps one per page, the phone's, where the layout is
#: tightest; ``both`` adds the laptop's.
SHOTS = os.environ.get("HEARTH_UI_SWEEP_SHOTS", "none")
SHOT_SIZES = {"none": (), "phone": ("phone",), "both": ("phone", "desktop")}[SHOTS]


def axe_role(path: str) -> str | None:
    """The role whose visit of ``path`` runs axe-core."""
    for route in PAGE_ROUTES:
        if route.method == "GET" and route.path == path:
            return next(
                (r for r in ROLE_USERS if r in route.allowed and not not_covered(path, r)), None
            )
    return None


def _swept_routes(role: str) -> list[Route]:
    return [r for r in PAGE_ROUTES if r.method == "GET" and role in r.allowed and is_page(r)]


def _reload_data_migrations() -> None:
    """The formulary and the allergy substances come from data migrations; a
    transactional test before this one may have flushed them (as
    ``seeded_formulary`` does, the migrations' own functions, idempotent)."""
    import importlib

    from django.apps import apps

    from hearth.medications.models import Formulation

    if Formulation.objects.exists():
        return
    for module, function in (
        ("hearth.medications.migrations.0002_formulary_defaults", "load"),
        ("hearth.medications.migrations.0006_strengths_maxima_volumes", "forward"),
        ("hearth.allergies.migrations.0002_substance_catalogue", "load"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@dataclass
class Sweep:
    base_url: str
    browser: Any
    axe_source: str
    shots: Path
    #: Latin words of the demo's names of people and places (a Russian page
    #: shows them as they were written).
    names: set[str] = field(default_factory=set)
    #: Ids from the database for placeholders no link names (``DEMO_IDS``).
    ids: dict[str, list[str]] = field(default_factory=dict)
    #: What people typed into the demo (``free_texts_in_the_demo``), longest first.
    free_texts: list[str] = field(default_factory=list)
    timings: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def _live_server_helper() -> None:
    """pytest-django's helper would empty the database after each test that
    uses the live server (``transactional_db``); the sweep seeds the demo once
    for all its cases instead, and empties the database after the last one."""


@pytest.fixture(scope="module")
def sweep(live_server: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Sweep]:
    """The demo seeded and committed, the live server and Debian's Chromium;
    the database is emptied again afterwards, as a transactional test leaves it."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    axe_path = Path(str(__import__("axe_playwright_python").__file__)).parent / "axe.min.js"
    with django_db_blocker.unblock():
        _reload_data_migrations()
        with translation.override(settings.LANGUAGE_CODE):
            call_command("seed_demo", stdout=StringIO())
            _join_the_kuznetsovs()
        live_server._live_server_modified_settings.enable()
        names = _names_in_the_demo()
        ids = demo_ids()
        free_texts = free_texts_in_the_demo()
    shots = screenshot_dir(REPO)
    shots.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield Sweep(
                live_server.url, browser, axe_path.read_text(), shots, names, ids, free_texts
            )
            browser.close()
    finally:
        with django_db_blocker.unblock():
            live_server._live_server_modified_settings.disable()
            connections.close_all()
            call_command("flush", interactive=False, verbosity=0)


def _join_the_kuznetsovs() -> None:
    """The social worker and the chaplain join the bereaved family's team
    (through the service, as the coordinator), so their roles reach the
    pages after a death."""
    from hearth.accounts.models import User
    from hearth.demo.stories import kuznetsova
    from hearth.patients import services
    from hearth.patients.models import Patient

    coordinator = User.objects.get(username="coord.lewis")
    patient = Patient.objects.get(record_number=kuznetsova.RECORD_NUMBER)
    for username, role in JOIN_THE_KUZNETSOVS:
        services.assign_to_care_team(
            actor=coordinator, patient=patient, staff=User.objects.get(username=username), role=role
        )


def _names_in_the_demo() -> set[str]:
    """Every Latin word of a name of a person, an organisation or a region in
    the demo: written by people, shown as written, never translated."""
    from hearth.accounts.models import User
    from hearth.directory.models import DirectoryEntry, Region
    from hearth.patients.models import Patient, Referral

    texts: list[str] = []
    for model, fields in (
        (User, ("first_name", "last_name", "username")),
        (Patient, ("given_name", "family_name", "preferred_name")),
        (Referral, ("referrer_name",)),
        (DirectoryEntry, ("name",)),
        (Region, ("name",)),
    ):
        for row in model._default_manager.values_list(*fields):
            texts += [value for value in row if value]
    return {word for text in texts for word in LATIN_WORD.findall(text)}


def _session_cookie(username: str) -> str:
    from hearth.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def _local(href: str, base_url: str) -> str | None:
    """The path of a link to this server, without query or fragment."""
    parts = urlsplit(href)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != base_url:
        return None
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
        return None
    return parts.path


class Walk:
    """One role in one language: the pages to sweep and what was found."""

    def __init__(self, sweep: Sweep, role: str, language: str) -> None:
        self.sweep, self.role, self.language = sweep, role, language
        self.routes = _swept_routes(role)
        self.fixed = {r.path for r in self.routes if "{" not in r.path}
        self.with_ids = [(r, path_pattern(r.path)) for r in self.routes if "{" in r.path]
        self.candidates: dict[str, list[str]] = {r.path: [] for r in self.routes}
        self.tried: set[str] = set()
        self.done: dict[str, str] = {}
        self.failures: list[str] = []
        #: Ids seen in links, by placeholder name, for pages no link leads to.
        self.values: dict[str, list[str]] = {}
        self.from_db: set[str] = set()

    def signed_in_as(self, username: str) -> None:
        """Another account of the role: every url may be tried again, and the
        staff id to try first is their own (their own day, say)."""
        from hearth.accounts.models import User

        self.tried = set()
        self.from_db = set()
        own = str(User.objects.get(username=username).external_id)
        self.values["staff"] = [own] + [v for v in self.values.get("staff", []) if v != own]

    def learn(self, links: list[str]) -> list[str]:
        """Candidate urls for the pages with ids still to sweep: links to them,
        then their path filled with ids seen in other links (a page only a
        form or a button leads to); returns the routes that just got their
        first candidate."""
        new: list[str] = []
        for href in links:
            path = _local(href, self.sweep.base_url)
            if path is None or path in self.fixed:
                continue
            for route, pattern in self.with_ids:
                found = pattern.match(path)
                if found is None:
                    continue
                for name, value in found.groupdict().items():
                    seen = self.values.setdefault(name, [])
                    if value not in seen:
                        seen.append(value)
                if route.path not in self.done:
                    self._candidate(route.path, path, new)
        for route, _pattern in self.with_ids:
            if route.path not in self.done:
                self._fill(route.path, self.values, 3, new)
        return new

    def from_the_database(self, route_path: str) -> list[str]:
        """Candidates for a page no link led to: its path filled with the
        ids seen in links and then ids from the demo's database."""
        values = {
            name: self.values.get(name, [])
            + [v for v in self.sweep.ids.get(name, []) if v not in self.values.get(name, [])]
            for name in re.findall(r"\{([a-z_]+)\}", route_path)
        }
        new: list[str] = []
        self._fill(route_path, values, 20, new)
        return new

    def _fill(
        self, route_path: str, values: dict[str, list[str]], most: int, new: list[str]
    ) -> None:
        names = re.findall(r"\{([a-z_]+)\}", route_path)
        if all(values.get(name) for name in names):
            # The first ids of the other placeholders with each id of the last,
            # then the first few ids of every placeholder together.
            lists = [values[n][:most] for n in names]
            every = list(itertools.product(*(range(len(ids)) for ids in lists)))
            balanced = sorted(every, key=lambda index: (max(index), sum(index)))
            for index in every[:most] + balanced[:most]:
                combination = [ids[i] for ids, i in zip(lists, index, strict=True)]
                filled = route_path.format(**dict(zip(names, combination, strict=True)))
                self._candidate(route_path, filled, new)

    def _candidate(self, route_path: str, url: str, new: list[str]) -> None:
        known = self.candidates[route_path]
        if url not in known:
            known.append(url)
            if len(known) == 1:
                new.append(route_path)

    def visit(self, page: Any, route_path: str, url: str) -> bool:
        started = time.monotonic()
        page.set_viewport_size(DESKTOP)
        response = page.goto(self.sweep.base_url + url, wait_until="load")
        redirected = response is not None and response.request.redirected_from is not None
        if response is None or response.status != 200 or redirected:
            if "{" not in route_path:
                status = "no response" if response is None else response.status
                where = f" to {urlsplit(page.url).path}" if redirected else ""
                self.failures.append(f"{url}: answered {status}{where}, not the page")
            return False
        loaded = time.monotonic()
        timing: dict[str, Any] = {"role": self.role, "lang": self.language, "url": url}
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            if size is PHONE:
                page.set_viewport_size(size)
                page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
            facts = page.evaluate(PAGE_FACTS_JS)
            self.check(url, size_name, facts)
            if size is DESKTOP:
                for new_route in self.learn(facts["links"]):
                    self._queue.append(new_route)
            axe_started = time.monotonic()
            # axe at both sizes in English; in Russian on the phone only, where
            # the longer words change the layout most (the time budget, see the report)
            run_axe = (self.language == "en" or size is PHONE) and (
                AXE_EVERY_ROLE or self.role == axe_role(route_path)
            )
            for violation in page.evaluate(AXE_JS) if run_axe else []:
                targets = ", ".join(violation["targets"])
                self.fail(
                    url,
                    size_name,
                    f"axe {violation['id']} ({violation['count']}×): "
                    f"{violation['help']} [{targets}]",
                )
            shot_started = time.monotonic()
            timing[f"axe_{size_name}"] = round(shot_started - axe_started, 3)
            if size_name in SHOT_SIZES:
                page.screenshot(
                    path=str(self.shot_path(url, size_name)),
                    type="jpeg",
                    quality=60,
                    full_page=False,
                )
            timing[f"shot_{size_name}"] = round(time.monotonic() - shot_started, 3)
        timing["load"] = round(loaded - started, 3)
        timing["total"] = round(time.monotonic() - started, 3)
        self.sweep.timings.append(timing)
        return True

    _queue: list[str]

    def check(self, url: str, size_name: str, facts: dict[str, Any]) -> None:
        if facts["overflow"] > 0:
            width = (PHONE if size_name == "phone" else DESKTOP)["width"]
            self.fail(url, size_name, f"overflow: {facts['scrollWidth']} px wide at {width}")
        if size_name == "phone":
            return  # the text is the same at both sizes
        for found in raw_values(facts["all"], facts["ours"]):
            self.fail(url, size_name, found)
        if self.language == "ru":
            ours = without_free_text(facts["ours"], self.sweep.free_texts)
            words = [w for w in english_words(ours) if w not in self.sweep.names]
            words = known_english(url, words)
            if words:
                self.fail(url, size_name, "English on a Russian page: " + ", ".join(words))

    def fail(self, url: str, size_name: str, message: str) -> None:
        self.failures.append(f"{url} [{self.language} {size_name}]: {message}")

    def shot_path(self, url: str, size_name: str) -> Path:
        name = url.strip("/").replace("/", "_") or "start"
        folder = self.sweep.shots / self.role / self.language
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.{size_name}.jpg"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_page_reads_well(
    sweep: Sweep, django_db_blocker: Any, role: str, language: str
) -> None:
    walk = Walk(sweep, role, language)
    with django_db_blocker.unblock():
        for turn, username in enumerate(ROLE_USERS[role]):
            context = sweep.browser.new_context(viewport=DESKTOP, locale=language)
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            context.add_init_script(script=sweep.axe_source)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": _session_cookie(username),
                        "url": sweep.base_url,
                    },
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": sweep.base_url,
                    },
                ]
            )
            walk.signed_in_as(username)
            try:
                _run(walk, context.new_page(), first=turn == 0)
            finally:
                context.close()
        _write_timings(sweep, role, language)
    missing = [
        r.path for r in walk.routes if r.path not in walk.done and not not_covered(r.path, role)
    ]
    stale = [
        r.path
        for r in walk.routes
        if r.path in walk.done
        and not_covered(r.path, role)
        and (r.path, role) not in REACHED_AT_SOME_HOURS
    ]
    problems = walk.failures
    problems += [f"{p}: not reached in the demo, and not in NOT_COVERED" for p in missing]
    problems += [f"{p}: reached, so take it out of NOT_COVERED" for p in stale]
    (sweep.shots / f"problems-{role}-{language}.txt").write_text("\n".join(problems))
    assert not problems, f"{len(problems)} problems as {role} in {language}:\n" + "\n".join(
        problems
    )


def _run(walk: Walk, page: Any, *, first: bool) -> None:
    """Sweep the pages without ids, then each page with ids at the first link
    to it found on the pages swept so far (the next link if that one fails),
    then the pages still left with ids from the database. Another account of
    the same role (``first`` false) only tries the pages still left."""
    queue = [r.path for r in walk.routes if "{" not in r.path] if first else []
    for path in queue:
        walk.candidates[path].append(path)
    walk._queue = queue
    if not first:
        _from_the_database(walk, queue)
    while queue:
        route_path = queue.pop(0)
        if route_path in walk.done:
            continue
        untried = [url for url in walk.candidates[route_path] if url not in walk.tried]
        if not untried:
            continue
        url = untried[0]
        walk.tried.add(url)
        if walk.visit(page, route_path, url):
            walk.done[route_path] = url
        elif len(untried) > 1:
            queue.append(route_path)
        if not queue:
            _from_the_database(walk, queue)


def _from_the_database(walk: Walk, queue: list[str]) -> None:
    """Pages no link led to: ids from the database, once per account."""
    for route in walk.routes:
        if route.path not in walk.done and route.path not in walk.from_db:
            walk.from_db.add(route.path)
            walk.from_the_database(route.path)
            queue.append(route.path)


def _write_timings(sweep: Sweep, role: str, language: str) -> None:
    mine = [t for t in sweep.timings if t["role"] == role and t["lang"] == language]
    (sweep.shots / f"timings-{role}-{language}.json").write_text(json.dumps(mine, indent=1))


def test_known_english_does_not_grow() -> None:
    """The English words still excused on Russian pages are few and counted:
    adding one is a decision (change ``KNOWN_ENGLISH_WORDS`` with it)."""
    assert sum(len(words) for _path, words, _why in KNOWN_ENGLISH) == KNOWN_ENGLISH_WORDS
    assert all(why for _path, _words, why in KNOWN_ENGLISH)


def test_not_covered_does_not_grow() -> None:
    """The pages the sweep skips are few and named: adding one is a decision
    (change ``NOT_COVERED_PAIRS`` with it), and each names a real page."""
    paths = {r.path for r in PAGE_ROUTES if r.method == "GET"}
    assert {path for path, _role in NOT_COVERED} <= paths
    assert set(NOT_COVERED) >= REACHED_AT_SOME_HOURS
    pairs = sum(len(_allowed_roles(path)) if role == "*" else 1 for path, role in NOT_COVERED)
    assert pairs == NOT_COVERED_PAIRS


def _allowed_roles(path: str) -> set[str]:
    return {
        role
        for r in PAGE_ROUTES
        if r.method == "GET" and r.path == path
        for role in r.allowed
        if role in ROLE_USERS
    }
