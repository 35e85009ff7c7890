"""One-time keys for writes that must happen at most once.

docs/clinical-reference.md (medicines): the same key with the same body replays the stored
answer; the same key with a different body is refused (422); a retry while the
first attempt is still running is told to wait (409).

Usage, from a service that is *not* itself wrapped in a transaction (the claim
has to be visible to other connections before the work starts)::

    claim = idempotency.claim(actor=..., scope=..., key=..., body=...)
    if claim.replay is not None:
        return claim.replay
    with idempotency.settled(claim) as done:
        with transaction.atomic():
            result = ...
            done(result)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from hearth.core import clock
from hearth.core.audit import _jsonable
from hearth.core.errors import Conflict, ValidationFailed
from hearth.core.models import IdempotencyKey


@dataclass
class Claim:
    """Either ``replay`` (the object the first request made) or a fresh
    ``record`` this request now owns."""

    record: IdempotencyKey | None = None
    replay: Any = None


def fingerprint(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(_jsonable(dict(body)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stale_after() -> timedelta:
    return timedelta(seconds=settings.HEARTH_IDEMPOTENCY_IN_FLIGHT_SECONDS)


def _resolve(record: IdempotencyKey) -> Any:
    model = apps.get_model(record.result_type)
    found = model._default_manager.get(pk=record.result_id)
    found.replayed = True
    return found


def _judge(record: IdempotencyKey, print_: str) -> Claim | None:
    """What an existing key means for this request; ``None`` = take it over."""
    if record.fingerprint != print_:
        raise ValidationFailed(
            _("This idempotency key was already used for a different request."),
            code="idempotency_key_reused",
            field_errors={"idempotency_key": [_("Already used for a different request.")]},
        )
    if record.state == IdempotencyKey.State.DONE:
        return Claim(replay=_resolve(record))
    if record.started_at < clock.now() - _stale_after():
        return None  # the first attempt died half-way: this one may try again
    raise Conflict(
        _("This is still being saved from your first attempt. Wait a moment and look again."),
        code="in_flight",
    )


def claim(*, actor: Any, scope: str, key: str, body: Mapping[str, Any]) -> Claim:
    if not key or len(key) > 80:
        raise ValidationFailed(
            _("Send a one-time idempotency key (1-80 characters) so a retry is not saved twice."),
            field_errors={"idempotency_key": [_("Required, 1 to 80 characters.")]},
        )
    print_ = fingerprint(body)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                record = (
                    IdempotencyKey.objects.select_for_update()
                    .filter(actor_id=actor_id, scope=scope, key=key)
                    .first()
                )
                if record is not None:
                    verdict = _judge(record, print_)
                    if verdict is not None:
                        return verdict
                    record.started_at = clock.now()
                    record.save(update_fields=["started_at"])
                    return Claim(record=record)
                return Claim(
                    record=IdempotencyKey.objects.create(
                        actor_id=actor_id,
                        scope=scope,
                        key=key,
                        fingerprint=print_,
                        started_at=clock.now(),
                    )
                )
        except IntegrityError:
            continue  # another request claimed it between our read and insert: judge theirs
    raise Conflict(_("This is still being saved from your first attempt."), code="in_flight")


@contextmanager
def settled(claimed: Claim) -> Iterator[Callable[[models.Model], None]]:
    """Run the work; ``done(result)`` (inside the work's transaction) stores what
    to replay. If the work fails, the key is released so a corrected retry can
    run: a refusal writes nothing, the key included."""
    record = claimed.record
    assert record is not None

    def done(result: models.Model) -> None:
        record.state = IdempotencyKey.State.DONE
        record.finished_at = clock.now()
        record.result_type = result._meta.label
        record.result_id = result.pk
        record.save(update_fields=["state", "finished_at", "result_type", "result_id"])

    try:
        yield done
    except BaseException:
        with transaction.atomic():
            IdempotencyKey.objects.filter(
                pk=record.pk, state=IdempotencyKey.State.IN_FLIGHT
            ).delete()
        raise


def prune_expired(now: datetime | None = None) -> int:
    """Forget one-time keys first used more than ``HEARTH_IDEMPOTENCY_KEEP_DAYS``
    ago (a periodic job of the worker). A retry comes within minutes of the
    first attempt; a key kept for days is only a row. Returns how many."""
    cutoff = (now or clock.now()) - timedelta(days=settings.HEARTH_IDEMPOTENCY_KEEP_DAYS)
    deleted, _by_model = IdempotencyKey.objects.filter(started_at__lt=cutoff).delete()
    return deleted
