"""Who may do what in the team's own support.

Staff-member rules take ``(user, member_of_staff)``; record rules take
``(user, record)``; debrief rules take ``(user, patient)``. Everyone keeps
their own training and sees their own case-load; the administrator, the
clinical lead and the coordinator keep everyone's training. Wellbeing answers
have no permission that reaches another person's row at all: the only reads
are the author's own rows and the clinical lead's aggregates.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from hearth.patients import access
from hearth.patients.models import CareTeamAssignment
from hearth.patients.rules import administrator, coordinator, is_clinical_lead

staff = rules.predicate(access.is_staff, name="is_staff")


@rules.predicate
def is_that_staff_member(user: Any, member: Any) -> bool:
    return access.is_staff(user) and member is not None and member.pk == user.pk


@rules.predicate
def owns_the_record(user: Any, record: Any) -> bool:
    """The staff member a training record or reminder belongs to."""
    return access.is_staff(user) and record is not None and record.staff_id == user.pk


def was_on_the_team(user: Any, patient: Any) -> bool:
    """On the patient's care team now, or on it when they died. A volunteer's
    place on the team does not count: they read the volunteer brief only."""
    if not access.is_staff(user) or access.is_volunteer(user) or patient is None:
        return False
    episode = patient.death_episode()
    when = Q(ended_at__isnull=True)
    if episode is not None and episode.died_at is not None:
        when |= Q(started_at__lte=episode.died_at, ended_at__gte=episode.died_at)
    return CareTeamAssignment.objects.filter(when, patient=patient, staff=user).exists()


on_the_team = rules.predicate(was_on_the_team, name="was_on_the_team")
keeps_training = administrator | coordinator | is_clinical_lead
oversees_the_team = coordinator | is_clinical_lead

# Continuing education
rules.add_perm("team.view_training", is_that_staff_member | keeps_training)
rules.add_perm("team.record_training", is_that_staff_member | keeps_training)
rules.add_perm("team.withdraw_training", owns_the_record | keeps_training)
rules.add_perm("team.view_everyones_training", keeps_training)
rules.add_perm("team.view_compliance", keeps_training)
rules.add_perm("team.view_mandatory_courses", staff)
rules.add_perm("team.manage_mandatory_courses", administrator | is_clinical_lead)
rules.add_perm("team.send_training_reminders", keeps_training)
rules.add_perm("team.dismiss_reminder", owns_the_record)

# Wellbeing: one's own check-in; the clinical lead's aggregates.
rules.add_perm("team.submit_wellbeing_check_in", staff)
rules.add_perm("team.view_wellbeing_summary", is_clinical_lead)

# Case-load
rules.add_perm("team.view_caseload", is_that_staff_member | oversees_the_team)
rules.add_perm("team.view_everyones_caseload", oversees_the_team)

# Debriefs after a death (object = the patient)
rules.add_perm("team.view_debriefs", on_the_team | oversees_the_team)
rules.add_perm("team.record_debrief", on_the_team | oversees_the_team)
rules.add_perm("team.view_deaths_without_debrief", oversees_the_team)
