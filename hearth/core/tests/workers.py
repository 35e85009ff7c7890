"""Helpers for the tests that run the real worker (``manage.py run_worker``) as a
subprocess against the test database, and for cutting its database off.

A subprocess sees only committed rows: use it from transactional tests
(``django_db(transaction=True)``) on a file SQLite database
(``HEARTH_TEST_SQLITE_NAME``, as ``make test`` sets) or on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

REPOSITORY = Path(settings.BASE_DIR)


def database_url(*, port: int | None = None) -> str:
    """The test database (the one this test process uses) as a DATABASE_URL;
    ``port`` points a PostgreSQL URL somewhere else (a proxy)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = quote(params.get("USER") or "")
    password = quote(params.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = params.get("HOST") or "127.0.0.1"
    return f"postgres://{credentials}{host}:{port or params.get('PORT') or 5432}/{params['NAME']}"


def subprocess_database_or_skip() -> None:
    """A subprocess cannot reach an in-memory SQLite test database."""
    if connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
        pytest.skip(
            "needs a file SQLite test database a worker process can open "
            "(set HEARTH_TEST_SQLITE_NAME, as `make test` does) or PostgreSQL"
        )


def postgres_only_or_skip() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a networked database (runs in CI on PostgreSQL)")


class WorkerProcess:
    """``manage.py run_worker`` in its own process group, its output in a file."""

    def __init__(self, *args: str, database: str, env: dict[str, str] | None = None) -> None:
        self.log_file: IO[str] = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+", prefix="hearth-worker-", suffix=".log", delete=False
        )
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"HEARTH_TEST_SQLITE_NAME", "DATABASE_URL"}
        }
        environment.update(
            {
                "DATABASE_URL": database,
                "HEARTH_ENV": "test",
                "DJANGO_SETTINGS_MODULE": "hearth.settings",
                "PYTHONUNBUFFERED": "1",
                **(env or {}),
            }
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", *args],
            cwd=REPOSITORY,
            env=environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return Path(self.log_file.name).read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 20) -> None:
        wait_until(lambda: text in self.log(), timeout, f"{text!r} in the worker's log")

    def signal(self, number: int) -> None:
        if self.alive():
            os.kill(self.pid, number)

    def wait(self, timeout: float = 15) -> int:
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """kill -9, the whole process group: no clean-up runs in the worker."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.log_file.close()
        Path(self.log_file.name).unlink(missing_ok=True)


@pytest.fixture
def start_worker() -> Iterator[Callable[..., WorkerProcess]]:
    """Start workers; every one is killed when the test ends, passed or failed
    (before the test database is flushed)."""
    started: list[WorkerProcess] = []

    def start(*args: str, database: str | None = None, **kwargs: Any) -> WorkerProcess:
        worker = WorkerProcess(*args, database=database or database_url(), **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.close()


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {timeout} s for {what}")
        time.sleep(0.2)


class TcpProxy:
    """A loopback TCP proxy to the database, so a test can take the database
    away from a worker (every connection dropped, new ones refused) and give
    it back on the same port, as a restart or a network cut does."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                with self._lock:
                    self._sockets.discard(sock)
