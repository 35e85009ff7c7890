"""The demo tells the team-support story through the real services, once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.demo.people import STAFF
from hearth.demo.seed import seed_team
from hearth.team import queries
from hearth.team.choices import ComplianceState
from hearth.team.models import (
    Debrief,
    MandatoryCourse,
    TrainingRecord,
    TrainingReminder,
    WellbeingCheckIn,
)

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _counts() -> dict[str, int]:
    return {
        "courses": MandatoryCourse.objects.count(),
        "records": TrainingRecord.objects.count(),
        "reminders": TrainingReminder.objects.count(),
        "check_ins": WellbeingCheckIn.objects.count(),
        "debriefs": Debrief.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_team(staff)


def test_it_tells_the_team_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert all(first.values()), first

    states = {
        (row.staff.username, cell.course.title): cell.state
        for row in queries.compliance()
        for cell in row.courses
    }
    assert states[("nurse.brennan", "Basic life support")] == ComplianceState.EXPIRING
    assert states[("dr.patel", "Information governance")] == ComplianceState.EXPIRING
    assert states[("sw.garcia", "Safeguarding adults and children")] == ComplianceState.EXPIRED
    assert states[("vol.hughes", "Manual handling")] == ComplianceState.MISSING
    assert states[("dr.okafor", "Basic life support")] == ComplianceState.CURRENT
    # Volunteers other demos add (with no training yet) are reminded too; the
    # story is about the core team.
    core_team = {spec["username"] for spec in STAFF}
    reminded = {
        (r.staff.username, r.course.title)
        for r in TrainingReminder.objects.filter(staff__username__in=core_team)
    }
    assert reminded == {
        ("nurse.brennan", "Basic life support"),
        ("dr.patel", "Information governance"),
        ("sw.garcia", "Safeguarding adults and children"),
        ("vol.hughes", "Manual handling"),
    }

    months = queries.wellbeing_summary()
    assert len(months) == 2
    for month in months:
        assert month.team.shown and month.team.respondents and month.team.respondents >= 6
        shown = {figures.key: figures.shown for figures in month.groups}
        assert shown["clinical"] is True
        assert shown["psychosocial"] is False and shown["support"] is False

    debrief = Debrief.objects.get()
    assert debrief.patient.record_number == "HH-1005"
    assert debrief.attendees.count() == 3


def test_the_demo_pages_open(client: Any) -> None:
    _seed()
    lead = User.objects.get(username="dr.okafor")
    client.force_login(lead)
    debrief = Debrief.objects.get()
    for path in (
        "/team/",
        "/team/training/",
        "/team/compliance/",
        "/team/courses/",
        "/team/wellbeing/",
        "/team/wellbeing/summary/",
        "/team/caseload/",
        "/team/debriefs/",
        f"/team/debriefs/{debrief.external_id}/",
        f"/patients/{debrief.patient.external_id}/debriefs/",
    ):
        assert client.get(path).status_code == 200, path
    summary = client.get("/team/wellbeing/summary/").content.decode()
    assert "Too few answers to show" in summary and "Whole team" in summary
    client.force_login(User.objects.get(username="nurse.brennan"))
    home = client.get("/team/").content.decode()
    assert "Basic life support" in home and "Expires soon" in home
