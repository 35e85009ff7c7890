"""Who plans the day, who records visits and who sees them.

Patient rules take ``(user, patient)``; visit rules take ``(user, visit)``;
staff-day rules take ``(user, member_of_staff)``; the planning rules are
service-wide. The coordinator plans; staff see their own day; a family sees
only their own patient's visits.
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import CLINICAL_DISCIPLINES
from hearth.patients import access
from hearth.patients.rules import (
    coordinator,
    discipline_in,
    physician_or_nurse,
    portal_can_open,
    staff_can_open,
)

clinical_staff = discipline_in(*CLINICAL_DISCIPLINES)


@rules.predicate
def is_that_staff_member(user: Any, member: Any) -> bool:
    return access.is_staff(user) and member is not None and user.pk == member.pk


@rules.predicate
def visits_that_patient(user: Any, visit: Any) -> bool:
    """The member of staff the visit belongs to, while they can open the record."""
    return (
        visit is not None
        and access.is_staff(user)
        and visit.staff_id == user.pk
        and access.staff_can_open(user, visit.patient)
    )


@rules.predicate
def clinician_for_visit(user: Any, visit: Any) -> bool:
    return (
        visit is not None
        and physician_or_nurse(user)
        and access.staff_can_open(user, visit.patient)
    )


rules.add_perm("visits.request_urgent_visit", (physician_or_nurse & staff_can_open) | coordinator)
rules.add_perm("visits.view_urgent_requests", coordinator | physician_or_nurse)

# Planning the day: the coordinator only.
rules.add_perm("visits.plan_visits", coordinator)
rules.add_perm("visits.manage_staff_availability", coordinator)
rules.add_perm("visits.view_staff_day", coordinator | is_that_staff_member)

# A person's visit needs and visits.
rules.add_perm("visits.manage_visit_needs", (clinical_staff & staff_can_open) | coordinator)
rules.add_perm("visits.book_teleconsult", (clinical_staff & staff_can_open) | coordinator)
rules.add_perm("visits.view_visits", staff_can_open | portal_can_open | coordinator)
# The family asks for times; the team's clinicians and the coordinator write
# down what the family said on the phone.
rules.add_perm(
    "visits.request_visit_time", portal_can_open | (clinical_staff & staff_can_open) | coordinator
)

# A visit record: the member of staff who made the visit, or a physician or
# nurse on the team (covering for a colleague).
rules.add_perm("visits.record_visit", visits_that_patient | clinician_for_visit)
rules.add_perm("visits.cancel_visit", coordinator | visits_that_patient | clinician_for_visit)


# --- Dispatch to the clinician on call ------------------------------------------
#: The on-call steps each discipline's dispatch goes through, first to last
#: (CLINICAL.md "Urgent response", the alert chain without the steps below).
DISPATCH_CHAIN = {
    "physician": ("physician", "clinical_lead"),
    "nurse": ("nurse", "physician", "clinical_lead"),
}


def on_call_for(user: Any, dispatch: Any) -> bool:
    """On the roster now for a step of this dispatch's chain."""
    from hearth.core import clock
    from hearth.monitoring.models import OnCallShift

    roles = DISPATCH_CHAIN.get(dispatch.discipline, ())
    return (
        OnCallShift.objects.covering(clock.now())
        .filter(staff_id=user.pk, role__in=roles, staff__is_active=True)
        .exists()
    )


@rules.predicate
def holds_dispatch(user: Any, dispatch: Any) -> bool:
    """Offered it, going to it, or on call for its chain now."""
    if dispatch is None or not access.is_staff(user):
        return False
    if user.pk in (dispatch.offered_to_id, dispatch.accepted_by_id):
        return True
    return on_call_for(user, dispatch)


@rules.predicate
def lead_clinician(user: Any) -> bool:
    return bool(access.is_staff(user) and getattr(user, "is_clinical_lead", False))


rules.add_perm("visits.view_dispatch_board", coordinator | lead_clinician | physician_or_nurse)
rules.add_perm("visits.view_dispatch", coordinator | lead_clinician | holds_dispatch)
rules.add_perm("visits.answer_dispatch", holds_dispatch)
