"""Every change to volunteers: profiles, vetting, training, availability and
assignments to families.

Each function: keyword-only arguments with the acting user first; one
transaction; the permission check first; validation that names the field; the
write; an audit event. Pages and the API call these and nothing else.

An assignment is proposed, then made active, then ended. It is refused when
the volunteer is not active, their background check (DBS) is not current or
a required training module is missing or expired, or the person is not on
the service. Making it active puts the volunteer on the person's care team
(role "volunteer", through ``patients.services.assign_to_care_team`` in the
same transaction) so they can read that person's volunteer brief and no
other (never the clinical record: ``patients.access``); ending the last
active assignment ends that care-team place, if an assignment created it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import Discipline, User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm, unknown_keys
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind
from hearth.patients import services as patient_services
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import CareTeamAssignment, Patient
from hearth.patients.signals import CareEndSummary, ended_by_death
from hearth.volunteers.choices import (
    Activity,
    AssignmentStatus,
    EndReason,
    TrainingModule,
    VolunteerStatus,
    Weekday,
    required_modules,
)
from hearth.volunteers.models import (
    UnavailablePeriod,
    VolunteerAssignment,
    VolunteerProfile,
    VolunteerTraining,
    WeeklySlot,
)

MANAGE = "volunteers.manage_volunteers"
ASSIGN = "volunteers.assign_volunteers"
AVAILABILITY = "volunteers.manage_availability"
PROFILE_FIELDS = (
    "started_on",
    "offers",
    "area",
    "vetting_checked_on",
    "vetting_expires_on",
    "notes",
)
#: Episode states in which each kind of assignment may be made.
SERVICE_STATES: dict[str, tuple[str, ...]] = {
    Activity.BEREAVEMENT_BEFRIENDING: (EpisodeState.DECEASED, EpisodeState.BEREAVEMENT),
}
DEFAULT_SERVICE_STATES: tuple[str, ...] = (EpisodeState.ACTIVE,)


def _only_coordinator() -> str:
    return _("Only the coordinator manages volunteers.")


def _day(value: date) -> str:
    return date_format(value, "j M Y")


# --- Eligibility ---------------------------------------------------------------------


def current_training(
    profile: VolunteerProfile,
    on: date,
    records: Iterable[VolunteerTraining] | None = None,
) -> set[str]:
    """Modules the volunteer holds in date on ``on``. Pass ``records`` (the
    profile's prefetched training) to avoid a query per volunteer."""
    if records is None:
        records = profile.training.current()
    return {record.module for record in records if record.current_on(on)}


def missing_modules(
    profile: VolunteerProfile,
    *,
    kind: str | None = None,
    on: date | None = None,
    records: Iterable[VolunteerTraining] | None = None,
) -> list[str]:
    """Required modules (for any assignment, or for ``kind``) not held on ``on``."""
    held = current_training(profile, on or clock.today(), records)
    return [module for module in required_modules(kind) if module not in held]


def eligibility_problems(
    profile: VolunteerProfile,
    *,
    kind: str | None = None,
    on: date | None = None,
    records: Iterable[VolunteerTraining] | None = None,
) -> list[str]:
    """Why the volunteer may not be assigned (empty when they may), each in
    words the coordinator can act on."""
    on = on or clock.today()
    name = profile.volunteer.display_name
    problems: list[str] = []
    if profile.status != VolunteerStatus.ACTIVE or not profile.volunteer.is_hearth_staff:
        problems.append(
            _("%(name)s is not an active volunteer (%(status)s).")
            % {"name": name, "status": profile.get_status_display().lower()}
        )
    if profile.vetting_checked_on is None or profile.vetting_expires_on is None:
        problems.append(
            _("%(name)s has no background check (DBS) recorded with its renewal date.")
            % {"name": name}
        )
    elif profile.vetting_checked_on > on:
        problems.append(
            _("%(name)s's background check is dated %(date)s, after %(on)s.")
            % {"name": name, "date": _day(profile.vetting_checked_on), "on": _day(on)}
        )
    elif profile.vetting_expires_on < on:
        problems.append(
            _("%(name)s's background check (DBS) expired on %(date)s.")
            % {"name": name, "date": _day(profile.vetting_expires_on)}
        )
    missing = missing_modules(profile, kind=kind, on=on, records=records)
    if missing:
        problems.append(
            _("%(name)s has not completed (or must renew) this training: %(modules)s.")
            % {
                "name": name,
                "modules": ", ".join(str(TrainingModule(module).label) for module in missing),
            }
        )
    return problems


def patient_problem(patient: Patient, kind: str) -> str | None:
    """Why ``patient`` cannot have a volunteer of ``kind`` now, or None."""
    allowed = SERVICE_STATES.get(kind, DEFAULT_SERVICE_STATES)
    episode = patient.current_episode
    if episode is not None and episode.state in allowed:
        return None
    state = episode.get_state_display().lower() if episode else _("not referred")
    if kind == Activity.BEREAVEMENT_BEFRIENDING:
        return _(
            "Befriending after a death is for families in bereavement follow-up; "
            "%(name)s's care is %(state)s."
        ) % {"name": patient.full_name, "state": state}
    return _("%(name)s is not in active home care (%(state)s).") % {
        "name": patient.full_name,
        "state": state,
    }


def _refuse_if(problems: Sequence[str], field: str = "volunteer") -> None:
    if problems:
        raise ValidationFailed(
            " ".join(problems), code="not_eligible", field_errors={field: list(problems)}
        )


# --- Profiles ----------------------------------------------------------------------


def _check_profile_values(values: Mapping[str, Any], errors: Errors) -> None:
    today = clock.today()
    if "started_on" in values:
        started = values["started_on"]
        if started is None:
            errors.add("started_on", _("Give the date they started."))
        elif started > today:
            errors.add("started_on", _("The start date cannot be in the future."))
    if "offers" in values:
        offers = values["offers"]
        if not isinstance(offers, list | tuple) or any(o not in Activity.values for o in offers):
            errors.add("offers", _("Choose what they offer from the list."))
        elif len(set(offers)) != len(offers):
            errors.add("offers", _("A choice is listed twice."))
    if len(str(values.get("area") or "")) > 300:
        errors.add("area", _("At most 300 characters."))
    checked = values.get("vetting_checked_on")
    expires = values.get("vetting_expires_on")
    if checked is not None and checked > today:
        errors.add("vetting_checked_on", _("The check cannot be dated in the future."))
    if (checked is None) != (expires is None):
        field = "vetting_expires_on" if expires is None else "vetting_checked_on"
        errors.add(field, _("Give both the date of the check and its renewal date."))
    elif checked is not None and expires is not None and expires <= checked:
        errors.add("vetting_expires_on", _("The renewal date is after the date of the check."))


@transaction.atomic
def create_profile(
    *,
    actor: User,
    volunteer: User,
    started_on: date,
    offers: Sequence[str] = (),
    area: str = "",
    vetting_checked_on: date | None = None,
    vetting_expires_on: date | None = None,
    notes: str = "",
) -> VolunteerProfile:
    require_perm(actor, MANAGE, None, _only_coordinator())
    errors = Errors()
    if not volunteer.is_hearth_staff or volunteer.discipline != Discipline.VOLUNTEER:
        errors.add("volunteer", _("Choose an active member of staff whose role is volunteer."))
    values = {
        "started_on": started_on,
        "offers": list(offers),
        "area": (area or "").strip(),
        "vetting_checked_on": vetting_checked_on,
        "vetting_expires_on": vetting_expires_on,
        "notes": (notes or "").strip(),
    }
    _check_profile_values(values, errors)
    errors.raise_if_any()
    if VolunteerProfile.objects.filter(volunteer=volunteer).exists():
        raise Conflict(
            _("%(name)s already has a volunteer profile.") % {"name": volunteer.display_name}
        )
    profile = VolunteerProfile.objects.create(volunteer=volunteer, created_by=actor, **values)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VOLUNTEER_PROFILE_CREATED,
        obj=profile,
        summary=messages.text(
            gettext_noop("Volunteer profile created for %(name)s"), name=volunteer.display_name
        ),
        changes={k: v for k, v in values.items() if k != "notes"},
    )
    return profile


@transaction.atomic
def update_profile(
    *, actor: User, profile: VolunteerProfile, changes: Mapping[str, Any]
) -> VolunteerProfile:
    require_perm(actor, MANAGE, profile, _only_coordinator())
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    errors = Errors()
    unknown_keys(changes, PROFILE_FIELDS, errors)
    values = {key: changes[key] for key in PROFILE_FIELDS if key in changes}
    for key in ("area", "notes"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if "offers" in values:
        values["offers"] = list(values["offers"] or [])
    merged = {
        "vetting_checked_on": profile.vetting_checked_on,
        "vetting_expires_on": profile.vetting_expires_on,
        **values,
    }
    _check_profile_values(merged, errors)
    errors.raise_if_any()
    before = {key: getattr(profile, key) for key in values}
    changed = [key for key, value in values.items() if before[key] != value]
    if not changed:
        return profile
    for key in changed:
        setattr(profile, key, values[key])
    profile.save(update_fields=changed)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VOLUNTEER_PROFILE_CHANGED,
        obj=profile,
        summary=messages.text(
            gettext_noop("Volunteer profile of %(name)s changed"),
            name=profile.volunteer.display_name,
        ),
        changes={key: {"from": before[key], "to": values[key]} for key in changed if key != "notes"}
        | ({"notes": "changed"} if "notes" in changed else {}),
    )
    return profile


@transaction.atomic
def set_status(
    *, actor: User, profile: VolunteerProfile, status: str, note: str = ""
) -> VolunteerProfile:
    """Active, paused or left. A volunteer with open assignments is not paused
    or let go until each is ended or handed over: a family must not be left
    expecting someone who will not come."""
    require_perm(actor, MANAGE, profile, _only_coordinator())
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    if status not in VolunteerStatus.values:
        raise ValidationFailed(
            _("Choose a status."), field_errors={"status": [_("Choose a status.")]}
        )
    if status == profile.status:
        return profile
    if status != VolunteerStatus.ACTIVE:
        still_open = list(
            VolunteerAssignment.objects.open()
            .filter(volunteer=profile.volunteer)
            .select_related("patient")
        )
        if still_open:
            families = ", ".join(
                f"{row.patient.full_name} ({row.get_kind_display().lower()})" for row in still_open
            )
            raise InvalidTransition(
                _("End or hand over these assignments first: %(families)s.")
                % {"families": families},
                code="open_assignments",
            )
    before = profile.status
    profile.status = status
    profile.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VOLUNTEER_STATUS_CHANGED,
        obj=profile,
        summary=messages.text(
            gettext_noop("%(name)s: %(status)s"),
            name=profile.volunteer.display_name,
            status=messages.choice(profile, "status"),
        ),
        changes={"status": {"from": before, "to": status}, "note": (note or "").strip()[:300]},
    )
    return profile


# --- Training ----------------------------------------------------------------------


@transaction.atomic
def record_training(
    *,
    actor: User,
    profile: VolunteerProfile,
    module: str,
    completed_on: date,
    expires_on: date | None = None,
) -> VolunteerTraining:
    require_perm(actor, MANAGE, profile, _only_coordinator())
    errors = Errors()
    if module not in TrainingModule.values:
        errors.add("module", _("Choose a training module."))
    if completed_on is None:
        errors.add("completed_on", _("Give the date it was completed."))
    elif completed_on > clock.today():
        errors.add("completed_on", _("Training cannot be completed in the future."))
    elif expires_on is not None and expires_on <= completed_on:
        errors.add("expires_on", _("The expiry date is after the completion date."))
    errors.raise_if_any()
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    training = VolunteerTraining.objects.create(
        profile=profile,
        module=module,
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VOLUNTEER_TRAINING_RECORDED,
        obj=training,
        summary=messages.text(
            gettext_noop("%(name)s completed %(module)s"),
            name=profile.volunteer.display_name,
            module=messages.choice(training, "module"),
        ),
        changes={"module": module, "completed_on": completed_on, "expires_on": expires_on},
    )
    return training


@transaction.atomic
def withdraw_training(
    *, actor: User, training: VolunteerTraining, reason: str
) -> VolunteerTraining:
    """A training record entered in error: kept, marked withdrawn."""
    require_perm(actor, MANAGE, training.profile, _only_coordinator())
    training = (
        VolunteerTraining.objects.select_for_update(of=("self",))
        .select_related("profile__volunteer")
        .get(pk=training.pk)
    )
    if training.withdrawn_at is not None:
        raise Conflict(_("This training record was already withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the record is withdrawn."), field_errors={"reason": [_("Required.")]}
        )
    training.withdrawn_at = clock.now()
    training.withdrawn_by = actor
    training.withdrawn_reason = reason[:300]
    training.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VOLUNTEER_TRAINING_WITHDRAWN,
        obj=training,
        summary=messages.text(
            gettext_noop("Training record withdrawn: %(module)s"),
            module=messages.choice(training, "module"),
        ),
        changes={"reason": training.withdrawn_reason},
    )
    return training


# --- Availability ------------------------------------------------------------------


def _own_availability() -> str:
    return _("You can change only your own availability.")


@transaction.atomic
def add_weekly_slot(
    *, actor: User, profile: VolunteerProfile, weekday: int, starts_at: time, ends_at: time
) -> WeeklySlot:
    require_perm(actor, AVAILABILITY, profile, _own_availability())
    errors = Errors()
    if weekday not in Weekday.values:
        errors.add("weekday", _("Choose a day of the week."))
    if starts_at is None:
        errors.add("starts_at", _("Give the time you are free from."))
    if ends_at is None:
        errors.add("ends_at", _("Give the time you are free until."))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors.add("ends_at", _("The end is after the start, on the same day."))
    errors.raise_if_any()
    # Two overlapping slots cannot be added at once.
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    for slot in profile.weekly_slots.filter(weekday=weekday):
        if slot.starts_at < ends_at and slot.ends_at > starts_at:
            errors.add(
                "starts_at",
                _("This overlaps %(slot)s; change that one instead.") % {"slot": _slot_text(slot)},
            )
    errors.raise_if_any()
    slot = WeeklySlot.objects.create(
        profile=profile, weekday=weekday, starts_at=starts_at, ends_at=ends_at
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VOLUNTEER_SLOT_ADDED,
        obj=slot,
        summary=messages.text(
            gettext_noop("%(name)s is free %(slot)s"),
            name=profile.volunteer.display_name,
            slot=_slot_text(slot),
        ),
        changes={"weekday": weekday, "starts_at": starts_at, "ends_at": ends_at},
    )
    return slot


def _slot_text(slot: WeeklySlot) -> str:
    return f"{Weekday(slot.weekday).label} {slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"


@transaction.atomic
def remove_weekly_slot(*, actor: User, slot: WeeklySlot) -> None:
    """A weekly slot is a preference, not a record of care: it is removed
    (the audit event keeps what it was)."""
    require_perm(actor, AVAILABILITY, slot.profile, _own_availability())
    text = _slot_text(slot)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VOLUNTEER_SLOT_REMOVED,
        obj=slot,
        summary=messages.text(gettext_noop("No longer free %(slot)s"), slot=text),
        changes={"weekday": slot.weekday, "starts_at": slot.starts_at, "ends_at": slot.ends_at},
    )
    WeeklySlot.objects.filter(pk=slot.pk).delete()


@transaction.atomic
def add_unavailable_period(
    *, actor: User, profile: VolunteerProfile, starts_on: date, ends_on: date, note: str = ""
) -> UnavailablePeriod:
    require_perm(actor, AVAILABILITY, profile, _own_availability())
    errors = Errors()
    if starts_on is None:
        errors.add("starts_on", _("Give the first day away."))
    if ends_on is None:
        errors.add("ends_on", _("Give the last day away."))
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors.add("ends_on", _("The last day away is on or after the first."))
        elif ends_on < clock.today():
            errors.add("ends_on", _("This is in the past."))
    if len(note or "") > 200:
        errors.add("note", _("At most 200 characters."))
    errors.raise_if_any()
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    clash = profile.unavailable_periods.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    for period in clash:
        errors.add(
            "starts_on",
            _("This overlaps time away from %(start)s to %(end)s.")
            % {"start": _day(period.starts_on), "end": _day(period.ends_on)},
        )
    errors.raise_if_any()
    period = UnavailablePeriod.objects.create(
        profile=profile, starts_on=starts_on, ends_on=ends_on, note=(note or "").strip()
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VOLUNTEER_AWAY_ADDED,
        obj=period,
        summary=messages.text(
            gettext_noop("%(name)s away %(start)s–%(end)s"),
            name=profile.volunteer.display_name,
            start=_day(starts_on),
            end=_day(ends_on),
        ),
        changes={"starts_on": starts_on, "ends_on": ends_on},
    )
    return period


@transaction.atomic
def remove_unavailable_period(*, actor: User, period: UnavailablePeriod) -> None:
    require_perm(actor, AVAILABILITY, period.profile, _own_availability())
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.VOLUNTEER_AWAY_REMOVED,
        obj=period,
        summary=messages.text(
            gettext_noop("Time away removed: %(start)s–%(end)s"),
            start=_day(period.starts_on),
            end=_day(period.ends_on),
        ),
        changes={"starts_on": period.starts_on, "ends_on": period.ends_on},
    )
    UnavailablePeriod.objects.filter(pk=period.pk).delete()


# --- Assignments to families ---------------------------------------------------------


def _only_coordinator_assigns() -> str:
    return _("Only the coordinator assigns volunteers to families.")


def profile_of(volunteer: User) -> VolunteerProfile | None:
    return VolunteerProfile.objects.filter(volunteer=volunteer).select_related("volunteer").first()


def _assignment_problems(
    profile: VolunteerProfile, patient: Patient, kind: str, starts_on: date
) -> list[str]:
    on = max(clock.today(), starts_on)
    problems = eligibility_problems(profile, kind=kind, on=on)
    if kind not in (profile.offers or []):
        problems.append(
            _("%(name)s has not offered %(kind)s; change their profile first if they agree.")
            % {"name": profile.volunteer.display_name, "kind": Activity(kind).label.lower()}
        )
    problem = patient_problem(patient, kind)
    if problem:
        problems.append(problem)
    return problems


@transaction.atomic
def propose_assignment(
    *,
    actor: User,
    patient: Patient,
    volunteer: User,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    usual_times: str = "",
    note: str = "",
) -> VolunteerAssignment:
    require_perm(actor, ASSIGN, patient, _only_coordinator_assigns())
    errors = Errors()
    if kind not in Activity.values:
        errors.add("kind", _("Choose what the volunteer will do."))
    if starts_on is None:
        errors.add("starts_on", _("Give the first day."))
    elif starts_on < clock.today():
        errors.add("starts_on", _("The first day cannot be in the past."))
    elif ends_on is not None and ends_on < starts_on:
        errors.add("ends_on", _("The last day is on or after the first."))
    if len(usual_times or "") > 200:
        errors.add("usual_times", _("At most 200 characters."))
    errors.raise_if_any()
    profile = profile_of(volunteer)
    if profile is None:
        raise ValidationFailed(
            _("%(name)s has no volunteer profile yet.") % {"name": volunteer.display_name},
            code="not_eligible",
            field_errors={"volunteer": [_("No volunteer profile.")]},
        )
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    _refuse_if(_assignment_problems(profile, patient, kind, starts_on))
    if (
        VolunteerAssignment.objects.open()
        .filter(patient=patient, volunteer=volunteer, kind=kind)
        .exists()
    ):
        raise Conflict(
            _("%(name)s already has an open %(kind)s assignment with this family.")
            % {"name": volunteer.display_name, "kind": Activity(kind).label.lower()}
        )
    assignment = VolunteerAssignment.objects.create(
        patient=patient,
        volunteer=volunteer,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        usual_times=(usual_times or "").strip(),
        note=(note or "").strip(),
        proposed_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.VOLUNTEER_ASSIGNMENT_PROPOSED,
        patient=patient,
        obj=assignment,
        summary=messages.text(
            gettext_noop("%(name)s proposed for %(kind)s"),
            name=volunteer.display_name,
            kind=messages.lower_case(messages.choice(assignment, "kind")),
        ),
        changes={
            "volunteer": volunteer.display_name,
            "kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "usual_times": assignment.usual_times,
        },
    )
    return assignment


@transaction.atomic
def activate_assignment(*, actor: User, assignment: VolunteerAssignment) -> VolunteerAssignment:
    """The family and the volunteer agreed: the assignment starts, and the
    volunteer joins the person's care team so they can open that record."""
    require_perm(actor, ASSIGN, assignment.patient, _only_coordinator_assigns())
    assignment = lock(
        VolunteerAssignment, assignment.pk, related=("patient", "volunteer"), of=("self",)
    )
    if assignment.status != AssignmentStatus.PROPOSED:
        raise InvalidTransition(
            _("Only a proposed assignment can start; this one is %(status)s.")
            % {"status": assignment.get_status_display().lower()}
        )
    profile = profile_of(assignment.volunteer)
    if profile is None:
        raise NotFound(_("The volunteer no longer has a profile."))
    profile = lock(VolunteerProfile, profile.pk, related=("volunteer",), of=("self",))
    _refuse_if(
        _assignment_problems(profile, assignment.patient, assignment.kind, assignment.starts_on)
    )
    place = (
        CareTeamAssignment.objects.current()
        .filter(patient=assignment.patient, staff=assignment.volunteer, role=CareTeamRole.VOLUNTEER)
        .first()
    )
    created = place is None
    if place is None:
        place = patient_services.assign_to_care_team(
            actor=actor,
            patient=assignment.patient,
            staff=assignment.volunteer,
            role=CareTeamRole.VOLUNTEER,
        )
    assignment.status = AssignmentStatus.ACTIVE
    assignment.activated_by = actor
    assignment.activated_at = clock.now()
    assignment.care_team_assignment = place
    assignment.created_care_team_assignment = created
    assignment.save(
        update_fields=[
            "status",
            "activated_by",
            "activated_at",
            "care_team_assignment",
            "created_care_team_assignment",
        ]
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VOLUNTEER_ASSIGNMENT_ACTIVE,
        patient=assignment.patient,
        obj=assignment,
        summary=messages.text(
            gettext_noop("%(name)s starts %(kind)s"),
            name=assignment.volunteer.display_name,
            kind=messages.lower_case(messages.choice(assignment, "kind")),
        ),
        changes={
            "status": {"from": AssignmentStatus.PROPOSED, "to": AssignmentStatus.ACTIVE},
            "joined_care_team": created,
        },
    )
    return assignment


@transaction.atomic
def end_assignment(
    *, actor: User, assignment: VolunteerAssignment, reason: str, note: str = ""
) -> VolunteerAssignment:
    """End (or withdraw a proposal). When no other active assignment keeps the
    volunteer with this family, the care-team place an assignment created
    ends too, and with it their access to the volunteer brief."""
    require_perm(actor, ASSIGN, assignment.patient, _only_coordinator_assigns())
    assignment = lock(
        VolunteerAssignment, assignment.pk, related=("patient", "volunteer"), of=("self",)
    )
    if not assignment.is_open:
        raise InvalidTransition(_("This assignment has already ended."))
    errors = Errors()
    note = (note or "").strip()
    if reason not in EndReason.values:
        errors.add("reason", _("Choose a reason."))
    elif reason == EndReason.OTHER and not note:
        errors.add("note", _("Describe the reason."))
    if len(note) > 300:
        errors.add("note", _("At most 300 characters."))
    errors.raise_if_any()
    return _end(actor=actor, assignment=assignment, reason=reason, note=note)


def _end(
    *, actor: User, assignment: VolunteerAssignment, reason: str, note: str
) -> VolunteerAssignment:
    """The write and the audit of ending an assignment, locked and checked by the caller."""
    before = assignment.status
    assignment.status = AssignmentStatus.ENDED
    assignment.ended_by = actor
    assignment.ended_at = clock.now()
    assignment.end_reason = reason
    assignment.end_note = note
    assignment.save(update_fields=["status", "ended_by", "ended_at", "end_reason", "end_note"])
    left_team = _leave_care_team_if_last(actor, assignment)
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.VOLUNTEER_ASSIGNMENT_ENDED,
        patient=assignment.patient,
        obj=assignment,
        summary=messages.text(
            gettext_noop("%(name)s: %(kind)s ended (%(reason)s)"),
            name=assignment.volunteer.display_name,
            kind=messages.lower_case(messages.choice(assignment, "kind")),
            reason=messages.lower_case(messages.choice(assignment, "end_reason")),
        ),
        changes={
            "status": {"from": before, "to": AssignmentStatus.ENDED},
            "reason": reason,
            "note": note,
            "left_care_team": left_team,
        },
    )
    return assignment


def _leave_care_team_if_last(actor: User, assignment: VolunteerAssignment) -> bool:
    place = assignment.care_team_assignment
    if place is None:
        return False
    still_active = (
        VolunteerAssignment.objects.active()
        .filter(patient=assignment.patient, volunteer=assignment.volunteer)
        .exclude(pk=assignment.pk)
        .exists()
    )
    if still_active:
        return False
    place = CareTeamAssignment.objects.select_for_update().get(pk=place.pk)
    if place.ended_at is not None:
        return False
    ours = VolunteerAssignment.objects.filter(
        care_team_assignment=place, created_care_team_assignment=True
    ).exists()
    if not ours:
        return False
    patient_services.leave_care_team(actor=actor, assignment=place)
    return True


#: The end reason of each way home care ends.
CARE_END_REASONS = {True: EndReason.PATIENT_DIED, False: EndReason.PATIENT_DISCHARGED}
#: Kinds kept after a death: they exist for the family, not for the person.
KEPT_AFTER_DEATH: tuple[str, ...] = (Activity.BEREAVEMENT_BEFRIENDING,)


def end_assignments_at_care_end(
    *, actor: User, episode: Any, summary: CareEndSummary
) -> list[VolunteerAssignment]:
    """Home care ended (``patients.signals.home_care_ended``, in that
    transaction; no permission check: recording the death or the discharge
    was checked, and the recorder need not be the coordinator). Every proposed
    or active assignment with the person ends with ``patient_died`` or
    ``patient_discharged`` through the same write as ``end_assignment``
    (audited, the care-team place let go), and each volunteer is told, with no
    clinical detail. Befriending after a death stays: it is for the family.
    Idempotent: an ended assignment is not ended again."""
    if not settings.HEARTH_CARE_END_END_VOLUNTEER_ASSIGNMENTS:
        return []
    died = ended_by_death(episode)
    reason = CARE_END_REASONS[died]
    assignments = (
        VolunteerAssignment.objects.select_for_update(of=("self",))
        .select_related("patient", "volunteer")
        .open()
        .filter(patient_id=episode.patient_id)
        .order_by("pk")
    )
    if died:
        assignments = assignments.exclude(kind__in=KEPT_AFTER_DEATH)
    ended = []
    for assignment in assignments:
        ended.append(_end(actor=actor, assignment=assignment, reason=reason, note=""))
        if settings.HEARTH_CARE_END_TELL_VOLUNTEERS:
            _tell_volunteer(assignment)
        summary.add(
            "volunteer_ended",
            _("Volunteer assignment ended: %(name)s, %(kind)s.")
            % {
                "name": assignment.volunteer.display_name,
                "kind": assignment.get_kind_display().lower(),
            },
        )
    return ended


def _tell_volunteer(assignment: VolunteerAssignment) -> None:
    """One message, in the volunteer's language: which of their assignments
    ended and why in plain words (the person died / left the service), the
    coordinator's phone; no diagnosis, no name on a lock screen."""
    volunteer = assignment.volunteer
    with outbox.speaking_to(volunteer):
        subject = _("Your volunteering with a family has ended")
        body = _(
            "Your assignment (%(kind)s%(times)s) has ended: %(reason)s. "
            "Thank you for your time with this family. "
            "The coordinator will be in touch; phone %(phone)s."
        ) % {
            "kind": assignment.get_kind_display().lower(),
            "times": f", {assignment.usual_times}" if assignment.usual_times else "",
            "reason": assignment.get_end_reason_display().lower(),
            "phone": settings.HEARTH_SERVICE_PHONE,
        }
        outbox.notify(
            recipient=volunteer,
            kind=MessageKind.VOLUNTEERING_ENDED,
            event_key=f"volunteer_assignment:{assignment.pk}:ended",
            subject=subject,
            body=body,
            link=settings.HEARTH_PUBLIC_URL + reverse("volunteers_me"),
            topic=f"volunteer_assignment:{assignment.pk}",
            patient=assignment.patient,
        )
