"""Why a visit was not placed, in words that tell the truth.

The router answers with plain codes (``hearth.routing.Reason``); a planned
visit stores the coarser ``UnplacedReason`` of the visits app. Here both
become a sentence a coordinator can act on: a Sunday with no shifts says that
nobody has a shift, not that nobody has the skills (issue 17), and an urgent
visit that cannot start before its deadline says so with the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_noop

from hearth.accounts.models import discipline_in_a_sentence
from hearth.core import messages
from hearth.routing.problem import Place, Reason, Staff
from hearth.routing.problem import Visit as RoutingVisit
from hearth.visits.choices import Skill, UnplacedReason

#: Not a router code: the urgent visit could have gone today, but not before
#: its ``respond_by`` (or visiting hours are over before then).
NOT_BEFORE_DEADLINE = "not_before_deadline"
#: Not a router code: today has no published plan to fit an urgent visit into.
NO_PUBLISHED_PLAN = "no_published_plan"
#: Not a router code: nobody can act as the planner (no active coordinator).
NO_COORDINATOR = "no_coordinator"

#: Where the probe visit "is" when asking who may do it (travel is not asked).
_NOWHERE = Place("nowhere", 0.0, 0.0)

_NOBODY_QUALIFIED = {
    Reason.NO_STAFF_ON_SHIFT.value,
    Reason.NO_STAFF_OF_DISCIPLINE.value,
    Reason.NO_STAFF_WITH_SKILLS.value,
}


def stored_reason(reason: Reason) -> UnplacedReason:
    """What a planned visit row keeps: the precise "nobody qualified" causes
    share one stored code; the sentence is rebuilt from the day's shifts."""
    if reason.value in _NOBODY_QUALIFIED:
        return UnplacedReason.NO_QUALIFIED_STAFF
    return UnplacedReason(reason.value)


def _skills(values: Iterable[str]) -> messages.Joined:
    return messages.Joined([Skill(s).label if s in Skill.values else s for s in sorted(values)])


def nobody_qualified(
    *, day: dt.date, discipline: str | None, skills: Iterable[str], staff: Sequence[Staff]
) -> messages.Message:
    """Why nobody in ``staff`` (the day's shifts) may do the visit, in words."""
    from hearth.routing.solver import nobody_qualified_reason  # PyVRP loads only when used

    wanted = frozenset(skills)
    probe = RoutingVisit(
        key="probe",
        place=_NOWHERE,
        duration=0,
        windows=(),
        discipline=discipline or None,
        skills=wanted,
    )
    return explain_message(
        nobody_qualified_reason(probe, staff).value,
        day=day,
        discipline=discipline,
        skills=wanted,
        staff=staff,
    )


def explain_message(
    code: str,
    *,
    day: dt.date,
    discipline: str | None = None,
    skills: Iterable[str] = (),
    staff: Sequence[Staff] | None = None,
    deadline: dt.datetime | None = None,
) -> messages.Message:
    """One sentence for ``code`` (a router code, an ``UnplacedReason`` or one
    of this module's), as a key and parameters, so a reason kept in the audit
    trail or on a dispatch reads in each reader's language. ``staff`` (the
    day's shifts as the planner sees them) lets "nobody qualified" name the
    missing skills."""
    wanted = frozenset(skills)
    on = messages.weekday_day(day)
    if code == Reason.NO_STAFF_ON_SHIFT:
        return messages.text(gettext_noop("Nobody has a shift on %(day)s."), day=on)
    if code == Reason.NO_STAFF_OF_DISCIPLINE:
        return messages.text(
            gettext_noop("Nobody on shift on %(day)s has the discipline: %(discipline)s."),
            day=on,
            discipline=discipline_in_a_sentence(discipline or ""),
        )
    if code == Reason.NO_STAFF_WITH_SKILLS:
        colleagues = [s for s in staff or () if discipline in (None, "", s.discipline)]
        held = frozenset().union(*(s.skills for s in colleagues)) if colleagues else frozenset()
        missing = (wanted - held) or wanted
        if discipline:
            return messages.text(
                gettext_noop(
                    "Nobody on shift on %(day)s with the discipline %(discipline)s is signed off "
                    "for: %(skills)s."
                ),
                day=on,
                discipline=discipline_in_a_sentence(discipline),
                skills=_skills(missing),
            )
        return messages.text(
            gettext_noop("Nobody on shift on %(day)s is signed off for: %(skills)s."),
            day=on,
            skills=_skills(missing),
        )
    if code == NOT_BEFORE_DEADLINE:
        if deadline is None:
            return messages.text(gettext_noop("Nobody can start it in time today."))
        return messages.text(
            gettext_noop("Nobody can start it before its deadline, %(time)s."),
            time=formats.time_format(timezone.localtime(deadline), "H:i"),
        )
    if code == NO_PUBLISHED_PLAN:
        return messages.text(gettext_noop("There is no published plan for today to fit it into."))
    if code == NO_COORDINATOR:
        return messages.text(
            gettext_noop("There is no active care coordinator for the planner to act for.")
        )
    if code in UnplacedReason.values:
        # The choice's label is a whole sentence: its msgid is the key.
        return messages.text(messages.msgid(UnplacedReason(code).label))
    return messages.text(code)


def explain(code: str, **details: Any) -> str:
    """``explain_message`` in the reader's (active) language."""
    return explain_message(code, **details).render()


def unplaced_text(row: Any, staff: Sequence[Staff] | None = None) -> str:
    """The sentence for a ``PlannedVisit`` the planner left out. "Nobody
    qualified" is told apart again from the shifts of the plan's day (pass
    ``staff`` when explaining many rows of one day); an urgent visit with no
    start left before its deadline says so, not that the person is busy."""
    if not row.unplaced_reason:
        return ""
    day = row.plan.date
    urgent = row.urgent_request
    if (
        row.unplaced_reason == UnplacedReason.NO_FREE_TIME
        and urgent is not None
        and urgent.respond_by is not None
    ):
        return explain(NOT_BEFORE_DEADLINE, day=day, deadline=urgent.respond_by)
    if row.unplaced_reason != UnplacedReason.NO_QUALIFIED_STAFF:
        return explain(row.unplaced_reason, day=day)
    if staff is None:
        staff = day_staff(day)
    return nobody_qualified(
        day=day, discipline=row.discipline, skills=row.skills or [], staff=staff
    ).render()


def day_staff(day: dt.date) -> list[Staff]:
    """The day's shifts as the planner sees them (for ``unplaced_text``)."""
    from hearth.planning import preparation

    return [preparation.staff_of(shift) for shift in preparation.shifts_on(day)]
