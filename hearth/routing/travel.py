"""Travel times between places, for the visit planner.

Three providers answer ``problem.TravelTimes``:

- ``StraightLine``: great-circle distance stretched by a road factor and driven
  at an average speed. Needs nothing outside Python, so planning still works
  when no routing server is configured; the factor and speed are local policy
  (settings), not facts.
- ``OsrmTable``: asks an OSRM server's table service for real road times. It
  is tested against a fake HTTP server in this repository's tests (a
  ``http.server`` in a thread answering like OSRM), because no real OSRM can
  run here; the request and response shapes follow OSRM's documented
  ``/table/v1`` API.
- ``Matrix``: precomputed matrices, for benchmarks and tests.

Every provider treats two places with the same ``key`` as the same spot: zero
time and zero distance between them, whatever their coordinates say.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hearth.routing.problem import Place

EARTH_RADIUS_METRES = 6_371_008.8  # mean radius (IUGG)


class TravelTimesUnavailable(RuntimeError):
    """Travel times could not be had (server down, bad answer, unknown place).
    The caller decides whether to fall back to ``StraightLine``."""


def haversine_metres(a: Place, b: Place) -> float:
    """Great-circle distance between two places, in metres."""
    lat1, lon1 = math.radians(a.latitude), math.radians(a.longitude)
    lat2, lon2 = math.radians(b.latitude), math.radians(b.longitude)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(h)))


def _unique_by_key(places: Sequence[Place]) -> tuple[list[Place], list[int]]:
    """The distinct places (first of each key) and, for every input place, the
    index of its distinct place: asking a provider once per spot keeps the
    same-key-is-zero rule in one place and the server's table small."""
    distinct: list[Place] = []
    index_of_key: dict[str, int] = {}
    position: list[int] = []
    for place in places:
        if place.key not in index_of_key:
            index_of_key[place.key] = len(distinct)
            distinct.append(place)
        position.append(index_of_key[place.key])
    return distinct, position


def _expand(table: Sequence[Sequence[int]], position: Sequence[int]) -> list[list[int]]:
    return [[0 if i == j else table[i][j] for j in position] for i in position]


@dataclass(frozen=True)
class StraightLine:
    """Haversine distance × ``road_factor`` at ``average_speed_kmh``.

    Durations are in the problem's time unit: seconds divided by
    ``seconds_per_unit`` (1 when the problem counts seconds, 60 for minutes),
    rounded to the nearest unit; distances are road-factored metres, rounded.
    """

    road_factor: float = 1.3
    average_speed_kmh: float = 30.0
    seconds_per_unit: float = 1

    def __post_init__(self) -> None:
        if self.road_factor <= 0 or self.average_speed_kmh <= 0 or self.seconds_per_unit <= 0:
            raise ValueError("road factor, speed and seconds per unit must be positive")

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        """Every pair at once with numpy (already the solver's): a day of 550
        visits is 300,000 pairs, about a second in a Python loop. Same formula
        and order of operations as ``haversine_metres``, rounded half to even
        like ``round``."""
        distinct, position = _unique_by_key(places)
        metres_per_unit = self.average_speed_kmh * 1000 / 3600 * self.seconds_per_unit
        latitudes = np.radians(np.array([p.latitude for p in distinct], dtype=np.float64))
        longitudes = np.radians(np.array([p.longitude for p in distinct], dtype=np.float64))
        cosines = np.cos(latitudes)
        h = (
            np.sin((latitudes[None, :] - latitudes[:, None]) / 2) ** 2
            + (cosines[:, None] * cosines[None, :])
            * np.sin((longitudes[None, :] - longitudes[:, None]) / 2) ** 2
        )
        road = 2 * EARTH_RADIUS_METRES * np.arcsin(np.minimum(1.0, np.sqrt(h))) * self.road_factor
        if len(distinct) != len(places):  # the same spot under several places
            index = np.array(position)
            road = road[np.ix_(index, index)]
        np.fill_diagonal(road, 0.0)
        durations = np.rint(road / metres_per_unit).astype(np.int64)
        distances = np.rint(road).astype(np.int64)
        return durations.tolist(), distances.tolist()


@dataclass(frozen=True)
class OsrmTable:
    """Road travel times from an OSRM server's table service.

    ``GET {base_url}/table/v1/{profile}/{lon,lat;...}?annotations=duration,distance``;
    OSRM answers seconds and metres. Raises ``TravelTimesUnavailable`` when the
    server cannot be reached, answers an error, or finds no road between two
    of the places (OSRM's ``null``): planning on made-up numbers would be worse
    than saying so.
    """

    base_url: str
    profile: str = "driving"
    timeout: float = 5
    seconds_per_unit: float = 1

    def url(self, places: Sequence[Place]) -> str:
        coordinates = ";".join(f"{p.longitude:.6f},{p.latitude:.6f}" for p in places)
        profile = urllib.parse.quote(self.profile, safe="")
        return (
            f"{self.base_url.rstrip('/')}/table/v1/{profile}/{coordinates}"
            "?annotations=duration,distance"
        )

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        distinct, position = _unique_by_key(places)
        if len(distinct) < 2:
            size = len(places)
            zeros = [[0] * size for _ in range(size)]
            return zeros, [row[:] for row in zeros]
        url = self.url(distinct)
        if not url.startswith(("http://", "https://")):
            raise TravelTimesUnavailable(f"OSRM base URL must be http(s): {self.base_url!r}")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            # The scheme is checked to be http(s) just above.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                body = response.read()
        except urllib.error.HTTPError as error:
            detail = _osrm_message(error.read())
            raise TravelTimesUnavailable(
                f"OSRM answered HTTP {error.code}{detail} for {len(distinct)} places"
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise TravelTimesUnavailable(f"OSRM could not be reached: {error}") from error
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise TravelTimesUnavailable("OSRM answered something that is not JSON") from error
        if not isinstance(answer, dict) or answer.get("code") != "Ok":
            code = answer.get("code") if isinstance(answer, dict) else None
            message = answer.get("message", "") if isinstance(answer, dict) else ""
            raise TravelTimesUnavailable(f"OSRM answered code {code!r}: {message}".rstrip(": "))
        durations = self._table(answer, "durations", distinct, 1 / self.seconds_per_unit)
        distances = self._table(answer, "distances", distinct, 1.0)
        return _expand(durations, position), _expand(distances, position)

    @staticmethod
    def _table(
        answer: Mapping[str, object], name: str, places: Sequence[Place], scale: float
    ) -> list[list[int]]:
        rows = answer.get(name)
        size = len(places)
        if not isinstance(rows, list) or len(rows) != size:
            raise TravelTimesUnavailable(f"OSRM answer has no {size}×{size} {name} table")
        table: list[list[int]] = []
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != size:
                raise TravelTimesUnavailable(f"OSRM answer has no {size}×{size} {name} table")
            values: list[int] = []
            for j, value in enumerate(row):
                if value is None:
                    raise TravelTimesUnavailable(
                        f"OSRM found no road from {places[i].key} to {places[j].key}"
                    )
                if not isinstance(value, int | float) or value < 0:
                    raise TravelTimesUnavailable(f"OSRM answered a bad {name} value {value!r}")
                values.append(round(value * scale))
            table.append(values)
        return table


def _osrm_message(body: bytes) -> str:
    try:
        answer = json.loads(body)
    except ValueError:
        return ""
    if isinstance(answer, dict) and answer.get("code"):
        return f" ({answer['code']}: {answer.get('message', '')})"
    return ""


@dataclass(frozen=True)
class Matrix:
    """Precomputed ``durations`` and ``distances``, indexed through
    ``index_by_key`` (Place.key → row/column)."""

    durations: Sequence[Sequence[int]]
    distances: Sequence[Sequence[int]]
    index_by_key: Mapping[str, int]

    def matrix(self, places: Sequence[Place]) -> tuple[list[list[int]], list[list[int]]]:
        try:
            rows = [self.index_by_key[place.key] for place in places]
        except KeyError as error:
            raise TravelTimesUnavailable(f"no travel times for place {error.args[0]!r}") from error
        keys = [place.key for place in places]
        durations = [
            [0 if keys[a] == keys[b] else int(self.durations[i][j]) for b, j in enumerate(rows)]
            for a, i in enumerate(rows)
        ]
        distances = [
            [0 if keys[a] == keys[b] else int(self.distances[i][j]) for b, j in enumerate(rows)]
            for a, i in enumerate(rows)
        ]
        return durations, distances
