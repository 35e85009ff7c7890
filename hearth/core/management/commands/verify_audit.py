"""Check the audit trail's hash chain and name the first broken link.

    manage.py verify_audit [--database default] [--chunk-size 5000] [--expect ID:HASH ...]

Exit code 0 when every event still matches its hash and links to the one
before it; 1 at the first event that does not, with what is wrong there
(altered content, a missing row, an inserted row). ``--expect`` takes anchors
written down earlier (the worker logs the head each time it checks): the event
must still be there with that hash, which catches a chain recomputed from
scratch or the newest events removed. See ``hearth.core.audit_chain``.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from hearth.core import audit_chain

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.match(value.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not ID:HASH (an event id, a colon, 64 hexadecimal digits)."
        )
    return int(match.group(1)), match.group(2)


def chunk_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number.") from None
    if not 1 <= size <= 100_000:
        raise argparse.ArgumentTypeError("The chunk size must be between 1 and 100000.")
    return size


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit code 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")
        parser.add_argument(
            "--chunk-size",
            type=chunk_size,
            default=5000,
            help="Events read per round trip (default: 5000).",
        )
        parser.add_argument(
            "--expect",
            type=anchor,
            action="append",
            default=[],
            metavar="ID:HASH",
            help="An event id and hash written down earlier that must still hold (repeatable).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_chain.verify(
            using=options["database"],
            chunk_size=options["chunk_size"],
            expect=options["expect"],
        )
        if result.broken is not None:
            after = (
                f" after event {result.broken.previous_event_id}"
                if result.broken.previous_event_id is not None
                else " at the start of the chain"
            )
            raise CommandError(
                f"Audit trail broken at {result.broken}. {result.checked} events checked "
                f"and intact{after}.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit trail intact: {result.checked} events; head {result.head_id} {result.head_hash}"
        )
