"""One-time keys for writes that must happen at most once.

docs/clinical-reference.md (medicines): the same key with the same body replays the stored
answer; the same key with a different body is refused (422 ``idempotency_key_reused``);
a retry while the first attempt is still running is told to wait (409 ``in_flight``).
Every idempotent write (a dose, a check-in, an assessment) goes through this one
helper, so the codes and the comparison of the *whole* body are the same everywhere.

The claim lives and dies with the work's transaction: the key's row is
inserted in the same transaction as the work, so a request that dies (a
crash, a refusal, a killed worker) takes its claim with it and the retry runs
at once, instead of waiting minutes for a lease to run out. Usage, inside the
transaction that does the work::

    with transaction.atomic():
        claim = idempotency.claim(actor=..., scope=..., key=..., body=...)
        if claim.replay is not None:
            return claim.replay
        result = ...
        claim.done(result)

While a first attempt runs, a retry on PostgreSQL finds the key's advisory
lock taken and is answered ``in_flight`` at once; on SQLite writers are
serialised (IMMEDIATE transactions), so the retry waits its turn and then
replays the answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from hearth.core import clock
from hearth.core.audit import _jsonable
from hearth.core.errors import Conflict, ValidationFailed
from hearth.core.models import IdempotencyKey

#: The one refusal of a key used for a different request, for every endpoint.
KEY_REUSED = "idempotency_key_reused"
#: The one answer to a retry while the first attempt is still running.
IN_FLIGHT = "in_flight"


@dataclass
class Claim:
    """Either ``replay`` (the object the first request made) or a fresh
    ``record`` this request now owns and settles with ``done``."""

    record: IdempotencyKey | None = None
    replay: Any = None

    def done(self, result: models.Model) -> None:
        """Store what a retry will be answered with, in the work's transaction."""
        record = self.record
        assert record is not None, "done() on a replayed claim"
        record.state = IdempotencyKey.State.DONE
        record.finished_at = clock.now()
        record.result_type = result._meta.label
        record.result_id = result.pk
        record.save(update_fields=["state", "finished_at", "result_type", "result_id"])


def fingerprint(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(_jsonable(dict(body)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def reused() -> ValidationFailed:
    return ValidationFailed(
        _("This idempotency key was already used for a different request."),
        code=KEY_REUSED,
        field_errors={"idempotency_key": [_("Already used for a different request.")]},
    )


def in_flight() -> Conflict:
    return Conflict(
        _("This is still being saved from your first attempt. Wait a moment and look again."),
        code=IN_FLIGHT,
    )


def _check_key(key: str) -> None:
    """A key is required and bounded (the column is 80 characters)."""
    if not key or len(key) > 80:
        raise ValidationFailed(
            _("Send a one-time idempotency key (1-80 characters) so a retry is not saved twice."),
            field_errors={"idempotency_key": [_("Required, 1 to 80 characters.")]},
        )


def _resolve(record: IdempotencyKey) -> Any:
    model = apps.get_model(record.result_type)
    found = model._default_manager.get(pk=record.result_id)
    found.replayed = True
    return found


def _advisory_lock_id(actor_id: int | None, scope: str, key: str) -> int:
    digest = hashlib.sha256(f"{actor_id}:{scope}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_the_key(actor_id: int | None, scope: str, key: str) -> None:
    """Hold the key for the rest of this transaction, or say a first attempt
    holds it. PostgreSQL only: SQLite's IMMEDIATE transactions already let one
    writer in at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s)", [_advisory_lock_id(actor_id, scope, key)]
        )
        (taken,) = cursor.fetchone()
    if not taken:
        raise in_flight()


def claim(*, actor: Any, scope: str, key: str, body: Mapping[str, Any]) -> Claim:
    """Claim ``key`` for this request inside the caller's transaction.

    A key already done answers with its replay (same body) or ``idempotency_key_reused``
    (any difference in the body). A row left ``in_flight`` by the design before
    claims died with their transaction is a dead attempt: it is taken over."""
    if not connection.in_atomic_block:
        raise RuntimeError("idempotency.claim() must run inside the work's transaction")
    _check_key(key)
    print_ = fingerprint(body)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    _lock_the_key(actor_id, scope, key)
    record = (
        IdempotencyKey.objects.select_for_update()
        .filter(actor_id=actor_id, scope=scope, key=key)
        .first()
    )
    if record is None:
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    actor_id=actor_id,
                    scope=scope,
                    key=key,
                    fingerprint=print_,
                    started_at=clock.now(),
                )
        except IntegrityError as error:  # a first attempt committed between the read and here
            raise in_flight() from error
        return Claim(record=record)
    if record.fingerprint != print_:
        raise reused()
    if record.state == IdempotencyKey.State.DONE:
        return Claim(replay=_resolve(record))
    record.started_at = clock.now()
    record.save(update_fields=["started_at"])
    return Claim(record=record)


def prune_expired(now: datetime | None = None) -> int:
    """Forget one-time keys first used more than ``HEARTH_IDEMPOTENCY_KEEP_HOURS``
    ago (a periodic job of the worker). A retry comes within minutes of the
    first attempt; a key kept longer is only a row. Returns how many."""
    cutoff = (now or clock.now()) - timedelta(hours=settings.HEARTH_IDEMPOTENCY_KEEP_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(started_at__lt=cutoff).delete()
    return deleted
