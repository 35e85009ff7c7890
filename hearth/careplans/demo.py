# ruff: noqa: RUF001 - the Russian-speaking families' own words are in Cyrillic.
"""Personal care for the demo patients: each person's "what matters to me"
profile, their holistic assessment, care plan, team meetings and advance care
plan, written through the same services a clinician uses (so histories, audit
events and the version diff are real).

Each story is written at the moments it would have happened, relative to the
day the demo is loaded, so the demo always looks current. Safe to run again: a
patient whose profile already exists is left as it is.

Who gets what follows the patient's journey in ``seed_demo``:

* in care (HH-1001, HH-1002, HH-1006): profile, an active care plan approved at
  a team meeting and a signed advance care plan; HH-1001 also has an earlier,
  superseded plan version;
* awaiting the commission (HH-1003): profile, a pre-admission assessment, the
  referral meeting and an advance care plan still in draft;
* just referred (HH-1004): the profile the coordinator took down on the phone;
  nobody is on the care team yet, so nothing clinical;
* died (HH-1005) and discharged to a nursing home (HH-1007): the profile and the
  signed advance care plan from their time with us, and the last team meeting.
  No care plan in the demo (a plan would now read "ended with home care").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.careplans import services as plans
from hearth.careplans.models import AdvanceCarePlan, CarePlan, HolisticAssessment, PlanNeed
from hearth.core import clock
from hearth.patients.models import Patient
from hearth.personhood import services as profile
from hearth.personhood.models import LegacyItem, ProfileProposal, ValuesAndGoals

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6

#: Approximate start of the five daily prayers in London around the middle of
#: each month, in local clock time (Asr by the Shafi'i reckoning, rounded to
#: five minutes): Fajr, Dhuhr, Asr, Maghrib (sunset), Isha. Good enough for a
#: demo; a family keeps the real timetable of their own mosque.
LONDON_PRAYER_TIMES: dict[int, tuple[str, str, str, str, str]] = {
    1: ("06:10", "12:15", "14:10", "16:20", "17:55"),
    2: ("05:40", "12:20", "14:50", "17:15", "18:45"),
    3: ("04:50", "12:15", "15:30", "18:05", "19:35"),
    4: ("04:45", "13:05", "16:40", "19:55", "21:30"),
    5: ("03:30", "13:00", "17:05", "20:45", "22:30"),
    6: ("02:50", "13:05", "17:25", "21:20", "23:00"),
    7: ("03:10", "13:10", "17:20", "21:10", "22:50"),
    8: ("04:00", "13:10", "16:55", "20:25", "22:00"),
    9: ("04:55", "13:00", "16:15", "19:15", "20:45"),
    10: ("05:45", "12:50", "15:35", "18:10", "19:40"),
    11: ("05:50", "11:50", "13:55", "16:05", "17:40"),
    12: ("06:10", "12:00", "13:45", "15:50", "17:35"),
}


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    minutes = (5 * round(minutes / 5)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _shift(value: str, minutes: int) -> str:
    return _clock(_minutes(value) + minutes)


# --- Plan outlines ----------------------------------------------------------------


@dataclass
class Act:
    """An intervention; ``who`` is a username, ``as_`` the discipline when nobody is named."""

    who: str | None
    description: str
    kind: str = "home_visit"
    times: int | None = None
    per: str = ""
    minutes: int | None = None
    as_: str = ""
    food: list[str] = field(default_factory=list)


@dataclass
class Goal:
    words: str
    target: str
    acts: list[Act]
    within_days: int | None = None


@dataclass
class Need:
    domain: str
    description: str
    severity: int
    goals: list[Goal] = field(default_factory=list)

    def assessed(self) -> dict[str, Any]:
        return {"domain": self.domain, "description": self.description, "severity": self.severity}


@dataclass
class Scene:
    """One patient's story: who they are, the staff, and the day the demo is loaded."""

    patient: Patient
    staff: dict[str, User]
    today: date

    @contextmanager
    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> Iterator[None]:
        moment = timezone.make_aware(
            datetime.combine(self.today - timedelta(days=days_ago), time(hour, minute))
        )
        with clock.travel_to(moment):
            yield

    def ids(self, *usernames: str) -> list[str]:
        return [str(self.staff[name].external_id) for name in usernames]

    # Profile
    def section(self, by: str, section: str, **changes: Any) -> None:
        profile.update_section(
            actor=self.staff[by], patient=self.patient, section=section, changes=changes
        )

    def window(self, by: str, kind: str, label: str, days: list[int], start: str, end: str) -> None:
        profile.add_weekly_window(
            actor=self.staff[by],
            patient=self.patient,
            kind=kind,
            label=label,
            weekdays=days,
            starts_at=start,
            ends_at=end,
        )

    def legacy(self, by: str, kind: str, title: str, status: str, support: str) -> LegacyItem:
        return profile.add_legacy_item(
            actor=self.staff[by],
            patient=self.patient,
            kind=kind,
            title=title,
            status=status,
            support_needed=support,
        )

    def proposal(self, username: str, section: str, text: str) -> ProfileProposal:
        author = User.objects.get(username=username)
        return profile.propose_change(
            actor=author, patient=self.patient, section=section, text=text
        )

    # Care plan
    def assess(self, by: str, needs: list[Need], summary: str) -> HolisticAssessment:
        return plans.record_holistic_assessment(
            actor=self.staff[by],
            patient=self.patient,
            assessed_on=clock.today(),
            needs=[need.assessed() for need in needs],
            summary=summary,
        )

    def intervention(self, by: str, goal: Any, act: Act) -> None:
        responsible = self.staff[act.who] if act.who else None
        plans.add_intervention(
            actor=self.staff[by],
            goal=goal,
            description=act.description,
            kind=act.kind,
            discipline=act.as_ or (responsible.discipline if responsible else ""),
            responsible=str(responsible.external_id) if responsible else None,
            times=act.times,
            per=act.per,
            duration_minutes=act.minutes,
            food_contains=act.food,
        )

    def goals(self, by: str, need_row: PlanNeed, need: Need) -> None:
        for goal in need.goals:
            row = plans.add_goal(
                actor=self.staff[by],
                need=need_row,
                in_own_words=goal.words,
                measurable_target=goal.target,
                target_date=(
                    clock.today() + timedelta(days=goal.within_days) if goal.within_days else None
                ),
            )
            for act in goal.acts:
                self.intervention(by, row, act)

    def first_plan(
        self,
        by: str,
        assessment: HolisticAssessment,
        needs: list[Need],
        summary: str,
        review_in_days: int,
    ) -> CarePlan:
        """A draft from the assessment, each assessed need given its goals."""
        draft = plans.start_care_plan_draft(
            actor=self.staff[by], patient=self.patient, from_assessment=assessment
        )
        for need_row, need in zip(draft.needs.order_by("pk"), needs, strict=True):
            self.goals(by, need_row, need)
        return plans.update_care_plan(
            actor=self.staff[by],
            plan=draft,
            changes={
                "summary": summary,
                "review_date": clock.today() + timedelta(days=review_in_days),
            },
        )

    def add_need(self, by: str, plan: CarePlan, need: Need) -> None:
        row = plans.add_need(
            actor=self.staff[by],
            plan=plan,
            domain=need.domain,
            description=need.description,
            severity=need.severity,
        )
        self.goals(by, row, need)

    def meeting(
        self,
        by: str,
        attendees: list[str],
        decisions: str,
        discussion: str = "",
        others: str = "",
        approve: CarePlan | None = None,
    ) -> None:
        plans.record_team_meeting(
            actor=self.staff[by],
            patient=self.patient,
            held_on=clock.today(),
            attendee_ids=self.ids(*attendees),
            decisions=decisions,
            other_attendees=others,
            discussion=discussion,
            approve_plan=approve,
        )

    # Advance care plan
    def advance_care_plan(
        self,
        by: str,
        content: dict[str, Any],
        review_in_days: int | None,
        signer: str | None = None,
    ) -> AdvanceCarePlan:
        acp = plans.start_advance_care_plan(actor=self.staff[by], patient=self.patient)
        changes = dict(content)
        if review_in_days is not None:
            changes["review_date"] = clock.today() + timedelta(days=review_in_days)
        acp = plans.update_advance_care_plan(actor=self.staff[by], plan=acp, changes=changes)
        if signer:
            acp = plans.sign_advance_care_plan(actor=self.staff[signer], plan=acp)
        return acp


# --- HH-1001 Amina Hassan: prayer, halal food, a daughter who cares ---------------


def _amina_prayer_windows(scene: Scene, by: str) -> None:
    fajr, dhuhr, asr, maghrib, isha = LONDON_PRAYER_TIMES[scene.today.month]
    not_friday = [day for day in EVERY_DAY if day != FRIDAY]
    scene.window(by, "prayer", "Fajr (dawn prayer)", EVERY_DAY, fajr, _shift(fajr, 30))
    scene.window(by, "prayer", "Dhuhr (midday prayer)", not_friday, dhuhr, _shift(dhuhr, 25))
    scene.window(
        by,
        "prayer",
        "Jumu'ah: Friday sermon (khutbah) online and the midday prayer",
        [FRIDAY],
        dhuhr,
        _shift(dhuhr, 60),
    )
    scene.window(by, "prayer", "Asr (afternoon prayer)", EVERY_DAY, asr, _shift(asr, 25))
    scene.window(by, "prayer", "Maghrib (sunset prayer)", EVERY_DAY, maghrib, _shift(maghrib, 20))
    scene.window(by, "prayer", "Isha (night prayer)", EVERY_DAY, isha, _shift(isha, 25))
    scene.window(
        by,
        "rest",
        "Rests after the midday prayer",
        EVERY_DAY,
        _shift(dhuhr, 25),
        _shift(dhuhr, 85),
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


def _amina(scene: Scene) -> None:
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
            pets="None.",
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


# --- HH-1002 Pyotr Smirnov: Russian, motor neurone disease, family told first ------------

PYOTR_NOTES = (
    "Speech is slow and slurred when he is tired, worse in the evening: ask yes/no questions "
    "and wait. Understands simple English but answers in Russian."
)


def _pyotr(scene: Scene) -> None:
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
            pets="None.",
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


# --- HH-1003 Margaret (Peggy) O'Brien: awaiting the commission ---------------------------


def _peggy(scene: Scene) -> None:
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


# --- HH-1004 Daniel Cohen: just referred; the coordinator's phone call ---------------------


def _daniel(scene: Scene) -> None:
    coordinator = "coord.lewis"
    sunset = LONDON_PRAYER_TIMES[scene.today.month][3]
    candles = _shift(sunset, -18)
    ends = _shift(sunset, 72)
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
            _shift(candles, -60),
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
            pets="None.",
        )
        scene.legacy(
            coordinator,
            "memory_book",
            "The story of his parents' journey from Vienna, for the grandchildren",
            "idea",
            "Ask at the first visit whether he would like a volunteer to help him record it.",
        )


# --- HH-1005 Olga Kuznetsova: died at home, as she wished ---------------------------------


def _olga(scene: Scene) -> None:
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
            pets="None.",
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


# --- HH-1006 Tom Whitaker: a young man, a video diary, full treatment for now --------------


def _tom(scene: Scene) -> None:
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
            pets="None; Jess's sister's dog visits.",
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


# --- HH-1007 Grace Adeyemi: dementia; moved to a nursing home near her son -----------------


def _grace(scene: Scene) -> None:
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
            pets="None.",
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


#: Record number → how that person's story is written.
STORIES: list[tuple[str, Callable[[Scene], None]]] = [
    ("HH-1001", _amina),
    ("HH-1002", _pyotr),
    ("HH-1003", _peggy),
    ("HH-1004", _daniel),
    ("HH-1005", _olga),
    ("HH-1006", _tom),
    ("HH-1007", _grace),
]


def seed_personal_care(staff: dict[str, User]) -> None:
    """Write each demo patient's profile and plans, once (``staff`` keyed by username)."""
    today = clock.today()
    for record_number, story in STORIES:
        patient = Patient.objects.filter(record_number=record_number).first()
        if patient is None or ValuesAndGoals.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story(Scene(patient=patient, staff=staff, today=today))
