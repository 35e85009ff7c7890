"""Keeping the directory: who may add, change, check and retire entries, the
rules an entry must follow, and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings

from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.directory import services
from hearth.directory.models import DirectoryEntry, Region

from .conftest import entry_details, make_entry


@pytest.mark.parametrize("role", ["coordinator", "social_worker", "administrator"])
def test_the_maintainers_add_entries(world: World, areas: Any, role: str) -> None:
    actor = getattr(world, role)
    entry = make_entry(actor, regions=["camden", "hackney"], name="Camden loans")
    assert entry.active and entry.reviewed_by == actor
    assert entry.last_reviewed_on == clock.today()
    assert sorted(entry.regions.values_list("code", flat=True)) == ["camden", "hackney"]
    event = AuditEvent.objects.get(event_type="directory_entry.created")
    assert event.actor == actor and event.patient_id is None
    assert event.changes["regions"] == ["camden", "hackney"]


@pytest.mark.parametrize(
    "role", ["nurse", "physician", "chaplain", "volunteer", "family", "patient_user"]
)
def test_others_cannot_add_change_or_retire_entries(world: World, role: str) -> None:
    actor = getattr(world, role)
    with pytest.raises(NotAllowed):
        make_entry(actor)
    entry = make_entry(world.coordinator)
    with pytest.raises(NotAllowed):
        services.update_entry(actor=actor, entry=entry, changes={"phone": "1"})
    with pytest.raises(NotAllowed):
        services.retire_entry(actor=actor, entry=entry)
    with pytest.raises(NotAllowed):
        services.confirm_entry_current(actor=actor, entry=entry)
    with pytest.raises(NotAllowed):
        services.create_region(actor=actor, name="Islington")
    entry.refresh_from_db()
    assert entry.active and entry.phone == "020 7946 0000"


def test_an_entry_must_make_sense(world: World, areas: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        make_entry(
            world.coordinator,
            name="",
            description="",
            category="equipment",
            topic="death_registration",
            regions=["all", "camden"],
            phone="",
            email="not an email",
            website="javascript:alert(1)",
            languages=["en", "xx"],
            faiths_served=["pastafarian"],
        )
    errors = refused.value.field_errors
    assert set(errors) == {
        "name",
        "description",
        "topic",
        "regions",
        "email",
        "website",
        "languages",
        "faiths_served",
    }
    with pytest.raises(ValidationFailed) as refused:
        make_entry(world.coordinator, phone="", regions=["islington"])
    assert set(refused.value.field_errors) == {"phone", "regions"}
    with pytest.raises(ValidationFailed) as refused:
        make_entry(world.coordinator, regions=[])
    assert "regions" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.create_entry(actor=world.coordinator, **entry_details(colour="red"))
    assert not DirectoryEntry.objects.exists()


def test_the_same_entry_is_not_listed_twice(world: World) -> None:
    make_entry(world.coordinator, name="Carers centre", organisation="Trust")
    with pytest.raises(ValidationFailed) as refused:
        make_entry(world.coordinator, name="carers  centre", organisation="trust")
    assert "name" in refused.value.field_errors
    make_entry(world.coordinator, name="Carers centre", organisation="Another trust")


def test_changes_are_audited_and_checking_resets_the_review_date(world: World, areas: Any) -> None:
    with clock.travel_to(clock.now() - timedelta(days=400)):
        entry = make_entry(world.coordinator, regions=["camden"])
    assert entry.review_due
    entry = services.update_entry(
        actor=world.social_worker, entry=entry, changes={"phone": "020 7946 0999"}
    )
    assert entry.phone == "020 7946 0999" and entry.review_due  # changed, not checked
    event = AuditEvent.objects.get(event_type="directory_entry.changed")
    assert event.changes == {"phone": {"from": "020 7946 0000", "to": "020 7946 0999"}}
    entry = services.update_entry(
        actor=world.social_worker, entry=entry, changes={"regions": ["all"]}, reviewed=True
    )
    assert entry.serves_all_regions and not entry.regions.exists()
    assert not entry.review_due and entry.reviewed_by == world.social_worker
    # Nothing changed and nothing checked: no event.
    before = AuditEvent.objects.count()
    services.update_entry(actor=world.social_worker, entry=entry, changes={"phone": entry.phone})
    assert AuditEvent.objects.count() == before


def test_confirming_an_entry_is_current(world: World) -> None:
    with clock.travel_to(clock.now() - timedelta(days=400)):
        entry = make_entry(world.coordinator)
    assert list(DirectoryEntry.objects.due_for_review()) == [entry]
    services.confirm_entry_current(actor=world.administrator, entry=entry)
    assert not DirectoryEntry.objects.due_for_review().exists()
    assert AuditEvent.objects.filter(event_type="directory_entry.checked").count() == 1


@override_settings(HEARTH_DIRECTORY_REVIEW_DAYS=30)
def test_the_review_period_is_a_setting(world: World) -> None:
    with clock.travel_to(clock.now() - timedelta(days=31)):
        entry = make_entry(world.coordinator)
    assert entry.review_due


def test_retiring_and_reinstating(world: World) -> None:
    entry = make_entry(world.coordinator)
    entry = services.retire_entry(actor=world.coordinator, entry=entry, reason="Service closed")
    assert not entry.active and entry.retired_by == world.coordinator
    with pytest.raises(InvalidTransition):
        services.retire_entry(actor=world.coordinator, entry=entry)
    with pytest.raises(InvalidTransition):
        services.confirm_entry_current(actor=world.coordinator, entry=entry)
    # A new entry may take the retired one's name...
    replacement = make_entry(world.coordinator, name=entry.name)
    # ...and then the old one cannot come back beside it.
    with pytest.raises(ValidationFailed):
        services.reinstate_entry(actor=world.coordinator, entry=entry)
    services.retire_entry(actor=world.coordinator, entry=replacement)
    entry = services.reinstate_entry(actor=world.coordinator, entry=entry)
    assert entry.active and entry.retired_at is None and entry.retired_reason == ""
    assert DirectoryEntry.objects.count() == 2  # nothing is deleted


def test_areas_are_kept_by_the_maintainers(world: World, areas: dict[str, Region]) -> None:
    assert areas["camden"].code == "camden"
    with pytest.raises(ValidationFailed) as refused:
        services.create_region(actor=world.coordinator, name="All", code="all")
    assert "code" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.create_region(actor=world.coordinator, name="camden")
    entry = make_entry(world.coordinator, regions=["camden"])
    services.update_region(
        actor=world.social_worker, region=areas["camden"], changes={"active": False}
    )
    # Out of use: not offered for new entries, but an entry that has it keeps it.
    with pytest.raises(ValidationFailed):
        make_entry(world.coordinator, regions=["camden"])
    services.update_entry(
        actor=world.coordinator, entry=entry, changes={"phone": "1"}
    )  # still valid with its old area
    assert list(entry.regions.values_list("code", flat=True)) == ["camden"]
