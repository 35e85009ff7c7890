"""Recording doses (the administration record, MAR): a dose given or not given,
what follows every dose stored, and marking a wrong record.

Recording a dose is the one write that is *not* a single decorated
transaction: its idempotency key is claimed and committed first, so a retry
that arrives while the first attempt is still running is told to wait (409)
rather than recording the dose twice. The checks and the write then run in one
transaction with the order row locked (``select_for_update`` on PostgreSQL; on
SQLite every write transaction starts ``IMMEDIATE``, so writers queue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock, dates, idempotency, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications import checks
from hearth.medications.choices import (
    AdministrationOutcome,
    NotGivenReason,
    OrderKind,
    Route,
    StockMovement,
)
from hearth.medications.models import (
    Administration,
    MedicationOrder,
    MedicineSignOff,
    OrderVersion,
    StockEntry,
    SyncReview,
    describe_dose,
    dose_param,
)
from hearth.medications.services._common import CLOCK_SKEW, _aware, _decimal
from hearth.medications.services.breakthrough import _review_breakthrough
from hearth.medications.services.controlled_drugs import _move_stock, _take_from_stock
from hearth.monitoring.alerts import local_time


@dataclass
class Recorded:
    """A dose recorded (``administration``), or an offline dose that clashed
    after merging and waits for a clinician (``review``)."""

    administration: Administration | None = None
    review: SyncReview | None = None
    replayed: bool = False


def record_administration(
    *,
    actor: User,
    order: MedicationOrder,
    idempotency_key: str,
    outcome: str = AdministrationOutcome.GIVEN,
    dose: Any = None,
    route: str = "",
    given_at: datetime | None = None,
    scheduled_for: datetime | None = None,
    not_given_reason: str = "",
    note: str = "",
    recorded_offline: bool = False,
    device_recorded_at: datetime | None = None,
    client_id: str = "",
) -> Recorded:
    """A dose given (or a scheduled dose not given) against an active order.

    Refused with nothing written (docs/clinical-reference.md): no active order; a different
    dose or route; an as-needed dose before its minimum interval or over its
    rolling 24 h maximum; a scheduled slot already recorded; a family member
    not signed off for the route; the same submission twice. An offline dose
    that clashes only after merging goes to the clinician review queue instead.
    """
    require_perm(
        actor,
        "medications.record_administration",
        order.patient,
        _("Doses are recorded by the nurses and by family members trained to give them."),
    )
    body = {
        "order": order.external_id,
        "outcome": outcome,
        "dose": str(dose) if dose is not None else None,
        "route": route,
        "given_at": given_at,
        "scheduled_for": scheduled_for,
        "not_given_reason": not_given_reason,
        "note": note,
        "recorded_offline": recorded_offline,
        "device_recorded_at": device_recorded_at,
        "client_id": client_id,
    }
    with transaction.atomic():
        claimed = idempotency.claim(
            actor=actor, scope="medications.administration", key=idempotency_key, body=body
        )
        if claimed.replay is not None:
            return _as_recorded(claimed.replay)
        result = _record(
            actor=actor,
            order=order,
            outcome=outcome,
            dose=dose,
            route=route,
            given_at=given_at,
            scheduled_for=scheduled_for,
            not_given_reason=not_given_reason,
            note=note,
            recorded_offline=recorded_offline,
            device_recorded_at=device_recorded_at,
            client_id=client_id,
            body=body,
        )
        claimed.done(result.administration or result.review)  # type: ignore[arg-type]
    return result


def _as_recorded(found: Any) -> Recorded:
    if isinstance(found, SyncReview):
        return Recorded(review=found, replayed=True)
    return Recorded(administration=found, replayed=True)


def _version_at(order: MedicationOrder, moment: datetime) -> OrderVersion | None:
    return (
        order.versions.filter(valid_from__lte=moment)
        .exclude(valid_until__lte=moment)
        .order_by("-number")
        .first()
    )


def _check_family(actor: User, order: MedicationOrder, moment: datetime) -> None:
    if actor.kind == UserKind.STAFF:
        return
    if actor.kind != UserKind.FAMILY:
        raise NotAllowed(
            _("Doses are recorded by the nurses and by family members trained to give them.")
        )
    route = order.drug_route.route
    signed = MedicineSignOff.objects.filter(
        patient_id=order.patient_id, caregiver=actor, route=route
    ).valid_on(timezone.localdate(moment))
    if not signed.exists():
        raise NotAllowed(
            _(
                "You have not been signed off to give medicines %(route)s (or your sign-off "
                "has expired). Nothing was recorded. Call the team: a nurse will give it or "
                "train you."
            )
            % {"route": str(Route(route).label).lower()},
            code="not_signed_off",
        )


def _slot_problem(
    order: MedicationOrder, version: OrderVersion, slot: datetime, given_at: datetime
) -> str:
    """Why ``slot`` is not one of this order's scheduled doses, or ""."""
    local = timezone.localtime(slot)
    if local.second or local.microsecond or local.strftime("%H:%M") not in version.times:
        return _("%(time)s is not one of this medicine's times (%(times)s).") % {
            "time": local.strftime("%H:%M"),
            "times": ", ".join(version.times),
        }
    if version.every_days > 1:
        first = order.versions.order_by("number").first()
        start = timezone.localtime(first.valid_from if first else version.valid_from).date()
        if not checks.due_on(local.date(), start, version.every_days):
            return _("This medicine is not due on %(day)s.") % {
                "day": dates.date_format(local.date(), "j M")
            }
    early = timedelta(minutes=settings.HEARTH_SCHEDULED_DOSE_EARLY_MINUTES)
    if given_at < slot - early:
        return _("The %(time)s dose cannot be recorded more than %(minutes)s minutes early.") % {
            "time": local_time(slot),
            "minutes": settings.HEARTH_SCHEDULED_DOSE_EARLY_MINUTES,
        }
    return ""


def _given_times(
    order: MedicationOrder, around: datetime, span: timedelta = checks.DAY
) -> list[datetime]:
    return list(
        Administration.objects.counting_towards(order)
        .filter(given_at__gt=around - span, given_at__lt=around + span)
        .values_list("given_at", flat=True)
    )


def _minimum_interval(version: OrderVersion) -> timedelta | None:
    minutes = version.minimum_interval_minutes
    return timedelta(minutes=minutes) if minutes else None


def lock_same_drug(order: MedicationOrder) -> MedicationOrder:
    """Lock every order of this person for the same drug (any route, kind or
    status), in primary-key order so two writers never wait on each other in
    a circle, and return ``order`` fresh. Two doses of the same drug under two
    orders then queue, and the second one sees the first (CLINICAL.md:
    limits are counted across orders)."""
    drug_id = (
        MedicationOrder.objects.filter(pk=order.pk)
        .values_list("drug_route__drug_id", flat=True)
        .get()
    )
    list(
        MedicationOrder.objects.filter(patient_id=order.patient_id, drug_route__drug_id=drug_id)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    return lock(
        MedicationOrder,
        order.pk,
        related=("drug_route__drug", "current", "patient"),
        of=("self",),
    )


@dataclass
class Limits:
    """The interval and 24 h maximum a dose of an as-needed drug must keep: the
    strictest of the dose's own version and every active as-needed order of
    the same drug, so no order's limit is broken by doses under another."""

    minimum_interval_minutes: int | None
    maximum_doses_24h: int | None


def limits_for(order: MedicationOrder, version: OrderVersion) -> Limits:
    versions = [version] + [
        other.current
        for other in MedicationOrder.objects.active()
        .filter(
            patient_id=order.patient_id,
            drug_route__drug_id=order.drug_route.drug_id,
            kind=OrderKind.AS_NEEDED,
            current__isnull=False,
        )
        .select_related("current")
        if other.current is not None
    ]
    intervals = [v.minimum_interval_minutes for v in versions if v.minimum_interval_minutes]
    maxima = [v.maximum_doses_24h for v in versions if v.maximum_doses_24h]
    return Limits(max(intervals, default=None), min(maxima, default=None))


def _timing_problems(
    order: MedicationOrder, version: OrderVersion, given_at: datetime
) -> list[messages.Message]:
    """As-needed interval and rolling 24 h maximum, against every dose of the
    same drug under any as-needed order (all versions, active or stopped)
    either side of ``given_at``, with the strictest limits (``limits_for``)."""
    limits = limits_for(order, version)
    interval = limits.minimum_interval_minutes
    # An interval may be longer than the 24 h window (up to 7 days): look that far.
    span = checks.lookback(timedelta(minutes=interval) if interval else None)
    others = _given_times(order, given_at, span)
    problems: list[messages.Message] = []
    if interval:
        minimum = timedelta(minutes=interval)
        clash = checks.too_close(given_at, others, minimum)
        if clash is not None and clash <= given_at:
            wait_until = checks.next_allowed(given_at, others, minimum, None)
            problems.append(
                messages.text(
                    gettext_noop(
                        "Too soon: the last dose was at %(last)s and this medicine needs at least "
                        "%(minutes)s minutes between doses. The next dose can be given from "
                        "%(next)s."
                    ),
                    last=clash,
                    minutes=interval,
                    next=wait_until,
                )
            )
        elif clash is not None:
            # A dose dated before one already recorded (an offline phone, a late entry).
            problems.append(
                messages.text(
                    gettext_noop(
                        "Too close to the dose recorded at %(other)s: this medicine needs at "
                        "least %(minutes)s minutes between doses."
                    ),
                    other=clash,
                    minutes=interval,
                )
            )
    if limits.maximum_doses_24h and checks.over_maximum(given_at, others, limits.maximum_doses_24h):
        problems.append(
            messages.text(
                gettext_noop(
                    "The limit is reached: at most %(count)s doses in any 24 hours. Do not give "
                    "more. Call the team on %(phone)s."
                ),
                count=limits.maximum_doses_24h,
                phone=settings.HEARTH_SERVICE_PHONE,
            )
        )
    return problems


def _record(
    *,
    actor: User,
    order: MedicationOrder,
    outcome: str,
    dose: Any,
    route: str,
    given_at: datetime | None,
    scheduled_for: datetime | None,
    not_given_reason: str,
    note: str,
    recorded_offline: bool,
    device_recorded_at: datetime | None,
    client_id: str,
    body: dict[str, Any],
) -> Recorded:
    locked = lock_same_drug(order)
    now = clock.now()
    errors = Errors()
    note = (note or "").strip()
    if len(note) > 2000:
        errors.add("note", _("At most 2,000 characters."))
    if outcome not in AdministrationOutcome.values:
        errors.add("outcome", _("Choose given or not given."))
    given_at = _aware(given_at, "given_at", errors) or (None if given_at else now)
    scheduled_for = _aware(scheduled_for, "scheduled_for", errors)
    device_recorded_at = _aware(device_recorded_at, "device_recorded_at", errors)
    if given_at is not None:
        if given_at > now + CLOCK_SKEW:
            errors.add("given_at", _("Cannot be in the future."))
        if recorded_offline:
            if given_at < now - timedelta(days=settings.HEARTH_OFFLINE_SYNC_DAYS):
                errors.add(
                    "given_at",
                    _("Older than %(days)s days: tell the nurse, who records it by hand.")
                    % {"days": settings.HEARTH_OFFLINE_SYNC_DAYS},
                )
        elif given_at < now - timedelta(hours=settings.HEARTH_ADMINISTRATION_BACKDATE_HOURS):
            errors.add(
                "given_at",
                _("More than %(hours)s hours ago: ask a nurse to record it.")
                % {"hours": settings.HEARTH_ADMINISTRATION_BACKDATE_HOURS},
            )
    if recorded_offline:
        if not (client_id or "").strip():
            errors.add("client_id", _("An offline record carries the phone's own id for it."))
        if device_recorded_at is None and "device_recorded_at" not in errors.by_field:
            errors.add("device_recorded_at", _("An offline record carries the phone's own time."))
    if len(client_id or "") > 80:
        errors.add("client_id", _("At most 80 characters."))
    errors.raise_if_any()
    assert given_at is not None
    version = _version_at(locked, given_at)
    if version is None:
        raise ValidationFailed(
            _("There is no active order for %(drug)s at %(time)s. Nothing was recorded.")
            % {"drug": str(locked.drug_route), "time": local_time(given_at)},
            code="no_active_order",
            field_errors={"order": [_("No active order at that time.")]},
        )
    _check_family(actor, locked, given_at)

    ordered_route = locked.drug_route.route
    amount: Decimal | None = None
    if outcome == AdministrationOutcome.GIVEN:
        amount = _decimal(dose, "dose", errors)
        if amount is not None and amount != version.dose:
            errors.add(
                "dose",
                _("The order is %(ordered)s, not %(given)s. Only a doctor can change a dose.")
                % {
                    "ordered": describe_dose(version.dose, version.dose_unit),
                    "given": describe_dose(amount, version.dose_unit),
                },
            )
        if not_given_reason:
            errors.add("not_given_reason", _("Only for a dose that was not given."))
    else:
        if dose not in (None, ""):
            errors.add("dose", _("Leave the dose empty for a dose not given."))
        if not_given_reason not in NotGivenReason.values:
            errors.add("not_given_reason", _("Say why it was not given."))
        elif not_given_reason == NotGivenReason.OTHER and not note:
            errors.add("note", _("Say why it was not given."))
        if locked.kind == OrderKind.AS_NEEDED:
            errors.add("outcome", _("As-needed doses are recorded only when given."))
    if not route:
        errors.add("route", _("Say how it was given."))
    elif route != ordered_route:
        errors.add(
            "route",
            _("The order is %(ordered)s, not %(given)s. Only a doctor can change the route.")
            % {
                "ordered": str(Route(ordered_route).label).lower(),
                "given": str(Route(route).label).lower() if route in Route.values else route,
            },
        )
    if locked.kind == OrderKind.REGULAR:
        if scheduled_for is None:
            if "scheduled_for" not in errors.by_field:
                errors.add("scheduled_for", _("Say which scheduled dose this is."))
        else:
            slot_version = _version_at(locked, scheduled_for)
            problem = (
                _slot_problem(locked, slot_version, scheduled_for, given_at)
                if slot_version is not None
                else _("The order was not active at %(time)s.")
                % {"time": local_time(scheduled_for)}
            )
            if problem:
                errors.add("scheduled_for", problem)
    elif scheduled_for is not None:
        errors.add("scheduled_for", _("An as-needed dose has no scheduled time."))
    errors.raise_if_any()

    # Clashes with other records: refused live; sent for review from offline.
    problems: list[messages.Message] = []
    if locked.kind == OrderKind.REGULAR and scheduled_for is not None:
        taken = (
            Administration.objects.valid()
            .filter(order=locked, scheduled_for=scheduled_for)
            .select_related("recorded_by")
            .first()
        )
        if taken is not None:
            problems.append(
                messages.text(
                    gettext_noop(
                        "The %(time)s dose was already recorded (%(outcome)s) by %(who)s."
                    ),
                    time=scheduled_for,
                    outcome=messages.lower_case(messages.choice(taken, "outcome")),
                    who=taken.recorded_by.display_name,
                )
            )
    if outcome == AdministrationOutcome.GIVEN and locked.kind == OrderKind.AS_NEEDED:
        problems.extend(_timing_problems(locked, version, given_at))
    if problems and not recorded_offline:
        raise ValidationFailed(
            str(problems[0]),
            code="dose_refused",
            field_errors={"given_at": [str(problem) for problem in problems]},
        )
    if problems:
        return Recorded(
            review=_send_for_review(
                actor=actor,
                order=locked,
                version=version,
                given_at=given_at,
                device_recorded_at=device_recorded_at,
                client_id=client_id,
                body=body,
                problems=problems,
            )
        )
    administration = Administration.objects.create(
        patient=locked.patient,
        order=locked,
        version=version,
        outcome=outcome,
        not_given_reason=not_given_reason if outcome != AdministrationOutcome.GIVEN else "",
        note=note,
        dose=amount,
        dose_unit=version.dose_unit if amount is not None else "",
        route=route,
        scheduled_for=scheduled_for,
        given_at=given_at,
        recorded_at=now,
        recorded_by=actor,
        recorded_offline=recorded_offline,
        device_recorded_at=device_recorded_at,
        client_id=(client_id or "").strip(),
    )
    _after_dose(actor=actor, administration=administration, order=locked)
    return Recorded(administration=administration)


def _after_dose(*, actor: User, administration: Administration, order: MedicationOrder) -> None:
    """Audit, the controlled-drug register and the breakthrough review: what
    follows every dose stored, live, from offline or after review."""
    given = administration.outcome == AdministrationOutcome.GIVEN
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ADMINISTRATION_RECORDED,
        patient=order.patient,
        obj=administration,
        # Key + parameters (the time as a datetime, the reason as its code)
        # so each reader sees it in their language.
        summary=(
            messages.text(
                gettext_noop("Given: %(drug)s %(dose)s at %(time)s"),
                drug=order.drug_route.drug.name,
                dose=dose_param(administration.dose, administration.dose_unit),
                time=administration.given_at,
            )
            if given
            else messages.text(
                gettext_noop("Not given: %(drug)s at %(time)s (%(reason)s)"),
                drug=order.drug_route.drug.name,
                time=administration.given_at,
                reason=messages.choice(administration, "not_given_reason"),
            )
        ),
        changes={
            "order": order,
            "outcome": administration.outcome,
            "dose": administration.dose,
            "route": administration.route,
            "given_at": administration.given_at,
            "scheduled_for": administration.scheduled_for,
            "offline": administration.recorded_offline,
        },
    )
    if not given:
        return
    _take_from_stock(actor=actor, administration=administration)
    if order.is_breakthrough:
        _review_breakthrough(actor=actor, administration=administration)


def _send_for_review(
    *,
    actor: User,
    order: MedicationOrder,
    version: OrderVersion,
    given_at: datetime,
    device_recorded_at: datetime | None,
    client_id: str,
    body: dict[str, Any],
    problems: list[messages.Message],
) -> SyncReview:
    """Kept for a clinician's review; the problems are stored as keys and
    parameters, read in the reviewer's language, and as service-language text."""
    texts = [problem.in_language(settings.LANGUAGE_CODE) for problem in problems]
    review = SyncReview.objects.create(
        patient=order.patient,
        order=order,
        version=version,
        submitted_by=actor,
        given_at=given_at,
        device_recorded_at=device_recorded_at,
        client_id=(client_id or "").strip(),
        payload=audit._jsonable(body),
        problems=texts,
        problem_messages=[{"key": problem.key, "params": problem.encode()} for problem in problems],
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ADMINISTRATION_SENT_FOR_REVIEW,
        patient=order.patient,
        obj=review,
        summary=messages.text(
            gettext_noop(
                "Offline dose of %(drug)s at %(time)s needs a clinician's review: %(problem)s"
            ),
            drug=order.drug_route.drug.name,
            time=given_at,
            problem=problems[0],
        ),
        changes={"problems": texts, "client_id": client_id},
    )
    return review


@transaction.atomic
def mark_administration_entered_in_error(
    *, actor: User, administration: Administration, reason: str
) -> Administration:
    """A wrong record is kept, marked, and left out of every check and chart;
    its scheduled slot is free again and any stock it took is put back."""
    require_perm(actor, "medications.correct_administration", administration.patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why it is wrong."))
    lock(
        MedicationOrder,
        administration.order.pk,
        related=("drug_route__drug", "current", "patient"),
        of=("self",),
    )
    locked = lock(Administration, administration.pk)
    if locked.entered_in_error_at is not None:
        raise InvalidTransition(_("This record is already marked as entered in error."))
    locked.entered_in_error_at = clock.now()
    locked.entered_in_error_by = actor
    locked.entered_in_error_reason = reason[:2000]
    locked.save(
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    entry = StockEntry.objects.filter(administration=locked).select_related("holding").first()
    if entry is not None:
        _move_stock(
            actor=actor,
            holding=entry.holding,
            movement=StockMovement.CORRECTED,
            quantity=entry.quantity,
            note=messages.text(
                gettext_noop("Dose entered in error: %(reason)s"), reason=reason[:200]
            ),
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ADMINISTRATION_ENTERED_IN_ERROR,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Dose record marked as entered in error")),
        changes={"reason": reason},
    )
    return locked
