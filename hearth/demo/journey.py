"""A demo patient's journey through the service (referral → SPICT screening →
medical commission → admission → discharge or death → bereavement), written
through the patients app's services at the moments it would have happened, so
the episode, the audit trail and the timeline are real. Each story in
``hearth.demo.stories`` says who the patient is and how far they have come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.core import clock
from hearth.demo.people import DEMO_PASSWORD
from hearth.patients import services
from hearth.patients.choices import EpisodeState


@dataclass
class DemoPatient:
    patient: dict[str, Any]
    diagnosis: dict[str, Any]
    referral: dict[str, Any]
    stage: str
    days_ago: int
    team: list[tuple[str, str]] = field(default_factory=list)
    family: list[dict[str, Any]] = field(default_factory=list)
    portal_username: str = ""


def patient_details(
    record: str,
    given: str,
    family: str,
    born: date,
    sex: str,
    address: str,
    lat: str,
    lon: str,
    phone: str,
    language: str,
    faith: str,
    interpreter: bool = False,
    preferred: str = "",
) -> dict[str, Any]:
    return {
        "record_number": record,
        "given_name": given,
        "family_name": family,
        "preferred_name": preferred,
        "date_of_birth": born,
        "sex": sex,
        "address_line": address,
        "city": "London",
        "postal_code": "",
        "latitude": Decimal(lat),
        "longitude": Decimal(lon),
        "phone_primary": phone,
        "phone_secondary": "",
        "preferred_language": language,
        "interpreter_needed": interpreter,
        "faith": faith,
    }


def referral(kind: str, name: str, organisation: str, reason: str, urgency: str) -> dict[str, Any]:
    return {
        "referrer_type": kind,
        "referrer_name": name,
        "referrer_organisation": organisation,
        "referrer_phone": "+44 20 7946 0999",
        "reason": reason,
        "urgency": urgency,
    }


def tell_journey(demo: DemoPatient, staff: dict[str, User]) -> None:
    """Refer the patient and take them as far as ``demo.stage``, each step on
    its own day counted from ``demo.days_ago``."""
    coordinator = staff["coord.lewis"]
    start = timezone.make_aware(
        datetime.combine(clock.today() - timedelta(days=demo.days_ago), time(9, 30))
    )

    def at(days: float, hour: int = 10) -> Any:
        moment = start + timedelta(days=days)
        return clock.travel_to(moment.replace(hour=hour))

    with at(0, 9):
        episode = services.refer_new_patient(
            actor=coordinator,
            patient=demo.patient,
            referral=demo.referral,
            diagnoses=[demo.diagnosis],
        )
    patient = episode.patient
    with at(0, 11):
        for username, role in demo.team:
            services.assign_to_care_team(
                actor=coordinator, patient=patient, staff=staff[username], role=role
            )
        for member in demo.family:
            services.add_family_caregiver(
                actor=coordinator, patient=patient, password=DEMO_PASSWORD, **member
            )
        if demo.portal_username:
            services.give_patient_portal_access(
                actor=coordinator,
                patient=patient,
                username=demo.portal_username,
                password=DEMO_PASSWORD,
            )
    if demo.stage == EpisodeState.REFERRED:
        return
    with at(1):
        services.record_eligibility_screening(
            actor=coordinator,
            episode=episode,
            general_indicators=[
                "poor_performance",
                "dependent_on_others",
                "persistent_symptoms",
            ],
            condition_indicators=[_spict_for(demo.diagnosis["group"])],
            conclusion=(
                "Meets SPICT general and condition indicators; "
                "needs specialist palliative care at home."
            ),
            outcome="refer_to_commission",
        )
    if demo.stage == EpisodeState.AWAITING_COMMISSION:
        return
    commission = [staff["dr.okafor"], staff["dr.ivanova"], staff["dr.hale"]]
    with at(2, 14):
        services.record_commission_decision(
            actor=staff["dr.okafor"],
            episode=episode,
            decided_on=clock.today(),
            member_ids=[m.external_id for m in commission],
            chair_id=staff["dr.okafor"].external_id,
            diagnosis_code=demo.diagnosis["icd10_code"],
            diagnosis_text=demo.diagnosis["text"],
            indications=(
                "Progressive life-limiting illness with complex symptoms; "
                "wishes to be cared for at home."
            ),
            form_of_care="home",
            outcome="granted",
            reason="",
            review_date=clock.today() + timedelta(days=90),
        )
    with at(2, 16):
        services.admit_to_home_care(actor=coordinator, episode=episode)
    if demo.stage == EpisodeState.ACTIVE:
        return
    if demo.stage == EpisodeState.DISCHARGED:
        with at(demo.days_ago - 5):
            services.discharge(
                actor=staff["dr.okafor"],
                episode=episode,
                reason="moved_to_inpatient",
                note="Moved to a nursing home near her son at the family's request.",
            )
        return
    with at(demo.days_ago - 9, 3):
        services.record_death(
            actor=staff["nurse.sokolova"],
            episode=episode,
            died_at=clock.now(),
            place_of_death="home",
            note="Died peacefully at home with her son present, as she wished.",
        )
    with at(demo.days_ago - 8):
        services.start_bereavement_follow_up(actor=staff["psych.mensah"], episode=episode)


def _spict_for(group: str) -> str:
    return {
        "cancer": "cancer",
        "neurological": "neurological",
        "heart_failure": "heart_vascular",
        "respiratory": "respiratory",
        "kidney": "kidney",
        "liver": "liver",
        "frailty": "dementia_frailty",
    }.get(group, "cancer")
