"""HH-1007 Grace Adeyemi: advanced dementia with frailty, Pentecostal
Christian, whose son Tunde cares for her. Discharged to a nursing home near
her son: her profile, the signed advance care plan and the last team meeting
from her time with us.
"""

from __future__ import annotations

from datetime import date

from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.profile_and_plans import EVERY_DAY, SUNDAY, Need, Scene
from hearth.patients.choices import CareTeamRole, EpisodeState
from hearth.personhood import services as profile

RECORD_NUMBER = "HH-1007"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
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
)


# --- Profile, care plan and advance care plan ---------------------------------


def profile_and_plans(scene: Scene) -> None:
    nurse, doctor = "nurse.brennan", "dr.okafor"
    with scene.at(57, 11):
        scene.section(
            nurse,
            "values",
            what_matters_most=(
                "Her God, her church family and her children. Singing. Being clean, well "
                "dressed and with her head wrapped: she has always been proud of how she looks."
            ),
            goals=(
                "Tunde's words: for Mum to be comfortable, to keep eating what she enjoys, and "
                "not to go back into hospital."
            ),
            wishes=(
                "She told Tunde years ago: “When my time comes, let me go quietly, with my "
                "church singing.”"
            ),
            good_day=(
                "Gospel music in the morning, ogi (pap) with milk and sugar, her hair done, "
                "a visit from the church sisters, someone holding her hand."
            ),
            fears_and_worries=(
                "Strangers doing her personal care frighten her and she may hit out; loud "
                "men's voices. Tunde worries most about chest infections and choking."
            ),
        )
        scene.section(
            nurse,
            "information",
            information_wish="family",
            who_may_be_told=(
                "Tunde, everything; he keeps his sister Bisi in Lagos informed. Her pastor may "
                "be told how she is. When she was well she always said: “Tell Tunde, he "
                "will tell me.”"
            ),
            decision_maker_name="Tunde Adeyemi",
            decision_maker_relationship="son",
            decision_maker_phone="+44 7700 900117",
            decision_maker_basis="legal_representative",
        )
        scene.section(
            nurse,
            "faith",
            culture=(
                "Yoruba, from Ibadan. Came to London in 1962 and ran a fabric stall on Rye "
                "Lane market for thirty years."
            ),
            religion="Pentecostal Christian",
            rituals_and_prayers=(
                "Church sisters come on Sunday afternoons to pray and sing with her: loud, "
                "joyful prayer is normal, please do not interrupt. A short prayer and a hymn "
                "before bed (“What a Friend We Have in Jesus”)."
            ),
            spiritual_support="own_faith_leader",
            faith_leader_contact="Pastor Adebayo, her church on Rye Lane: Tunde has the number",
            attitudes_to_interventions=(
                "The family pray for healing alongside medical care and accept care that "
                "puts her comfort first."
            ),
        )
        scene.section(
            nurse,
            "diet",
            favourite_foods=(
                "Ogi (pap) with evaporated milk and sugar; jollof rice and plantain, puréed; "
                "Supermalt; Milo."
            ),
            dislikes="No known allergies.",
            food_texture="pureed",
            drink_thickness="mildly_thick",
            swallowing_notes=(
                "Coughs on thin drinks; two chest infections this year. Sit her fully upright, "
                "feed slowly with a teaspoon, wait for each swallow, stop if she coughs or "
                "tires. Mouth care after meals."
            ),
        )
        scene.section(
            nurse,
            "communication",
            preferred_language="en",
            glasses=True,
            style="gentle",
            notes=(
                "Advanced dementia: short sentences, one thing at a time, a calm voice. Speaks "
                "more Yoruba than English now (Yoruba is not in the list): she brightens at a "
                "Yoruba greeting (“E kaaro, Mama” in the morning) and at singing. Tunde can "
                "teach a few phrases."
            ),
        )
        scene.section(
            nurse,
            "routine",
            wakes_at="07:00",
            goes_to_bed_at="20:00",
            rest="Sleeps on and off through the day.",
            meals="Small meals every three hours; Tunde or a carer feeds her.",
        )
        scene.window(
            nurse,
            "prayer",
            "Church sisters pray and sing with her",
            [SUNDAY],
            "15:00",
            "16:30",
        )
        scene.window(nurse, "rest", "Afternoon sleep", EVERY_DAY, "13:00", "14:30")
        scene.section(
            nurse,
            "home",
            music="Yoruba gospel choruses and the old hymns.",
            colours_and_light="Bright wrappers and head ties; a sunny room.",
            photos_and_objects=(
                "Photos of her late husband Samuel and of her stall on Rye Lane; her Bible "
                "by the bed."
            ),
            accessibility_needs=(
                "Hoist, profiling bed and pressure mattress; two carers four times a day."
            ),
            pets="No pets.",
        )
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="home",
            preferred_place_of_death="home",
            people_present=(
                "Tunde and his family; the church sisters singing; Bisi on a video call."
            ),
            music_and_rituals="Hymns and Yoruba gospel; her pastor to pray with her.",
            after_death_rituals=(
                "The family would like to wash her and dress her in her white lace and gele "
                "(head tie); her pastor to pray."
            ),
            funeral_wishes=(
                "Service at her church on Rye Lane; burial. The family may take her home to "
                "Ibadan: not decided."
            ),
        )
        book = scene.legacy(
            nurse,
            "memory_book",
            "Memory book with Tunde: Ibadan, the stall on Rye Lane, her church choir",
            "in_progress",
            "Tunde brings the photographs; the nurse helps put it together. It helps carers "
            "talk with her.",
        )
    with scene.at(57, 15):
        scene.assess(
            doctor,
            [
                Need("physical", "Recurrent chest infections from aspiration; eating less", 3),
                Need("physical", "Bed-bound; pressure areas at risk", 2),
                Need("psychological", "Distressed by personal care (advanced dementia)", 2),
                Need("family", "Tunde cares for her with a care package and works nights", 3),
            ],
            "Advanced dementia with frailty. The family want her kept comfortable at home.",
        )
    with scene.at(55, 12):
        scene.advance_care_plan(
            doctor,
            {
                "relevant_information": (
                    "F03 Advanced dementia with frailty; recurrent aspiration pneumonia. "
                    "Speaks mainly Yoruba now."
                ),
                "preference": 5,
                "what_matters": (
                    "To be comfortable, clean and well dressed, with her church singing, and "
                    "not to go back into hospital."
                ),
                "focus_of_care": "comfort",
                "hospital_transfer": "do_not_consider",
                "antibiotics": "consider",
                "artificial_nutrition": "do_not_consider",
                "non_invasive_ventilation": "do_not_consider",
                "other_recommendations": (
                    "Careful hand feeding for comfort, accepting the risk of aspiration. Chest "
                    "infection: oral antibiotics if they would ease her symptoms; otherwise "
                    "keep her comfortable where she is. Hospital only for something that "
                    "cannot be made comfortable where she is, such as a broken hip."
                ),
                "cpr": "do_not_attempt",
                "cpr_reason": (
                    "Advanced dementia and frailty: CPR would not succeed and would harm her. "
                    "A best-interests decision with Tunde (lasting power of attorney for "
                    "health), who agrees and says it is what his mother wanted."
                ),
                "capacity": "lacks_capacity",
                "patient_involved": False,
                "not_involved_reason": (
                    "Advanced dementia: Grace cannot take part in these decisions. Her earlier "
                    "wishes came from Tunde and her pastor."
                ),
                "others_involved": (
                    "Tunde Adeyemi (son, lasting power of attorney for health); Pastor Adebayo."
                ),
                "emergency_contacts": "Tunde Adeyemi, son, +44 7700 900117",
            },
            review_in_days=120,
            signer=doctor,
        )
    with scene.at(20, 16):
        profile.update_legacy_item(
            actor=scene.staff[nurse],
            item=book,
            changes={"status": "done"},
        )
    with scene.at(7, 14):
        scene.meeting(
            doctor,
            ["dr.okafor", "nurse.brennan"],
            others="Tunde Adeyemi (son); the manager of the nursing home in Bromley, by phone",
            discussion=(
                "Tunde can no longer manage the nights with the care package, and Grace now "
                "needs two people for all care. He has found a nursing home near him in "
                "Bromley whose staff know her food and her church's songs."
            ),
            decisions=(
                "Grace moves to the nursing home; discharge from home palliative care on "
                "arrival. Her advance care plan (ReSPECT), profile, memory book and medicines "
                "list go with her; nurse-to-nurse handover call on the day."
            ),
        )
    with scene.at(6, 16):
        scene.section(
            nurse,
            "end_of_life",
            preferred_place_of_care="care_home",
            preferred_place_of_death="care_home",
        )
