"""Who may read and change the "what matters to me" profile."""

from __future__ import annotations

import rules

from hearth.accounts.models import Discipline
from hearth.patients.rules import discipline_in, portal_can_open, staff_can_open

#: Staff who write the profile with the person: everyone who talks with them at
#: length, not only clinicians. Volunteers and the commission read it.
profile_keepers = discipline_in(
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.CHAPLAIN,
    Discipline.COORDINATOR,
)

rules.add_perm("personhood.view_profile", staff_can_open | portal_can_open)
rules.add_perm("personhood.change_profile", profile_keepers & staff_can_open)
rules.add_perm("personhood.propose_change", portal_can_open)
rules.add_perm("personhood.review_proposals", profile_keepers & staff_can_open)
