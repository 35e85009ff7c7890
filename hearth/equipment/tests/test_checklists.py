"""The checklist per kind and the validation of answers against it."""

from __future__ import annotations

import pytest

from hearth.core.errors import ValidationFailed
from hearth.equipment import checklists
from hearth.equipment.choices import EquipmentKind
from hearth.equipment.services import validate_answers

from .conftest import answers


def test_every_kind_has_a_checklist_with_unique_codes_and_advice() -> None:
    for kind in EquipmentKind:
        items = checklists.checklist_for(kind)
        assert items, kind
        codes = [item.code for item in items]
        assert len(codes) == len(set(codes)), kind
        assert all(str(item.question) and str(item.advice) for item in items)


def test_the_oxygen_checklist_covers_the_fire_risks() -> None:
    codes = {item.code for item in checklists.checklist_for(EquipmentKind.OXYGEN_CONCENTRATOR)}
    assert {
        "room_ventilated",
        "no_smoking_or_flame",
        "tubing_routed_safely",
        "spare_cylinder",
        "fire_service_notified",
        "clearance_from_walls",
    } == codes
    fire = checklists.item_named(EquipmentKind.OXYGEN_CONCENTRATOR, "fire_service_notified")
    assert fire is not None and fire.allows_not_applicable
    smoking = checklists.item_named(EquipmentKind.OXYGEN_CONCENTRATOR, "no_smoking_or_flame")
    assert smoking is not None and not smoking.allows_not_applicable


def test_a_complete_set_of_answers_is_accepted() -> None:
    kind = EquipmentKind.OXYGEN_CONCENTRATOR
    given = answers(kind, fire_service_notified="not_applicable")
    assert validate_answers(kind, given) == given


def _errors(kind: str, given: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as refused:
        validate_answers(kind, given)  # type: ignore[arg-type]
    return refused.value.field_errors


def test_every_item_must_be_answered() -> None:
    given = answers(EquipmentKind.PRESSURE_MATTRESS)
    del given["alarm_silent"]
    given["cover_intact"] = ""
    errors = _errors(EquipmentKind.PRESSURE_MATTRESS, given)
    assert set(errors) == {"alarm_silent", "cover_intact"}
    assert errors["alarm_silent"] == ["Answer this item."]


def test_an_unknown_code_is_refused_by_name() -> None:
    given = answers(EquipmentKind.WHEELCHAIR, seatbelt="safe")
    errors = _errors(EquipmentKind.WHEELCHAIR, given)
    assert list(errors) == ["answers"] and "seatbelt" in errors["answers"][0]


def test_a_code_from_another_kind_is_refused() -> None:
    given = answers(EquipmentKind.WHEELCHAIR, pump_running="safe")
    assert "answers" in _errors(EquipmentKind.WHEELCHAIR, given)


def test_an_unknown_answer_is_refused() -> None:
    errors = _errors(EquipmentKind.COMMODE, answers(EquipmentKind.COMMODE, stable="yes"))
    assert list(errors) == ["stable"]


def test_not_applicable_only_where_the_item_allows_it() -> None:
    kind = EquipmentKind.OXYGEN_CONCENTRATOR
    errors = _errors(kind, answers(kind, no_smoking_or_flame="not_applicable"))
    assert list(errors) == ["no_smoking_or_flame"]
    assert validate_answers(
        EquipmentKind.COMMODE, answers(EquipmentKind.COMMODE, brakes_work="not_applicable")
    )


def test_answers_must_be_a_mapping() -> None:
    assert "answers" in _errors(EquipmentKind.COMMODE, ["stable"])
