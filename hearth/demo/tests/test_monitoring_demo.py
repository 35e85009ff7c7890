"""The demo tells a week of symptom monitoring through the real services, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from hearth.assessments.choices import Phase
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.core import clock
from hearth.monitoring.alerts import on_call
from hearth.monitoring.choices import (
    AlertRule,
    AlertStatus,
    DeviceKind,
    OnCallRole,
    PhysiologicalRouting,
    Severity,
    TriageOutcome,
)
from hearth.monitoring.models import (
    Alert,
    AlertEscalation,
    CheckIn,
    MonitoringDevice,
    Observation,
    PersonalThresholds,
)
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient
from hearth.visits.choices import UrgentRequestStatus
from hearth.visits.models import UrgentVisitRequest

#: The demo is loaded once for this module, at 15:20 today so that "today" has a
#: few hours in it (``conftest.seeded_demo``); each test runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")
DEMO_LOADED_AT = time(15, 20)

COUNTED = [
    "monitoring.CheckIn",
    "monitoring.MonitoringDevice",
    "monitoring.Observation",
    "monitoring.PersonalThresholds",
    "monitoring.Alert",
    "monitoring.AlertEvidence",
    "monitoring.OnCallShift",
    "assessments.AssessmentResponse",
    "assessments.PhaseOfIllness",
    "visits.UrgentVisitRequest",
    "django_tasks_database.DBTaskResult",
    "core.AuditEvent",
]


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def _counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in COUNTED}


def _today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(clock.today(), time(hour, minute)))


@pytest.fixture
def seeded_twice() -> Iterator[dict[str, int]]:
    """Loaded twice in the afternoon, so "today" has a few hours in it."""
    with clock.travel_to(_today_at(15, 20)):
        _seed()
        first = _counts()
        _seed()
        yield first


def _in_care() -> list[Patient]:
    return [
        patient
        for patient in Patient.objects.all()
        if patient.current_episode and patient.current_episode.state == EpisodeState.ACTIVE
    ]


PENDING = [
    UrgentRequestStatus.WAITING,
    UrgentRequestStatus.SCHEDULED,
    UrgentRequestStatus.DISPATCHED,
]


def test_it_adds_nothing_the_second_time(seeded_twice: dict[str, int]) -> None:
    assert all(seeded_twice.values()), seeded_twice
    assert _counts() == seeded_twice


def test_only_patients_in_care_check_in_every_day(seeded_twice: dict[str, int]) -> None:
    in_care = _in_care()
    assert len(in_care) == 3
    assert set(CheckIn.objects.values_list("patient_id", flat=True)) == {p.pk for p in in_care}
    today = clock.today()
    for patient in in_care:
        days = {
            timezone.localdate(moment)
            for moment in CheckIn.objects.filter(patient=patient).values_list(
                "submitted_at", flat=True
            )
        }
        assert {today - timedelta(days=n) for n in range(1, 8)} <= days, patient
        assert PhaseOfIllness.objects.current().filter(patient=patient).exists()
        latest_pps = AssessmentResponse.objects.filter(patient=patient, instrument="pps").first()
        assert latest_pps is not None
        assert latest_pps.assessed_at > clock.now() - timedelta(days=5)


def test_each_patient_is_in_a_different_phase(seeded_twice: dict[str, int]) -> None:
    phases = {
        phase.patient.record_number: phase.phase
        for phase in PhaseOfIllness.objects.current().select_related("patient")
    }
    assert sorted(phases.values()) == sorted([Phase.DETERIORATING, Phase.STABLE, Phase.TERMINAL])
    dying = PhaseOfIllness.objects.current().get(phase=Phase.TERMINAL).patient
    thresholds = PersonalThresholds.objects.get()
    assert thresholds.patient == dying
    assert thresholds.physiological_routing == PhysiologicalRouting.COMFORT_CHECK
    assert thresholds.reason
    # The terminal phase followed a deteriorating one, with the reason it ended.
    ended = PhaseOfIllness.objects.filter(patient=dying, ended_at__isnull=False).get()
    assert ended.end_reason


def test_the_breathless_patient_gets_more_breathless(seeded_twice: dict[str, int]) -> None:
    pyotr = Patient.objects.get(record_number="HH-1002")
    breath = [
        check_in.esas.value("shortness_of_breath")
        for check_in in CheckIn.objects.filter(patient=pyotr, esas__isnull=False).order_by(
            "submitted_at"
        )
    ]
    assert breath[-1] - breath[0] >= 3  # type: ignore[operator]


def test_someone_is_on_call_for_every_step_for_two_weeks(seeded_twice: dict[str, int]) -> None:
    moment = clock.now() - timedelta(days=7)
    while moment < clock.now() + timedelta(days=6, hours=12):
        for role in OnCallRole.values:
            assert on_call(role, moment) is not None, (role, moment)
        moment += timedelta(hours=1)
    assert on_call(OnCallRole.CLINICAL_LEAD, clock.now()).is_clinical_lead  # type: ignore[union-attr]


def test_past_alerts_were_acted_on_in_time(seeded_twice: dict[str, int]) -> None:
    assert not AlertEscalation.objects.exists()
    resolved = list(Alert.objects.filter(status=AlertStatus.RESOLVED))
    assert len(resolved) >= 4
    assert len(resolved) > Alert.objects.open().count()
    for alert in resolved:
        assert alert.acknowledged_at is not None and alert.acknowledge_by is not None
        assert alert.acknowledged_at <= alert.acknowledge_by, alert.summary
        assert alert.triage_outcome and alert.triage_note and alert.resolution_note
        assert alert.resolved_by == alert.owner
    rules = {alert.rule for alert in resolved}
    assert {AlertRule.ESAS_SEVERE, AlertRule.CAREGIVER_CANNOT_COPE, AlertRule.NEWS2} <= rules


def test_it_leaves_alerts_waiting_for_the_team_now(seeded_twice: dict[str, int]) -> None:
    open_alerts = list(Alert.objects.open())
    assert 2 <= len(open_alerts) <= 3
    waiting = Alert.objects.get(status=AlertStatus.OPEN)
    assert waiting.rule == AlertRule.HELP_REQUESTED
    assert waiting.severity == Severity.HIGH
    assert timezone.localdate(waiting.raised_at) == clock.today()
    assert waiting.acknowledge_by is not None and waiting.acknowledge_by > clock.now()
    assert Alert.objects.filter(
        status=AlertStatus.ACKNOWLEDGED, severity=Severity.MEDIUM, triage_outcome=""
    ).exists()
    # Waiting for the coordinator, already placed by today's published plan
    # (the visits demo plans the day when shifts are still to come), or with the
    # clinician on call when no plan can start it in time.
    urgent = UrgentVisitRequest.objects.get(status__in=PENDING)
    assert urgent.for_date == clock.today()
    assert urgent.alert is not None
    assert urgent.alert.triage_outcome == TriageOutcome.URGENT_PHYSICIAN_VISIT
    assert urgent.alert.is_open


def test_a_pulse_oximeter_reads_every_few_hours(seeded_twice: dict[str, int]) -> None:
    device = MonitoringDevice.objects.get()
    assert device.kind == DeviceKind.PULSE_OXIMETER
    times = sorted(
        set(Observation.objects.filter(device=device).values_list("observed_at", flat=True))
    )
    assert times[-1] - times[0] > timedelta(days=6)
    assert max(later - earlier for earlier, later in pairwise(times)) <= timedelta(hours=6)
    news2_days = {
        timezone.localdate(alert.raised_at) for alert in Alert.objects.filter(rule=AlertRule.NEWS2)
    }
    assert len(news2_days) >= 2


def test_a_caregiver_told_us_how_hard_caring_is(seeded_twice: dict[str, int]) -> None:
    strain = AssessmentResponse.objects.get(instrument="mcsi")
    assert strain.caregiver is not None
    assert strain.total is not None and strain.total > 13
    assert Alert.objects.filter(rule=AlertRule.CAREGIVER_CANNOT_COPE).exists()
