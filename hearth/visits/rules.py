"""Who may ask for an urgent visit and who sees the list."""

from __future__ import annotations

import rules

from hearth.patients.rules import coordinator, physician_or_nurse, staff_can_open

rules.add_perm("visits.request_urgent_visit", (physician_or_nurse & staff_can_open) | coordinator)
rules.add_perm("visits.view_urgent_requests", coordinator | physician_or_nurse)
