"""Ingest benchmark: home-device readings through the real HTTP API, on PostgreSQL.

Run from the repository root (``make bench`` does): ``python bench/ingest.py``.

1. Makes sure PostgreSQL answers on 127.0.0.1:5432, creates the ``hearth_bench``
   database if missing and migrates it.
2. Builds its fixture through the app's services: a coordinator and a nurse, fresh
   patients referred with ``refer_new_patient``, the nurse on each care team, and a
   device registered with ``register_device`` (so each run uses new devices and
   patients; readings left by earlier runs are deleted first).
3. Starts gunicorn (``hearth.wsgi:application``, 2 workers) on a free loopback port.
4. Throughput: 2 client threads POST batches of 500 readings (a realistic mix of
   vital signs, mostly normal; the alert rules run on every batch) to
   ``POST /api/v1/observations`` with each device's token.
5. Latency: POSTs a small abnormal batch (NEWS2 >= 7) and polls the database from
   this process until the alert row exists; the alert is resolved between samples.
6. Baseline: inserts the same number of rows with ``Observation.objects.bulk_create``
   (batches of 500) in this process, with the server stopped.
7. Prints a table and rewrites the ingest section of ``docs/performance.md``.

Exit status: 0 when the benchmark ran (a missed target prints MISSED), non-zero on
an error (PostgreSQL or the server not starting, a batch not stored in full).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.report import DOC, git_commit, write_section  # noqa: E402

DB_NAME = "hearth_bench"
DB_HOST = "127.0.0.1"
DB_PORT = 5432
DATABASE_URL = f"postgres://postgres@{DB_HOST}:{DB_PORT}/{DB_NAME}"
START_MARKER = "<!-- ingest:start -->"
END_MARKER = "<!-- ingest:end -->"

BATCH_SIZE = 500
CLIENT_THREADS = 2
SERVER_WORKERS = 2
DEVICES_PER_THREAD = 4
BATCHES_PER_DEVICE = 48  # upper bound; the timed phase also stops at TIMED_SECONDS
TIMED_SECONDS = 25.0
SET_INTERVAL = dt.timedelta(minutes=1)  # one set of vital signs a minute per device
LATENCY_SAMPLES = 150
LATENCY_WARMUP = 5
POLL_INTERVAL = 0.001
LATENCY_TIMEOUT = 5.0

TARGET_RATE = 5000.0  # readings/s through HTTP
TARGET_RATIO = 0.25  # HTTP rate / raw bulk_create rate
TARGET_P99_MS = 200.0

OBSERVATIONS_PATH = "/api/v1/observations"
#: NEWS2 10 (SpO2 3, pulse 3, breathing 3, temperature 1): high, for a patient on room air.
ABNORMAL_SET = (
    ("spo2", 85, "%"),
    ("pulse", 135, "/min"),
    ("respiratory_rate", 28, "/min"),
    ("temperature", 38.4, "Cel"),
    ("systolic_bp", 118, "mm[Hg]"),
)


class BenchError(Exception):
    """Something went wrong: the run is not a measurement."""


# --- PostgreSQL and Django ---------------------------------------------------


def ensure_postgres() -> None:
    def ready() -> bool:
        probe = ["pg_isready", "-q", "-h", DB_HOST, "-p", str(DB_PORT)]
        return subprocess.run(probe, check=False).returncode == 0

    if ready():
        return
    print("PostgreSQL is not answering; starting the cluster.")
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
        )
    for _attempt in range(60):
        if ready():
            return
        time.sleep(0.5)
    raise BenchError(f"PostgreSQL does not answer on {DB_HOST}:{DB_PORT}.")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(
        host=DB_HOST, port=DB_PORT, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)
        ).fetchone()
        if not exists:
            print(f"Creating database {DB_NAME}.")
            connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def configure_environment() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.settings"
    os.environ["HEARTH_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def migrate() -> None:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py migrate failed:\n{result.stdout}\n{result.stderr}")
    print(f"Migrated {DB_NAME} in {time.perf_counter() - started:.1f} s.")


# --- Fixture through the services --------------------------------------------


@dataclass
class Device:
    patient_id: int
    device: Any
    token: str
    on_oxygen: bool = False
    batches: list[tuple[bytes, int]] = field(default_factory=list)
    rows: list[list[tuple[str, float, str, dt.datetime]]] = field(default_factory=list)


@dataclass
class Fixture:
    nurse: Any
    coordinator: Any
    throughput: list[Device]
    latency: Device
    baseline_devices: list[Any]


def staff_user(username: str, discipline: str) -> Any:
    from hearth.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=uuid.uuid4().hex,
            kind="staff",
            discipline=discipline,
            first_name="Bench",
            last_name=discipline.title(),
        )
    return user


def clean_previous_runs() -> None:
    """Earlier runs' readings and open alerts go, so every run starts alike."""
    from django.db import connection

    from hearth.core import clock
    from hearth.monitoring.choices import OPEN_STATUSES
    from hearth.monitoring.models import Alert, Observation
    from hearth.patients.models import Patient

    bench_patients = list(
        Patient.objects.filter(record_number__startswith="BENCH-").values_list("pk", flat=True)
    )
    if not bench_patients:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Observation._meta.db_table} WHERE patient_id = ANY(%s)",
            [bench_patients],
        )
        deleted = cursor.rowcount
    Alert.objects.filter(patient_id__in=bench_patients, status__in=OPEN_STATUSES).update(
        status="resolved", resolved_at=clock.now(), resolution_note="Benchmark clean-up."
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Observation._meta.db_table}")
    print(f"Deleted {deleted} readings left by earlier runs.")


def refer_patient(coordinator: Any, nurse: Any, record_number: str, given: str) -> Any:
    from hearth.patients.models import CareTeamAssignment
    from hearth.patients.services import refer_new_patient

    episode = refer_new_patient(
        actor=coordinator,
        patient={
            "record_number": record_number,
            "given_name": given,
            "family_name": "Bench",
            "preferred_name": "",
            "date_of_birth": dt.date(1948, 3, 9),
            "sex": "female",
            "address_line": "1 Bench Street",
            "city": "London",
            "postal_code": "E1 1AA",
            "latitude": None,
            "longitude": None,
            "phone_primary": "+44 20 0000 0000",
            "phone_secondary": "",
            "preferred_language": "en",
            "interpreter_needed": False,
            "faith": "",
        },
        referral={
            "referrer_type": "gp",
            "referrer_name": "Dr Referrer",
            "referrer_organisation": "Surgery",
            "referrer_phone": "+44 20 1111 1111",
            "reason": "Benchmark patient.",
            "urgency": "soon",
        },
    )
    patient = episode.patient
    CareTeamAssignment.objects.create(
        patient=patient, staff=nurse, role="key_nurse", assigned_by=coordinator
    )
    return patient


def build_fixture() -> Fixture:
    from hearth.monitoring.services import register_device

    started = time.perf_counter()
    clean_previous_runs()
    coordinator = staff_user("bench.coordinator", "coordinator")
    nurse = staff_user("bench.nurse", "nurse")
    run = uuid.uuid4().hex[:8]
    throughput: list[Device] = []
    baseline_devices: list[Any] = []
    for number in range(CLIENT_THREADS * DEVICES_PER_THREAD):
        patient = refer_patient(coordinator, nurse, f"BENCH-{run}-{number:02d}", f"Ingest{number}")
        device, token = register_device(
            actor=nurse, patient=patient, kind="pulse_oximeter", label="Bench oximeter"
        )
        throughput.append(Device(patient.pk, device, token, on_oxygen=number % 2 == 1))
        baseline, _token = register_device(
            actor=nurse, patient=patient, kind="pulse_oximeter", label="Bench baseline"
        )
        baseline_devices.append(baseline)
    patient = refer_patient(coordinator, nurse, f"BENCH-{run}-LAT", "Latency")
    device, token = register_device(
        actor=nurse, patient=patient, kind="pulse_oximeter", label="Bench oximeter"
    )
    print(
        f"Fixture: {len(throughput) + 1} patients and devices through the services "
        f"in {time.perf_counter() - started:.1f} s."
    )
    return Fixture(
        nurse, coordinator, throughput, Device(patient.pk, device, token), baseline_devices
    )


# --- Readings ----------------------------------------------------------------


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


def prepare_batches(devices: list[Device], seed: int = 2026) -> None:
    """Each device's timeline of sets, one a minute, ending before now, cut into
    pre-encoded batches of 500 so the clients spend no time building JSON."""
    rng = random.Random(seed)
    readings_per_device = BATCHES_PER_DEVICE * BATCH_SIZE
    sets_per_device = -(-readings_per_device // 8)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - SET_INTERVAL * (sets_per_device + 60)
    for number, device in enumerate(devices):
        flat: list[tuple[str, float, str, dt.datetime]] = []
        # Microseconds differ per device so no two devices share a timestamp.
        moment = start + dt.timedelta(microseconds=number + 1)
        while len(flat) < readings_per_device:
            for code, value, unit in vital_signs(rng, device.on_oxygen):
                flat.append((code, value, unit, moment))
            moment += SET_INTERVAL
        for offset in range(0, readings_per_device, BATCH_SIZE):
            rows = flat[offset : offset + BATCH_SIZE]
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


# --- The server --------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "hearth.wsgi:application",
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(SERVER_WORKERS),
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    # No --access-logfile: gunicorn writes no access log unless asked.
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{tail(log_path)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise BenchError(f"gunicorn did not answer /health within 30 s:\n{tail(log_path)}")


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def post(connection: http.client.HTTPConnection, token: str, body: bytes) -> dict[str, Any]:
    connection.request("POST", OBSERVATIONS_PATH, body=body, headers=headers(token))
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise BenchError(f"POST {OBSERVATIONS_PATH} answered {response.status}: {data[:500]!r}")
    return json.loads(data)


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


# --- Throughput --------------------------------------------------------------


@dataclass
class Throughput:
    readings: int
    batches: int
    seconds: float
    warmup_readings: int
    batch_ms: list[float]

    @property
    def rate(self) -> float:
        return self.readings / self.seconds


def measure_throughput(port: int, devices: list[Device]) -> Throughput:
    # Warm-up: the first batch of every device (connections, caches, code paths).
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    warmup = 0
    for device in devices:
        body, count = device.batches[0]
        answer = post(connection, device.token, body)
        check_stored(answer, count)
        warmup += count
    connection.close()

    # Each client thread owns its devices, so no two threads wait on one device row.
    queues: list[list[tuple[str, bytes, int]]] = []
    for thread in range(CLIENT_THREADS):
        own = devices[thread::CLIENT_THREADS]
        queue = [
            (device.token, *device.batches[index])
            for index in range(1, BATCHES_PER_DEVICE)
            for device in own
        ]
        queues.append(queue)
    sent = [0] * CLIENT_THREADS
    batches = [0] * CLIENT_THREADS
    timings: list[list[float]] = [[] for _thread in range(CLIENT_THREADS)]
    failures: list[BaseException] = []
    start_gate = threading.Barrier(CLIENT_THREADS + 1)
    deadline_box: list[float] = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start_gate.wait()
        try:
            for token, body, count in queues[number]:
                if failures or time.perf_counter() >= deadline_box[0]:
                    break
                began = time.perf_counter()
                answer = post(connection, token, body)
                timings[number].append((time.perf_counter() - began) * 1000)
                check_stored(answer, count)
                sent[number] += count
                batches[number] += 1
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(number,), daemon=True)
        for number in range(CLIENT_THREADS)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + TIMED_SECONDS)
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise BenchError(f"A client failed: {failures[0]!r}") from failures[0]
    return Throughput(
        sum(sent), sum(batches), elapsed, warmup, [ms for own in timings for ms in own]
    )


def check_stored(answer: dict[str, Any], count: int) -> None:
    if answer.get("stored") != count:
        problems = [r for r in answer.get("results", []) if r.get("status") != "stored"][:3]
        raise BenchError(
            f"Sent {count} readings but {answer.get('stored')} were stored "
            f"({answer.get('duplicates')} duplicates, {answer.get('rejected')} refused): "
            f"{problems}"
        )


# --- Latency to the alert row --------------------------------------------------


def measure_latency(port: int, device: Device) -> list[float]:
    from django.db import connection as database

    from hearth.core import clock
    from hearth.monitoring.choices import OPEN_STATUSES, AlertRule
    from hearth.monitoring.models import Alert

    table = Alert._meta.db_table
    open_sql = (
        f"SELECT id FROM {table} WHERE patient_id = %s AND rule = %s AND status = ANY(%s) LIMIT 1"
    )
    parameters = [device.patient_id, str(AlertRule.NEWS2), [str(s) for s in OPEN_STATUSES]]
    total = LATENCY_WARMUP + LATENCY_SAMPLES
    first = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=total + 120)
    samples: list[float] = []
    http_connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cursor = database.cursor()
    try:
        for number in range(total):
            at = (first + dt.timedelta(seconds=number)).isoformat(timespec="microseconds")
            body = json.dumps(
                {
                    "readings": [
                        {"code": code, "value": value, "unit": unit, "observed_at": at}
                        for code, value, unit in ABNORMAL_SET
                    ]
                }
            ).encode()
            cursor.execute(open_sql, parameters)
            if cursor.fetchone() is not None:
                raise BenchError("An open NEWS2 alert is left before a latency sample.")
            began = time.perf_counter()
            http_connection.request(
                "POST", OBSERVATIONS_PATH, body=body, headers=headers(device.token)
            )
            alert_id = None
            while alert_id is None:
                cursor.execute(open_sql, parameters)
                row = cursor.fetchone()
                if row is not None:
                    alert_id = row[0]
                    break
                if time.perf_counter() - began > LATENCY_TIMEOUT:
                    raise BenchError(f"No NEWS2 alert within {LATENCY_TIMEOUT:.0f} s of the POST.")
                time.sleep(POLL_INTERVAL)
            elapsed = (time.perf_counter() - began) * 1000
            response = http_connection.getresponse()
            data = response.read()
            if response.status != 200:
                raise BenchError(f"Latency POST answered {response.status}: {data[:500]!r}")
            check_stored(json.loads(data), len(ABNORMAL_SET))
            # Measurement scaffolding: close the alert so the next sample raises a new one.
            Alert.objects.filter(pk=alert_id).update(
                status="resolved", resolved_at=clock.now(), resolution_note="Benchmark sample."
            )
            if number >= LATENCY_WARMUP:
                samples.append(elapsed)
    finally:
        cursor.close()
        http_connection.close()
    return samples


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- Baseline: the ORM's bulk_create in this process --------------------------


def measure_baseline(fixture: Fixture, rows_wanted: int) -> tuple[int, float]:
    """The same readings (same patients, values and times; the baseline devices)
    straight into the table with bulk_create, batches of 500, one thread."""
    from hearth.monitoring.models import Observation

    batches: list[tuple[Any, int, list[tuple[str, float, str, dt.datetime]]]] = []
    queued = 0
    for index in range(1, BATCHES_PER_DEVICE):
        for device, baseline in zip(fixture.throughput, fixture.baseline_devices, strict=True):
            if queued >= rows_wanted:
                break
            rows = device.rows[index]
            batches.append((baseline, device.patient_id, rows))
            queued += len(rows)
    inserted = 0
    began = time.perf_counter()
    for baseline, patient_id, rows in batches:
        now = dt.datetime.now(dt.UTC)
        objects = [
            Observation(
                patient_id=patient_id,
                device=baseline,
                code=code,
                value=float(value),
                unit=unit,
                observed_at=at,
                received_at=now,
            )
            for code, value, unit, at in rows
        ]
        Observation.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        inserted += len(objects)
    return inserted, time.perf_counter() - began


# --- Report --------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: str
    target: str
    passed: bool | None  # None: information, no target

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return ""
        return "pass" if self.passed else "MISSED"


def print_table(figures: list[Figure]) -> None:
    widths = [
        max(len(row) for row in column)
        for column in zip(
            *[("Figure", "Value", "Target", "Result")]
            + [(f.name, f.value, f.target, f.verdict) for f in figures],
            strict=True,
        )
    ]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    print()
    print(line(("Figure", "Value", "Target", "Result")))
    print(line(tuple("-" * width for width in widths)))
    for figure in figures:
        print(line((figure.name, figure.value, figure.target, figure.verdict)))
    print()


INTRO = """# Performance

Benchmarks live in `bench/` and run with `make bench` (each `bench/*.py` in turn).
They run against PostgreSQL (a `hearth_bench` database the script creates and
migrates) and build their data through the app's own services.

Figures are ratios against baselines measured in the same run where possible, so
they mean something on another machine; absolute figures are from the machine
named in each section (the reference machine has 2 CPU cores, with the server,
PostgreSQL and the benchmark client sharing them). Run them on an otherwise idle
machine: anything else using the cores shows in the figures. Each section is
rewritten by its benchmark between its `<!-- name:start -->` and
`<!-- name:end -->` markers; edit the text outside the markers only.
"""


def figures_table(figures: list[Figure]) -> list[str]:
    """The Markdown table every benchmark section ends with."""
    return [
        "| Figure | Value | Target | Result |",
        "|---|---|---|---|",
        *(f"| {f.name} | {f.value} | {f.target or '—'} | {f.verdict or '—'} |" for f in figures),
    ]


def update_doc(figures: list[Figure], details: dict[str, str]) -> None:
    lines = [
        START_MARKER,
        "## Ingest: home-device readings",
        "",
        "`bench/ingest.py` POSTs batches of 500 readings (sets of vital signs a minute apart, "
        "mostly normal, a few deteriorating or with a concentrator fault) to "
        "`POST /api/v1/observations` with each device's token, so the alert rules (NEWS2, "
        "oxygen equipment) run on every batch. The server is gunicorn with "
        f"{SERVER_WORKERS} sync workers; {CLIENT_THREADS} client threads send for "
        f"{details['devices']} devices on separate patients (each thread its own devices, "
        "since a batch locks its device row). Every batch must come back with all its "
        "readings stored.",
        "",
        "The baseline is the same rows (same patients, values and times, on other devices) "
        "inserted with `Observation.objects.bulk_create` in batches of 500, in one process "
        "and one thread: no HTTP, no validation, no duplicate check, no rules, no audit. The "
        "HTTP figure uses both cores (two workers) while the baseline uses one, so compare "
        "the per-batch times too.",
        "",
        "Alert latency: a set scoring NEWS2 10 is POSTed for a patient with no open NEWS2 "
        f"alert, {LATENCY_SAMPLES} times with no other load; the clock runs from just before "
        "the request is sent until a separate database connection, polling every millisecond, "
        "sees the open alert row. The benchmark resolves the alert between samples.",
        "",
        f"- Date: {details['date']}",
        f"- Commit: {details['commit']}",
        f"- Machine: {details['machine']}",
        f"- Readings timed: {details['readings']} in {details['batches']} batches",
        "",
        *figures_table(figures),
        END_MARKER,
    ]
    write_section("\n".join(lines), start=START_MARKER, end=END_MARKER, intro=INTRO)


# --- Main ----------------------------------------------------------------------


def main() -> int:
    configure_environment()
    ensure_postgres()
    ensure_database()
    migrate()

    import django

    django.setup()

    fixture = build_fixture()
    prepare_batches(fixture.throughput)
    log_path = Path(tempfile.mkdtemp(prefix="hearth-bench-")) / "gunicorn.log"
    port = free_port()
    server = None
    finished = False
    try:
        server = start_server(port, log_path)
        print(f"gunicorn ({SERVER_WORKERS} workers) on 127.0.0.1:{port}.")
        throughput = measure_throughput(port, fixture.throughput)
        print(
            f"HTTP: {throughput.readings} readings in {throughput.batches} batches, "
            f"{throughput.seconds:.1f} s."
        )
        latencies = measure_latency(port, fixture.latency)
        print(f"Latency: {len(latencies)} samples.")
        finished = True
    finally:
        stop_server(server)
        if finished:
            shutil.rmtree(log_path.parent, ignore_errors=True)
        else:
            print(f"Server log ({log_path}), last lines:\n{tail(log_path)}", file=sys.stderr)
    inserted, baseline_seconds = measure_baseline(fixture, throughput.readings)
    if inserted != throughput.readings:
        raise BenchError(f"Baseline inserted {inserted} rows, wanted {throughput.readings}.")
    print(f"Baseline: {inserted} rows with bulk_create in {baseline_seconds:.1f} s.")

    raw_rate = inserted / baseline_seconds
    ratio = throughput.rate / raw_rate
    p50 = statistics.median(latencies)
    p99 = percentile(latencies, 0.99)
    batch_p50 = statistics.median(throughput.batch_ms)
    batch_p99 = percentile(throughput.batch_ms, 0.99)
    figures = [
        Figure(
            "HTTP ingest, rules on",
            f"{throughput.rate:,.0f} readings/s",
            f"≥ {TARGET_RATE:,.0f} readings/s",
            throughput.rate >= TARGET_RATE,
        ),
        Figure("Raw bulk_create baseline", f"{raw_rate:,.0f} rows/s", "", None),
        Figure("HTTP / raw ratio", f"{ratio:.1%}", f"≥ {TARGET_RATIO:.0%}", ratio >= TARGET_RATIO),
        Figure(
            "HTTP batch of 500, round trip",
            f"p50 {batch_p50:.0f} ms, p99 {batch_p99:.0f} ms",
            "",
            None,
        ),
        Figure(
            "bulk_create batch of 500",
            f"mean {baseline_seconds / (inserted / BATCH_SIZE) * 1000:.0f} ms",
            "",
            None,
        ),
        Figure("POST → alert row, p50", f"{p50:.1f} ms", "", None),
        Figure(
            "POST → alert row, p99",
            f"{p99:.1f} ms",
            f"< {TARGET_P99_MS:.0f} ms",
            p99 < TARGET_P99_MS,
        ),
    ]
    print_table(figures)
    details = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": f"{os.cpu_count()} CPU cores, PostgreSQL on loopback",
        "readings": f"{throughput.readings:,}",
        "batches": f"{throughput.batches}",
        "devices": str(len(fixture.throughput)),
    }
    update_doc(figures, details)
    print(f"Wrote the ingest section of {DOC.relative_to(ROOT)}.")
    missed = [f.name for f in figures if f.passed is False]
    if missed:
        print("MISSED: " + "; ".join(missed))
    else:
        print("All ingest targets met.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        sys.exit(1)
