"""Delivery through real receivers on loopback: SMTP, an SMS gateway, a push
service. Retries, fall-through to the next channel, the log of every try,
quiet hours, and the id that lets a receiver tell a retry from a new message."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.conftest import World
from hearth.core import clock
from hearth.notifications import delivery, outbox
from hearth.notifications.choices import AttemptOutcome, Channel, MessageKind, MessageStatus
from hearth.notifications.models import ContactPoint, Message, NotificationPreferences
from hearth.notifications.tests.sinks import PushSink, SmsSink, SmtpSink


def contact(user: User, channel: str, address: str, position: int, **extra: Any) -> ContactPoint:
    return ContactPoint.objects.create(
        user=user,
        channel=channel,
        address=address,
        position=position,
        created_at=clock.now(),
        verified_at=clock.now(),
        **extra,
    )


def queue(user: User, key: str = "event:1", urgent: bool = True, **extra: Any) -> Message:
    with transaction.atomic():
        return outbox.notify(
            recipient=user,
            kind=MessageKind.ALERT_PAGE,
            event_key=key,
            subject="High alert T-1",
            body="High alert for record T-1.",
            link="/alerts/1/",
            urgent=urgent,
            **extra,
        )


def test_the_same_event_queues_one_message_per_person(world: World) -> None:
    first = queue(world.nurse)
    again = queue(world.nurse)
    assert again.pk == first.pk
    assert Message.objects.filter(recipient=world.nurse).count() == 1


def test_it_sends_e_mail_with_the_message_id_the_receiver_can_see(
    world: World, smtp_sink: SmtpSink
) -> None:
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 0)
    message = queue(world.nurse)
    assert delivery.deliver_due() == 1
    received = smtp_sink.wait_for(1)[0]
    assert received["X-Envelope-To"] == "nurse@example.org"
    assert received["Subject"] == "High alert T-1"
    assert received["X-Hearth-Message-Id"] == str(message.external_id)
    assert "http://127.0.0.1:8000/alerts/1/" in received.get_payload()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [a.outcome for a in message.attempts.all()] == [AttemptOutcome.SENT]


def test_it_sends_sms_through_the_gateway_with_number_and_id(
    world: World, sms_sink: SmsSink
) -> None:
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    message = queue(world.nurse, reply_code="4821")
    delivery.deliver_due()
    payload = sms_sink.wait_for(1)[0].json()
    assert payload["to"] == "+447700900123"
    assert payload["message_id"] == str(message.external_id)
    assert payload["message"].startswith("High alert for record T-1.")
    assert payload["message"].endswith("http://127.0.0.1:8000/alerts/1/")


def test_it_sends_web_push_the_phone_can_decrypt(world: World, push_sink: PushSink) -> None:
    phone = push_sink.subscribe()
    contact(world.nurse, Channel.PUSH, phone.endpoint, 0, push_keys=phone.keys, label="Pixel")
    message = queue(world.nurse)
    delivery.deliver_due()
    push_sink.wait_for(1)
    assert push_sink.delivered == [
        {
            "id": str(message.external_id),
            "title": "High alert T-1",
            "body": "High alert for record T-1.",
            "url": "http://127.0.0.1:8000/alerts/1/",
            "urgent": True,
        }
    ]
    assert push_sink.requests[0].headers["urgency"] == "high"


def test_a_failing_channel_is_retried_then_the_next_one_is_tried(
    world: World, sms_sink: SmsSink, smtp_sink: SmtpSink, quick_retries: None
) -> None:
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 1)
    sms_sink.answer_next(3, 503)
    message = queue(world.nurse)
    delivery.deliver_due()
    smtp_sink.wait_for(1)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    log = [(a.channel, a.attempt, a.outcome) for a in message.attempts.all()]
    assert log == [
        (Channel.SMS, 1, AttemptOutcome.FAILED),
        (Channel.SMS, 2, AttemptOutcome.FAILED),
        (Channel.SMS, 3, AttemptOutcome.FAILED),
        (Channel.EMAIL, 1, AttemptOutcome.SENT),
    ]
    assert "did not take it" in message.attempts.first().error  # type: ignore[union-attr]


def test_a_retry_waits_its_back_off(world: World, sms_sink: SmsSink, settings: Any) -> None:
    settings.HEARTH_NOTIFY_RETRY_SECONDS = [30]
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    sms_sink.answer_next(1, 500)
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.claimed_until is None
    assert message.not_before > clock.now() + timedelta(seconds=25)
    assert delivery.deliver_due() == 0
    with time_machine.travel(message.not_before + timedelta(seconds=1)):
        delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [r.json()["message_id"] for r in sms_sink.requests] == [str(message.external_id)]


def test_a_gateway_that_does_not_answer_fails_the_attempt_in_time(
    world: World, sms_sink: SmsSink, smtp_sink: SmtpSink, quick_retries: None, settings: Any
) -> None:
    settings.HEARTH_NOTIFY_RETRY_SECONDS = []
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 1)
    sms_sink.stall_next(1)
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    first = message.attempts.first()
    assert first is not None and first.outcome == AttemptOutcome.FAILED
    assert len(smtp_sink.messages) == 1


def test_when_every_channel_fails_the_message_says_so(
    world: World, smtp_sink: SmtpSink, quick_retries: None
) -> None:
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 0)
    smtp_sink.refuse_next(3)
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.finished_reason == "Every way to reach this person failed."
    assert message.attempts.filter(outcome=AttemptOutcome.FAILED).count() == 3


def test_nobody_to_reach_is_a_visible_failure_not_a_silent_one(world: World) -> None:
    ContactPoint.objects.create(
        user=world.nurse,
        channel=Channel.EMAIL,
        address="unverified@example.org",
        created_at=clock.now(),
    )
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.finished_reason == "This person has no verified way to be reached."


def test_a_channel_the_service_has_not_set_up_falls_through_at_once(
    world: World, smtp_sink: SmtpSink, settings: Any
) -> None:
    settings.HEARTH_NOTIFY_SMS_URL = ""
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 1)
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [(a.channel, a.outcome) for a in message.attempts.all()] == [
        (Channel.SMS, AttemptOutcome.FAILED),
        (Channel.EMAIL, AttemptOutcome.SENT),
    ]


def test_a_push_subscription_that_is_gone_is_not_retried(
    world: World, push_sink: PushSink, smtp_sink: SmtpSink
) -> None:
    phone = push_sink.subscribe()
    contact(
        world.nurse,
        Channel.PUSH,
        phone.endpoint.replace("/push/", "/push/gone-"),
        0,
        push_keys=phone.keys,
    )
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 1)
    message = queue(world.nurse)
    delivery.deliver_due()
    message.refresh_from_db()
    assert [(a.channel, a.attempt) for a in message.attempts.all()] == [
        (Channel.PUSH, 1),
        (Channel.EMAIL, 1),
    ]
    assert "410" in message.attempts.first().error  # type: ignore[union-attr]


def test_quiet_hours_hold_a_message_that_can_wait_until_they_end(
    world: World, smtp_sink: SmtpSink
) -> None:
    NotificationPreferences.objects.create(
        user=world.family, quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0)
    )
    contact(world.family, Channel.EMAIL, "family@example.org", 0)
    night = timezone.make_aware(timezone.datetime(2026, 12, 7, 23, 30))
    with time_machine.travel(night, tick=False):
        waits = queue(world.family, key="visit:1:reminder", urgent=False)
        page = queue(world.family, key="alert:1:page", urgent=True)
        delivery.deliver_due()
    assert waits.not_before == timezone.make_aware(timezone.datetime(2026, 12, 8, 7, 0))
    assert page.not_before == night
    assert len(smtp_sink.messages) == 1
    with time_machine.travel(waits.not_before, tick=False):
        delivery.deliver_due()
    assert len(smtp_sink.messages) == 2


def test_a_message_held_by_a_worker_is_not_sent_by_another(
    world: World, smtp_sink: SmtpSink
) -> None:
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 0)
    message = queue(world.nurse)
    lease = delivery._claim(message.pk, clock.now())
    assert lease is not None
    assert delivery.deliver_due() == 0
    # The worker holding it died: when its claim runs out, another sends it.
    with time_machine.travel(lease + timedelta(seconds=1)):
        assert delivery.deliver_due() == 1
    assert len(smtp_sink.messages) == 1


def test_an_acknowledged_page_is_not_sent(world: World, smtp_sink: SmtpSink) -> None:
    contact(world.nurse, Channel.EMAIL, "nurse@example.org", 0)
    queue(world.nurse, topic="alert:1")
    with transaction.atomic():
        assert outbox.cancel(topic="alert:1", kinds=(MessageKind.ALERT_PAGE,), reason="seen") == 1
    assert delivery.deliver_due() == 0
    assert smtp_sink.messages == []


@pytest.mark.parametrize("language", ["ru", "en"])
def test_messages_are_written_in_the_recipient_language(world: World, language: str) -> None:
    world.family.preferred_language = language
    world.family.save(update_fields=["preferred_language"])
    with outbox.speaking_to(world.family) as spoken:
        message = queue(world.family)
    assert spoken == language
    assert message.language == language


def test_the_key_command_makes_keys_that_deliver_and_keeps_them(
    world: World, push_sink: PushSink, settings: Any, tmp_path: Any
) -> None:
    from django.core.management import call_command

    call_command("generate_vapid_keys", directory=str(tmp_path), stdout=None)
    private = (tmp_path / "vapid-private-key").read_text().strip()
    public = (tmp_path / "vapid-public-key").read_text().strip()
    assert (tmp_path / "vapid-private-key").stat().st_mode & 0o777 == 0o600
    call_command("generate_vapid_keys", directory=str(tmp_path), stdout=None)
    assert (tmp_path / "vapid-private-key").read_text().strip() == private
    settings.HEARTH_VAPID_PRIVATE_KEY, settings.HEARTH_VAPID_PUBLIC_KEY = private, public
    push_sink.vapid_public_key = public  # the push service checks the signature against it
    phone = push_sink.subscribe()
    contact(world.nurse, Channel.PUSH, phone.endpoint, 0, push_keys=phone.keys)
    queue(world.nurse)
    delivery.deliver_due()
    assert len(push_sink.delivered) == 1
