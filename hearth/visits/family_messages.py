"""Telling the family: a visit cancelled, a visit moved outside the time they
were given, a visit tomorrow, and "your call for help has been seen".

Each message goes only to a family member (or the patient's own sign-in) who
asked for it in their notification preferences and has a verified way to be
reached; it is written in their language and waits for the end of their quiet
hours (nothing here is urgent: the urgent things go to the team). Messages are
queued in the transaction of the change they tell of, so a change rolled back
tells nobody. They carry no clinical detail: a visit's purpose, a cancelling
reason or a symptom stays in the record, behind sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hearth.accounts.models import Discipline, User, UserKind
from hearth.core import clock, dates
from hearth.monitoring.choices import AlertRule
from hearth.notifications import outbox
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import ContactPoint, Message
from hearth.visits.choices import VisitKind, VisitStatus
from hearth.visits.models import Visit, VisitTimeChange

if TYPE_CHECKING:
    from hearth.monitoring.models import Alert
    from hearth.patients.models import Patient
    from hearth.visits.models import Dispatch

#: The opt-ins on NotificationPreferences, one per kind of family message.
VISIT_CHANGES = "visit_changes"
VISIT_REMINDERS = "visit_reminders"
HELP_REQUEST_SEEN = "help_request_seen"


def family_of(patient: Patient) -> list[User]:
    """Whoever the portal lets see this patient now: family members with a
    current caregiver link, and the patient's own sign-in; active accounts only."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(
                kind=UserKind.FAMILY,
                caregiver_link__patient=patient,
                caregiver_link__ended_at__isnull=True,
            )
            | Q(kind=UserKind.PATIENT, pk=patient.portal_user_id or 0)
        )
        .distinct()
        .order_by("pk")
    )


def _asked_for(patient: Patient, opt_in: str) -> list[User]:
    """The family members who opted in to ``opt_in`` and can be reached."""
    family = family_of(patient)
    reachable = set(
        ContactPoint.objects.verified().filter(user__in=family).values_list("user_id", flat=True)
    )
    return [
        person
        for person in family
        if person.pk in reachable and getattr(outbox.preferences_of(person), opt_in)
    ]


def _time(moment: datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _day(moment: datetime) -> str:
    """The day as "Sunday 6 December". Russian writes a weekday in lower case inside a
    sentence ("воскресенье 6 декабря"), and the day always stands inside one here."""
    text = dates.date_format(timezone.localtime(moment), "l, j E")
    if (translation.get_language() or "").startswith("ru"):
        return text[:1].lower() + text[1:]
    return text


#: For the summary shown to whoever recorded a death or a discharge.
day_text = _day
time_text = _time


def _what(visit: Visit) -> str:
    if visit.kind == VisitKind.TELECONSULT:
        return _("video call")
    discipline = Discipline(visit.discipline).label if visit.discipline in Discipline.values else ""
    if discipline:
        return _("home visit (%(discipline)s)") % {"discipline": discipline.lower()}
    return _("home visit")


def _portal_link() -> str:
    return settings.HEARTH_PUBLIC_URL + reverse("portal_visits")


def _tell(
    people: list[User],
    *,
    kind: str,
    event_key: str,
    topic: str,
    patient: Patient,
    texts: Any,
    link: str = "",
) -> list[Message]:
    """Queue one message per person, each rendered in their own language by
    ``texts()`` -> (subject, body)."""
    queued = []
    for person in people:
        with outbox.speaking_to(person):
            subject, body = texts()
            queued.append(
                outbox.notify(
                    recipient=person,
                    kind=kind,
                    event_key=event_key,
                    subject=subject,
                    body=body,
                    link=link,
                    topic=topic,
                    patient=patient,
                    urgent=False,
                )
            )
    return queued


def _ending() -> str:
    return _("Questions: phone %(phone)s.") % {"phone": settings.HEARTH_SERVICE_PHONE}


def visit_cancelled(visit: Visit, *, discharged: bool = False) -> list[Message]:
    """Called by ``cancel_visit`` in its transaction, and for each visit a
    discharge cancels (``discharged``: there is no next visit to promise)."""

    def texts() -> tuple[str, str]:
        body = _("Cancelled: the %(what)s on %(day)s, between %(low)s and %(high)s.") % {
            "what": _what(visit),
            "day": _day(visit.family_window_start),
            "low": _time(visit.family_window_start),
            "high": _time(visit.family_window_end),
        }
        if discharged:
            body += " " + _("Home care from the team has ended, so nobody will come.")
        else:
            body += " " + _("The team will be in touch about the next visit.")
        return _("Visit cancelled"), f"{body}\n{_ending()}"

    return _tell(
        _asked_for(visit.patient, VISIT_CHANGES),
        kind=MessageKind.VISIT_CANCELLED,
        event_key=f"visit:{visit.pk}:cancelled",
        topic=f"visit:{visit.pk}",
        patient=visit.patient,
        texts=texts,
        link=_portal_link(),
    )


def no_more_visits_after_death(patient: Patient) -> list[Message]:
    """After a death, one kind message instead of a list of cancelled visits
    (``visits.services.care_end``): nobody will come as planned, nothing to
    do, the team will be in touch. Sent to those who asked to hear of visit
    changes, in their own language, after their quiet hours."""

    def texts() -> tuple[str, str]:
        body = _(
            "We are very sorry for your loss. The visits that were planned will not take "
            "place; you do not need to do anything. Someone from the team will be in touch."
        )
        return _("From the care team"), f"{body}\n{_ending()}"

    return _tell(
        _asked_for(patient, VISIT_CHANGES),
        kind=MessageKind.VISITS_ENDED,
        event_key=f"patient:{patient.pk}:visits_ended_after_death",
        topic=f"patient:{patient.pk}",
        patient=patient,
        texts=texts,
    )


def moved_beyond_the_window(change: VisitTimeChange) -> bool:
    """The new time falls outside what the family was told: a carer arriving
    inside the old window keeps the promise, so nobody needs telling."""
    visit = change.visit
    return not change.old_window_start <= visit.planned_start <= change.old_window_end


def visit_moved(change: VisitTimeChange) -> list[Message]:
    """Called where the planner records a ``VisitTimeChange``, in its
    transaction. Says the new window (``HEARTH_FAMILY_WINDOW_MINUTES`` either
    side of the new time)."""
    visit = change.visit
    if not moved_beyond_the_window(change):
        return []

    def texts() -> tuple[str, str]:
        body = _(
            "The %(what)s on %(day)s has moved: expect the team between %(low)s and %(high)s "
            "(not %(old_low)s–%(old_high)s as before)."
        ) % {
            "what": _what(visit),
            "day": _day(change.new_window_start),
            "low": _time(change.new_window_start),
            "high": _time(change.new_window_end),
            "old_low": _time(change.old_window_start),
            "old_high": _time(change.old_window_end),
        }
        return _("Visit time changed"), f"{body}\n{_ending()}"

    return _tell(
        _asked_for(visit.patient, VISIT_CHANGES),
        kind=MessageKind.VISIT_MOVED,
        event_key=f"visit:{visit.pk}:moved:{change.pk}",
        topic=f"visit:{visit.pk}",
        patient=visit.patient,
        texts=texts,
        link=_portal_link(),
    )


def send_day_before_reminders(*, now: datetime | None = None) -> int:
    """A periodic job (hourly): each scheduled visit tomorrow (the service's
    time zone), one reminder per family member who asked for one, with the
    window. Idempotent: the event key ``visit:<pk>:reminder`` is queued once
    per person however often this runs. Returns how many were queued now."""
    now = now or clock.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    visits = (
        Visit.objects.filter(date=tomorrow, status=VisitStatus.SCHEDULED)
        .select_related("patient")
        .order_by("planned_start", "pk")
    )
    queued = 0
    for visit in visits:
        event_key = f"visit:{visit.pk}:reminder"
        with transaction.atomic():
            people = _asked_for(visit.patient, VISIT_REMINDERS)
            told = set(
                Message.objects.filter(recipient__in=people, event_key=event_key).values_list(
                    "recipient_id", flat=True
                )
            )
            people = [person for person in people if person.pk not in told]
            if not people:
                continue

            def texts(visit: Visit = visit) -> tuple[str, str]:
                body = _(
                    "A reminder: %(what)s tomorrow, %(day)s, between %(low)s and %(high)s."
                ) % {
                    "what": _what(visit),
                    "day": _day(visit.family_window_start),
                    "low": _time(visit.family_window_start),
                    "high": _time(visit.family_window_end),
                }
                return _("Visit tomorrow"), f"{body}\n{_ending()}"

            queued += len(
                _tell(
                    people,
                    kind=MessageKind.VISIT_REMINDER,
                    event_key=event_key,
                    topic=f"visit:{visit.pk}",
                    patient=visit.patient,
                    texts=texts,
                    link=_portal_link(),
                )
            )
    return queued


def help_request_seen(alert: Alert, actor: User) -> list[Message]:
    """A "We need help now" alert was acknowledged: the family is told someone
    has seen it, by role, not by name, and with no clinical detail."""
    if alert.rule != AlertRule.HELP_REQUESTED:
        return []

    def texts() -> tuple[str, str]:
        if actor.discipline in Discipline.values:
            who = _("Someone from the team (%(discipline)s)") % {
                "discipline": Discipline(actor.discipline).label.lower()
            }
        else:
            who = _("Someone from the team")
        body = _("%(who)s has seen your call for help and will contact you soon. ") % {
            "who": who
        } + _("If you cannot wait, phone %(phone)s.") % {"phone": settings.HEARTH_SERVICE_PHONE}
        return _("Your call for help has been seen"), body

    return _tell(
        _asked_for(alert.patient, HELP_REQUEST_SEEN),
        kind=MessageKind.HELP_SEEN,
        event_key=f"alert:{alert.pk}:help_seen",
        topic=f"alert:{alert.pk}",
        patient=alert.patient,
        texts=texts,
    )


def help_on_the_way(dispatch: Dispatch) -> list[Message]:
    """The clinician on call is on the way: the family who asked to hear about
    their call for help (``help_request_seen``) are told the window, by role,
    never by name or phone. Called by ``set_on_the_way`` in its transaction;
    a new expected time tells them again."""
    either_side = timedelta(minutes=settings.HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES)
    expected = dispatch.expected_arrival
    if expected is None:
        return []

    def texts() -> tuple[str, str]:
        who = (
            _("A doctor from the team")
            if dispatch.discipline == Discipline.PHYSICIAN
            else _("A nurse from the team")
        )
        body = _("%(who)s is on the way: expect them between %(low)s and %(high)s.") % {
            "who": who,
            "low": _time(expected - either_side),
            "high": _time(expected + either_side),
        }
        body += " " + _("If things get worse before then, phone %(phone)s.") % {
            "phone": settings.HEARTH_SERVICE_PHONE
        }
        return _("Help is on the way"), body

    return _tell(
        _asked_for(dispatch.patient, HELP_REQUEST_SEEN),
        kind=MessageKind.HELP_ON_THE_WAY,
        event_key=f"dispatch:{dispatch.pk}:on_the_way:{expected.isoformat()}",
        topic=f"dispatch:{dispatch.pk}",
        patient=dispatch.patient,
        texts=texts,
        link=_portal_link(),
    )
