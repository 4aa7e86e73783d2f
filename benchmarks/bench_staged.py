"""The shipped staged plan (configs/demand-paths.yaml) by both engines, side by side in one run.

Usage: python benchmarks/bench_staged.py [--config FILE] [--time-limit S] [--ranks N]

For each engine (the extensive form in one HiGHS run; mpi-sppy's progressive hedging on N MPI
ranks with its first stage then fixed and each path's recourse solved exactly): seconds of the
whole staged solve (own optima, the staged plan, EEV), the expected cost of the plan, the bound
each proves and its gap, and the mpi-sppy plan's cost against the extensive form's (relative).
Needs the mpi extra (``pip install -e '.[mpi]'``) for the mpi-sppy row.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from optimizer.pipeline import load  # noqa: E402
from optimizer.solve import highs_version  # noqa: E402
from optimizer.staged_run import path_inputs  # noqa: E402
from optimizer.stochastic import solve_staged  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "configs" / "demand-paths.yaml"))
    parser.add_argument("--time-limit", type=float, default=None, help="default: the scenario's")
    parser.add_argument("--ranks", type=int, default=2)
    args = parser.parse_args()
    data = load(Path(args.config))
    sc = data.scenario
    limit = sc.solver.time_limit_s if args.time_limit is None else args.time_limit
    inputs = path_inputs(data)
    first = sc.demand_paths.first_stage_years
    print(f"{sc.name}: {len(inputs)} paths, first stage {first}, time limit {limit:g} s per "
          f"solve, gap {sc.solver.mip_rel_gap:g}, formulation {sc.solver.formulation}, "
          f"HiGHS {highs_version()}")  # fmt: skip
    rows = []
    for engine, ranks in (("extensive-form", 1), ("mpi-sppy", args.ranks)):
        started = time.perf_counter()
        try:
            plan = solve_staged(
                inputs, first, time_limit=limit, mip_rel_gap=sc.solver.mip_rel_gap,
                engine=engine, ranks=ranks, formulation=sc.solver.formulation,
            )  # fmt: skip
        except Exception as exc:  # a benchmark reports a failed engine and goes on
            rows.append((engine, ranks, time.perf_counter() - started, None, None, None, str(exc)))
            continue
        seconds = time.perf_counter() - started
        rows.append((engine, ranks, seconds, plan.expected_cost_eur, plan.result.bound,
                     plan.result.mip_gap, plan.result.termination))  # fmt: skip
    ef = rows[0][3]
    print(f"{'engine':16s} {'ranks':>5s} {'seconds':>8s} {'expected EUR':>14s} {'bound EUR':>14s} "
          f"{'gap':>8s} {'vs EF':>8s}  termination")  # fmt: skip
    for engine, ranks, seconds, cost, bound, gap, note in rows:
        money = lambda v: f"{v:14,.0f}" if v is not None else f"{'-':>14s}"  # noqa: E731
        rel = f"{100 * (cost - ef) / ef:7.2f}%" if cost is not None and ef else f"{'-':>8s}"
        gap_text = f"{100 * gap:7.2f}%" if gap is not None else f"{'-':>8s}"
        print(f"{engine:16s} {ranks:5d} {seconds:8.1f} {money(cost)} {money(bound)} {gap_text} "
              f"{rel}  {note}")  # fmt: skip


if __name__ == "__main__":
    main()
