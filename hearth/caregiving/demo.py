"""Family training and support for the demo, written through the same services
the nurses, psychologists, social workers, the coordinator and the families
use, so sign-offs, the support task a high strain score raises, and the audit
trail are real.

* HH-1001 Amina Hassan: her daughter Leila was shown safe moving with the
  slide sheet and signed off only until the hoist arrived; that sign-off has
  expired and needs refreshing. Pressure care signed off, mouth care practised.
  Giving medicines under the skin and by mouth: the medicines demo signed her
  off (the training page reads those same sign-offs); here the nurse's showing
  and practice are recorded. Leila asked from the portal for a volunteer to
  sit with her mother; the coordinator booked Chris Hughes for tomorrow.
* HH-1002 Pyotr Smirnov: his wife Tatiana scored high on the Zarit-12 with the
  psychologist three days ago, which opened a support task for the team (the
  psychologist took it on); a counselling session since, and she has asked for
  a day of respite next week, still waiting for the coordinator.
* HH-1006 Tom Whitaker: his partner Sam is learning what to expect as Tom
  becomes more unwell and whom to call; a family counselling session with
  Tom's mother present, and the social worker's benefits claim.

Safe to run again: each part is added only when the patient has none yet; a
medicine sign-off is made here only if the medicines demo did not make one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.assessments import services as assessments
from hearth.assessments.models import AssessmentResponse
from hearth.caregiving import services
from hearth.caregiving.models import (
    RespiteRequest,
    SupportContact,
    SupportTask,
    TrainingRecord,
)
from hearth.core import clock
from hearth.medications.models import MedicineSignOff
from hearth.monitoring.choices import AlertRule, TriageOutcome
from hearth.monitoring.demo import act_on_alert
from hearth.monitoring.models import Alert
from hearth.patients.choices import EpisodeState
from hearth.patients.models import CaregiverLink, Patient

ZARIT_HIGH = {f"item_{n}": v for n, v in enumerate((3, 2, 3, 2, 2, 1, 3, 2, 1, 2, 2, 1), 1)}


class Family:
    def __init__(self, patient: Patient, staff: dict[str, User], today: date) -> None:
        self.patient = patient
        self.staff = staff
        self.today = today

    def user(self, username: str) -> User:
        return self.staff.get(username) or User.objects.get(username=username)

    def carer(self, username: str) -> CaregiverLink:
        return CaregiverLink.objects.select_related("user").get(
            patient=self.patient, user__username=username
        )

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(self.day(days_ago), time(hour, minute)))

    @contextmanager
    def at(self, days_ago: int, hour: int, minute: int = 0) -> Iterator[None]:
        with clock.travel_to(self.moment(days_ago, hour, minute)):
            yield

    def step(
        self, by: str, carer: str, skill: str, step: str, days_ago: int, **values: Any
    ) -> None:
        with self.at(days_ago, 11):
            services.record_training_step(
                actor=self.user(by),
                patient=self.patient,
                caregiver=self.carer(carer),
                skill=skill,
                step=step,
                on=self.day(days_ago),
                **values,
            )

    def taught(self, by: str, carer: str, skill: str, shown: int, practised: int) -> None:
        self.step(by, carer, skill, "demonstrated", shown)
        self.step(by, carer, skill, "practised", practised)

    def medicine_signed_off(self, carer: str, route: str) -> bool:
        return MedicineSignOff.objects.filter(
            patient=self.patient, caregiver__username=carer, route=route, revoked_at__isnull=True
        ).exists()


# --- Training ---------------------------------------------------------------------------


def _train_leila(f: Family) -> None:
    nurse, leila = "nurse.brennan", "family.hassan"
    f.taught(nurse, leila, "moving_turning", 36, 35)
    f.step(
        nurse,
        leila,
        "moving_turning",
        "signed_off",
        35,
        expires_on=f.day(35) + timedelta(days=21),
        note="Turning with the slide sheet, on her own. Only until the hoist arrives: "
        "then we teach the hoist.",
    )
    f.taught(nurse, leila, "pressure_care", 30, 28)
    f.step(nurse, leila, "pressure_care", "signed_off", 28, note="Checks heels and sacrum daily.")
    f.taught(nurse, leila, "mouth_care", 3, 2)
    for route, shown, practised in (("subcutaneous", 13, 12), ("oral", 12, 12)):
        skill = f"medicines_{route}"
        f.taught(nurse, leila, skill, shown, practised)
        if not f.medicine_signed_off(leila, route):
            f.step(nurse, leila, skill, "signed_off", 11)


def _train_tatiana(f: Family) -> None:
    nurse, tatiana = "nurse.sokolova", "family.smirnova"
    f.taught(nurse, tatiana, "mouth_care", 16, 15)
    f.step(nurse, tatiana, "mouth_care", "signed_off", 15)
    f.taught(nurse, tatiana, "pressure_care", 12, 10)
    f.taught(nurse, tatiana, "medicines_oral", 10, 10)
    if not f.medicine_signed_off(tatiana, "oral"):
        f.step(nurse, tatiana, "medicines_oral", "signed_off", 9)


def _train_sam(f: Family) -> None:
    nurse, sam = "nurse.brennan", "family.whitaker"
    f.taught(nurse, sam, "what_to_do", 8, 7)
    f.step(nurse, sam, "what_to_do", "signed_off", 7, note="Knows the numbers; card by the phone.")
    f.step(nurse, sam, "signs_of_dying", "demonstrated", 3)
    for route in ("oral", "buccal"):
        f.taught(nurse, sam, f"medicines_{route}", 10, 10)
        if not f.medicine_signed_off(sam, route):
            f.step(nurse, sam, f"medicines_{route}", "signed_off", 10)


# --- Strain, contacts, respite ---------------------------------------------------------------


def _tatiana_support(f: Family) -> None:
    psychologist = f.user("psych.mensah")
    tatiana = f.carer("family.smirnova")
    if not AssessmentResponse.objects.filter(
        patient=f.patient, caregiver=tatiana, instrument="zarit12"
    ).exists():
        with f.at(3, 15):
            assessments.record_assessment(
                actor=psychologist,
                patient=f.patient,
                instrument="zarit12",
                answers=ZARIT_HIGH,
                completed_by="family_caregiver",
                caregiver_id=tatiana.external_id,
                context="home_visit",
            )
        # The strain alert is answered in time; the task carries the follow-up.
        alert = (
            Alert.objects.open().filter(patient=f.patient, rule=AlertRule.CAREGIVER_STRAIN).first()
        )
        if alert is not None:
            act_on_alert(
                alert,
                outcome=TriageOutcome.NO_ACTION,
                note="Seen by the psychologist at the visit that recorded it; a support "
                "task for respite and counselling follows it up.",
                resolution="Support task open: counselling offered, respite to be arranged.",
            )
        task = SupportTask.objects.open().filter(caregiver=tatiana).first()
        if task is not None:
            with f.at(3, 15, 30):
                services.update_support_task(
                    actor=psychologist,
                    task=task,
                    changes={
                        "assigned_discipline": "psychologist",
                        "assigned_to": psychologist,
                        "suggested_actions": ["psychologist", "respite"],
                        "due_on": f.day(-4),
                    },
                )
    if not SupportContact.objects.filter(patient=f.patient).exists():
        with f.at(2, 16):
            services.record_support_contact(
                actor=psychologist,
                patient=f.patient,
                kind="counselling",
                mode="home",
                occurred_at=f.moment(2, 14),
                duration_minutes=50,
                relatives=[tatiana],
                outcome=(
                    "Talked about the nights: she is afraid he will choke while she sleeps. "
                    "Explained the plan for breathlessness and that she can call at any hour. "
                    "Tearful, but said it helped to say it aloud."
                ),
                next_step="Second session; ask the coordinator about a day of respite.",
                next_contact_on=f.day(-5),
            )
    if not RespiteRequest.objects.filter(patient=f.patient).exists():
        with f.at(1, 19):
            services.request_respite(
                actor=f.user("family.smirnova"),
                patient=f.patient,
                kind="day",
                wanted_from=f.day(-5),
                wanted_to=f.day(-5),
                reason="Мне нужен один день, чтобы выспаться. (I need one day to sleep.)",
            )


def _leila_respite(f: Family) -> None:
    if RespiteRequest.objects.filter(patient=f.patient).exists():
        return
    with f.at(3, 21):
        respite = services.request_respite(
            actor=f.user("family.hassan"),
            patient=f.patient,
            kind="volunteer_sitting",
            wanted_from=f.day(-1),
            wanted_to=f.day(-1),
            reason="Abdi and I need a few hours to sleep and to see the imam.",
        )
    with f.at(2, 10):
        services.book_respite(
            actor=f.user("coord.lewis"),
            respite=respite,
            volunteer=f.user("vol.hughes"),
            booked_from=f.moment(-1, 14),
            booked_to=f.moment(-1, 18),
            note="Chris will sit with your mother from 2 to 6 pm. The nurse's number is on "
            "the fridge for him.",
        )


def _sam_support(f: Family) -> None:
    if SupportContact.objects.filter(patient=f.patient).exists():
        return
    sam = f.carer("family.whitaker")
    with f.at(5, 12):
        services.record_support_contact(
            actor=f.user("sw.garcia"),
            patient=f.patient,
            kind="benefits",
            mode="phone",
            occurred_at=f.moment(5, 11),
            duration_minutes=30,
            relatives=[sam],
            outcome="Sam has stopped work to care for Tom. Claim for Tom's disability "
            "benefit under the terminal-illness rules started; carer's allowance explained.",
            next_step="Send the form with Dr Patel's statement; call Sam when it is received.",
            next_contact_on=f.day(-3),
        )
    with f.at(4, 17):
        services.record_support_contact(
            actor=f.user("psych.mensah"),
            patient=f.patient,
            kind="family_counselling",
            mode="home",
            occurred_at=f.moment(4, 15),
            duration_minutes=60,
            relatives=[sam],
            others_present="Jane Whitaker (Tom's mother)",
            outcome="Talked about how to tell Tom's nieces. Sam and Jane agreed to do it "
            "together this weekend; Jane worries she is in the way.",
            next_step="Book a session for Sam alone.",
            next_contact_on=f.day(-6),
        )


STORIES = {
    "HH-1001": (_train_leila, _leila_respite),
    "HH-1002": (_train_tatiana, _tatiana_support),
    "HH-1006": (_train_sam, _sam_support),
}


def seed_caregiving(staff: dict[str, User]) -> None:
    """Each active family's training and support, once (``staff`` keyed by username)."""
    today = clock.today()
    for record_number, (train, support) in STORIES.items():
        patient = Patient.objects.filter(record_number=record_number).first()
        if patient is None:
            continue
        episode = patient.current_episode
        if episode is None or episode.state != EpisodeState.ACTIVE:
            continue
        family = Family(patient, staff, today)
        with transaction.atomic():
            if not TrainingRecord.objects.filter(patient=patient).exists():
                train(family)
            support(family)
