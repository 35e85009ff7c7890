"""Support for relatives: counselling by psychologists only, social-work
actions by social workers only, contacts marked wrong by their author only;
support tasks raised, assigned and closed by the family-support team."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.caregiving import services
from hearth.caregiving.models import SupportContact, SupportTask
from hearth.conftest import World
from hearth.core import clock
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent

from .conftest import at, link


def contact(world: World, actor: Any, kind: str = "counselling", **values: Any) -> SupportContact:
    arguments: dict[str, Any] = {
        "actor": actor,
        "patient": world.patient,
        "kind": kind,
        "mode": "home",
        "occurred_at": at(0, "10:00"),
        "relatives": [link(world.family)],
        "outcome": "Talked about the nights; feels less alone.",
        "next_step": "Second session.",
        "next_contact_on": at(7).date(),
    }
    arguments.update(values)
    with clock.travel_to(at(0, "12:00")):
        return services.record_support_contact(**arguments)


def test_a_psychologist_records_a_counselling_session(active: World) -> None:
    done = contact(active, active.psychologist, duration_minutes=50)
    assert (done.discipline, done.recorded_by, done.duration_minutes) == (
        "psychologist",
        active.psychologist,
        50,
    )
    assert list(done.relatives.all()) == [link(active.family)]
    assert AuditEvent.objects.filter(event_type="support_contact.recorded").count() == 1


@pytest.mark.parametrize(
    "role", ["social_worker", "nurse", "physician", "chaplain", "coordinator", "family"]
)
def test_counselling_is_recorded_by_a_psychologist_only(active: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        contact(active, getattr(active, role))
    assert not SupportContact.objects.exists()


def test_a_psychologist_off_the_caseload_cannot_record(active: World) -> None:
    from hearth.conftest import make_user

    stranger = make_user("psych.other", discipline="psychologist")
    with pytest.raises(NotAllowed):
        contact(active, stranger)


def test_social_work_is_recorded_by_a_social_worker_only(active: World) -> None:
    done = contact(active, active.social_worker, kind="benefits", mode="phone")
    assert done.discipline == "social_worker"
    with pytest.raises(NotAllowed):
        contact(active, active.psychologist, kind="benefits")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome": " "}, "outcome"),
        ({"relatives": [], "others_present": ""}, "relative_ids"),
        ({"occurred_at": at(1, "10:00")}, "occurred_at"),
        ({"next_contact_on": at(-1).date()}, "next_contact_on"),
        ({"mode": "telepathy"}, "mode"),
        ({"duration_minutes": 0}, "duration_minutes"),
    ],
)
def test_a_contact_is_checked(active: World, values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        contact(active, active.psychologist, **values)
    assert field in error.value.field_errors


def test_relatives_of_another_patient_are_refused(active: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        contact(active, active.psychologist, relatives=[link(active.other_family)])
    assert "relative_ids" in error.value.field_errors


def test_others_present_without_a_sign_in_count(active: World) -> None:
    done = contact(active, active.psychologist, relatives=[], others_present="Her sister Mary")
    assert done.others_present == "Her sister Mary"


def test_only_the_author_marks_a_contact_wrong(active: World) -> None:
    done = contact(active, active.psychologist)
    with pytest.raises(NotAllowed):
        services.mark_contact_entered_in_error(
            actor=active.social_worker, contact=done, reason="Wrong family."
        )
    marked = services.mark_contact_entered_in_error(
        actor=active.psychologist, contact=done, reason="Wrong family."
    )
    assert marked.entered_in_error_at is not None
    assert SupportContact.objects.count() == 1
    with pytest.raises(Conflict):
        services.mark_contact_entered_in_error(
            actor=active.psychologist, contact=done, reason="Again."
        )


# --- Support tasks --------------------------------------------------------------------


def new_task(world: World, actor: Any = None, **values: Any) -> SupportTask:
    arguments: dict[str, Any] = {
        "actor": actor or world.social_worker,
        "patient": world.patient,
        "caregiver": link(world.family),
        "reason": "Struggling with the cost of heating.",
        "suggested_actions": ["social_worker"],
        "due_on": at(3).date(),
    }
    arguments.update(values)
    with clock.travel_to(at(0)):
        return services.create_support_task(**arguments)


def test_the_team_raises_assigns_and_closes_a_task(active: World) -> None:
    task = new_task(active)
    assert (task.source, task.status, task.suggested_actions) == (
        "manual",
        "open",
        ["social_worker"],
    )
    with clock.travel_to(at(1)):
        task = services.update_support_task(
            actor=active.nurse,
            task=task,
            changes={"assigned_discipline": "social_worker", "assigned_to": active.social_worker},
        )
        assert task.assigned_to == active.social_worker
        task = services.complete_support_task(
            actor=active.social_worker, task=task, outcome="Winter fuel grant applied for."
        )
    assert (task.status, task.closed_by) == ("done", active.social_worker)
    done = AuditEvent.objects.filter(object_id=str(task.external_id)).latest("pk")
    assert (done.summary_key, done.summary_params) == (
        "Support task done: %(text)s",
        {"text": "Winter fuel grant applied for."},
    )
    with pytest.raises(InvalidTransition):
        services.cancel_support_task(actor=active.nurse, task=task, reason="Not needed.")


def test_a_task_is_assigned_only_to_someone_who_fits(active: World) -> None:
    task = new_task(active)
    with clock.travel_to(at(1)):
        with pytest.raises(ValidationFailed) as error:
            services.update_support_task(
                actor=active.nurse,
                task=task,
                changes={"assigned_discipline": "psychologist", "assigned_to": active.nurse},
            )
        assert "assigned_to_id" in error.value.field_errors
        with pytest.raises(ValidationFailed) as error:
            services.update_support_task(
                actor=active.nurse, task=task, changes={"assigned_to": active.outsider_nurse}
            )
        assert "assigned_to_id" in error.value.field_errors
        with pytest.raises(ValidationFailed):
            services.update_support_task(actor=active.nurse, task=task, changes={"status": "done"})


@pytest.mark.parametrize("role", ["volunteer", "family", "outsider_nurse", "administrator"])
def test_others_cannot_raise_tasks(active: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        new_task(active, actor=getattr(active, role))


def test_closing_needs_words(active: World) -> None:
    task = new_task(active)
    with pytest.raises(ValidationFailed):
        services.complete_support_task(actor=active.nurse, task=task, outcome="")
    with pytest.raises(ValidationFailed):
        services.cancel_support_task(actor=active.nurse, task=task, reason=" ")


def test_a_manual_task_needs_a_carer_and_a_reason(active: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        new_task(active, caregiver=link(active.other_family), reason="")
    assert {"caregiver_id", "reason"} <= set(error.value.field_errors)
    with pytest.raises(ValidationFailed) as error:
        new_task(active, suggested_actions=["magic"])
    assert "suggested_actions" in error.value.field_errors
