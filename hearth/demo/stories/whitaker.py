"""HH-1006 Tom Whitaker: a young man with recurrent glioblastoma, at home with
his partner Jess Morgan (``family.whitaker``; the family-support notes call his
partner Sam); Tom has his own portal sign-in. In care for ten days: his profile
(a video diary), a care plan and a signed advance care plan (full treatment for
now); stable, a short seizure four days ago and a bad morning today;
dexamethasone (vomited this morning), paracetamol and buccal midazolam for a
long seizure; his partner learning what to expect, family counselling and a
benefits claim; yesterday's nurse visit; a wheelchair; power of attorney and
the carers' centre as next steps.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from hearth.accounts.models import Discipline, User
from hearth.assessments.choices import Phase, Respondent
from hearth.caregiving import services as caregiving_services
from hearth.caregiving.models import SupportContact
from hearth.core import clock
from hearth.demo.equipment_store import Store, lend_and_check
from hearth.demo.family_support import Family
from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.medicine_chart import Chart, find_drug_route, find_formulation
from hearth.demo.profile_and_plans import EVERY_DAY, Act, Goal, Need, Scene
from hearth.demo.symptom_week import Story, esas
from hearth.demo.visit_plan import local_moment, patient_in_care, user_named
from hearth.directory.choices import NextStepStatus
from hearth.monitoring.choices import AlertRule, TriageOutcome
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.patients.models import Patient
from hearth.visits import services as visit_services
from hearth.visits.choices import VisitKind, VisitStatus
from hearth.visits.models import Visit, VisitNeed, window_around

RECORD_NUMBER = "HH-1006"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
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
)


# --- Profile, care plan and advance care plan ---------------------------------


def profile_and_plans(scene: Scene) -> None:
    nurse, doctor, psychologist, social_worker = (
        "nurse.brennan",
        "dr.patel",
        "psych.mensah",
        "sw.garcia",
    )
    with scene.at(7, 11):
        scene.section(
            nurse,
            "values",
            what_matters_most=(
                "Jess. His mum, his sister Becky and his niece Ava. Being treated like Tom, "
                "not like a patient. Music."
            ),
            goals=(
                "Finish the video diary for Jess, his mum and Ava. A weekend in Whitby with "
                "Jess. Keep going to Orient with his dad while he can."
            ),
            wishes="To stay in the flat with Jess. To be asked, not told.",
            good_day=(
                "Sleep till ten, a bacon sandwich, an hour at his desk editing the diary, a "
                "walk to London Fields with Jess, a film on the sofa."
            ),
            fears_and_worries=(
                "Another seizure in front of Jess. Losing his words before the diary is "
                "finished. Jess being left with the rent."
            ),
        )
        scene.section(
            nurse,
            "information",
            information_wish="not_to_know",
            who_may_be_told=(
                "Jess, everything, including the prognosis if she asks (Tom knows she might). "
                "His mum in Sheffield, through Jess or Tom. In his words: “Tell me what we're "
                "doing, not how long I've got.”"
            ),
            decision_maker_name="Jess Morgan",
            decision_maker_relationship="partner",
            decision_maker_phone="+44 7700 900116",
            decision_maker_basis="legal_representative",
        )
        scene.section(
            nurse,
            "faith",
            culture=(
                "Grew up in Sheffield; moved to London after university. Sound engineer at a "
                "studio in Hackney Wick until the recurrence."
            ),
            religion="Not religious",
            spiritual_support="none",
            attitudes_to_interventions=(
                "Open to any treatment that keeps him himself; would rather have some pain "
                "than be confused."
            ),
        )
        scene.section(
            nurse,
            "diet",
            favourite_foods=(
                "Bacon sandwiches, pizza from the place on Mare Street, Yorkshire Tea. Hungry "
                "all the time on dexamethasone."
            ),
            dislikes="No known allergies.",
            food_texture="regular",
            drink_thickness="thin",
        )
        scene.section(
            nurse,
            "communication",
            preferred_language="en",
            style="direct",
            notes=(
                "Word-finding difficulty, worse when tired (left temporal tumour): give him "
                "time and don't finish his sentences. Sharpest in the late morning. Talk to "
                "him, not to Jess."
            ),
        )
        scene.section(
            nurse,
            "routine",
            wakes_at="09:30",
            goes_to_bed_at="00:30",
            rest="Needs a sleep most afternoons.",
            meals="Eats whenever he is hungry, which is often.",
        )
        scene.window(
            nurse,
            "preferred_visit",
            "Late morning: the best time for visits",
            EVERY_DAY,
            "10:30",
            "12:30",
        )
        scene.window(nurse, "rest", "Afternoon sleep", EVERY_DAY, "14:30", "16:00")
        scene.section(
            nurse,
            "home",
            music="Arctic Monkeys, Radiohead, Burial; his own mixes.",
            photos_and_objects=(
                "His desk in the corner of the living room (laptop, monitors, guitar): leave "
                "it set up, it matters."
            ),
            accessibility_needs=(
                "Third-floor flat, no lift: a problem if his right leg weakens further "
                "(occupational therapy referral made)."
            ),
            pets="No pets; Jess's sister's dog visits.",
        )
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="undecided",
        )
    with scene.at(7, 14):
        scene.legacy(
            psychologist,
            "video_diary",
            "Video diary for Jess, his mum and Ava: a short film each week about the things "
            "he wants them to know",
            "in_progress",
            "Kwame helps him plan the topics; Jess films when his right hand is weak; copies "
            "kept on a drive with his friend Dev. Record in the late morning.",
        )
        scene.legacy(
            social_worker,
            "bucket_list",
            "A weekend in Whitby with Jess",
            "planned",
            "Lucia: an accessible cottage, transport and travel insurance. Dr Patel: a seizure "
            "plan and medicines for the trip.",
        )
    seizures = Need(
        "physical",
        "Headaches, right-sided weakness and risk of seizures (recurrent glioblastoma); "
        "side effects of steroids",
        3,
        [
            Goal(
                "“I don't want Jess to see me fit again and not know what to do.”",
                "Jess confident with the seizure plan and buccal midazolam; no emergency "
                "admissions",
                [
                    Act(
                        "nurse.brennan",
                        "Nurse visit in the late morning: headache and seizure diary, blood "
                        "sugar on dexamethasone, teach Jess the seizure plan",
                        times=3,
                        per="week",
                        minutes=45,
                    ),
                    Act(
                        "dr.patel",
                        "Doctor's review: steroid dose, levetiracetam, headaches; liaise with "
                        "UCLH neuro-oncology",
                        times=1,
                        per="week",
                        minutes=45,
                    ),
                ],
                within_days=14,
            )
        ],
    )
    mood = Need(
        "psychological",
        "Anger and low mood about dying young; fear of losing his words",
        2,
        [
            Goal(
                "“I want to finish the diary while I still sound like me.”",
                "One diary film recorded each week; mood better on his own 0–10 scale",
                [
                    Act(
                        "psych.mensah",
                        "Psychology sessions: anger and fear; planning the video diary",
                        times=1,
                        per="week",
                        minutes=60,
                    )
                ],
            )
        ],
    )
    money = Need(
        "practical",
        "Has lost his income; rent and bills on the flat; benefits not yet claimed",
        2,
        [
            Goal(
                "“I don't want Jess to lose the flat.”",
                "Benefits claimed under the special rules for end of life and in payment; "
                "Jess added to the tenancy",
                [
                    Act(
                        "sw.garcia",
                        "Social worker: benefits claims (PIP, ESA under special rules), the "
                        "landlord and the tenancy, the Whitby trip",
                        times=1,
                        per="week",
                        minutes=45,
                    ),
                    Act(
                        "dr.patel",
                        "Complete the SR1 medical form for the benefits claims",
                        kind="other",
                    ),
                ],
                within_days=28,
            )
        ],
    )
    needs = [seizures, mood, money]
    with scene.at(7, 15):
        assessment = scene.assess(
            doctor,
            needs,
            "Recurrent glioblastoma; at home with his partner Jess. Tom wants to stay himself, "
            "to finish a video diary and to make sure Jess is secure.",
        )
    with scene.at(6, 10):
        draft = scene.first_plan(
            doctor,
            assessment,
            needs,
            "Siobhan (nurse) visits three times a week and Dr Patel once a week, in the late "
            "morning when Tom is at his best, to keep headaches and seizures under control. "
            "Kwame sees Tom weekly and helps with his video diary. Lucia is sorting out "
            "benefits and the flat so that Jess is secure.",
            review_in_days=28,
        )
    with scene.at(6, 13):
        scene.meeting(
            doctor,
            ["dr.patel", "nurse.brennan", "psych.mensah", "sw.garcia"],
            others="Tom and Jess, for the first half",
            discussion=(
                "Tom wants plain talk about plans but no time estimates (see his profile). "
                "Priorities: seizures, the diary, money."
            ),
            decisions=(
                "Care plan version 1 approved. Visits in the late morning. Advance care plan "
                "conversation this week: Tom wants full treatment for now."
            ),
            approve=draft,
        )
    with scene.at(5, 11):
        scene.advance_care_plan(
            doctor,
            {
                "relevant_information": (
                    "C71.9 Recurrent glioblastoma (left temporal); on dexamethasone and "
                    "levetiracetam. Word-finding difficulty when tired. Does not want time "
                    "estimates."
                ),
                "preference": 2,
                "what_matters": (
                    "“I'm not done yet.” Time with Jess, finishing his video diary, Whitby."
                ),
                "focus_of_care": "full",
                "hospital_transfer": "consider",
                "antibiotics": "consider",
                "non_invasive_ventilation": "consider",
                "other_recommendations": (
                    "Seizure lasting more than five minutes: buccal midazolam 10 mg (Jess is "
                    "trained), then call 999. Tom wants hospital treatment for anything "
                    "reversible. Talk about plans, not prognosis, unless he asks. Review with "
                    "Tom and Jess after his next scan, or sooner if he deteriorates."
                ),
                "cpr": "attempt",
                "cpr_reason": (
                    "Tom's informed wish at this stage. He knows CPR may not succeed and has "
                    "asked to talk about it again after his next scan."
                ),
                "capacity": "has_capacity",
                "patient_involved": True,
                "others_involved": "Jess Morgan (partner; lasting power of attorney for health).",
                "emergency_contacts": (
                    "Jess Morgan, partner, +44 7700 900116\n"
                    "Carol Whitaker, mother (Sheffield), +44 7700 900126"
                ),
            },
            review_in_days=28,
            signer=doctor,
        )
    with scene.at(1, 21):
        scene.proposal(
            "patient.whitaker",
            "communication",
            "Can someone put on my page that I don't want the sad head-tilt voice. Talk to me "
            "like normal, I'm still me. Also Saturdays at 3 are Orient, home or away (radio if "
            "I can't get there). Don't book anything then, not even bloods. Cheers, Tom",
        )


# --- A week of symptom monitoring ---------------------------------------------


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


def symptom_week(s: Story) -> None:
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


# --- Medicines ----------------------------------------------------------------


def medicines(c: Chart) -> None:
    doctor, nurse, partner = "dr.patel", "nurse.brennan", "family.whitaker"
    with c.at(10, 10, 0):
        steroid = c.prescribe(
            doctor,
            find_drug_route("Dexamethasone", "oral"),
            formulation=find_formulation("Dexamethasone", "oral", "2 mg"),
            kind="regular",
            dose="4",
            times=["08:00"],
            indication="swelling around the tumour (headache)",
            instructions="Two tablets with breakfast.",
        )
        paracetamol = c.prescribe(
            doctor,
            find_drug_route("Paracetamol", "oral"),
            formulation=find_formulation("Paracetamol", "oral", "500 mg"),
            kind="as_needed",
            dose="1000",
            minimum_interval_minutes=240,
            maximum_doses_24h=4,
            indication="headache",
            instructions="Two tablets.",
        )
        buccal = find_formulation("Midazolam", "buccal", "10 mg/1 ml")
        c.prescribe(
            doctor,
            find_drug_route("Midazolam", "buccal"),
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


# --- Family training and support ----------------------------------------------


def family_training(f: Family) -> None:
    nurse, sam = "nurse.brennan", "family.whitaker"
    f.taught(nurse, sam, "what_to_do", 8, 7)
    f.step(nurse, sam, "what_to_do", "signed_off", 7, note="Knows the numbers; card by the phone.")
    f.step(nurse, sam, "signs_of_dying", "demonstrated", 3)
    for route in ("oral", "buccal"):
        f.taught(nurse, sam, f"medicines_{route}", 10, 10)
        if not f.medicine_signed_off(sam, route):
            f.step(nurse, sam, f"medicines_{route}", "signed_off", 10)


def family_support(f: Family) -> None:
    if SupportContact.objects.filter(patient=f.patient).exists():
        return
    sam = f.carer("family.whitaker")
    with f.at(5, 12):
        caregiving_services.record_support_contact(
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
        caregiving_services.record_support_contact(
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


# --- Visits -------------------------------------------------------------------


def yesterdays_visit(staff: dict[str, User]) -> None:
    """Published the day before yesterday (as the planner leaves a visit),
    made and closed yesterday through the visit_services."""
    patient = patient_in_care(RECORD_NUMBER)
    nurse = user_named(staff, "nurse.brennan")
    if patient is None or nurse is None:
        return
    if Visit.objects.filter(patient=patient, status=VisitStatus.COMPLETED).exists():
        return
    yesterday = clock.today() - timedelta(days=1)
    planned = local_moment(yesterday, "11:00")
    need = (
        VisitNeed.objects.current()
        .filter(patient=patient, discipline=Discipline.NURSE, kind=VisitKind.HOME_VISIT)
        .first()
    )
    low, high = window_around(planned, minutes=settings.HEARTH_FAMILY_WINDOW_MINUTES)
    visit = Visit.objects.create(
        patient=patient,
        staff=nurse,
        kind=VisitKind.HOME_VISIT,
        discipline=Discipline.NURSE,
        purpose=need.description if need else "Nurse visit",
        need=need,
        date=yesterday,
        sequence=2,
        planned_start=planned,
        planned_end=planned + timedelta(minutes=45),
        family_window_start=low,
        family_window_end=high,
    )
    with clock.travel_to(local_moment(yesterday, "11:04")):
        visit_services.arrive(actor=nurse, visit=visit)
    with clock.travel_to(local_moment(yesterday, "11:20")):
        visit_services.add_visit_note(
            actor=nurse,
            visit=visit,
            text=(
                "Headache 3/10 this morning, no seizures since Sunday. Blood sugar 9.8 two "
                "hours after breakfast on dexamethasone: within what Dr Patel asked for."
            ),
        )
    with clock.travel_to(local_moment(yesterday, "11:52")):
        visit_services.close_visit(
            actor=nurse,
            visit=visit,
            departed_at=clock.now(),
            actions_taken=(
                "Went through the seizure plan with Jess again: she showed how she would "
                "give buccal midazolam. Checked the seizure diary and the steroid card."
            ),
            notes="Jess tired but coping; asked about the carer's assessment (sw.garcia).",
            pulse=78,
            systolic_pressure=132,
            diastolic_pressure=84,
            respiratory_rate=16,
            temperature=Decimal("36.8"),
            oxygen_saturation=98,
        )


# --- Equipment ----------------------------------------------------------------


def equipment(store: Store, patient: Patient) -> None:
    """A wheelchair, checked, due for its service soon."""
    lend_and_check(
        store.items["WCH-0601"],
        patient,
        lender=store.coordinator,
        checker=store.brennan,
        days_ago=6,
    )


# --- Directory ----------------------------------------------------------------


#: (entry name, staff username, note, final status, changed by)
NEXT_STEPS: list[tuple[str, str, str, str, str]] = [
    (
        "Lasting power of attorney: making one",
        "sw.garcia",
        "Tom and Jess: worth doing the health and care LPA soon while Tom can sign; "
        "I can be there when you fill it in.",
        NextStepStatus.TO_DO,
        "",
    ),
    (
        "Hackney and Tower Hamlets Carers' Centre",
        "sw.garcia",
        "Jess, register as a carer: ask about the carer's emergency plan and the "
        "Wednesday evening group.",
        NextStepStatus.TO_DO,
        "",
    ),
]
