"""HH-1004 Daniel Cohen: severe COPD on home oxygen, observant Jewish (keeps
Shabbat). Just referred: the profile the coordinator took down on the phone;
nobody is on his care team yet, so nothing clinical.
"""

from __future__ import annotations

from datetime import date

from hearth.demo.journey import DemoPatient, patient_details, referral
from hearth.demo.profile_and_plans import (
    FRIDAY,
    LONDON_PRAYER_TIMES,
    SATURDAY,
    SUNDAY,
    Scene,
    minutes_after,
)
from hearth.patients.choices import EpisodeState

RECORD_NUMBER = "HH-1004"

#: Who the patient is, who referred them, their team and family, and how far
#: their journey has come (``hearth.demo.journey``).
PATIENT = DemoPatient(
    patient=patient_details(
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
    referral=referral(
        "community_nurse",
        "Ruth Adler",
        "Barnet community nursing",
        "Oxygen-dependent, housebound, wife exhausted.",
        "routine",
    ),
    stage=EpisodeState.REFERRED,
    days_ago=1,
)


# --- Profile, care plan and advance care plan ---------------------------------


def profile_and_plans(scene: Scene) -> None:
    coordinator = "coord.lewis"
    sunset = LONDON_PRAYER_TIMES[scene.today.month][3]
    candles = minutes_after(sunset, -18)
    ends = minutes_after(sunset, 72)
    with scene.at(1, 15):
        scene.section(
            coordinator,
            "values",
            what_matters_most=(
                "His wife Miriam, married for nearly sixty years; their children and "
                "grandchildren; his synagogue. Keeping Shabbat and the festivals at home as he "
                "always has."
            ),
            goals=(
                "To stay at home. For Miriam to get some rest. To be at the table for "
                "Friday-night dinner with the grandchildren."
            ),
            good_day=(
                "Morning prayers, breakfast with Miriam, a grandchild visiting, breath enough "
                "to argue about the cricket."
            ),
            fears_and_worries=(
                "Being a burden on Miriam, who is exhausted. Panicking when breathless at night."
            ),
        )
        scene.section(
            coordinator,
            "faith",
            culture=(
                "Born in London in 1945 to parents who came from Vienna in 1938. A retired "
                "accountant."
            ),
            religion="Jewish (Orthodox)",
            rituals_and_prayers=(
                "Keeps Shabbat from before sunset on Friday until nightfall on Saturday: no "
                "phone, no writing, no switching things on. The family will not answer the "
                "phone on Shabbat, so come to the door for anything urgent. Lays tefillin for "
                "morning prayers on weekdays."
            ),
            spiritual_support="own_faith_leader",
            faith_leader_contact=(
                "The rabbi of his synagogue in Golders Green: Miriam has the number"
            ),
            attitudes_to_interventions=(
                "Urgent care on Shabbat is always welcome: saving life comes first in Jewish "
                "law (pikuach nefesh). Wants his rabbi consulted about decisions at the end "
                "of life."
            ),
        )
        scene.section(
            coordinator,
            "diet",
            practices=["kosher"],
            fasting_periods=(
                "Yom Kippur: his rabbi has told him not to fast because of his lungs."
            ),
            favourite_foods=(
                "Miriam's chicken soup, lokshen pudding, bagels with smoked salmon on Sunday "
                "mornings, lemon tea."
            ),
            dislikes=(
                "Do not bring food into the kitchen or use their plates and cutlery: meat and "
                "milk are kept apart. Supplement drinks need a kosher certificate (hechsher); "
                "ask Miriam."
            ),
        )
        scene.section(
            coordinator,
            "communication",
            preferred_language="en",
            other_languages=["he"],
            style="direct",
            notes="Breathless when he talks: short questions. Miriam usually answers the door.",
        )
        scene.section(
            coordinator,
            "routine",
            routine_notes=(
                "Shabbat times move with sunset through the year: the team updates the "
                "windows with Miriam."
            ),
        )
        scene.window(
            coordinator,
            "prayer",
            "Morning prayers (shacharit) with tefillin",
            [0, 1, 2, 3, 4, SUNDAY],
            "07:30",
            "08:15",
        )
        scene.window(
            coordinator,
            "do_not_disturb",
            f"Shabbat: from an hour before candle-lighting (about {candles} this month), no "
            "routine visits or calls; urgent care always welcome",
            [FRIDAY],
            minutes_after(candles, -60),
            "00:00",
        )
        scene.window(
            coordinator,
            "do_not_disturb",
            f"Shabbat, until nightfall (about {ends}): no routine visits or calls; urgent care "
            "always welcome",
            [SATURDAY],
            "00:00",
            ends,
        )
        scene.section(
            coordinator,
            "home",
            photos_and_objects="A mezuzah on each doorpost; photos of the grandchildren.",
            accessibility_needs=(
                "Oxygen concentrator (2 litres) with long tubing; cylinders for going out. No "
                "smoking or open flames near the oxygen: the Shabbat candles are lit in the "
                "dining room, well away from it. Please keep it that way."
            ),
            pets="No pets.",
        )
        scene.legacy(
            coordinator,
            "memory_book",
            "The story of his parents' journey from Vienna, for the grandchildren",
            "idea",
            "Ask at the first visit whether he would like a volunteer to help him record it.",
        )
