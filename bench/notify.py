"""Notification benchmark: "We need help now" pressed through the real HTTP API,
with the real worker running, until the page reaches the nurse's phone (a
loopback SMS gateway) or mailbox (a loopback SMTP server); and how fast the
worker drains 1,000 alert pages.

Run from the repository root (``make bench`` does): ``python bench/notify.py``.

1. Makes sure PostgreSQL answers on 127.0.0.1:5432, creates the
   ``hearth_bench_notify`` database afresh and migrates it.
2. Builds the test suite's world (a care team, patient A admitted through the
   services, the family's sign-in) and gives the nurse a verified SMS number and
   e-mail address; the family gets an API token.
3. Starts the loopback SMTP server and SMS gateway of the test suite, gunicorn
   (2 workers) and one ``manage.py run_worker`` pointed at them.
4. Latency: the family POSTs a check-in with ``help_requested`` to
   ``/api/v1/patients/<id>/check-ins``; the clock runs from just before the
   request until the page arrives at the sink. Odd samples page by SMS first,
   even ones by e-mail. The alert is closed between samples (so each press
   raises a new alert and a new page).
5. Drain: 1,000 alert pages are written to the outbox in one transaction, a
   fresh worker is started, and the clock runs until the SMS gateway has all.
6. Baseline, in the same run: the same 1,000 texts sent straight to the same
   gateway by Apprise from this process, one after another (no database, no
   claim, no log).
7. Prints a table and rewrites the notify section of ``docs/performance.md``.

Exit status: 0 when the benchmark ran (a missed target prints MISSED),
non-zero on an error.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.harness import (  # noqa: E402
    INTRO,
    BenchError,
    Figure,
    ensure_postgres,
    figures_table,
    free_port,
    percentile,
    print_table,
    start_server,
    stop_server,
    tail,
)
from bench.support.report import git_commit, write_section  # noqa: E402

DB_NAME = "hearth_bench_notify"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
START_MARKER = "<!-- notify:start -->"
END_MARKER = "<!-- notify:end -->"
LATENCY_SAMPLES = 40
DRAIN_MESSAGES = 1000
NURSE_PHONE = "+447700900123"
NURSE_EMAIL = "nurse@bench.hearth.invalid"
P99_TARGET_SECONDS = 10.0
DRAIN_TARGET_PER_MINUTE = 1000


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')
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
    print(f"Created and migrated {DB_NAME} in {time.perf_counter() - started:.1f} s.")


def configure_environment(smtp_port: int, sms_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "DJANGO_SETTINGS_MODULE": "hearth.settings",
            "HEARTH_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "HEARTH_NOTIFY_SMS_URL": sms_url,
        }
    )


def build_fixture() -> tuple[Any, str]:
    """The suite's world, patient A admitted; the nurse reachable two ways."""
    from hearth.accounts.services import issue_api_token
    from hearth.conftest import build_world
    from hearth.core import clock
    from hearth.notifications.models import ContactPoint

    world = build_world()
    world.bring_to("active")
    for position, (channel, address) in enumerate((("sms", NURSE_PHONE), ("email", NURSE_EMAIL))):
        ContactPoint.objects.create(
            user=world.nurse,
            channel=channel,
            address=address,
            position=position,
            created_at=clock.now(),
            verified_at=clock.now(),
        )
    _token, secret = issue_api_token(actor=world.family, name="bench")
    return world, secret


def start_worker(log_path: Path) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def page_first_by(nurse: Any, channel: str) -> None:
    from hearth.notifications.models import ContactPoint

    for contact in ContactPoint.objects.filter(user=nurse):
        contact.position = 0 if contact.channel == channel else 1
        contact.save(update_fields=["position"])


def close_alerts(patient: Any) -> None:
    """Between samples: the help alert is closed (not measured), so the next
    press raises a new one."""
    from hearth.core import clock
    from hearth.monitoring.models import Alert

    Alert.objects.filter(patient=patient).exclude(status="resolved").update(
        status="resolved", resolved_at=clock.now(), resolution_note="Benchmark clean-up."
    )


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise BenchError(f"Waited {timeout} s for {what}.")
        time.sleep(0.002)


def measure_latency(
    port: int, world: Any, token: str, smtp: Any, sms: Any
) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"sms": [], "email": []}
    path = f"/api/v1/patients/{world.patient.external_id}/check-ins"
    body = json.dumps({"help_requested": True, "note": "Benchmark: help pressed."})
    for number in range(LATENCY_SAMPLES):
        channel = "sms" if number % 2 == 0 else "email"
        page_first_by(world.nurse, channel)
        before = len(sms.requests) if channel == "sms" else len(smtp.messages)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.monotonic()
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        if response.status != 201:
            raise BenchError(f"POST {path} answered {response.status}: {answer[:300]!r}")
        if channel == "sms":
            wait_for(lambda count=before: len(sms.requests) > count, 60, "the SMS page")
            arrived = sms.requests[before].received_at
        else:
            wait_for(lambda count=before: len(smtp.messages) > count, 60, "the e-mail page")
            arrived = smtp.received_at[before]
        samples[channel].append(arrived - started)
        close_alerts(world.patient)
    return samples


def queue_pages(nurse: Any, count: int) -> None:
    from django.db import transaction

    from hearth.notifications import outbox
    from hearth.notifications.choices import MessageKind

    page_first_by(nurse, "sms")
    with transaction.atomic():
        for number in range(count):
            outbox.notify(
                recipient=nurse,
                kind=MessageKind.ALERT_PAGE,
                event_key=f"bench:drain:{number}",
                subject=f"High alert B-{number}",
                body=f"High alert for record B-{number}. Reply ACK 1234 to acknowledge.",
                link=f"/alerts/{number}/",
                topic=f"alert:{number}",
                urgent=True,
                reply_code="1234",
            )


def measure_drain(sms: Any, log_path: Path) -> float:
    before = len(sms.requests)
    worker = start_worker(log_path)
    started = time.monotonic()
    try:
        wait_for(lambda: len(sms.requests) >= before + DRAIN_MESSAGES, 600, "the drain")
        return sms.requests[-1].received_at - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def measure_baseline(sms: Any) -> float:
    """The same texts straight to the same gateway with Apprise, in this process."""
    import apprise

    url = os.environ["HEARTH_NOTIFY_SMS_URL"].replace("{to}", "%2B447700900123")
    before = len(sms.requests)
    started = time.monotonic()
    for number in range(DRAIN_MESSAGES):
        notifier = apprise.Apprise()
        notifier.add(url.replace("{id}", f"baseline-{number}"))
        if not notifier.notify(body=f"High alert for record B-{number}.", title=""):
            raise BenchError("The gateway refused a baseline text.")
    wait_for(lambda: len(sms.requests) >= before + DRAIN_MESSAGES, 60, "the baseline")
    return time.monotonic() - started


def update_doc(figures: list[Figure], details: dict[str, str]) -> None:
    lines = [
        START_MARKER,
        "## Notifications: help pressed → the nurse's phone",
        "",
        "`bench/notify.py` runs gunicorn (2 workers), one `manage.py run_worker` (its outbox "
        "job polls every second) and the test suite's loopback SMS gateway (Apprise's "
        "generic JSON) and SMTP server, on PostgreSQL. The family POSTs a check-in with "
        '"We need help now"; the clock runs from just before the request to the page\'s '
        f"arrival at the sink. {LATENCY_SAMPLES} samples, half paged by SMS first, half by "
        "e-mail; the alert is closed between samples.",
        "",
        f"Drain: {DRAIN_MESSAGES} alert pages written to the outbox in one transaction, then "
        "a fresh worker sends them to the SMS gateway, one at a time, each claimed, sent and "
        "logged. The baseline sends the same texts to the same gateway with Apprise from one "
        "process, with no database at all; the ratio is what the outbox's claim and log cost.",
        "",
        f"- Date: {details['date']}",
        f"- Commit: {details['commit']}",
        f"- Machine: {details['machine']}",
        "",
        *figures_table(figures),
        END_MARKER,
    ]
    write_section("\n".join(lines), start=START_MARKER, end=END_MARKER, intro=INTRO)


def main() -> int:
    from hearth.notifications.tests.sinks import SmsSink, SmtpSink

    smtp = SmtpSink().start()
    sms = SmsSink().start()
    configure_environment(smtp.port, sms.apprise_url)
    ensure_postgres()
    fresh_database()

    import django

    django.setup()

    world, token = build_fixture()
    logs = Path(tempfile.mkdtemp(prefix="hearth-bench-notify-"))
    port = free_port()
    server = worker = None
    try:
        server = start_server(port, logs / "gunicorn.log")
        worker = start_worker(logs / "worker.log")
        time.sleep(2)  # the worker's first pass of every job
        print(f"gunicorn on 127.0.0.1:{port}, one worker; {LATENCY_SAMPLES} presses of help.")
        latency = measure_latency(port, world, token, smtp, sms)
        worker.terminate()
        worker.wait(timeout=30)
        worker = None
        queue_pages(world.nurse, DRAIN_MESSAGES)
        drain_seconds = measure_drain(sms, logs / "worker.log")
        baseline_seconds = measure_baseline(sms)
    except BenchError:
        print(tail(logs / "worker.log"))
        raise
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        stop_server(server)
        smtp.stop()
        sms.stop()

    every = latency["sms"] + latency["email"]
    p99 = percentile(every, 0.99)
    per_minute = DRAIN_MESSAGES / drain_seconds * 60
    figures = [
        Figure("help → page, p50 (all)", f"{percentile(every, 0.5):.2f} s", "", None),
        Figure(
            "help → page, p99 (all)",
            f"{p99:.2f} s",
            f"≤ {P99_TARGET_SECONDS:.0f} s",
            p99 <= P99_TARGET_SECONDS,
        ),
        Figure("help → SMS, p50 / p99", _pair(latency["sms"]), "", None),
        Figure("help → e-mail, p50 / p99", _pair(latency["email"]), "", None),
        Figure(
            f"drain {DRAIN_MESSAGES} pages",
            f"{drain_seconds:.1f} s ({per_minute:,.0f} per minute)",
            f"≥ {DRAIN_TARGET_PER_MINUTE:,} per minute",
            per_minute >= DRAIN_TARGET_PER_MINUTE,
        ),
        Figure(
            "drain ÷ baseline (Apprise alone)",
            f"{drain_seconds / baseline_seconds:.2f}× ({baseline_seconds:.1f} s)",
            "",
            None,
        ),
    ]
    print_table(figures)
    update_doc(
        figures,
        {
            "date": dt.date.today().isoformat(),
            "commit": git_commit(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, "
            f"Python {platform.python_version()}",
        },
    )
    return 0


def _pair(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.2f} s / {percentile(values, 0.99):.2f} s"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench/notify.py: {error}", file=sys.stderr)
        sys.exit(2)
