"""Who works when: each staff member's planning profile (skills, most visits
a day, home) and their shifts, which the planner reads to build a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.visits.choices import Endpoint, VisitStatus
from hearth.visits.models import Shift, StaffPlanningProfile, Visit
from hearth.visits.services.checks import _check_field, _local, _require_planned_staff, _skills


def _profile_values(profile: StaffPlanningProfile) -> dict[str, Any]:
    return {
        "skills": list(profile.skills or []),
        "max_visits_per_day": profile.max_visits_per_day,
        "home_latitude": profile.home_latitude,
        "home_longitude": profile.home_longitude,
    }


def _coordinate(value: Any, field: str, limit: int, errors: Errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(field, _("Give a number in decimal degrees."))
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.add(field, _("Between -%(limit)s and %(limit)s degrees.") % {"limit": limit})
        return None
    return number.quantize(Decimal("0.000001"))


@transaction.atomic
def set_planning_profile(
    *,
    actor: User,
    staff: User,
    skills: Sequence[str] = (),
    max_visits_per_day: int = 8,
    home_latitude: Any = None,
    home_longitude: Any = None,
) -> StaffPlanningProfile:
    """What the planner needs beyond discipline and languages: the skills the
    team has signed this person off for, how many home visits fit in their
    day, and where home is (for shifts that start or end there)."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    _require_planned_staff(staff)
    errors = Errors()
    chosen = _skills(skills, errors)
    _check_field(StaffPlanningProfile, "max_visits_per_day", max_visits_per_day, errors)
    latitude = _coordinate(home_latitude, "home_latitude", 90, errors)
    longitude = _coordinate(home_longitude, "home_longitude", 180, errors)
    if (latitude is None) != (longitude is None):
        errors.add(
            "home_longitude" if longitude is None else "home_latitude",
            _("Give both the latitude and the longitude of home, or neither."),
        )
    errors.raise_if_any()
    profile = StaffPlanningProfile.objects.select_for_update().filter(
        staff=staff
    ).first() or StaffPlanningProfile(staff=staff)
    created = profile.pk is None
    before = {} if created else _profile_values(profile)
    profile.skills = chosen
    profile.max_visits_per_day = max_visits_per_day
    profile.home_latitude = latitude
    profile.home_longitude = longitude
    profile.save()
    after = _profile_values(profile)
    if created or after != before:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            event_type=AuditEventType.STAFF_PLANNING_PROFILE_SET,
            obj=profile,
            summary=messages.text(
                gettext_noop("Planning profile of %(name)s: at most %(count)s home visits a day"),
                name=staff.display_name,
                count=max_visits_per_day,
            ),
            changes=audit.diff(before, after),
        )
    return profile


@transaction.atomic
def add_shift(
    *,
    actor: User,
    staff: User,
    date: date,
    starts_at: time,
    ends_at: time,
    starts_from: str = Endpoint.BASE,
    ends_at_place: str = Endpoint.BASE,
) -> Shift:
    """One working day. One shift a day per person: a split day is one shift
    with the gap kept free by the coordinator (the planner has no breaks)."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    _require_planned_staff(staff)
    errors = Errors()
    if date < clock.today():
        errors.add("date", _("That day is over."))
    if starts_at >= ends_at:
        errors.add("ends_at", _("A shift ends after it starts, on the same day."))
    elif date == clock.today() and _local(date, ends_at) <= clock.now():
        errors.add("ends_at", _("That time is already over today."))
    for field, value in (("starts_from", starts_from), ("ends_at_place", ends_at_place)):
        if value not in Endpoint.values:
            errors.add(field, _("Home or base."))
    if Endpoint.HOME in (starts_from, ends_at_place):
        profile = StaffPlanningProfile.objects.filter(staff=staff).first()
        if profile is None or profile.home_latitude is None:
            field = "starts_from" if starts_from == Endpoint.HOME else "ends_at_place"
            errors.add(
                field,
                _("%(name)s has no home position in their planning profile: use base.")
                % {"name": staff.display_name},
            )
    errors.raise_if_any()
    User.objects.select_for_update().filter(pk=staff.pk).first()
    if Shift.objects.current().filter(staff=staff, date=date).exists():
        raise Conflict(
            _("%(name)s already has a shift on %(date)s: cancel it first to change it.")
            % {"name": staff.display_name, "date": date.isoformat()},
            field_errors={"date": [_("Already has a shift that day.")]},
        )
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                staff=staff,
                date=date,
                starts_at=starts_at,
                ends_at=ends_at,
                starts_from=starts_from,
                ends_at_place=ends_at_place,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(name)s already has a shift that day.") % {"name": staff.display_name},
            field_errors={"date": [_("Already has a shift that day.")]},
        ) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.STAFF_SHIFT_ADDED,
        obj=shift,
        summary=messages.text(
            gettext_noop("Shift for %(name)s on %(date)s, %(start)s–%(end)s"),
            name=staff.display_name,
            date=date,
            start=starts_at.strftime("%H:%M"),
            end=ends_at.strftime("%H:%M"),
        ),
        changes={"staff": staff, "date": date, "starts_at": starts_at, "ends_at": ends_at},
    )
    return shift


@transaction.atomic
def cancel_shift(*, actor: User, shift: Shift) -> Shift:
    """A shift that will not happen (sickness, leave). Visits already
    published for that day stay until the coordinator re-plans the day."""
    require_perm(
        actor, "visits.manage_staff_availability", None, _("Only the coordinator plans staff.")
    )
    shift = Shift.objects.select_for_update().select_related("staff").get(pk=shift.pk)
    if shift.cancelled_at is not None:
        raise InvalidTransition(_("This shift is already cancelled."))
    if shift.date < clock.today():
        raise InvalidTransition(_("That day is over: its shift stays on record."))
    shift.cancelled_at = clock.now()
    shift.save(update_fields=["cancelled_at"])
    open_visits = (
        Visit.objects.filter(staff=shift.staff, date=shift.date)
        .filter(status__in=[VisitStatus.SCHEDULED, VisitStatus.UNDER_WAY])
        .count()
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.STAFF_SHIFT_CANCELLED,
        obj=shift,
        summary=messages.text(
            gettext_noop(
                "Shift of %(name)s on %(date)s cancelled (%(count)s visits still to re-plan)"
            ),
            name=shift.staff.display_name,
            date=shift.date,
            count=open_visits,
        ),
        changes={"open_visits": open_visits},
    )
    return shift
