"""Finding a patient's address on the map (``HEARTH_GEOCODER_URL``).

Visits are planned and driven to by the coordinates on the record, so they
come from an address search the person confirms, not from digits typed by
hand. The search speaks Nominatim's JSON ``/search`` API (OpenStreetMap's own,
or any compatible server the service runs). Nothing is sent anywhere unless
the URL is set; without it the form asks for coordinates by hand.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import get_language

#: Matches offered at most; more is a list nobody reads on a phone.
MAX_PLACES = 5
#: Six decimal places: about 0.1 m, the precision the record stores.
PLACES = Decimal("0.000001")


class GeocoderUnavailable(Exception):
    """The search did not answer, or answered something that is not a list of places."""


@dataclass(frozen=True)
class Place:
    """One match: what the search called it and where it is."""

    label: str
    latitude: Decimal
    longitude: Decimal

    @property
    def value(self) -> str:
        """How a chosen place travels in a form: "latitude,longitude"."""
        return f"{self.latitude},{self.longitude}"


def is_configured() -> bool:
    return bool(settings.HEARTH_GEOCODER_URL)


def coordinates(latitude: object, longitude: object) -> tuple[Decimal, Decimal] | None:
    """Both numbers, rounded to the record's precision, or None if either is
    not a number on the globe (latitude -90…90, longitude -180…180)."""
    try:
        lat = Decimal(str(latitude)).quantize(PLACES)
        lon = Decimal(str(longitude)).quantize(PLACES)
    except (InvalidOperation, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def parse_value(value: str) -> tuple[Decimal, Decimal] | None:
    """Read back a chosen place's "latitude,longitude"."""
    latitude, comma, longitude = (value or "").partition(",")
    if not comma:
        return None
    return coordinates(latitude.strip(), longitude.strip())


def search(query: str) -> list[Place]:
    """The places the search finds for an address, best first (at most
    ``MAX_PLACES``). Raises ``GeocoderUnavailable`` when it cannot ask or the
    answer makes no sense, so the form can say so and offer the fallback."""
    url = settings.HEARTH_GEOCODER_URL
    if not url or not query.strip():
        return []
    params = {
        "q": query.strip(),
        "format": "jsonv2",
        "limit": str(MAX_PLACES),
        "accept-language": get_language() or settings.LANGUAGE_CODE,
    }
    countries = [code.lower() for code in settings.HEARTH_GEOCODER_COUNTRIES if code]
    if countries:
        params["countrycodes"] = ",".join(countries)
    if not url.startswith(("http://", "https://")):
        raise GeocoderUnavailable("HEARTH_GEOCODER_URL must be an http(s) URL")
    separator = "&" if "?" in url else "?"
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        f"{url}{separator}{urllib.parse.urlencode(params)}",
        headers={"User-Agent": settings.HEARTH_GEOCODER_USER_AGENT, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - the URL is the service's own setting
            request, timeout=settings.HEARTH_GEOCODER_TIMEOUT_SECONDS
        ) as response:
            answer = json.loads(response.read(1_000_000).decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError) as error:
        raise GeocoderUnavailable(str(error)) from error
    if not isinstance(answer, list):
        raise GeocoderUnavailable("the answer is not a list of places")
    places: list[Place] = []
    for item in answer:
        if not isinstance(item, dict):
            continue
        where = coordinates(item.get("lat"), item.get("lon"))
        label = str(item.get("display_name") or "").strip()
        if where is None or not label:
            continue
        places.append(Place(label=label[:300], latitude=where[0], longitude=where[1]))
        if len(places) == MAX_PLACES:
            break
    return places
