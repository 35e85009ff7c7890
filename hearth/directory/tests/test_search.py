"""Search: every word required across name, organisation, description and
topic; by area (the area's own entries and those for all areas); by language;
combined; retired entries hidden; exact name first; pages."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.directory import queries, services
from hearth.directory.models import Region

from .conftest import make_entry


def _names(**filters: Any) -> list[str]:
    return [entry.name for entry in queries.search(**filters)]


@pytest.fixture
def listed(world: World, areas: dict[str, Region]) -> dict[str, Any]:
    c = world.coordinator
    return {
        "camden_loan": make_entry(
            c,
            category="equipment",
            topic="equipment_loan",
            name="Camden Equipment Store",
            description="Beds and commodes on loan.",
            regions=["camden"],
            languages=["en", "bn"],
        ),
        "hackney_loan": make_entry(
            c,
            category="equipment",
            topic="equipment_loan",
            name="Hackney Equipment Store",
            description="Beds and hoists on loan.",
            regions=["hackney"],
            languages=["en", "tr"],
        ),
        "oxygen": make_entry(
            c,
            category="equipment",
            topic="oxygen",
            name="Home oxygen supplier",
            organisation="AirCare",
            description="Concentrators and cylinders.",
            regions=["all"],
            languages=["en"],
        ),
        "counselling": make_entry(
            c,
            category="services",
            topic="counselling",
            name="Doveriye",
            description="Talking therapy for families.",
            regions=["all"],
            languages=["ru", "uk"],
        ),
        "imam": make_entry(
            c,
            category="services",
            topic="faith_leaders",
            name="Imam Karim",
            description="Home visits and prayer.",
            regions=["hackney"],
            languages=["ar", "bn"],
            faiths_served=["muslim"],
        ),
    }


def test_it_finds_by_text_in_each_field_case_insensitively(listed: dict[str, Any]) -> None:
    assert _names(text="camden") == ["Camden Equipment Store"]  # name
    assert _names(text="AIRCARE") == ["Home oxygen supplier"]  # organisation
    assert _names(text="therapy") == ["Doveriye"]  # description
    assert _names(text="Counselling") == ["Doveriye"]  # the topic's label
    assert _names(text="muslim") == ["Imam Karim"]  # a faith it serves
    assert _names(text="nothing-like-this") == []


def test_every_word_of_the_text_is_required(listed: dict[str, Any]) -> None:
    assert _names(text="beds loan") == ["Camden Equipment Store", "Hackney Equipment Store"]
    assert _names(text="beds hoists") == ["Hackney Equipment Store"]
    assert _names(text="beds oxygen") == []


def test_an_area_gives_its_own_entries_and_those_for_all_areas(
    listed: dict[str, Any],
) -> None:
    assert _names(region="camden") == ["Camden Equipment Store", "Doveriye", "Home oxygen supplier"]
    assert _names(region="hackney") == [
        "Doveriye",
        "Hackney Equipment Store",
        "Home oxygen supplier",
        "Imam Karim",
    ]
    assert _names(region="all") == ["Doveriye", "Home oxygen supplier"]
    assert len(_names()) == 5


def test_it_finds_by_language(listed: dict[str, Any]) -> None:
    assert _names(language="ru") == ["Doveriye"]
    assert _names(language="bn") == ["Camden Equipment Store", "Imam Karim"]
    assert _names(language="fr") == []
    # "uk" is a code of its own, not part of another.
    assert _names(language="uk") == ["Doveriye"]


def test_filters_combine(listed: dict[str, Any]) -> None:
    assert _names(text="loan", region="hackney", language="tr") == ["Hackney Equipment Store"]
    assert _names(text="loan", region="hackney", language="bn") == []
    assert _names(region="hackney", language="bn") == ["Imam Karim"]
    assert _names(region="camden", category="services") == ["Doveriye"]
    assert _names(category="equipment", topic="oxygen") == ["Home oxygen supplier"]


def test_retired_entries_are_hidden(world: World, listed: dict[str, Any]) -> None:
    services.retire_entry(actor=world.coordinator, entry=listed["oxygen"], reason="Closed")
    assert "Home oxygen supplier" not in _names()
    assert _names(text="oxygen") == []
    assert _names(text="oxygen", include_retired=True) == ["Home oxygen supplier"]
    services.reinstate_entry(actor=world.social_worker, entry=listed["oxygen"])
    assert _names(text="oxygen") == ["Home oxygen supplier"]


def test_an_exact_name_comes_first_then_by_name(world: World, areas: Any) -> None:
    for name in ("Advice line for carers", "Carers", "Bereaved carers group", "Carers centre"):
        make_entry(world.coordinator, name=name)
    assert _names(text="carers") == [
        "Carers",
        "Carers centre",
        "Advice line for carers",
        "Bereaved carers group",
    ]


def test_results_come_in_pages(world: World) -> None:
    for number in range(25):
        make_entry(world.coordinator, name=f"Entry {number:02d}")
    first = queries.search_page(page=1)
    assert (first.count, first.pages, len(first.entries)) == (25, 2, 20)
    second = queries.search_page(page=2)
    assert [e.name for e in second.entries] == [f"Entry {n}" for n in range(20, 25)]
    assert queries.search_page(page=99).number == 2  # past the end: the last page


def test_a_search_page_costs_a_constant_number_of_queries(
    world: World, listed: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        found = queries.search_page(text="loan")
        for entry in found.entries:
            _ = [region.code for region in entry.regions.all()], entry.reviewed_by.display_name
