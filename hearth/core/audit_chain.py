"""The audit trail's hash chain: tamper evidence that does not depend on triggers.

Triggers refuse UPDATE and DELETE on the audit table, but whoever can write to
the database file (SQLite) or act as the table's owner (PostgreSQL) can drop or
disable them, and nothing would show it afterwards. So every event carries
``hash``: SHA-256 over a canonical serialization of its content and of
``previous_hash``, the hash of the event written just before it in the same
database. Changing an event's content breaks its own hash; deleting an event
breaks the next event's ``previous_hash``; an event slipped in by hand matches
neither. ``manage.py verify_audit`` walks the chain and names the first broken
link.

The chain must be written in order, so every write takes one lock for the rest
of its transaction (PostgreSQL: ``pg_advisory_xact_lock``, which needs no
grant on any table, so the application's role keeps INSERT and SELECT only on
the audit table; SQLite: every write transaction starts ``IMMEDIATE``, which
already holds the database's single write lock, checked here rather than
assumed). Then it reads the hash of the last event, by id, and seals the new
events one after the other.

What the chain cannot prove on its own: that nobody recomputed every hash
after rewriting history, or removed the newest events (the tail has no event
after it to notice). The periodic verification logs the chain's head (id and
hash) so the log, kept outside the database, is an anchor: ``verify_audit
--expect ID:HASH`` checks that the event logged then still has that hash.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from hearth.core.models import AuditEvent

logger = logging.getLogger("hearth.audit")

#: The ``previous_hash`` of the first event in a database.
GENESIS = "0" * 64
#: Names the serialization, so a future change of it can be told apart.
SERIALIZATION = "hearth-audit-v1"
#: The PostgreSQL advisory lock that keeps the chain ordered (any constant,
#: unique among the application's advisory locks).
POSTGRES_CHAIN_LOCK = 0x48656172_74684175  # "HearthAu"

#: The content fields the hash covers, in this order. ``id`` is left out on
#: purpose: a bulk insert learns its ids only after the insert, and the order
#: of the chain is carried by ``previous_hash`` anyway.
HASHED_FIELDS: tuple[str, ...] = (
    "external_id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "event_type",
    "patient_id",
    "object_type",
    "object_id",
    "summary",
    "changes",
    "ip_address",
    "channel",
    "request_id",
    "purpose",
    "emergency",
)


def _canonical_json_value(value: Any) -> Any:
    """JSON as PostgreSQL's jsonb gives it back: integral floats and integers
    compare equal there (``1.0`` may come back as ``1``), so both are written as
    integers; other floats keep Python's shortest round-trip form."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(key): _canonical_json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical_json_value(item) for item in value]
    return str(value)


def _canonical_time(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        # As DateTimeField stores a naive value: in the default time zone.
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _canonical_address(value: Any) -> str:
    """The packed bytes, so ``2001:DB8::1`` and ``2001:db8::1`` (PostgreSQL's
    ``inet`` output) and every Python version's text form hash the same."""
    if not value:
        return ""
    try:
        return ipaddress.ip_address(str(value)).packed.hex()
    except ValueError:
        return str(value)


def canonical(event: Any) -> str:
    """The event's content, as the same text before it is saved and after it
    is read back from SQLite or PostgreSQL."""
    external_id = getattr(event, "external_id", None)
    patient_id = getattr(event, "patient_id", None)
    actor_id = getattr(event, "actor_id", None)
    content = {
        "external_id": str(uuid.UUID(str(external_id))) if external_id else "",
        "occurred_at": _canonical_time(getattr(event, "occurred_at", None)),
        "actor_id": int(actor_id) if actor_id is not None else None,
        "actor_label": str(event.actor_label or ""),
        "action": str(event.action or ""),
        "event_type": str(event.event_type or ""),
        "patient_id": int(patient_id) if patient_id is not None else None,
        "object_type": str(event.object_type or ""),
        "object_id": str(event.object_id or ""),
        "summary": str(event.summary or ""),
        # What JSONField stores: json.dumps of the value, read back.
        "changes": _canonical_json_value(json.loads(json.dumps(event.changes or {}))),
        "ip_address": _canonical_address(event.ip_address),
        "channel": str(event.channel or ""),
        "request_id": str(event.request_id or ""),
        "purpose": str(event.purpose or ""),
        "emergency": bool(event.emergency),
    }
    assert tuple(content) == HASHED_FIELDS
    # The summary's key and parameters (``hearth.core.messages``) are covered
    # too, but only when there is a key, so events written before keys existed
    # hash exactly as they did.
    key = str(getattr(event, "summary_key", "") or "")
    if key:
        content["summary_key"] = key
        content["summary_params"] = _canonical_json_value(
            json.loads(json.dumps(getattr(event, "summary_params", None) or {}))
        )
    return json.dumps(
        [SERIALIZATION, content], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def compute_hash(event: Any, previous_hash: str) -> str:
    """SHA-256 of the previous event's hash and this event's canonical content."""
    text = f"{previous_hash}\n{canonical(event)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lock_chain(using: str) -> None:
    """Hold the chain for the rest of the current transaction, so no other
    writer can read the same head and fork the chain."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "The audit chain is only extended inside a transaction."
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POSTGRES_CHAIN_LOCK])
    elif connection.vendor == "sqlite":
        # BEGIN IMMEDIATE took the one write lock of the database when the
        # outermost transaction started; a DEFERRED one would let two writers
        # read the same head, so refuse to run without it.
        mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        if str(mode or "").upper() not in ("IMMEDIATE", "EXCLUSIVE"):
            raise transaction.TransactionManagementError(
                "The audit chain needs SQLite's transaction_mode IMMEDIATE (see settings)."
            )


def head(using: str) -> tuple[int | None, str]:
    """The id and hash of the newest event (``None`` and ``GENESIS`` if none)."""
    from hearth.core.models import AuditEvent

    row = AuditEvent.objects.using(using).order_by("-id").values_list("id", "hash").first()
    if row is None:
        return None, GENESIS
    return row[0], row[1]


def seal(events: Sequence[AuditEvent], *, using: str) -> None:
    """Lock the chain and give each new event its ``previous_hash`` and ``hash``,
    in the order they will be inserted. Call inside the inserting transaction."""
    lock_chain(using)
    _, previous = head(using)
    for event in events:
        event.previous_hash = previous
        event.hash = compute_hash(event, previous)
        previous = event.hash


def write_database() -> str:
    from hearth.core.models import AuditEvent

    return router.db_for_write(AuditEvent)


@dataclass(frozen=True)
class BrokenLink:
    """The first place where the chain does not hold."""

    event_id: int
    problem: str
    previous_event_id: int | None

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.problem}"


@dataclass(frozen=True)
class Verification:
    checked: int
    head_id: int | None
    head_hash: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


_ROW_FIELDS = ("id", "previous_hash", "hash", *HASHED_FIELDS)


@dataclass
class _Row:
    """One stored event as ``values_list`` gives it: cheaper than model instances
    when a million of them are checked."""

    id: int
    previous_hash: str
    hash: str
    external_id: Any
    occurred_at: Any
    actor_id: Any
    actor_label: str
    action: str
    event_type: str
    patient_id: Any
    object_type: str
    object_id: str
    summary: str
    changes: Any
    ip_address: Any
    channel: str
    request_id: str
    purpose: str
    emergency: bool


def _rows(using: str, chunk_size: int) -> Iterator[_Row]:
    from hearth.core.models import AuditEvent

    queryset = AuditEvent.objects.using(using).order_by("id").values_list(*_ROW_FIELDS)
    for values in queryset.iterator(chunk_size=chunk_size):
        yield _Row(*values)


def verify(
    *,
    using: str | None = None,
    chunk_size: int = 5000,
    expect: Iterable[tuple[int, str]] = (),
) -> Verification:
    """Walk the chain in id order and stop at the first broken link.

    ``expect`` lists anchors (event id, hash) written down earlier, outside the
    database: each must still be there with that hash. The walk reads the rows
    in chunks, so its memory stays flat for a million events."""
    using = using or write_database()
    anchors = dict(expect)
    previous_hash = GENESIS
    previous_id: int | None = None
    checked = 0
    rows = _rows(using, chunk_size)
    pending: _Row | None = None
    while True:
        row = pending if pending is not None else next(rows, None)
        pending = None
        if row is None:
            break
        content_holds = compute_hash(row, row.previous_hash) == row.hash
        link_holds = row.previous_hash == previous_hash
        problem = ""
        if not content_holds and link_holds:
            problem = "altered content: the event no longer matches its hash"
        elif not content_holds:
            following = next(rows, None)
            pending = following
            if following is not None and following.previous_hash == previous_hash:
                problem = (
                    "inserted row: the event is not part of the chain (the next event "
                    f"{following.id} links to "
                    + (f"event {previous_id}" if previous_id else "the start")
                    + ")"
                )
            else:
                problem = (
                    "altered content or inserted row: the event matches neither "
                    "its hash nor the chain"
                )
        elif not link_holds:
            problem = (
                "missing row: previous_hash does not match the hash of "
                + (f"event {previous_id}" if previous_id else "the start of the chain")
                + " (an event before this one was deleted, or that event was rewritten)"
            )
        elif row.id in anchors and anchors[row.id] != row.hash:
            problem = "rewritten: the hash differs from the one written down for this event"
        if problem:
            return Verification(
                checked=checked,
                head_id=previous_id,
                head_hash=previous_hash,
                broken=BrokenLink(event_id=row.id, problem=problem, previous_event_id=previous_id),
            )
        anchors.pop(row.id, None)
        previous_hash = row.hash
        previous_id = row.id
        checked += 1
    if anchors:
        missing = min(anchors)
        return Verification(
            checked=checked,
            head_id=previous_id,
            head_hash=previous_hash,
            broken=BrokenLink(
                event_id=missing,
                problem="missing row: an event written down as an anchor is no longer there",
                previous_event_id=previous_id,
            ),
        )
    return Verification(checked=checked, head_id=previous_id, head_hash=previous_hash, broken=None)


def verify_periodically() -> None:
    """The worker's periodic check (``HEARTH_AUDIT_VERIFY_SECONDS``): an error in
    the log when the chain is broken, and the head in the log either way, as an
    anchor kept outside the database."""
    if not getattr(settings, "HEARTH_AUDIT_VERIFY_SECONDS", 0):
        return
    result = verify()
    if result.broken is not None:
        logger.error(
            "Audit trail tampered with: %s (checked %d events before it).",
            result.broken,
            result.checked,
        )
        return
    logger.info(
        "Audit trail intact: %d events, head %s %s.",
        result.checked,
        result.head_id,
        result.head_hash,
    )


__all__ = [
    "GENESIS",
    "BrokenLink",
    "Verification",
    "canonical",
    "compute_hash",
    "head",
    "lock_chain",
    "seal",
    "verify",
    "verify_periodically",
]
