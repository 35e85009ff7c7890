"""The outbox with the real worker (``manage.py run_worker`` as a subprocess):
a worker killed with kill -9 in the middle of sending loses nothing and sends
nothing twice; messages committed while no worker runs go out when one starts.

Subprocess tests: they need a database another process can open (a file
SQLite database, as ``make test`` sets, or PostgreSQL).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import transaction

from hearth.conftest import World
from hearth.core.tests.workers import subprocess_database_or_skip, wait_until
from hearth.notifications.choices import AttemptOutcome, Channel, MessageStatus
from hearth.notifications.models import DeliveryAttempt, Message
from hearth.notifications.tests.sinks import SmsSink
from hearth.notifications.tests.test_delivery import contact, queue

pytestmark = pytest.mark.django_db(transaction=True)


def worker_settings(sink: SmsSink, **extra: str) -> dict[str, str]:
    return {
        "HEARTH_NOTIFY_SMS_URL": sink.apprise_url,
        "HEARTH_NOTIFY_LEASE_SECONDS": "3",
        "HEARTH_NOTIFY_TIMEOUT_SECONDS": "30",
        **extra,
    }


def test_a_worker_killed_while_sending_loses_nothing_and_sends_nothing_twice(
    world: World, sms_sink: SmsSink, start_worker: Any
) -> None:
    subprocess_database_or_skip()
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    sms_sink.stall_next(1)  # the gateway takes the connection and never answers
    with transaction.atomic():
        message = queue(world.nurse)
    first = start_worker(env=worker_settings(sms_sink))
    wait_until(
        lambda: DeliveryAttempt.objects.filter(message=message).exists(),
        20,
        "the worker to start sending",
    )
    time.sleep(0.5)
    first.kill()  # kill -9 mid-send: the gateway never took it
    assert sms_sink.requests == []
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.claimed_until is not None  # still held by the dead worker
    sms_sink.stalled.set()
    start_worker(env=worker_settings(sms_sink))
    wait_until(
        lambda: Message.objects.get(pk=message.pk).status == MessageStatus.SENT,
        30,
        "a fresh worker to send it once the dead one's claim ran out",
    )
    time.sleep(1.5)  # a second pass in that time sends nothing more
    assert [r.json()["message_id"] for r in sms_sink.requests] == [str(message.external_id)]
    attempts = list(DeliveryAttempt.objects.filter(message=message).order_by("id"))
    outcomes = [attempt.outcome for attempt in attempts]
    # The dead worker's try stays "sending" in the log: nobody knows how it ended.
    # The next worker sends it; a try of its own that the gateway refused on the
    # way (a real socket, not a script) may sit between, logged as failed.
    assert outcomes[0] == AttemptOutcome.SENDING
    assert outcomes[-1] == AttemptOutcome.SENT
    assert set(outcomes[1:-1]) <= {AttemptOutcome.FAILED}, [a.error for a in attempts]


def test_messages_committed_with_no_worker_running_go_out_once_when_one_starts(
    world: World, sms_sink: SmsSink, start_worker: Any
) -> None:
    subprocess_database_or_skip()
    contact(world.nurse, Channel.SMS, "+447700900123", 0)
    with transaction.atomic():
        messages = [queue(world.nurse, key=f"event:{n}") for n in range(5)]
    start_worker(env=worker_settings(sms_sink))
    start_worker(env=worker_settings(sms_sink))  # two workers: no message twice
    sms_sink.wait_for(5, timeout=30)
    time.sleep(1.5)
    received = sorted(r.json()["message_id"] for r in sms_sink.requests)
    assert received == sorted(str(m.external_id) for m in messages)
