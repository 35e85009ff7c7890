"""Who may do what in caregiving. Rules take ``(user, patient)`` unless noted.

* Training: any staff member who can open the record reads the grid; only a
  nurse or physician records a step, signs off or withdraws (the issue: "a
  nurse or physician records that a skill was demonstrated, practised and
  signed off"); the same predicate as ``medications.sign_off_caregiver``, so a
  medicine skill can never be signed off here by someone the medicines app
  would refuse. A family member reads their *own* training only (the queries
  filter to their caregiver link).
* Family support (contacts, respite, tasks): the family-support disciplines on
  the caseload (physician, nurse, psychologist, social worker, chaplain,
  coordinator) read it. Counselling sessions are recorded by a psychologist
  only, social-work actions by a social worker only: each records what their
  profession does, and neither can write the other's notes.
* Respite: the family asks from the portal, or the team asks for them; the
  coordinator books, declines and marks it taken (``book_respite`` is
  service-wide, object ignored); the family or the team may cancel.
* Support tasks: the family-support disciplines on the caseload raise, assign
  and close them; ``view_support_tasks`` (no object) opens the service-wide
  task list, filtered to the patients the user may see.
"""

from __future__ import annotations

import rules

from hearth.accounts.models import Discipline
from hearth.patients import access
from hearth.patients.rules import (
    coordinator,
    discipline_in,
    family_support,
    physician_or_nurse,
    portal_can_open,
    staff_can_open,
)

family_of_patient = rules.predicate(access.is_family_of)
psychologist = discipline_in(Discipline.PSYCHOLOGIST)
social_worker = discipline_in(Discipline.SOCIAL_WORKER)

# Training
rules.add_perm("caregiving.view_training", staff_can_open)
rules.add_perm("caregiving.view_own_training", family_of_patient)
rules.add_perm("caregiving.record_training", physician_or_nurse & staff_can_open)
# Family support
rules.add_perm("caregiving.view_family_support", family_support & staff_can_open)
rules.add_perm("caregiving.record_counselling", psychologist & staff_can_open)
rules.add_perm("caregiving.record_social_work", social_worker & staff_can_open)
rules.add_perm("caregiving.view_own_support", portal_can_open)
# Respite
rules.add_perm("caregiving.request_respite", (family_support & staff_can_open) | family_of_patient)
rules.add_perm("caregiving.cancel_respite", (family_support & staff_can_open) | family_of_patient)
rules.add_perm("caregiving.book_respite", coordinator)
# Support tasks
rules.add_perm("caregiving.view_support_tasks", family_support)
rules.add_perm("caregiving.manage_support_tasks", family_support & staff_can_open)
