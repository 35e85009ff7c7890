"""Every change to a bereavement plan.

Each function: keyword-only arguments with the acting user first; one
transaction; a permission check against ``bereavement.rules``; validation that
names the field; an audit event. Pages and the API call these and nothing else.

The plan is created by ``create_plan_for`` when ``patients.signals.home_care_ended``
reports a death (see ``receivers``), inside the death's own transaction; a
discharge creates nothing. The episode's own journey stays in
``patients.services``: recording the first contact (done or not reached) of a
plan whose episode is still "deceased" starts bereavement follow-up, and
closing the plan closes the episode only when asked (``close_episode=True``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import InvalidTransition, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.patients import services as patient_services
from hearth.patients.choices import EpisodeState
from hearth.patients.models import CaregiverLink, Episode, Patient

from . import queries
from .choices import (
    CONTACT_OUTCOMES,
    DEFAULT_KIND_BY_POSITION,
    RISK_ORDER,
    BereavementContactKind,
    ContactSource,
    ContactStatus,
    PlanStatus,
    ReferralTo,
    RiskFactor,
    RiskLevel,
)
from .models import BereavementContact, BereavementPlan, RiskScreen

CLOCK_SKEW = timedelta(minutes=5)
NOTE_LIMIT = 4000


def _day(value: date) -> str:
    return date_format(value, "j M Y")


def _text(value: Any, limit: int = NOTE_LIMIT) -> str:
    return str(value or "").strip()[:limit]


def _require_open(plan: BereavementPlan) -> None:
    if plan.status != PlanStatus.OPEN:
        raise InvalidTransition(
            _("The bereavement plan is closed; it cannot be changed."), code="plan_closed"
        )


def _relatives(
    patient: Patient, relative_ids: Iterable[Any] | None, errors: Errors, field: str = "relatives"
) -> list[CaregiverLink]:
    wanted = [str(value) for value in (relative_ids or []) if str(value).strip()]
    if not wanted:
        return []
    found = {str(link.external_id): link for link in queries.relatives_of(patient)}
    missing = [value for value in wanted if value not in found]
    if missing:
        errors.add(field, _("Choose relatives of this patient."))
        return []
    return [found[value] for value in dict.fromkeys(wanted)]


def _due_date(value: Any, plan: BereavementPlan, errors: Errors, field: str = "due_on") -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        errors.add(field, _("Give the date the contact is due."))
        return clock.today()
    if value < plan.died_on:
        errors.add(
            field,
            _("A contact cannot be due before the death (%(day)s).") % {"day": _day(plan.died_on)},
        )
    elif value < clock.today():
        errors.add(field, _("Plan a contact for today or later."))
    if value > plan.died_on + timedelta(days=3 * 366):
        errors.add(field, _("That is more than three years after the death; check the date."))
    return value


def _kind(value: Any, errors: Errors) -> str:
    if value not in BereavementContactKind.values:
        errors.add(
            "kind", _("Choose a phone call, home visit, letter or card, or anniversary contact.")
        )
    return str(value)


# --- The plan --------------------------------------------------------------------


def _default_kind(position: int) -> str:
    if position < len(DEFAULT_KIND_BY_POSITION):
        return DEFAULT_KIND_BY_POSITION[position].value
    return BereavementContactKind.PHONE_CALL.value


#: The plan's summary as written before it had a singular: events already in
#: the audit trail carry it as their key, so its translation is kept.
EARLIER_PLAN_STARTED_KEY = gettext_noop(
    "Bereavement plan started at the death: %(count)d contacts planned"
)


@transaction.atomic
def create_plan_for(*, episode: Episode, actor: User | None = None) -> BereavementPlan:
    """The plan for an episode that ended in a death: one contact at each of
    ``HEARTH_BEREAVEMENT_CONTACT_DAYS`` after the date of death (in the
    service's time zone), with the patient's current family, primary first.

    Idempotent: a second call returns the plan the first made. Called by the
    death's own transaction (``receivers``) and by the demo for deaths recorded
    before this app existed; no permission check: the death was checked.
    ``actor`` defaults to whoever recorded the death.
    """
    episode = Episode.objects.select_for_update().select_related("patient").get(pk=episode.pk)
    existing = BereavementPlan.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    if episode.died_at is None or episode.state not in (
        EpisodeState.DECEASED,
        EpisodeState.BEREAVEMENT,
    ):
        raise InvalidTransition(
            _("A bereavement plan follows a recorded death; this episode has none."),
            code="no_death",
        )
    actor = actor or episode.death_recorded_by
    patient = episode.patient
    died_on = timezone.localdate(episode.died_at, timezone.get_default_timezone())
    plan = BereavementPlan.objects.create(
        patient=patient, episode=episode, died_on=died_on, created_by=actor
    )
    relatives = list(queries.current_relatives(patient))
    days = sorted(set(queries.contact_days()))
    for position, day in enumerate(days):
        contact = BereavementContact.objects.create(
            plan=plan,
            due_on=died_on + timedelta(days=day),
            kind=_default_kind(position),
            source=ContactSource.SCHEDULE,
            planned_days_after_death=day,
            created_by=actor,
        )
        contact.relatives.set(relatives)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.BEREAVEMENT_PLAN_CREATED,
        patient=patient,
        obj=plan,
        summary=messages.plural_text(
            "Bereavement plan started at the death: %(count)d contact planned",
            "Bereavement plan started at the death: %(count)d contacts planned",
            count=len(days),
        ),
        changes={
            "died_on": died_on,
            "contact_days": days,
            "relatives": [link.external_id for link in relatives],
        },
    )
    return plan


def create_plan(*, actor: User, patient: Patient) -> BereavementPlan:
    """Staff start the plan for a death recorded before this app existed."""
    require_perm(
        actor,
        "bereavement.manage_plan",
        patient,
        _("Only the family-support team or the coordinator plans bereavement follow-up."),
    )
    episode = patient.death_episode()
    if episode is None:
        raise InvalidTransition(
            _("A bereavement plan follows a recorded death; no death is recorded."),
            code="no_death",
        )
    return create_plan_for(episode=episode, actor=actor)


# --- Contacts --------------------------------------------------------------------


@transaction.atomic
def add_contact(
    *,
    actor: User,
    plan: BereavementPlan,
    due_on: date,
    kind: str,
    relative_ids: Sequence[Any] | None = None,
    purpose: str = "",
    source: str = ContactSource.ADDED,
) -> BereavementContact:
    require_perm(
        actor,
        "bereavement.manage_plan",
        plan.patient,
        _("Only the family-support team or the coordinator plans bereavement contacts."),
    )
    plan = lock(BereavementPlan, plan.pk, related=("patient", "episode"), of=("self",))
    _require_open(plan)
    errors = Errors()
    due_on = _due_date(due_on, plan, errors)
    kind = _kind(kind, errors)
    relatives = _relatives(plan.patient, relative_ids, errors)
    errors.raise_if_any()
    if not relatives:
        relatives = list(queries.current_relatives(plan.patient))
    contact = _new_contact(
        actor=actor,
        plan=plan,
        due_on=due_on,
        kind=kind,
        relatives=relatives,
        purpose=_text(purpose, 300),
        source=source,
    )
    return contact


def _new_contact(
    *,
    actor: User,
    plan: BereavementPlan,
    due_on: date,
    kind: str,
    relatives: list[CaregiverLink],
    purpose: str,
    source: str,
) -> BereavementContact:
    contact = BereavementContact.objects.create(
        plan=plan, due_on=due_on, kind=kind, source=source, purpose=purpose, created_by=actor
    )
    contact.relatives.set(relatives)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.BEREAVEMENT_CONTACT_ADDED,
        patient=plan.patient,
        obj=contact,
        summary=messages.text(
            gettext_noop("Bereavement contact planned: %(kind)s due %(day)s"),
            kind=messages.lower_case(messages.choice(contact, "kind")),
            day=_day(due_on),
        ),
        changes={"due_on": due_on, "kind": kind, "source": source, "purpose": purpose},
    )
    return contact


@transaction.atomic
def update_contact(
    *,
    actor: User,
    contact: BereavementContact,
    due_on: date | None = None,
    kind: str | None = None,
    relative_ids: Sequence[Any] | None = None,
    reason: str = "",
) -> BereavementContact:
    """Reschedule a planned contact, change its kind or whom it is with.
    A new due date needs a reason."""
    require_perm(
        actor,
        "bereavement.manage_plan",
        contact.plan.patient,
        _("Only the family-support team or the coordinator plans bereavement contacts."),
    )
    contact = lock(
        BereavementContact,
        contact.pk,
        related=("plan__patient", "plan__episode"),
        of=("self",),
    )
    plan = contact.plan
    _require_open(plan)
    if not contact.is_open:
        raise InvalidTransition(
            _("This contact is already %(status)s; plan a new one instead.")
            % {"status": contact.get_status_display().lower()},
            code="contact_finished",
        )
    errors = Errors()
    before = {"due_on": contact.due_on, "kind": contact.kind}
    reason = _text(reason, 300)
    changed: list[str] = []
    if due_on is not None and due_on != contact.due_on:
        contact.due_on = _due_date(due_on, plan, errors)
        if not reason:
            errors.add("reason", _("Say why the contact moves."))
        changed.append("due_on")
    if kind is not None and kind != contact.kind:
        contact.kind = _kind(kind, errors)
        changed.append("kind")
    relatives = None
    if relative_ids is not None:
        relatives = _relatives(plan.patient, relative_ids, errors)
        if not relatives:
            errors.add("relatives", _("Choose at least one relative."))
    errors.raise_if_any()
    if changed:
        contact.save(update_fields=changed)
    if relatives is not None:
        contact.relatives.set(relatives)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_CONTACT_CHANGED,
        patient=plan.patient,
        obj=contact,
        summary=messages.text(
            gettext_noop("Bereavement contact changed: %(kind)s due %(day)s"),
            kind=messages.lower_case(messages.choice(contact, "kind")),
            day=_day(contact.due_on),
        ),
        changes={
            **audit.diff(before, {"due_on": contact.due_on, "kind": contact.kind}),
            "reason": reason,
            **(
                {"relatives": [link.external_id for link in relatives]}
                if relatives is not None
                else {}
            ),
        },
    )
    return contact


@transaction.atomic
def record_contact(
    *,
    actor: User,
    contact: BereavementContact,
    outcome: str,
    note: str = "",
    done_at: datetime | None = None,
    relative_ids: Sequence[Any] | None = None,
    retry_on: date | None = None,
) -> BereavementContact:
    """The contact took place (``done``, with what came of it) or nobody could
    be reached (``not_reached``; ``retry_on`` plans another try). The first
    contact recorded for an episode still "deceased" starts bereavement
    follow-up (``patients.services.start_bereavement_follow_up``)."""
    require_perm(
        actor,
        "bereavement.manage_plan",
        contact.plan.patient,
        _("Only the family-support team or the coordinator records bereavement contacts."),
    )
    contact = lock(
        BereavementContact,
        contact.pk,
        related=("plan__patient", "plan__episode"),
        of=("self",),
    )
    plan = contact.plan
    _require_open(plan)
    if not contact.is_open:
        raise InvalidTransition(
            _("This contact is already %(status)s.")
            % {"status": contact.get_status_display().lower()},
            code="contact_finished",
        )
    errors = Errors()
    if outcome not in CONTACT_OUTCOMES:
        errors.add("outcome", _("Choose done or could not reach."))
    note = _text(note)
    if outcome == ContactStatus.DONE and not note:
        errors.add("note", _("Write what came of the contact."))
    when = done_at or clock.now()
    if timezone.is_naive(when):
        errors.add("done_at", _("Give the time with its time zone."))
    else:
        if when > clock.now() + CLOCK_SKEW:
            errors.add("done_at", _("Cannot be in the future."))
        if timezone.localdate(when) < plan.died_on:
            errors.add(
                "done_at", _("Cannot be before the death (%(day)s).") % {"day": _day(plan.died_on)}
            )
    relatives = _relatives(plan.patient, relative_ids, errors) if relative_ids else None
    if retry_on is not None:
        if outcome != ContactStatus.NOT_REACHED:
            errors.add("retry_on", _("Another try is planned only when nobody could be reached."))
        else:
            _due_date(retry_on, plan, errors, field="retry_on")
    errors.raise_if_any()
    contact.status = outcome
    contact.done_at = when
    contact.done_by = actor
    contact.outcome_note = note
    contact.save(update_fields=["status", "done_at", "done_by", "outcome_note"])
    if relatives:
        contact.relatives.set(relatives)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_CONTACT_RECORDED,
        patient=plan.patient,
        obj=contact,
        summary=messages.text(
            gettext_noop("Bereavement contact %(outcome)s: %(kind)s"),
            outcome=messages.lower_case(messages.choice(contact, "status")),
            kind=messages.lower_case(messages.choice(contact, "kind")),
        ),
        changes={"status": outcome, "done_at": when, "note": note},
    )
    if retry_on is not None:
        _new_contact(
            actor=actor,
            plan=plan,
            due_on=retry_on,
            kind=contact.kind,
            relatives=list(contact.relatives.all()),
            purpose=_("Another try: nobody answered on %(day)s")
            % {"day": _day(timezone.localdate(when))},
            source=ContactSource.RETRY,
        )
    episode = Episode.objects.get(pk=plan.episode_id)
    if episode.state == EpisodeState.DECEASED:
        patient_services.start_bereavement_follow_up(actor=actor, episode=episode)
    return contact


@transaction.atomic
def mark_contact_not_needed(
    *, actor: User, contact: BereavementContact, reason: str
) -> BereavementContact:
    require_perm(
        actor,
        "bereavement.manage_plan",
        contact.plan.patient,
        _("Only the family-support team or the coordinator plans bereavement contacts."),
    )
    contact = lock(
        BereavementContact,
        contact.pk,
        related=("plan__patient", "plan__episode"),
        of=("self",),
    )
    _require_open(contact.plan)
    if not contact.is_open:
        raise InvalidTransition(
            _("This contact is already %(status)s.")
            % {"status": contact.get_status_display().lower()},
            code="contact_finished",
        )
    reason = _text(reason)
    if not reason:
        raise ValidationFailed(
            _("Say why the contact is not needed."), field_errors={"reason": [_("Required.")]}
        )
    contact.status = ContactStatus.NOT_NEEDED
    contact.not_needed_reason = reason
    contact.save(update_fields=["status", "not_needed_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_CONTACT_NOT_NEEDED,
        patient=contact.plan.patient,
        obj=contact,
        summary=messages.text(
            gettext_noop("Bereavement contact not needed: %(kind)s due %(day)s"),
            kind=messages.lower_case(messages.choice(contact, "kind")),
            day=_day(contact.due_on),
        ),
        changes={"status": ContactStatus.NOT_NEEDED, "reason": reason},
    )
    return contact


# --- Risk screening ------------------------------------------------------------------


def band_for(factors: Iterable[str], bands: dict[str, Any] | None = None) -> str:
    """The service's banding of a screen: how many factors are present, and
    any factor the service counts as high risk on its own. A service choice
    (``HEARTH_BEREAVEMENT_RISK_BANDS``), not a validated cut-off."""
    bands = bands or queries.risk_bands()
    present = set(factors)
    count = len(present)
    if present & set(bands.get("high_if_any") or []) or count >= int(bands["high_from"]):
        return RiskLevel.HIGH.value
    if count >= int(bands["moderate_from"]):
        return RiskLevel.MODERATE.value
    return RiskLevel.LOW.value


def _refresh_risk_level(plan: BereavementPlan) -> None:
    newest = plan.screens.valid().order_by("-screened_at", "-id").first()
    level = newest.result if newest else ""
    if plan.risk_level != level:
        plan.risk_level = level
        plan.save(update_fields=["risk_level"])


@transaction.atomic
def record_risk_screen(
    *,
    actor: User,
    plan: BereavementPlan,
    factors: Sequence[str],
    relative_ids: Sequence[Any] | None = None,
    raised_to: str = "",
    note: str = "",
    referred_to: str = "",
) -> RiskScreen:
    """A structured screen: the factors present give a band by the service's
    rule; the screener may raise (never lower) it by clinical judgement with a
    note. High risk suggests referral and, unless a contact is already due
    soon, adds a phone call within ``HEARTH_BEREAVEMENT_HIGH_RISK_CONTACT_DAYS``."""
    require_perm(
        actor,
        "bereavement.screen_risk",
        plan.patient,
        _(
            "A psychologist, social worker, nurse, physician or chaplain on the team "
            "screens bereavement risk."
        ),
    )
    plan = lock(BereavementPlan, plan.pk, related=("patient", "episode"), of=("self",))
    _require_open(plan)
    errors = Errors()
    factors = list(dict.fromkeys(factors or []))
    unknown = [code for code in factors if code not in RiskFactor.values]
    if unknown:
        errors.add("factors", _("Unknown risk factor: %(codes)s.") % {"codes": ", ".join(unknown)})
    note = _text(note)
    bands = queries.risk_bands()
    rule_result = band_for([code for code in factors if code in RiskFactor.values], bands)
    raised_to = raised_to or ""
    if raised_to:
        if raised_to not in RiskLevel.values:
            errors.add("raised_to", _("Choose moderate or high risk."))
        elif RISK_ORDER[RiskLevel(raised_to)] <= RISK_ORDER[RiskLevel(rule_result)]:
            errors.add(
                "raised_to",
                _("Clinical judgement can only raise the result above %(result)s.")
                % {"result": RiskLevel(rule_result).label.lower()},
            )
        elif not note:
            errors.add("note", _("Say why you judge the risk higher."))
    if referred_to not in ReferralTo.values:
        errors.add("referred_to", _("Choose where the family was referred."))
    relatives = _relatives(plan.patient, relative_ids, errors)
    errors.raise_if_any()
    result = raised_to or rule_result
    screen = RiskScreen.objects.create(
        plan=plan,
        screened_by=actor,
        factors=factors,
        factor_count=len(factors),
        rule_result=rule_result,
        raised_to=raised_to,
        result=result,
        banding=bands,
        note=note,
        referral_suggested=result == RiskLevel.HIGH,
        referred_to=referred_to,
    )
    screen.relatives.set(relatives or list(queries.current_relatives(plan.patient)))
    if result == RiskLevel.HIGH:
        soon = clock.today() + timedelta(days=queries.high_risk_contact_days())
        if not plan.contacts.open().filter(due_on__lte=soon).exists():
            screen.extra_contact = _new_contact(
                actor=actor,
                plan=plan,
                due_on=max(soon, plan.died_on),
                kind=BereavementContactKind.PHONE_CALL,
                relatives=list(screen.relatives.all()),
                purpose=_("High bereavement risk: check in and consider referral"),
                source=ContactSource.HIGH_RISK,
            )
            screen.save(update_fields=["extra_contact"])
    _refresh_risk_level(plan)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.BEREAVEMENT_SCREEN_RECORDED,
        patient=plan.patient,
        obj=screen,
        summary=messages.plural_text(
            "Bereavement risk screen: %(result)s (%(count)d factor)",
            "Bereavement risk screen: %(result)s (%(count)d factors)",
            count=len(factors),
            result=messages.lower_case(RiskLevel(result).label),
        ),
        changes={
            "factors": factors,
            "rule_result": rule_result,
            "raised_to": raised_to,
            "result": result,
            "referred_to": referred_to,
            "extra_contact": screen.extra_contact.external_id if screen.extra_contact else None,
        },
    )
    return screen


@transaction.atomic
def mark_screen_entered_in_error(*, actor: User, screen: RiskScreen, reason: str) -> RiskScreen:
    """A screen recorded by mistake is struck through, never deleted. An extra
    contact it added stays (mark it not needed separately if so)."""
    require_perm(
        actor,
        "bereavement.screen_risk",
        screen.plan.patient,
        _("Only clinical staff on the team correct a risk screen."),
    )
    screen = (
        RiskScreen.objects.select_for_update(of=("self",))
        .select_related("plan__patient")
        .get(pk=screen.pk)
    )
    if screen.entered_in_error_at is not None:
        raise InvalidTransition(_("This screen is already marked entered in error."))
    reason = _text(reason)
    if not reason:
        raise ValidationFailed(
            _("Say why the screen was entered in error."),
            field_errors={"reason": [_("Required.")]},
        )
    screen.entered_in_error_at = clock.now()
    screen.entered_in_error_by = actor
    screen.entered_in_error_reason = reason
    screen.save(
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    _refresh_risk_level(screen.plan)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_SCREEN_ENTERED_IN_ERROR,
        patient=screen.plan.patient,
        obj=screen,
        summary=messages.text(gettext_noop("Bereavement risk screen marked entered in error")),
        changes={"reason": reason},
    )
    return screen


# --- The return checklist --------------------------------------------------------------


def _still_at_home(items: list[str], lead: str, code: str) -> InvalidTransition:
    return InvalidTransition(lead + " " + "; ".join(items) + ".", code=code)


def _equipment_refusal(checklist: queries.ReturnChecklist) -> InvalidTransition | None:
    if checklist.equipment_clear:
        return None
    return _still_at_home(
        [queries.describe_loan(loan) for loan in checklist.loans],
        _("Equipment is still at home:"),
        "equipment_at_home",
    )


def _drugs_refusal(checklist: queries.ReturnChecklist) -> InvalidTransition | None:
    if checklist.drugs_clear:
        return None
    return _still_at_home(
        [queries.describe_holding(holding) for holding in checklist.controlled_drugs],
        _("Controlled drugs are still at home (record their return or destruction):"),
        "controlled_drugs_at_home",
    )


@transaction.atomic
def confirm_equipment_collected(
    *, actor: User, plan: BereavementPlan, note: str = ""
) -> BereavementPlan:
    """All the service's equipment is back: refused while a loan is still at home."""
    require_perm(
        actor,
        "bereavement.confirm_equipment",
        plan.patient,
        _("Only the family-support team or the coordinator confirms equipment collection."),
    )
    plan = lock(BereavementPlan, plan.pk, related=("patient", "episode"), of=("self",))
    _require_open(plan)
    refusal = _equipment_refusal(queries.returns_checklist(plan.patient))
    if refusal:
        raise refusal
    plan.equipment_confirmed_at = clock.now()
    plan.equipment_confirmed_by = actor
    plan.equipment_note = _text(note)
    plan.save(update_fields=["equipment_confirmed_at", "equipment_confirmed_by", "equipment_note"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_RETURNS_EQUIPMENT_CONFIRMED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(gettext_noop("All equipment confirmed collected")),
        changes={"note": plan.equipment_note},
    )
    return plan


@transaction.atomic
def confirm_controlled_drugs(
    *, actor: User, plan: BereavementPlan, note: str = ""
) -> BereavementPlan:
    """Every controlled drug at home returned or destroyed (as the register
    shows): refused while any stock remains."""
    require_perm(
        actor,
        "bereavement.confirm_controlled_drugs",
        plan.patient,
        _("Only a physician or nurse on the team confirms controlled drugs returned or destroyed."),
    )
    plan = lock(BereavementPlan, plan.pk, related=("patient", "episode"), of=("self",))
    _require_open(plan)
    refusal = _drugs_refusal(queries.returns_checklist(plan.patient))
    if refusal:
        raise refusal
    plan.drugs_confirmed_at = clock.now()
    plan.drugs_confirmed_by = actor
    plan.drugs_note = _text(note)
    plan.save(update_fields=["drugs_confirmed_at", "drugs_confirmed_by", "drugs_note"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.BEREAVEMENT_RETURNS_CONTROLLED_DRUGS_CONFIRMED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(gettext_noop("Controlled drugs confirmed returned or destroyed")),
        changes={"note": plan.drugs_note},
    )
    return plan


# --- Closure ---------------------------------------------------------------------------


@transaction.atomic
def close_plan(
    *, actor: User, plan: BereavementPlan, note: str, close_episode: bool = False
) -> BereavementPlan:
    """Close the follow-up with an outcome note. Refused while a contact is
    still planned (mark it not needed with a reason instead), while the return
    checklist is unconfirmed, or while equipment or controlled drugs are
    still listed at home. With ``close_episode`` the episode is closed too, in
    the same transaction, through ``patients.services`` (starting bereavement
    follow-up first if it never started)."""
    require_perm(
        actor,
        "bereavement.close_plan",
        plan.patient,
        _("Only the family-support team or the coordinator closes bereavement follow-up."),
    )
    plan = lock(BereavementPlan, plan.pk, related=("patient", "episode"), of=("self",))
    _require_open(plan)
    note = _text(note)
    if not note:
        raise ValidationFailed(_("Write an outcome note."), field_errors={"note": [_("Required.")]})
    still_open = list(plan.contacts.open().order_by("due_on", "id"))
    if still_open:
        raise InvalidTransition(
            _(
                "Contacts are still planned: %(contacts)s. Record them, or mark each "
                "not needed with a reason."
            )
            % {
                "contacts": "; ".join(
                    f"{contact.get_kind_display().lower()} {_day(contact.due_on)}"
                    for contact in still_open
                )
            },
            code="open_contacts",
        )
    missing = []
    if plan.equipment_confirmed_at is None:
        missing.append(_("all equipment collected"))
    if plan.drugs_confirmed_at is None:
        missing.append(_("controlled drugs returned or destroyed"))
    if missing:
        raise InvalidTransition(
            _("Confirm the return checklist first: %(missing)s.") % {"missing": ", ".join(missing)},
            code="returns_unconfirmed",
        )
    checklist = queries.returns_checklist(plan.patient)
    refusal = _equipment_refusal(checklist) or _drugs_refusal(checklist)
    if refusal:
        raise refusal
    plan.status = PlanStatus.CLOSED
    plan.closed_at = clock.now()
    plan.closed_by = actor
    plan.closing_note = note
    plan.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.BEREAVEMENT_PLAN_CLOSED,
        patient=plan.patient,
        obj=plan,
        summary=messages.text(gettext_noop("Bereavement follow-up closed")),
        changes={"note": note, "close_episode": close_episode},
    )
    if close_episode:
        episode = Episode.objects.get(pk=plan.episode_id)
        if episode.state == EpisodeState.DECEASED:
            episode = patient_services.start_bereavement_follow_up(actor=actor, episode=episode)
        if episode.state == EpisodeState.BEREAVEMENT:
            patient_services.close_episode(actor=actor, episode=episode, note=note)
        elif episode.state != EpisodeState.CLOSED:
            raise InvalidTransition(
                _("The episode is %(state)s; it cannot be closed from here.")
                % {"state": episode.get_state_display().lower()},
                code="episode_not_closable",
            )
    return plan
