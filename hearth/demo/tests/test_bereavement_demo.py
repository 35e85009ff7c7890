"""The demo tells HH-1005's bereavement story through the services, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.bereavement.models import BereavementContact, BereavementPlan, RiskScreen
from hearth.demo.seed import seed_bereavement

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_bereavement(staff)


def _counts() -> dict[str, int]:
    return {
        "plans": BereavementPlan.objects.count(),
        "contacts": BereavementContact.objects.count(),
        "screens": RiskScreen.objects.count(),
    }


def test_it_tells_the_bereavement_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first == {"plans": 1, "contacts": 4, "screens": 1}
    plan = BereavementPlan.objects.get()
    assert plan.patient.record_number == "HH-1005" and plan.risk_level == "moderate"
    assert plan.episode.state == "bereavement"
    done, *rest = list(plan.contacts.order_by("due_on"))
    assert done.status == "done" and done.outcome_note and done.done_by.username == "psych.mensah"
    assert [c.status for c in rest] == ["planned", "planned", "planned"]
    assert [link.user.username for link in done.relatives.all()] == ["family.kuznetsov"]


def test_a_death_seeded_before_the_app_gets_its_plan() -> None:
    _seed()
    BereavementContact.relatives.through.objects.all().delete()
    RiskScreen.relatives.through.objects.all().delete()
    RiskScreen.objects.all().delete()
    BereavementContact.objects.all().delete()
    BereavementPlan.objects.all().delete()
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_bereavement(staff)
    seed_bereavement(staff)
    assert _counts() == {"plans": 1, "contacts": 4, "screens": 1}
