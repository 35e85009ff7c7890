"""The query-count header of the scale benchmark (hearth/core/query_count.py):
absent unless switched on, the true number of queries when it is, and the
settings refuse to switch it on in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hearth.conftest import make_user
from hearth.core.query_count import HEADER

ROOT = Path(__file__).resolve().parents[3]
COUNTING = ["hearth.core.query_count.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]


@pytest.mark.django_db
def test_it_sends_no_header_by_default() -> None:
    assert "hearth.core.query_count.QueryCountHeaderMiddleware" not in settings.MIDDLEWARE
    response = Client().get("/health")
    assert HEADER not in response


@pytest.mark.django_db
def test_it_counts_every_query_of_a_signed_in_page() -> None:
    nurse = make_user("nurse.counted", discipline="nurse")
    client = Client()
    client.force_login(nurse)
    with override_settings(MIDDLEWARE=COUNTING), CaptureQueriesContext(connection) as captured:
        response = client.get("/patients/")
    assert response.status_code == 200
    assert int(response[HEADER]) == len(captured.captured_queries) > 0


def test_it_cannot_be_switched_on_in_production() -> None:
    environment = {
        **os.environ,
        "HEARTH_ENV": "production",
        "HEARTH_QUERY_COUNT_HEADER": "true",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "hearth.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587/?tls=True",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "DJANGO_SETTINGS_MODULE": "hearth.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "HEARTH_QUERY_COUNT_HEADER is for benchmarks only" in result.stderr
