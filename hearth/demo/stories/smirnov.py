# ruff: noqa: RUF001 - the Russian-speaking families' own words are in Cyrillic.
"""HH-1002 Pyotr (Petya) Smirnov: motor neurone disease, Russian-speaking
and Russian Orthodox, cared for by his wife Tatiana. In care for three weeks:
his profile, an active care plan and a signed advance care plan (the family
told first); breathlessness rising all week, a bedside pulse oximeter and a
NEWS2 trigger early today, triaged as an urgent physician visit; low-dose
morphine for breathlessness and an offline dose that waits for review;
Tatiana's high Zarit score, the support task it opened, counselling and a
respite request; a video review in Russian tomorrow; oxygen (a failed safety
check: a relative smoking by the gas cooker), a feeding pump and a suction
machine delivered today; a Russian-speaking companion proposed; counselling in
Russian and the Orthodox priest as next steps.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hearth.accounts.models import User
from hearth.assessments import services as assessments
from hearth.assessments.choices import Phase, Respondent
from hearth.assessments.models import AssessmentResponse
from hearth.caregiving import services as caregiving_services
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask
from hearth.core import clock
from hearth.demo.equipment_store import (
    Store,
    all_safe,
    answered,
    days_ago_at,
    lend_and_check,
    on_day,
)
from hearth.demo.family_support import Family
from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.medicine_chart import Chart, find_drug_route, find_formulation
from hearth.demo.profile_and_plans import EVERY_DAY, SUNDAY, Act, Goal, Need, Scene
from hearth.demo.symptom_week import Story, act_on_alert, esas, local_time
from hearth.demo.visit_plan import local_moment, patient_in_care, user_named
from hearth.directory.choices import NextStepStatus
from hearth.equipment import services as equipment_services
from hearth.equipment.choices import CheckAnswer, EquipmentKind
from hearth.monitoring import services as monitoring
from hearth.monitoring.choices import AlertRule, DeviceKind, TriageOutcome
from hearth.monitoring.models import Alert, MonitoringDevice
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import Patient
from hearth.personhood import services as profile
from hearth.visits import services as visit_services
from hearth.visits.choices import VisitKind
from hearth.visits.models import Visit, VisitNeed
from hearth.volunteers import services as volunteer_services
from hearth.volunteers.choices import Activity
from hearth.volunteers.models import VolunteerAssignment

RECORD_NUMBER = "HH-1002"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
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
)


# --- Profile, care plan and advance care plan ---------------------------------


PYOTR_NOTES = (
    "Speech is slow and slurred when he is tired, worse in the evening: ask yes/no questions "
    "and wait. Understands simple English but answers in Russian."
)


def profile_and_plans(scene: Scene) -> None:
    nurse, doctor = "nurse.sokolova", "dr.ivanova"
    with scene.at(18, 11):
        scene.section(
            nurse,
            "values",
            what_matters_most=(
                "Tatiana, his wife of more than fifty years. Their son Misha and "
                "granddaughter Sonya in Toronto (video calls on Sundays). Staying at home "
                "with his books and his chess. Being treated with respect."
            ),
            goals=(
                "To sleep at night without the fear of choking. To keep eating Tatiana's food "
                "as long as it is safe. To bank his voice so that Sonya can hear him read."
            ),
            wishes=(
                "Not to die in intensive care “with tubes”. To receive communion and be "
                "anointed by his own priest."
            ),
            good_day=(
                "A quiet night on the mask, a late breakfast, the chess problem in the Russian "
                "newspaper, a few steps to the window, a video call with Misha."
            ),
            fears_and_worries=(
                "Choking to death. Losing his voice before he can say what he wants to "
                "Tatiana. Being a burden on her: she has arthritis in both hands."
            ),
        )
        scene.section(
            nurse,
            "information",
            information_wish="family",
            who_may_be_told=(
                "Tatiana first, and everything: she tells him in her own way. Their son Misha "
                "through Tatiana or on a video call with her. Day-to-day plans, medicines and "
                "visits: Pyotr himself. In his words: «Говорите сначала с Таней. Она мне "
                "скажет, как надо.» (“Speak to Tanya first. She will tell me the right way.”)"
            ),
            decision_maker_name="Tatiana Smirnova",
            decision_maker_relationship="wife",
            decision_maker_phone="+44 7700 900112",
            decision_maker_basis="named_by_person",
        )
        scene.section(
            nurse,
            "communication",
            preferred_language="ru",
            other_languages=[],
            interpreter_needed=True,
            interpreter_arranged=False,
            interpreter_details=(
                "Requested from the borough's interpreting service for psychology sessions; "
                "not booked yet. Tatiana interprets day to day. Dr Ivanova and Marina "
                "Sokolova speak Russian."
            ),
            glasses=True,
            other_aids=(
                "Russian letter board; tablet with Russian text-to-speech. Voice banking "
                "started at Queen Square."
            ),
            style="gentle",
            notes=PYOTR_NOTES,
        )
        scene.section(
            nurse,
            "diet",
            practices=[],
            fasting_periods=(
                "Keeps no fasts now: his priest has released him because of his illness. "
                "Tatiana keeps Great Lent; her own meals are separate."
            ),
            favourite_foods=(
                "Borscht blended smooth, kissel, syrniki mashed with smetana (sour cream), "
                "soft buckwheat kasha, black tea with lemon (thickened)."
            ),
            dislikes=(
                "Ready-made puréed food “for babies”: present food nicely, each part "
                "separately. No known food allergies."
            ),
            food_texture="minced_moist",
            drink_thickness="mildly_thick",
            swallowing_notes=(
                "Bulbar weakness. Speech and language therapy advice: sit fully upright, chin "
                "down, small spoonfuls, one thing at a time; stop if his voice sounds wet or "
                "he coughs. Thickener in every drink. Medicines as liquids where possible."
            ),
        )
        scene.section(
            nurse,
            "routine",
            wakes_at="09:30",
            goes_to_bed_at="23:00",
            rest="Sleeps for an hour in his chair after lunch.",
            meals=(
                "Late breakfast at ten, lunch at two, supper at seven. Each meal takes him "
                "forty minutes: do not rush him."
            ),
            routine_notes=(
                "Nights on the mask (NIV) are broken: no routine visits before ten. Sunday "
                "mornings are for the liturgy."
            ),
        )
        scene.window(
            nurse,
            "do_not_disturb",
            "Late mornings after broken nights on the mask (NIV)",
            EVERY_DAY,
            "08:00",
            "10:00",
        )
        scene.window(
            nurse,
            "prayer",
            "Sunday Divine Liturgy, streamed from the Russian Orthodox cathedral in Chiswick",
            [SUNDAY],
            "10:00",
            "12:00",
        )
        scene.window(
            nurse,
            "prayer",
            "Evening prayers with Tatiana before the icons",
            EVERY_DAY,
            "21:30",
            "22:00",
        )
        scene.section(
            nurse,
            "home",
            music=(
                "Rachmaninov (the All-Night Vigil, the Second Piano Concerto) and Vysotsky's "
                "songs; Russian radio in the kitchen."
            ),
            colours_and_light="The icon lamp is kept burning at night.",
            photos_and_objects=(
                "Icons in the corner of the bedroom (the “beautiful corner”) with a lamp: "
                "do not move them or put things on that shelf. Photos of Misha and Sonya; "
                "his chessboard."
            ),
            quiet_or_prayer_space="The icon corner in the bedroom.",
            accessibility_needs=(
                "Ground-floor flat. Riser-recliner chair, profiling bed, NIV machine and "
                "cough-assist device by the bed. Walks a few steps with help; wheelchair "
                "for outside."
            ),
            pets="No pets.",
        )
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="home",
            people_present=(
                "Tatiana; Misha if he can fly in time (tell Tatiana early if things change); "
                "Father Sergei."
            ),
            music_and_rituals=(
                "The prayers for the departure of the soul, read by the priest or Tatiana; the "
                "icon lamp lit."
            ),
            after_death_rituals=(
                "Tatiana and the priest read prayers. The family may wish to wash and dress "
                "him and place a small icon in his hands; no objection to staff handling the "
                "body with respect."
            ),
            funeral_wishes=(
                "Orthodox funeral service at the cathedral in Chiswick; burial, not cremation."
            ),
            spiritual_wishes="Confession, communion and holy unction while he can still swallow.",
        )
        scene.legacy(
            nurse,
            "recordings",
            "Voice banking: reading Pushkin's fairy tales aloud for his granddaughter Sonya",
            "in_progress",
            "Queen Square speech team; Tatiana sets up the tablet. Record in the late morning, "
            "when his speech is clearest.",
        )
        scene.legacy(
            nurse,
            "letters",
            "Letters to Misha and Sonya, typed on the tablet",
            "idea",
            "Time and a tablet stand he can reach; Kwame offered to help him start.",
        )
    with scene.at(18, 15):
        scene.section(
            doctor,
            "faith",
            culture=(
                "Born in Leningrad (St Petersburg); a marine engineer. Came to London in 1998 "
                "when Misha studied here. Reads the Russian classics; plays chess by post."
            ),
            religion="Russian Orthodox",
            rituals_and_prayers=(
                "Morning and evening prayers with Tatiana before the icons. Watches the Sunday "
                "liturgy online. Crosses himself before meals; do not interrupt."
            ),
            spiritual_support="own_faith_leader",
            faith_leader_contact=(
                "Father Sergei, Russian Orthodox cathedral in Chiswick: Tatiana calls him; "
                "the team may call too (number with Tatiana)."
            ),
            attitudes_to_interventions=(
                "Wants confession, communion and holy unction while he can still swallow a "
                "little: plan communion before swallowing worsens. No objection to strong "
                "pain relief or blood products."
            ),
        )
    breath = Need(
        "physical",
        "Breathless and frightened at night from weak breathing muscles (MND); uses "
        "non-invasive ventilation (NIV) at night",
        3,
        [
            Goal(
                "«Спать ночью и не бояться» (“To sleep at night and not be afraid.”)",
                "Uses NIV at least 4 hours a night; woken by breathlessness on fewer than 2 "
                "nights a week",
                [
                    Act(
                        "nurse.sokolova",
                        "Nurse visit: mask fit and skin, secretions, breathlessness plan; teach "
                        "Tatiana the cough-assist device",
                        times=3,
                        per="week",
                        minutes=45,
                    ),
                    Act(
                        "dr.ivanova",
                        "Doctor's video review in Russian with Pyotr and Tatiana; agree NIV "
                        "settings with the Queen Square respiratory team",
                        kind="teleconsult",
                        times=1,
                        per="week",
                        minutes=30,
                    ),
                ],
                within_days=21,
            )
        ],
    )
    swallow = Need(
        "physical",
        "Swallowing unsafe for thin drinks; 4 kg weight loss in two months",
        2,
        [
            Goal(
                "“To eat Tatiana's cooking, safely, as long as I can.”",
                "No chest infection; weight within 2 kg over the month; decision about a "
                "feeding tube made and recorded",
                [
                    Act(
                        None,
                        "Minced-and-moist meals and mildly thick drinks (IDDSI 5 and 2) with "
                        "the prescribed thickener, as speech and language therapy advised",
                        kind="meal_or_feeding",
                        times=3,
                        per="day",
                        as_="nurse",
                    ),
                    Act(
                        "dr.ivanova",
                        "Talk through a feeding tube (gastrostomy) with Pyotr and Tatiana "
                        "before his breathing makes the procedure unsafe",
                        kind="other",
                    ),
                ],
                within_days=28,
            )
        ],
    )
    fear = Need(
        "psychological",
        "Fear of choking to death; low mood, has stopped his chess and reading",
        2,
        [
            Goal(
                "«Не задохнуться» (“Not to choke to death”), and to talk about what frightens him",
                "Knows the crisis plan for choking or breathlessness; fear 4/10 or less",
                [
                    Act(
                        "psych.mensah",
                        "Psychology sessions: fear of choking, meaning and dignity",
                        times=1,
                        per="week",
                        minutes=50,
                    ),
                    Act(
                        "dr.ivanova",
                        "Explain in Russian the just-in-case medicines (midazolam, morphine) "
                        "that ease a choking or breathless crisis",
                        kind="other",
                    ),
                ],
                within_days=28,
            )
        ],
    )
    carer = Need(
        "family",
        "Tatiana is his only carer and has arthritis in both hands",
        2,
        [
            Goal(
                "Tatiana: «Я хочу быть ему женой, а не только сиделкой.» (“I want to be his "
                "wife, not only his nurse.”)",
                "Carer's assessment done; a paid carer helps with washing every morning",
                [
                    Act(
                        "nurse.sokolova",
                        "Weekly call to Tatiana, in Russian: how is she coping",
                        kind="phone_call",
                        times=1,
                        per="week",
                        minutes=15,
                    ),
                    Act(
                        "nurse.sokolova",
                        "Refer for a carer's assessment and a morning care package "
                        "(Kensington and Chelsea adult social care)",
                        kind="other",
                    ),
                ],
                within_days=21,
            )
        ],
    )
    needs = [breath, swallow, fear, carer]
    with scene.at(18, 16):
        assessment = scene.assess(
            nurse,
            needs,
            "Assessed at home in Russian with Pyotr and Tatiana. Nights and the fear of "
            "choking are the main problems; swallowing is getting worse.",
        )
    with scene.at(15, 10):
        draft = scene.first_plan(
            doctor,
            assessment,
            needs,
            "Marina (nurse) visits three times a week and Dr Ivanova calls by video every "
            "week, both in Russian, to keep Pyotr's nights calm and safe on the mask. Food and "
            "drinks are made safe to swallow. Kwame (psychologist) visits weekly to talk "
            "about his fears. We are asking for a carer to help Tatiana each morning.",
            review_in_days=28,
        )
    with scene.at(14, 13):
        scene.meeting(
            doctor,
            ["dr.ivanova", "nurse.sokolova", "psych.mensah"],
            others="Tatiana Smirnova (wife); Pyotr joined by video for the last part",
            discussion=(
                "Nights and the fear of choking are what trouble him most. Kwame's sessions "
                "need a Russian interpreter: Tatiana should not have to interpret these "
                "conversations. An interpreter was requested but is not booked yet."
            ),
            decisions=(
                "Care plan version 1 approved. Dr Ivanova to discuss a feeding tube within two "
                "weeks. Kwame's sessions start once a Russian interpreter is booked; Marina "
                "to chase the interpreting service."
            ),
            approve=draft,
        )
    with scene.at(13, 15):
        scene.advance_care_plan(
            doctor,
            {
                "relevant_information": (
                    "G12.21 Motor neurone disease (ALS) with bulbar and respiratory weakness; "
                    "NIV at night. Speaks Russian: interpreter needed (Dr Ivanova and Nurse "
                    "Sokolova speak Russian). Prefers the doctors to speak to his wife first."
                ),
                "preference": 3,
                "what_matters": (
                    "Tatiana; his dignity; dying at home and not in intensive care; communion "
                    "from his own priest."
                ),
                "focus_of_care": "selective",
                "hospital_transfer": "consider",
                "antibiotics": "consider",
                "artificial_nutrition": "consider",
                "non_invasive_ventilation": "consider",
                "other_recommendations": (
                    "Continue his own NIV. Do not intubate or offer ventilation through a "
                    "tracheostomy: he has declined it. Chest infection: antibiotics at home "
                    "first; hospital only if it cannot be managed at home and he agrees at "
                    "the time. Choking or breathless crisis: stay with him, sit him up, give "
                    "the just-in-case midazolam and morphine, call the on-call team. Feeding "
                    "tube: decision expected within two weeks."
                ),
                "cpr": "do_not_attempt",
                "cpr_reason": (
                    "Progressive motor neurone disease with respiratory muscle failure: CPR "
                    "would not succeed and would lead to the ventilation he has refused. "
                    "Discussed in Russian with Pyotr, who has capacity, and with Tatiana; both "
                    "agree."
                ),
                "capacity": "has_capacity",
                "patient_involved": True,
                "others_involved": "Tatiana Smirnova (wife). Discussed in Russian by Dr Ivanova.",
                "emergency_contacts": (
                    "Tatiana Smirnova, wife, +44 7700 900112\n"
                    "Mikhail (Misha) Smirnov, son (Toronto), +1 416 555 0142"
                ),
            },
            review_in_days=60,
            signer=doctor,
        )
    with scene.at(6, 20):
        proposal = scene.proposal(
            "family.smirnova",
            "communication",
            "Пожалуйста, обращайтесь к мужу «Пётр Николаевич», а не «Петя»: Петя он только "
            "для меня и для сына. Ему неловко, когда молодые люди называют его так. И ещё: "
            "вечером, когда ему тяжело дышать, его успокаивает Рахманинов, диск лежит у "
            "проигрывателя. Спасибо вам за всё. Татьяна",
        )
    with scene.at(5, 10):
        profile.accept_proposal(
            actor=scene.staff[nurse],
            proposal=proposal,
            changes={
                "notes": PYOTR_NOTES
                + " Address him as Pyotr Nikolaevich (name and patronymic): “Petya” is only "
                "for his wife and son."
            },
            response=(
                "Thank you, Tatiana. It is now on Pyotr Nikolaevich's page for the whole "
                "team, and the Rachmaninov is already noted there. — Marina"
            ),
        )


# --- A week of symptom monitoring ---------------------------------------------


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
    """SpO2 and pulse for an ordinary reading: the pulse creeping up through the
    week, still NEWS2 0 (an aggregate of 1 or more asks for a nurse assessment
    the same day: docs/clinical-reference.md, NEWS2)."""
    spo2 = 96
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


def symptom_week(s: Story) -> None:
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
            # A single 3 is medium: the nurse on call answers within the night.
            with s.at(3, 3, 25):
                night = s.acknowledge(night)
            with s.at(3, 3, 35):
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
        moment = local_time(s.today, time(hour))
        if moment < start:
            _ingest(device, moment, 96, min(84 + slot, 90))  # NEWS2 0: no alert
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
    _ingest(device, s.earlier_today(0.6), 91, 108)  # NEWS2 4, a single 3: more evidence, same alert


# --- Medicines ----------------------------------------------------------------


def medicines(c: Chart) -> None:
    doctor, nurse, tatiana = "dr.ivanova", "nurse.sokolova", "family.smirnova"
    solution = find_formulation("Morphine", "oral", "10 mg/5 ml")
    tablets = find_formulation("Morphine", "oral", "10 mg", form="mr_tablet")
    with c.at(9, 12, 0):
        as_needed = c.prescribe(
            doctor,
            find_drug_route("Morphine", "oral"),
            formulation=solution,
            kind="as_needed",
            dose="2.5",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
            indication="breathlessness",
            instructions="With the oral syringe. Sit him up and open the window first.",
        )
        c.stock(nurse, solution, "received", 100, witness="Tatiana Smirnova")
    with c.at(9, 13, 0):
        c.sign_off(nurse, tatiana, "oral")
    with c.at(6, 12, 0):
        regular = c.prescribe(
            doctor,
            find_drug_route("Morphine", "oral"),
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


# --- Family training and support ----------------------------------------------


ZARIT_HIGH = {f"item_{n}": v for n, v in enumerate((3, 2, 3, 2, 2, 1, 3, 2, 1, 2, 2, 1), 1)}


def family_training(f: Family) -> None:
    nurse, tatiana = "nurse.sokolova", "family.smirnova"
    f.taught(nurse, tatiana, "mouth_care", 16, 15)
    f.step(nurse, tatiana, "mouth_care", "signed_off", 15)
    f.taught(nurse, tatiana, "pressure_care", 12, 10)
    f.taught(nurse, tatiana, "medicines_oral", 10, 10)
    if not f.medicine_signed_off(tatiana, "oral"):
        f.step(nurse, tatiana, "medicines_oral", "signed_off", 9)


def family_support(f: Family) -> None:
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
                caregiving_services.update_support_task(
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
            caregiving_services.record_support_contact(
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
            caregiving_services.request_respite(
                actor=f.user("family.smirnova"),
                patient=f.patient,
                kind="day",
                wanted_from=f.day(-5),
                wanted_to=f.day(-5),
                reason="Мне нужен один день, чтобы выспаться. (I need one day to sleep.)",
            )


# --- Visits -------------------------------------------------------------------


VIDEO_LINK = "https://meet.hearth.example/smirnov-review"


def teleconsult(staff: dict[str, User]) -> None:
    patient = patient_in_care(RECORD_NUMBER)
    doctor, nurse = user_named(staff, "dr.ivanova"), user_named(staff, "nurse.sokolova")
    wife = user_named(staff, "family.smirnova")
    if patient is None or doctor is None:
        return
    if Visit.objects.filter(patient=patient, kind=VisitKind.TELECONSULT).exists():
        return
    need = VisitNeed.objects.current().filter(patient=patient, kind=VisitKind.TELECONSULT).first()
    visit_services.book_teleconsult(
        actor=doctor,
        patient=patient,
        staff=doctor,
        starts_at=local_moment(clock.today() + timedelta(days=1), "11:00"),
        duration_minutes=30,
        video_link=VIDEO_LINK,
        participants=[person for person in (nurse, wife) if person is not None],
        participants_note="Queen Square respiratory nurse may join for the NIV settings",
        purpose="Video review in Russian: breathing at night, NIV settings",
        need=need,
    )


# --- Equipment ----------------------------------------------------------------


def equipment(store: Store, patient: Patient) -> None:
    """An oxygen concentrator (a failed check two days ago: a relative
    smoking by the gas cooker), a feeding pump and, delivered today, a suction
    machine still waiting for its safety check."""
    oxygen = lend_and_check(
        store.items["OXY-0101"], patient, lender=store.sokolova, checker=store.sokolova, days_ago=12
    )
    lend_and_check(
        store.items["PMP-0401"], patient, lender=store.sokolova, checker=store.sokolova, days_ago=10
    )
    with on_day(2, 15):
        answers = all_safe(EquipmentKind.OXYGEN_CONCENTRATOR)
        answers["no_smoking_or_flame"] = CheckAnswer.NOT_SAFE
        failed = equipment_services.record_safety_check(
            actor=store.sokolova,
            loan=oxygen,
            answers=answers,
            note=(
                "A visiting nephew was smoking in the kitchen, next to the gas cooker, "
                "with the concentrator running in the next room. Explained the fire risk "
                "to Tatiana and the nephew; no-smoking sign put up. Recheck at next visit."
            ),
        )
    with on_day(1, 11):
        equipment_services.record_safety_check(
            actor=store.sokolova,
            loan=oxygen,
            answers=all_safe(EquipmentKind.OXYGEN_CONCENTRATOR),
            note="Rechecked: nobody smokes in the flat now; the sign is up by the cooker.",
        )
    answered(
        failed.alert_id,
        outcome=TriageOutcome.ADVICE_BY_PHONE,
        note="Phoned Tatiana: the nephew smokes outside only; concentrator off while "
        "the cooker is on. Recheck booked for tomorrow.",
        resolution="Recheck passed; no smoking in the flat.",
        resolved_at=days_ago_at(1, 11, 30),
    )
    # Delivered this morning, or an hour ago if the demo loads before nine.
    with clock.travel_to(min(days_ago_at(0, 9), clock.now() - timedelta(hours=1))):
        equipment_services.lend(actor=store.sokolova, item=store.items["SUC-0501"], patient=patient)


# --- Directory ----------------------------------------------------------------


#: (entry name, staff username, note, final status, changed by)
NEXT_STEPS: list[tuple[str, str, str, str, str]] = [
    (
        "Doveriye: counselling in Russian",
        "psych.mensah",
        "Tatiana, they can see you at home in Russian while a volunteer sits with "
        "Petya. Self-referral is fine.",
        NextStepStatus.TO_DO,
        "",
    ),
    (
        "Fr Sergei Morozov (Orthodox parish of St Nicholas)",
        "nurse.sokolova",
        "Pyotr would like Holy Communion at home before Easter.",
        NextStepStatus.TO_DO,
        "",
    ),
    (
        "NHS Wheelchair Service",
        "nurse.sokolova",
        "Fast-track referral sent; they will phone to book the assessment.",
        NextStepStatus.DONE,
        "family.smirnova",
    ),
]


# --- Volunteers ---------------------------------------------------------------


def volunteer_companion(coordinator: User, petrova: User, today: date) -> None:
    """Olga Petrova, who speaks Russian, proposed as Pyotr's companion."""
    pyotr = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if (
        pyotr is not None
        and not VolunteerAssignment.objects.filter(patient=pyotr, volunteer=petrova).exists()
    ):
        volunteer_services.propose_assignment(
            actor=coordinator,
            patient=pyotr,
            volunteer=petrova,
            kind=Activity.COMPANIONSHIP,
            starts_on=today + timedelta(days=3),
            usual_times="Mondays 10 am–12 noon",
            note="Pyotr would like to talk in Russian; he enjoys chess.",
        )
