"""Make the service's Web Push (VAPID) key pair.

    manage.py generate_vapid_keys [--directory var]

Writes ``vapid-private-key`` (mode 600) and ``vapid-public-key`` in the
directory unless they are there already, so running it again keeps the keys
phones have subscribed with. Point HEARTH_VAPID_PRIVATE_KEY_FILE and
HEARTH_VAPID_PUBLIC_KEY_FILE at them (``make run`` does). New keys mean every
phone must subscribe again.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from py_vapid import Vapid02


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key_pair() -> tuple[str, str]:
    """(private, public), base64url: the raw 32-byte private value pywebpush
    reads, and the uncompressed public point browsers take as
    ``applicationServerKey``."""
    vapid = Vapid02()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _base64url(private), _base64url(public)


class Command(BaseCommand):
    help = "Write the service's Web Push (VAPID) key pair, unless it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", default=str(settings.VAR_DIR))

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        directory.mkdir(parents=True, exist_ok=True)
        private_path = directory / "vapid-private-key"
        public_path = directory / "vapid-public-key"
        if private_path.exists() and public_path.exists():
            self.stdout.write(f"VAPID keys kept: {private_path}, {public_path}")
            return
        private, public = new_key_pair()
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(private + "\n")
        public_path.write_text(public + "\n")
        self.stdout.write(f"VAPID keys written: {private_path}, {public_path}")
