# ruff: noqa: RUF001 - Tatiana writes her check-in notes in Russian.
"""Symptom monitoring for the demo: a week of check-ins, scores, home readings
and alerts for the patients in care, written through the same services the
family, the nurses and the doctors use (so alerts are raised by the real rules
and the audit trail is real).

Each event happens at the moment it would have, relative to when the demo is
loaded: the past seven days at their usual times of day, and "today" in the
few hours before loading. Safe to run again: the on-call roster adds only the
shifts that are missing, and a patient who already has check-ins is left as
they are.

The story, for the three patients in care:

* HH-1001 Amina Hassan (breast cancer, syringe pump): deteriorating, a pain
  crisis and a night when Leila could not cope, then terminal two days ago;
  Dr Okafor set her personal thresholds to comfort checks. This morning Leila
  pressed "We need help now": a high alert, still waiting.
* HH-1002 Pyotr Smirnov (MND, NIV at night): breathlessness rising all week,
  deteriorating since two days ago; a bedside pulse oximeter, with a NEWS2
  trigger three nights ago (mask leak) and one early today (a likely chest
  infection), triaged as an urgent physician visit for today.
* HH-1006 Tom Whitaker (glioblastoma): stable; a short focal seizure four days
  ago; this morning a headache with vomiting, a rise that the on-call nurse has
  acknowledged but not yet dealt with.

Every earlier alert was acknowledged in time, triaged and resolved by the nurse
on call. The roster covers the past seven days and the next seven.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.assessments import instruments
from hearth.assessments import services as assessments
from hearth.assessments.choices import Context, Phase, Respondent
from hearth.assessments.models import AssessmentResponse
from hearth.core import clock
from hearth.monitoring import services as monitoring
from hearth.monitoring.alerts import on_call
from hearth.monitoring.choices import (
    AlertRule,
    DeviceKind,
    OnCallRole,
    PhysiologicalRouting,
    TriageOutcome,
)
from hearth.monitoring.models import Alert, CheckIn, MonitoringDevice, OnCallShift
from hearth.patients.choices import EpisodeState
from hearth.patients.models import CaregiverLink, Patient

# --- On-call roster -----------------------------------------------------------

#: Days of roster before and after today.
ROSTER_DAYS = 7
DAY_STARTS, NIGHT_STARTS = time(8, 0), time(20, 0)
#: Who takes which shift rotates with the date, so a later reseed continues it.
ROTA: dict[str, tuple[str, ...]] = {
    OnCallRole.NURSE: ("nurse.brennan", "nurse.sokolova"),
    OnCallRole.PHYSICIAN: ("dr.patel", "dr.ivanova", "dr.okafor"),
    OnCallRole.CLINICAL_LEAD: ("dr.okafor",),
}


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _seed_on_call_roster(staff: dict[str, User], today: date) -> None:
    """12-hour day (08–20) and night (20–08) shifts for each step of the chain.
    Each shift is added only if none starts then for that role."""
    coordinator = staff["coord.lewis"]
    first = today - timedelta(days=ROSTER_DAYS)
    with clock.travel_to(_local(first - timedelta(days=3), time(14, 0))), transaction.atomic():
        for offset in range(2 * ROSTER_DAYS):
            day = first + timedelta(days=offset)
            turn = day.toordinal()
            for role, people in ROTA.items():
                shifts = (
                    (_local(day, DAY_STARTS), _local(day, NIGHT_STARTS), turn),
                    (
                        _local(day, NIGHT_STARTS),
                        _local(day + timedelta(days=1), DAY_STARTS),
                        turn + 1,
                    ),
                )
                for starts_at, ends_at, pick in shifts:
                    if OnCallShift.objects.filter(
                        role=role, starts_at=starts_at, cancelled_at__isnull=True
                    ).exists():
                        continue
                    monitoring.add_on_call_shift(
                        actor=coordinator,
                        role=role,
                        staff=staff[people[pick % len(people)]],
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )


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
        return _local(self.today - timedelta(days=days_ago), time(hour, minute))

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


# --- HH-1001 Amina Hassan: pain, an exhausted daughter, then dying ---------------------

AMINA_WEEK: dict[int, tuple[dict[str, int], str]] = {
    7: (esas(4, 6, 4, 4, 6, 2, 3, 3, 5), "Managed Dhuhr and Asr in her chair. Ate a little rice."),
    6: (esas(4, 6, 4, 3, 6, 2, 3, 3, 5), ""),
    5: (
        esas(5, 6, 5, 3, 6, 2, 3, 4, 5),
        "Back more sore tonight when we moved her to the chair for Maghrib.",
    ),
    4: (
        esas(7, 6, 5, 3, 6, 2, 4, 5, 6),
        "Pain in her back and right hip much worse since the afternoon. The extra dose at 8 "
        "helped only a little. She says her legs feel the same as before.",
    ),
    3: (
        esas(4, 6, 6, 3, 6, 2, 4, 5, 6),
        "Pain better since the pump was changed. But I have not slept properly for three "
        "nights, and Mum needs turning every two hours. I can't do tonight on my own.",
    ),
}


def _amina(s: Story) -> None:
    nurse, doctor, leila = "nurse.brennan", "dr.okafor", "family.hassan"
    with s.at(12, 15, 30):
        s.phase(
            nurse,
            Phase.DETERIORATING,
            "Nausea and vomiting; medicines moved to a syringe pump. In bed more of the day.",
        )
    with s.at(7, 10, 15):
        s.pps(nurse, 40)
    with s.at(4, 11, 30):
        s.pps(doctor, 30)
    for days_ago in (7, 6, 5, 4, 3):
        scores, note = AMINA_WEEK[days_ago]
        with s.at(days_ago, 20, 30):
            s.check_in(
                leila,
                scores,
                note=note,
                completed_by=Respondent.CAREGIVER_ASSISTED,
                cannot_cope=days_ago == 3,
            )
        if days_ago == 4:
            pain = s.alert(AlertRule.ESAS_SEVERE)
            with s.at(4, 20, 41):
                pain = s.acknowledge(pain)
            with s.at(4, 21, 5):
                s.triage(
                    pain,
                    TriageOutcome.TREATMENT_ADJUSTMENT,
                    "Called Leila: pain in the back and right hip on moving; no new leg weakness "
                    "or numbness, bladder and bowels as usual, so no sign of cord compression. "
                    f"Agreed with {s.physician_on_call()} to increase the syringe pump dose "
                    "tonight; visited at 22:00 to set up the new syringe.",
                )
            with s.at(3, 7, 40):
                s.resolve(
                    pain,
                    "Leila says Amina slept from midnight; pain 3/10 on waking. Handed over to "
                    "the day team.",
                )
        if days_ago == 3:
            strain = s.alert(AlertRule.CAREGIVER_CANNOT_COPE)
            with s.at(3, 20, 52):
                strain = s.acknowledge(strain)
            with s.at(3, 21, 10):
                s.triage(
                    strain,
                    TriageOutcome.NURSE_VISIT,
                    "Called Leila back: exhausted and tearful, not in danger; Amina comfortable. "
                    "Visiting tonight to settle Amina for the night. Night sitter asked for "
                    "tonight and the next two nights; her brother Abdi can come from Leicester "
                    "tomorrow.",
                )
            with s.at(2, 7, 30):
                s.resolve(
                    strain,
                    "The night sitter stayed 22:00–07:00 and Leila slept. Abdi arrives today. "
                    "Key nurse to go through the caregiver strain questions with Leila today.",
                )
    with s.at(2, 11, 0):
        s.pps(doctor, 20)
    with s.at(2, 11, 20):
        s.phase(
            doctor,
            Phase.TERMINAL,
            "Death likely within days. Leila and Abdi told; the chaplain and her imam informed.",
            end_reason="Bed-bound, sips only, asleep most of the day: she is dying.",
        )
    with s.at(2, 11, 30):
        monitoring.set_thresholds(
            actor=s.user(doctor),
            patient=s.patient,
            changes={
                "physiological_routing": PhysiologicalRouting.COMFORT_CHECK,
                "esas_item_overrides": {"tiredness": 10, "drowsiness": 10, "appetite": 10},
            },
            reason=(
                "Amina is dying (terminal phase). Sleepiness, tiredness and not eating are "
                "expected now: alert only at 10. Pain, breathlessness, nausea and distress "
                "still alert at 7. Any home readings are comfort checks, not emergencies."
            ),
        )
    with s.at(2, 14, 0):
        s.score(
            nurse,
            "mcsi",
            {
                "sleep": 2,
                "inconvenient": 1,
                "physical_strain": 2,
                "confining": 2,
                "family_adjustments": 1,
                "personal_plans": 2,
                "other_demands": 1,
                "emotional_adjustments": 2,
                "upsetting_behaviour": 1,
                "person_changed": 2,
                "work_adjustments": 2,
                "financial_strain": 1,
                "overwhelmed": 2,
            },
            completed_by=Respondent.FAMILY_CAREGIVER,
            caregiver=leila,
        )
    with s.at(2, 20, 30):
        s.check_in(
            leila,
            esas(3, 8, 8, 2, 8, 3, None, 4, 6),
            note="Mostly sleeping. A few sips of water and some mango juice. Abdi is here now.",
        )
    with s.at(1, 11, 0):
        s.score(
            nurse,
            "painad",
            {
                "breathing": 1,
                "vocalisation": 0,
                "facial_expression": 1,
                "body_language": 0,
                "consolability": 0,
            },
        )
    with s.at(1, 20, 30):
        s.check_in(
            leila,
            esas(2, 9, 9, 1, 9, 3, None, 3, 6),
            note="Sleeping nearly all day. She settled when Abdi read Surah Yasin to her.",
        )
    with s.today_at(1.0):
        s.check_in(
            leila,
            note=(
                "Mum is restless and moaning and keeps pulling at the pump line. She can't "
                "settle. Please come."
            ),
            help_requested=True,
        )


# --- HH-1002 Pyotr Smirnov: breathlessness rising, then a chest infection ---------------

PYOTR_WEEK: dict[int, tuple[dict[str, int], str]] = {
    7: (esas(2, 5, 3, 0, 4, 3, 3, 5, 5), ""),
    6: (esas(2, 5, 3, 0, 4, 3, 3, 4, 5), "Хорошая ночь с маской. Решал шахматную задачу."),
    5: (esas(2, 6, 3, 0, 4, 4, 3, 5, 5), ""),
    4: (esas(3, 6, 4, 0, 5, 4, 3, 5, 5), "Breathless after his wash this morning."),
    3: (esas(3, 6, 4, 0, 5, 5, 3, 6, 6), "Маска ночью соскользнула, медсестра звонила утром."),
    2: (
        esas(3, 6, 4, 0, 5, 7, 4, 6, 6),
        "Задыхается, когда говорит. Боится ночи. (Breathless when he talks. Afraid of the night.)",
    ),
    1: (
        esas(3, 6, 5, 1, 6, 6, 4, 6, 6),
        "Кашель стал влажный, мокрота желтоватая. Днём спал с маской. (The cough is wetter, "
        "yellowish phlegm. Slept with the mask in the afternoon.)",
    ),
}
READING_HOURS = (0, 3, 6, 9, 12, 15, 18, 21)


def _pyotr_reading(days_ago: int, slot: int) -> tuple[int, int]:
    """SpO2 and pulse for an ordinary reading: drifting down through the week
    (NEWS2 0–2, no alert)."""
    spo2 = 96 if days_ago >= 5 else 95 if days_ago >= 3 else 94
    pulse = 76 + 2 * (7 - days_ago) + (0, -4, -2, 3, 5, 2, 4, 1)[slot]
    return spo2, min(pulse, 90)


def _ingest(device: MonitoringDevice, observed_at: datetime, spo2: int, pulse: int) -> None:
    with clock.travel_to(observed_at + timedelta(minutes=2)):
        monitoring.ingest_readings(
            device=device,
            readings=[
                {"code": "spo2", "value": spo2, "unit": "%", "observed_at": observed_at},
                {"code": "pulse", "value": pulse, "unit": "/min", "observed_at": observed_at},
            ],
        )


def _pyotr(s: Story) -> None:
    nurse, doctor, tatiana = "nurse.sokolova", "dr.ivanova", "family.smirnova"
    with s.at(14, 13, 30):
        s.phase(
            doctor,
            Phase.STABLE,
            "Nights settled on his NIV; care plan agreed at today's team meeting.",
        )
    with s.at(7, 10, 30):
        device, _token = monitoring.register_device(
            actor=s.user(nurse),
            patient=s.patient,
            kind=DeviceKind.PULSE_OXIMETER,
            label="Bedside pulse oximeter (worn at night with the NIV mask)",
            serial_number="PO-2231-0457",
        )
    with s.at(6, 10, 30):
        s.pps(nurse, 50)
    for days_ago in range(7, 0, -1):
        for slot, hour in enumerate(READING_HOURS):
            if days_ago == 7 and hour < 12:
                continue  # registered this morning
            spo2, pulse = _pyotr_reading(days_ago, slot)
            if days_ago == 3 and hour == 3:
                spo2 = 91  # the mask had slipped: a single NEWS2 parameter scoring 3
            _ingest(device, s.moment(days_ago, hour), spo2, pulse)
        if days_ago == 3:
            night = s.alert(AlertRule.NEWS2)
            with s.at(3, 7, 25):
                night = s.acknowledge(night)
            with s.at(3, 7, 35):
                night = s.triage(
                    night,
                    TriageOutcome.ADVICE_BY_PHONE,
                    "Called Tatiana (in Russian): the NIV mask had slipped in the night. She "
                    "refitted it; SpO2 95% within ten minutes. No fever, no new cough.",
                )
            with s.at(3, 7, 50):
                s.resolve(
                    night,
                    "Readings back to his usual since 04:00. Mask fit to be checked at today's "
                    "visit.",
                )
            with s.at(3, 10, 30):
                s.pps(nurse, 40)
        scores, note = PYOTR_WEEK[days_ago]
        with s.at(days_ago, 19, 30):
            s.check_in(tatiana, scores, note=note, completed_by=Respondent.CAREGIVER_ASSISTED)
        if days_ago == 2:
            breath = s.alert(AlertRule.ESAS_SEVERE)
            with s.at(2, 19, 44):
                breath = s.acknowledge(breath)
            with s.at(2, 19, 55):
                breath = s.triage(
                    breath,
                    TriageOutcome.TELECONSULT,
                    "Called Tatiana: breathless when he talks, no fever, cough dry, no choking. "
                    "Dr Ivanova (his own physician, Russian-speaking) to see him by video "
                    "tonight.",
                )
            with s.at(2, 21, 0):
                s.phase(
                    doctor,
                    Phase.DETERIORATING,
                    "Breathlessness rising through the week as his breathing muscles weaken.",
                    end_reason="Breathlessness gradually worse; the plan needs review.",
                )
            with s.at(2, 21, 15):
                s.resolve(
                    breath,
                    "Dr Ivanova saw him by video at 20:40: NIV for daytime rests as well as "
                    "nights, the fan, sitting up, and his as-needed morphine for breathlessness "
                    "as prescribed. Phase now deteriorating. Nurse visit tomorrow.",
                )
        if days_ago == 1:
            with s.at(1, 11, 0):
                s.pps(nurse, 40)
    # Today: ordinary readings overnight, then a NEWS2 trigger.
    start, _end = s.recent
    for slot, hour in enumerate(READING_HOURS):
        moment = _local(s.today, time(hour))
        if moment < start:
            _ingest(device, moment, 93, 96 + slot)  # NEWS2 3: no alert yet
    _ingest(device, s.earlier_today(0.0), 90, 114)  # NEWS2 5: urgent response
    with s.today_at(0.08):
        chest = s.acknowledge(s.alert(AlertRule.NEWS2))
    with s.today_at(0.15):
        s.triage(
            chest,
            TriageOutcome.URGENT_PHYSICIAN_VISIT,
            "SpO2 90% on his NIV with pulse 114; more breathless for two days and a wet cough "
            "with yellow sputum since yesterday: likely chest infection. His advance care plan "
            "says antibiotics at home first. Urgent visit by Dr Ivanova (Russian-speaking) "
            "today. Tatiana to call at once if he is choking or more breathless.",
        )
    _ingest(device, s.earlier_today(0.6), 91, 108)  # still low: more evidence, same alert


# --- HH-1006 Tom Whitaker: stable, a seizure, a bad morning today ----------------------

TOM_WEEK: dict[int, tuple[str, dict[str, int], str]] = {
    7: (
        "patient.whitaker",
        esas(2, 4, 2, 1, 2, 0, 4, 4, 4),
        "First go at this. Bit of a headache.",
    ),
    6: ("patient.whitaker", esas(2, 4, 2, 0, 2, 0, 4, 5, 4), ""),
    5: (
        "patient.whitaker",
        esas(1, 3, 2, 0, 2, 0, 3, 5, 3),
        "Two hours on the diary. Walked to London Fields with Jess.",
    ),
    4: (
        "family.whitaker",
        esas(2, 5, 4, 1, 2, 0, 4, 7, 5),
        "Tom's right hand and face twitched for about two minutes at teatime. He didn't pass "
        "out and was himself after, just wiped out. We're both shaken. Jess",
    ),
    3: ("patient.whitaker", esas(1, 4, 3, 0, 2, 0, 3, 4, 4), ""),
    2: ("patient.whitaker", esas(2, 4, 2, 0, 2, 0, 3, 3, 3), "Good day. Orient won."),
    1: ("patient.whitaker", esas(2, 4, 3, 0, 2, 0, 3, 3, 3), ""),
}


def _tom(s: Story) -> None:
    nurse, doctor = "nurse.brennan", "dr.patel"
    with s.at(7, 14, 30):
        s.pps(doctor, 60)
        s.score(doctor, "akps", {"level": 60})
    with s.at(7, 15, 30):
        s.phase(
            doctor,
            Phase.STABLE,
            "Headaches and seizures controlled on dexamethasone and levetiracetam; Jess coping.",
        )
    for days_ago in range(7, 0, -1):
        by, scores, note = TOM_WEEK[days_ago]
        completed_by = "" if by == "patient.whitaker" else Respondent.FAMILY_CAREGIVER
        with s.at(days_ago, 21, 30):
            s.check_in(by, scores, note=note, completed_by=completed_by)
        if days_ago == 4:
            seizure = s.alert(AlertRule.ESAS_SEVERE)
            with s.at(4, 21, 42):
                seizure = s.acknowledge(seizure)
            with s.at(4, 21, 58):
                seizure = s.triage(
                    seizure,
                    TriageOutcome.ADVICE_BY_PHONE,
                    "Called Jess: a focal seizure of under two minutes, fully recovered, no "
                    "headache or vomiting since. Went through his seizure plan again (buccal "
                    "midazolam if it lasts more than five minutes, then 999).",
                )
            with s.at(3, 7, 45):
                s.resolve(
                    seizure,
                    "Quiet night, no more seizures (Jess). Asked Dr Patel to review the "
                    "levetiracetam dose at today's visit.",
                )
        if days_ago == 3:
            with s.at(3, 11, 30):
                s.pps(nurse, 60)
    with s.today_at(0.45):
        s.check_in(
            "family.whitaker",
            esas(6, 5, 4, 4, 3, 0, 3, 5, 5),
            note=(
                "Tom's had a really bad headache for a few hours now and he was sick once. "
                "He kept his dexamethasone down. Jess"
            ),
            completed_by=Respondent.FAMILY_CAREGIVER,
        )
    with s.today_at(0.55):
        s.acknowledge(s.alert(AlertRule.ESAS_RISE))


#: Record number → how that person's week is written (patients in care only).
STORIES: list[tuple[str, Callable[[Story], None]]] = [
    ("HH-1001", _amina),
    ("HH-1002", _pyotr),
    ("HH-1006", _tom),
]


def _in_care(patient: Patient) -> bool:
    episode = patient.current_episode
    return episode is not None and episode.state == EpisodeState.ACTIVE


def _today_stretch(now: datetime, today: date) -> tuple[datetime, datetime]:
    """The hours of today before loading in which today's events happen: up to
    six hours, from midnight at the earliest (or half an hour before loading,
    just after midnight), so they always follow yesterday's evening."""
    midnight = _local(today, time(0, 0))
    start = max(now - timedelta(hours=6), min(midnight, now - timedelta(minutes=30)))
    return start, now - timedelta(minutes=2)


def seed_monitoring(staff: dict[str, User]) -> None:
    """The on-call roster, then each patient in care's week of monitoring, once
    (``staff`` keyed by username)."""
    now, today = clock.now(), clock.today()
    _seed_on_call_roster(staff, today)
    recent = _today_stretch(now, today)
    for record_number, story in STORIES:
        patient = Patient.objects.filter(record_number=record_number).first()
        if patient is None or not _in_care(patient):
            continue
        if CheckIn.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story(Story(patient=patient, staff=staff, today=today, recent=recent))
