"""The home-device client of the ingest benchmarks: sets of vital signs a
minute apart, pre-encoded into batches, POSTed with each device's token by a
few client threads, each owning its devices (a batch locks its device row)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench.support.harness import BenchError

OBSERVATIONS_PATH = "/api/v1/observations"
SET_INTERVAL = dt.timedelta(minutes=1)  # one set of vital signs a minute per device
CODES_PER_SET = 8


@dataclass
class Device:
    patient_id: int
    device: Any
    token: str
    on_oxygen: bool = False
    batches: list[tuple[bytes, int]] = field(default_factory=list)
    rows: list[list[tuple[str, float, str, dt.datetime]]] = field(default_factory=list)


def vital_signs(rng: random.Random, on_oxygen: bool) -> list[tuple[str, float, str]]:
    """One set from a home monitor: mostly normal, now and then worrying."""
    spo2 = rng.randint(94, 99)
    pulse = rng.randint(62, 96)
    breathing = rng.randint(12, 19)
    temperature = round(rng.uniform(36.2, 37.6), 1)
    systolic = rng.randint(108, 142)
    diastolic = rng.randint(64, 88)
    roll = rng.random()
    if roll < 0.03:  # deteriorating: NEWS2 medium to high
        spo2 = rng.randint(86, 92)
        pulse = rng.randint(112, 135)
        breathing = rng.randint(22, 28)
        temperature = round(rng.uniform(38.1, 39.2), 1)
    elif roll < 0.08:  # one parameter a little off
        pulse = rng.randint(92, 110)
    fault = 1 if rng.random() < 0.005 else 0
    return [
        ("spo2", spo2, "%"),
        ("pulse", pulse, "/min"),
        ("respiratory_rate", breathing, "/min"),
        ("temperature", temperature, "Cel"),
        ("systolic_bp", systolic, "mm[Hg]"),
        ("diastolic_bp", diastolic, "mm[Hg]"),
        ("oxygen_flow", 2 if on_oxygen else 0, "L/min"),
        ("oxygen_concentrator_fault", fault, "{status}"),
    ]


def prepare_batches(
    devices: list[Device],
    *,
    readings_per_device: int,
    batch_size: int,
    seed: int = 2026,
    end: dt.datetime | None = None,
    microsecond_base: int = 0,
) -> None:
    """Each device's timeline of sets, one a minute, ending before ``end`` (now),
    cut into pre-encoded batches so the clients spend no time building JSON."""
    rng = random.Random(seed)
    sets_per_device = -(-readings_per_device // CODES_PER_SET)
    last = (end or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    start = last - SET_INTERVAL * (sets_per_device + 60)
    for number, device in enumerate(devices):
        flat: list[tuple[str, float, str, dt.datetime]] = []
        # Microseconds differ per device so no two devices share a timestamp,
        # and no reading falls on a whole second that stored data might hold.
        moment = start + dt.timedelta(microseconds=microsecond_base + number + 1)
        while len(flat) < readings_per_device:
            for code, value, unit in vital_signs(rng, device.on_oxygen):
                flat.append((code, value, unit, moment))
            moment += SET_INTERVAL
        for offset in range(0, readings_per_device, batch_size):
            rows = flat[offset : offset + batch_size]
            body = json.dumps(
                {
                    "readings": [
                        {
                            "code": code,
                            "value": value,
                            "unit": unit,
                            "observed_at": at.isoformat(timespec="microseconds"),
                        }
                        for code, value, unit, at in rows
                    ]
                }
            ).encode()
            device.batches.append((body, len(rows)))
            device.rows.append(rows)


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def post(connection: http.client.HTTPConnection, token: str, body: bytes) -> dict[str, Any]:
    connection.request("POST", OBSERVATIONS_PATH, body=body, headers=headers(token))
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise BenchError(f"POST {OBSERVATIONS_PATH} answered {response.status}: {data[:500]!r}")
    return json.loads(data)


def check_stored(answer: dict[str, Any], count: int) -> None:
    if answer.get("stored") != count:
        problems = [r for r in answer.get("results", []) if r.get("status") != "stored"][:3]
        raise BenchError(
            f"Sent {count} readings but {answer.get('stored')} were stored "
            f"({answer.get('duplicates')} duplicates, {answer.get('rejected')} refused): "
            f"{problems}"
        )


@dataclass
class Throughput:
    readings: int
    batches: int
    seconds: float
    warmup_readings: int
    batch_ms: list[float]
    devices: int = 0  # distinct devices that sent at least one timed batch

    @property
    def rate(self) -> float:
        return self.readings / self.seconds


def measure_throughput(
    port: int,
    devices: list[Device],
    *,
    batches_per_device: int,
    timed_seconds: float,
    client_threads: int = 2,
    warmup_devices: int | None = None,
) -> Throughput:
    """Warm-up: the first batch of the first ``warmup_devices`` devices (all by
    default); then every thread sends its own devices' other batches, batch
    index by batch index, until they are sent or ``timed_seconds`` pass."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    warmup = 0
    for device in devices[: len(devices) if warmup_devices is None else warmup_devices]:
        body, count = device.batches[0]
        answer = post(connection, device.token, body)
        check_stored(answer, count)
        warmup += count
    connection.close()

    queues: list[list[tuple[int, str, bytes, int]]] = []
    for thread in range(client_threads):
        own = devices[thread::client_threads]
        queue = [
            (id(device), device.token, *device.batches[index])
            for index in range(1, batches_per_device)
            for device in own
        ]
        queues.append(queue)
    sent = [0] * client_threads
    batches = [0] * client_threads
    touched: list[set[int]] = [set() for _thread in range(client_threads)]
    timings: list[list[float]] = [[] for _thread in range(client_threads)]
    failures: list[BaseException] = []
    start_gate = threading.Barrier(client_threads + 1)
    deadline_box: list[float] = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start_gate.wait()
        try:
            for key, token, body, count in queues[number]:
                if failures or time.perf_counter() >= deadline_box[0]:
                    break
                began = time.perf_counter()
                answer = post(connection, token, body)
                timings[number].append((time.perf_counter() - began) * 1000)
                check_stored(answer, count)
                sent[number] += count
                batches[number] += 1
                touched[number].add(key)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(number,), daemon=True)
        for number in range(client_threads)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + timed_seconds)
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise BenchError(f"A client failed: {failures[0]!r}") from failures[0]
    return Throughput(
        sum(sent),
        sum(batches),
        elapsed,
        warmup,
        [ms for own in timings for ms in own],
        devices=len(set().union(*touched)),
    )
