"""Shared pieces of the contact point tests: real push subscription keys, the
code as it travels in the outbox, the service's channels switched on."""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hearth.notifications.choices import MessageKind
from hearth.notifications.models import ContactPoint, Message

PUSH_ENDPOINT = "https://push.example.org/send/abc123"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def push_keys() -> dict[str, str]:
    """Keys as a browser makes them: a fresh P-256 key pair's public point and
    a 16-byte secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(public), "auth": b64url(os.urandom(16))}


def code_sent_to(contact_point: ContactPoint) -> str:
    """The code in the newest verification message queued to the contact point."""
    message = (
        Message.objects.filter(contact_point=contact_point, kind=MessageKind.VERIFICATION)
        .order_by("-id")
        .first()
    )
    assert message is not None, "no verification message was queued"
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found is not None, message.body
    return found.group(1)


@pytest.fixture
def channels_on(settings: Any) -> Any:
    """An SMS gateway and VAPID keys configured; phones from the UK and Ireland."""
    settings.HEARTH_NOTIFY_SMS_URL = "json://127.0.0.1:9/sms?:to={to}"
    settings.HEARTH_VAPID_PUBLIC_KEY = b64url(b"\x04" + os.urandom(64))
    settings.HEARTH_VAPID_PRIVATE_KEY = b64url(os.urandom(32))
    settings.HEARTH_PHONE_REGIONS = ["GB", "IE"]
    return settings


@pytest.fixture
def channels_off(settings: Any) -> Any:
    settings.HEARTH_NOTIFY_SMS_URL = ""
    settings.HEARTH_VAPID_PUBLIC_KEY = ""
    settings.HEARTH_VAPID_PRIVATE_KEY = ""
    settings.HEARTH_PHONE_REGIONS = ["GB"]
    return settings
