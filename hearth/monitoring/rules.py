"""Who may send check-ins, manage devices, set thresholds and act on alerts.

Patient-level rules take ``(user, patient)``; alert rules take ``(user, alert)``
so the nurse or physician on call who owns an alert can act on it even when
the patient is not on their caseload (opening the rest of the record still
needs emergency access).
"""

from __future__ import annotations

from typing import Any

import rules

from hearth.accounts.models import Discipline
from hearth.patients import access
from hearth.patients.rules import (
    coordinator,
    discipline_in,
    physician,
    physician_or_nurse,
    portal_can_open,
    staff_can_open,
)


@rules.predicate
def opens_alert_patient(user: Any, alert: Any) -> bool:
    return alert is not None and access.staff_can_open(user, alert.patient)


@rules.predicate
def owns_alert(user: Any, alert: Any) -> bool:
    return alert is not None and access.is_staff(user) and alert.owner_id == user.pk


is_staff = rules.predicate(access.is_staff)
on_call_staff = discipline_in(Discipline.PHYSICIAN, Discipline.NURSE)

rules.add_perm("monitoring.view_monitoring", staff_can_open)
rules.add_perm("monitoring.check_in", portal_can_open | (physician_or_nurse & staff_can_open))
rules.add_perm("monitoring.view_own_check_ins", portal_can_open)
rules.add_perm("monitoring.manage_devices", (physician_or_nurse & staff_can_open) | coordinator)
rules.add_perm("monitoring.set_thresholds", physician & staff_can_open)
rules.add_perm("monitoring.view_alert", opens_alert_patient | owns_alert)
rules.add_perm("monitoring.act_on_alert", (physician_or_nurse & opens_alert_patient) | owns_alert)
rules.add_perm("monitoring.view_alerts", is_staff)
rules.add_perm("monitoring.view_on_call", is_staff)
rules.add_perm("monitoring.manage_on_call", coordinator)
