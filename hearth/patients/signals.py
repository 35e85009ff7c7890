"""Events other apps react to, so the patients app imports none of them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.core import audit, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction

logger = logging.getLogger(__name__)

#: Sent inside the transaction that ends active home care (discharge or death),
#: with ``actor``, ``episode`` and ``summary`` (a :class:`CareEndSummary` each
#: receiver adds what it closed to). Receivers write in the same transaction,
#: so a failure undoes the discharge too, unless the receiver guards its work
#: with :func:`closing` (the closings of issue 19 do: the death must stand).
home_care_ended = Signal()

#: Sent inside the transaction that starts a new phase of illness (the
#: assessments app records phases; PCOC), with ``phase`` (the new
#: ``PhaseOfIllness``: ``patient``, ``phase``, ``started_at``, ``pk``) and
#: ``actor``. Defined here, below both, so the care plan app (on the same layer
#: as assessments, which it may not import) can ask for a review of the plan.
phase_of_illness_started = Signal()


@dataclass(frozen=True)
class CareEndItem:
    """One line of what the end of home care closed, for the person who
    recorded it. ``kind`` is stable for the API; ``text`` is for people."""

    kind: str
    text: str


@dataclass
class CareEndSummary:
    """What a death or a discharge closed, cancelled or handed over: shown on
    the page after the form and in the API answer, so the person who recorded
    it knows what still needs a human (``failed`` lines)."""

    items: list[CareEndItem] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        self.items.append(CareEndItem(kind=kind, text=str(text)))

    @property
    def failures(self) -> list[CareEndItem]:
        return [item for item in self.items if item.kind == FAILED]


#: The ``kind`` of a line saying a closing could not be done automatically.
FAILED = "failed"


def summary_from(kwargs: dict[str, Any]) -> CareEndSummary:
    """The summary the sender passed, or a throwaway one (an older sender)."""
    summary = kwargs.get("summary")
    return summary if isinstance(summary, CareEndSummary) else CareEndSummary()


@contextlib.contextmanager
def closing(*, what: str, actor: Any, episode: Any, summary: CareEndSummary) -> Iterator[None]:
    """Run one app's closing in a savepoint of the death's or discharge's
    transaction. Why: the death or the discharge must never be lost because,
    say, a volunteer's assignment could not be ended; the closing's own writes
    are rolled back whole, the failure is logged, audited and shown to the
    person who recorded it ("close by hand"), and the rest carries on. Every
    closing is idempotent, so running it again later closes only what is left."""
    try:
        with transaction.atomic():
            yield
    except Exception:
        logger.exception("Closing %s at the end of home care failed (episode %s)", what, episode.pk)
        text = _("%(what)s: could not be closed automatically; please close them by hand.") % {
            "what": what
        }
        summary.add(FAILED, text)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.CARE_END_CLOSING_FAILED,
            patient=episode.patient,
            obj=episode,
            summary=text,
            changes={"what": what},
        )


def ended_by_death(episode: Any) -> bool:
    from hearth.patients.choices import EpisodeState

    return bool(episode.state in (EpisodeState.DECEASED, EpisodeState.BEREAVEMENT))


def care_end_reason_message(episode: Any) -> messages.Message:
    """Why home care ended, as a key and parameters, so what quotes it (an
    audit event, a cancelled message) reads in each reader's language: "The
    person died." or "Discharged: moved to inpatient care (note)"."""
    from hearth.patients.choices import DischargeReason

    if ended_by_death(episode):
        return messages.text(gettext_noop("The person died."))
    reason = episode.discharge_reason
    label = (
        messages.lower_case(DischargeReason(reason).label)
        if reason in DischargeReason.values
        else str(reason)
    )
    note = (episode.discharge_note or "").strip()
    if note:
        return messages.text(
            gettext_noop("Discharged: %(reason)s (%(note)s)"), reason=label, note=note[:150]
        )
    return messages.text(gettext_noop("Discharged: %(reason)s"), reason=label)


def care_end_reason(episode: Any) -> str:
    """The reason every closing records, in the service's language (it is
    stored and read by the whole team): "The person died." or "Discharged:
    moved to inpatient care (note)"."""
    from django.conf import settings

    return care_end_reason_message(episode).in_language(settings.LANGUAGE_CODE)
