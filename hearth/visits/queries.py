"""Reads for visits, already filtered to what the actor may see."""

from __future__ import annotations

from typing import Any

from hearth.core import audit
from hearth.patients import access
from hearth.visits.services import waiting_requests


def urgent_requests_for(actor: Any) -> list[Any]:
    """Waiting and scheduled urgent visits on the actor's patients (the
    coordinator: all), each patient listed in the audit trail."""
    visible = access.patients_visible_to(actor).values("pk")
    rows = list(waiting_requests().filter(patient__in=visible))
    audit.record_list_view(
        actor=actor, event_type="urgent_visits.listed", patients={row.patient for row in rows}
    )
    return rows
