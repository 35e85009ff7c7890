"""Travel providers. OSRM is exercised against a fake server on loopback (a
``http.server`` in a thread answering like OSRM's table service): no real OSRM
can run here."""

from __future__ import annotations

import json
import random
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hearth.routing.problem import Place
from hearth.routing.travel import (
    Matrix,
    OsrmTable,
    StraightLine,
    TravelTimesUnavailable,
    haversine_metres,
)

HOME = Place("home", 51.5000, -0.1200)
NORTH = Place("north", 51.5100, -0.1200)  # 0.01° of latitude due north


def test_haversine_of_a_hundredth_of_a_degree_of_latitude() -> None:
    # R × Δφ = 6,371,008.8 m × 0.01 × π / 180 = 1,111.95 m
    assert haversine_metres(HOME, NORTH) == pytest.approx(1111.95, abs=0.01)


def test_straight_line_numbers_by_hand() -> None:
    # 1,111.95 m × 1.3 = 1,445.5 m, rounded 1,446 m;
    # at 30 km/h (8.333 m/s): 1,445.5 / 8.333 = 173.5 s, rounded 173 s.
    durations, distances = StraightLine().matrix([HOME, NORTH])
    assert distances == [[0, 1446], [1446, 0]]
    assert durations == [[0, 173], [173, 0]]


def test_straight_line_settings_and_units() -> None:
    # Road factor 2 and 60 km/h: 2,223.9 m at 16.667 m/s = 133.4 s = 2.2 min -> 2.
    durations, distances = StraightLine(
        road_factor=2.0, average_speed_kmh=60.0, seconds_per_unit=60
    ).matrix([HOME, NORTH])
    assert distances[0][1] == 2224
    assert durations[0][1] == 2


def test_straight_line_same_key_is_the_same_spot() -> None:
    moved_pin = Place("home", 51.6, -0.2)  # same key, different coordinates
    durations, distances = StraightLine().matrix([HOME, moved_pin, NORTH])
    assert durations[0][1] == durations[1][0] == 0
    assert distances[0][1] == 0
    assert durations[1][2] == durations[0][2] == 173


def test_straight_line_matrix_is_haversine_pair_by_pair() -> None:
    """The whole-matrix computation gives, for every pair, what
    ``haversine_metres`` gives for that pair, rounded as ``round`` does."""
    rng = random.Random(21)
    places = [
        Place(f"p{n}", 51.5 + rng.uniform(-0.2, 0.2), -0.12 + rng.uniform(-0.3, 0.3))
        for n in range(60)
    ]
    line = StraightLine(road_factor=1.37, average_speed_kmh=27.5)
    durations, distances = line.matrix(places)
    metres_per_second = 27.5 * 1000 / 3600
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            road = haversine_metres(a, b) * 1.37
            assert distances[i][j] == round(road)
            assert durations[i][j] == round(road / metres_per_second)


def test_straight_line_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        StraightLine(average_speed_kmh=0)


def test_matrix_looks_up_by_key_and_zeroes_same_key() -> None:
    travel = Matrix(
        durations=[[0, 7, 9], [8, 0, 4], [9, 5, 0]],
        distances=[[0, 70, 90], [80, 0, 40], [90, 50, 0]],
        index_by_key={"a": 0, "b": 1, "c": 2},
    )
    a, b, c = (Place(key, 0.0, 0.0) for key in "abc")
    durations, distances = travel.matrix([c, a, b, a])
    assert durations == [[0, 9, 5, 9], [9, 0, 7, 0], [4, 8, 0, 8], [9, 0, 7, 0]]
    assert distances[1][2] == 70
    with pytest.raises(TravelTimesUnavailable):
        travel.matrix([Place("elsewhere", 0.0, 0.0)])


# --- OSRM against a fake server -----------------------------------------------------


class FakeOsrm:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.status = 200
        self.answer: dict[str, Any] = {}


@pytest.fixture
def osrm() -> Iterator[tuple[FakeOsrm, str]]:
    fake = FakeOsrm()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.paths.append(self.path)
            body = json.dumps(fake.answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_osrm_table_asks_lon_lat_and_reads_the_answer(osrm: tuple[FakeOsrm, str]) -> None:
    fake, url = osrm
    fake.answer = {
        "code": "Ok",
        "durations": [[0, 301.4], [298.6, 0]],
        "distances": [[0, 2500.2], [2490.0, 0]],
    }
    same_spot = Place("home", 51.5, -0.12)
    durations, distances = OsrmTable(url + "/", profile="car").matrix([HOME, NORTH, same_spot])
    assert durations == [[0, 301, 0], [299, 0, 299], [0, 301, 0]]
    assert distances == [[0, 2500, 0], [2490, 0, 2490], [0, 2500, 0]]
    # One request, each spot once, longitude first, both annotations asked for.
    assert fake.paths == [
        "/table/v1/car/-0.120000,51.500000;-0.120000,51.510000?annotations=duration,distance"
    ]


def test_osrm_table_converts_to_the_problem_unit(osrm: tuple[FakeOsrm, str]) -> None:
    fake, url = osrm
    fake.answer = {"code": "Ok", "durations": [[0, 600], [660, 0]], "distances": [[0, 1], [1, 0]]}
    durations, _ = OsrmTable(url, seconds_per_unit=60).matrix([HOME, NORTH])
    assert durations == [[0, 10], [11, 0]]


def test_osrm_error_code_is_unavailable(osrm: tuple[FakeOsrm, str]) -> None:
    fake, url = osrm
    fake.status = 400
    fake.answer = {"code": "InvalidQuery", "message": "Query string malformed"}
    with pytest.raises(TravelTimesUnavailable, match="InvalidQuery"):
        OsrmTable(url).matrix([HOME, NORTH])
    fake.status = 200
    fake.answer = {"code": "NoTable", "message": "no table"}
    with pytest.raises(TravelTimesUnavailable, match="NoTable"):
        OsrmTable(url).matrix([HOME, NORTH])


def test_osrm_no_road_is_unavailable(osrm: tuple[FakeOsrm, str]) -> None:
    fake, url = osrm
    fake.answer = {"code": "Ok", "durations": [[0, None], [5, 0]], "distances": [[0, 1], [1, 0]]}
    with pytest.raises(TravelTimesUnavailable, match="no road from home to north"):
        OsrmTable(url).matrix([HOME, NORTH])


def test_osrm_unreachable_server_is_unavailable() -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TravelTimesUnavailable, match="could not be reached"):
        OsrmTable(f"http://127.0.0.1:{port}", timeout=2).matrix([HOME, NORTH])


def test_osrm_needs_no_server_for_one_spot() -> None:
    assert OsrmTable("http://127.0.0.1:9").matrix([HOME, HOME]) == ([[0, 0], [0, 0]],) * 2
