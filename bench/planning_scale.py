"""Planning benchmark: a whole service's day, on PostgreSQL.

Run from the repository root (``make bench`` does): ``python bench/planning_scale.py``.
``--rebuild`` drops and rebuilds the synthetic service even if one for the
same day is already there.

1. Makes sure PostgreSQL answers on 127.0.0.1:5432, creates the
   ``hearth_bench_planner`` database if missing and migrates it.
2. Builds a synthetic service in bulk (``bulk_create`` on the real models): 70
   staff with planning profiles and skills, 67 of them on shift on the planned
   day (the next Thursday: mid-week, so weekly needs fall as on an ordinary day);
   10,000 patients (8,500 in active home care, the rest referred or
   discharged) spread over a city about 25 km across; 1,150 of the people in
   care with home-visit needs (daily, or 1–3 times a week), prayer or rest
   windows and communication profiles for some; about 40,000 past visits over
   the previous 90 days, laid down by the same "is it due today" rule the
   planner uses (so this week's counts are realistic), most by each person's
   usual carer; a few urgent requests waiting for the day.
3. In a fresh child process (so its peak memory is the planning's own):
   - baseline: the rows any planner must look at (the day's shifts, every
     current home-visit need, this week's visits) read raw with a cursor;
   - preparation: ``preparation.prepare_day`` (due visits, continuity,
     availability, the day's staff) with its query count;
   - travel matrix: the provider's ``matrix`` call, timed inside the solve;
   - solver: ``preparation.solve_day`` minus the matrix;
   - saving the draft: ``planner._save_draft`` (one transaction, bulk insert).
   Peak memory is the child's own peak resident memory (``VmHWM``) after preparation and at the end.
4. Prints a table and rewrites the planning-scale section of ``docs/performance.md``.

Exit status: 0 when the benchmark ran (a missed target prints MISSED), non-zero on
an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.support.harness import (  # noqa: E402
    BenchError,
    database_url,
    ensure_database,
    ensure_postgres,
)
from bench.support.report import git_commit, write_section  # noqa: E402

DB_NAME = "hearth_bench_planner"
DATABASE_URL = database_url(DB_NAME)
START_MARKER = "<!-- planning-scale:start -->"
END_MARKER = "<!-- planning-scale:end -->"
RECORD_PREFIX = "PLANSCALE-"

STAFF = {"nurse": 50, "physician": 10, "social_worker": 5, "psychologist": 5}
OFF_DUTY = 3  # staff without a shift on the day
PATIENTS = 10_000
IN_CARE = 8_500
WITH_NEEDS = 1_150
DAILY_SHARE = 0.16  # of the people with needs: a visit every day (some twice)
HISTORY_DAYS = 90
URGENT_WAITING = 8
SOLVER_SECONDS = 5.0
BATCH = 2_000

TARGET_PREPARATION_SECONDS = 2.0
TARGET_PEAK_MB = 400.0


# --- PostgreSQL and Django ---------------------------------------------------


def configure_environment() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "hearth.settings"
    os.environ["HEARTH_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ["HEARTH_OSRM_URL"] = ""
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


def planned_day() -> dt.date:
    """The next Thursday after today in the service's time zone: a whole day,
    nothing cut by "now", and mid-week, so the weekly needs are spread as on
    an ordinary day (on a Monday every weekly need is due)."""
    import django

    django.setup()
    from hearth.core import clock

    day = clock.today() + dt.timedelta(days=1)
    return day + dt.timedelta(days=(3 - day.weekday()) % 7)


# --- The synthetic service ---------------------------------------------------


@dataclass
class NeedPlan:
    patient: int  # index into the patients list
    discipline: str
    times: int
    per: str
    minutes: int
    skills: list[str]


def due_count(day: dt.date, need: NeedPlan, done: dict[dt.date, int]) -> int:
    """How many visits the planner's own rule asks of ``need`` on ``day``,
    given the visits ``done`` on earlier days of the same week."""
    from hearth.planning.preparation import weekly_visit_is_due

    if need.per == "day":
        return need.times
    week_start = day - dt.timedelta(days=day.weekday())
    before = sum(count for on, count in done.items() if week_start <= on < day)
    return 1 if weekly_visit_is_due(day, need.times, before) else 0


def fixture_ready(day: dt.date) -> bool:
    from hearth.patients.models import Patient
    from hearth.visits.models import Shift

    return (
        Patient.objects.filter(record_number__startswith=RECORD_PREFIX).count() == PATIENTS
        and Shift.objects.filter(date=day).exists()
    )


def leftovers() -> bool:
    """An earlier build (another day, or interrupted) is in the database."""
    from hearth.accounts.models import User

    return User.objects.filter(username__startswith="planscale.").exists()


def build_service(day: dt.date, seed: int = 21) -> None:
    """The whole service with ``bulk_create``: no services, no audit rows, so
    the build takes a minute and the planner reads what a real service holds."""
    from django.conf import settings
    from django.utils import timezone

    from hearth.accounts.models import User
    from hearth.core import clock
    from hearth.patients.models import Episode, Patient
    from hearth.personhood.models import Communication, WeeklyWindow
    from hearth.visits.models import (
        Shift,
        StaffPlanningProfile,
        UrgentVisitRequest,
        VisitNeed,
    )
    from hearth.visits.models import Visit as VisitRow

    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    today = clock.today()

    def aware(on: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(on, dt.time(hour, minute)))

    coordinator = User.objects.create_user(
        username="planscale.coordinator",
        password=None,
        kind="staff",
        discipline="coordinator",
        first_name="Plan",
        last_name="Coordinator",
    )
    skills_all = ["syringe_driver", "wound_care", "stoma_care", "catheter_care"]
    staff: list[User] = []
    for discipline, count in STAFF.items():
        for n in range(count):
            staff.append(
                User(
                    username=f"planscale.{discipline}.{n}",
                    kind="staff",
                    discipline=discipline,
                    first_name=discipline.title(),
                    last_name=f"No{n}",
                    spoken_languages=["en"] + (["ru"] if rng.random() < 0.2 else []),
                    password="!",  # unusable
                )
            )
    staff = User.objects.bulk_create(staff)
    StaffPlanningProfile.objects.bulk_create(
        StaffPlanningProfile(
            staff=user,
            skills=rng.sample(skills_all, rng.randint(0, 3)) if user.discipline == "nurse" else [],
            max_visits_per_day=rng.choice([8, 9, 10, 10, 12]),
        )
        for user in staff
    )
    on_shift = staff[:-OFF_DUTY]
    Shift.objects.bulk_create(
        Shift(
            staff=user,
            date=day,
            starts_at=dt.time(rng.choice([8, 8, 9])),
            ends_at=dt.time(rng.choice([16, 17, 17])),
            recorded_by=coordinator,
        )
        for user in on_shift
    )
    by_discipline: dict[str, list[User]] = {}
    for user in staff:
        by_discipline.setdefault(user.discipline, []).append(user)

    base_lat, base_lon = settings.HEARTH_SERVICE_BASE
    patients = []
    for n in range(PATIENTS):
        distance = rng.uniform(0.2, 12.5) / 111.0
        angle = rng.uniform(0, 2 * math.pi)
        patients.append(
            Patient(
                record_number=f"{RECORD_PREFIX}{n:05d}",
                given_name=f"Person{n}",
                family_name="Planscale",
                date_of_birth=dt.date(1935 + n % 50, 1 + n % 12, 1 + n % 28),
                sex="female" if n % 2 else "male",
                address_line=f"{n} Bench Road",
                city="London",
                phone_primary="+44 20 0000 0000",
                preferred_language="ru" if rng.random() < 0.1 else "en",
                latitude=Decimal(f"{base_lat + distance * math.sin(angle):.6f}"),
                longitude=Decimal(f"{base_lon + distance * math.cos(angle) * 1.6:.6f}"),
            )
        )
    patients = Patient.objects.bulk_create(patients, batch_size=BATCH)
    episodes = []
    for n, patient in enumerate(patients):
        if n < IN_CARE:
            state, admitted = "active", now - dt.timedelta(days=rng.randint(5, 400))
        elif n < IN_CARE + 800:
            state, admitted = "discharged", now - dt.timedelta(days=rng.randint(100, 600))
        else:
            state, admitted = "referred", None
        episodes.append(
            Episode(
                patient=patient,
                state=state,
                opened_at=(admitted or now) - dt.timedelta(days=3),
                admitted_at=admitted,
            )
        )
    Episode.objects.bulk_create(episodes, batch_size=BATCH)

    needs_plan: list[NeedPlan] = []
    for n in range(WITH_NEEDS):
        if rng.random() < DAILY_SHARE:
            times, per = (2 if rng.random() < 0.1 else 1), "day"
        else:
            times, per = rng.choice([1, 2, 2, 3, 3, 3]), "week"
        discipline = rng.choices(
            ["nurse", "physician", "social_worker", "psychologist"], [80, 10, 5, 5]
        )[0]
        skills = [rng.choice(skills_all)] if discipline == "nurse" and rng.random() < 0.15 else []
        needs_plan.append(NeedPlan(n, discipline, times, per, rng.choice([30, 45, 45, 60]), skills))
    needs = VisitNeed.objects.bulk_create(
        [
            VisitNeed(
                patient=patients[plan.patient],
                description=f"{plan.discipline} visit",
                kind="home_visit",
                discipline=plan.discipline,
                skills=plan.skills,
                duration_minutes=plan.minutes,
                times=plan.times,
                per=plan.per,
                created_by=coordinator,
            )
            for plan in needs_plan
        ],
        batch_size=BATCH,
    )
    # Teleconsult needs on some others: the planner must leave them out.
    VisitNeed.objects.bulk_create(
        [
            VisitNeed(
                patient=patients[n],
                description="video call",
                kind="teleconsult",
                discipline="physician",
                skills=[],
                duration_minutes=20,
                times=1,
                per="week",
                created_by=coordinator,
            )
            for n in range(WITH_NEEDS, WITH_NEEDS + 500)
        ],
        batch_size=BATCH,
    )

    windows = []
    for n in range(0, IN_CARE, 5):
        windows.append(
            WeeklyWindow(
                patient=patients[n],
                kind=rng.choice(["prayer", "rest", "do_not_disturb"]),
                label="Quiet time",
                weekdays=list(range(7)),
                starts_at=dt.time(rng.choice([12, 13, 14])),
                ends_at=dt.time(rng.choice([14, 15])),
                recorded_by=coordinator,
                recorded_at=now,
            )
        )
    WeeklyWindow.objects.bulk_create(windows, batch_size=BATCH)
    Communication.objects.bulk_create(
        [
            Communication(
                patient=patients[n],
                preferred_language="ru" if n % 7 == 0 else "en",
                other_languages=["en"] if n % 7 == 0 else [],
                recorded_by=coordinator,
                recorded_at=now,
            )
            for n in range(0, IN_CARE, 3)
        ],
        batch_size=BATCH,
    )

    # Past visits, laid down by the planner's own rule, most by the usual carer.
    usual = {plan.patient: rng.choice(by_discipline[plan.discipline]) for plan in needs_plan}
    visits: list[VisitRow] = []
    done: dict[int, dict[dt.date, int]] = {n: {} for n in range(len(needs_plan))}
    for back in range(HISTORY_DAYS, 0, -1):
        on = day - dt.timedelta(days=back)
        for index, plan in enumerate(needs_plan):
            count = due_count(on, plan, done[index])
            for k in range(count):
                cancelled = rng.random() < 0.04
                carer = (
                    usual[plan.patient]
                    if rng.random() < 0.75
                    else rng.choice(by_discipline[plan.discipline])
                )
                start = aware(on, 9 + (k * 5 + rng.randint(0, 3)) % 9, rng.choice([0, 15, 30]))
                visits.append(
                    VisitRow(
                        patient=patients[plan.patient],
                        staff=carer,
                        discipline=plan.discipline,
                        need=needs[index],
                        date=on,
                        planned_start=start,
                        planned_end=start + dt.timedelta(minutes=plan.minutes),
                        family_window_start=start - dt.timedelta(minutes=30),
                        family_window_end=start + dt.timedelta(minutes=30),
                        status="cancelled"
                        if cancelled
                        else ("completed" if on < today else "scheduled"),
                    )
                )
                if not cancelled:
                    done[index][on] = done[index].get(on, 0) + 1
    VisitRow.objects.bulk_create(visits, batch_size=BATCH)
    UrgentVisitRequest.objects.bulk_create(
        UrgentVisitRequest(
            patient=patients[WITH_NEEDS + n * 11],
            discipline="physician",
            for_date=day,
            reason="Pain out of control",
            requested_by=coordinator,
        )
        for n in range(URGENT_WAITING)
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    due = sum(due_count(day, plan, done[i]) for i, plan in enumerate(needs_plan))
    print(
        f"Built {len(staff)} staff, {PATIENTS} patients, {len(needs)} home-visit needs, "
        f"{len(visits)} past visits ({due} visits due on {day}, plus {URGENT_WAITING} urgent) "
        f"in {time.perf_counter() - started:.1f} s."
    )


# --- Measuring (in a child process) ------------------------------------------


def max_rss_mb() -> float:
    """This process's peak resident memory. Linux's ``VmHWM`` belongs to the
    process's own memory, so it starts afresh at ``exec``; ``ru_maxrss``
    (elsewhere) keeps the peak of the parent that started the child, and
    reported the benchmark's own building process as the planner's memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TimedTravel:
    """The problem's travel provider, with the time its matrix took."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.places = 0

    def matrix(self, places: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.matrix(places)
        finally:
            self.seconds += time.perf_counter() - started
            self.places = len(places)


def raw_baseline(day: dt.date) -> tuple[float, int]:
    """Read, raw, the rows any planner must look at: the day's shifts, every
    current home-visit need and this week's visits."""
    from django.db import connection

    week_start = day - dt.timedelta(days=day.weekday())
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, s.staff_id, s.starts_at, s.ends_at, u.discipline, u.spoken_languages"
            " FROM visits_shift s JOIN accounts_user u ON u.id = s.staff_id"
            " WHERE s.date = %s AND s.cancelled_at IS NULL",
            [day],
        )
        rows += len(cursor.fetchall())
        cursor.execute(
            "SELECT id, patient_id, discipline, skills, times, per, duration_minutes"
            " FROM visits_visitneed WHERE ended_at IS NULL AND kind = 'home_visit'"
        )
        rows += len(cursor.fetchall())
        cursor.execute(
            "SELECT need_id, date FROM visits_visit"
            " WHERE date >= %s AND date <= %s AND status <> 'cancelled'",
            [week_start, day],
        )
        rows += len(cursor.fetchall())
    return time.perf_counter() - started, rows


def measure(day: dt.date) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hearth.planning import planner, preparation

    connection.ensure_connection()
    rss_start = max_rss_mb()
    baseline_seconds, baseline_rows = raw_baseline(day)
    baseline_seconds, baseline_rows = raw_baseline(day)  # warm

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        prepared = preparation.prepare_day(day)
        preparation_seconds = time.perf_counter() - started
    rss_prepared = max_rss_mb()

    timed = TimedTravel(prepared.problem.travel)
    object.__setattr__(prepared.problem, "travel", timed)
    started = time.perf_counter()
    plan = preparation.solve_day(prepared, seconds=SOLVER_SECONDS)
    solve_seconds = time.perf_counter() - started
    rss_solved = max_rss_mb()

    actor = get_user_model().objects.get(username="planscale.coordinator")
    started = time.perf_counter()
    planner._save_draft(actor=actor, date=day, prepared=prepared, plan=plan)
    save_seconds = time.perf_counter() - started
    return {
        "due": len(prepared.due),
        "visits": len(prepared.problem.visits),
        "staff": len(prepared.problem.staff),
        "placed": len(plan.assignments),
        "queries": len(queries),
        "baseline_seconds": baseline_seconds,
        "baseline_rows": baseline_rows,
        "preparation_seconds": preparation_seconds,
        "matrix_seconds": timed.seconds,
        "matrix_places": timed.places,
        "solver_seconds": solve_seconds - timed.seconds,
        "save_seconds": save_seconds,
        "rss_start_mb": rss_start,
        "rss_prepared_mb": rss_prepared,
        "rss_peak_mb": max(rss_solved, max_rss_mb()),
    }


def measure_in_child(day: dt.date) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", day.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    if result.returncode != 0:
        raise BenchError(f"The measuring process failed:\n{result.stdout}\n{result.stderr}")
    last = result.stdout.strip().splitlines()[-1]
    return json.loads(last)  # type: ignore[no-any-return]


# --- Report ------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISSED"


def report(day: dt.date, m: dict[str, Any]) -> str:
    outside_solver = m["preparation_seconds"] + m["matrix_seconds"] + m["save_seconds"]
    ratio = m["preparation_seconds"] / m["baseline_seconds"] if m["baseline_seconds"] else 0
    rows = [
        (
            "Preparation (`prepare_day`)",
            f"{m['preparation_seconds']:.2f} s, {m['queries']} queries",
            "",
            "",
        ),
        ("Travel matrix", f"{m['matrix_seconds']:.2f} s ({m['matrix_places']} places)", "", ""),
        ("Saving the draft", f"{m['save_seconds']:.2f} s", "", ""),
        (
            "Everything but the solver",
            f"{outside_solver:.2f} s",
            f"≤ {TARGET_PREPARATION_SECONDS:.0f} s",
            verdict(outside_solver <= TARGET_PREPARATION_SECONDS),
        ),
        (
            "Raw read baseline",
            f"{m['baseline_seconds'] * 1000:.0f} ms ({m['baseline_rows']:,} rows)",
            "",
            "",
        ),
        ("Preparation / raw read", f"{ratio:.1f}×", "", ""),
        (
            "Solver (time limit)",
            f"{m['solver_seconds']:.2f} s ({SOLVER_SECONDS:.0f} s limit)",
            "",
            "",
        ),
        (
            "Peak memory after preparation",
            f"{m['rss_prepared_mb']:.0f} MB (Django loaded: {m['rss_start_mb']:.0f} MB)",
            "",
            "",
        ),
        (
            "Peak memory, whole planning",
            f"{m['rss_peak_mb']:.0f} MB",
            f"≤ {TARGET_PEAK_MB:.0f} MB",
            verdict(m["rss_peak_mb"] <= TARGET_PEAK_MB),
        ),
    ]
    table = ["| measure | result | target | |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = f"""{START_MARKER}
## Planning a day at service scale

`bench/planning_scale.py` builds, with `bulk_create` on the real models in its own
`{DB_NAME}` database, a service of {sum(STAFF.values())} staff ({sum(STAFF.values()) - OFF_DUTY}
on shift), {PATIENTS:,} patients ({IN_CARE:,} in active home care, {WITH_NEEDS:,} of them
with home-visit needs) and the previous {HISTORY_DAYS} days of visits laid down by the
planner's own "is it due" rule, then plans {day} in a fresh process: {m["due"]} visits due
({m["visits"]} for the solver, {m["placed"]} placed) for {m["staff"]} staff. The raw-read
baseline reads the rows any planner must look at (the day's shifts, every current
home-visit need, this week's visits) with a cursor, in the same process. Peak memory
is the process's peak resident memory (`VmHWM`).

Measured on commit {git_commit()}.

{chr(10).join(table)}
{END_MARKER}"""
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    configure_environment()
    if args.measure:
        print(json.dumps(measure(dt.date.fromisoformat(args.measure))))
        return 0
    ensure_postgres()
    ensure_database(DB_NAME, fresh=args.rebuild)
    migrate()
    day = planned_day()
    if not fixture_ready(day):
        if leftovers():
            from django.core.management import call_command

            print("Emptying the database: its service was built for another day.")
            call_command("flush", interactive=False, verbosity=0)
        build_service(day)
    m = measure_in_child(day)
    section = report(day, m)
    print(section)
    write_section(section, start=START_MARKER, end=END_MARKER)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"Benchmark failed: {error}", file=sys.stderr)
        sys.exit(2)
