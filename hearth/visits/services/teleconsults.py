"""Teleconsultations: a video call at a set time with the people the patient
and family chose, booked like a visit so it shows on the same lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import CLINICAL_DISCIPLINES, User, UserKind
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.monitoring.models import Alert
from hearth.patients import access
from hearth.patients.models import Patient
from hearth.visits.choices import VisitKind
from hearth.visits.models import Visit, VisitNeed
from hearth.visits.services.checks import _aware, _local_date, _require_in_care

#: Teleconsultation length limits, minutes (a service choice, not a clinical rule).
TELECONSULT_MINUTES = (5, 240)


def _participant_problem(user: User, patient: Patient) -> str:
    if access.on_care_team(user, patient):
        return ""
    if access.is_family_of(user, patient) or access.is_the_patient(user, patient):
        return ""
    return _("%(name)s is neither on the care team nor family of this person.") % {
        "name": user.display_name
    }


@transaction.atomic
def book_teleconsult(
    *,
    actor: User,
    patient: Patient,
    staff: User,
    starts_at: datetime,
    duration_minutes: int,
    video_link: str,
    participants: Sequence[User] = (),
    participants_note: str = "",
    purpose: str = "",
    need: VisitNeed | None = None,
    alert: Alert | None = None,
) -> Visit:
    """A video call at a set time. Unlike a home visit the family is told the
    exact time (their window is the call itself) and gets the link. Invited
    people must be on the care team or the person's own family; anyone else
    (an interpreter, the hospital team) is named in ``participants_note``."""
    require_perm(actor, "visits.book_teleconsult", patient)
    _require_in_care(patient)
    video_link = (video_link or "").strip()
    participants_note = (participants_note or "").strip()
    purpose = (purpose or "").strip()
    errors = Errors()
    start = _aware(starts_at, "starts_at", errors)
    if start is not None and start <= clock.now():
        errors.add("starts_at", _("Choose a time in the future."))
    low, high = TELECONSULT_MINUTES
    if not isinstance(duration_minutes, int) or not low <= duration_minutes <= high:
        errors.add(
            "duration_minutes", _("From %(low)s to %(high)s minutes.") % {"low": low, "high": high}
        )
    if not video_link:
        errors.add("video_link", _("Give the link of the video call."))
    else:
        try:
            URLValidator(schemes=["https"])(video_link)
        except ValidationError:
            errors.add("video_link", _("A secure link starting with https://."))
        if len(video_link) > 200:
            errors.add("video_link", _("At most 200 characters."))
    if not (
        staff.is_active
        and staff.kind == UserKind.STAFF
        and staff.discipline in CLINICAL_DISCIPLINES
        and access.on_care_team(staff, patient)
    ):
        errors.add("staff", _("Choose a clinician on this person's care team."))
    people = list(dict.fromkeys(participants))
    for person in people:
        problem = _participant_problem(person, patient)
        if problem:
            errors.add("participants", problem)
    if len(participants_note) > 300:
        errors.add("participants_note", _("At most 300 characters."))
    if len(purpose) > 500:
        errors.add("purpose", _("At most 500 characters."))
    if need is not None and (
        need.patient_id != patient.pk
        or need.ended_at is not None
        or need.kind != VisitKind.TELECONSULT
    ):
        errors.add("need", _("Not a current teleconsultation need of this person."))
    if alert is not None and alert.patient_id != patient.pk:
        errors.add("alert", _("Not an alert about this person."))
    errors.raise_if_any()
    assert start is not None
    end = start + timedelta(minutes=duration_minutes)
    visit = Visit.objects.create(
        patient=patient,
        staff=staff,
        kind=VisitKind.TELECONSULT,
        discipline=staff.discipline,
        purpose=purpose or (need.description if need else ""),
        need=need,
        alert=alert,
        plan=None,
        date=_local_date(start),
        planned_start=start,
        planned_end=end,
        # A call happens at a set time, so the family's window is the call itself.
        family_window_start=start,
        family_window_end=end,
        video_link=video_link,
        participants_note=participants_note,
    )
    if people:
        visit.participants.set(people)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.TELECONSULT_BOOKED,
        patient=patient,
        obj=visit,
        summary=messages.text(
            gettext_noop("Teleconsultation with %(name)s booked for %(when)s"),
            name=staff.display_name,
            when=start,
        ),
        changes={
            "staff": staff,
            "starts_at": start,
            "duration_minutes": duration_minutes,
            "participants": [person.display_name for person in people],
            "participants_note": participants_note,
        },
    )
    return visit
