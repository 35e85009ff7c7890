"""Hydromorphone SC follows the oral factor the service chose (CLINICAL.md,
"Medicines": SC = 2 × oral). The old formulary loaded SC 10 beside oral 7.5,
so a switch to SC suggested half as much drug again as it should."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hearth.core.errors import ValidationFailed
from hearth.core.models import AuditEvent
from hearth.medications import ome
from hearth.medications.models import DrugRoute
from hearth.medications.services import update_drug_route
from hearth.medications.tests.conftest import formulary

D = Decimal


def test_it_loads_hydromorphone_sc_at_twice_the_uk_oral_factor(db: Any) -> None:
    oral = formulary("Hydromorphone", "oral")
    subcutaneous = formulary("Hydromorphone", "subcutaneous")
    assert oral.ome_factor == D("7.5")
    assert subcutaneous.ome_factor == D("15")
    assert "2 x the chosen oral factor" in subcutaneous.source


def test_the_correction_is_in_the_formulary_history_with_its_reason(db: Any) -> None:
    subcutaneous = formulary("Hydromorphone", "subcutaneous")
    latest = subcutaneous.history.order_by("-history_date", "-history_id").first()
    assert latest is not None
    assert latest.ome_factor == D("15")
    assert latest.history_type == "~"
    assert "hydromorphone SC = 2 x the chosen oral factor" in latest.history_change_reason


def test_the_switching_help_for_sc_follows_the_corrected_factor(db: Any) -> None:
    # 60 mg oral morphine a day = 8 mg oral hydromorphone (7.5) = 4 mg SC (15),
    # shown reduced by 25-50 % for incomplete cross-tolerance.
    assert ome.switching_range(D(60), formulary("Hydromorphone", "subcutaneous")) == (
        D(2),
        D(3),
    )


def test_choosing_the_canadian_oral_factor_moves_sc_with_it(active: Any) -> None:
    oral = formulary("Hydromorphone", "oral")
    update_drug_route(
        actor=active.administrator,
        drug_route=oral,
        reason="The service follows the Canadian table.",
        ome_factor="5",
    )
    subcutaneous = formulary("Hydromorphone", "subcutaneous")
    assert subcutaneous.ome_factor == D("10")
    latest = subcutaneous.history.order_by("-history_date", "-history_id").first()
    assert latest is not None and latest.history_change_reason.startswith("Follows the factor")
    event = AuditEvent.objects.get(event_type="formulary.changed")
    moved = [
        (row["route"], D(str(row["before"])), D(str(row["after"])))
        for row in event.changes["followers"]
    ]
    assert moved == [("subcutaneous", D(15), D(10))]


@pytest.mark.parametrize("typed", ["10", "20", "7.5"])
def test_a_follower_typed_by_hand_is_refused_and_nothing_changes(active: Any, typed: str) -> None:
    subcutaneous = formulary("Hydromorphone", "subcutaneous")
    with pytest.raises(ValidationFailed) as refused:
        update_drug_route(
            actor=active.administrator,
            drug_route=subcutaneous,
            reason="Typed from an old chart.",
            ome_factor=typed,
        )
    assert "ome_factor" in refused.value.field_errors
    assert "15" in str(refused.value.field_errors["ome_factor"][0])
    assert DrugRoute.objects.get(pk=subcutaneous.pk).ome_factor == D("15")
    assert not AuditEvent.objects.filter(event_type="formulary.changed").exists()


def test_the_follower_may_still_change_its_source(active: Any) -> None:
    subcutaneous = formulary("Hydromorphone", "subcutaneous")
    update_drug_route(
        actor=active.administrator,
        drug_route=subcutaneous,
        reason="Cite the local conversion chart.",
        source="Local chart 2026: SC = 2 × oral",
    )
    subcutaneous.refresh_from_db()
    assert subcutaneous.ome_factor == D("15")
    assert subcutaneous.source == "Local chart 2026: SC = 2 × oral"


def test_routes_without_a_link_change_alone(active: Any) -> None:
    update_drug_route(
        actor=active.administrator,
        drug_route=formulary("Oxycodone", "oral"),
        reason="Local table.",
        ome_factor="2",
    )
    assert formulary("Oxycodone", "subcutaneous").ome_factor == D("3")


def test_the_formulary_page_says_which_factor_sc_follows(active: Any, client_for: Any) -> None:
    page = client_for(active.administrator).get("/formulary/").content.decode()
    assert "2 × the factor for “By mouth”" in page
    assert "hydromorphone SC = 2 x the chosen oral factor" in page  # the history's reason
