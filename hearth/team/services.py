"""Every change in the team's own support: training records and mandatory
courses, reminders, wellbeing check-ins and debriefs after a death.

Each function checks the rules first, validates naming the field, writes in
one transaction and leaves an audit event. Staff records are audited without a
patient; a debrief is audited with its patient. A wellbeing check-in is
audited as "submitted" only: its answers never reach the audit trail.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm, unknown_keys
from hearth.patients.models import Episode, Patient
from hearth.team.choices import (
    DISCIPLINE_GROUP,
    ComplianceState,
    ReminderKind,
    WellbeingGroup,
    WellbeingItem,
)
from hearth.team.models import (
    MAX_TRAINING_HOURS,
    RENEW_MONTHS_RANGE,
    Debrief,
    MandatoryCourse,
    TrainingRecord,
    TrainingReminder,
    WellbeingCheckIn,
)

logger = logging.getLogger("hearth.team")

#: Earliest completion date accepted (catches a mistyped year).
EARLIEST_TRAINING = date(1970, 1, 1)
TEXT_LIMIT = 10_000
MAX_ATTENDEES = 60


# --- Shared helpers --------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_active_staff(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.kind == UserKind.STAFF)


def _text(value: Any, field: str, errors: Errors, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors.add(field, _("Required."))
    elif len(text) > limit:
        errors.add(field, _("At most %(limit)s characters.") % {"limit": limit})
    return text


def _date(value: Any, field: str, errors: Errors, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Required."))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Give a date as YYYY-MM-DD."))
        return None


# --- Mandatory courses -------------------------------------------------------------


def _course_fields(data: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "title" in data:
        values["title"] = _text(data["title"], "title", errors, required=True, limit=150)
    if "description" in data:
        values["description"] = _text(
            data["description"], "description", errors, required=False, limit=TEXT_LIMIT
        )
    if "renew_every_months" in data:
        months = data["renew_every_months"]
        low, high = RENEW_MONTHS_RANGE
        if not isinstance(months, int) or isinstance(months, bool) or not low <= months <= high:
            errors.add(
                "renew_every_months",
                _("Give a whole number of months from %(low)s to %(high)s.")
                % {"low": low, "high": high},
            )
        else:
            values["renew_every_months"] = months
    if "disciplines" in data:
        chosen = [str(item) for item in (data["disciplines"] or [])]
        unknown = [item for item in chosen if item not in Discipline.values]
        if unknown:
            errors.add(
                "disciplines", _("Not a discipline: %(values)s.") % {"values": ", ".join(unknown)}
            )
        elif not chosen:
            errors.add("disciplines", _("Choose at least one discipline that must hold it."))
        values["disciplines"] = list(dict.fromkeys(chosen))
    if "is_active" in data:
        values["is_active"] = bool(data["is_active"])
    return values


def _title_taken(title: str, course: MandatoryCourse | None = None) -> bool:
    found = MandatoryCourse.objects.filter(title__iexact=title)
    if course is not None:
        found = found.exclude(pk=course.pk)
    return found.exists()


@transaction.atomic
def create_mandatory_course(
    *,
    actor: User,
    title: str,
    renew_every_months: int,
    disciplines: Sequence[str],
    description: str = "",
) -> MandatoryCourse:
    require_perm(
        actor,
        "team.manage_mandatory_courses",
        message=_(
            "Only the administrator or the clinical lead keeps the list of mandatory courses."
        ),
    )
    errors = Errors()
    values = _course_fields(
        {
            "title": title,
            "renew_every_months": renew_every_months,
            "disciplines": disciplines,
            "description": description,
        },
        errors,
    )
    if values.get("title") and _title_taken(values["title"]):
        errors.add("title", _("There is already a mandatory course with this title."))
    errors.raise_if_any()
    course = MandatoryCourse.objects.create(created_by=actor, **values)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.MANDATORY_COURSE_CREATED,
        obj=course,
        summary=messages.text(
            gettext_noop("Mandatory course added: %(title)s"), title=course.title
        ),
        changes=values,
    )
    return course


COURSE_FIELDS = ("title", "description", "renew_every_months", "disciplines", "is_active")


@transaction.atomic
def update_mandatory_course(
    *, actor: User, course: MandatoryCourse, changes: Mapping[str, Any]
) -> MandatoryCourse:
    """Change or retire a course (``is_active=False``); courses are never deleted,
    because training records point at them."""
    require_perm(
        actor,
        "team.manage_mandatory_courses",
        message=_(
            "Only the administrator or the clinical lead keeps the list of mandatory courses."
        ),
    )
    course = MandatoryCourse.objects.select_for_update().get(pk=course.pk)
    errors = Errors()
    unknown_keys(changes, COURSE_FIELDS, errors)
    values = _course_fields(changes, errors)
    if values.get("title") and _title_taken(values["title"], course):
        errors.add("title", _("There is already a mandatory course with this title."))
    errors.raise_if_any()
    before = {field: getattr(course, field) for field in values}
    for field, value in values.items():
        setattr(course, field, value)
    course.updated_at = clock.now()
    course.save(update_fields=[*values, "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.MANDATORY_COURSE_CHANGED,
        obj=course,
        summary=messages.text(
            gettext_noop("Mandatory course changed: %(title)s"), title=course.title
        ),
        changes=audit.diff(before, values),
    )
    return course


# --- Training records ----------------------------------------------------------------


@transaction.atomic
def record_training(
    *,
    actor: User,
    staff: User,
    course_title: str,
    provider: str,
    hours: Decimal | float | int | str,
    completed_on: date | str | None,
    expires_on: date | str | None = None,
    mandatory_course: MandatoryCourse | None = None,
) -> TrainingRecord:
    """A course completed by ``staff``. Linked to a mandatory course, it renews
    it; without an expiry date it expires after the course's renewal interval."""
    require_perm(
        actor,
        "team.record_training",
        staff,
        _(
            "You may record your own training only; the administrator, the "
            "clinical lead or the coordinator records anyone's."
        ),
    )
    errors = Errors()
    if not is_active_staff(staff):
        errors.add("staff", _("Training is recorded for active members of staff."))
    if mandatory_course is not None and not mandatory_course.is_active:
        errors.add("mandatory_course", _("This mandatory course is no longer in use."))
    title = _text(
        course_title or (mandatory_course.title if mandatory_course else ""),
        "course_title",
        errors,
        required=True,
        limit=200,
    )
    provider_text = _text(provider, "provider", errors, required=True, limit=200)
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.add("hours", _("Give the hours as a number, e.g. 7.5."))
        amount = Decimal(0)
    else:
        if not amount.is_finite() or amount <= 0:
            errors.add("hours", _("Hours must be more than zero."))
        elif amount > MAX_TRAINING_HOURS:
            errors.add(
                "hours",
                _("At most %(max)s hours for one course; check the number.")
                % {"max": MAX_TRAINING_HOURS},
            )
    completed = _date(completed_on, "completed_on", errors, required=True)
    expires = _date(expires_on, "expires_on", errors, required=False)
    if completed is not None:
        if completed > clock.today():
            errors.add("completed_on", _("The completion date cannot be in the future."))
        elif completed < EARLIEST_TRAINING:
            errors.add("completed_on", _("Check the year of completion."))
        if expires is None and mandatory_course is not None and mandatory_course.is_active:
            expires = add_months(completed, mandatory_course.renew_every_months)
        if expires is not None and expires <= completed:
            errors.add("expires_on", _("The expiry date must be after the completion date."))
    errors.raise_if_any()
    assert completed is not None
    record = TrainingRecord.objects.create(
        staff=staff,
        mandatory_course=mandatory_course,
        course_title=title,
        provider=provider_text,
        hours=amount,
        completed_on=completed,
        expires_on=expires,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.TRAINING_RECORDED,
        obj=record,
        summary=messages.text(
            gettext_noop("Training recorded for %(name)s: %(course)s"),
            name=staff.display_name,
            course=title,
        ),
        changes={
            "staff": staff,
            "course_title": title,
            "mandatory_course": mandatory_course,
            "hours": amount,
            "completed_on": completed,
            "expires_on": expires,
        },
    )
    return record


@transaction.atomic
def withdraw_training(*, actor: User, record: TrainingRecord, reason: str) -> TrainingRecord:
    """Entered in error: the record stays, marked withdrawn, and no longer counts."""
    require_perm(actor, "team.withdraw_training", record)
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    errors = Errors()
    text = _text(reason, "reason", errors, required=True, limit=300)
    errors.raise_if_any()
    if record.withdrawn_at is not None:
        raise InvalidTransition(_("This training record was already withdrawn."))
    record.withdrawn_at = clock.now()
    record.withdrawn_by = actor
    record.withdrawn_reason = text
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.TRAINING_WITHDRAWN,
        obj=record,
        summary=messages.text(
            gettext_noop("Training record withdrawn: %(course)s"), course=record.course_title
        ),
        changes={"reason": text},
    )
    return record


# --- Reminders -----------------------------------------------------------------------


def _reminder_kind(state: str) -> str | None:
    kinds: dict[str, str] = {
        ComplianceState.EXPIRING: ReminderKind.EXPIRING,
        ComplianceState.EXPIRED: ReminderKind.EXPIRED,
        ComplianceState.MISSING: ReminderKind.MISSING,
    }
    return kinds.get(state)


def send_training_reminders(
    *, actor: User | None = None, today: date | None = None
) -> list[TrainingReminder]:
    """Create the in-app reminders that are due: a mandatory course expiring
    within ``HEARTH_TRAINING_REMINDER_DAYS``, expired, or never recorded.

    One reminder per person, course and expiry date, never twice (a database
    constraint, so two runs at once cannot both write it). ``actor=None`` is the
    system (the task and the management command); a person must be allowed to
    run it. No e-mail server is configured: the reminder is a row shown on the
    person's own page and a log line, nothing is sent.
    """
    from hearth.team import queries

    if actor is not None:
        require_perm(actor, "team.send_training_reminders")
    created: list[TrainingReminder] = []
    for row in queries.compliance(today=today):
        for cell in row.courses:
            kind = _reminder_kind(cell.state)
            if kind is None:
                continue
            reminder = _remind(actor, row.staff, cell, kind)
            if reminder is not None:
                created.append(reminder)
    return created


def _remind(actor: User | None, staff: User, cell: Any, kind: str) -> TrainingReminder | None:
    expires = cell.record.expires_on if cell.record is not None else None
    exists = TrainingReminder.objects.filter(staff=staff, course=cell.course, expires_on=expires)
    if exists.exists():
        return None
    try:
        with transaction.atomic():
            reminder = TrainingReminder.objects.create(
                staff=staff,
                course=cell.course,
                training_record=cell.record,
                kind=kind,
                expires_on=expires,
            )
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                event_type=AuditEventType.TRAINING_REMINDER_CREATED,
                obj=reminder,
                summary=messages.text(
                    gettext_noop("Training reminder for %(name)s: %(course)s (%(kind)s)"),
                    name=staff.display_name,
                    course=cell.course.title,
                    kind=ReminderKind(kind).label,
                ),
                changes={
                    "staff": staff,
                    "course": cell.course,
                    "expires_on": expires,
                    "kind": kind,
                },
            )
    except IntegrityError:  # another run wrote it a moment ago
        return None
    logger.info(
        "Training reminder (in-app only, no e-mail sent): %s, %s, %s, expires %s",
        staff.get_username(),
        cell.course.title,
        kind,
        expires,
    )
    return reminder


@transaction.atomic
def dismiss_reminder(*, actor: User, reminder: TrainingReminder) -> TrainingReminder:
    require_perm(actor, "team.dismiss_reminder", reminder)
    reminder = TrainingReminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.dismissed_at is not None:
        return reminder
    reminder.dismissed_at = clock.now()
    reminder.save(update_fields=["dismissed_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.TRAINING_REMINDER_DISMISSED,
        obj=reminder,
        summary=messages.text(
            gettext_noop("Training reminder put away: %(course)s"), course=reminder.course.title
        ),
    )
    return reminder


# --- Wellbeing -----------------------------------------------------------------------

WELLBEING_ITEMS: tuple[str, ...] = tuple(WellbeingItem.values)


def month_of(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def submit_wellbeing_check_in(*, actor: User, **answers: Any) -> WellbeingCheckIn:
    """The actor's own check-in for this month (one a month; optional).

    The audit event records that a check-in was submitted, by whom and when:
    never the answers.
    """
    require_perm(actor, "team.submit_wellbeing_check_in")
    errors = Errors()
    unknown_keys(answers, WELLBEING_ITEMS, errors)
    values: dict[str, int] = {}
    for item in WELLBEING_ITEMS:
        value = answers.get(item)
        if value is None or value == "":
            errors.add(item, _("Choose an answer from 1 to 5."))
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors.add(item, _("Choose an answer from 1 to 5."))
            continue
        try:
            number = int(value)
        except ValueError:
            errors.add(item, _("Choose an answer from 1 to 5."))
            continue
        if not 1 <= number <= 5:
            errors.add(item, _("Choose an answer from 1 to 5."))
            continue
        values[item] = number
    errors.raise_if_any()
    period = month_of(clock.today())
    already = _("You have already checked in this month. Thank you; the next one opens next month.")
    if WellbeingCheckIn.objects.filter(staff=actor, period=period).exists():
        raise Conflict(already)
    try:
        with transaction.atomic():
            check_in = WellbeingCheckIn.objects.create(
                staff=actor,
                period=period,
                group=DISCIPLINE_GROUP.get(actor.discipline, WellbeingGroup.SUPPORT),
                **values,
            )
    except IntegrityError as error:
        raise Conflict(already) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.WELLBEING_SUBMITTED,
        summary=messages.text(gettext_noop("Submitted a wellbeing check-in")),
    )
    return check_in


# --- Debriefs ------------------------------------------------------------------------


def _staff_list(people: Iterable[Any], errors: Errors, field: str) -> list[User]:
    found: list[User] = []
    for person in people:
        if not is_active_staff(person):
            errors.add(field, _("Only active members of staff can be named here."))
            continue
        if person not in found:
            found.append(person)
    return found


@transaction.atomic
def record_debrief(
    *,
    actor: User,
    patient: Patient,
    held_on: date | str | None,
    facilitator: User | None,
    attendees: Iterable[User],
    went_well: str,
    could_be_better: str,
    actions: str = "",
) -> Debrief:
    """The team's debrief after ``patient`` died: by someone on their team (or
    the coordinator or clinical lead). One current debrief per death."""
    require_perm(
        actor,
        "team.record_debrief",
        patient,
        _("A debrief is recorded by the patient's team, the coordinator or the clinical lead."),
    )
    episode = patient.death_episode()
    if episode is None:
        raise InvalidTransition(_("A debrief is recorded after a patient's death."))
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    errors = Errors()
    day = _date(held_on, "held_on", errors, required=True)
    assert episode.died_at is not None
    died_on = timezone.localdate(episode.died_at)
    if day is not None:
        if day < died_on:
            errors.add("held_on", _("A debrief is held after the death, not before it."))
        elif day > clock.today():
            errors.add("held_on", _("The date cannot be in the future."))
    if facilitator is None:
        errors.add("facilitator", _("Required."))
    elif not is_active_staff(facilitator):
        errors.add("facilitator", _("Only active members of staff can be named here."))
    people = _staff_list(attendees, errors, "attendees")
    if not people and "attendees" not in errors.by_field:
        errors.add("attendees", _("Name at least one person who took part."))
    if len(people) > MAX_ATTENDEES:
        errors.add("attendees", _("At most %(n)s people.") % {"n": MAX_ATTENDEES})
    well = _text(went_well, "went_well", errors, required=True, limit=TEXT_LIMIT)
    better = _text(could_be_better, "could_be_better", errors, required=True, limit=TEXT_LIMIT)
    agreed = _text(actions, "actions", errors, required=False, limit=TEXT_LIMIT)
    errors.raise_if_any()
    assert day is not None and facilitator is not None
    if Debrief.objects.current().filter(episode=episode).exists():
        raise Conflict(
            _(
                "There is already a debrief for this death. "
                "Withdraw it first if it was entered in error."
            )
        )
    debrief = Debrief.objects.create(
        patient=patient,
        episode=episode,
        held_on=day,
        facilitator=facilitator,
        went_well=well,
        could_be_better=better,
        actions=agreed,
        recorded_by=actor,
    )
    debrief.attendees.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.DEBRIEF_RECORDED,
        patient=patient,
        obj=debrief,
        summary=messages.text(
            gettext_noop("Team debrief after the death recorded (held %(day)s)"), day=day
        ),
        changes={
            "held_on": day,
            "facilitator": facilitator,
            "attendees": [person.external_id for person in people],
        },
    )
    return debrief


@transaction.atomic
def withdraw_debrief(*, actor: User, debrief: Debrief, reason: str) -> Debrief:
    require_perm(actor, "team.record_debrief", debrief.patient)
    debrief = (
        Debrief.objects.select_for_update(of=("self",)).select_related("patient").get(pk=debrief.pk)
    )
    errors = Errors()
    text = _text(reason, "reason", errors, required=True, limit=300)
    errors.raise_if_any()
    if debrief.withdrawn_at is not None:
        raise InvalidTransition(_("This debrief was already withdrawn."))
    debrief.withdrawn_at = clock.now()
    debrief.withdrawn_by = actor
    debrief.withdrawn_reason = text
    debrief.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DEBRIEF_WITHDRAWN,
        patient=debrief.patient,
        obj=debrief,
        summary=messages.text(gettext_noop("Team debrief withdrawn as entered in error")),
        changes={"reason": text},
    )
    return debrief


def reminder_days() -> int:
    return int(settings.HEARTH_TRAINING_REMINDER_DAYS)
