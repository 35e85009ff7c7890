"""Demo data that tells a believable story: a team, a commission and patients at
every stage of the journey, built through the same services a person would use
(so the audit trail and timelines are real). Safe to run again: people and
patients that already exist are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import Discipline, User, UserKind
from hearth.bereavement.demo import seed_bereavement
from hearth.caregiving.demo import seed_caregiving
from hearth.careplans.demo import seed_personal_care
from hearth.core import clock
from hearth.directory.demo import seed_directory
from hearth.equipment.demo import seed_equipment
from hearth.medications.demo import seed_medicines
from hearth.monitoring.demo import seed_monitoring
from hearth.patients import services
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import Patient
from hearth.team.demo import seed_team
from hearth.visits.demo import seed_visits
from hearth.volunteers.demo import seed_volunteers

DEMO_PASSWORD = "hearth-demo-2026"  # noqa: S105 - published demo password

STAFF: list[dict[str, Any]] = [
    {
        "username": "dr.okafor",
        "first_name": "Ngozi",
        "last_name": "Okafor",
        "discipline": Discipline.PHYSICIAN,
        "sits_on_medical_commission": True,
        "is_clinical_lead": True,
        "phone": "+44 20 7946 0101",
        "spoken_languages": ["en", "ig"],
    },
    {
        "username": "dr.ivanova",
        "first_name": "Elena",
        "last_name": "Ivanova",
        "discipline": Discipline.PHYSICIAN,
        "sits_on_medical_commission": True,
        "phone": "+44 20 7946 0102",
        "spoken_languages": ["en", "ru", "uk"],
        "preferred_language": "ru",
    },
    {
        "username": "dr.hale",
        "first_name": "Simon",
        "last_name": "Hale",
        "discipline": Discipline.COMMISSION_MEMBER,
        "phone": "+44 20 7946 0103",
        "spoken_languages": ["en", "fr"],
    },
    {
        "username": "dr.patel",
        "first_name": "Ravi",
        "last_name": "Patel",
        "discipline": Discipline.PHYSICIAN,
        "phone": "+44 20 7946 0104",
        "spoken_languages": ["en", "hi"],
    },
    {
        "username": "nurse.brennan",
        "first_name": "Siobhan",
        "last_name": "Brennan",
        "discipline": Discipline.NURSE,
        "phone": "+44 20 7946 0201",
        "spoken_languages": ["en"],
    },
    {
        "username": "nurse.sokolova",
        "first_name": "Marina",
        "last_name": "Sokolova",
        "discipline": Discipline.NURSE,
        "phone": "+44 20 7946 0202",
        "spoken_languages": ["en", "ru"],
        "preferred_language": "ru",
    },
    {
        "username": "psych.mensah",
        "first_name": "Kwame",
        "last_name": "Mensah",
        "discipline": Discipline.PSYCHOLOGIST,
        "phone": "+44 20 7946 0301",
        "spoken_languages": ["en"],
    },
    {
        "username": "sw.garcia",
        "first_name": "Lucia",
        "last_name": "Garcia",
        "discipline": Discipline.SOCIAL_WORKER,
        "phone": "+44 20 7946 0302",
        "spoken_languages": ["en", "es"],
    },
    {
        "username": "chaplain.davies",
        "first_name": "Owen",
        "last_name": "Davies",
        "discipline": Discipline.CHAPLAIN,
        "phone": "+44 20 7946 0303",
        "spoken_languages": ["en", "cy"],
    },
    {
        "username": "coord.lewis",
        "first_name": "Hannah",
        "last_name": "Lewis",
        "discipline": Discipline.COORDINATOR,
        "phone": "+44 20 7946 0000",
        "spoken_languages": ["en"],
    },
    {
        "username": "vol.hughes",
        "first_name": "Bethan",
        "last_name": "Hughes",
        "discipline": Discipline.VOLUNTEER,
        "phone": "+44 20 7946 0401",
        "spoken_languages": ["en", "cy"],
    },
    {
        "username": "admin.kaur",
        "first_name": "Priya",
        "last_name": "Kaur",
        "discipline": Discipline.ADMINISTRATOR,
        "phone": "+44 20 7946 0501",
        "spoken_languages": ["en", "pa"],
    },
]


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


def _patient(
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


def _referral(kind: str, name: str, organisation: str, reason: str, urgency: str) -> dict[str, Any]:
    return {
        "referrer_type": kind,
        "referrer_name": name,
        "referrer_organisation": organisation,
        "referrer_phone": "+44 20 7946 0999",
        "reason": reason,
        "urgency": urgency,
    }


PATIENTS: list[DemoPatient] = [
    DemoPatient(
        patient=_patient(
            "HH-1001",
            "Amina",
            "Hassan",
            date(1958, 3, 14),
            "female",
            "12 Brick Lane",
            "51.521500",
            "-0.071700",
            "+44 7700 900101",
            "en",
            "Muslim (Sunni); prays five times a day",
        ),
        diagnosis={
            "icd10_code": "C50.9",
            "text": "Breast cancer with bone and liver metastases",
            "group": "cancer",
            "is_primary": True,
        },
        referral=_referral(
            "hospital",
            "Dr A. Reid",
            "Royal London Hospital oncology",
            "Progressive metastatic disease, increasing bone pain; wishes to be cared for at home.",
            "soon",
        ),
        stage=EpisodeState.ACTIVE,
        days_ago=40,
        team=[
            ("dr.okafor", CareTeamRole.LEAD_PHYSICIAN),
            ("nurse.brennan", CareTeamRole.KEY_NURSE),
            ("chaplain.davies", CareTeamRole.CHAPLAIN),
            ("vol.hughes", CareTeamRole.VOLUNTEER),
        ],
        family=[
            {
                "username": "family.hassan",
                "first_name": "Leila",
                "last_name": "Hassan",
                "relationship": "daughter",
                "is_primary_caregiver": True,
                "is_proxy_decision_maker": True,
                "phone": "+44 7700 900111",
            }
        ],
    ),
    DemoPatient(
        patient=_patient(
            "HH-1002",
            "Pyotr",
            "Smirnov",
            date(1949, 11, 2),
            "male",
            "44 Kensington Church Street",
            "51.507800",
            "-0.194000",
            "+44 7700 900102",
            "ru",
            "Russian Orthodox",
            interpreter=True,
            preferred="Petya",
        ),
        diagnosis={
            "icd10_code": "G12.21",
            "text": "Motor neurone disease (ALS)",
            "group": "neurological",
            "is_primary": True,
        },
        referral=_referral(
            "specialist",
            "Dr M. Volkov",
            "Queen Square neurology",
            "Bulbar weakness and breathlessness at night; family asking for support at home.",
            "routine",
        ),
        stage=EpisodeState.ACTIVE,
        days_ago=21,
        team=[
            ("dr.ivanova", CareTeamRole.LEAD_PHYSICIAN),
            ("nurse.sokolova", CareTeamRole.KEY_NURSE),
            ("psych.mensah", CareTeamRole.PSYCHOLOGIST),
        ],
        family=[
            {
                "username": "family.smirnova",
                "first_name": "Tatiana",
                "last_name": "Smirnova",
                "relationship": "wife",
                "is_primary_caregiver": True,
                "is_proxy_decision_maker": True,
                "phone": "+44 7700 900112",
                "preferred_language": "ru",
            }
        ],
    ),
    DemoPatient(
        patient=_patient(
            "HH-1003",
            "Margaret",
            "O'Brien",
            date(1938, 6, 30),
            "female",
            "7 Camden Square",
            "51.543200",
            "-0.133600",
            "+44 7700 900103",
            "en",
            "Roman Catholic",
            preferred="Peggy",
        ),
        diagnosis={
            "icd10_code": "I50.0",
            "text": "Congestive heart failure, NYHA IV",
            "group": "heart_failure",
            "is_primary": True,
        },
        referral=_referral(
            "gp",
            "Dr J. Walsh",
            "Camden Road Surgery",
            "Three admissions in six months; breathless at rest; lives alone with nephew visiting.",
            "soon",
        ),
        stage=EpisodeState.AWAITING_COMMISSION,
        days_ago=3,
        team=[("dr.patel", CareTeamRole.PHYSICIAN), ("sw.garcia", CareTeamRole.SOCIAL_WORKER)],
    ),
    DemoPatient(
        patient=_patient(
            "HH-1004",
            "Daniel",
            "Cohen",
            date(1945, 1, 19),
            "male",
            "3 Golders Green Road",
            "51.572300",
            "-0.194400",
            "+44 7700 900104",
            "en",
            "Jewish (observant; keeps Shabbat)",
        ),
        diagnosis={
            "icd10_code": "J44.9",
            "text": "Severe COPD on home oxygen",
            "group": "respiratory",
            "is_primary": True,
        },
        referral=_referral(
            "community_nurse",
            "Ruth Adler",
            "Barnet community nursing",
            "Oxygen-dependent, housebound, wife exhausted.",
            "routine",
        ),
        stage=EpisodeState.REFERRED,
        days_ago=1,
    ),
    DemoPatient(
        patient=_patient(
            "HH-1005",
            "Olga",
            "Kuznetsova",
            date(1952, 8, 8),
            "female",
            "19 Bayswater Road",
            "51.511500",
            "-0.182000",
            "+44 7700 900105",
            "ru",
            "No religion; values music and her garden",
        ),
        diagnosis={
            "icd10_code": "C25.0",
            "text": "Pancreatic cancer (head of pancreas)",
            "group": "cancer",
            "is_primary": True,
        },
        referral=_referral(
            "hospital",
            "Dr K. Lee",
            "St Mary's Hospital",
            "Rapid decline; wants to die at home with her son.",
            "urgent",
        ),
        stage=EpisodeState.BEREAVEMENT,
        days_ago=30,
        team=[
            ("dr.ivanova", CareTeamRole.LEAD_PHYSICIAN),
            ("nurse.sokolova", CareTeamRole.KEY_NURSE),
            ("psych.mensah", CareTeamRole.PSYCHOLOGIST),
        ],
        family=[
            {
                "username": "family.kuznetsov",
                "first_name": "Andrei",
                "last_name": "Kuznetsov",
                "relationship": "son",
                "is_primary_caregiver": True,
                "is_proxy_decision_maker": False,
                "phone": "+44 7700 900115",
                "preferred_language": "ru",
            }
        ],
    ),
    DemoPatient(
        patient=_patient(
            "HH-1006",
            "Tom",
            "Whitaker",
            date(1997, 4, 22),
            "male",
            "Flat 5, 88 Mare Street",
            "51.545800",
            "-0.055500",
            "+44 7700 900106",
            "en",
            "Not religious",
        ),
        diagnosis={
            "icd10_code": "C71.9",
            "text": "Glioblastoma, recurrent",
            "group": "cancer",
            "is_primary": True,
        },
        referral=_referral(
            "specialist",
            "Dr S. Ahmed",
            "UCLH neuro-oncology",
            "Young man with recurrent glioblastoma; wants to stay at home with his partner.",
            "soon",
        ),
        stage=EpisodeState.ACTIVE,
        days_ago=10,
        team=[
            ("dr.patel", CareTeamRole.LEAD_PHYSICIAN),
            ("nurse.brennan", CareTeamRole.KEY_NURSE),
            ("psych.mensah", CareTeamRole.PSYCHOLOGIST),
            ("sw.garcia", CareTeamRole.SOCIAL_WORKER),
        ],
        family=[
            {
                "username": "family.whitaker",
                "first_name": "Jess",
                "last_name": "Morgan",
                "relationship": "partner",
                "is_primary_caregiver": True,
                "is_proxy_decision_maker": True,
                "phone": "+44 7700 900116",
            }
        ],
        portal_username="patient.whitaker",
    ),
    DemoPatient(
        patient=_patient(
            "HH-1007",
            "Grace",
            "Adeyemi",
            date(1936, 12, 5),
            "female",
            "21 Peckham Rye",
            "51.463000",
            "-0.066500",
            "+44 7700 900107",
            "en",
            "Pentecostal Christian",
        ),
        diagnosis={
            "icd10_code": "F03",
            "text": "Advanced dementia with frailty",
            "group": "frailty",
            "is_primary": True,
        },
        referral=_referral(
            "gp",
            "Dr F. Obi",
            "Peckham Medical Centre",
            "Recurrent chest infections, eating less; family want her kept comfortable.",
            "routine",
        ),
        stage=EpisodeState.DISCHARGED,
        days_ago=60,
        team=[("dr.okafor", CareTeamRole.LEAD_PHYSICIAN), ("nurse.brennan", CareTeamRole.NURSE)],
        family=[
            {
                "username": "family.adeyemi",
                "first_name": "Tunde",
                "last_name": "Adeyemi",
                "relationship": "son",
                "is_primary_caregiver": True,
                "is_proxy_decision_maker": True,
                "phone": "+44 7700 900117",
            }
        ],
    ),
]


class Command(BaseCommand):
    help = "Load the demo service: staff, commission, patients and families (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        staff = {spec["username"]: self._staff(spec) for spec in STAFF}
        created = 0
        for demo in PATIENTS:
            if Patient.objects.filter(record_number=demo.patient["record_number"]).exists():
                continue
            with transaction.atomic():
                self._build(demo, staff)
            created += 1
        seed_personal_care(staff)
        seed_monitoring(staff)
        seed_medicines(staff)
        seed_visits(staff)
        seed_equipment(staff)
        seed_volunteers(staff)
        seed_caregiving(staff)
        seed_directory(staff)
        seed_bereavement(staff)
        seed_team(staff)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(staff)} staff, {created} new patients "
                f"({Patient.objects.count()} in all). "
                f"Password for every demo login: {DEMO_PASSWORD}"
            )
        )

    def _staff(self, spec: dict[str, Any]) -> User:
        user = User.objects.filter(username=spec["username"]).first()
        if user is not None:
            languages = spec.get("spoken_languages", [])
            if list(user.spoken_languages or []) != languages:
                user.spoken_languages = languages
                user.save(update_fields=["spoken_languages"])
            return user
        values = {k: v for k, v in spec.items() if k != "username"}
        return User.objects.create_user(
            username=spec["username"], password=DEMO_PASSWORD, kind=UserKind.STAFF, **values
        )

    def _build(self, demo: DemoPatient, staff: dict[str, User]) -> None:
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
