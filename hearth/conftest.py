"""Fixed people for every test, like healthchecks' BaseTestCase: a care team for
patient A, the service-wide roles, the commission, an outsider, and the families
of patient A and of another patient (B)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from hypothesis import settings as hypothesis_settings

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core import clock

# The real worker as a subprocess, and loopback receivers for the
# notification channels, for every app's tests.
from hearth.core.tests.browser import phone_of  # noqa: F401
from hearth.core.tests.workers import start_worker  # noqa: F401
from hearth.notifications.tests.sinks import (  # noqa: F401
    push_sink,
    quick_retries,
    sms_sink,
    smtp_sink,
)
from hearth.patients import services
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import CaregiverLink, CareTeamAssignment, Episode, Patient
from hearth.saved_states import SavedStates, saved_states

# Property tests assert what is computed, never how fast: Hypothesis's default
# 200 ms deadline per example failed a scoring property once under CI load (the
# first example also loads the translation catalogues). Speed lives in bench/.
hypothesis_settings.register_profile("hearth", deadline=None)
hypothesis_settings.load_profile("hearth")

PASSWORD = "a-long-test-password-1"  # the test users' password  # nosec B105


def make_user(
    username: str, kind: str = UserKind.STAFF, discipline: str = "", **extra: Any
) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        kind=kind,
        discipline=discipline,
        first_name=username.split(".")[0].title(),
        last_name=username.split(".")[-1].title(),
        **extra,
    )


def patient_details(record_number: str = "T-1", **overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "record_number": record_number,
        "given_name": "Ada",
        "family_name": "Test",
        "preferred_name": "",
        "date_of_birth": date(1950, 5, 17),
        "sex": "female",
        "address_line": "1 Test Street",
        "city": "London",
        "postal_code": "E1 1AA",
        "latitude": None,
        "longitude": None,
        "phone_primary": "+44 20 0000 0000",
        "phone_secondary": "",
        "preferred_language": "en",
        "interpreter_needed": False,
        "faith": "",
    }
    details.update(overrides)
    return details


def referral_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "referrer_type": "gp",
        "referrer_name": "Dr Referrer",
        "referrer_organisation": "Surgery",
        "referrer_phone": "+44 20 1111 1111",
        "reason": "Progressive disease, wishes to stay at home.",
        "urgency": "soon",
    }
    details.update(overrides)
    return details


@dataclass
class World:
    physician: User
    nurse: User
    psychologist: User
    social_worker: User
    chaplain: User
    volunteer: User
    coordinator: User
    administrator: User
    commission_member: User
    commission_physician_1: User
    commission_physician_2: User
    clinical_lead: User
    outsider_nurse: User
    family: User
    other_family: User
    patient_user: User
    patient: Patient
    other_patient: Patient

    @property
    def episode(self) -> Episode:
        return self.patient.episodes.order_by("-opened_at").first()  # type: ignore[return-value]

    def commission_members(self) -> list[User]:
        return [self.commission_physician_1, self.commission_physician_2, self.commission_member]

    def screen(self, episode: Episode | None = None) -> None:
        services.record_eligibility_screening(
            actor=self.coordinator,
            episode=episode or self.episode,
            general_indicators=["poor_performance"],
            condition_indicators=["cancer"],
            conclusion="Eligible.",
            outcome="refer_to_commission",
        )

    def decide(self, outcome: str = "granted", **overrides: Any) -> Any:
        arguments: dict[str, Any] = {
            "actor": self.commission_member,
            "episode": self.episode,
            "decided_on": clock.today(),
            "member_ids": [m.external_id for m in self.commission_members()],
            "chair_id": self.commission_physician_1.external_id,
            "diagnosis_code": "C34.1",
            "diagnosis_text": "Lung cancer",
            "indications": "Progressive disease with complex symptoms.",
            "form_of_care": "home",
            "outcome": outcome,
            "reason": "" if outcome == "granted" else "Needs more information.",
            "review_date": clock.today() + timedelta(days=90) if outcome != "refused" else None,
        }
        arguments.update(overrides)
        return services.record_commission_decision(**arguments)

    def bring_to(self, stage: str) -> Episode:
        """Move patient A's current episode to ``stage`` through the real services."""
        order = [
            EpisodeState.REFERRED,
            EpisodeState.AWAITING_COMMISSION,
            EpisodeState.ACTIVE,
        ]
        if stage == EpisodeState.REFERRED:
            return self.episode
        self.screen()
        if stage == EpisodeState.AWAITING_COMMISSION:
            return self.episode
        self.decide()
        if stage == "granted":
            return self.episode
        services.admit_to_home_care(actor=self.coordinator, episode=self.episode)
        if stage in order:
            return self.episode
        if stage in (EpisodeState.DISCHARGED, EpisodeState.CLOSED):
            services.discharge(actor=self.physician, episode=self.episode, reason="moved_away")
            if stage == EpisodeState.CLOSED:
                services.close_episode(actor=self.coordinator, episode=self.episode, note="Done.")
            return self.episode
        services.record_death(
            actor=self.nurse, episode=self.episode, died_at=clock.now(), place_of_death="home"
        )
        if stage == EpisodeState.DECEASED:
            return self.episode
        services.start_bereavement_follow_up(actor=self.coordinator, episode=self.episode)
        return self.episode

    def personal_care(self, *, drafts: bool = True) -> PersonalCare:
        """Patient A (active) with a profile, an active care plan v1, a signed
        advance care plan v1 and, with ``drafts``, a draft of each v2."""
        from hearth.careplans import services as plans
        from hearth.personhood import services as profile

        patient = self.patient
        profile.update_section(
            actor=self.nurse, patient=patient, section="diet", changes={"practices": ["halal"]}
        )
        window = profile.add_weekly_window(
            actor=self.nurse,
            patient=patient,
            kind="prayer",
            label="Dhuhr",
            weekdays=[0, 1, 2, 3, 4, 5, 6],
            starts_at="12:30",
            ends_at="13:00",
        )
        item = profile.add_legacy_item(
            actor=self.nurse, patient=patient, kind="video_diary", title="Video diary for Sam"
        )
        proposal = profile.propose_change(
            actor=self.family, patient=patient, section="diet", text="She loves dates at iftar."
        )
        review = clock.today() + timedelta(days=30)
        plan = plans.start_care_plan_draft(actor=self.nurse, patient=patient)
        need = plans.add_need(
            actor=self.nurse, plan=plan, domain="physical", description="Pain at night", severity=3
        )
        goal = plans.add_goal(
            actor=self.nurse,
            need=need,
            in_own_words="To sleep through the night",
            measurable_target="Night pain below 4 of 10",
        )
        plans.add_intervention(
            actor=self.nurse,
            goal=goal,
            description="Nurse home visit",
            kind="home_visit",
            discipline="nurse",
            responsible=str(self.nurse.external_id),
            times=3,
            per="week",
            duration_minutes=45,
        )
        plans.update_care_plan(actor=self.nurse, plan=plan, changes={"review_date": review})
        active = plans.activate_care_plan(actor=self.nurse, plan=plan)
        acp = plans.start_advance_care_plan(actor=self.nurse, patient=patient)
        plans.update_advance_care_plan(
            actor=self.nurse, plan=acp, changes=complete_advance_care_plan(review)
        )
        acp = plans.sign_advance_care_plan(actor=self.physician, plan=acp)
        care = PersonalCare(window, item, proposal, active, None, None, None, None, acp, None)
        if drafts:
            draft = plans.start_care_plan_draft(actor=self.nurse, patient=patient)
            plans.update_care_plan(actor=self.nurse, plan=draft, changes={"review_date": review})
            care.draft_plan = draft
            care.need = draft.needs.get()
            care.goal = care.need.goals.get()
            care.intervention = care.goal.interventions.get()
            acp_draft = plans.start_advance_care_plan(actor=self.nurse, patient=patient)
            care.acp_draft = plans.update_advance_care_plan(
                actor=self.nurse, plan=acp_draft, changes={"review_date": review}
            )
        return care


def complete_advance_care_plan(review: date) -> dict[str, Any]:
    """Everything a physician needs before signing."""
    return {
        "cpr": "do_not_attempt",
        "cpr_reason": "CPR would not restart her heart given the spread of the cancer.",
        "focus_of_care": "comfort",
        "hospital_transfer": "do_not_consider",
        "capacity": "has_capacity",
        "patient_involved": True,
        "preferred_place_of_death": "home",
        "proxy_name": "Sam Family",
        "proxy_relationship": "son",
        "proxy_phone": "+44 7700 900123",
        "review_date": review,
    }


@dataclass
class PersonalCare:
    window: Any
    legacy_item: Any
    proposal: Any
    active_plan: Any
    draft_plan: Any
    need: Any
    goal: Any
    intervention: Any
    acp: Any
    acp_draft: Any


def build_world() -> World:
    people = {
        "physician": make_user("dr.team", discipline=Discipline.PHYSICIAN, phone="+44 1"),
        "nurse": make_user("nurse.team", discipline=Discipline.NURSE),
        "psychologist": make_user("psych.team", discipline=Discipline.PSYCHOLOGIST),
        "social_worker": make_user("sw.team", discipline=Discipline.SOCIAL_WORKER),
        "chaplain": make_user("chaplain.team", discipline=Discipline.CHAPLAIN),
        "volunteer": make_user("vol.team", discipline=Discipline.VOLUNTEER),
        "coordinator": make_user("coord.service", discipline=Discipline.COORDINATOR),
        "administrator": make_user("admin.service", discipline=Discipline.ADMINISTRATOR),
        "commission_member": make_user("dr.commission", discipline=Discipline.COMMISSION_MEMBER),
        "commission_physician_1": make_user(
            "dr.chair", discipline=Discipline.PHYSICIAN, sits_on_medical_commission=True
        ),
        "commission_physician_2": make_user(
            "dr.second", discipline=Discipline.PHYSICIAN, sits_on_medical_commission=True
        ),
        "clinical_lead": make_user(
            "dr.lead", discipline=Discipline.PHYSICIAN, is_clinical_lead=True
        ),
        "outsider_nurse": make_user("nurse.outsider", discipline=Discipline.NURSE),
    }
    coordinator = people["coordinator"]
    episode = services.refer_new_patient(
        actor=coordinator,
        patient=patient_details("A-1", given_name="Alice", family_name="Able"),
        referral=referral_details(),
        diagnoses=[
            {"icd10_code": "C34.1", "text": "Lung cancer", "group": "cancer", "is_primary": True}
        ],
    )
    patient = episode.patient
    other = services.refer_new_patient(
        actor=coordinator,
        patient=patient_details("B-1", given_name="Boris", family_name="Other"),
        referral=referral_details(),
    ).patient
    roles = {
        "physician": CareTeamRole.LEAD_PHYSICIAN,
        "nurse": CareTeamRole.KEY_NURSE,
        "psychologist": CareTeamRole.PSYCHOLOGIST,
        "social_worker": CareTeamRole.SOCIAL_WORKER,
        "chaplain": CareTeamRole.CHAPLAIN,
        "volunteer": CareTeamRole.VOLUNTEER,
    }
    for key, role in roles.items():
        CareTeamAssignment.objects.create(
            patient=patient, staff=people[key], role=role, assigned_by=coordinator
        )
    family = make_user("family.a", kind=UserKind.FAMILY)
    CaregiverLink.objects.create(
        user=family, patient=patient, relationship="daughter", is_primary_caregiver=True
    )
    other_family = make_user("family.b", kind=UserKind.FAMILY)
    CaregiverLink.objects.create(user=other_family, patient=other, relationship="son")
    patient_user = make_user("patient.a", kind=UserKind.PATIENT)
    patient.portal_user = patient_user
    patient.save(update_fields=["portal_user"])
    return World(
        **people,
        family=family,
        other_family=other_family,
        patient_user=patient_user,
        patient=patient,
        other_patient=other,
    )


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
#: Fixtures that stand on a saved database state (``on_saved_state``); the
#: stage fixtures ``stage_fixture`` makes join them.
SAVED_STATE_FIXTURES = {"world", "route_world"}


def _stands_on_saved_state(item: pytest.Item) -> bool:
    """Whether ``item`` will ask for a saved state before its own transaction
    opens: only then may the saved states stay in place under it. A test marked
    ``django_db`` opens its transaction first (pytest-django's autouse fixture)."""
    if item.get_closest_marker("django_db") is not None:
        return False
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    seen: set[str] = set()

    def first_reached(name: str) -> str | None:
        if name in seen:
            return None
        seen.add(name)
        if name in SAVED_STATE_FIXTURES or name in _DATABASE_FIXTURES:
            return name
        definitions = info.name2fixturedefs.get(name)
        if not definitions:
            return None
        for argument in definitions[-1].argnames:
            found = first_reached(argument)
            if found is not None:
                return found
        return None

    for name in getattr(item, "fixturenames", ()):  # the order pytest sets them up in
        found = first_reached(name)
        if found is not None:
            return found in SAVED_STATE_FIXTURES
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on a saved state asks for ``db`` only once the state is in place;
    naming ``db`` last among its fixtures tells pytest-django beforehand that
    it needs the test database (and sorts it with the other database tests)."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and SAVED_STATE_FIXTURES & set(names) and "db" not in names:
            names.append("db")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of a test that will not stand on the saved states,
    roll them back, so it starts from the empty test database."""
    if not _stands_on_saved_state(item):
        saved_states.discard()


@pytest.fixture(scope="session")
def _saved_states(django_db_setup: Any, django_db_blocker: Any) -> Any:
    saved_states.attach(django_db_blocker)
    yield saved_states
    saved_states.discard()


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool((_DATABASE_FIXTURES - {"db"}) & set(request.fixturenames))


Context = Callable[[], AbstractContextManager[Any]]


class BuiltInTheTest:
    """Stands in for the saved states where none can be used: each state is
    built straight into the test's own transaction."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def use(
        self,
        depth: int,
        key: Any,
        build: Callable[[], Any],
        *,
        building_in: Context | None = None,
        living_in: Context | None = None,
    ) -> Any:
        if living_in is not None:
            exits = ExitStack()
            exits.enter_context(living_in())
            self._request.addfinalizer(exits.close)
        with building_in() if building_in is not None else nullcontext():
            return build()


def on_saved_state(
    request: pytest.FixtureRequest,
    build: Callable[[SavedStates | BuiltInTheTest], Any],
    *,
    copied: bool = True,
) -> Any:
    """The value ``build`` makes from the saved states, then the test's own
    transaction (``db``) on top. Where a saved state cannot stand under this
    test (a transactional test, or one whose transaction is already open),
    ``build`` runs inside the test's own transaction instead, as before.
    ``copied=False`` hands the saved objects themselves to a test that only
    reads them (the matrix's requests), sparing the copy."""
    if _transactional(request) or not saved_states.stackable():
        request.getfixturevalue("db")
        return build(BuiltInTheTest(request))
    value = build(saved_states)
    saved_states.settle()
    request.getfixturevalue("db")
    return copy.deepcopy(value) if copied else value


_TEST_WORLD = pytest.StashKey[World]()
#: Names of the fixtures ``stage_fixture`` made; ``world`` sets them up first.
STAGE_FIXTURES: set[str] = set()


def base_world(states: SavedStates | BuiltInTheTest) -> World:
    return states.use(0, "world", build_world)  # type: ignore[no-any-return]


@pytest.fixture
def world(request: pytest.FixtureRequest, _saved_states: SavedStates) -> World:
    """Patient A's team, the service-wide roles and both families, built once per
    test process and rolled back after each test (each test gets its own copy
    of the Python objects). A test that also brings patient A to a stage (an
    ``active`` fixture) gets the same world, at that stage."""
    for name in STAGE_FIXTURES & set(request.fixturenames):
        definitions = request._fixturemanager.getfixturedefs(name, request.node) or ()
        if definitions and getattr(definitions[-1].func, "brings_patient_a_to", None):
            request.getfixturevalue(name)
    if _TEST_WORLD not in request.node.stash:
        request.node.stash[_TEST_WORLD] = on_saved_state(request, base_world)
    return request.node.stash[_TEST_WORLD]


def stage_key(
    stage: str, *, building_in: Context | None = None, living_in: Context | None = None
) -> tuple[Any, ...]:
    """The saved state of patient A at ``stage``: one key for every fixture that
    brings them there, so a stage built the same way is built once, and one
    built on another clock never stands in for it."""
    return ("stage", stage, building_in, living_in)


def brought_to(world: World, stage: str) -> World:
    staged = copy.deepcopy(world)
    staged.bring_to(stage)
    return staged


def stage_fixture(
    name: str,
    stage: str,
    *,
    building_in: Context | None = None,
    testing_in: Context | None = None,
) -> Any:
    """A fixture ``name`` giving the world with patient A brought to ``stage``
    (built in ``building_in``, a set clock, say), saved once for every test that
    asks for it; the test itself runs in ``testing_in`` if given."""

    def fixture(request: pytest.FixtureRequest, _saved_states: SavedStates) -> Any:
        def build(states: SavedStates | BuiltInTheTest) -> World:
            base = base_world(states)
            return states.use(  # type: ignore[no-any-return]
                1,
                stage_key(stage, building_in=building_in),
                lambda: brought_to(base, stage),
                building_in=building_in,
            )

        if _TEST_WORLD not in request.node.stash:
            request.node.stash[_TEST_WORLD] = on_saved_state(request, build)
        with testing_in() if testing_in is not None else nullcontext():
            yield request.node.stash[_TEST_WORLD]

    fixture.brings_patient_a_to = stage  # type: ignore[attr-defined]
    STAGE_FIXTURES.add(name)
    SAVED_STATE_FIXTURES.add(name)
    return pytest.fixture(name=name)(fixture)


#: Patient A in active home care (apps with their own clock override it).
active = stage_fixture("active", EpisodeState.ACTIVE)


@pytest.fixture
def client_for() -> Any:
    def make(user: User | None) -> Client:
        client = Client(REMOTE_ADDR="203.0.113.7")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle() -> Any:
    """Failed sign-ins and refused tokens are counted in the cache for a day; in
    one test process every test client is 127.0.0.1, so start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def mfa_client_for() -> Any:
    """A client signed in through allauth with password and TOTP code (set up if
    needed): a session that passed MFA, as staff have under the MFA policy."""
    from hearth.accounts.tests.mfa_helpers import sign_in_with_mfa

    def make(user: User) -> Client:
        return sign_in_with_mfa(Client(REMOTE_ADDR="203.0.113.7"), user, PASSWORD)

    return make


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action in its own thread (its own database connection), all
    released together, for the two-people-at-the-same-moment tests. Returns
    each result or the exception it raised, in finishing order."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = []

    def run(action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture(autouse=True)
def _service_language() -> Any:
    """Each test starts in the service's language: a page served in Russian
    leaves Russian switched on in the thread, which would otherwise decide the
    language of the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
