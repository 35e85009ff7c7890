"""Checking a contact point before it is stored: an address nobody can be
reached at must be refused when it is typed, not discovered at 3 a.m.

Each check returns the address in the one form it is stored in (an e-mail
with its domain in lower case, a phone number in E.164) or raises
``ValidationFailed`` naming the field, so a page shows the words on the field
and the API returns them under ``errors``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from hearth.core.errors import ValidationFailed
from hearth.notifications.choices import Channel

#: A Web Push subscription's keys (RFC 8291): the browser's P-256 public key,
#: uncompressed (0x04, then x and y), and the 16-byte authentication secret.
P256DH_BYTES = 65
AUTH_BYTES = 16
#: Loopback push services accepted over plain HTTP, in development and tests only.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


def channel_available(channel: str) -> None:
    """A channel the service cannot send on is refused before anything is stored:
    a verified SMS number with no gateway would swallow every page."""
    if channel not in Channel.values:
        raise refused("channel", _("Choose e-mail, a text message or notifications on this phone."))
    if channel == Channel.SMS and not settings.HEARTH_NOTIFY_SMS_URL:
        raise refused(
            "channel",
            _(
                "This service has no text message (SMS) gateway set up. "
                "Choose e-mail or notifications on this phone."
            ),
        )
    if channel == Channel.PUSH and not (
        settings.HEARTH_VAPID_PUBLIC_KEY and settings.HEARTH_VAPID_PRIVATE_KEY
    ):
        raise refused(
            "channel",
            _(
                "Notifications on this phone are not set up on this service. "
                "Choose e-mail or a text message."
            ),
        )


def email_address(address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise refused(
            "address", _("Enter a whole e-mail address, such as name@example.org.")
        ) from error
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def accepted_regions() -> list[str]:
    return [region.upper() for region in settings.HEARTH_PHONE_REGIONS]


def regions_named() -> str:
    """ "GB (+44), IE (+353)": the regions this service's gateway reaches."""
    return ", ".join(
        f"{region} (+{phonenumbers.country_code_for_region(region)})"
        for region in accepted_regions()
    )


def phone_number(number: str) -> str:
    """The number in E.164 (+447700900123), from a region the service sends to.
    A number without its country code is read as one of the first region's."""
    regions = accepted_regions()
    try:
        parsed = phonenumbers.parse(number.strip(), regions[0] if regions else None)
    except phonenumbers.NumberParseException as error:
        raise refused(
            "address",
            _("This is not a phone number. Enter it with its country code, such as %(example)s.")
            % {"example": _example(regions)},
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise refused(
            "address",
            _("This phone number is not complete or not valid. Check it, e.g. %(example)s.")
            % {"example": _example(regions)},
        )
    region = phonenumbers.region_code_for_number(parsed)
    if region not in regions:
        raise refused(
            "address",
            _(
                "Phone numbers from %(region)s are not accepted here: this service sends "
                "text messages to numbers from %(regions)s only."
            )
            % {"region": region or _("that country"), "regions": regions_named()},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _example(regions: list[str]) -> str:
    example = phonenumbers.example_number_for_type(
        regions[0] if regions else "GB", phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "+44 7700 900123"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _loopback_allowed() -> bool:
    return bool(settings.DEBUG) or settings.HEARTH_ENV == "test"


def push_endpoint(endpoint: str) -> str:
    """The push service's URL the browser gave: HTTPS only (a loopback push
    service over HTTP in development and tests)."""
    endpoint = endpoint.strip()
    max_length = 1000
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if (
        parts is None
        or not host
        or len(endpoint) > max_length
        or any(character.isspace() or ord(character) < 0x20 for character in endpoint)
    ):
        raise refused("address", _("The phone gave no usable push address. Try again."))
    secure = parts.scheme == "https"
    loopback = parts.scheme == "http" and host in LOOPBACK_HOSTS and _loopback_allowed()
    if not (secure or loopback):
        raise refused("address", _("A push address must start with https://."))
    return endpoint


def label(text: str, limit: int) -> str:
    """A name the person gives a contact point, on one line."""
    text = (text or "").strip()
    if len(text) > limit:
        raise refused("label", _("Keep the name to %(limit)s characters.") % {"limit": limit})
    if any(ord(character) < 0x20 for character in text):
        raise refused("label", _("Keep the name on one line, without special characters."))
    return text


def _base64url(value: Any, field: str, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise refused(field, _("The phone did not send its %(name)s key.") % {"name": name})
    text = value.strip().rstrip("=")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise refused(
            field, _("The %(name)s key is not in base64url form.") % {"name": name}
        ) from error


def push_keys(keys: Mapping[str, Any] | None) -> dict[str, str]:
    """The subscription's keys, checked so a message can be encrypted for this
    phone (RFC 8291): ``p256dh`` a point on P-256, ``auth`` 16 bytes."""
    keys = keys or {}
    public = _base64url(keys.get("p256dh"), "keys.p256dh", "p256dh")
    if len(public) != P256DH_BYTES or public[0] != 0x04:
        raise refused(
            "keys.p256dh",
            _("The p256dh key must be an uncompressed P-256 public key (65 bytes)."),
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    except ValueError as error:
        raise refused("keys.p256dh", _("The p256dh key is not a point on P-256.")) from error
    secret = _base64url(keys.get("auth"), "keys.auth", "auth")
    if len(secret) != AUTH_BYTES:
        raise refused("keys.auth", _("The auth key must be 16 bytes."))

    def encoded(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    return {"p256dh": encoded(public), "auth": encoded(secret)}
