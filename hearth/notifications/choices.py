"""Vocabularies of the notifications app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """The ways a person can be reached, each sent by one well-kept library:
    Django's e-mail, Apprise (SMS gateways) and pywebpush (the installed app)."""

    PUSH = "push", _("Notification on this phone (the installed app)")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("E-mail")


class MessageKind(models.TextChoices):
    ALERT_PAGE = "alert_page", _("Alert page")
    VERIFICATION = "verification", _("Verification code")
    VISIT_MOVED = "visit_moved", _("Visit time changed")
    VISIT_CANCELLED = "visit_cancelled", _("Visit cancelled")
    VISIT_REMINDER = "visit_reminder", _("Visit tomorrow")
    HELP_SEEN = "help_seen", _("Help request seen")
    DISPATCH_PAGE = "dispatch_page", _("Urgent visit offered")
    HELP_ON_THE_WAY = "help_on_the_way", _("Help on the way")
    VOLUNTEERING_ENDED = "volunteering_ended", _("Volunteer assignment ended")
    VISITS_ENDED = "visits_ended", _("No more visits planned")
    DISPATCH_CANCELLED = "dispatch_cancelled", _("Urgent visit no longer needed")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CANCELLED = "cancelled", _("No longer needed")


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", pgettext_lazy("a try to send a message", "Failed")
