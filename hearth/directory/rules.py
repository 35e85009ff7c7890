"""Who may search, maintain and attach directory entries.

The directory itself is public information: everyone signed in (staff, the
family, the patient) may search it. The coordinator, social workers and the
administrator keep it up to date. Attaching an entry to a patient as a next
step is health data: the team's family-support staff who may open the record
add and change next steps; the family sees and ticks off their own.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import Discipline
from hearth.patients import access
from hearth.patients.rules import discipline_in, family_support, portal_can_open, staff_can_open


@rules.predicate
def signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_staff(user: Any) -> bool:
    return access.is_staff(user)


maintainers = discipline_in(
    Discipline.COORDINATOR, Discipline.SOCIAL_WORKER, Discipline.ADMINISTRATOR
)

# The directory (no object).
rules.add_perm("directory.search_directory", signed_in)
rules.add_perm("directory.view_retired_entries", is_staff)
rules.add_perm("directory.maintain_directory", maintainers)
# Next steps (object = patient).
rules.add_perm("directory.view_next_steps", staff_can_open | portal_can_open)
rules.add_perm("directory.add_next_step", family_support & staff_can_open)
rules.add_perm("directory.change_next_step", family_support & staff_can_open)
rules.add_perm("directory.mark_next_step_done", (family_support & staff_can_open) | portal_can_open)
