"""Build and solve times of the strategic MILP: shipped scenarios and a synthetic scale-up.

Usage: python benchmarks/bench_strategic.py [--time-limit S]
The scale-up makes every municipality a candidate site for all three types and plans ten years,
so build time can be compared with solve time side by side in one run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geodata
from optimizer import pipeline
from optimizer.data import build_input_data
from optimizer.scenario import load_scenario, resolve_yaml
from optimizer.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]


def scale_up(years: int = 10) -> tuple[Scenario, Path]:
    data = resolve_yaml(ROOT / "configs/baseline-2026.yaml", [], {})
    first = data["planning"]["first_year"]
    last = first + years - 1
    data["name"] = "scale-up"
    data["planning"]["last_year"] = last
    totals = data["demand"]["totals"]["values"]
    shares = data["demand"]["need_shares"]["values"]
    for year in range(first, last + 1):
        totals.setdefault(year, totals[max(totals)])
        shares.setdefault(year, shares[max(shares)])
    budget = data["policy"]["budget_eur_per_year"]["values"]
    for year in range(first, last + 1):
        budget.setdefault(year, budget[max(budget)])
    for row in geodata.load_municipalities().itertuples():
        data["sites"][f"site_{row.gm_code}"] = {
            "name": f"Candidate {row.name}", "gm_code": row.gm_code, "lat": row.lat, "lon": row.lon,
            "allowed_types": ["closed", "hybrid", "open"], "max_groups": 2,
            "education": {"on_site": True, "assumption": "benchmark"},
            "assumption": "benchmark: every municipality a candidate",
        }  # fmt: skip
    return Scenario.model_validate(data), ROOT / "configs"


def measure(name: str, scenario: Scenario, base: Path, time_limit: float, gap: float) -> None:
    """Through the pipeline the CLI uses, so the numbers are those of ``jzplan run``.

    A run that finds no plan within the time limit (or is infeasible) is a row too: at scale
    that is the finding, not a crash of the benchmark.
    """
    started = time.perf_counter()
    try:
        plan = pipeline.solve_plan(
            build_input_data(scenario, base), time_limit=time_limit, mip_rel_gap=gap
        )
    except (pipeline.NoPlanFound, pipeline.ScenarioInfeasible) as exc:
        seconds = time.perf_counter() - started
        print(f"{name:<22} {'':>8} {'':>8} {'':>8} {seconds:>8.2f} {'':>7} {'none':>16}  {exc}")
        return
    model, result, build = plan.model, plan.result, plan.build_seconds
    print(
        f"{name:<22} {model.nvariables():>8} {model.nconstraints():>8} {build:>8.2f} "
        f"{result.solve_seconds:>8.2f} {build / max(result.solve_seconds, 1e-9):>7.2f} "
        f"{result.objective or float('nan'):>16,.0f}  {result.describe()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=300)
    args = parser.parse_args()
    print(f"{'scenario':<22} {'vars':>8} {'cons':>8} {'build s':>8} {'solve s':>8} "
          f"{'b/s':>7} {'objective EUR':>16}  status")  # fmt: skip
    for config in sorted((ROOT / "configs").glob("*.yaml")):
        scenario, base = load_scenario(config)
        measure(scenario.name, scenario, base, args.time_limit, 0.0)
    scenario, base = scale_up()
    measure("scale-up (27 sites,10y)", scenario, base, args.time_limit, 1e-3)


if __name__ == "__main__":
    main()
