"""The offline-sync review queue: a clinician decides about a dose from an
offline phone that clashed with the record after merging."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.medications.choices import AdministrationOutcome, OrderKind, ReviewStatus
from hearth.medications.models import Administration, SyncReview
from hearth.medications.services.administrations import (
    _after_dose,
    _timing_problems,
    lock_same_drug,
)


@transaction.atomic
def resolve_review(*, actor: User, review: SyncReview, decision: str, note: str) -> SyncReview:
    """A clinician decides about an offline dose that clashed: it was really
    given (accepted into the record, with the clash noted), it was the same
    dose recorded twice, or it was not given."""
    require_perm(actor, "medications.review_sync", review.patient)
    note = (note or "").strip()
    errors = Errors()
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.DUPLICATE, ReviewStatus.REJECTED):
        errors.add("decision", _("Choose accept, duplicate or not given."))
    if not note:
        errors.add("note", _("Say what you found (who you spoke to)."))
    errors.raise_if_any()
    locked = lock(
        SyncReview,
        review.pk,
        related=("order__drug_route__drug", "order__patient", "version", "submitted_by"),
    )
    if locked.status != ReviewStatus.WAITING:
        raise InvalidTransition(_("This dose was already reviewed."))
    now = clock.now()
    if decision == ReviewStatus.ACCEPTED:
        order = lock_same_drug(locked.order)
        payload = locked.payload
        # The same cross-order checks as at sync, run again now: what clashes
        # today (other doses may have arrived since) is kept in the note.
        still = (
            _timing_problems(order, locked.version, locked.given_at)
            if order.kind == OrderKind.AS_NEEDED
            else []
        )
        slot = payload.get("scheduled_for")
        slot_time = datetime.fromisoformat(slot) if slot else None
        slot_taken = (
            slot_time is not None
            and Administration.objects.valid().filter(order=order, scheduled_for=slot_time).exists()
        )
        clash_note = "; ".join(
            dict.fromkeys(
                [*locked.problems, *(p.in_language(settings.LANGUAGE_CODE) for p in still)]
            )
        )
        administration = Administration.objects.create(
            patient=locked.patient,
            order=order,
            version=locked.version,
            outcome=payload.get("outcome") or AdministrationOutcome.GIVEN,
            not_given_reason=payload.get("not_given_reason") or "",
            note="\n".join(filter(None, [payload.get("note") or "", clash_note, note]))[:4000],
            dose=Decimal(payload["dose"]) if payload.get("dose") else None,
            dose_unit=locked.version.dose_unit if payload.get("dose") else "",
            route=payload.get("route") or order.drug_route.route,
            # The slot keeps the record it already has; this one says which slot in its note.
            scheduled_for=None if slot_taken else slot_time,
            given_at=locked.given_at,
            recorded_at=now,
            recorded_by=locked.submitted_by,
            recorded_offline=True,
            device_recorded_at=locked.device_recorded_at,
            client_id=locked.client_id,
            accepted_after_review=True,
        )
        locked.administration = administration
        _after_dose(actor=locked.submitted_by, administration=administration, order=order)
    locked.status = decision
    locked.reviewed_by = actor
    locked.reviewed_at = now
    locked.review_note = note[:2000]
    locked.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "administration"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ADMINISTRATION_REVIEWED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Offline dose reviewed: %(decision)s"),
            decision=messages.choice(locked, "status"),
        ),
        changes={"decision": decision, "note": note},
    )
    return locked
