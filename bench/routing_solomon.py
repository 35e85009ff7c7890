"""Visit planner on the Solomon VRPTW instances: is our modelling as good as PyVRP?

Run from the repository root (``make bench`` does): ``python bench/routing_solomon.py``.

1. Reads each of the 56 Solomon instances (100 customers) from the shared
   benchmark folder (``$HEARTH_SHARED/bench/vrptw``; by default the ``shared``
   folder beside the repository, else ``/work/shared``) with
   ``pyvrp.read(path, round_func="dimacs")`` (distances ×10, truncated).
2. Translates it into the planner's own ``Problem`` (one ``Staff`` with
   ``count`` = the fleet, its capacity and the depot's hours; one ``Visit`` per
   customer with its demand, window and service time; a ``Matrix`` travel
   provider; cost = distance) and solves it with ``hearth.routing.solve`` for
   a fixed time.
3. In the same run, on the other core: PyVRP on the instance directly
   (``Model.from_data(data).solve(MaxRuntime(seconds))``), so the difference is
   our modelling (pre-checks, building the model from our types, the probe
   for a day that does not fit, the Plan round trip), not the machine. And a
   nearest-neighbour heuristic as the naive baseline.
4. Checks every answer independently (each customer once, capacity, time
   windows, back at the depot in time, at most the fleet), and reports the gap
   to the best-known solution (BKS) per instance and on average.

Options: ``--seconds`` (default 5), ``--instances C101,R201``, ``--seed``,
``--write-docs`` (rewrite the routing-solomon section of docs/performance.md).
Exit status 0 when the benchmark ran (missed targets print MISSED), non-zero on
an error (missing data, an infeasible answer from our planner).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyvrp  # noqa: E402
from pyvrp.stop import MaxRuntime  # noqa: E402

from bench.support.report import DOC, git_commit, write_section  # noqa: E402
from hearth.routing import (  # noqa: E402
    Matrix,
    Place,
    Problem,
    Staff,
    Visit,
    Weights,
    Window,
    solve,
)

START_MARKER = "<!-- routing-solomon:start -->"
END_MARKER = "<!-- routing-solomon:end -->"
TARGET_MEAN_GAP = 0.5  # % above BKS, at 5 s
TARGET_VS_DIRECT = 0.1  # percentage points, ours minus PyVRP direct


class BenchError(Exception):
    """Something went wrong: the run is not a measurement."""


def shared_dir() -> Path:
    candidates = []
    if os.environ.get("HEARTH_SHARED"):
        candidates.append(Path(os.environ["HEARTH_SHARED"]))
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if (candidate / "bench" / "vrptw" / "solomon").is_dir():
            return candidate / "bench" / "vrptw"
    raise BenchError(
        "Solomon instances not found: set HEARTH_SHARED to the folder holding bench/vrptw."
    )


def read_bks(folder: Path) -> dict[str, float]:
    table: dict[str, float] = {}
    for line in (folder / "solomon_bks.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            table[parts[0]] = float(parts[1])
    return table


# --- The instance as our Problem --------------------------------------------------


def to_problem(data: pyvrp.ProblemData) -> Problem:
    locations = data.locations()
    vehicle_type = data.vehicle_types()[0]
    depot = data.depots()[0]

    def place(location: int) -> Place:
        where = locations[location]
        return Place(key=str(location), latitude=where.y, longitude=where.x)

    fleet = Staff(
        key="vehicle",
        discipline="vehicle",
        start=place(depot.location),
        end=place(depot.location),
        shift=Window(vehicle_type.tw_early, vehicle_type.tw_late),
        capacity=vehicle_type.capacity[0],
        count=vehicle_type.num_available,
    )
    visits = tuple(
        Visit(
            key=f"c{index + 1}",
            place=place(client.location),
            duration=client.service_duration,
            windows=(Window(client.tw_early, client.tw_late),),
            demand=client.delivery[0],
        )
        for index, client in enumerate(data.clients())
    )
    travel = Matrix(
        durations=data.duration_matrix(0).tolist(),
        distances=data.distance_matrix(0).tolist(),
        index_by_key={str(i): i for i in range(data.num_locations)},
    )
    return Problem(
        staff=(fleet,),
        visits=visits,
        travel=travel,
        weights=Weights(per_travel_time=0, per_distance=1),
    )


@dataclass
class Answer:
    routes: list[list[int]]  # client indices (0-based), per vehicle
    seconds: float


def check(data: pyvrp.ProblemData, answer: Answer) -> tuple[bool, str, int]:
    """Independent of PyVRP's own feasibility: (ok, why not, total distance)."""
    clients = data.clients()
    vehicle_type = data.vehicle_types()[0]
    depot = data.depots()[0].location
    distance = data.distance_matrix(0)
    duration = data.duration_matrix(0)
    seen = [c for route in answer.routes for c in route]
    if sorted(seen) != list(range(len(clients))):
        return False, "not every customer exactly once", 0
    if len(answer.routes) > vehicle_type.num_available:
        return False, f"{len(answer.routes)} vehicles > {vehicle_type.num_available}", 0
    total = 0
    for route in answer.routes:
        load = sum(clients[c].delivery[0] for c in route)
        if load > vehicle_type.capacity[0]:
            return False, f"load {load} > capacity", 0
        clock = vehicle_type.tw_early
        here = depot
        for c in route:
            client = clients[c]
            clock = max(clock + duration[here, client.location], client.tw_early)
            if clock > client.tw_late:
                return False, f"customer {c + 1} starts after its window", 0
            clock += client.service_duration
            total += distance[here, client.location]
            here = client.location
        clock += duration[here, depot]
        total += distance[here, depot]
        if clock > vehicle_type.tw_late:
            return False, "back at the depot too late", 0
    return True, "", int(total)


# --- The three solvers ------------------------------------------------------------


def run_ours(path: str, seconds: float, seed: int) -> Answer:
    data = pyvrp.read(path, round_func="dimacs")
    problem = to_problem(data)
    started = time.perf_counter()
    plan = solve(problem, seconds=seconds, seed=seed)
    elapsed = time.perf_counter() - started
    if plan.unplaced or not plan.feasible:
        return Answer(routes=[], seconds=elapsed)
    routes = [[int(stop.visit[1:]) - 1 for stop in route.stops] for route in plan.routes]
    return Answer(routes=routes, seconds=elapsed)


def run_direct(path: str, seconds: float, seed: int) -> Answer:
    data = pyvrp.read(path, round_func="dimacs")
    started = time.perf_counter()
    result = pyvrp.Model.from_data(data).solve(
        MaxRuntime(seconds), seed=seed, collect_stats=False, display=False
    )
    elapsed = time.perf_counter() - started
    if not result.is_feasible():
        return Answer(routes=[], seconds=elapsed)
    routes = [
        [activity.idx for activity in route.schedule() if activity.is_client()]
        for route in result.best.routes()
    ]
    return Answer(routes=routes, seconds=elapsed)


def run_nearest_neighbour(path: str) -> Answer:
    """Naive baseline: each vehicle in turn drives to the "nearest" customer it
    can still serve in time and carry (nearest in Solomon's sense: weighs
    distance, time until service can start and time left in the window, 4:4:2),
    until none is left for it."""
    data = pyvrp.read(path, round_func="dimacs")
    started = time.perf_counter()
    clients = data.clients()
    vehicle_type = data.vehicle_types()[0]
    depot = data.depots()[0].location
    distance = data.distance_matrix(0)
    duration = data.duration_matrix(0)
    left = set(range(len(clients)))
    routes: list[list[int]] = []
    while left and len(routes) < vehicle_type.num_available:
        route: list[int] = []
        clock, load, here = vehicle_type.tw_early, 0, depot
        while True:
            best: tuple[int, int] | None = None
            for c in left:
                client = clients[c]
                if load + client.delivery[0] > vehicle_type.capacity[0]:
                    continue
                begin = max(clock + duration[here, client.location], client.tw_early)
                if begin > client.tw_late:
                    continue
                back = begin + client.service_duration + duration[client.location, depot]
                if back > vehicle_type.tw_late:
                    continue
                # Solomon's (1987) nearest-neighbour closeness: distance, the
                # time until service can start, and how soon the window shuts.
                arrival = clock + duration[here, client.location]
                score = int(
                    4 * distance[here, client.location]
                    + 4 * (begin - clock)
                    + 2 * (client.tw_late - arrival)
                )
                if best is None or (score, c) < best:
                    best = (score, c)
            if best is None:
                break
            c = best[1]
            client = clients[c]
            clock = (
                max(clock + duration[here, client.location], client.tw_early)
                + client.service_duration
            )
            load += client.delivery[0]
            here = client.location
            route.append(c)
            left.discard(c)
        if not route:
            break
        routes.append(route)
    if left:
        return Answer(routes=[], seconds=time.perf_counter() - started)
    return Answer(routes=routes, seconds=time.perf_counter() - started)


def _worker(kind: str, path: str, seconds: float, seed: int) -> tuple[str, str, Answer]:
    if kind == "ours":
        return kind, path, run_ours(path, seconds, seed)
    return kind, path, run_direct(path, seconds, seed)


# --- Report -------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    bks: float
    ours: float | None
    ours_vehicles: int
    direct: float | None
    direct_vehicles: int
    nearest: float | None
    nearest_vehicles: int
    problem: str = ""

    @staticmethod
    def gap(cost: float | None, bks: float) -> float | None:
        return None if cost is None else 100 * (cost - bks) / bks


def fmt_gap(value: float | None) -> str:
    return "infeasible" if value is None else f"{value:.2f}%"


def fmt_cost(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def family(name: str) -> str:
    return re.sub(r"\d+$", "", name)


def summarise(rows: list[Row]) -> dict[str, float]:
    def mean(values: list[float | None]) -> float:
        kept = [v for v in values if v is not None]
        return statistics.fmean(kept) if kept else float("nan")

    return {
        "ours": mean([Row.gap(r.ours, r.bks) for r in rows]),
        "direct": mean([Row.gap(r.direct, r.bks) for r in rows]),
        "nearest": mean([Row.gap(r.nearest, r.bks) for r in rows]),
        "ours_feasible": sum(r.ours is not None for r in rows),
        "direct_feasible": sum(r.direct is not None for r in rows),
        "nearest_feasible": sum(r.nearest is not None for r in rows),
    }


def render(rows: list[Row], seconds: float, seed: int, wall: float) -> tuple[list[str], list[str]]:
    """(summary lines, per-instance table lines), as Markdown."""
    overall = summarise(rows)
    vs_direct = overall["ours"] - overall["direct"]
    all_feasible = overall["ours_feasible"] == len(rows)
    gap_ok = overall["ours"] <= TARGET_MEAN_GAP and all_feasible
    direct_ok = vs_direct <= TARGET_VS_DIRECT and all_feasible
    summary = [
        "| Figure | Value | Target | Result |",
        "|---|---|---|---|",
        f"| Instances feasible, ours / PyVRP direct / nearest neighbour | "
        f"{overall['ours_feasible']} / {overall['direct_feasible']} / "
        f"{overall['nearest_feasible']} of {len(rows)} | all (ours) | "
        f"{'pass' if all_feasible else 'MISSED'} |",
        f"| Mean gap to BKS, ours at {seconds:g} s | {overall['ours']:.2f}% | "
        f"≤ {TARGET_MEAN_GAP}% | {'pass' if gap_ok else 'MISSED'} |",
        f"| Mean gap to BKS, PyVRP direct at {seconds:g} s | {overall['direct']:.2f}% | — | — |",
        f"| Ours - direct | {vs_direct:+.2f} pp | ≤ +{TARGET_VS_DIRECT} pp | "
        f"{'pass' if direct_ok else 'MISSED'} |",
        f"| Mean gap to BKS, nearest neighbour | {overall['nearest']:.2f}% | — | — |",
    ]
    families = sorted({family(r.name) for r in rows})
    summary += [
        "",
        "| Family | n | Ours | PyVRP direct | Nearest neighbour |",
        "|---|---|---|---|---|",
    ]
    for name in families:
        subset = [r for r in rows if family(r.name) == name]
        figures = summarise(subset)
        summary.append(
            f"| {name} | {len(subset)} | {figures['ours']:.2f}% | {figures['direct']:.2f}% | "
            f"{figures['nearest']:.2f}% |"
        )
    table = [
        "| Instance | BKS | Ours | Gap | Veh. | Direct | Gap | Veh. | NN | Gap | Veh. |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        table.append(
            f"| {r.name} | {r.bks:.1f} | {fmt_cost(r.ours)} | {fmt_gap(Row.gap(r.ours, r.bks))} | "
            f"{r.ours_vehicles} | {fmt_cost(r.direct)} | {fmt_gap(Row.gap(r.direct, r.bks))} | "
            f"{r.direct_vehicles} | {fmt_cost(r.nearest)} | "
            f"{fmt_gap(Row.gap(r.nearest, r.bks))} | {r.nearest_vehicles} |"
        )
    del seed, wall
    return summary, table


def update_doc(summary: list[str], table: list[str], details: dict[str, str]) -> None:
    lines = [
        START_MARKER,
        "## Visit planner: Solomon VRPTW instances",
        "",
        "`bench/routing_solomon.py` reads the 56 Solomon instances (100 customers; DIMACS "
        "convention: distances ×10, truncated) and turns each into the planner's own "
        "`Problem` (one `Staff` with `count` = the fleet, each customer a `Visit` with its "
        "demand, window and service time, a `Matrix` travel provider, cost = distance). "
        "`hearth.routing.solve` plans it with a fixed time limit. On the other core, in the "
        "same run and with the same limit and seed, PyVRP solves the instance directly "
        "(`Model.from_data(...).solve(MaxRuntime(...))`), so *ours - direct* is the price of "
        "our modelling (pre-checks, the model built from our types, the probe for a day "
        "that cannot hold every required visit, the round trip through `Plan`). The naive "
        "baseline is Solomon's nearest-neighbour heuristic (each vehicle drives to the "
        '"nearest" customer it can still serve in time and carry, weighing distance, wait '
        "and time left in the window 4:4:2). Every answer is checked independently of "
        "PyVRP (each customer once, capacity, windows, back by the depot's closing, at "
        "most the fleet); the gap is (cost - BKS) / BKS with cost = distance / 10.",
        "",
        f"- Date: {details['date']}",
        f"- Commit: {details['commit']}",
        f"- Machine: {details['machine']}",
        f"- Time limit: {details['seconds']} s per instance per solver, seed {details['seed']}; "
        f"whole run {details['wall']}",
        "",
        *summary,
        "",
        "<details><summary>Per instance</summary>",
        "",
        *table,
        "",
        "</details>",
        END_MARKER,
    ]
    write_section("\n".join(lines), start=START_MARKER, end=END_MARKER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--instances", default="", help="comma-separated, e.g. C101,R201")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)

    folder = shared_dir()
    bks = read_bks(folder)
    paths = sorted((folder / "solomon").glob("*.vrp"))
    if args.instances:
        wanted = {name.strip().upper() for name in args.instances.split(",") if name.strip()}
        paths = [p for p in paths if p.stem.upper() in wanted]
        missing = wanted - {p.stem.upper() for p in paths}
        if missing:
            raise BenchError(f"unknown instances: {', '.join(sorted(missing))}")
    if not paths:
        raise BenchError(f"no .vrp files in {folder / 'solomon'}")
    print(
        f"{len(paths)} instances, {args.seconds:g} s each for ours and PyVRP direct "
        "(two processes, one per core)."
    )

    wall_started = time.perf_counter()
    answers: dict[tuple[str, str], Answer] = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        futures = []
        for path in paths:
            for kind in ("ours", "direct"):
                futures.append(pool.submit(_worker, kind, str(path), args.seconds, args.seed))
        for future in concurrent.futures.as_completed(futures):
            kind, path_text, answer = future.result()
            answers[(kind, path_text)] = answer
    wall = time.perf_counter() - wall_started

    rows: list[Row] = []
    problems: list[str] = []
    for path in paths:
        data = pyvrp.read(str(path), round_func="dimacs")
        costs: dict[str, tuple[float | None, int]] = {}
        for kind, answer in (
            ("ours", answers[("ours", str(path))]),
            ("direct", answers[("direct", str(path))]),
            ("nearest", run_nearest_neighbour(str(path))),
        ):
            if not answer.routes:
                costs[kind] = (None, 0)
                if kind == "ours":
                    problems.append(f"{path.stem}: our planner found no complete feasible plan")
                continue
            ok, why, total = check(data, answer)
            if not ok:
                costs[kind] = (None, 0)
                problems.append(f"{path.stem} ({kind}): {why}")
                continue
            costs[kind] = (total / 10, len(answer.routes))
        row = Row(
            name=path.stem,
            bks=bks[path.stem],
            ours=costs["ours"][0],
            ours_vehicles=costs["ours"][1],
            direct=costs["direct"][0],
            direct_vehicles=costs["direct"][1],
            nearest=costs["nearest"][0],
            nearest_vehicles=costs["nearest"][1],
        )
        rows.append(row)
        print(
            f"{row.name:6} BKS {row.bks:8.1f}  ours {fmt_cost(row.ours):>8} "
            f"{fmt_gap(Row.gap(row.ours, row.bks)):>8}  direct {fmt_cost(row.direct):>8} "
            f"{fmt_gap(Row.gap(row.direct, row.bks)):>8}  NN {fmt_cost(row.nearest):>8} "
            f"{fmt_gap(Row.gap(row.nearest, row.bks)):>8}"
        )

    summary, table = render(rows, args.seconds, args.seed, wall)
    print()
    print("\n".join(summary))
    for problem in problems:
        print(f"CHECK: {problem}")
    if args.write_docs:
        update_doc(
            summary,
            table,
            {
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "commit": git_commit(),
                "machine": f"{os.cpu_count()} CPU cores; ours and direct run side by side",
                "seconds": f"{args.seconds:g}",
                "seed": str(args.seed),
                "wall": f"{wall / 60:.1f} min",
            },
        )
        print(f"Rewrote the routing-solomon section of {DOC.relative_to(ROOT)}.")
    if any("ours" in p or "our planner" in p for p in problems):
        print("Our planner returned an infeasible or incomplete answer.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"routing_solomon: {error}", file=sys.stderr)
        sys.exit(2)
