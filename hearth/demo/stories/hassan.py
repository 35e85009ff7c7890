"""HH-1001 Amina Hassan: breast cancer with bone and liver metastases, a
Sunni Muslim who prays five times a day, cared for at home by her daughter
Leila. In care for forty days: her profile (prayer windows, halal food), a care
plan with an earlier superseded version and a signed advance care plan; a week
of pain, a night when Leila could not cope, then terminal two days ago, and
this morning Leila pressed "We need help now"; morphine by syringe pump raised
after three breakthrough doses, midazolam since she became terminal, a stock
count half an ampoule short; Leila trained and signed off (moving, pressure
care, medicines), her request for tomorrow's visit time and a volunteer sitting
on Tuesdays; a hospital bed and a mattress whose pump alarms at night;
attendance allowance help and the imam as next steps.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from hearth.accounts.models import User
from hearth.assessments.choices import Phase, Respondent
from hearth.caregiving import services as caregiving_services
from hearth.caregiving.models import RespiteRequest
from hearth.careplans import services as plans
from hearth.core import clock
from hearth.demo.equipment_store import Store, answered, lend_and_check, on_day
from hearth.demo.family_support import Family
from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.medicine_chart import Chart, find_drug_route, find_formulation
from hearth.demo.profile_and_plans import (
    EVERY_DAY,
    FRIDAY,
    LONDON_PRAYER_TIMES,
    Act,
    Goal,
    Need,
    Scene,
    minutes_after,
)
from hearth.demo.symptom_week import Story, esas
from hearth.demo.visit_plan import patient_in_care, user_named
from hearth.directory.choices import NextStepStatus
from hearth.equipment import services as equipment_services
from hearth.medications import services as medication_services
from hearth.monitoring import services as monitoring
from hearth.monitoring.choices import AlertRule, PhysiologicalRouting, TriageOutcome
from hearth.monitoring.models import Alert
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import Patient
from hearth.personhood import services as profile
from hearth.visits import services as visit_services
from hearth.visits.models import VisitTimeRequest
from hearth.volunteers import services as volunteer_services
from hearth.volunteers.choices import Activity
from hearth.volunteers.models import VolunteerAssignment

RECORD_NUMBER = "HH-1001"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
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
)


# --- Profile, care plan and advance care plan ---------------------------------


def _amina_prayer_windows(scene: Scene, by: str) -> None:
    fajr, dhuhr, asr, maghrib, isha = LONDON_PRAYER_TIMES[scene.today.month]
    not_friday = [day for day in EVERY_DAY if day != FRIDAY]
    scene.window(by, "prayer", "Fajr (dawn prayer)", EVERY_DAY, fajr, minutes_after(fajr, 30))
    scene.window(by, "prayer", "Dhuhr (midday prayer)", not_friday, dhuhr, minutes_after(dhuhr, 25))
    scene.window(
        by,
        "prayer",
        "Jumu'ah: Friday sermon (khutbah) online and the midday prayer",
        [FRIDAY],
        dhuhr,
        minutes_after(dhuhr, 60),
    )
    scene.window(by, "prayer", "Asr (afternoon prayer)", EVERY_DAY, asr, minutes_after(asr, 25))
    scene.window(
        by, "prayer", "Maghrib (sunset prayer)", EVERY_DAY, maghrib, minutes_after(maghrib, 20)
    )
    scene.window(by, "prayer", "Isha (night prayer)", EVERY_DAY, isha, minutes_after(isha, 25))
    scene.window(
        by,
        "rest",
        "Rests after the midday prayer",
        EVERY_DAY,
        minutes_after(dhuhr, 25),
        minutes_after(dhuhr, 85),
    )


AMINA_PRAYERS = (
    "Prays the five daily prayers, now seated in her chair facing the qibla (south-east "
    "corner of the bedroom). Needs a jug and bowl for wudu (washing before prayer) brought "
    "to her chair. Listens to the Friday sermon online. Likes Surah Yasin recited to her "
    "when she is tired."
)

AMINA_PAIN = Need(
    "physical",
    "Bone pain in the spine and right hip from metastases, worse when she moves to pray "
    "or to her chair",
    3,
    [
        Goal(
            "“I want to pray without the pain taking my mind away.”",
            "Pain 3/10 or less when moving to her chair; no more than two breakthrough doses a day",
            [
                Act(
                    "nurse.brennan",
                    "Nurse visit: pain score, breakthrough doses, bowels, pressure areas "
                    "(planned around her prayer times)",
                    times=1,
                    per="day",
                    minutes=45,
                ),
                Act(
                    "dr.okafor",
                    "Doctor's review of pain relief; ask oncology about radiotherapy to the "
                    "right hip",
                    times=1,
                    per="week",
                    minutes=60,
                ),
            ],
        )
    ],
)
AMINA_PRAYER = Need(
    "spiritual",
    "Wants to keep praying five times a day as her strength falls; worried that "
    "medicines will make her too drowsy to pray",
    2,
    [
        Goal(
            "“Let me keep my prayers.”",
            "Prays at least four of the five prayers on most days; told before any change "
            "that may make her drowsy",
            [
                Act(
                    "chaplain.davies",
                    "Chaplain visit; works with her imam and arranges his visits with Leila",
                    times=1,
                    per="week",
                    minutes=30,
                )
            ],
        )
    ],
)
AMINA_CARER = Need(
    "family",
    "Leila is the main carer, works part-time and is exhausted",
    2,
    [
        Goal(
            "Leila: “I need a few hours that are mine.”",
            "A sitter every Tuesday afternoon; Leila's own carer's assessment done",
            [
                Act(
                    "vol.hughes",
                    "Volunteer sits with Amina on Tuesday afternoons and records her stories",
                    times=1,
                    per="week",
                    minutes=120,
                ),
                Act(
                    "nurse.brennan",
                    "Refer Leila for a carer's assessment (Tower Hamlets) and ask about "
                    "night sitting",
                    kind="other",
                ),
            ],
        )
    ],
)
AMINA_EATING = Need(
    "physical",
    "Nausea and early fullness from the liver metastases; eating less",
    2,
    [
        Goal(
            "“I want to eat with my family at the Friday meal.”",
            "Nausea 2/10 or less; eats a small meal with the family at least three times a week",
            [
                Act(
                    None,
                    "Halal-certified milkshake-style supplement drink, up to twice a day if "
                    "she wants it (not in daylight on days she fasts)",
                    kind="meal_or_feeding",
                    times=2,
                    per="day",
                    as_="nurse",
                    food=["dairy"],
                )
            ],
            within_days=14,
        )
    ],
)


def profile_and_plans(scene: Scene) -> None:
    nurse, doctor, chaplain = "nurse.brennan", "dr.okafor", "chaplain.davies"
    with scene.at(37, 11):
        scene.section(
            nurse,
            "values",
            what_matters_most=(
                "Her faith, her daughter Leila and her grandchildren. Being able to pray "
                "each prayer on time, even sitting in her chair. Staying in the flat on Brick "
                "Lane where she has lived since 1991, with the window open to the street."
            ),
            goals=(
                "To keep praying five times a day. To be well enough to sit with the family "
                "for the Friday meal. To finish recording her stories and recipes for her "
                "grandchildren."
            ),
            wishes=(
                "To die at home with the Qur'an being recited, and to be buried quickly, as "
                "her faith asks."
            ),
            good_day=(
                "Wakes for the dawn prayer and sleeps again; sweet spiced tea (shaah) at ten; "
                "Leila's children after school; no pain when she moves to her chair by the "
                "window."
            ),
            fears_and_worries=(
                "Pain that stops her praying. Medicines that make her too sleepy to pray or "
                "to know her family. Being a burden on Leila, who also works. Being taken to "
                "hospital at the end."
            ),
        )
        scene.section(
            nurse,
            "information",
            information_wish="step_by_step",
            who_may_be_told=(
                "Leila may be told everything. Her sons Abdi (Leicester) and Yusuf (Bristol) "
                "and her sister Hodan may be told how she is, through Leila."
            ),
            who_must_not_be_told=(
                "Neighbours and friends from the mosque: she will tell them herself."
            ),
            decision_maker_name="Leila Hassan",
            decision_maker_relationship="daughter",
            decision_maker_phone="+44 7700 900111",
            decision_maker_basis="named_by_person",
        )
        scene.section(
            nurse,
            "communication",
            preferred_language="en",
            other_languages=["ar"],
            glasses=True,
            style="gentle",
            notes=(
                "Somali is her first language (not in the list). Speaks English well but "
                "tires in the evening and may switch to Somali: Leila helps then. Reads the "
                "Qur'an in Arabic."
            ),
        )
        scene.section(
            nurse,
            "diet",
            practices=["halal", "no_alcohol", "religious_fasting"],
            fasting_periods=(
                "Ramadan: she would like to fast on the days she feels strong. Her illness "
                "exempts her (Dr Okafor and her imam have both told her so). If she fasts, "
                "time medicines at suhoor (before dawn) and iftar (sunset), and give no "
                "supplement drinks in daylight."
            ),
            favourite_foods=(
                "Shaah (sweet tea with cardamom and cinnamon), canjeero (Somali pancake) with "
                "honey, rice with halal lamb, bananas, dates. Small portions: she feels full "
                "quickly."
            ),
            dislikes=(
                "Anything with alcohol or pork gelatine. Spicy food now upsets her stomach. "
                "No known allergies."
            ),
            food_texture="regular",
            drink_thickness="thin",
        )
        scene.section(
            nurse,
            "routine",
            wakes_at="09:00",
            goes_to_bed_at="22:00",
            rest="Rests for about an hour after the midday prayer.",
            meals="Small breakfast at ten; the main meal with Leila's family at about six.",
            routine_notes=(
                "Prayer times move with the sun through the year: Leila updates them on this "
                "profile at the start of each month. Friday midday is for the sermon and the "
                "family: no routine visits."
            ),
        )
        _amina_prayer_windows(scene, nurse)
        scene.section(
            nurse,
            "home",
            music="No music, please. Qur'an recitation on Leila's tablet.",
            scents=(
                "Uunsi (Somali incense) on Fridays: if the room is smoky, open the window a "
                "little rather than ask her to stop."
            ),
            colours_and_light="Curtains open; she sits by the window to watch the street.",
            photos_and_objects=(
                "Photo of her late husband Ahmed. Her prayer mat and prayer beads by the "
                "chair. The Qur'an on its stand: never put anything on top of it or on the "
                "floor near it."
            ),
            quiet_or_prayer_space=(
                "The corner of the bedroom facing the qibla, with her chair and prayer mat: "
                "keep it clear of equipment."
            ),
            accessibility_needs=(
                "Second-floor flat; the lift often breaks. Profiling bed and commode in "
                "place; walks to her chair with a frame and one person."
            ),
            pets="No pets.",
        )
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="home",
            people_present=(
                "Leila, her sons Abdi and Yusuf, her sister Hodan; the women of the family "
                "with her at the end."
            ),
            music_and_rituals=(
                "Surah Yasin recited; the shahada said softly to her; her face turned towards "
                "the qibla."
            ),
            after_death_rituals=(
                "The women of the family close her eyes and straighten the body. Staff touch "
                "the body as little as possible, with gloves, and leave the washing (ghusl) "
                "to the family and the mosque. Call the on-call team at once so that death "
                "is verified and the certificate issued quickly, at weekends too."
            ),
            funeral_wishes=(
                "Burial within 24 hours if possible, at the Muslim cemetery the family's "
                "mosque uses; Leila arranges it with the mosque."
            ),
            spiritual_wishes="To make peace with everyone; to speak with her sister Hodan.",
        )
    with scene.at(37, 15):
        scene.section(
            chaplain,
            "faith",
            culture=(
                "Somali. Born in Hargeisa; came to London in 1989 and raised three children "
                "on her own after her husband died in 2004."
            ),
            religion="Muslim (Sunni)",
            rituals_and_prayers=AMINA_PRAYERS,
            spiritual_support="both",
            faith_leader_contact=(
                "Sheikh Abdirahman, imam of the family's mosque: Leila arranges his visits "
                "(+44 7700 900121)"
            ),
            attitudes_to_interventions=(
                "Accepts medicines containing alcohol or pork gelatine when there is no "
                "alternative (her imam agrees that illness allows it), but wants to be told "
                "first and offered an alternative if there is one. Worried about medicines "
                "that make her drowsy: discuss before raising doses. Prefers women for "
                "personal care."
            ),
        )
        scene.legacy(
            nurse,
            "recordings",
            "Somali stories and proverbs for her grandchildren, in her own voice",
            "in_progress",
            "Bethan (volunteer) brings a recorder on Tuesdays; Leila translates the stories "
            "into English for the children.",
        )
        scene.legacy(
            chaplain,
            "memory_book",
            "A book of her recipes, written down with Leila",
            "planned",
            "Leila writes; the volunteer helps with photographs of the dishes.",
        )
    needs_v1 = [AMINA_PAIN, AMINA_PRAYER, AMINA_CARER]
    with scene.at(37, 16):
        assessment = scene.assess(
            nurse,
            needs_v1,
            "First assessment at home after admission. Amina's priority is to keep praying; "
            "pain on moving is the main problem; Leila is tired.",
        )
    with scene.at(36, 10):
        draft = scene.first_plan(
            nurse,
            assessment,
            needs_v1,
            "A nurse visits every day to keep Amina's bone pain under control, always around "
            "her prayer times. Dr Okafor visits weekly. Owen, the chaplain, visits weekly "
            "and works with her imam. Bethan sits with Amina on Tuesday afternoons so that "
            "Leila has time for herself.",
            review_in_days=28,
        )
    with scene.at(36, 13):
        scene.meeting(
            doctor,
            ["dr.okafor", "nurse.brennan", "chaplain.davies", "vol.hughes"],
            others="Leila Hassan (daughter), by phone",
            discussion=(
                "First plan after admission. Visits to be planned around the prayer times on "
                "her profile; Amina worries that pain relief will make her too drowsy to pray."
            ),
            decisions=(
                "Care plan version 1 approved: daily nurse visits, weekly doctor and chaplain "
                "visits, volunteer on Tuesday afternoons. Dr Okafor to ask oncology about "
                "radiotherapy to the right hip."
            ),
            approve=draft,
        )
    with scene.at(33, 14):
        scene.advance_care_plan(
            doctor,
            {
                "relevant_information": (
                    "C50.9 Breast cancer with bone (spine, right hip) and liver metastases. "
                    "Somali first language, fluent English. Muslim: see her profile for "
                    "prayer times and care after death."
                ),
                "preference": 4,
                "what_matters": (
                    "To keep praying, to stay at home with Leila and her grandchildren, and to "
                    "die at home with the Qur'an recited."
                ),
                "focus_of_care": "selective",
                "hospital_transfer": "consider",
                "antibiotics": "consider",
                "artificial_nutrition": "do_not_consider",
                "non_invasive_ventilation": "do_not_consider",
                "other_recommendations": (
                    "Treat at home what can be treated at home. New back pain with leg "
                    "weakness or numbness, or loss of bladder or bowel control: suspect spinal "
                    "cord compression and call the on-call palliative doctor at once; she "
                    "agrees to go to hospital for a scan and radiotherapy. A new fracture: "
                    "hospital for pain control, then home."
                ),
                "cpr": "do_not_attempt",
                "cpr_reason": (
                    "Advanced metastatic cancer: CPR would not succeed and would take away a "
                    "peaceful death. Discussed with Amina, who has capacity, and with Leila. "
                    "Amina said: “When God calls me, let me go gently, at home.”"
                ),
                "capacity": "has_capacity",
                "patient_involved": True,
                "others_involved": (
                    "Leila Hassan (daughter). The family spoke with their imam beforehand."
                ),
                "emergency_contacts": (
                    "Leila Hassan, daughter, +44 7700 900111\n"
                    "Abdi Hassan, son (Leicester), +44 7700 900124"
                ),
            },
            review_in_days=90,
            signer=doctor,
        )
    with scene.at(30, 19):
        proposal = scene.proposal(
            "family.hassan",
            "faith",
            "Mum prays sitting in her chair now. Please don't talk to her or start the checks "
            "while she is praying, even if you are in a hurry. Just wait, it takes about ten "
            "minutes. And please take your shoes off at the door, or use the blue covers in "
            "the basket by the door. Thank you for looking after her. Leila",
        )
    with scene.at(29, 9):
        profile.accept_proposal(
            actor=scene.staff[nurse],
            proposal=proposal,
            changes={
                "rituals_and_prayers": AMINA_PRAYERS
                + " Do not talk to her or start the visit while she prays: wait (about ten "
                "minutes). Shoes off at the door, or use the blue overshoes in the basket."
            },
            response=(
                "Thank you, Leila. It is now on your mum's page, so every nurse and doctor "
                "sees it before they visit."
            ),
        )
    # Version 2: radiotherapy helped the hip; nausea means medicines by syringe pump.
    with scene.at(12, 15):
        draft = plans.start_care_plan_draft(actor=scene.staff[nurse], patient=scene.patient)
        old_visit = draft.needs.get(description=AMINA_PAIN.description).goals.get()
        for item in old_visit.interventions.filter(discipline="nurse"):
            plans.remove_plan_item(actor=scene.staff[nurse], item=item)
        scene.intervention(
            nurse,
            old_visit,
            Act(
                "nurse.brennan",
                "Nurse visit twice a day: syringe pump check and refill, pain, nausea, mouth "
                "care (planned around her prayer times)",
                times=2,
                per="day",
                minutes=30,
            ),
        )
        scene.add_need(nurse, draft, AMINA_EATING)
        plans.update_care_plan(
            actor=scene.staff[nurse],
            plan=draft,
            changes={
                "summary": (
                    "Since her medicines moved to a small pump under the skin, a nurse comes "
                    "twice a day, always around her prayer times. Dr Okafor visits weekly. "
                    "Owen, the chaplain, visits weekly with her imam. Bethan still sits with "
                    "Amina on Tuesdays. We offer small meals and a halal supplement drink, "
                    "never in daylight on a day she fasts."
                ),
                "review_date": clock.today() + timedelta(days=28),
            },
        )
    with scene.at(11, 13):
        scene.meeting(
            doctor,
            ["dr.okafor", "nurse.brennan", "chaplain.davies"],
            others="Leila Hassan (daughter)",
            discussion=(
                "Radiotherapy to the right hip has eased the pain on moving. Nausea and "
                "vomiting this week made tablets unreliable; the syringe pump was started "
                "with Amina's agreement once she was reassured it would not stop her praying."
            ),
            decisions=(
                "Care plan version 2 approved: nurse visits twice a day for the syringe pump; "
                "new need for nausea and eating. Review in four weeks, or sooner."
            ),
            approve=draft,
        )


# --- A week of symptom monitoring ---------------------------------------------


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


def symptom_week(s: Story) -> None:
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


# --- Medicines ----------------------------------------------------------------


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


def medicines(c: Chart) -> None:
    doctor, nurse, leila = "dr.okafor", "nurse.brennan", "family.hassan"
    ampoule = find_formulation("Morphine", "subcutaneous", "10 mg/1 ml")
    with c.at(12, 15, 0):
        pump = c.prescribe(
            doctor,
            find_drug_route("Morphine", "subcutaneous"),
            formulation=ampoule,
            kind="regular",
            dose="20",
            times=["10:00"],
            indication="pain (continuous over 24 hours by syringe pump)",
            instructions="The nurse sets up the pump each morning. Do not touch the pump.",
            # 40 mg oral morphine a day for a person on no regular opioid at home.
            confirmation_reason="On oral morphine 20 mg twice a day on the ward until discharge.",
        )
        breakthrough = c.prescribe(
            doctor,
            find_drug_route("Morphine", "subcutaneous"),
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
        medication_services.change_order(
            actor=c.user(doctor),
            order=pump,
            reason="Three breakthrough doses today, pain 7/10: up by half.",
            dose="30",
            times=["10:00"],
            indication="pain (continuous over 24 hours by syringe pump)",
            instructions="The nurse sets up the pump each morning. Do not touch the pump.",
            formulation=ampoule,
        )
        medication_services.change_order(
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
    midazolam = find_formulation("Midazolam", "subcutaneous", "10 mg/2 ml")
    with c.at(2, 12, 0):
        settle = c.prescribe(
            doctor,
            find_drug_route("Midazolam", "subcutaneous"),
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


# --- Family training and support ----------------------------------------------


def family_training(f: Family) -> None:
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


def family_support(f: Family) -> None:
    if RespiteRequest.objects.filter(patient=f.patient).exists():
        return
    with f.at(3, 21):
        respite = caregiving_services.request_respite(
            actor=f.user("family.hassan"),
            patient=f.patient,
            kind="volunteer_sitting",
            wanted_from=f.day(-1),
            wanted_to=f.day(-1),
            reason="Abdi and I need a few hours to sleep and to see the imam.",
        )
    with f.at(2, 10):
        caregiving_services.book_respite(
            actor=f.user("coord.lewis"),
            respite=respite,
            volunteer=f.user("vol.hughes"),
            booked_from=f.moment(-1, 14),
            booked_to=f.moment(-1, 18),
            note="Chris will sit with your mother from 2 to 6 pm. The nurse's number is on "
            "the fridge for him.",
        )


# --- Visits -------------------------------------------------------------------


def visit_time_request(staff: dict[str, User]) -> None:
    patient = patient_in_care(RECORD_NUMBER)
    leila = user_named(staff, "family.hassan")
    if patient is None or leila is None:
        return
    if VisitTimeRequest.objects.filter(patient=patient).exists():
        return
    visit_services.request_visit_time(
        actor=leila,
        patient=patient,
        date=clock.today() + timedelta(days=1),
        kind="not",
        starts_at=time(13, 0),
        ends_at=time(14, 30),
        note="Mum has a bone scan at the Royal London; we will be out.",
    )


# --- Equipment ----------------------------------------------------------------


def equipment(store: Store, patient: Patient) -> None:
    """A hospital bed and a pressure-relieving mattress, both checked;
    yesterday Leila reported the mattress pump alarming at night (an open
    fault, the team alerted)."""
    lend_and_check(
        store.items["BED-0301"],
        patient,
        lender=store.coordinator,
        checker=store.brennan,
        days_ago=30,
    )
    mattress = lend_and_check(
        store.items["MAT-0201"],
        patient,
        lender=store.coordinator,
        checker=store.brennan,
        days_ago=30,
    )
    family = User.objects.filter(username="family.hassan").first()
    if family is not None:
        with on_day(1, 22):
            fault = equipment_services.report_fault(
                actor=family,
                loan=mattress,
                description=(
                    "The mattress pump beeps every few minutes at night and the left side "
                    "feels softer than the right."
                ),
            )
        # The alert is answered that night; the fault stays open for the engineer.
        answered(
            fault.alert_id,
            outcome=TriageOutcome.ADVICE_BY_PHONE,
            note="Talked Leila through the hose and the power lead; the pump settled.",
            resolution="Mattress inflating again; an engineer is booked for the pump.",
        )


# --- Directory ----------------------------------------------------------------


#: (entry name, staff username, note, final status, changed by)
NEXT_STEPS: list[tuple[str, str, str, str, str]] = [
    (
        "East London Advice Centre: attendance allowance and benefits",
        "nurse.brennan",
        "Leila, call them on Monday to ask for help with the attendance allowance "
        "form. Dr Okafor has sent the SR1, so it can go under the special rules.",
        NextStepStatus.TO_DO,
        "",
    ),
    (
        "Imam Abdullah Karim (Whitechapel Community Mosque)",
        "chaplain.davies",
        "Your mother asked for the imam to visit on Fridays after Jumu'ah; the "
        "mosque office will arrange it.",
        NextStepStatus.TO_DO,
        "",
    ),
]


# --- Volunteers ---------------------------------------------------------------


def volunteer_sitting(coordinator: User, hughes: User) -> None:
    """Bethan Hughes sits with Amina on Tuesday afternoons so that Leila can
    rest (from three weeks ago)."""
    amina = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if (
        amina is not None
        and not VolunteerAssignment.objects.filter(
            patient=amina, volunteer=hughes, kind=Activity.SITTING
        ).exists()
    ):
        sitting = volunteer_services.propose_assignment(
            actor=coordinator,
            patient=amina,
            volunteer=hughes,
            kind=Activity.SITTING,
            starts_on=clock.today(),
            usual_times="Tuesdays 2–5 pm",
            note="Sit with Amina so Leila can rest or go out. Amina likes the radio "
            "and talking about her garden; she prays at about 1 pm and 4 pm.",
        )
        volunteer_services.activate_assignment(actor=coordinator, assignment=sitting)
