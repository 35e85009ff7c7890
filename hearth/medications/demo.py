"""Medicines for the demo, written through the same services the doctors,
nurses and families use, so refusals, the breakthrough-dose alert, the
register and the audit trail are real.

* HH-1001 Amina Hassan: morphine by syringe pump and as-needed doses under the
  skin that her daughter Leila was trained to give. Four days ago three
  breakthrough doses in an afternoon raised a review alert for the physician;
  Dr Okafor raised the pump by half and the breakthrough dose with it. Since
  she became terminal, midazolam for distress. Today's stock count of morphine
  ampoules is half an ampoule short: an open discrepancy.
* HH-1002 Pyotr Smirnov: low-dose morphine for breathlessness, regular and as
  needed, given by his wife Tatiana. Yesterday evening the nurse gave the 20:00
  dose during her visit while Tatiana's phone, offline, recorded the same dose:
  it waits in the review queue.
* HH-1006 Tom Whitaker: dexamethasone each morning (vomited this morning),
  paracetamol as needed, and buccal midazolam kept at home for a long seizure.

Safe to run again: a patient who already has orders is left as they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from hearth.accounts.models import User
from hearth.core import clock
from hearth.medications import services
from hearth.medications.models import DrugRoute, Formulation, MedicationOrder
from hearth.monitoring import services as monitoring
from hearth.monitoring.choices import AlertRule, TriageOutcome
from hearth.monitoring.demo import Week, _today_stretch
from hearth.monitoring.models import Alert
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient


def _drug(name: str, route: str) -> DrugRoute:
    return DrugRoute.objects.get(drug__name=name, route=route)


def _form(name: str, route: str, strength: str, form: str | None = None) -> Formulation:
    found = Formulation.objects.filter(
        drug_route__drug__name=name, drug_route__route=route, strength=strength
    )
    return found.get(form=form) if form else found.get()


class Chart(Week):
    """One patient's medicines, told day by day."""

    def prescribe(self, by: str, drug_route: DrugRoute, **values: Any) -> MedicationOrder:
        return services.prescribe(
            actor=self.user(by), patient=self.patient, drug_route=drug_route, **values
        )

    def sign_off(self, by: str, family: str, *routes: str) -> None:
        for route in routes:
            services.sign_off_caregiver(
                actor=self.user(by),
                patient=self.patient,
                caregiver=self.user(family),
                route=route,
                signed_off_on=clock.today(),
                expires_on=clock.today() + timedelta(days=90),
                note="Watched a dose drawn up and given, then gave two under supervision.",
            )

    def give(
        self, by: str, order: MedicationOrder, slot: datetime | None = None, **values: Any
    ) -> services.Recorded:
        order.refresh_from_db()
        assert order.current is not None
        values.setdefault("dose", order.current.dose)
        return services.record_administration(
            actor=self.user(by),
            order=order,
            route=order.drug_route.route,
            scheduled_for=slot,
            idempotency_key=f"demo-{order.pk}-{clock.now():%Y%m%dT%H%M%S}-{by}",
            **values,
        )

    def stock(
        self, by: str, formulation: Formulation, movement: str, quantity: Any, **values: Any
    ) -> None:
        services.record_stock(
            actor=self.user(by),
            patient=self.patient,
            formulation=formulation,
            movement=movement,
            quantity=quantity,
            **values,
        )


def _settle_breakthrough_alert(chart: Chart, days_ago: int, note: str) -> None:
    """The physician on call (who acknowledged it at 17:25, within the
    deadline) agrees the change with the lead physician and resolves it the
    next morning."""
    alert = (
        Alert.objects.open()
        .filter(patient=chart.patient, rule=AlertRule.BREAKTHROUGH_DOSES)
        .first()
    )
    if alert is None or alert.owner is None:
        return
    owner = alert.owner
    with chart.at(days_ago, 21, 40):
        alert = monitoring.triage_alert(
            actor=owner, alert=alert, outcome=TriageOutcome.TREATMENT_ADJUSTMENT, note=note
        )
    with chart.at(days_ago - 1, 8, 0):
        monitoring.resolve_alert(
            actor=owner,
            alert=alert,
            note="Pump at the new dose since last night; no breakthrough dose overnight.",
        )


def _amina(c: Chart) -> None:
    doctor, nurse, leila = "dr.okafor", "nurse.brennan", "family.hassan"
    ampoule = _form("Morphine", "subcutaneous", "10 mg/1 ml")
    with c.at(12, 15, 0):
        pump = c.prescribe(
            doctor,
            _drug("Morphine", "subcutaneous"),
            formulation=ampoule,
            kind="regular",
            dose="20",
            times=["10:00"],
            indication="pain (continuous over 24 hours by syringe pump)",
            instructions="The nurse sets up the pump each morning. Do not touch the pump.",
        )
        breakthrough = c.prescribe(
            doctor,
            _drug("Morphine", "subcutaneous"),
            formulation=ampoule,
            kind="as_needed",
            dose="2.5",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="breakthrough pain",
            instructions="Into the butterfly in her tummy. Flush with the small syringe after.",
        )
    with c.at(12, 16, 0):
        c.stock(nurse, ampoule, "received", 50, witness="Leila Hassan", note="From the pharmacy")
    with c.at(11, 11, 0):
        c.sign_off(nurse, leila, "subcutaneous", "oral")
    # Told in time order, so the register's running balance reads as it happened.
    breakthrough_times = {6: [(19, 0)], 5: [(21, 0)], 4: [(14, 30), (17, 0), (20, 0)]}
    for days_ago in range(11, 3, -1):
        with c.at(days_ago, 10, 5):
            c.give(nurse, pump, slot=c.moment(days_ago, 10, 0))
        for hour, minute in breakthrough_times.get(days_ago, []):
            with c.at(days_ago, hour, minute):
                c.give(leila, breakthrough)
            if (days_ago, hour) == (4, 17):
                # The third dose in 24 h: the physician on call acknowledges in time.
                with c.at(4, 17, 25):
                    alert = Alert.objects.open().get(
                        patient=c.patient, rule=AlertRule.BREAKTHROUGH_DOSES
                    )
                    assert alert.owner is not None, "the on-call roster names an owner"
                    monitoring.acknowledge_alert(actor=alert.owner, alert=alert)
    _settle_breakthrough_alert(
        c,
        4,
        "Three breakthrough doses since 14:30 and pain 7/10. With Dr Okafor: pump up from "
        "20 to 30 mg/24 h; breakthrough dose 5 mg (1/6 of the new total).",
    )
    with c.at(4, 21, 45):
        services.change_order(
            actor=c.user(doctor),
            order=pump,
            reason="Three breakthrough doses today, pain 7/10: up by half.",
            dose="30",
            times=["10:00"],
            indication="pain (continuous over 24 hours by syringe pump)",
            instructions="The nurse sets up the pump each morning. Do not touch the pump.",
            formulation=ampoule,
        )
        services.change_order(
            actor=c.user(doctor),
            order=breakthrough,
            reason="Breakthrough dose kept at 1/6 of the new pump dose.",
            dose="5",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="breakthrough pain",
            instructions="Into the butterfly in her tummy. Flush with the small syringe after.",
            formulation=ampoule,
        )
    with c.at(3, 10, 5):
        c.give(nurse, pump, slot=c.moment(3, 10, 0))
    with c.at(2, 3, 0):
        c.give(leila, breakthrough)
    with c.at(2, 10, 5):
        c.give(nurse, pump, slot=c.moment(2, 10, 0))
    midazolam = _form("Midazolam", "subcutaneous", "10 mg/2 ml")
    with c.at(2, 12, 0):
        settle = c.prescribe(
            doctor,
            _drug("Midazolam", "subcutaneous"),
            formulation=midazolam,
            kind="as_needed",
            dose="2.5",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="agitation or distress in the last days",
            instructions="If she is restless and cannot settle. Call us after giving it.",
        )
        c.stock(nurse, midazolam, "received", 5, witness="Leila Hassan")
    with c.at(1, 10, 5):
        c.give(nurse, pump, slot=c.moment(1, 10, 0))
    with c.at(1, 23, 0):
        c.give(nurse, settle, note="Restless, pulling at the sheets; settled within 20 minutes.")
    with clock.travel_to(c.earlier_today(0.5)):
        holding = c.patient.stock_holdings.get(formulation=ampoule)
        c.stock(
            nurse,
            ampoule,
            "counted",
            holding.balance - Decimal("0.5"),
            witness="Leila Hassan",
            note="Half an ampoule short; Leila thinks one was dropped on Sunday.",
        )


def _pyotr(c: Chart) -> None:
    doctor, nurse, tatiana = "dr.ivanova", "nurse.sokolova", "family.smirnova"
    solution = _form("Morphine", "oral", "10 mg/5 ml")
    tablets = _form("Morphine", "oral", "10 mg", form="mr_tablet")
    with c.at(9, 12, 0):
        as_needed = c.prescribe(
            doctor,
            _drug("Morphine", "oral"),
            formulation=solution,
            kind="as_needed",
            dose="2.5",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="breathlessness",
            instructions="1.25 ml with the oral syringe. Sit him up and open the window first.",
        )
        c.stock(nurse, solution, "received", 100, witness="Tatiana Smirnova")
    with c.at(9, 13, 0):
        c.sign_off(nurse, tatiana, "oral")
    with c.at(6, 12, 0):
        regular = c.prescribe(
            doctor,
            _drug("Morphine", "oral"),
            formulation=tablets,
            kind="regular",
            dose="10",
            times=["08:00", "20:00"],
            indication="breathlessness (a low regular dose)",
            instructions="Swallow whole with water; do not crush.",
        )
        c.stock(nurse, tablets, "received", 28, witness="Tatiana Smirnova")
    for days_ago in range(5, 0, -1):
        for hour in (8, 20):
            if days_ago == 1 and hour == 20:
                continue
            with c.at(days_ago, hour, 10):
                c.give(tatiana, regular, slot=c.moment(days_ago, hour))
    for days_ago, hour, minute in ((5, 22, 0), (3, 3, 10), (2, 23, 40), (1, 4, 0)):
        with c.at(days_ago, hour, minute):
            c.give(tatiana, as_needed)
    with c.at(1, 20, 5):
        c.give(nurse, regular, slot=c.moment(1, 20), note="Given during the evening visit.")
    with clock.travel_to(c.earlier_today(0.3)):
        c.give(
            tatiana,
            regular,
            slot=c.moment(1, 20),
            given_at=c.moment(1, 20, 10),
            recorded_offline=True,
            device_recorded_at=c.moment(1, 20, 11),
            client_id="tatiana-phone-0042",
        )


def _tom(c: Chart) -> None:
    doctor, nurse, partner = "dr.patel", "nurse.brennan", "family.whitaker"
    with c.at(10, 10, 0):
        steroid = c.prescribe(
            doctor,
            _drug("Dexamethasone", "oral"),
            formulation=_form("Dexamethasone", "oral", "2 mg"),
            kind="regular",
            dose="4",
            times=["08:00"],
            indication="swelling around the tumour (headache)",
            instructions="Two tablets with breakfast.",
        )
        paracetamol = c.prescribe(
            doctor,
            _drug("Paracetamol", "oral"),
            formulation=_form("Paracetamol", "oral", "500 mg"),
            kind="as_needed",
            dose="1000",
            minimum_interval_minutes=240,
            maximum_doses_24h=4,
            indication="headache",
            instructions="Two tablets.",
        )
        buccal = _form("Midazolam", "buccal", "10 mg/1 ml")
        c.prescribe(
            doctor,
            _drug("Midazolam", "buccal"),
            formulation=buccal,
            kind="as_needed",
            dose="10",
            minimum_interval_minutes=10,
            maximum_doses_24h=2,
            indication="a seizure lasting more than 5 minutes",
            instructions=(
                "Between the gum and the cheek. Time the seizure. If it has not stopped 10 "
                "minutes after the dose, call 999 and then the team."
            ),
        )
        c.stock(nurse, buccal, "received", 2, witness="Sam Whitaker")
    with c.at(10, 11, 0):
        c.sign_off(nurse, partner, "oral", "buccal")
    for days_ago in range(9, 0, -1):
        with c.at(days_ago, 8, 5):
            c.give(partner, steroid, slot=c.moment(days_ago, 8))
    for hour in (9, 15):
        with c.at(4, hour, 30):
            c.give(partner, paracetamol)
    moment = c.earlier_today(0.6)
    slot = c.moment(0, 8)
    if moment >= slot:
        with clock.travel_to(moment):
            c.give(
                partner,
                steroid,
                slot=slot,
                dose=None,
                outcome="not_given",
                not_given_reason="vomited",
                note="Sick just after breakfast; the tablets came back up.",
            )
    with clock.travel_to(c.earlier_today(0.7)):
        c.give(partner, paracetamol)


STORIES = [("HH-1001", _amina), ("HH-1002", _pyotr), ("HH-1006", _tom)]


def seed_medicines(staff: dict[str, User]) -> None:
    """Each patient in care's medicines, once (``staff`` keyed by username)."""
    now, today = clock.now(), clock.today()
    recent = _today_stretch(now, today)
    for record_number, story in STORIES:
        patient = Patient.objects.filter(record_number=record_number).first()
        if patient is None:
            continue
        episode = patient.current_episode
        if episode is None or episode.state != EpisodeState.ACTIVE:
            continue
        if MedicationOrder.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story(Chart(patient=patient, staff=staff, today=today, recent=recent))
