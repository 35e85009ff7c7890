"""How the demo tells a patient's week of symptom monitoring: check-ins,
scores, phases, home readings and alerts, written through the same services
the family, the nurses and the doctors use (so alerts are raised by the real
rules and the audit trail is real). Each event happens at the moment it would
have, relative to when the demo is loaded: the past seven days at their usual
times of day, and "today" in the few hours before loading. The medicines demo
tells its part on the same clock (``Week``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hearth.accounts.models import User
from hearth.assessments import instruments
from hearth.assessments import services as assessments
from hearth.assessments.choices import Context
from hearth.assessments.models import AssessmentResponse
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.alerts import on_call
from hearth.monitoring.choices import OnCallRole
from hearth.monitoring.models import Alert, CheckIn
from hearth.patients.models import CaregiverLink, Patient


def local_time(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# --- Telling one patient's week ---------------------------------------------------


def esas(*scores: int | None) -> dict[str, int]:
    """The nine ESAS-r items in the form's order; ``None`` = left blank."""
    return {
        key: value
        for key, value in zip(instruments.ESAS_ITEM_KEYS, scores, strict=True)
        if value is not None
    }


@dataclass
class Week:
    """One patient's past week, to tell through the services at the moments
    things happened; ``recent`` is the stretch of today before loading. The
    medicines demo tells its part on the same clock."""

    patient: Patient
    staff: dict[str, User]
    today: date
    recent: tuple[datetime, datetime]

    @contextmanager
    def at(self, days_ago: int, hour: int, minute: int = 0) -> Iterator[None]:
        with clock.travel_to(self.moment(days_ago, hour, minute)):
            yield

    def moment(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return local_time(self.today - timedelta(days=days_ago), time(hour, minute))

    def earlier_today(self, fraction: float) -> datetime:
        """A moment in today's stretch: 0 is its start, 1 just before loading."""
        start, end = self.recent
        return start + (end - start) * fraction

    @contextmanager
    def today_at(self, fraction: float) -> Iterator[None]:
        with clock.travel_to(self.earlier_today(fraction)):
            yield

    def user(self, username: str) -> User:
        return self.staff.get(username) or User.objects.get(username=username)


class Story(Week):
    """A week of symptom monitoring: check-ins, scores, phases and alerts."""

    # Family and patient
    def check_in(
        self,
        by: str,
        scores: Mapping[str, int] | None = None,
        *,
        note: str = "",
        completed_by: str = "",
        help_requested: bool = False,
        cannot_cope: bool = False,
    ) -> CheckIn:
        return monitoring.record_check_in(
            actor=self.user(by),
            patient=self.patient,
            esas=scores or {},
            completed_by=completed_by,
            note=note,
            help_requested=help_requested,
            cannot_cope=cannot_cope,
            idempotency_key=f"demo-{self.patient.record_number}-{clock.now():%Y%m%dT%H%M}",
        )

    # Clinicians
    def score(
        self,
        by: str,
        instrument: str,
        answers: Mapping[str, int],
        *,
        context: str = Context.HOME_VISIT,
        completed_by: str = "",
        caregiver: str = "",
    ) -> AssessmentResponse:
        link = (
            CaregiverLink.objects.get(user__username=caregiver, patient=self.patient)
            if caregiver
            else None
        )
        return assessments.record_assessment(
            actor=self.user(by),
            patient=self.patient,
            instrument=instrument,
            answers=answers,
            completed_by=completed_by,
            context=context,
            caregiver_id=link.external_id if link else None,
        )

    def pps(self, by: str, level: int) -> AssessmentResponse:
        return self.score(by, "pps", {"level": level})

    def phase(self, by: str, phase: str, note: str, end_reason: str = "") -> None:
        assessments.start_phase(
            actor=self.user(by),
            patient=self.patient,
            phase=phase,
            note=note,
            end_reason=end_reason,
        )

    def physician_on_call(self) -> str:
        doctor = on_call(OnCallRole.PHYSICIAN, clock.now())
        return f"Dr {doctor.last_name}" if doctor else "the physician on call"

    # Alerts, acted on by whoever the rules made the owner (the nurse on call)
    def alert(self, rule: str) -> Alert:
        return Alert.objects.open().get(patient=self.patient, rule=rule)

    def _owner(self, alert: Alert) -> User:
        assert alert.owner is not None, "the on-call roster should name an owner"
        return alert.owner

    def acknowledge(self, alert: Alert) -> Alert:
        return monitoring.acknowledge_alert(actor=self._owner(alert), alert=alert)

    def triage(self, alert: Alert, outcome: str, note: str) -> Alert:
        return monitoring.triage_alert(
            actor=self._owner(alert), alert=alert, outcome=outcome, note=note
        )

    def resolve(self, alert: Alert, note: str) -> Alert:
        return monitoring.resolve_alert(actor=self._owner(alert), alert=alert, note=note)


def act_on_alert(
    alert: Alert,
    *,
    outcome: str,
    note: str,
    resolution: str,
    resolved_at: datetime | None = None,
) -> Alert:
    """For other apps' demos whose alerts belong to the past: the owner the
    rules named acknowledges five minutes after it was raised, triages it, and
    resolves it (ten minutes after, or at ``resolved_at``), as a team that
    answers in time would."""
    owner = alert.owner
    assert owner is not None, "the on-call roster should name an owner"
    with clock.travel_to(alert.raised_at + timedelta(minutes=5)):
        alert = monitoring.acknowledge_alert(actor=owner, alert=alert)
        alert = monitoring.triage_alert(actor=owner, alert=alert, outcome=outcome, note=note)
    with clock.travel_to(resolved_at or alert.raised_at + timedelta(minutes=10)):
        return monitoring.resolve_alert(actor=owner, alert=alert, note=resolution)


def today_stretch(now: datetime, today: date) -> tuple[datetime, datetime]:
    """The hours of today before loading in which today's events happen: up to
    six hours, from midnight at the earliest (or half an hour before loading,
    just after midnight), so they always follow yesterday's evening."""
    midnight = local_time(today, time(0, 0))
    start = max(now - timedelta(hours=6), min(midnight, now - timedelta(minutes=30)))
    return start, now - timedelta(minutes=2)
