"""Real receivers on loopback for the channels, started by the tests.

- :class:`SmtpSink`: an aiosmtpd SMTP server; Django's SMTP backend talks to it.
- :class:`HttpSink` as an SMS gateway: receives Apprise's generic JSON POST.
- :class:`PushSink`: a push service endpoint that decrypts each Web Push
  payload (RFC 8291, aes128gcm) with the subscription's own private key, the
  way the phone would, and checks the VAPID signature header is there.

Each can be told to fail (answer 503, or not answer) to prove retries and
fall-through. The fixtures point the settings at them for one test.
"""

from __future__ import annotations

import base64
import email
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from hearth.notifications.management.commands.generate_vapid_keys import new_key_pair


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, step: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(step)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- SMTP ----------------------------------------------------------------------


class SmtpSink:
    """Receives mail on 127.0.0.1; ``refuse_next(n)`` answers 451 to the next n."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.received_at: list[float] = []
        self._refuse = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self._refuse:
                self._refuse -= 1
                return "451 Try again later"
            message = email.message_from_bytes(envelope.content)
            message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
            self.messages.append(message)
            self.received_at.append(time.monotonic())
        return "250 OK"

    def refuse_next(self, count: int) -> None:
        self._refuse = count

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        wait_until(lambda: len(self.messages) >= count, timeout)
        return self.messages

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


# --- HTTP (SMS gateway, push service) ----------------------------------------------


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body)


class HttpSink:
    """An HTTP server on 127.0.0.1 recording every POST. ``answer_next(n, 503)``
    fails the next n requests; ``stall_next(n)`` holds them past any timeout."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._failures: list[int] = []
        self._stalls = 0
        self._lock = threading.Lock()
        self.stalled = threading.Event()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with sink._lock:
                    stall = sink._stalls > 0
                    if stall:
                        sink._stalls -= 1
                    status = sink._failures.pop(0) if sink._failures else None
                if stall:
                    sink.stalled.wait(30)
                    return
                if status is None:
                    status = sink.handle(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, path: str, headers: Any, body: bytes) -> int:
        parts = urlsplit(path)
        with self._lock:
            self.requests.append(
                Request(
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in headers.items()},
                    body,
                )
            )
        return 200

    def answer_next(self, count: int, status: int) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def stall_next(self, count: int) -> None:
        with self._lock:
            self._stalls += count

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Request]:
        wait_until(lambda: len(self.requests) >= count, timeout)
        return self.requests

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stalled.set()
        self.server.shutdown()
        self.server.server_close()


class SmsSink(HttpSink):
    """The SMS gateway: Apprise's generic JSON notification, the number and the
    message id as payload fields (``?:to={to}&:message_id={id}``)."""

    @property
    def apprise_url(self) -> str:
        return f"json://127.0.0.1:{self.port}/sms?:to={{to}}&:message_id={{id}}"

    def texts_to(self, number: str) -> list[dict[str, Any]]:
        return [r.json() for r in self.requests if r.json().get("to") == number]

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return [r.json() for r in self.requests]


@dataclass
class Subscription:
    """A phone's push subscription: the phone keeps the private key."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def keys(self) -> dict[str, str]:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}


class PushSink(HttpSink):
    """A push service: decrypts what it receives for the subscriptions it made."""

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions: dict[str, Subscription] = {}
        self.delivered: list[dict[str, Any]] = []
        self.vapid_private_key, self.vapid_public_key = new_key_pair()

    def signed_by_the_service(self, authorization: str) -> bool:
        """RFC 8292: ``vapid t=<JWT>, k=<public key>``; the JWT is ES256-signed
        with the service's private key and names this push service."""
        if not authorization.startswith("vapid "):
            return False
        fields = dict(part.strip().split("=", 1) for part in authorization[6:].split(","))
        if fields.get("k") != self.vapid_public_key:
            return False
        header, claims, signature = fields["t"].split(".")
        raw = unb64url(signature)
        der = utils.encode_dss_signature(
            int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        )
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), unb64url(self.vapid_public_key)
        )
        try:
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        audience = json.loads(unb64url(claims))["aud"]
        return bool(audience == f"http://127.0.0.1:{self.port}")

    def subscribe(self) -> Subscription:
        token = b64url(os.urandom(12))
        subscription = Subscription(
            endpoint=f"http://127.0.0.1:{self.port}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
        )
        self.subscriptions[token] = subscription
        return subscription

    def handle(self, path: str, headers: Any, body: bytes) -> int:
        token = path.rsplit("/", 1)[-1]
        subscription = self.subscriptions.get(token)
        if subscription is None:
            return 410
        if not self.signed_by_the_service(headers.get("Authorization", "")):
            return 401
        plain = http_ece.decrypt(
            body,
            private_key=subscription.private_key,
            auth_secret=subscription.auth_secret,
            version="aes128gcm",
        )
        super().handle(path, headers, body)
        with self._lock:
            self.delivered.append(json.loads(plain))
        return 201


# --- fixtures ------------------------------------------------------------------


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def sms_sink(settings: Any) -> Iterator[SmsSink]:
    sink = SmsSink().start()
    settings.HEARTH_NOTIFY_SMS_URL = sink.apprise_url
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def push_sink(settings: Any) -> Iterator[PushSink]:
    sink = PushSink().start()
    settings.HEARTH_VAPID_PRIVATE_KEY = sink.vapid_private_key
    settings.HEARTH_VAPID_PUBLIC_KEY = sink.vapid_public_key
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def quick_retries(settings: Any) -> None:
    """Retries after 0 s, so a test sees retry and fall-through in one pass."""
    settings.HEARTH_NOTIFY_RETRY_SECONDS = [0, 0]
    settings.HEARTH_NOTIFY_TIMEOUT_SECONDS = 1
