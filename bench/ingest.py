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
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.harness import (  # noqa: E402
    INTRO,
    SERVER_WORKERS,
    BenchError,
    Figure,
    configure_environment,
    ensure_database,
    ensure_postgres,
    figures_table,
    free_port,
    migrate,
    percentile,
    print_table,
    start_server,
    stop_server,
    tail,
)
from bench.support.ingest_client import (  # noqa: E402
    OBSERVATIONS_PATH,
    Device,
    check_stored,
    headers,
    measure_throughput,
    prepare_batches,
)
from bench.support.report import DOC, git_commit, write_section  # noqa: E402

DB_NAME = "hearth_bench"
START_MARKER = "<!-- ingest:start -->"
END_MARKER = "<!-- ingest:end -->"

BATCH_SIZE = 500
CLIENT_THREADS = 2
DEVICES_PER_THREAD = 4
BATCHES_PER_DEVICE = 48  # upper bound; the timed phase also stops at TIMED_SECONDS
TIMED_SECONDS = 25.0
LATENCY_SAMPLES = 150
LATENCY_WARMUP = 5
POLL_INTERVAL = 0.001
LATENCY_TIMEOUT = 5.0

TARGET_RATE = 5000.0  # readings/s through HTTP
TARGET_RATIO = 0.25  # HTTP rate / raw bulk_create rate
TARGET_P99_MS = 200.0

#: NEWS2 10 (SpO2 3, pulse 3, breathing 3, temperature 1): high, for a patient on room air.
ABNORMAL_SET = (
    ("spo2", 85, "%"),
    ("pulse", 135, "/min"),
    ("respiratory_rate", 28, "/min"),
    ("temperature", 38.4, "Cel"),
    ("systolic_bp", 118, "mm[Hg]"),
)


# --- Fixture through the services --------------------------------------------


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
    configure_environment(DB_NAME)
    ensure_postgres()
    ensure_database(DB_NAME)
    migrate(DB_NAME)

    import django

    django.setup()

    fixture = build_fixture()
    prepare_batches(
        fixture.throughput,
        readings_per_device=BATCHES_PER_DEVICE * BATCH_SIZE,
        batch_size=BATCH_SIZE,
    )
    log_path = Path(tempfile.mkdtemp(prefix="hearth-bench-")) / "gunicorn.log"
    port = free_port()
    server = None
    finished = False
    try:
        server = start_server(port, log_path)
        print(f"gunicorn ({SERVER_WORKERS} workers) on 127.0.0.1:{port}.")
        throughput = measure_throughput(
            port,
            fixture.throughput,
            batches_per_device=BATCHES_PER_DEVICE,
            timed_seconds=TIMED_SECONDS,
            client_threads=CLIENT_THREADS,
        )
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
