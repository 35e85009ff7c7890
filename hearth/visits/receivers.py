"""Triage "urgent physician visit" becomes a visit request for today; an
acknowledged call for help is told to the family."""

from __future__ import annotations

from typing import Any

from hearth.core import messages
from hearth.monitoring.choices import TriageOutcome
from hearth.visits import family_messages, services


def dispatch_from_triage(sender: Any, alert: Any, actor: Any, outcome: str, **kwargs: Any) -> None:
    if outcome != TriageOutcome.URGENT_PHYSICIAN_VISIT:
        return
    services.request_urgent_visit(
        actor=actor,
        patient=alert.patient,
        alert=alert,
        reason=alert.triage_note or alert.summary,
        discipline="physician",
    )


def tell_family_help_seen(sender: Any, alert: Any, actor: Any, **kwargs: Any) -> None:
    family_messages.help_request_seen(alert, actor)


def dispatch_when_not_placed(
    sender: Any, request: Any, reason: str | messages.Message = "", **kwargs: Any
) -> None:
    """The plan cannot start it before ``respond_by``: the clinician on call goes."""
    services.offer_to_on_call(request=request, reason=reason)


def holds_an_open_dispatch(user: Any, patient: Any) -> bool:
    """On-call access (``patients.access``): a dispatch for ``patient`` offered
    to or accepted by ``user`` and not yet done or cancelled."""
    from django.db.models import Q

    from hearth.visits.choices import DispatchStatus
    from hearth.visits.models import Dispatch

    return (
        Dispatch.objects.filter(patient=patient)
        .exclude(status__in=[DispatchStatus.DONE, DispatchStatus.CANCELLED])
        .filter(Q(accepted_by=user) | Q(accepted_by__isnull=True, offered_to=user))
        .exists()
    )


def cancel_at_care_end(sender: Any, actor: Any, episode: Any, **kwargs: Any) -> None:
    """A death or a discharge cancels what was planned, in a savepoint so a
    failure here never undoes the death or the discharge."""
    from django.utils.translation import gettext as _

    from hearth.patients.signals import closing, summary_from
    from hearth.visits.services.care_end import cancel_at_care_end as cancel

    summary = summary_from(kwargs)
    with closing(what=_("Planned visits"), actor=actor, episode=episode, summary=summary):
        cancel(actor=actor, episode=episode, summary=summary)
