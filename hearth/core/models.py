"""Shared kernel models: the append-only audit trail and base classes for every app."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

from hearth.core import audit_chain, messages
from hearth.core.audit_events import AuditEventType


class ExternalIdModel(models.Model):
    """Integer keys stay inside; the API, FHIR and URLs only ever show the UUID."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    LIST = "list", _("listed")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    TRANSITION = "transition", _("moved to a new stage")
    EMERGENCY_ACCESS = "emergency_access", _("used emergency access")
    REVIEW = "review", _("reviewed")
    SECURITY = "security", _("security event")
    EXPORT = "export", _("exported")
    #: A request refused (hearth.core.refusals): neither a read nor a write.
    REFUSED = "refused", _("refused")


#: What only read a record (or was refused): everything else changed one. The
#: one list ``writes()`` and its partial index share; the database uses the
#: index only when the query's condition is written exactly as the index's.
READ_ACTIONS = [AuditAction.VIEW, AuditAction.LIST, AuditAction.REFUSED]


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(
        self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any
    ) -> list[AuditEvent]:
        """Events inserted together are chained together, in list order, under
        the chain's lock (``hearth.core.audit_chain``)."""
        events = list(objs)
        self._for_write = True  # as Django's bulk_create: ``db`` is then the write database
        using = self.db
        with transaction.atomic(using=using):
            audit_chain.seal(events, using=using)
            return super().bulk_create(events, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_patient(self, patient_id: int) -> AuditEventQuerySet:
        return self.filter(patient_id=patient_id)

    def writes(self) -> AuditEventQuerySet:
        """What changed a record: not reads, lists, or refused requests (a
        refusal is in the administrator's trail, never in a timeline the care
        team reads, which would name someone else's relative)."""
        return self.exclude(action__in=READ_ACTIONS)


class AuditEvent(models.Model):
    """Who did what to whose record, when, from where and why.

    Append-only: the model refuses updates and deletes, and a database trigger
    (migration 0002) refuses them too, so not even a bug or a shell session
    can quietly rewrite history; and each event is chained to the one before
    it by hash (``hearth.core.audit_chain``), so a change made past both, by
    someone who dropped the trigger, is found by ``manage.py verify_audit``.
    ``patient_id`` is a plain column rather than a
    foreign key so the kernel depends on no clinical app and a patient's trail
    can never be cascaded away.
    """

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    event_type = models.CharField(max_length=80, help_text="What happened, e.g. referral.created")
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    #: The summary as a gettext msgid and its parameters (``hearth.core.messages``),
    #: rendered in each reader's language; ``summary`` keeps the text in the
    #: service's language, and is all that events written before keys have.
    summary_key = models.CharField(max_length=300, blank=True, default="")
    summary_params = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, default="system")
    request_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    emergency = models.BooleanField(default=False)
    #: The hash chain (hearth.core.audit_chain): the hash of the event written
    #: just before this one in this database, and SHA-256 over this event's
    #: content and that previous hash. Set when the event is saved.
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["patient_id", "-occurred_at"], name="audit_patient_time"),
            # A patient's events of one kind, newest first (the latest review,
            # the latest list served).
            models.Index(
                fields=["patient_id", "event_type", "-occurred_at"], name="audit_patient_type_time"
            ),
            # The record's timeline: the latest 50 writes without stepping over
            # the reads and lists, which are most of a busy patient's events.
            models.Index(
                fields=["patient_id", "-occurred_at", "-id"],
                condition=~models.Q(action__in=READ_ACTIONS),
                name="audit_patient_writes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # Sealed and inserted in one transaction, under the chain's lock, even
        # when the caller is not in a transaction of its own.
        with transaction.atomic(using=using):
            audit_chain.seal([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def summary_text(self) -> str:
        """The summary in the reader's (active) language; the stored text when
        the event has no key (written before keys) or the key cannot be rendered."""
        return messages.render(self.summary_key, self.summary_params, fallback=self.summary)

    @property
    def actor_shown(self) -> str:
        """Who did it, in words: the stored codes for no person ("system",
        "anonymous", see ``audit._actor_label``) in the reader's language."""
        labels = {"system": _("Hearth (automatic)"), "anonymous": _("someone not signed in")}
        return str(labels.get(self.actor_label, self.actor_label))

    @property
    def channel_label(self) -> str:
        """Where the event came from, in words (the stored channel is a code)."""
        labels = {"web": _("web page"), "api": _("app or API"), "system": _("the system")}
        return str(labels.get(self.channel, self.channel))

    @property
    def event_label(self) -> str:
        """What the event type means, from the catalogue, for people reading the trail;
        the stored type itself if the catalogue does not know it."""
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return self.event_type


class IdempotencyKey(models.Model):
    """A client's one-time key for a write that must never happen twice (a dose
    given, sent again by a phone that lost its connection).

    The row is committed *before* the work starts, so a retry that arrives
    while the first attempt is still running sees ``in_flight`` and is told to
    wait (409) instead of doing the work a second time. ``fingerprint`` is the
    hash of the request body: the same key with a different body is refused.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "in flight"
        DONE = "done", "done"

    actor = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_FLIGHT)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result_type = models.CharField(max_length=80, blank=True)
    result_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "scope", "key"], name="one_use_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.state})"
