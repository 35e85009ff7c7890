"""The home safety checklist for each kind of equipment, as code.

Each item has a question for the staff member checking at home and the same
point as plain advice for the family (shown in the portal). Some items may be
answered "not applicable" (the fire service need not be told everywhere; not
every commode has wheels); the others must be safe or not safe.

Service checklist; review with the clinical lead. These are practical safety
points from the equipment services' own instructions, not clinical thresholds:
nothing here decides a treatment. The one distance (15 cm for a concentrator)
is the clearance concentrator makers ask for; change it here if your
supplier's instructions differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hearth.equipment.choices import CheckAnswer, EquipmentKind

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    #: What the staff member checks, as a question answered safe / not safe.
    question: StrPromise
    #: The same point as advice for the family, in plain words.
    advice: StrPromise
    allows_not_applicable: bool = False
    #: How "not applicable" reads for this item (e.g. "Not required here");
    #: "Not applicable" when left out.
    not_applicable_label: StrPromise | None = None

    def answer_choices(self) -> list[tuple[str, str]]:
        choices = [
            (CheckAnswer.SAFE.value, str(CheckAnswer.SAFE.label)),
            (CheckAnswer.NOT_SAFE.value, str(CheckAnswer.NOT_SAFE.label)),
        ]
        if self.allows_not_applicable:
            label = self.not_applicable_label or CheckAnswer.NOT_APPLICABLE.label
            choices.append((CheckAnswer.NOT_APPLICABLE.value, str(label)))
        return choices

    def allowed_answers(self) -> set[str]:
        return {value for value, _label in self.answer_choices()}


# Service checklist; review with the clinical lead.
CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    EquipmentKind.OXYGEN_CONCENTRATOR: (
        ChecklistItem(
            "room_ventilated",
            _("Is the room well ventilated (not a closed cupboard, the machine not covered)?"),
            _(
                "Keep the room aired. Do not put the concentrator in a cupboard or cover it "
                "with cloths."
            ),
        ),
        ChecklistItem(
            "no_smoking_or_flame",
            _(
                "Nobody smokes in the home, and there is no open flame near the oxygen "
                "(candles, gas cooker, gas or open fire, matches)?"
            ),
            _(
                "Nobody may smoke in the home while oxygen is used, not even visitors. Keep "
                "the oxygen and its tubing away from candles, gas cookers, gas and open fires "
                "and matches: oxygen makes things burn very fiercely."
            ),
        ),
        ChecklistItem(
            "tubing_routed_safely",
            _("Is the tubing routed safely: no trip hazard, not under rugs or through doors?"),
            _(
                "Keep the tubing where nobody can trip on it. Do not run it under rugs, "
                "carpets or closed doors."
            ),
        ),
        ChecklistItem(
            "spare_cylinder",
            _("Is the spare (backup) cylinder present and stored upright and secured?"),
            _(
                "Keep the spare cylinder in the home, standing upright and secured so it "
                "cannot fall, away from heat."
            ),
        ),
        ChecklistItem(
            "fire_service_notified",
            _("Has the fire service been told about oxygen in the home, where that is required?"),
            _(
                "Where the team says so, the local fire service is told that oxygen is kept "
                "in the home."
            ),
            allows_not_applicable=True,
            not_applicable_label=_("Not required here"),
        ),
        ChecklistItem(
            "clearance_from_walls",
            _("Is the concentrator at least 15 cm from walls, curtains and furniture?"),
            _(
                "Leave at least 15 cm (a hand's length) between the concentrator and walls, "
                "curtains or furniture, so air can flow round it."
            ),
        ),
    ),
    EquipmentKind.PRESSURE_MATTRESS: (
        ChecklistItem(
            "pump_running",
            _("Is the pump running?"),
            _("The mattress pump should always be switched on and running."),
        ),
        ChecklistItem(
            "alarm_silent",
            _("Is the pump's alarm silent (no alarm showing or sounding)?"),
            _("If the pump's alarm sounds or a warning light shows, report a fault."),
        ),
        ChecklistItem(
            "weight_setting",
            _("Is the pump set for the patient's weight, as the team set it?"),
            _("Do not change the pump's weight setting; the team sets it."),
        ),
        ChecklistItem(
            "cover_intact",
            _("Is the mattress cover intact (no tears or holes)?"),
            _("Report any tear or hole in the mattress cover."),
        ),
    ),
    EquipmentKind.HOSPITAL_BED: (
        ChecklistItem(
            "brakes_on",
            _("Are the brakes on?"),
            _("Keep the bed's brakes on, except while the bed is being moved."),
        ),
        ChecklistItem(
            "rails_checked",
            _("Are the side rails fitted securely and used as agreed with the team?"),
            _("Use the side rails only as the team agreed; report any loose rail."),
        ),
        ChecklistItem(
            "electrics_safe",
            _("Are the cable, plug and handset undamaged and clear of moving parts?"),
            _(
                "Keep the cable and handset away from the bed's moving parts, and report a "
                "damaged cable or plug."
            ),
        ),
    ),
    EquipmentKind.FEEDING_PUMP: (
        ChecklistItem(
            "alarms_tested",
            _("Have the pump's alarms been tested and do they sound?"),
            _("If the pump alarms, stop and check the line; call the team if it goes on."),
        ),
        ChecklistItem(
            "giving_set_in_date",
            _("Is the giving set in date?"),
            _("Change the giving set as the team showed you, and do not use it past its date."),
        ),
        ChecklistItem(
            "pole_stable",
            _("Is the drip stand (pole) stable?"),
            _("Keep the stand steady where it cannot be knocked over."),
        ),
    ),
    EquipmentKind.SUCTION: (
        ChecklistItem(
            "suction_works",
            _("Does the suction work when tested?"),
            _("Try the suction each day so you know it works before you need it."),
        ),
        ChecklistItem(
            "tubing_and_canister_clean",
            _("Are the tubing and canister clean?"),
            _("Empty and clean the canister and tubing as the team showed you."),
        ),
        ChecklistItem(
            "battery_charged",
            _("Is the battery charged?"),
            _("Keep the machine on charge when it is not in use."),
        ),
    ),
    EquipmentKind.WHEELCHAIR: (
        ChecklistItem(
            "brakes_work",
            _("Do the brakes hold the chair still?"),
            _("Put the brakes on before anyone gets in or out of the chair."),
        ),
        ChecklistItem(
            "tyres_sound",
            _("Are the tyres sound (and pumped up, if they are air-filled)?"),
            _("Report a flat or damaged tyre."),
        ),
    ),
    EquipmentKind.COMMODE: (
        ChecklistItem(
            "stable",
            _("Is the commode stable on the floor?"),
            _("Check the commode stands firm before use."),
        ),
        ChecklistItem(
            "brakes_work",
            _("Do the brakes work (if it has wheels)?"),
            _("If the commode has wheels, put the brakes on before use."),
            allows_not_applicable=True,
            not_applicable_label=_("No wheels"),
        ),
    ),
}


def checklist_for(kind: str) -> tuple[ChecklistItem, ...]:
    return CHECKLISTS.get(kind, ())


def item_named(kind: str, code: str) -> ChecklistItem | None:
    return next((item for item in checklist_for(kind) if item.code == code), None)
