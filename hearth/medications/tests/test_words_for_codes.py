"""Stored codes shown as words: what the controlled-drug register counts in
and the guideline behind the breakthrough range."""

from __future__ import annotations

from django.utils import translation

from hearth.medications.models import Formulation
from hearth.medications.ome import OpioidSummary, guideline_name


def test_a_stock_unit_reads_as_a_word_and_an_unknown_one_as_typed() -> None:
    with translation.override("en"):
        assert Formulation(stock_unit="tablet").stock_unit_label == "tablet(s)"
        assert Formulation(stock_unit="ampoule").stock_unit_label == "ampoule(s)"
        assert Formulation(stock_unit="sachet").stock_unit_label == "sachet"


def test_the_breakthrough_guideline_is_named_not_coded() -> None:
    with translation.override("en"):
        assert guideline_name("uk") == "United Kingdom guidance"
        assert OpioidSummary(regular_ome_24h=0, guideline="nccn").guideline_label == (
            "NCCN (United States)"
        )
        assert guideline_name("other") == "OTHER"
