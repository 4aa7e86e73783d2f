"""Time jzplan's p-median against PySAL spopt on OR-Library instances, in one run.

Needs the ``bench`` extra (spopt and PuLP; not needed by jzplan or its tests). From the project
root::

    pip install -e '.[bench]'
    python benchmarks/bench_spopt.py                       # pmed1-20, 3 repeats
    python benchmarks/bench_spopt.py pmed1-5 pmed16        # ranges and names from optima.csv
    python benchmarks/bench_spopt.py --repeat 1 --time-limit 600 pmed1-20
    python benchmarks/bench_spopt.py /data/pmed35.txt --optimum VALUE    # any pmed file

Both tools get the same shortest-path cost matrix (read and Floyd-Warshall once per instance,
shown as "read s" and not counted for either), the same HiGHS (spopt through ``pulp.HiGHS``,
which drives highspy in-process), the same relative MIP gap and the same ``--time-limit`` per
solve. "build" is model construction (``solve_instance``'s build time;
``PMedian.from_cost_matrix``), "solve" is hand-over to HiGHS plus HiGHS (``solve_instance``'s
solve time; ``PMedian.solve``). Both tools first solve a 3-vertex warm-up instance, untimed, so
neither pays one-time import and initialisation costs inside the table.

Why medians and ratios: the machine is shared and noisy, so each instance runs ``--repeat`` times
with the two tools alternating (ours first, then spopt first, ...) so that a burst of load hits
both, and the table shows median times. The ratio ours/spopt of median build+solve time is
meaningful within one run even when the absolute seconds are not comparable across runs.

Exit status 1 if either tool misses the published optimum (or, for a file without ``--optimum``,
if either is not proven optimal or they disagree).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `python benchmarks/bench_spopt.py` finds the packages
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for bench_classic.select

from bench_classic import select  # noqa: E402

from optimizer.classic.instances import EXACT_REL_GAP, solve_instance  # noqa: E402
from optimizer.classic.orlib import PMedianInstance, load_optima, matches_published, read_pmed  # noqa: E402

try:
    import pulp
    from spopt.locate import PMedian
except ImportError as error:  # pragma: no cover - depends on the environment
    raise SystemExit(f"{error}; install the benchmark extra: pip install -e '.[bench]'") from None


@dataclass(frozen=True)
class Run:
    """One solve by one tool: objective (None if no solution), proven optimal, seconds."""

    objective: float | None
    optimal: bool
    build: float
    solve: float


def run_ours(path: Path, time_limit: float | None) -> Run:
    result = solve_instance(path, "pmed", time_limit=time_limit)
    return Run(result.objective, result.proven_optimal, result.build_seconds, result.solve_seconds)


def run_spopt(instance: PMedianInstance, time_limit: float | None) -> Run:
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=EXACT_REL_GAP)
    started = time.perf_counter()
    model = PMedian.from_cost_matrix(instance.cost, np.ones(instance.n), instance.p)
    built = time.perf_counter()
    try:
        model.solve(solver)
    except RuntimeError:  # spopt's check_status: PuLP found no solution
        return Run(None, False, built - started, time.perf_counter() - built)
    solved = time.perf_counter()
    # pulp.HiGHS reports a time-limit stop as LpStatusOptimal; only sol_status tells them apart.
    optimal = model.problem.sol_status == pulp.LpSolutionOptimal
    return Run(model.problem.objective.value(), optimal, built - started, solved - built)


def warm_up() -> None:
    """Solve a 3-vertex instance with both tools so lazy imports are not timed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "warmup.txt"
        path.write_text("3 2 1\n1 2 1\n2 3 1\n")
        run_ours(path, None)
        run_spopt(read_pmed(path), None)


def ok(run: Run, other: Run, published: float | None) -> bool:
    """Proven optimal at the published value (without one: both proven optimal and equal)."""
    if published is not None:
        return run.optimal and matches_published("pmed", run.objective, published)
    return run.optimal and other.optimal and abs(run.objective - other.objective) <= 1e-6


def instances(words: list[str], optimum: list[float] | None) -> list[tuple[Path, float | None]]:
    """(file, published optimum) for names/ranges from optima.csv and for file paths."""
    paths = [w for w in words if w.endswith(".txt") or os.sep in w or Path(w).is_file()]
    names = [w for w in words if w not in paths]
    if optimum and len(optimum) != len(paths):
        raise SystemExit(f"--optimum given {len(optimum)} time(s) for {len(paths)} file path(s)")
    chosen = []
    if names or not paths:
        for row in select(load_optima(), names or ["pmed"]):
            if row.family != "pmed":
                raise SystemExit(f"{row.instance} is not a p-median instance")
            chosen.append((row.file, row.optimal_value))
    chosen += [(Path(p), v) for p, v in zip(paths, optimum or [None] * len(paths), strict=True)]
    return chosen


def machine_info(args: argparse.Namespace) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{platform.machine()}, {cores} usable of {os.cpu_count()} cores, load {load} | "
        f"Python {platform.python_version()} | highspy {version('highspy')} | "
        f"spopt {version('spopt')} | PuLP {version('pulp')} | Pyomo {version('pyomo')}\n"
        f"repeat {args.repeat} (medians), time limit {args.time_limit or 'none'} s per solve, "
        f"mip_rel_gap {EXACT_REL_GAP:g} for both"
    )


COLUMNS = (
    ("instance", 9), ("n", 4), ("p", 3), ("read s", 6), ("published", 9), ("ours", 9),
    ("spopt", 9), ("our bld", 7), ("our slv", 7), ("sp bld", 7), ("sp slv", 7),
    ("ratio", 6), ("ok", 5),
)  # fmt: skip


def row_text(cells: tuple) -> str:
    return "  ".join(f"{str(c):>{w}}" for c, (_, w) in zip(cells, COLUMNS, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", help="pmedN, ranges like pmed1-5, or pmed files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and instance")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per solve")
    parser.add_argument(
        "--optimum", type=float, action="append", help="published optimum, once per file path"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    chosen = instances(args.instances, args.optimum)

    print(machine_info(args))
    warm_up()
    print("seconds are medians: bld = build, slv = solve; ratio = ours/spopt of bld + slv")
    header = row_text(tuple(name for name, _ in COLUMNS))
    print(header, "-" * len(header), sep="\n")
    failures = 0
    total_ours = total_spopt = 0.0
    for path, published in chosen:
        started = time.perf_counter()
        instance = read_pmed(path)
        read = time.perf_counter() - started
        ours: list[Run] = []
        theirs: list[Run] = []
        for k in range(args.repeat):  # alternate which tool goes first
            for tool in ("ours", "spopt") if k % 2 == 0 else ("spopt", "ours"):
                gc.collect()  # outside the timed region: no tool pays for the other's garbage
                if tool == "ours":
                    ours.append(run_ours(path, args.time_limit))
                else:
                    theirs.append(run_spopt(instance, args.time_limit))
        our_build = statistics.median(r.build for r in ours)
        our_solve = statistics.median(r.solve for r in ours)
        sp_build = statistics.median(r.build for r in theirs)
        sp_solve = statistics.median(r.solve for r in theirs)
        total_ours += our_build + our_solve
        total_spopt += sp_build + sp_solve
        good_ours = all(ok(r, theirs[0], published) for r in ours)
        good_spopt = all(ok(r, ours[0], published) for r in theirs)
        failures += not (good_ours and good_spopt)
        verdict = {(True, True): "yes", (False, True): "OURS", (True, False): "SPOPT"}
        cells = (
            instance.name,
            instance.n,
            instance.p,
            f"{read:.2f}",
            "-" if published is None else f"{published:.0f}",
            "-" if ours[-1].objective is None else f"{ours[-1].objective:.0f}",
            "-" if theirs[-1].objective is None else f"{theirs[-1].objective:.0f}",
            f"{our_build:.2f}",
            f"{our_solve:.2f}",
            f"{sp_build:.2f}",
            f"{sp_solve:.2f}",
            f"{(our_build + our_solve) / (sp_build + sp_solve):.3f}",
            verdict.get((good_ours, good_spopt), "BOTH"),
        )
        print(row_text(cells), flush=True)
    print("-" * len(header))
    print(
        f"{len(chosen)} instances, {len(chosen) - failures} reproduced by both | "
        f"total build+solve (sum of medians): ours {total_ours:.2f} s, spopt {total_spopt:.2f} s"
        f" | ours/spopt = {total_ours / total_spopt:.3f}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
