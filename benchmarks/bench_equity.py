"""The trip objectives and the alternatives on a shipped scenario, side by side in one run.

Usage: python benchmarks/bench_equity.py [CONFIG] [--slack 0.05] [--time-limit S] [--repeat N]

For the worst trip within the slack it solves both formulations of the first stage — the
arc-binary one (a binary per arc-year, x ≤ d·used, D ≥ km·used) and optimizer.equity's levels (one
binary per distinct arc length) — and prints variables, binaries, build and solve seconds, gap
and the trip; then the p90 trip (levels, free and bounded by the least-cost plan's p90 as
optimizer.equity does), and the two stages of one alternative per differ-objective. Seconds are
medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyomo.environ as pyo

from models import strategic
from optimizer import alternatives, equity, pipeline
from optimizer.parameters import prepare
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def _with_ceiling(params, ceiling):
    m = strategic.build(params)
    cost = m.cost.expr
    m.cost.deactivate()
    m.cost_ceiling = pyo.Constraint(expr=cost <= ceiling)
    return m


def arc_binaries(params, ceiling):
    """The reference first stage: a binary per arc-year."""
    m = _with_ceiling(params, ceiling)
    m.arc_used = pyo.Var(m.X, domain=pyo.Binary)
    m.arc_bound = pyo.Constraint(
        m.X, rule=lambda m, *i: m.x[i] <= params.demand[i[0], i[1], i[4]] * m.arc_used[i]
    )
    m.longest_km = pyo.Var(domain=pyo.NonNegativeReals)
    m.longest = pyo.Constraint(
        m.X, rule=lambda m, *i: m.longest_km >= params.arc_km[i[:4]] * m.arc_used[i]
    )
    m.trip = pyo.Objective(expr=m.longest_km)
    return m, m.longest_km


def levels(params, ceiling, alpha, known_km=None):
    """optimizer.equity's first stage; ``known_km`` fixes the levels above it at 0."""
    m = _with_ceiling(params, ceiling)
    trip = equity.add_trip_levels(m, alpha)
    for j, d in enumerate(m.level_km):
        if known_km is not None and d > known_km + 1e-9:
            m.level_on[j].fix(0)
    m.trip = pyo.Objective(expr=trip)
    return m, trip


def measure(build, time_limit, repeat):
    builds, solves, last = [], [], None
    for _ in range(repeat):
        started = time.perf_counter()
        m, trip = build()
        builds.append(time.perf_counter() - started)
        result = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
        solves.append(result.solve_seconds)
        binaries = sum(1 for v in m.component_data_objects(pyo.Var) if v.is_binary())
        value = pyo.value(trip, exception=False) if result.has_solution else None
        last = (m.nvariables(), binaries, result, value)
    return statistics.median(builds), statistics.median(solves), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", default=str(ROOT / "configs/baseline-2026.yaml"))
    parser.add_argument("--slack", type=float, default=0.05)
    parser.add_argument("--time-limit", type=float, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    data = pipeline.load(Path(args.config))
    plan = pipeline.solve_plan(data, time_limit=args.time_limit)
    params = prepare(data)
    least = plan.result.objective
    ceiling = (1 + args.slack) * least
    print(f"{data.scenario.name}: least cost EUR {least:,.0f} ({plan.result.describe()}); "
          f"ceiling EUR {ceiling:,.0f} ({100 * args.slack:g} %)")  # fmt: skip
    print(f"{'first stage':<28} {'vars':>7} {'binaries':>8} {'build s':>8} {'solve s':>8} "
          f"{'gap':>8} {'trip km':>8}")  # fmt: skip
    p90 = plan.summary["trips"]["all"]["p90_km"]  # the least-cost plan's: a bound on the least
    cases = [
        ("worst trip, arc binaries", lambda: arc_binaries(params, ceiling)),
        ("worst trip, levels", lambda: levels(params, ceiling, 0.0)),
        ("p90 trip, levels", lambda: levels(params, ceiling, 0.1)),
        ("p90 trip, levels + bound", lambda: levels(params, ceiling, 0.1, p90)),
    ]
    for name, build in cases:
        b, s, (nvars, binaries, result, trip) = measure(build, args.time_limit, args.repeat)
        gap = "–" if result.mip_gap is None else f"{100 * result.mip_gap:.3f}%"
        km = "none" if trip is None else f"{trip:.1f}"
        print(f"{name:<28} {nvars:>7} {binaries:>8} {b:>8.2f} {s:>8.2f} {gap:>8} {km:>8}")
    first = alternatives.runs_of(plan.model)
    for differ in alternatives.DIFFERS:
        found = alternatives.generate(params, least, first, args.slack, 1, args.time_limit, differ)
        for alt in found:
            print(
                f"alternative ({differ}): stage 1 {alt.spread.solve_seconds:.2f} s "
                f"({alt.spread.describe()}), stage 2 {alt.result.solve_seconds:.2f} s; "
                f"EUR {alt.objective_eur - least:,.0f} more, {alt.differs_from_nearest} "
                "site-type-years changed"
            )


if __name__ == "__main__":
    main()
