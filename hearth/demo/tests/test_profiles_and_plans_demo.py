"""The demo data tells every patient's story through the real services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from hearth.accounts.models import User, UserKind
from hearth.careplans.choices import AcpStatus, PlanStatus
from hearth.careplans.conflicts import find_conflicts
from hearth.careplans.models import AdvanceCarePlan, CarePlan, TeamMeeting
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient
from hearth.personhood.choices import ProposalStatus
from hearth.personhood.models import (
    Communication,
    Diet,
    InformationPreferences,
    LegacyItem,
    ProfileProposal,
    ValuesAndGoals,
    WeeklyWindow,
)

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")

DEMO_PATIENTS = [f"HH-{number}" for number in range(1001, 1008)]
COUNTED = [
    "personhood.ValuesAndGoals",
    "personhood.InformationPreferences",
    "personhood.CultureAndFaith",
    "personhood.Diet",
    "personhood.Communication",
    "personhood.DailyRoutine",
    "personhood.HomeEnvironment",
    "personhood.EndOfLifeWishes",
    "personhood.WeeklyWindow",
    "personhood.LegacyItem",
    "personhood.ProfileProposal",
    "careplans.HolisticAssessment",
    "careplans.CarePlan",
    "careplans.PlanNeed",
    "careplans.PlanGoal",
    "careplans.PlanIntervention",
    "careplans.TeamMeeting",
    "careplans.AdvanceCarePlan",
    "core.AuditEvent",
    "accounts.User",
]


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def _counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in COUNTED}


@pytest.fixture
def seeded_twice() -> dict[str, int]:
    _seed()
    first = _counts()
    _seed()
    return first


def test_it_adds_nothing_the_second_time(seeded_twice: dict[str, int]) -> None:
    assert all(seeded_twice.values()), seeded_twice
    assert _counts() == seeded_twice


def test_it_gives_every_demo_patient_a_profile(seeded_twice: dict[str, int]) -> None:
    patients = Patient.objects.filter(record_number__in=DEMO_PATIENTS)
    assert patients.count() == len(DEMO_PATIENTS)
    for patient in patients:
        values = ValuesAndGoals.objects.get(patient=patient)
        assert not values.is_empty, patient.record_number
        assert values.what_matters_most.strip(), patient.record_number
    # Distinct stories, not one template.
    assert ValuesAndGoals.objects.values("what_matters_most").distinct().count() == len(
        DEMO_PATIENTS
    )


def test_it_tells_the_stories_the_demo_shows(seeded_twice: dict[str, int]) -> None:
    prays = set(
        WeeklyWindow.objects.current()
        .filter(kind="prayer")
        .values("patient_id")
        .annotate(prayers=Count("pk"))
        .filter(prayers__gte=5)
        .values_list("patient_id", flat=True)
    )
    halal = {diet.patient_id for diet in Diet.objects.all() if "halal" in diet.practices}
    assert prays & halal
    assert LegacyItem.objects.filter(kind="video_diary").exists()
    assert InformationPreferences.objects.filter(information_wish="family").exists()
    assert Communication.objects.filter(preferred_language="ru").exists()
    assert ProfileProposal.objects.filter(status=ProposalStatus.PENDING).exists()
    assert ProfileProposal.objects.filter(status=ProposalStatus.ACCEPTED).exists()
    assert CarePlan.objects.filter(status=PlanStatus.SUPERSEDED).exists()
    assert AdvanceCarePlan.objects.filter(
        status=AcpStatus.CURRENT, focus_of_care="full", cpr="attempt"
    ).exists()
    assert AdvanceCarePlan.objects.filter(status=AcpStatus.CURRENT, cpr="do_not_attempt").exists()


def test_it_gives_each_patient_in_care_one_active_plan_and_one_signed_acp(
    seeded_twice: dict[str, int],
) -> None:
    in_care = [
        patient
        for patient in Patient.objects.filter(record_number__in=DEMO_PATIENTS)
        if patient.current_episode and patient.current_episode.state == EpisodeState.ACTIVE
    ]
    assert len(in_care) >= 3
    for patient in in_care:
        assert CarePlan.objects.for_patient(patient).active().count() == 1
        assert AdvanceCarePlan.objects.filter(patient=patient).current().count() == 1
        assert TeamMeeting.objects.filter(patient=patient).exists()


def test_it_shows_a_conflict_on_purpose_and_keeps_most_plans_clean(
    seeded_twice: dict[str, int],
) -> None:
    active = list(CarePlan.objects.active().select_related("patient"))
    with_conflicts = [plan for plan in active if find_conflicts(plan)]
    assert with_conflicts
    assert len(with_conflicts) < len(active)


def test_it_records_the_languages_every_staff_member_speaks(
    seeded_twice: dict[str, int],
) -> None:
    staff = User.objects.filter(kind=UserKind.STAFF)
    assert staff.exists()
    for user in staff:
        assert "en" in user.spoken_languages, user.username
    assert "ru" in User.objects.get(username="nurse.sokolova").spoken_languages
