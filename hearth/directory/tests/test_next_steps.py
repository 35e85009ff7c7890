"""Next steps: the team suggests a directory entry to a family; the family
sees their own (nobody else's) and ticks them off."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent
from hearth.directory import queries, services
from hearth.directory.models import DirectoryEntry, NextStep

from .conftest import make_entry


@pytest.fixture
def entry(active: World) -> DirectoryEntry:
    return make_entry(
        active.coordinator,
        name="Attendance allowance advice",
        phone="020 7946 0105",
        opening_hours="Mon–Thu 9:30–16:30",
        languages=["en", "ru"],
    )


def _step(world: World, entry: DirectoryEntry, **kwargs: Any) -> NextStep:
    return services.add_next_step(
        actor=world.nurse,
        patient=world.patient,
        entry=entry,
        note=kwargs.get("note", "Call them on Monday to ask for the attendance allowance form."),
    )


@pytest.mark.parametrize(
    "role", ["physician", "nurse", "social_worker", "psychologist", "chaplain", "coordinator"]
)
def test_the_team_suggests_next_steps(active: World, entry: DirectoryEntry, role: str) -> None:
    step = services.add_next_step(
        actor=getattr(active, role), patient=active.patient, entry=entry, note="Call Monday."
    )
    assert (step.status, step.note, step.added_by) == (
        "to_do",
        "Call Monday.",
        getattr(active, role),
    )
    event = AuditEvent.objects.get(event_type="next_step.added")
    assert event.patient_id == active.patient.pk


@pytest.mark.parametrize(
    "role", ["outsider_nurse", "volunteer", "administrator", "family", "other_family"]
)
def test_others_cannot_suggest_next_steps(active: World, entry: DirectoryEntry, role: str) -> None:
    with pytest.raises(NotAllowed):
        services.add_next_step(actor=getattr(active, role), patient=active.patient, entry=entry)
    assert not NextStep.objects.exists()


def test_a_step_is_refused_when_retired_twice_open_or_too_long(
    active: World, entry: DirectoryEntry
) -> None:
    _step(active, entry)
    with pytest.raises(Conflict):
        _step(active, entry)
    other = make_entry(active.coordinator)
    with pytest.raises(ValidationFailed) as refused:
        _step(active, other, note="x" * 501)
    assert list(refused.value.field_errors) == ["note"]
    services.retire_entry(actor=active.coordinator, entry=other)
    with pytest.raises(ValidationFailed) as refused:
        _step(active, other)
    assert list(refused.value.field_errors) == ["entry"]


def test_no_next_steps_once_care_is_closed(world: World) -> None:
    world.bring_to("closed")
    entry = make_entry(world.coordinator)
    with pytest.raises(InvalidTransition):
        services.add_next_step(actor=world.coordinator, patient=world.patient, entry=entry)


def test_a_bereaved_family_can_still_be_given_next_steps(world: World) -> None:
    world.bring_to("bereavement")
    entry = make_entry(world.coordinator, topic="death_registration", name="Register office")
    step = services.add_next_step(actor=world.nurse, patient=world.patient, entry=entry)
    assert step.status == "to_do"


def test_the_family_marks_a_step_done_and_may_undo_it(active: World, entry: DirectoryEntry) -> None:
    step = _step(active, entry)
    step = services.update_next_step(actor=active.family, step=step, changes={"status": "done"})
    assert (step.status, step.status_changed_by) == ("done", active.family)
    event = AuditEvent.objects.get(event_type="next_step.status_changed")
    assert "(by the family)" in event.summary and event.patient_id == active.patient.pk
    step = services.update_next_step(actor=active.family, step=step, changes={"status": "to_do"})
    assert step.status == "to_do"


def test_the_family_cannot_change_the_note_or_close_a_step(
    active: World, entry: DirectoryEntry
) -> None:
    step = _step(active, entry)
    with pytest.raises(NotAllowed):
        services.update_next_step(actor=active.family, step=step, changes={"note": "mine"})
    with pytest.raises(NotAllowed):
        services.update_next_step(actor=active.family, step=step, changes={"status": "not_needed"})
    services.update_next_step(actor=active.nurse, step=step, changes={"status": "not_needed"})
    with pytest.raises(NotAllowed):
        services.update_next_step(actor=active.family, step=step, changes={"status": "done"})
    step.refresh_from_db()
    assert step.status == "not_needed"


def test_another_family_cannot_touch_the_step(active: World, entry: DirectoryEntry) -> None:
    step = _step(active, entry)
    for outsider in (active.other_family, active.outsider_nurse, active.volunteer):
        with pytest.raises(NotAllowed):
            services.update_next_step(actor=outsider, step=step, changes={"status": "done"})
    step.refresh_from_db()
    assert step.status == "to_do"


def test_the_team_changes_the_note_and_status(active: World, entry: DirectoryEntry) -> None:
    step = _step(active, entry)
    step = services.update_next_step(
        actor=active.social_worker,
        step=step,
        changes={"note": "Ask for Maria.", "status": "not_needed"},
    )
    assert (step.note, step.status) == ("Ask for Maria.", "not_needed")
    # A closed step may come back only if no other open step has the same entry.
    _step(active, entry)
    with pytest.raises(Conflict):
        services.update_next_step(actor=active.nurse, step=step, changes={"status": "to_do"})
    with pytest.raises(ValidationFailed):
        services.update_next_step(actor=active.nurse, step=step, changes={"status": "maybe"})


def test_the_list_puts_to_do_first(active: World, entry: DirectoryEntry) -> None:
    done = _step(active, entry)
    services.update_next_step(actor=active.family, step=done, changes={"status": "done"})
    later = _step(active, make_entry(active.coordinator, name="Later"))
    assert [s.pk for s in queries.next_steps(active.patient)] == [later.pk, done.pk]


def test_the_panel_counts_and_flags_retired_entries(active: World, entry: DirectoryEntry) -> None:
    _step(active, entry)
    services.retire_entry(actor=active.coordinator, entry=entry)
    panel = queries.panel(active.patient)
    assert (panel["open_count"], panel["done_count"], panel["retired_count"]) == (1, 0, 1)
