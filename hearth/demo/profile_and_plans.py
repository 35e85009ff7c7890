"""How the demo writes a person's "what matters to me" profile, holistic
assessment, care plan, team meetings and advance care plan: through the same
services a clinician uses (so histories, audit events and the version diff are
real), at the moments each step would have happened relative to the day the
demo is loaded. The stories themselves are in ``hearth.demo.stories``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.careplans import services as plans
from hearth.careplans.models import AdvanceCarePlan, CarePlan, HolisticAssessment, PlanNeed
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.personhood import services as profile
from hearth.personhood.models import LegacyItem, ProfileProposal

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6

#: Approximate start of the five daily prayers in London around the middle of
#: each month, in local clock time (Asr by the Shafi'i reckoning, rounded to
#: five minutes): Fajr, Dhuhr, Asr, Maghrib (sunset), Isha. Good enough for a
#: demo; a family keeps the real timetable of their own mosque.
LONDON_PRAYER_TIMES: dict[int, tuple[str, str, str, str, str]] = {
    1: ("06:10", "12:15", "14:10", "16:20", "17:55"),
    2: ("05:40", "12:20", "14:50", "17:15", "18:45"),
    3: ("04:50", "12:15", "15:30", "18:05", "19:35"),
    4: ("04:45", "13:05", "16:40", "19:55", "21:30"),
    5: ("03:30", "13:00", "17:05", "20:45", "22:30"),
    6: ("02:50", "13:05", "17:25", "21:20", "23:00"),
    7: ("03:10", "13:10", "17:20", "21:10", "22:50"),
    8: ("04:00", "13:10", "16:55", "20:25", "22:00"),
    9: ("04:55", "13:00", "16:15", "19:15", "20:45"),
    10: ("05:45", "12:50", "15:35", "18:10", "19:40"),
    11: ("05:50", "11:50", "13:55", "16:05", "17:40"),
    12: ("06:10", "12:00", "13:45", "15:50", "17:35"),
}


def minutes_of(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def clock_time(minutes: int) -> str:
    minutes = (5 * round(minutes / 5)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_after(value: str, minutes: int) -> str:
    return clock_time(minutes_of(value) + minutes)


# --- Plan outlines ----------------------------------------------------------------


@dataclass
class Act:
    """An intervention; ``who`` is a username, ``as_`` the discipline when nobody is named."""

    who: str | None
    description: str
    kind: str = "home_visit"
    times: int | None = None
    per: str = ""
    minutes: int | None = None
    as_: str = ""
    food: list[str] = field(default_factory=list)


@dataclass
class Goal:
    words: str
    target: str
    acts: list[Act]
    within_days: int | None = None


@dataclass
class Need:
    domain: str
    description: str
    severity: int
    goals: list[Goal] = field(default_factory=list)

    def assessed(self) -> dict[str, Any]:
        return {"domain": self.domain, "description": self.description, "severity": self.severity}


@dataclass
class Scene:
    """One patient's story: who they are, the staff, and the day the demo is loaded."""

    patient: Patient
    staff: dict[str, User]
    today: date

    @contextmanager
    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> Iterator[None]:
        moment = timezone.make_aware(
            datetime.combine(self.today - timedelta(days=days_ago), time(hour, minute))
        )
        with clock.travel_to(moment):
            yield

    def ids(self, *usernames: str) -> list[str]:
        return [str(self.staff[name].external_id) for name in usernames]

    # Profile
    def section(self, by: str, section: str, **changes: Any) -> None:
        profile.update_section(
            actor=self.staff[by], patient=self.patient, section=section, changes=changes
        )

    def window(self, by: str, kind: str, label: str, days: list[int], start: str, end: str) -> None:
        profile.add_weekly_window(
            actor=self.staff[by],
            patient=self.patient,
            kind=kind,
            label=label,
            weekdays=days,
            starts_at=start,
            ends_at=end,
        )

    def legacy(self, by: str, kind: str, title: str, status: str, support: str) -> LegacyItem:
        return profile.add_legacy_item(
            actor=self.staff[by],
            patient=self.patient,
            kind=kind,
            title=title,
            status=status,
            support_needed=support,
        )

    def proposal(self, username: str, section: str, text: str) -> ProfileProposal:
        author = User.objects.get(username=username)
        return profile.propose_change(
            actor=author, patient=self.patient, section=section, text=text
        )

    # Care plan
    def assess(self, by: str, needs: list[Need], summary: str) -> HolisticAssessment:
        return plans.record_holistic_assessment(
            actor=self.staff[by],
            patient=self.patient,
            assessed_on=clock.today(),
            needs=[need.assessed() for need in needs],
            summary=summary,
        )

    def intervention(self, by: str, goal: Any, act: Act) -> None:
        responsible = self.staff[act.who] if act.who else None
        plans.add_intervention(
            actor=self.staff[by],
            goal=goal,
            description=act.description,
            kind=act.kind,
            discipline=act.as_ or (responsible.discipline if responsible else ""),
            responsible=str(responsible.external_id) if responsible else None,
            times=act.times,
            per=act.per,
            duration_minutes=act.minutes,
            food_contains=act.food,
        )

    def goals(self, by: str, need_row: PlanNeed, need: Need) -> None:
        for goal in need.goals:
            row = plans.add_goal(
                actor=self.staff[by],
                need=need_row,
                in_own_words=goal.words,
                measurable_target=goal.target,
                target_date=(
                    clock.today() + timedelta(days=goal.within_days) if goal.within_days else None
                ),
            )
            for act in goal.acts:
                self.intervention(by, row, act)

    def first_plan(
        self,
        by: str,
        assessment: HolisticAssessment,
        needs: list[Need],
        summary: str,
        review_in_days: int,
    ) -> CarePlan:
        """A draft from the assessment, each assessed need given its goals."""
        draft = plans.start_care_plan_draft(
            actor=self.staff[by], patient=self.patient, from_assessment=assessment
        )
        for need_row, need in zip(draft.needs.order_by("pk"), needs, strict=True):
            self.goals(by, need_row, need)
        return plans.update_care_plan(
            actor=self.staff[by],
            plan=draft,
            changes={
                "summary": summary,
                "review_date": clock.today() + timedelta(days=review_in_days),
            },
        )

    def add_need(self, by: str, plan: CarePlan, need: Need) -> None:
        row = plans.add_need(
            actor=self.staff[by],
            plan=plan,
            domain=need.domain,
            description=need.description,
            severity=need.severity,
        )
        self.goals(by, row, need)

    def meeting(
        self,
        by: str,
        attendees: list[str],
        decisions: str,
        discussion: str = "",
        others: str = "",
        approve: CarePlan | None = None,
    ) -> None:
        plans.record_team_meeting(
            actor=self.staff[by],
            patient=self.patient,
            held_on=clock.today(),
            attendee_ids=self.ids(*attendees),
            decisions=decisions,
            other_attendees=others,
            discussion=discussion,
            approve_plan=approve,
        )

    # Advance care plan
    def advance_care_plan(
        self,
        by: str,
        content: dict[str, Any],
        review_in_days: int | None,
        signer: str | None = None,
    ) -> AdvanceCarePlan:
        acp = plans.start_advance_care_plan(actor=self.staff[by], patient=self.patient)
        changes = dict(content)
        if review_in_days is not None:
            changes["review_date"] = clock.today() + timedelta(days=review_in_days)
        acp = plans.update_advance_care_plan(actor=self.staff[by], plan=acp, changes=changes)
        if signer:
            acp = plans.sign_advance_care_plan(actor=self.staff[signer], plan=acp)
        return acp
