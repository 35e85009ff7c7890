"""Contact points, the outbox and its delivery log.

A message is written to the outbox in the same transaction as the change that
causes it (an alert raised, a visit cancelled), so it exists exactly when the
change does; the worker sends it after commit. Its ``external_id`` travels
with every attempt (the e-mail's Message-ID, a field of the SMS gateway's
request, the push payload) so a receiver can tell a retry from a new message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.core import messages
from hearth.core.models import ExternalIdModel
from hearth.notifications.choices import AttemptOutcome, Channel, MessageKind, MessageStatus


def masked_phone(number: str) -> str:
    """The last four digits: enough to recognise a number in a log or an
    audit event, not enough to copy it."""
    digits = "".join(character for character in number or "" if character.isdigit())
    return f"…{digits[-4:]}" if digits else "?"


class ContactPointQuerySet(models.QuerySet["ContactPoint"]):
    def verified(self) -> ContactPointQuerySet:
        return self.filter(verified_at__isnull=False)

    def in_order(self) -> ContactPointQuerySet:
        return self.order_by("position", "id")


class ContactPoint(ExternalIdModel):
    """One way to reach one person. Used for messages only once verified (a code
    sent to it was typed back), so a typo never swallows a page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_points"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    #: An e-mail address, a phone number in E.164 form, or a push endpoint URL.
    address = models.CharField(_("address"), max_length=1000)
    #: Web Push only: the subscription's public key and auth secret (base64url).
    push_keys = models.JSONField(default=dict, blank=True)
    label = models.CharField(_("name"), max_length=80, blank=True)
    #: The order to try them in, lowest first.
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_code_hash = models.CharField(max_length=128, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verification_attempts = models.PositiveSmallIntegerField(default=0)

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        ordering = ("user", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "channel", "address"), name="contact_point_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.masked_address}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def masked_address(self) -> str:
        """Enough to recognise it in a log, not enough to copy it."""
        if self.channel == Channel.PUSH:
            return self.label or str(_("a phone"))
        if self.channel == Channel.SMS:
            return masked_phone(self.address)
        local, _at, domain = self.address.partition("@")
        return f"{local[:2]}…@{domain}"


class NotificationPreferences(models.Model):
    """Quiet hours and the family's opt-ins. Quiet hours hold back messages that
    can wait; an alert page to its owner is never held back."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    quiet_hours_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet until"), null=True, blank=True)
    visit_changes = models.BooleanField(
        _("tell me when a visit moves or is cancelled"), default=False
    )
    visit_reminders = models.BooleanField(_("remind me the day before a visit"), default=False)
    help_request_seen = models.BooleanField(
        _("tell me when our call for help has been seen"), default=False
    )

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"


class MessageQuerySet(models.QuerySet["Message"]):
    def about(self, topic: str) -> MessageQuerySet:
        return self.filter(topic=topic)

    def pending(self) -> MessageQuerySet:
        return self.filter(status=MessageStatus.PENDING)


class Message(ExternalIdModel):
    """One message to one person about one event, tried on their contact points
    in order until one takes it. ``(recipient, event_key)`` is unique, so the
    same event never queues the same person twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    event_key = models.CharField(max_length=200)
    #: What the message is about, for the delivery log of that thing: "alert:42".
    topic = models.CharField(max_length=64, blank=True, db_index=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Verification codes go to the one contact point being verified.
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=16)
    #: Urgent messages ignore quiet hours.
    urgent = models.BooleanField(default=False)
    #: The short code a reply quotes ("ACK 4821") to acknowledge by SMS.
    reply_code = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    #: Not to be tried before this (quiet hours, or the back-off after a failure).
    not_before = models.DateTimeField()
    #: Index into the recipient's verified contact points, in order.
    channel_index = models.PositiveSmallIntegerField(default=0)
    attempts_on_channel = models.PositiveSmallIntegerField(default=0)
    #: A worker holds the message until then; a worker that dies lets go by itself.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    finished_reason = models.CharField(max_length=300, blank=True)
    #: ``finished_reason`` as a key + parameters (``core.messages``), rendered
    #: in each reader's language; ``finished_reason`` is the service-language copy.
    finished_reason_key = models.CharField(max_length=300, blank=True, default="")
    finished_reason_params = models.JSONField(default=dict, blank=True)

    objects = MessageQuerySet.as_manager()

    @property
    def finished_reason_text(self) -> str:
        """Why it stopped (acknowledged by whom, …), in the reader's language."""
        return messages.render(
            self.finished_reason_key, self.finished_reason_params, fallback=self.finished_reason
        )

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("recipient", "event_key"), name="message_once_per_event_and_person"
            )
        ]
        indexes = [models.Index(fields=("status", "not_before"), name="message_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try of one message on one contact point: the delivery log."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempts")
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    #: Masked, as shown in the log.
    address = models.CharField(max_length=120)
    attempt = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=8, choices=AttemptOutcome.choices, default=AttemptOutcome.SENDING
    )
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("started_at", "id")

    def __str__(self) -> str:
        return f"{self.channel} attempt {self.attempt} of message {self.message_id}: {self.outcome}"
