"""Reactions to the patient's journey."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from hearth.careplans.choices import PlanStatus
from hearth.careplans.models import CarePlan
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction

#: The audit event of each way a plan stops when home care ends.
_PLAN_STOPPED = {
    PlanStatus.ENDED: AuditEventType.CARE_PLAN_ENDED,
    PlanStatus.DISCARDED: AuditEventType.CARE_PLAN_DISCARDED,
}


def end_care_plans(*, actor: Any, episode: Any, **_kwargs: Any) -> None:
    """When home care ends, the plan stops being the one everyone follows: the
    active version is marked ended (kept whole, as history) and an unfinished
    draft is discarded. The signed advance care plan stays as it was signed."""
    now = clock.now()
    plans = CarePlan.objects.select_for_update().filter(
        patient=episode.patient, status__in=[PlanStatus.ACTIVE, PlanStatus.DRAFT]
    )
    for plan in plans:
        ending = PlanStatus.ENDED if plan.status == PlanStatus.ACTIVE else PlanStatus.DISCARDED
        plan.status = ending
        plan.ended_at = now
        plan.save(update_fields=["status", "ended_at"])
        audit.record(
            actor=actor,
            action=AuditAction.TRANSITION,
            event_type=_PLAN_STOPPED[ending],
            patient=episode.patient,
            obj=plan,
            summary=messages.text(
                gettext_noop("Care plan version %(version)s %(status)s: home care ended"),
                version=plan.version,
                status=messages.lower_case(messages.choice(plan, "status")),
            ),
        )
    # Nothing left to review: the open review tasks are dismissed with the reason.
    from hearth.careplans.services import end_open_reviews

    end_open_reviews(actor=actor, patient=episode.patient)
