"""Growing waits after failed sign-ins, per (account, address) and per address.

Why not lock the account: a lock by username alone lets anyone who knows a
colleague's username lock her out from anywhere, five wrong passwords at a
time (issue 18). Here failures are counted twice:

- per account *and* client address: a person guessing one account from one
  place waits 1 minute after ``HEARTH_SIGN_IN_FREE_FAILURES`` failures, then 2,
  4, 8... up to ``HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS``; the same account signs
  in from any other address as usual;
- per address, whatever the account: an address that fails
  ``HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES`` times (guessing many usernames, or
  bad API tokens) waits the same growing way.

Why not django-axes: allauth already owns the sign-in, its MFA step and its
messages, and gives two hooks for exactly this (``pre_authenticate`` and
``authentication_failed`` on the account adapter). axes would add a second
authentication backend, middleware and tables, its own client-address
detection (which must agree with ``hearth.core.middleware.client_ip``), and a
fixed cool-off: growing waits need a callable re-reading its attempt table.
The whole of this module is a counter and a deadline per key.

State lives in Django's cache: the database cache in production (shared by
every process), the local-memory cache in development and tests. A failure
count is forgotten after ``HEARTH_SIGN_IN_FORGET_AFTER_SECONDS`` of quiet, and
the account key is cleared by a complete sign-in (password and, where it
applies, MFA) from that address.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hearth.core import clock

_PREFIX = "hearth:sign-in:"


@dataclass(frozen=True)
class Wait:
    """A refusal: no attempt is checked before ``until``."""

    until: datetime

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.until - clock.now()).total_seconds()))

    def message(self) -> str:
        local = timezone.localtime(self.until)
        return _(
            "Too many failed sign-in attempts. Try again after %(time)s "
            "(in about %(minutes)d minutes)."
        ) % {
            "time": formats.time_format(local, "H:i"),
            "minutes": max(1, math.ceil(self.seconds / 60)),
        }


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"{_PREFIX}{kind}:{digest}"


def _account_key(username: str, address: str | None) -> str:
    return _key("account", username.strip().lower(), address or "unknown")


def _address_key(address: str | None) -> str:
    return _key("address", address or "unknown")


def wait_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures, ``free`` of them allowed without wait."""
    if failures < free:
        return 0
    first = int(settings.HEARTH_SIGN_IN_FIRST_WAIT_SECONDS)
    longest = int(settings.HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS)
    exponent = min(failures - free, 30)
    return int(min(first * 2**exponent, longest))


def _until(key: str) -> float:
    state = cache.get(key) or {}
    return float(state.get("until", 0.0))


def _wait(keys: list[str]) -> Wait | None:
    now = clock.now().timestamp()
    until = max(_until(key) for key in keys)
    if until <= now:
        return None
    return Wait(until=datetime.fromtimestamp(until, tz=timezone.get_current_timezone()))


def wait_for_account(username: str, address: str | None) -> Wait | None:
    """The wait before ``username`` may try again from ``address``, or None."""
    return _wait([_account_key(username, address), _address_key(address)])


def wait_for_address(address: str | None) -> Wait | None:
    """The wait before anything may be tried again from ``address``, or None."""
    return _wait([_address_key(address)])


def _count(key: str, free: int) -> None:
    now = clock.now().timestamp()
    state = cache.get(key) or {"failures": 0, "until": 0.0}
    failures = int(state.get("failures", 0)) + 1
    delay = wait_after(failures, free)
    cache.set(
        key,
        {"failures": failures, "until": now + delay if delay else 0.0},
        timeout=int(settings.HEARTH_SIGN_IN_FORGET_AFTER_SECONDS),
    )


def register_account_failure(username: str, address: str | None) -> None:
    """A wrong password or code for ``username`` from ``address``."""
    _count(_account_key(username, address), int(settings.HEARTH_SIGN_IN_FREE_FAILURES))
    register_address_failure(address)


def register_address_failure(address: str | None) -> None:
    """A refusal from ``address`` that names no account (e.g. a bad API token)."""
    _count(_address_key(address), int(settings.HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES))


def forget_account(username: str, address: str | None) -> None:
    """A complete sign-in: this account's count from this address starts again."""
    cache.delete(_account_key(username, address))
