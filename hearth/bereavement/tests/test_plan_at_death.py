"""A death starts the family's plan with the configured contacts; a discharge
starts nothing; starting twice makes one plan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from hearth.bereavement import services
from hearth.bereavement.models import BereavementContact, BereavementPlan
from hearth.conftest import World, make_user
from hearth.core import clock
from hearth.core.errors import InvalidTransition
from hearth.core.models import AuditEvent
from hearth.patients import services as patients
from hearth.patients.models import CaregiverLink

UTC = ZoneInfo("UTC")


def _die(world: World, died_at: datetime) -> None:
    world.bring_to("active")
    patients.record_death(
        actor=world.nurse, episode=world.episode, died_at=died_at, place_of_death="home"
    )


@override_settings(HEARTH_BEREAVEMENT_CONTACT_DAYS=[30, 7, 100])
def test_a_death_plans_the_configured_contacts_from_the_local_date_of_death(
    world: World,
) -> None:
    # 23:30 UTC on 1 July is 00:30 on 2 July in London: the local date counts.
    died_at = datetime(2025, 7, 1, 23, 30, tzinfo=UTC)
    with clock.travel_to(died_at + timedelta(minutes=20)):
        son = make_user("family.son", kind="family")
        CaregiverLink.objects.create(user=son, patient=world.patient, relationship="son")
        _die(world, died_at)
    plan = BereavementPlan.objects.get(patient=world.patient)
    assert plan.died_on == date(2025, 7, 2)
    assert plan.episode == world.episode and plan.is_open
    contacts = list(plan.contacts.order_by("due_on"))
    assert [c.due_on for c in contacts] == [
        date(2025, 7, 9),
        date(2025, 8, 1),
        date(2025, 10, 10),
    ]
    assert [c.planned_days_after_death for c in contacts] == [7, 30, 100]
    assert [c.kind for c in contacts] == ["phone_call", "home_visit", "letter_or_card"]
    assert all(c.status == "planned" and c.source == "schedule" for c in contacts)
    # The current family, primary caregiver first.
    relatives = sorted(
        contacts[0].relatives.all(), key=lambda link: (not link.is_primary_caregiver, link.pk)
    )
    assert [link.user for link in relatives] == [world.family, son]
    event = AuditEvent.objects.get(event_type="bereavement_plan.created")
    assert event.actor == world.nurse and event.patient_id == world.patient.pk


def test_the_default_schedule_is_two_weeks_six_weeks_six_months_thirteen_months(
    world: World,
) -> None:
    _die(world, clock.now() - timedelta(hours=1))
    plan = BereavementPlan.objects.get(patient=world.patient)
    days = [(c.due_on - plan.died_on).days for c in plan.contacts.all()]
    assert days == [14, 42, 182, 395]
    assert plan.contacts.order_by("due_on").last().kind == "anniversary"  # type: ignore[union-attr]


def test_a_discharge_plans_nothing(world: World) -> None:
    world.bring_to("discharged")
    assert not BereavementPlan.objects.exists()
    assert not BereavementContact.objects.exists()


def test_starting_the_plan_again_makes_no_second_plan(deceased: World) -> None:
    first = BereavementPlan.objects.get()
    again = services.create_plan_for(episode=deceased.episode)
    also = services.create_plan(actor=deceased.psychologist, patient=deceased.patient)
    assert first.pk == again.pk == also.pk
    assert BereavementPlan.objects.count() == 1
    assert BereavementContact.objects.count() == 4
    assert AuditEvent.objects.filter(event_type="bereavement_plan.created").count() == 1


def test_a_plan_for_a_death_recorded_before_the_app_is_made_on_request(deceased: World) -> None:
    BereavementContact.relatives.through.objects.all().delete()
    BereavementContact.objects.all().delete()
    BereavementPlan.objects.all().delete()
    plan = services.create_plan_for(episode=deceased.episode)
    assert plan.contacts.count() == 4
    # Actor defaults to whoever recorded the death.
    assert plan.created_by == deceased.nurse


def test_no_plan_without_a_death(world: World) -> None:
    world.bring_to("active")
    with pytest.raises(InvalidTransition):
        services.create_plan_for(episode=world.episode)
    with pytest.raises(InvalidTransition):
        services.create_plan(actor=world.psychologist, patient=world.patient)


def test_a_failing_plan_undoes_the_death(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The receiver runs inside the death's transaction."""
    world.bring_to("active")

    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "create_plan_for", broken)
    with pytest.raises(RuntimeError):
        patients.record_death(
            actor=world.nurse,
            episode=world.episode,
            died_at=timezone.now(),
            place_of_death="home",
        )
    assert world.episode.state == "active"


@pytest.mark.parametrize(("days", "said"), [([7], "1 contact planned"), ([7, 30], "2 contacts")])
def test_the_plans_summary_counts_its_contacts_in_good_english(
    world: World, days: list[int], said: str
) -> None:
    from django.utils import translation

    with override_settings(HEARTH_BEREAVEMENT_CONTACT_DAYS=days):
        _die(world, clock.now() - timedelta(hours=1))
    event = AuditEvent.objects.get(event_type="bereavement_plan.created")
    with translation.override("en"):
        assert said in event.summary_text
    with translation.override("ru"):
        assert f"запланировано контактов: {len(days)}" in event.summary_text


def test_a_plan_summary_stored_before_the_singular_still_reads_in_russian() -> None:
    from django.utils import translation

    from hearth.core import messages

    with translation.override("ru"):
        text = messages.render(services.EARLIER_PLAN_STARTED_KEY, {"count": 5})
    assert text.endswith("запланировано контактов: 5")
