"""Every change in caregiving: family training and sign-off, support tasks,
counselling and social-work contacts, respite.

Each function checks the rules first, validates naming the field, writes in
one transaction with the rows it changes locked, and leaves an audit event.
Pages and the API call these only.

Signing off a "giving medicines" skill is the medicines app's sign-off:
``medications.services.sign_off_caregiver`` creates the ``MedicineSignOff``
that dose recording checks, and withdrawing the skill calls
``revoke_sign_off``. Nothing here keeps a second copy of that state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User, UserKind
from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse
from hearth.caregiving import curriculum
from hearth.caregiving.choices import (
    CONTACT_DISCIPLINE,
    OPEN_RESPITE,
    ContactKind,
    ContactMode,
    RespiteKind,
    RespiteStatus,
    SupportAction,
    SupportTaskSource,
    SupportTaskStatus,
    TrainingStep,
)
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask, TrainingRecord
from hearth.core import audit, clock, dates, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications import services as medicines
from hearth.medications.models import MedicineSignOff
from hearth.patients import access
from hearth.patients.models import CaregiverLink, Patient
from hearth.patients.signals import (
    CareEndSummary,
    care_end_reason,
    care_end_reason_message,
    ended_by_death,
)

#: A phone's clock may run a little fast; later than this is "in the future".
CLOCK_SKEW = timedelta(minutes=5)
MAX_TEXT = 4000


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def _date(value: date | None) -> str:
    return dates.date_format(value, "j M Y") if value else ""


def _carer_of(
    patient: Patient, caregiver: CaregiverLink | None, errors: Errors, field: str
) -> bool:
    if caregiver is None or caregiver.patient_id != patient.pk or caregiver.ended_at is not None:
        errors.add(field, _("Choose a family caregiver of this patient."))
        return False
    return True


# --- Family training ------------------------------------------------------------


def sign_off_days() -> int:
    return int(settings.HEARTH_SKILL_SIGN_OFF_DAYS)


def default_expiry(signed_off_on: date) -> date:
    """How long a skill sign-off lasts: ``HEARTH_SKILL_SIGN_OFF_DAYS`` after it."""
    return signed_off_on + timedelta(days=sign_off_days())


def _skill(code: str, errors: Errors) -> curriculum.Skill | None:
    skill = curriculum.get(code)
    if skill is None:
        errors.add("skill", _("Not a skill of the training curriculum."))
    return skill


def _medicine_sign_offs(
    patient: Patient, caregiver: CaregiverLink, route: str
) -> Iterable[MedicineSignOff]:
    return MedicineSignOff.objects.filter(
        patient=patient, caregiver_id=caregiver.user_id, route=route, revoked_at__isnull=True
    ).order_by("id")


RECORD_FIELDS = [
    "demonstrated_on",
    "demonstrated_by",
    "practised_on",
    "practised_by",
    "signed_off_on",
    "signed_off_by",
    "expires_on",
    "medicine_sign_off",
    "note",
    "updated_at",
]


@transaction.atomic
def record_training_step(
    *,
    actor: User,
    patient: Patient,
    caregiver: CaregiverLink | None,
    skill: str,
    step: str,
    on: date | None = None,
    expires_on: date | None = None,
    note: str = "",
) -> TrainingRecord:
    """A nurse or physician records that ``caregiver`` was shown, practised or
    was signed off for ``skill`` on ``on`` (today by default).

    A sign-off needs the skill shown and practised first; it lasts
    ``HEARTH_SKILL_SIGN_OFF_DAYS`` unless an earlier expiry is given. For a
    "giving medicines" skill the sign-off is the medicines app's own
    (``sign_off_caregiver``), so dose recording accepts the carer by that route.
    """
    require_perm(
        actor,
        "caregiving.record_training",
        patient,
        _("Only a nurse or physician on the team records a carer's training."),
    )
    errors = Errors()
    definition = _skill(skill, errors)
    if step not in TrainingStep.values:
        errors.add("step", _("Choose shown, practised or signed off."))
    _carer_of(patient, caregiver, errors, "caregiver_id")
    today = clock.today()
    on = on or today
    if on > today:
        errors.add("on", _("Cannot be in the future."))
    note = _text(note)
    if len(note) > MAX_TEXT:
        errors.add("note", _("At most 4000 characters."))
    if expires_on is not None and step != TrainingStep.SIGNED_OFF:
        errors.add("expires_on", _("Only a sign-off has an expiry date."))
    errors.raise_if_any()
    assert definition is not None and caregiver is not None
    # One writer per carer at a time, so two nurses never both start a record.
    CaregiverLink.objects.select_for_update().filter(pk=caregiver.pk).first()
    record = (
        TrainingRecord.objects.select_for_update()
        .current()
        .filter(caregiver=caregiver, skill=definition.code)
        .first()
    )
    created = record is None
    if record is None:
        record = TrainingRecord(patient=patient, caregiver=caregiver, skill=definition.code)
    before = {
        "demonstrated_on": record.demonstrated_on,
        "practised_on": record.practised_on,
        "signed_off_on": record.signed_off_on,
        "expires_on": record.expires_on,
    }
    changes: dict[str, Any] = {"skill": definition.code, "step": step, "on": on}
    if step == TrainingStep.DEMONSTRATED:
        record.demonstrated_on, record.demonstrated_by = on, actor
    elif step == TrainingStep.PRACTISED:
        if record.demonstrated_on is None:
            errors.add("step", _("Record that the nurse showed the skill first."))
        elif on < record.demonstrated_on:
            errors.add("on", _("Cannot be before the skill was shown."))
        errors.raise_if_any()
        record.practised_on, record.practised_by = on, actor
    else:
        if record.demonstrated_on is None or record.practised_on is None:
            errors.add(
                "step", _("Record that the skill was shown and practised before signing off.")
            )
        elif on < record.practised_on:
            errors.add("on", _("Cannot be before the skill was practised."))
        longest = default_expiry(on)
        until = expires_on or longest
        if until < on:
            errors.add("expires_on", _("Must be on or after the sign-off date."))
        elif until < today:
            errors.add("expires_on", _("This sign-off would already have expired."))
        elif until > longest:
            errors.add(
                "expires_on",
                _("A sign-off lasts at most %(days)d days: until %(date)s at the latest.")
                % {"days": sign_off_days(), "date": _date(longest)},
            )
        errors.raise_if_any()
        changes["expires_on"] = until
        if definition.medicine_route:
            record.medicine_sign_off = medicines.sign_off_caregiver(
                actor=actor,
                patient=patient,
                caregiver=caregiver.user,
                route=definition.medicine_route,
                signed_off_on=on,
                expires_on=until,
                note=note,
            )
            changes["medicine_sign_off"] = str(record.medicine_sign_off.external_id)
        else:
            record.signed_off_on, record.signed_off_by, record.expires_on = on, actor, until
    if note:
        record.note = (f"{record.note}\n{note}" if record.note else note)[:MAX_TEXT]
    record.updated_at = clock.now()
    if created:
        record.save()
    else:
        record.save(update_fields=RECORD_FIELDS)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        event_type=AuditEventType.TRAINING_STEP_RECORDED,
        patient=patient,
        obj=record,
        summary=messages.text(
            gettext_noop("%(who)s: %(skill)s — %(step)s"),
            who=caregiver.user.display_name,
            skill=definition.title,
            step=TrainingStep(step).label,
        ),
        changes={"before": before, **changes},
    )
    return record


@transaction.atomic
def withdraw_training(
    *,
    actor: User,
    patient: Patient,
    caregiver: CaregiverLink | None,
    skill: str,
    reason: str,
) -> TrainingRecord | None:
    """The carer may no longer do this skill alone (a concern, a change in
    the person's care). The record stays, marked withdrawn with the reason;
    for a medicine skill every standing medicines sign-off for the route is
    revoked, so their doses by that route are refused from now on."""
    require_perm(
        actor,
        "caregiving.record_training",
        patient,
        _("Only a nurse or physician on the team withdraws a carer's sign-off."),
    )
    errors = Errors()
    definition = _skill(skill, errors)
    if caregiver is None or caregiver.patient_id != patient.pk:
        errors.add("caregiver_id", _("Choose a family caregiver of this patient."))
    reason = _text(reason)
    if not reason:
        errors.add("reason", _("Say why it is withdrawn."))
    elif len(reason) > MAX_TEXT:
        errors.add("reason", _("At most 4000 characters."))
    errors.raise_if_any()
    assert definition is not None and caregiver is not None
    CaregiverLink.objects.select_for_update().filter(pk=caregiver.pk).first()
    record = (
        TrainingRecord.objects.select_for_update()
        .current()
        .filter(caregiver=caregiver, skill=definition.code)
        .first()
    )
    revoked: list[str] = []
    if definition.medicine_route:
        for sign_off in _medicine_sign_offs(patient, caregiver, definition.medicine_route):
            medicines.revoke_sign_off(actor=actor, sign_off=sign_off, reason=reason)
            revoked.append(str(sign_off.external_id))
    if record is None and not revoked:
        raise InvalidTransition(_("There is no training of this skill to withdraw."))
    if record is not None:
        record.withdrawn_at = clock.now()
        record.withdrawn_by = actor
        record.withdraw_reason = reason
        record.updated_at = record.withdrawn_at
        record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.TRAINING_WITHDRAWN,
        patient=patient,
        obj=record or caregiver,
        summary=messages.text(
            gettext_noop("%(who)s: %(skill)s withdrawn"),
            who=caregiver.user.display_name,
            skill=definition.title,
        ),
        changes={"skill": definition.code, "reason": reason, "medicine_sign_offs": revoked},
    )
    return record


# --- Caregiver burden: support tasks ----------------------------------------------


def _actions(values: Iterable[Any] | None, errors: Errors) -> list[str]:
    chosen: list[str] = []
    for value in values or []:
        text = str(getattr(value, "value", value))
        if text not in SupportAction.values:
            errors.add("suggested_actions", _("Not a known action: %(value)s.") % {"value": text})
        elif text not in chosen:
            chosen.append(text)
    return chosen


def _assignee(patient: Patient, user: User | None, discipline: str, errors: Errors) -> User | None:
    if discipline and discipline not in Discipline.values:
        errors.add("assigned_discipline", _("Not a known discipline."))
    if user is None:
        return None
    if not access.is_staff(user):
        errors.add("assigned_to_id", _("Choose a member of staff."))
    elif not access.staff_can_open(user, patient):
        errors.add(
            "assigned_to_id",
            _("%(name)s cannot open this patient's record.") % {"name": user.display_name},
        )
    elif discipline in Discipline.values and user.discipline != discipline:
        # An unknown discipline is already named above; naming the person's
        # mismatch with it would need its label (a 500 found by the API fuzzing).
        errors.add(
            "assigned_to_id",
            _("%(name)s is not a %(discipline)s.")
            % {"name": user.display_name, "discipline": Discipline(discipline).label.lower()},
        )
    return user


def open_strain_task(*, response: AssessmentResponse, actor: Any) -> SupportTask | None:
    """Called inside the transaction that recorded a caregiver-strain score
    (``assessment_recorded``). At or above the service's cut-off
    (``instruments.caregiver_strain_cut_off``; None = no cut-off, no task)
    the team gets one open task for that carer; a later high score while it
    is open is added to it, never a second task."""
    definition = response.definition
    if definition is None or not definition.about_caregiver or response.caregiver_id is None:
        return None
    cut_off = instruments.caregiver_strain_cut_off(response.instrument)
    if cut_off is None or response.total is None or response.total < cut_off:
        return None
    caregiver = CaregiverLink.objects.select_for_update().get(pk=response.caregiver_id)
    author = actor if getattr(actor, "is_authenticated", False) else None
    task = (
        SupportTask.objects.select_for_update()
        .open()
        .filter(caregiver=caregiver, source=SupportTaskSource.HIGH_STRAIN)
        .first()
    )
    values = {
        "instrument": response.instrument,
        "total": response.total,
        "cut_off": cut_off,
        "response": str(response.external_id),
    }
    if task is not None:
        task.responses.add(response)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.SUPPORT_TASK_SCORE_ADDED,
            patient=response.patient_id,
            obj=task,
            summary=messages.text(
                gettext_noop("Another high strain score for %(who)s: %(total)d"),
                who=caregiver.user.display_name,
                total=response.total,
            ),
            changes=values,
        )
        return task
    task = SupportTask.objects.create(
        patient_id=response.patient_id,
        caregiver=caregiver,
        source=SupportTaskSource.HIGH_STRAIN,
        suggested_actions=list(SupportAction.values),
        due_on=clock.today(),
        created_by=author,
    )
    task.responses.add(response)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.SUPPORT_TASK_OPENED,
        patient=response.patient_id,
        obj=task,
        summary=messages.text(
            gettext_noop("Support task: strain high for %(who)s (%(instrument)s %(total)d)"),
            who=caregiver.user.display_name,
            instrument=definition.name,
            total=response.total,
        ),
        changes=values,
    )
    return task


@transaction.atomic
def create_support_task(
    *,
    actor: User,
    patient: Patient,
    caregiver: CaregiverLink | None,
    reason: str,
    suggested_actions: Iterable[Any],
    due_on: date | None = None,
    assigned_discipline: str = "",
    assigned_to: User | None = None,
) -> SupportTask:
    require_perm(
        actor,
        "caregiving.manage_support_tasks",
        patient,
        _("Support tasks are raised by the team caring for this family."),
    )
    errors = Errors()
    _carer_of(patient, caregiver, errors, "caregiver_id")
    reason = _text(reason)
    if not reason:
        errors.add("reason", _("Say what the family needs."))
    elif len(reason) > MAX_TEXT:
        errors.add("reason", _("At most 4000 characters."))
    actions = _actions(suggested_actions, errors)
    due_on = due_on or clock.today()
    if due_on < clock.today():
        errors.add("due_on", _("Cannot be in the past."))
    discipline = _text(assigned_discipline)
    assignee = _assignee(patient, assigned_to, discipline, errors)
    errors.raise_if_any()
    assert caregiver is not None
    task = SupportTask.objects.create(
        patient=patient,
        caregiver=caregiver,
        source=SupportTaskSource.MANUAL,
        reason=reason,
        suggested_actions=actions,
        assigned_discipline=discipline,
        assigned_to=assignee,
        due_on=due_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.SUPPORT_TASK_OPENED,
        patient=patient,
        obj=task,
        summary=messages.text(
            gettext_noop("Support task for %(who)s: %(reason)s"),
            who=caregiver.user.display_name,
            reason=reason[:120],
        ),
        changes={"actions": actions, "due_on": due_on, "assigned_to": assignee},
    )
    return task


TASK_FIELDS = ("suggested_actions", "assigned_discipline", "assigned_to", "due_on")


@transaction.atomic
def update_support_task(
    *, actor: User, task: SupportTask, changes: Mapping[str, Any]
) -> SupportTask:
    """Assign the task to a discipline or a person, change the actions or the date."""
    require_perm(actor, "caregiving.manage_support_tasks", task.patient)
    errors = Errors()
    for key in changes:
        if key not in TASK_FIELDS:
            errors.add(key, _("Unknown field."))
    errors.raise_if_any()
    locked = lock(SupportTask, task.pk)
    if not locked.is_open:
        raise InvalidTransition(_("This task is closed."))
    updated: dict[str, Any] = {}
    if "suggested_actions" in changes:
        updated["suggested_actions"] = _actions(changes["suggested_actions"], errors)
    discipline = _text(changes.get("assigned_discipline", locked.assigned_discipline))
    if "assigned_discipline" in changes:
        updated["assigned_discipline"] = discipline
    if "assigned_to" in changes or "assigned_discipline" in changes:
        person = changes.get("assigned_to", locked.assigned_to)
        updated["assigned_to"] = _assignee(locked.patient, person, discipline, errors)
    if "due_on" in changes:
        due = changes["due_on"]
        if not isinstance(due, date):
            errors.add("due_on", _("Give a date."))
        elif due < clock.today():
            errors.add("due_on", _("Cannot be in the past."))
        updated["due_on"] = due
    errors.raise_if_any()
    before = {name: getattr(locked, name) for name in updated}
    for name, value in updated.items():
        setattr(locked, name, value)
    if updated:
        locked.save(update_fields=list(updated))
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.SUPPORT_TASK_UPDATED,
            patient=locked.patient,
            obj=locked,
            summary=messages.text(gettext_noop("Support task changed")),
            changes={"before": before, "after": updated},
        )
    return locked


#: The audit event of each way a support task closes.
_SUPPORT_TASK_CLOSED = {
    SupportTaskStatus.DONE: AuditEventType.SUPPORT_TASK_DONE,
    SupportTaskStatus.CANCELLED: AuditEventType.SUPPORT_TASK_CANCELLED,
}


def _close_task(*, actor: User, task: SupportTask, status: str, text: str) -> SupportTask:
    require_perm(actor, "caregiving.manage_support_tasks", task.patient)
    return _close_task_checked(actor=actor, task=task, status=status, text=text)


def _close_task_checked(*, actor: User, task: SupportTask, status: str, text: str) -> SupportTask:
    text = _text(text)
    field = "outcome" if status == SupportTaskStatus.DONE else "reason"
    require(
        bool(text),
        field,
        _("Say what was done.") if status == SupportTaskStatus.DONE else _("Say why."),
    )
    require(len(text) <= MAX_TEXT, field, _("At most 4000 characters."))
    locked = lock(SupportTask, task.pk)
    if not locked.is_open:
        raise InvalidTransition(_("This task is already closed."))
    locked.status = status
    locked.outcome = text
    locked.closed_at = clock.now()
    locked.closed_by = actor
    locked.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=_SUPPORT_TASK_CLOSED[SupportTaskStatus(status)],
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Support task done: %(text)s")
            if status == SupportTaskStatus.DONE
            else gettext_noop("Support task cancelled: %(text)s"),
            text=text[:200],
        ),
        changes={"status": status, "outcome": text},
    )
    return locked


@transaction.atomic
def complete_support_task(*, actor: User, task: SupportTask, outcome: str) -> SupportTask:
    return _close_task(actor=actor, task=task, status=SupportTaskStatus.DONE, text=outcome)


@transaction.atomic
def cancel_support_task(*, actor: User, task: SupportTask, reason: str) -> SupportTask:
    return _close_task(actor=actor, task=task, status=SupportTaskStatus.CANCELLED, text=reason)


# --- Counselling and social-work contacts -----------------------------------------


def contact_kinds_for(user: Any) -> list[str]:
    """The kinds of contact ``user``'s discipline records."""
    discipline = getattr(user, "discipline", "")
    return [kind for kind, owner in CONTACT_DISCIPLINE.items() if owner == discipline]


@transaction.atomic
def record_support_contact(
    *,
    actor: User,
    patient: Patient,
    kind: str,
    mode: str,
    occurred_at: datetime | None,
    outcome: str,
    relatives: Iterable[CaregiverLink] = (),
    others_present: str = "",
    duration_minutes: int | None = None,
    next_step: str = "",
    next_contact_on: date | None = None,
) -> SupportContact:
    """A counselling session (psychologists only) or a social-work action
    (social workers only) with one or more relatives."""
    if kind not in ContactKind.values:
        message = _("Not a known kind of contact.")
        raise ValidationFailed(message, field_errors={"kind": [message]})
    discipline = CONTACT_DISCIPLINE[kind]
    if discipline == Discipline.PSYCHOLOGIST:
        require_perm(
            actor,
            "caregiving.record_counselling",
            patient,
            _("Counselling sessions are recorded by the psychologist on the team."),
        )
    else:
        require_perm(
            actor,
            "caregiving.record_social_work",
            patient,
            _("Social-work actions are recorded by the social worker on the team."),
        )
    errors = Errors()
    if mode not in ContactMode.values:
        errors.add("mode", _("Choose how the contact took place."))
    now = clock.now()
    if occurred_at is None:
        errors.add("occurred_at", _("Required."))
    elif timezone.is_naive(occurred_at):
        errors.add("occurred_at", _("Give the time with its time zone."))
    elif occurred_at > now + CLOCK_SKEW:
        errors.add("occurred_at", _("Cannot be in the future."))
    people = list(relatives or [])
    for link in people:
        if link.patient_id != patient.pk:
            errors.add("relative_ids", _("Choose relatives of this patient."))
            break
    others_present = _text(others_present)
    if len(others_present) > 200:
        errors.add("others_present", _("At most 200 characters."))
    if not people and not others_present:
        errors.add("relative_ids", _("Say which relatives took part."))
    outcome = _text(outcome)
    if not outcome:
        errors.add("outcome", _("Say what came of it."))
    elif len(outcome) > MAX_TEXT:
        errors.add("outcome", _("At most 4000 characters."))
    next_step = _text(next_step)
    if len(next_step) > MAX_TEXT:
        errors.add("next_step", _("At most 4000 characters."))
    if duration_minutes is not None and not 1 <= int(duration_minutes) <= 600:
        errors.add("duration_minutes", _("Between 1 and 600 minutes."))
    if (
        next_contact_on is not None
        and occurred_at is not None
        and not timezone.is_naive(occurred_at)
        and next_contact_on < timezone.localdate(occurred_at)
    ):
        errors.add("next_contact_on", _("Cannot be before this contact."))
    errors.raise_if_any()
    assert occurred_at is not None
    contact = SupportContact.objects.create(
        patient=patient,
        kind=kind,
        discipline=discipline,
        mode=mode,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        others_present=others_present,
        outcome=outcome,
        next_step=next_step,
        next_contact_on=next_contact_on,
        recorded_by=actor,
        recorded_at=now,
    )
    if people:
        contact.relatives.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.SUPPORT_CONTACT_RECORDED,
        patient=patient,
        obj=contact,
        summary=messages.text(
            gettext_noop("%(kind)s with %(who)s"),
            kind=ContactKind(kind).label,
            who=", ".join([link.user.display_name for link in people] + [others_present]).strip(
                ", "
            ),
        ),
        changes={"kind": kind, "next_contact_on": next_contact_on},
    )
    return contact


@transaction.atomic
def mark_contact_entered_in_error(
    *, actor: User, contact: SupportContact, reason: str
) -> SupportContact:
    """Only the person who wrote a contact marks it wrong; it stays, marked."""
    require_perm(actor, "caregiving.view_family_support", contact.patient)
    if contact.recorded_by_id != actor.pk:
        raise NotAllowed(_("Only the person who recorded this contact can mark it wrong."))
    reason = _text(reason)
    require(bool(reason), "reason", _("Say why it is wrong."))
    locked = SupportContact.objects.select_for_update().get(pk=contact.pk)
    if locked.entered_in_error_at is not None:
        raise Conflict(_("Already marked as entered in error."))
    locked.entered_in_error_at = clock.now()
    locked.entered_in_error_by = actor
    locked.entered_in_error_reason = reason[:MAX_TEXT]
    locked.save(
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.SUPPORT_CONTACT_ENTERED_IN_ERROR,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Support contact marked as entered in error: %(reason)s"), reason=reason
        ),
    )
    return locked


# --- Respite ------------------------------------------------------------------------


@transaction.atomic
def request_respite(
    *,
    actor: User,
    patient: Patient,
    kind: str,
    wanted_from: date | None,
    wanted_to: date | None,
    reason: str = "",
    caregiver: CaregiverLink | None = None,
) -> RespiteRequest:
    """The family asks for a break (from the portal), or the team asks for them."""
    require_perm(
        actor,
        "caregiving.request_respite",
        patient,
        _("Respite is asked for by the family or by the team caring for them."),
    )
    if not patient.is_receiving_care:
        raise InvalidTransition(_("Respite is arranged only while the person is in home care."))
    errors = Errors()
    if kind not in RespiteKind.values:
        errors.add("kind", _("Choose the kind of respite."))
    if actor.kind == UserKind.FAMILY:
        caregiver = CaregiverLink.objects.filter(
            user=actor, patient=patient, ended_at__isnull=True
        ).first()
    elif caregiver is not None:
        _carer_of(patient, caregiver, errors, "caregiver_id")
    today = clock.today()
    if wanted_from is None:
        errors.add("wanted_from", _("Required."))
    elif wanted_from < today:
        errors.add("wanted_from", _("Cannot be in the past."))
    if wanted_to is None:
        errors.add("wanted_to", _("Required."))
    elif wanted_from is not None and wanted_to < wanted_from:
        errors.add("wanted_to", _("Must be on or after the first day."))
    reason = _text(reason)
    if len(reason) > MAX_TEXT:
        errors.add("reason", _("At most 4000 characters."))
    errors.raise_if_any()
    assert wanted_from is not None and wanted_to is not None
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    if RespiteRequest.objects.filter(
        patient=patient,
        kind=kind,
        wanted_from=wanted_from,
        wanted_to=wanted_to,
        status__in=(RespiteStatus.REQUESTED, RespiteStatus.BOOKED),
    ).exists():
        raise Conflict(_("This respite has already been asked for; the coordinator will reply."))
    respite = RespiteRequest.objects.create(
        patient=patient,
        caregiver=caregiver,
        kind=kind,
        wanted_from=wanted_from,
        wanted_to=wanted_to,
        reason=reason,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.RESPITE_REQUESTED,
        patient=patient,
        obj=respite,
        summary=messages.text(
            gettext_noop("Respite asked for: %(kind)s, %(days)s"),
            kind=RespiteKind(kind).label,
            days=messages.day_range(wanted_from, wanted_to),
        ),
        changes={"kind": kind, "wanted_from": wanted_from, "wanted_to": wanted_to},
    )
    return respite


def _status_refusal(respite: RespiteRequest) -> InvalidTransition:
    return InvalidTransition(
        _("This respite is %(status)s.") % {"status": respite.get_status_display().lower()}
    )


@transaction.atomic
def book_respite(
    *,
    actor: User,
    respite: RespiteRequest,
    booked_from: datetime | None,
    booked_to: datetime | None,
    volunteer: User | None = None,
    place: str = "",
    note: str = "",
) -> RespiteRequest:
    """The coordinator books it: a volunteer (discipline volunteer) for
    sitting, a place for inpatient or day respite, from–to."""
    require_perm(
        actor, "caregiving.book_respite", respite.patient, _("The care coordinator books respite.")
    )
    locked = lock(RespiteRequest, respite.pk, of=("self",))
    if locked.status != RespiteStatus.REQUESTED:
        raise _status_refusal(locked)
    errors = Errors()
    place = _text(place)
    if volunteer is not None and not (
        access.is_staff(volunteer) and volunteer.discipline == Discipline.VOLUNTEER
    ):
        errors.add("volunteer_id", _("Choose one of the service's volunteers."))
    if locked.kind == RespiteKind.VOLUNTEER_SITTING and volunteer is None:
        errors.add("volunteer_id", _("Choose the volunteer who will sit with the patient."))
    if locked.kind != RespiteKind.VOLUNTEER_SITTING and not place:
        errors.add("place", _("Say where the respite will be."))
    if len(place) > 200:
        errors.add("place", _("At most 200 characters."))
    for field, value in (("booked_from", booked_from), ("booked_to", booked_to)):
        if value is None:
            errors.add(field, _("Required."))
        elif timezone.is_naive(value):
            errors.add(field, _("Give the time with its time zone."))
    if not errors.by_field:
        assert booked_from is not None and booked_to is not None
        if booked_to <= booked_from:
            errors.add("booked_to", _("Must be after the start."))
        elif booked_to <= clock.now():
            errors.add("booked_to", _("This time has already passed."))
    note = _text(note)
    if len(note) > MAX_TEXT:
        errors.add("note", _("At most 4000 characters."))
    errors.raise_if_any()
    if (
        volunteer is not None
        and RespiteRequest.objects.filter(
            volunteer=volunteer,
            status=RespiteStatus.BOOKED,
            booked_from__lt=booked_to,
            booked_to__gt=booked_from,
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise Conflict(
            _("%(name)s is already booked for respite at that time.")
            % {"name": volunteer.display_name},
            field_errors={"volunteer_id": [_("Already booked at that time.")]},
        )
    locked.status = RespiteStatus.BOOKED
    locked.volunteer = volunteer
    locked.place = place
    locked.booked_from = booked_from
    locked.booked_to = booked_to
    locked.booking_note = note
    locked.booked_at = clock.now()
    locked.booked_by = actor
    locked.save(
        update_fields=[
            "status",
            "volunteer",
            "place",
            "booked_from",
            "booked_to",
            "booking_note",
            "booked_at",
            "booked_by",
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.RESPITE_BOOKED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Respite booked: %(who)s"), who=locked.provider_label),
        changes={
            "volunteer": volunteer,
            "place": place,
            "booked_from": booked_from,
            "booked_to": booked_to,
        },
    )
    return locked


@transaction.atomic
def complete_respite(*, actor: User, respite: RespiteRequest, note: str = "") -> RespiteRequest:
    require_perm(
        actor, "caregiving.book_respite", respite.patient, _("The care coordinator records this.")
    )
    locked = lock(RespiteRequest, respite.pk, of=("self",))
    if locked.status != RespiteStatus.BOOKED:
        raise _status_refusal(locked)
    assert locked.booked_from is not None
    if clock.now() < locked.booked_from:
        raise InvalidTransition(_("This respite has not started yet."))
    locked.status = RespiteStatus.COMPLETED
    locked.completed_at = clock.now()
    locked.completed_by = actor
    locked.completion_note = _text(note)[:MAX_TEXT]
    locked.save(update_fields=["status", "completed_at", "completed_by", "completion_note"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.RESPITE_COMPLETED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Respite took place")),
        changes={"note": locked.completion_note},
    )
    return locked


#: The audit event of each way a respite request closes before it takes place.
_RESPITE_CLOSED = {
    RespiteStatus.DECLINED: AuditEventType.RESPITE_DECLINED,
    RespiteStatus.CANCELLED: AuditEventType.RESPITE_CANCELLED,
}


def _close_respite(
    *, actor: User, respite: RespiteRequest, status: str, reason: str | messages.Message
) -> RespiteRequest:
    """``reason`` as typed, or the service's own words as a ``Message`` (the end
    of home care): the audit event quotes it as a key, read in each reader's
    language; ``close_reason`` keeps its text in the service's language."""
    if isinstance(reason, messages.Message):
        said = reason.in_language(settings.LANGUAGE_CODE)
    else:
        reason = said = _text(reason)
        require(bool(reason), "reason", _("Say why."))
        require(len(reason) <= MAX_TEXT, "reason", _("At most 4000 characters."))
    locked = lock(RespiteRequest, respite.pk, of=("self",))
    if locked.status not in (RespiteStatus.REQUESTED, RespiteStatus.BOOKED):
        raise _status_refusal(locked)
    previous = locked.status
    locked.status = status
    locked.closed_at = clock.now()
    locked.closed_by = actor
    locked.close_reason = said
    locked.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=_RESPITE_CLOSED[RespiteStatus(status)],
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Respite declined: %(reason)s")
            if status == RespiteStatus.DECLINED
            else gettext_noop("Respite cancelled: %(reason)s"),
            reason=reason if isinstance(reason, messages.Message) else reason[:200],
        ),
        changes={"status": {"from": previous, "to": status}, "reason": said},
    )
    return locked


@transaction.atomic
def decline_respite(*, actor: User, respite: RespiteRequest, reason: str) -> RespiteRequest:
    require_perm(
        actor, "caregiving.book_respite", respite.patient, _("The care coordinator decides this.")
    )
    return _close_respite(
        actor=actor, respite=respite, status=RespiteStatus.DECLINED, reason=reason
    )


@transaction.atomic
def cancel_respite(*, actor: User, respite: RespiteRequest, reason: str) -> RespiteRequest:
    require_perm(
        actor,
        "caregiving.cancel_respite",
        respite.patient,
        _("Respite is cancelled by the family or the team caring for them."),
    )
    return _close_respite(
        actor=actor, respite=respite, status=RespiteStatus.CANCELLED, reason=reason
    )


# --- The end of home care ----------------------------------------------------------


def end_support_at_care_end(*, actor: User, episode: Any, summary: CareEndSummary) -> None:
    """Home care ended (``patients.signals.home_care_ended``, in that
    transaction; no permission check: recording the death or the discharge
    was checked). Decided per kind (settings, documented defaults):

    - open carer support tasks (strain) are cancelled with the reason: after a
      death the bereavement plan (``bereavement`` app) follows the family
      instead; after a discharge the service that takes over does;
    - respite asked for or booked is cancelled: it is a break from caring for
      the person at home, which has ended;
    - counselling and social-work contacts are records, not tasks: kept.

    Idempotent: only what is still open is closed."""
    died = ended_by_death(episode)
    reason = care_end_reason(episode)
    patient = episode.patient
    end_tasks = (
        settings.HEARTH_CARE_END_CARER_SUPPORT_AFTER_DEATH
        if died
        else settings.HEARTH_CARE_END_CARER_SUPPORT_AFTER_DISCHARGE
    )
    if end_tasks:
        why = reason
        if died:
            with translation.override(settings.LANGUAGE_CODE):
                why += " " + _("The bereavement plan follows the family.")
        for task in SupportTask.objects.open().filter(patient=patient).order_by("pk"):
            closed = _close_task_checked(
                actor=actor, task=task, status=SupportTaskStatus.CANCELLED, text=why
            )
            summary.add(
                "support_task_cancelled",
                _("Carer support task cancelled (%(carer)s).")
                % {"carer": closed.caregiver.user.display_name},
            )
    if settings.HEARTH_CARE_END_CANCEL_RESPITE:
        for respite in RespiteRequest.objects.filter(
            patient=patient, status__in=OPEN_RESPITE
        ).order_by("pk"):
            _close_respite(
                actor=actor,
                respite=respite,
                status=RespiteStatus.CANCELLED,
                reason=care_end_reason_message(episode),
            )
            summary.add(
                "respite_cancelled",
                _("Respite cancelled: %(kind)s.") % {"kind": respite.get_kind_display().lower()},
            )
