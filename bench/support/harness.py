"""What every benchmark needs around its measurement: PostgreSQL up and a
database of its own, a gunicorn server on a loopback port, percentiles, and the
figures table printed and written to docs/performance.md."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DB_HOST = "127.0.0.1"
DB_PORT = 5432
SERVER_WORKERS = 2


class BenchError(Exception):
    """Something went wrong: the run is not a measurement."""


def database_url(name: str) -> str:
    return f"postgres://postgres@{DB_HOST}:{DB_PORT}/{name}"


# --- PostgreSQL and Django ---------------------------------------------------


def ensure_postgres() -> None:
    """Start the machine's cluster if it does not answer: a benchmark run on a
    fresh machine should not need a separate set-up step."""

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


def ensure_database(name: str, *, fresh: bool = False) -> None:
    """Create the benchmark's own database if it is missing (``fresh``: drop it first)."""
    import psycopg

    with psycopg.connect(
        host=DB_HOST, port=DB_PORT, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            print(f"Creating database {name}.")
            connection.execute(f'CREATE DATABASE "{name}"')


def configure_environment(name: str) -> None:
    """Settings as the benchmarks run the server: the named database, DEBUG off."""
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.settings"
    os.environ["HEARTH_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def migrate(name: str) -> None:
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
    print(f"Migrated {name} in {time.perf_counter() - started:.1f} s.")


# --- The server --------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    port: int, log_path: Path, *, workers: int = SERVER_WORKERS, wait_seconds: float = 120.0
) -> subprocess.Popen[bytes]:
    """gunicorn with the environment of this process, answering /health (on a
    busy machine, importing the app in two workers can take most of a minute)."""
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
        str(workers),
        "--error-logfile",
        str(log_path),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    # No --access-logfile: gunicorn writes no access log unless asked.
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + wait_seconds
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
    raise BenchError(
        f"gunicorn did not answer /health within {wait_seconds:.0f} s:\n{tail(log_path)}"
    )


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


# --- Figures -----------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a figure that was measured)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


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
