"""The family training curriculum, defined in code so every text goes through
gettext and ships in English and Russian.

Each skill has a code (kept in the training records), a title, an order, short
written guidance for the family in plain language, and, for the "giving
medicines" skills, the medicine route it covers (one skill per route a family
member may be signed off for: ``hearth.medications.choices.FAMILY_ROUTES``).
Signing off a medicine skill is the medicines app's own sign-off
(``MedicineSignOff``); the training records only link to it.

The guidance gives practical steps and says when to call the team. It names no
clinical number (how often to turn, how much oxygen): those are set for each
person by their nurse or doctor and written in the care plan or on the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hearth.core import messages
from hearth.medications.choices import FAMILY_ROUTES, Route

MEDICINES_PREFIX = "medicines_"


@dataclass(frozen=True)
class Skill:
    code: str
    #: A lazy text, or a ``Message`` for a title with a word in it (the route):
    #: either is said in the reader's language, also where an audit event keeps it.
    title: Promise | str | messages.Message
    order: int
    #: One line: what the skill is for.
    summary: Promise | str
    #: Short practical steps, in order.
    steps: tuple[Promise | str, ...]
    #: When to stop and call the team.
    call_us_if: tuple[Promise | str, ...] = ()
    medicine_route: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_medicine(self) -> bool:
        return self.medicine_route is not None


_MOVING = Skill(
    code="moving_turning",
    title=_("Safe moving and turning"),
    order=10,
    summary=_(
        "Helping the person change position in bed or move to a chair without hurting them "
        "or yourself."
    ),
    steps=(
        _("Tell the person what you are going to do, and let them help as much as they can."),
        _(
            "Raise the bed to your waist height if it goes up and down, and put the brakes on. "
            "Lower it again when you have finished."
        ),
        _(
            "Stand close, feet apart, knees slightly bent. Keep your back straight and turn "
            "with your feet, not your waist. Never lift the whole weight of the person."
        ),
        _(
            "Use the slide sheet or other equipment the nurse showed you. Do not pull on the "
            "person's arms or under their armpits."
        ),
        _(
            "Change their position as often as the nurse advised, and make them comfortable "
            "with pillows between the knees and behind the back."
        ),
        _("If a move needs two people, wait until there are two."),
    ),
    call_us_if=(
        _("The person falls, or you cannot get them up safely."),
        _("Moving causes them a lot of pain."),
        _("You hurt your back or feel you can no longer move them safely."),
    ),
)

_PRESSURE = Skill(
    code="pressure_care",
    title=_("Preventing pressure sores"),
    order=20,
    summary=_(
        "Keeping the skin healthy where the body rests on the bed or chair: heels, hips, the "
        "bottom, the back of the head and the elbows."
    ),
    steps=(
        _(
            "Look at these areas every day when you wash or change the person, in good light. "
            "Gently feel for skin that is warmer, harder or softer than around it."
        ),
        _(
            "Help the person change position as often as the nurse advised. Keep heels off the "
            "mattress with a pillow under the calves if the nurse showed you."
        ),
        _(
            "Keep the skin clean and dry. Pat it dry, do not rub. Change wet pads and sheets "
            "straight away and use the cream the nurse recommended."
        ),
        _("Keep sheets smooth, without creases or crumbs."),
        _("Leave the special mattress switched on and set as the nurse left it."),
        _("Offer drinks and small amounts of food the person enjoys, if they want them."),
    ),
    call_us_if=(
        _(
            "A patch of skin stays red, purple or darker after the pressure has been off it, "
            "or looks broken, blistered or weeping."
        ),
        _("The pressure mattress alarms, goes flat or stops working."),
    ),
)

_MOUTH = Skill(
    code="mouth_care",
    title=_("Mouth care"),
    order=30,
    summary=_(
        "Keeping the mouth clean and moist, which matters more and more as the person eats "
        "and drinks less."
    ),
    steps=(
        _("Wash your hands. Sit the person up a little, or turn their head to one side."),
        _(
            "Clean teeth or dentures gently with a soft toothbrush and a small amount of "
            "toothpaste. Take dentures out at night and clean them."
        ),
        _(
            "If they cannot rinse, moisten the mouth with a damp mouth-care sponge or soft "
            "cloth, as the nurse showed you. Squeeze out extra water so they do not choke."
        ),
        _("Put lip balm on dry lips."),
        _(
            "Offer small sips of drink or a little crushed ice if the person can swallow and "
            "wants it. Never put fluid into the mouth of someone who cannot swallow."
        ),
    ),
    call_us_if=(
        _("You see white patches, sores, bleeding or a painful mouth."),
        _("The person coughs or chokes when drinking."),
    ),
)

_MEDICINE_STEPS: dict[str, tuple[Promise | str, ...]] = {
    Route.ORAL: (
        _(
            "Check the medicine chart: the name, the dose and the time. Give only what is on "
            "the chart, and only medicines for this person."
        ),
        _("Wash your hands. Sit the person up so they can swallow safely."),
        _(
            "Measure liquids with the oral syringe or spoon that came with the medicine, never "
            "a kitchen spoon. Do not crush or break tablets unless the chart says you may."
        ),
        _("Give a drink to help the medicine down, and stay until it is swallowed."),
        _(
            "Record the dose in Hearth straight away, with the time. If the person could not "
            "take it, record that too, and why."
        ),
    ),
    Route.BUCCAL: (
        _(
            "Check the medicine chart: the name, the dose and when it may be given. Only give "
            "it for the reason the chart says."
        ),
        _("Wash your hands. Lay the person on their side if they are not sitting up."),
        _(
            "Put the medicine between the gum and the cheek, as the nurse showed you, slowly. "
            "It is absorbed there: the person does not need to swallow it."
        ),
        _("Stay with the person and watch them afterwards."),
        _("Record the dose in Hearth with the time, then tell the team you gave it."),
    ),
    Route.SUBCUTANEOUS: (
        _(
            "Check the medicine chart: the name, the dose, the reason and how long since the "
            "last dose. Hearth will refuse a dose given too soon: do not give it."
        ),
        _("Wash your hands and lay out what you need on a clean surface."),
        _(
            "Draw up the dose exactly as the nurse taught you, and check the amount in the "
            "syringe against the chart before giving it."
        ),
        _(
            "Give it slowly into the small plastic line under the skin (the butterfly) that the "
            "nurse put in, then flush as you were shown. Do not take the line out."
        ),
        _("Put the used syringe in the sharps box, never in the bin."),
        _("Record the dose in Hearth straight away, with the time."),
    ),
}

_GENERIC_MEDICINE_STEPS: tuple[Promise | str, ...] = (
    _("Check the medicine chart: the name, the dose, the reason and the time."),
    _("Wash your hands and give the medicine exactly as the nurse showed you."),
    _("Record the dose in Hearth straight away, with the time."),
)

_MEDICINE_CALL: tuple[Promise | str, ...] = (
    _("A dose does not seem to help, or you need to give doses more often than before."),
    _("You gave the wrong dose or the wrong medicine, or you are not sure what you gave."),
    _("The skin around the butterfly is red, swollen, hard or leaking, or the line comes out."),
    _("The person becomes very sleepy, confused or hard to wake."),
)


def _medicine_skill(route: str, order: int) -> Skill:
    label = Route(route).label
    return Skill(
        code=f"{MEDICINES_PREFIX}{route}",
        title=messages.text(gettext_noop("Giving medicines: %(route)s"), route=label),
        order=order,
        summary=format_lazy(
            _(
                "Giving the medicines on the chart {route}, the way the nurse taught you. "
                "Once a nurse or doctor signs you off, Hearth accepts the doses you record."
            ),
            route=label,
        ),
        steps=_MEDICINE_STEPS.get(route, _GENERIC_MEDICINE_STEPS),
        call_us_if=_MEDICINE_CALL,
        medicine_route=str(route),
    )


_OXYGEN = Skill(
    code="oxygen_concentrator",
    title=_("Using the oxygen concentrator safely"),
    order=60,
    summary=_("Oxygen makes fire burn much faster. Used safely, the concentrator is very safe."),
    steps=(
        _("Nobody smokes or vapes in the home, not even in another room."),
        _(
            "Keep the concentrator, tubing and cylinders well away from candles, gas cookers, "
            "fires, heaters and anything with a flame or spark."
        ),
        _(
            "Do not use oil-based creams or petroleum jelly on the face or lips: use the "
            "water-based cream the nurse recommended."
        ),
        _(
            "Stand the concentrator upright in a room with fresh air, not in a cupboard or "
            "behind curtains, and keep its air vents clear."
        ),
        _(
            "Run the tubing along the floor edge, where nobody trips on it, and keep it away "
            "from doors that could trap it."
        ),
        _(
            "Keep the flow at the setting the nurse or doctor wrote down. Do not change it "
            "yourself."
        ),
        _("Know where the spare cylinder is and how to switch to it if the power goes off."),
    ),
    call_us_if=(
        _("The concentrator alarms, stops, or smells of burning."),
        _("The person is more breathless than usual or their lips look blue."),
        _("There is any fire: get everyone out first, then call the fire service."),
    ),
)

_FEEDING = Skill(
    code="enteral_feeding",
    title=_("Tube feeding (enteral feeding)"),
    order=70,
    summary=_("Giving feeds, water and medicines through the feeding tube the way you were shown."),
    steps=(
        _("Wash your hands. Sit the person up during the feed and for a while afterwards."),
        _(
            "Use only the feed, the amounts and the pump settings on the plan from the "
            "dietitian or nurse."
        ),
        _("Flush the tube with water before and after each feed or medicine, as you were shown."),
        _(
            "Keep the skin around the tube clean and dry, and turn or move the tube only if "
            "you were taught to."
        ),
        _(
            "As the person becomes more unwell, they may want less. It is all right to talk "
            "with the team about giving less."
        ),
    ),
    call_us_if=(
        _("The tube is blocked, has moved, or comes out."),
        _("The person coughs, is sick or is breathless during a feed: stop the feed first."),
        _("The skin around the tube is red, sore or leaking."),
        _("The feeding pump alarms and you cannot clear it."),
    ),
)

_DYING = Skill(
    code="signs_of_dying",
    title=_("Recognising the signs that death is near"),
    order=80,
    summary=_(
        "What often happens in the last days, so that you know what is expected and what to "
        "call us about."
    ),
    steps=(
        _(
            "The person sleeps more and more and may be hard to wake. Keep talking to them "
            "gently: hearing may continue to the end."
        ),
        _(
            "They eat and drink less, and then nothing. This is part of dying, not its cause. "
            "Keep the mouth moist with mouth care."
        ),
        _(
            "Breathing changes: it may become irregular, with pauses, or noisy because they "
            "can no longer clear their throat. Turning them onto their side may help."
        ),
        _("Hands and feet may feel cool and the skin may look blotchy or pale."),
        _("Some people become restless or confused for a while."),
        _(
            "Sit with them, hold their hand, play music or pray if that is what they would "
            "want. There is no right way to be with someone who is dying."
        ),
    ),
    call_us_if=(
        _("The person seems to be in pain, distressed or restless and cannot settle."),
        _("Noisy breathing seems to distress them."),
        _("You are worried or frightened, at any hour. You do not have to manage alone."),
    ),
)

_WHAT_TO_DO = Skill(
    code="what_to_do",
    title=_("What to do and whom to call, including after a death"),
    order=90,
    summary=_("Who to call, and what happens when someone dies at home."),
    steps=(
        _(
            "For anything about care at home, day or night, call the team on the service "
            "phone number shown on every page of Hearth. Keep it by the phone."
        ),
        _(
            "Keep the care plan, the medicine chart and the emergency summary where a visiting "
            "nurse or doctor can find them."
        ),
        _(
            "If the death is expected, you do not need to call an ambulance or the police. "
            "Call the team's number: a nurse or doctor will come to confirm the death."
        ),
        _(
            "There is no rush. You may sit with the person, call family and say goodbye "
            "before anyone comes, and follow the customs that matter to your family."
        ),
        _(
            "Do not throw away medicines or equipment: the team will tell you how to return "
            "them. Call the funeral director when you are ready."
        ),
        _(
            "After a death the team stays in touch with the family. You can call the family "
            "support line too."
        ),
    ),
    call_us_if=(
        _(
            "Something happens that the care plan does not cover, or you are not sure what to "
            "do: call the team first."
        ),
    ),
)


def _build() -> dict[str, Skill]:
    skills = [_MOVING, _PRESSURE, _MOUTH]
    skills += [
        _medicine_skill(route, 40 + index) for index, route in enumerate(FAMILY_ROUTES, start=1)
    ]
    skills += [_OXYGEN, _FEEDING, _DYING, _WHAT_TO_DO]
    return {skill.code: skill for skill in sorted(skills, key=lambda s: s.order)}


SKILLS: dict[str, Skill] = _build()


def all_skills() -> list[Skill]:
    return list(SKILLS.values())


def get(code: str) -> Skill | None:
    return SKILLS.get(code)


def skill_for_route(route: str) -> Skill | None:
    return SKILLS.get(f"{MEDICINES_PREFIX}{route}")


def choices() -> list[tuple[str, Any]]:
    return [(skill.code, skill.title) for skill in all_skills()]
