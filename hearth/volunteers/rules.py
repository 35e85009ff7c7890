"""Who manages volunteers and who sees their assignments.

Service-wide rules take no object; profile rules take ``(user, profile)``;
patient rules take ``(user, patient)``. The coordinator manages everything;
a volunteer changes only their own availability and reads only their own page;
the team sees a person's volunteers; the family sees their own volunteer.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import Discipline
from hearth.patients import access
from hearth.patients.rules import coordinator, portal_can_open, staff_can_open


@rules.predicate
def is_volunteer(user: Any) -> bool:
    return access.is_staff(user) and user.discipline == Discipline.VOLUNTEER


@rules.predicate
def own_profile(user: Any, profile: Any) -> bool:
    return (
        profile is not None
        and access.is_staff(user)
        and getattr(profile, "volunteer_id", None) == user.pk
    )


# The coordinator: profiles, vetting, training, status and assignments.
rules.add_perm("volunteers.view_volunteers", coordinator)
rules.add_perm("volunteers.manage_volunteers", coordinator)
rules.add_perm("volunteers.assign_volunteers", coordinator)
# Availability: the volunteer their own, the coordinator anyone's.
rules.add_perm("volunteers.manage_availability", coordinator | own_profile)
# A volunteer's own page.
rules.add_perm("volunteers.view_own", is_volunteer)
# A person's volunteers: the team (and the coordinator) on the record; the
# family on the portal (first name, kind and usual times only).
rules.add_perm("volunteers.view_patient_volunteers", staff_can_open)
rules.add_perm("volunteers.view_portal_volunteers", portal_can_open)
