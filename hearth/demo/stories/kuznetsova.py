# ruff: noqa: RUF001 - the Russian-speaking families' own words are in Cyrillic.
"""HH-1005 Olga Kuznetsova: pancreatic cancer; no religion, loves music and
her garden. Died at home nine days ago with her son Andrei, as she wished: her
profile, the signed advance care plan and the last team meeting from her time
with us; her hospital bed still at home for the return checklist; the next
steps after her death (register office and funeral directors done, counselling
in Russian to come); Andrei's bereavement follow-up (first contact, a moderate
risk screen) and the team's debrief.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hearth.accounts.models import User
from hearth.bereavement import services as bereavement_services
from hearth.bereavement.choices import ContactSource, ContactStatus, RiskFactor
from hearth.bereavement.models import BereavementContact, RiskScreen
from hearth.core import clock
from hearth.demo.directory import attach_next_step
from hearth.demo.equipment_store import Store, still_at_home_after_death
from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.profile_and_plans import EVERY_DAY, SUNDAY, Need, Scene
from hearth.directory.choices import NextStepStatus
from hearth.directory.models import DirectoryEntry
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import Patient
from hearth.personhood import services as profile
from hearth.team import services as team_services
from hearth.team.models import Debrief

RECORD_NUMBER = "HH-1005"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
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
)


# --- Profile, care plan and advance care plan ---------------------------------


def profile_and_plans(scene: Scene) -> None:
    nurse, doctor, psychologist = "nurse.sokolova", "dr.ivanova", "psych.mensah"
    with scene.at(27, 11):
        scene.section(
            nurse,
            "values",
            what_matters_most=(
                "Music, her garden and Andrei. In her words: «Чтобы дома пахло сиренью, а не "
                "больницей» (“Let my home smell of lilac, not of hospital.”)"
            ),
            goals=(
                "To stay at home with Andrei. To hear her former students play for her once "
                "more. To put her papers in order."
            ),
            wishes="To die at home, with music, and without priests (“I have never needed them”).",
            good_day=(
                "Coffee at the window over the garden, a Chopin nocturne on the radio, Andrei "
                "home in the evening, no pain."
            ),
            fears_and_worries="Pain. Being moved to hospital. Andrei being alone afterwards.",
        )
        scene.section(
            nurse,
            "information",
            information_wish="full",
            who_may_be_told=(
                "Andrei, everything. Her friend Vera, a former colleague, may be told how she is."
            ),
            decision_maker_name="Andrei Kuznetsov",
            decision_maker_relationship="son",
            decision_maker_phone="+44 7700 900115",
            decision_maker_basis="next_of_kin",
        )
        scene.section(
            nurse,
            "faith",
            culture=(
                "Born in Leningrad; taught piano at a music school there, then privately in "
                "London from 1994. Raised Andrei on her own."
            ),
            religion="None",
            spiritual_support="none",
            attitudes_to_interventions=(
                "Wants enough pain relief to be comfortable, even if it makes her sleepy: "
                "“I have played my last concert.”"
            ),
        )
        scene.section(
            nurse,
            "diet",
            favourite_foods=(
                "Black coffee, dark chocolate, kefir, pickled cucumbers from the Russian shop; "
                "very small portions."
            ),
            dislikes="Fatty food makes her sick (enzyme capsules with anything she eats).",
            food_texture="regular",
            drink_thickness="thin",
        )
        scene.section(
            nurse,
            "communication",
            preferred_language="ru",
            other_languages=["en"],
            style="direct",
            notes=(
                "Fluent in English, but when tired or in pain she speaks Russian; Andrei, "
                "Dr Ivanova and Marina speak Russian."
            ),
        )
        scene.section(
            nurse,
            "routine",
            wakes_at="08:00",
            goes_to_bed_at="23:30",
            rest="Sleeps much of the afternoon now.",
        )
        scene.window(
            nurse,
            "do_not_disturb",
            "Her former students come to play the piano for her",
            [SUNDAY],
            "15:00",
            "17:00",
        )
        scene.window(nurse, "rest", "Afternoon sleep", EVERY_DAY, "13:00", "15:00")
        scene.section(
            nurse,
            "home",
            music=(
                "Chopin nocturnes, Rachmaninov preludes, Shostakovich. Her old upright piano "
                "in the living room: students may play it."
            ),
            scents=(
                "Lilac (the tree in the garden grew from a cutting from her mother's dacha). "
                "No hospital smells: open the window."
            ),
            colours_and_light="Bed moved into the living room so that she can see the garden.",
            pets="No pets.",
        )
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="home",
            people_present="Andrei; her friend Vera.",
            music_and_rituals="Chopin's Nocturne in E minor, played by Andrei or a recording.",
            after_death_rituals=(
                "No religious rites. Andrei would like to open the window, as her family always "
                "did, and to sit with her a while before anyone is called."
            ),
            funeral_wishes=(
                "Cremation, no religious service; a small concert by her students instead. "
                "Ashes under the lilac."
            ),
        )
        concert = scene.legacy(
            nurse,
            "bucket_list",
            "A last concert at home by her former students",
            "planned",
            "Andrei and the students arrange it; the nurse times visits and medicines around it.",
        )
    with scene.at(27, 15):
        scene.assess(
            doctor,
            [
                Need("physical", "Upper abdominal and back pain from pancreatic cancer", 3),
                Need("physical", "Nausea, poor appetite and weight loss", 2),
                Need("family", "Andrei works full-time and will be alone with her at night", 2),
            ],
            "Rapid decline. Olga wants to die at home with her son; pain is the main problem.",
        )
    with scene.at(26, 12):
        scene.advance_care_plan(
            doctor,
            {
                "relevant_information": (
                    "C25.0 Pancreatic cancer (head of pancreas), rapid decline. Russian and "
                    "English."
                ),
                "preference": 5,
                "what_matters": "To die at home with Andrei, with music, in no pain.",
                "focus_of_care": "comfort",
                "hospital_transfer": "do_not_consider",
                "antibiotics": "do_not_consider",
                "artificial_nutrition": "do_not_consider",
                "non_invasive_ventilation": "do_not_consider",
                "other_recommendations": (
                    "Keep her at home. Pain and nausea by syringe pump if she cannot swallow. "
                    "A nerve block for the pain was offered and declined."
                ),
                "cpr": "do_not_attempt",
                "cpr_reason": (
                    "Advanced pancreatic cancer with rapid decline: CPR would not succeed. "
                    "Olga asked that it not be attempted; Andrei agrees."
                ),
                "capacity": "has_capacity",
                "patient_involved": True,
                "others_involved": "Andrei Kuznetsov (son). Discussed in Russian.",
                "emergency_contacts": "Andrei Kuznetsov, son, +44 7700 900115",
            },
            review_in_days=60,
            signer=doctor,
        )
    with scene.at(16, 18):
        profile.update_legacy_item(
            actor=scene.staff[nurse],
            item=concert,
            changes={
                "status": "done",
                "support_needed": (
                    "Done: six former students played Chopin and Rachmaninov in her living "
                    "room on Sunday afternoon. Marina timed her medicines around it."
                ),
            },
        )
    with scene.at(7, 14):
        scene.meeting(
            psychologist,
            ["dr.ivanova", "nurse.sokolova", "psych.mensah"],
            discussion=(
                "Olga died at home in the night two days ago, with Andrei beside her, as she "
                "wished. Her students had played for her the week before. Pain and nausea "
                "were controlled with the syringe pump."
            ),
            decisions=(
                "Bereavement follow-up for Andrei: Kwame to call at two weeks and visit at six "
                "weeks; a card from the team. Andrei asked for Marina to come to the first "
                "visit."
            ),
        )


# --- Equipment ----------------------------------------------------------------


def equipment(store: Store, patient: Patient) -> None:
    """Her hospital bed is still at home, for the bereavement return
    checklist (lent while she was in care)."""
    still_at_home_after_death(store.items["BED-0302"], patient, store.coordinator, store.sokolova)


# --- Directory ----------------------------------------------------------------


#: The day after her death, from nurse Sokolova: (entry name, note, final status, changed by)
STEPS_AFTER_DEATH: list[tuple[str, str, str, str]] = [
    (
        "Westminster Register Office: registering a death",
        "Andrei, the medical examiner will call you first; then book the registration "
        "within 5 days. Bring your mother's NHS number and birth details.",
        NextStepStatus.DONE,
        "family.kuznetsov",
    ),
    (
        "Hartley & Sons Funeral Directors",
        "They speak Russian and can hold a secular service with music, as your mother wished.",
        NextStepStatus.DONE,
        "family.kuznetsov",
    ),
    (
        "Doveriye: counselling in Russian",
        "When you feel ready: bereavement counselling in Russian, free for relatives.",
        NextStepStatus.TO_DO,
        "",
    ),
]


def steps_after_death(staff: dict[str, User], entries: dict[str, DirectoryEntry]) -> None:
    """Nurse Sokolova's visit the morning after the death was verified: the
    register office and the funeral directors (both since done), and
    bereavement counselling in Russian for when Andrei is ready."""
    bereaved = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if bereaved is None or bereaved.date_of_death is None:
        return
    start = timezone.make_aware(datetime.combine(bereaved.date_of_death, time(11, 0)))
    for name, note, status, changed_by in STEPS_AFTER_DEATH:
        attach_next_step(
            bereaved,
            entries[name],
            staff["nurse.sokolova"],
            note,
            status,
            changed_by,
            moment=start,
        )


# --- Bereavement --------------------------------------------------------------


def bereavement(staff: dict[str, User]) -> None:
    patient = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if patient is None:
        return
    episode = patient.episodes.filter(died_at__isnull=False).order_by("-opened_at").first()
    if episode is None:
        return
    plan = bereavement_services.create_plan_for(episode=episode)
    if not plan.is_open:
        return
    psychologist = staff["psych.mensah"]
    first = (
        BereavementContact.objects.filter(plan=plan, source=ContactSource.SCHEDULE)
        .order_by("due_on", "id")
        .first()
    )
    if first is not None and first.status == ContactStatus.PLANNED:
        bereavement_services.record_contact(
            actor=psychologist,
            contact=first,
            outcome=ContactStatus.DONE,
            done_at=clock.now() - timedelta(days=1),
            note=(
                "Phoned Andrei a few days early, after the funeral, at his request. "
                "Sleeping badly, back at work next week; his partner is with him. "
                "Talked through what to expect in the coming weeks; he has the support line."
            ),
        )
    if not RiskScreen.objects.valid().filter(plan=plan).exists():
        bereavement_services.record_risk_screen(
            actor=psychologist,
            plan=plan,
            factors=[RiskFactor.DEPENDENT_RELATIONSHIP, RiskFactor.HIGH_CAREGIVER_STRAIN],
            note=(
                "Only son, lived with his mother and was her main carer for the last months. "
                "Good support from his partner. Review at the six-week visit."
            ),
        )


# --- The team's debrief -------------------------------------------------------


def team_debrief(staff: dict[str, User]) -> None:
    patient = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if patient is None or "psych.mensah" not in staff:
        return
    episode = patient.death_episode()
    if episode is None or Debrief.objects.filter(episode=episode).exists():
        return
    assert episode.died_at is not None
    held = min(timezone.localdate(episode.died_at) + timedelta(days=5), clock.today())
    team = [
        staff[name] for name in ("dr.ivanova", "nurse.sokolova", "psych.mensah") if name in staff
    ]
    team_services.record_debrief(
        actor=staff["psych.mensah"],
        patient=patient,
        held_on=held,
        facilitator=staff["psych.mensah"],
        attendees=team,
        went_well=(
            "Olga died at home with her son, as she wished. Anticipatory medicines were in "
            "the house in time; the Russian-speaking nurse could talk with her to the end."
        ),
        could_be_better=(
            "The night before she died the syringe driver alarm woke Andrei twice and he "
            "did not know whom to call first. The out-of-hours number was on the fridge, "
            "but not in his phone."
        ),
        actions=(
            "Put the service number into the main carer's phone at admission (coordinator). "
            "Teach the syringe driver alarms to carers in the skills curriculum (nursing)."
        ),
    )
