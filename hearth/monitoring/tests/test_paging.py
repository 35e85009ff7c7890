"""Paging the alert's owner: on raise and on hand-over, again every few minutes
until the deadline, never after acknowledgement, and never with a name, a
diagnosis, a medicine or the family's own words (pages are read on lock
screens and travel by SMS). Asserted on the outbox's ``Message`` rows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from hearth.accounts.models import User
from hearth.conftest import World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.monitoring import alerts, paging, services
from hearth.monitoring.choices import AlertRule
from hearth.monitoring.models import Alert, OnCallShift
from hearth.notifications.choices import MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, DeliveryAttempt, Message


def reachable(user: Any, address: str = "", channel: str = "email") -> ContactPoint:
    return ContactPoint.objects.create(
        user=user,
        channel=channel,
        address=address or f"{user.username}@example.org",
        created_at=clock.now(),
        verified_at=clock.now(),
    )


def pages(alert: Alert) -> list[Message]:
    return list(
        Message.objects.about(f"alert:{alert.pk}")
        .filter(kind=MessageKind.ALERT_PAGE)
        .order_by("created_at", "id")
    )


def help_alert(world: World, note: str = "") -> Alert:
    services.record_check_in(
        actor=world.family, patient=world.patient, help_requested=True, note=note
    )
    return Alert.objects.select_related("patient", "owner").get(
        patient=world.patient, rule=AlertRule.HELP_REQUESTED
    )


def on_call(world: World, role: str, person: Any, start: datetime | None = None) -> OnCallShift:
    start = start or clock.now()
    return services.add_on_call_shift(
        actor=world.coordinator,
        role=role,
        staff=person,
        starts_at=start - timedelta(hours=1),
        ends_at=start + timedelta(hours=8),
    )


def test_it_pages_the_owner_the_moment_an_alert_is_raised(active: World) -> None:
    alert = help_alert(active)
    (page,) = pages(alert)
    assert page.recipient == active.nurse == alert.owner
    assert (page.kind, page.urgent, page.status, page.patient) == (
        "alert_page",
        True,
        "pending",
        active.patient,
    )
    assert re.fullmatch(r"\d{4}", page.reply_code)
    assert page.event_key == f"alert:{alert.pk}:owner:{active.nurse.pk}:step:0:page:1"
    link = f"{settings.HEARTH_PUBLIC_URL}/alerts/{alert.external_id}/"
    assert page.link == link
    assert "High" in page.subject and "A-1" in page.subject
    assert "“We need help now” pressed" in page.subject
    assert f"Reply ACK {page.reply_code} to acknowledge." in page.body
    assert page.not_before <= clock.now()


def test_quiet_hours_never_hold_back_a_page(active: World) -> None:
    from hearth.notifications.models import NotificationPreferences

    now = timezone.localtime(clock.now())
    NotificationPreferences.objects.create(
        user=active.nurse,
        quiet_hours_start=(now - timedelta(hours=1)).time(),
        quiet_hours_end=(now + timedelta(hours=1)).time(),
    )
    (page,) = pages(help_alert(active))
    assert page.urgent and page.not_before <= clock.now()


def test_a_page_is_written_in_the_owners_language(active: World) -> None:
    active.nurse.preferred_language = "ru"
    active.nurse.save(update_fields=["preferred_language"])
    (page,) = pages(help_alert(active))
    assert page.language == "ru"


#: Everything that must never be on a lock screen, for patient A of the world.
def _secrets(world: World) -> list[str]:
    return [
        "Alice",
        "Able",
        world.patient.full_name,
        world.family.display_name,
        "Lung cancer",
        "C34.1",
        "Morphine",
        "oxycodone",
        "Very breathless",
        "pain 9",
        "1 Test Street",
        "E1 1AA",
    ]


def test_no_page_carries_a_name_a_diagnosis_a_medicine_or_the_familys_words(
    active: World,
) -> None:
    """Every rule, with a summary and evidence full of what must not leak, and
    the real check-in scenarios on top."""
    help_alert(active, note="Very breathless, Morphine not working")
    services.record_check_in(
        actor=active.family, patient=active.patient, esas={"pain": 9}, note="pain 9 all night"
    )
    services.record_check_in(actor=active.family, patient=active.patient, cannot_cope=True)
    for rule in AlertRule:
        alerts.raise_alert(
            actor=None,
            patient=active.patient,
            rule=rule,
            severity=alerts.severity_for(rule)
            if rule in settings.HEARTH_ALERT_SEVERITY
            else "high",
            summary="Alice Able (Lung cancer, C34.1): 3 doses of Morphine and oxycodone; pain 9",
            evidence=[
                alerts.Evidence(
                    description="Very breathless at 1 Test Street, E1 1AA",
                    source="check_in",
                    observed_at=clock.now(),
                )
            ],
        )
    queued = list(Message.objects.filter(kind=MessageKind.ALERT_PAGE))
    assert {page.topic for page in queued} == {
        f"alert:{pk}" for pk in Alert.objects.values_list("pk", flat=True)
    }
    assert len({alert.rule for alert in Alert.objects.all()}) == len(AlertRule)
    for page in queued:
        text = f"{page.subject}\n{page.body}\n{page.link}"
        for secret in _secrets(active):
            assert secret.lower() not in text.lower(), (secret, text)
        assert "A-1" in text


def test_nobody_to_page_is_audited_and_the_alert_says_so(world: World, client_for: Any) -> None:
    """Patient B has no care team and nobody is on call: the alert has no owner."""
    alert, _created = alerts.raise_alert(
        actor=None,
        patient=world.other_patient,
        rule=AlertRule.HELP_REQUESTED,
        severity="high",
        summary="Help",
        evidence=[],
    )
    assert alert.owner is None
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(event_type="alert.nobody_to_page").count() == 1
    text = client_for(world.coordinator).get(f"/alerts/{alert.external_id}/").content.decode()
    assert "Nobody could be paged: nobody is on call for this alert." in text


def test_an_owner_with_no_verified_way_to_be_reached_is_shown(
    active: World, client_for: Any
) -> None:
    alert = help_alert(active)
    ContactPoint.objects.create(
        user=active.nurse, channel="email", address="n@example.org", created_at=clock.now()
    )
    page = client_for(active.physician)
    assert "Nobody could be paged" in page.get(f"/alerts/{alert.external_id}/").content.decode()
    reachable(active.nurse)
    assert "Nobody could be paged" not in page.get(f"/alerts/{alert.external_id}/").content.decode()


def test_it_pages_again_after_the_interval_and_not_before(active: World) -> None:
    start = clock.now()
    alert = help_alert(active)
    every = timedelta(minutes=settings.HEARTH_PAGE_REPEAT_MINUTES)
    assert alert.acknowledge_by is not None
    with clock.travel_to(start + every - timedelta(seconds=30)):
        assert paging.repeat_pages() == 0
    with clock.travel_to(start + every + timedelta(seconds=1)):
        assert paging.repeat_pages() == 1
        assert paging.repeat_pages() == 0  # the worker runs again a second later
    with clock.travel_to(start + 2 * every - timedelta(seconds=30)):
        assert paging.repeat_pages() == 0
    with clock.travel_to(start + 2 * every + timedelta(seconds=2)):
        assert paging.repeat_pages() == 1
    # Past the deadline the escalation pages the next person, not this one again.
    with clock.travel_to(alert.acknowledge_by + timedelta(seconds=1)):
        assert paging.repeat_pages() == 0
    queued = pages(alert)
    assert [page.event_key.rsplit(":", 1)[1] for page in queued] == ["1", "2", "3"]
    assert len({page.reply_code for page in queued}) >= 1
    assert "Still not acknowledged." in queued[1].body
    assert all(page.recipient == active.nurse and page.urgent for page in queued)


def test_the_now_argument_moves_the_repeat_clock_too(active: World) -> None:
    alert = help_alert(active)
    later = clock.now() + timedelta(minutes=settings.HEARTH_PAGE_REPEAT_MINUTES, seconds=1)
    assert paging.repeat_pages(now=later) == 1
    assert len(pages(alert)) == 2


def test_acknowledging_stops_the_pages_and_marks_the_sent_ones(active: World) -> None:
    start = clock.now()
    alert = help_alert(active)
    first = pages(alert)[0]
    # The worker sent the first page; the repeat is still waiting.
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.SENT, sent_at=clock.now())
    with clock.travel_to(start + timedelta(minutes=6)):
        assert paging.repeat_pages() == 1
    with clock.travel_to(start + timedelta(minutes=7)):
        services.acknowledge_alert(actor=active.nurse, alert=alert)
    sent, repeat = pages(alert)
    assert (sent.status, repeat.status) == ("acknowledged", "cancelled")
    assert sent.acknowledged_at is not None
    assert "Acknowledged by" in repeat.finished_reason
    with clock.travel_to(start + timedelta(minutes=12)):
        assert paging.repeat_pages() == 0
    assert len(pages(alert)) == 2


def test_a_triage_that_acknowledges_stops_the_pages_too(active: World) -> None:
    alert = help_alert(active)
    services.triage_alert(actor=active.physician, alert=alert, outcome="advice_by_phone")
    assert [page.status for page in pages(alert)] == ["cancelled"]
    with clock.travel_to(clock.now() + timedelta(minutes=6)):
        assert paging.repeat_pages() == 0


def test_cancelling_the_owners_shift_hands_the_alert_over_and_pages_the_new_owner(
    active: World,
) -> None:
    shift = on_call(active, "nurse", active.outsider_nurse)
    alert = help_alert(active)
    assert alert.owner == active.outsider_nurse
    services.cancel_on_call_shift(actor=active.coordinator, shift=shift)
    alert.refresh_from_db()
    # Nobody else on call: the patient's key nurse stands in.
    assert alert.owner == active.nurse and alert.status == "open"
    first, handed = pages(alert)
    assert (first.recipient, handed.recipient) == (active.outsider_nurse, active.nurse)
    assert "Handed to you" in handed.body
    event = AuditEvent.objects.get(event_type="alert.reowned")
    assert event.actor == active.coordinator
    assert event.changes["owner"] == {
        "from": active.outsider_nurse.display_name,
        "to": active.nurse.display_name,
    }
    # The old owner is paged no more; the new one is, until the deadline.
    with clock.travel_to(clock.now() + timedelta(minutes=6)):
        assert paging.repeat_pages() == 1
    assert pages(alert)[-1].recipient == active.nurse


def test_a_nurse_coming_on_call_takes_over_from_a_stand_in_but_not_from_one_on_call(
    active: World,
) -> None:
    alert = help_alert(active)
    assert alert.owner == active.nurse  # the key nurse, standing in: nobody on call
    on_call(active, "nurse", active.outsider_nurse)
    alert.refresh_from_db()
    assert alert.owner == active.outsider_nurse
    assert pages(alert)[-1].recipient == active.outsider_nurse
    # A second nurse coming on call leaves the alert with the one already on call.
    second = User.objects.create_user(
        username="nurse.second", password="x", kind="staff", discipline="nurse"
    )
    on_call(active, "nurse", second)
    alert.refresh_from_db()
    assert alert.owner == active.outsider_nurse
    assert AuditEvent.objects.filter(event_type="alert.reowned").count() == 1


def test_a_future_shift_changes_nobodys_alert(active: World) -> None:
    alert = help_alert(active)
    on_call(active, "nurse", active.outsider_nurse, start=clock.now() + timedelta(days=1))
    alert.refresh_from_db()
    assert alert.owner == active.nurse and len(pages(alert)) == 1


def test_the_alert_page_shows_the_delivery_log_in_constant_queries(
    active: World, client_for: Any
) -> None:
    alert = help_alert(active)
    first = pages(alert)[0]
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.FAILED)
    for attempt, (outcome, error) in enumerate(
        [("failed", "SMS gateway answered 503"), ("failed", "timed out")], start=1
    ):
        DeliveryAttempt.objects.create(
            message=first,
            channel="sms",
            address="…0123",
            attempt=attempt,
            started_at=clock.now(),
            finished_at=clock.now(),
            outcome=outcome,
            error=error,
        )
    DeliveryAttempt.objects.create(
        message=first,
        channel="email",
        address="nu…@example.org",
        attempt=1,
        started_at=clock.now(),
        outcome="sent",
    )
    page = client_for(active.nurse)
    url = f"/alerts/{alert.external_id}/"
    text = page.get(url).content.decode()
    assert "Pages and messages" in text
    assert "SMS gateway answered 503" in text and "timed out" in text and "nu…@example.org" in text
    assert "Could not be delivered" in text
    # The big button at the top, before anything else on the page.
    assert text.index('class="acknowledge-now"') < text.index("<h1>")
    one_page = _queries_for(page, url)
    with clock.travel_to(clock.now() + timedelta(minutes=6)):
        paging.repeat_pages()
    with clock.travel_to(clock.now() + timedelta(minutes=12)):
        paging.repeat_pages()
    for message in pages(alert)[1:]:
        DeliveryAttempt.objects.create(
            message=message,
            channel="sms",
            address="…0123",
            attempt=1,
            started_at=clock.now(),
            outcome="failed",
            error="again",
        )
    assert len(pages(alert)) == 3
    assert _queries_for(page, url) == one_page


def _queries_for(page: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert page.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_alert_api_shows_the_delivery_log(active: World, client_for: Any) -> None:
    alert = help_alert(active)
    body = client_for(active.nurse).get(f"/api/v1/alerts/{alert.external_id}").json()
    (message,) = body["messages"]
    assert message["kind"] == "alert_page" and message["status"] == "pending"
    assert message["recipient"]["name"] == active.nurse.display_name
    assert message["attempts"] == []
    assert body["nobody_can_be_paged"] is True
