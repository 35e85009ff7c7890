"""HH-1003 Margaret (Peggy) O'Brien: heart failure (NYHA IV), Roman Catholic,
lives alone with her nephew visiting. Screened and awaiting the medical
commission: her profile, a pre-admission assessment, the referral meeting and
an advance care plan still in draft.
"""

from __future__ import annotations

from datetime import date

from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.profile_and_plans import EVERY_DAY, SUNDAY, Need, Scene
from hearth.patients.choices import CareTeamRole, EpisodeState

RECORD_NUMBER = "HH-1003"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
        "gp",
        "Dr J. Walsh",
        "Camden Road Surgery",
        "Three admissions in six months; breathless at rest; lives alone with nephew visiting.",
        "soon",
    ),
    stage=EpisodeState.AWAITING_COMMISSION,
    days_ago=3,
    team=[("dr.patel", CareTeamRole.PHYSICIAN), ("sw.garcia", CareTeamRole.SOCIAL_WORKER)],
)


# --- Profile, care plan and advance care plan ---------------------------------


def profile_and_plans(scene: Scene) -> None:
    social_worker, doctor = "sw.garcia", "dr.patel"
    with scene.at(2, 14):
        scene.section(
            social_worker,
            "values",
            what_matters_most=(
                "Staying in her own flat with her cat, Biddy. Her faith. Her nephew Declan, "
                "who calls in most days, and her sister Kathleen in Cork. Being spoken to "
                "straight."
            ),
            goals=(
                "To stay out of hospital. To get to her chair and the bathroom on her own. To "
                "see Kathleen one more time."
            ),
            wishes="To die in her own bed, with her rosary, after the Last Rites from a priest.",
            good_day=(
                "Tea in bed at eight, Radio 4 and the crossword, the Angelus at noon, Declan "
                "with the paper, Biddy on her lap, breath enough to talk."
            ),
            fears_and_worries=(
                "Another 999 call and a night on a trolley in A&E. Being found on the floor. "
                "Who will look after Biddy."
            ),
        )
        scene.section(
            social_worker,
            "information",
            information_wish="full",
            who_may_be_told=(
                "Declan, everything; he tells her sister Kathleen in Cork. In her words: "
                "“I was a ward sister for thirty years. Don't dress it up.”"
            ),
            decision_maker_name="Declan O'Brien",
            decision_maker_relationship="nephew",
            decision_maker_phone="+44 7700 900123",
            decision_maker_basis="named_by_person",
        )
        scene.section(
            social_worker,
            "faith",
            culture=(
                "Born in Cork in 1938; came to London in 1957 to train as a nurse and was a "
                "ward sister at the Whittington until she retired. Widowed (Frank, died "
                "2009); no children. Declan is “like a son”."
            ),
            religion="Roman Catholic",
            rituals_and_prayers=(
                "Stops for the Angelus at noon (RTÉ Radio 1); says the rosary every evening; "
                "watches Mass online on Sunday morning. A Eucharistic minister from the "
                "parish brings Holy Communion on Fridays."
            ),
            spiritual_support="own_faith_leader",
            faith_leader_contact=(
                "Fr Michael, her parish priest: number on the fridge and with Declan"
            ),
            attitudes_to_interventions=(
                "Wants the Anointing of the Sick now, “not at the last minute”. Happy to "
                "have morphine for breathlessness: “I gave enough of it myself.”"
            ),
        )
        scene.section(
            social_worker,
            "diet",
            practices=[],
            fasting_periods="Keeps no fasts now; fish on Fridays out of lifelong habit.",
            favourite_foods=(
                "Barry's tea (weak, milk, no sugar), brown soda bread, a boiled egg, fish pie "
                "on Fridays, a small Jameson at Christmas."
            ),
            dislikes=("Misses the salt the heart team took away. No known allergies."),
            food_texture="regular",
            drink_thickness="thin",
            swallowing_notes="Fluid limit of 1.5 litres a day (heart failure): her jug is marked.",
        )
        scene.section(
            social_worker,
            "communication",
            preferred_language="en",
            hearing_aid=True,
            glasses=True,
            style="direct",
            notes=(
                "Deaf in the left ear: sit on her right. Ring the bell and wait; she takes a "
                "while to reach the door (key safe: Declan has the code)."
            ),
        )
        scene.section(
            social_worker,
            "routine",
            wakes_at="08:00",
            goes_to_bed_at="22:30",
            rest="Naps in her chair after lunch, from about two until half past three.",
            meals="Breakfast in bed; dinner at one; tea and toast at six.",
            routine_notes="Declan calls in most evenings after work.",
        )
        scene.window(
            social_worker, "prayer", "The Angelus on RTÉ Radio 1", EVERY_DAY, "12:00", "12:10"
        )
        scene.window(social_worker, "prayer", "Sunday Mass online", [SUNDAY], "10:00", "11:00")
        scene.window(social_worker, "prayer", "The rosary", EVERY_DAY, "19:00", "19:30")
        scene.window(
            social_worker, "rest", "Afternoon nap in her chair", EVERY_DAY, "14:00", "15:30"
        )
        scene.section(
            social_worker,
            "home",
            music="John McCormack and the Irish tenors; Radio 4.",
            photos_and_objects=(
                "Wedding photo with Frank; her nurse's badge and silver buckle on the dresser; "
                "the holy water font by the door."
            ),
            accessibility_needs=(
                "First-floor flat with a stairlift; grab rails in the bathroom; sleeps propped "
                "on four pillows."
            ),
            pets=(
                "Biddy, an old tabby cat, sleeps on her bed. If Peggy goes into hospital "
                "Declan feeds her; her neighbour at number 9 has offered to take Biddy later."
            ),
        )
        scene.section(
            social_worker,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="home",
            people_present="Declan; Fr Michael; Kathleen on the phone if she cannot travel.",
            music_and_rituals=(
                "The rosary said with her; the Anointing and the prayers for the dying."
            ),
            after_death_rituals="Her rosary in her hands; a priest called to pray with her.",
            funeral_wishes=(
                "Requiem Mass at her parish; buried with Frank at St Pancras and Islington "
                "Cemetery."
            ),
            spiritual_wishes="To make her confession.",
        )
        scene.legacy(
            social_worker,
            "bucket_list",
            "A last visit from her sister Kathleen, flying over from Cork",
            "planned",
            "Social worker to help with the cost of the flight (Kathleen is in her eighties) "
            "and the timing; Declan collects her from the airport.",
        )
    with scene.at(2, 16):
        scene.assess(
            doctor,
            [
                Need(
                    "physical",
                    "Breathless after a few steps and at night; swollen legs (heart failure, "
                    "NYHA IV)",
                    3,
                ),
                Need("practical", "Lives alone; struggles with washing, meals and the stairs", 2),
                Need("psychological", "Frightened of another hospital admission", 2),
                Need("social", "Worried about who will care for her cat", 1),
            ],
            "Pre-admission visit with the social worker while the commission decides. Peggy "
            "wants to stay at home and out of hospital; she needs a plan for breathless "
            "nights and help with personal care.",
        )
        scene.advance_care_plan(
            doctor,
            {
                "preference": 4,
                "what_matters": (
                    "Staying at home with Biddy and out of hospital; being spoken to straight."
                ),
                "focus_of_care": "selective",
                "other_recommendations": (
                    "Conversation started at the first home visit. Peggy knows CPR rarely "
                    "works in heart failure like hers and is leaning towards not having it, "
                    "but wants to talk it over with Declan and Fr Michael first. To finish at "
                    "the next visit."
                ),
                "capacity": "has_capacity",
                "patient_involved": True,
            },
            review_in_days=None,
        )
    with scene.at(1, 13):
        scene.meeting(
            doctor,
            ["dr.patel", "sw.garcia"],
            discussion=(
                "New referral discussed at the weekly team meeting while the commission decides."
            ),
            decisions=(
                "If admission is granted: first nurse visit within 48 hours; breathlessness "
                "plan and just-in-case medicines; social worker to arrange morning care; keep "
                "Declan informed. Finish the advance care plan with Peggy and Declan."
            ),
        )
