"""The channels a message can leave by, each through a well-kept library:
e-mail through Django (``EMAIL_URL``), SMS through Apprise (the service's
gateway by URL, ``HEARTH_NOTIFY_SMS_URL``), Web Push through pywebpush (VAPID).

Each ``send_*`` either returns (the provider took the message) or raises
:class:`DeliveryFailed`. Every message carries its ``external_id`` so the
receiving end can tell a retry of the same message from a new one.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING
from urllib.parse import quote

import apprise
from django.conf import settings
from django.core.mail import EmailMessage
from pywebpush import WebPushException, webpush

from hearth.notifications.choices import Channel

if TYPE_CHECKING:
    from hearth.notifications.models import ContactPoint, Message

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The provider refused or did not answer. ``permanent`` failures (no
    gateway configured, a push subscription that no longer exists) are not
    retried on the same contact point."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def is_configured(channel: str) -> bool:
    """Whether the service can send on this channel at all."""
    if channel == Channel.SMS:
        return bool(settings.HEARTH_NOTIFY_SMS_URL)
    if channel == Channel.PUSH:
        return bool(settings.HEARTH_VAPID_PRIVATE_KEY and settings.HEARTH_VAPID_PUBLIC_KEY)
    return True


def absolute_link(message: Message) -> str:
    if not message.link or message.link.startswith(("http://", "https://")):
        return message.link
    return f"{settings.HEARTH_PUBLIC_URL}{message.link}"


def send(contact_point: ContactPoint, message: Message) -> None:
    if not is_configured(contact_point.channel):
        raise DeliveryFailed(
            f"The service has no {contact_point.get_channel_display()} set up.", permanent=True
        )
    sender = {Channel.EMAIL: send_email, Channel.SMS: send_sms, Channel.PUSH: send_push}[
        Channel(contact_point.channel)
    ]
    sender(contact_point, message)


def send_email(contact_point: ContactPoint, message: Message) -> None:
    link = absolute_link(message)
    body = f"{message.body}\n\n{link}\n" if link else f"{message.body}\n"
    email = EmailMessage(
        subject=message.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact_point.address],
        headers={
            "Message-ID": f"<{message.external_id}@hearth>",
            "X-Hearth-Message-Id": str(message.external_id),
            "Auto-Submitted": "auto-generated",
        },
    )
    try:
        sent = email.send(fail_silently=False)
    except Exception as error:  # smtplib, socket and TLS errors all mean "not taken"
        raise DeliveryFailed(f"The mail server did not take it: {error}"[:500]) from error
    if not sent:
        raise DeliveryFailed("The mail server did not take it.")


def sms_url(contact_point: ContactPoint, message: Message) -> str:
    """The gateway's Apprise URL with the number and the message id put in.
    Timeouts are added unless the URL sets its own, so a silent gateway fails
    the attempt instead of holding the worker."""
    url = settings.HEARTH_NOTIFY_SMS_URL.replace("{to}", quote(contact_point.address, safe=""))
    url = url.replace("{id}", str(message.external_id))
    timeout = settings.HEARTH_NOTIFY_TIMEOUT_SECONDS
    for parameter in ("cto", "rto"):
        if f"{parameter}=" not in url:
            url += ("&" if "?" in url else "?") + f"{parameter}={timeout}"
    return url


def send_sms(contact_point: ContactPoint, message: Message) -> None:
    link = absolute_link(message)
    text = f"{message.body} {link}".strip()
    notifier = apprise.Apprise()
    if not notifier.add(sms_url(contact_point, message)):
        raise DeliveryFailed("HEARTH_NOTIFY_SMS_URL is not a URL Apprise knows.", permanent=True)
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:
        taken = notifier.notify(body=text, title="")
    if not taken:
        detail = " ".join(captured.getvalue().split())[-300:]
        raise DeliveryFailed(f"The SMS gateway did not take it. {detail}".strip())


def push_payload(message: Message) -> str:
    """What the phone's lock screen may show: the page's minimal title and text
    and where a tap goes. Nothing else travels."""
    return json.dumps(
        {
            "id": str(message.external_id),
            "title": message.subject,
            "body": message.body,
            "url": absolute_link(message),
            "urgent": message.urgent,
        }
    )


def send_push(contact_point: ContactPoint, message: Message) -> None:
    subscription = {"endpoint": contact_point.address, "keys": contact_point.push_keys}
    try:
        webpush(
            subscription_info=subscription,
            data=push_payload(message),
            vapid_private_key=settings.HEARTH_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.HEARTH_VAPID_SUBJECT},
            timeout=settings.HEARTH_NOTIFY_TIMEOUT_SECONDS,
            ttl=3600,
            headers={"Urgency": "high" if message.urgent else "normal"},
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        # 404 and 410: the phone unsubscribed or the app was removed.
        raise DeliveryFailed(
            f"The push service refused it ({status or error})."[:500],
            permanent=status in (404, 410),
        ) from error
    except Exception as error:  # connection refused, timeouts, bad keys
        raise DeliveryFailed(f"The push service did not answer: {error}"[:500]) from error
