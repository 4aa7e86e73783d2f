"""Benchmark the classic models on OR-Library's pmed and cap files against published optima.

Run from the project root::

    python benchmarks/bench_classic.py                # all 33 instances
    python benchmarks/bench_classic.py cap pmed1-5    # a family, a range, or single names
    python benchmarks/bench_classic.py --repeat 3 pmed16
    python benchmarks/bench_classic.py --reference pmed    # the textbook model, for comparison

Why a script and not only tests: the tests solve a fast subset; this shows where time goes (build
vs solve) on every instance so a change to a model or solver setting can be compared run to run.
Rows always come in ``optima.csv`` order; with ``--repeat`` the fastest build and solve times are
reported, the least noisy estimate on a shared machine. Exit status 1 when any instance misses
its published optimum or is not proven optimal, so the script can gate a release.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `python benchmarks/bench_classic.py` finds the packages

from optimizer.classic.instances import ClassicResult, solve_instance  # noqa: E402
from optimizer.classic.orlib import PublishedOptimum, load_optima, matches_published  # noqa: E402
from optimizer.solve import highs_version  # noqa: E402

COLUMNS = ("instance", "n", "sites", "p", "build s", "solve s", "objective", "published", "match")


def select(optima: dict[str, PublishedOptimum], wanted: list[str]) -> list[PublishedOptimum]:
    """Instances named by ``wanted`` (names, families, or ranges like ``pmed1-5``), in csv order."""
    if not wanted:
        return list(optima.values())
    chosen: set[str] = set()
    for word in wanted:
        if word in ("pmed", "cap"):
            chosen.update(name for name, row in optima.items() if row.family == word)
            continue
        span = re.fullmatch(r"([a-z]+)(\d+)-(\d+)", word)
        if span:
            prefix, low, high = span.group(1), int(span.group(2)), int(span.group(3))
            names = {f"{prefix}{k}" for k in range(low, high + 1)} & optima.keys()
            if not names:
                raise SystemExit(f"no instance in range {word!r}")
            chosen.update(names)
            continue
        if word not in optima:
            raise SystemExit(f"unknown instance {word!r}; known: {', '.join(optima)}")
        chosen.add(word)
    return [row for name, row in optima.items() if name in chosen]


def run(
    row: PublishedOptimum, repeat: int, time_limit: float | None, formulation: str = "fast"
) -> tuple[ClassicResult, float, float]:
    """Solve ``repeat`` times; keep the last result and the fastest build and solve times."""
    results = [
        solve_instance(row.file, row.family, time_limit=time_limit, formulation=formulation)
        for _ in range(repeat)
    ]
    build = min(r.read_seconds + r.build_seconds for r in results)
    solve = min(r.solve_seconds for r in results)
    return results[-1], build, solve


def format_objective(value: float | None, family: str) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if family == "pmed" else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="*", help="names, 'pmed'/'cap', or ranges like pmed1-5")
    parser.add_argument("--repeat", type=int, default=1, help="runs per instance (min time kept)")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per solve")
    parser.add_argument(
        "--reference",
        action="store_true",
        help="pmed with the strong textbook Pyomo model instead of the fast exact path",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    rows = select(load_optima(), args.instances)

    print(
        f"HiGHS {highs_version()} | Python {platform.python_version()} | "
        f"{platform.machine()} {os.cpu_count()} cpu | repeat {args.repeat} | "
        f"time limit {args.time_limit or 'none'}"
    )
    path = "reference Pyomo model" if args.reference else "search + Lagrangian bound + radius MILP"
    print(f"pmed: {path}; build s = read (+ Floyd-Warshall) + model build; solve s = the rest")
    widths = (8, 4, 5, 4, 8, 8, 13, 13, 5)
    line = "  ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, widths, strict=True))
    print(line)
    print("-" * len(line))
    failures = 0
    total_build = total_solve = 0.0
    for row in rows:
        formulation = "reference" if args.reference else "fast"
        result, build, solve = run(row, args.repeat, args.time_limit, formulation)
        ok = result.proven_optimal and matches_published(
            row.family, result.objective, row.optimal_value
        )
        failures += not ok
        total_build += build
        total_solve += solve
        cells = (
            result.instance,
            result.n_clients,
            result.n_sites,
            "-" if result.p is None else result.p,
            f"{build:.2f}",
            f"{solve:.2f}",
            format_objective(result.objective, row.family),
            format_objective(row.optimal_value, row.family),
            "yes" if ok else ("NO" if result.proven_optimal else result.status),
        )
        print("  ".join(f"{str(c):>{w}}" for c, w in zip(cells, widths, strict=True)), flush=True)
    print("-" * len(line))
    print(
        f"{len(rows)} instances, {len(rows) - failures} match proven optimal; "
        f"build {total_build:.2f} s, solve {total_solve:.2f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
