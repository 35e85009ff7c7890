"""Who follows up a bereaved family, who screens risk, who confirms returns.

Rules take ``(user, patient)`` except the worklist rule (service-wide).

- Reading the plan and the worklist: the same people as planning. Risk
  screens can hold a relative's mental-health history, so volunteers, the
  administrator and the commission do not read them.
- Planning, recording and closing: the family-support disciplines on the team
  and the coordinator: the same rule as ``patients.bereavement``, so a
  contact that starts bereavement follow-up can always do so.
- Risk screening: psychologist, social worker, nurse, physician or chaplain
  on the team (not the coordinator: the screen is a clinical judgement).
- Controlled drugs returned or destroyed: a physician or nurse on the team,
  the people who keep the controlled-drug register.
- The family reads "our contacts with you" for their own patient only.
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
    staff_can_open,
)

family_of_patient = rules.predicate(access.is_family_of)
screeners = discipline_in(
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.NURSE,
    Discipline.PHYSICIAN,
    Discipline.CHAPLAIN,
)
support_team = (family_support & staff_can_open) | coordinator

rules.add_perm("bereavement.view_worklist", family_support | coordinator)
rules.add_perm("bereavement.view_plan", support_team)
rules.add_perm("bereavement.manage_plan", support_team)
rules.add_perm("bereavement.screen_risk", screeners & staff_can_open)
rules.add_perm("bereavement.confirm_equipment", support_team)
rules.add_perm("bereavement.confirm_controlled_drugs", physician_or_nurse & staff_can_open)
rules.add_perm("bereavement.close_plan", support_team)
rules.add_perm("bereavement.view_portal", family_of_patient)
