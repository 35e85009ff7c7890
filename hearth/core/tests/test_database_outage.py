"""With the database gone, the service says "try again" (503), never "bug" (500),
and never hangs: the API answers its JSON error shape with ``Retry-After``,
pages a plain page that needs no database, and ``/health`` takes the instance
out of rotation.

The database is really unreachable here: the connection is pointed at a
SQLite file that cannot be opened, or at a PostgreSQL port nobody listens on
(or, for the connect timeout, one that accepts and never answers).
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connections
from django.test import Client

from hearth.accounts import services as account_services
from hearth.accounts.models import UserKind
from hearth.conftest import make_user
from hearth.core import outage

# Every answer must come well inside this, whatever the database does.
BOUND_SECONDS = 10


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


@contextmanager
def _database_at(**where: Any) -> Iterator[None]:
    """Point the default connection somewhere else; the next query connects
    there. The working connection is set aside (an in-memory SQLite test
    database would vanish if it were closed) and put back afterwards."""
    connection = connections["default"]
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    connection.connection = None
    connection.settings_dict.update(where)
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


@contextmanager
def database_unreachable(tmp_path: Path) -> Iterator[None]:
    if connections["default"].vendor == "sqlite":
        with _database_at(NAME=str(tmp_path / "no-such-folder" / "hearth.sqlite3")):
            yield
    else:
        with _database_at(HOST="127.0.0.1", PORT=str(_closed_port())):
            yield


@pytest.fixture
def signed_in() -> tuple[Client, str]:
    """A nurse's browser session and her API token, made while the database works."""
    nurse = make_user("nurse.outage", kind=UserKind.STAFF, discipline="nurse")
    client = Client(raise_request_exception=False)
    client.force_login(nurse)
    _token, secret = account_services.issue_api_token(actor=nurse, name="tablet")
    return client, secret


def _timed(call: Any) -> Any:
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < BOUND_SECONDS
    return response


def _assert_api_outage(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "database_unavailable" and body["detail"]
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_with_retry_after(signed_in: Any, tmp_path: Path) -> None:
    client, secret = signed_in
    anonymous = Client(raise_request_exception=False)
    with database_unreachable(tmp_path):
        # The session is loaded before any view runs; the token inside the API.
        _assert_api_outage(_timed(lambda: client.get("/api/v1/patients")))
        _assert_api_outage(
            _timed(lambda: anonymous.get("/api/v1/patients", HTTP_AUTHORIZATION=f"Bearer {secret}"))
        )
        _assert_api_outage(_timed(lambda: client.post("/api/v1/me/tokens", {}, "application/json")))


@pytest.mark.django_db(transaction=True)
def test_pages_answer_a_plain_503_page(signed_in: Any, tmp_path: Path) -> None:
    client, _secret = signed_in
    with database_unreachable(tmp_path):
        for path in ("/patients/", "/alerts/", "/accounts/login/"):
            response = _timed(lambda path=path: client.get(path))
            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            page = response.content.decode()
            assert "The service cannot reach its records just now" in page
            assert "+44 20 7946 0000" in page  # the phone number, for a patient in need
            # The usual security headers are on it too.
            assert response["Cache-Control"] == "no-store"
            assert "Content-Security-Policy" in response


@pytest.mark.django_db(transaction=True)
def test_health_answers_503_when_the_database_is_down(tmp_path: Path) -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/health").json() == {"status": "ok"}
    with database_unreachable(tmp_path):
        response = _timed(lambda: client.get("/health"))
    assert response.status_code == 503
    assert response.json() == {"status": "database_unavailable"}
    assert response["Retry-After"] == "30"
    assert client.get("/health").status_code == 200  # back when the database is


def test_health_stays_cheap_when_the_database_is_up(
    client_for: Any, django_assert_num_queries: Any, db: Any
) -> None:
    with django_assert_num_queries(1):
        response = client_for(None).get("/health")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_stalled_postgresql_server_cannot_hang_a_request(signed_in: Any) -> None:
    """A server that accepts the connection and never answers: the connect
    timeout ends the wait and the answer is still a 503."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("SQLite has no server to stall (its busy timeout is a setting)")
    client, _secret = signed_in
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(8)  # the kernel completes the handshake; nobody ever replies
    options = {**connections["default"].settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    try:
        with _database_at(HOST="127.0.0.1", PORT=str(black_hole.getsockname()[1]), OPTIONS=options):
            started = time.monotonic()
            api = client.get("/api/v1/patients")
            page = client.get("/patients/")
            elapsed = time.monotonic() - started
    finally:
        black_hole.close()
    _assert_api_outage(api)
    assert page.status_code == 503
    assert 1.5 < elapsed < BOUND_SECONDS


def test_postgresql_connections_carry_the_timeouts(monkeypatch: Any) -> None:
    """The settings turn the environment into libpq options (checked here
    whatever database the suite runs on)."""
    import importlib
    import os

    import hearth.settings as hearth_settings

    saved = os.environ.copy()
    os.environ.update(
        DATABASE_URL="postgres://hearth@db.example.org/hearth",
        DB_CONNECT_TIMEOUT_SECONDS="4",
        DB_STATEMENT_TIMEOUT_SECONDS="25",
    )
    try:
        reloaded = importlib.reload(hearth_settings)
        options = reloaded.DATABASES["default"]["OPTIONS"]
        assert options["connect_timeout"] == 4
        assert "-c statement_timeout=25s" in options["options"]
        # The worker and migrate do long work legitimately: their own limit.
        monkeypatch.setattr(sys, "argv", ["manage.py", "run_worker", "--interval", "1"])
        worker = importlib.reload(hearth_settings).DATABASES["default"]["OPTIONS"]
        assert "-c statement_timeout=600s" in worker["options"]
        monkeypatch.setattr(sys, "argv", ["manage.py", "runserver"])
        web = importlib.reload(hearth_settings).DATABASES["default"]["OPTIONS"]
        assert "-c statement_timeout=25s" in web["options"]
    finally:
        os.environ.clear()
        os.environ.update(saved)
        monkeypatch.undo()
        importlib.reload(hearth_settings)


@pytest.mark.parametrize("error", [ValueError("a bug"), IntegrityError("a duplicate")])
def test_other_errors_are_still_server_errors(rf: Any, error: Exception) -> None:
    """Only an unreachable database is "try again": a bug, or a broken
    constraint, is a 500 and logged as one."""
    try:
        raise error
    except Exception:
        response = outage.server_error(rf.get("/patients/"))
    assert response.status_code == 500
    assert "Retry-After" not in response
