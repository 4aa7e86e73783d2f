"""The reference and the fast strategic formulation side by side, on instances that grow.

Usage: python benchmarks/bench_scale.py [--time-limit S] [--gap G] [--repeat N] [--shipped]
                                        [--only NAME ...] [--variants V ...]

Instances: the baseline scenario; generated ones between it and the scale-up of
bench_strategic.py (every n-th of the 27 municipalities a candidate for all three types, more
years); the scale-up itself (27 candidates × 3 types × 10 years); ``configs/national-2026.yaml``
when it exists (``--shipped``: every scenario in configs/ instead of the baseline). Every
variant solves the same prepared parameters with the same time limit and gap (the time limit
covers every stage of a variant: LP, kernel and full MILP for ``fast``):

    reference         models.strategic.build, solved by optimizer.solve (what ``jzplan run`` does)
    fast              models.strategic_fast.build, solved by optimizer.heuristic (LP → kernel →
                      full MILP from the kernel's plan with a cutoff)
    fast-nokernel     the fast model, full MILP only (what the valid inequalities buy alone)
    fast-nosplit      stage 3 is the full MILP from the kernel's plan, not the plans beyond it
    reference-kernel  the reference model through the heuristic (what the kernel buys alone)
    fast-without:ROW  the fast model without one family of rows (``cover_split``, ...)
    fast-share:F      the fast model with the kernel stage's share F of the time (default:
                      optimizer.heuristic.KERNEL_SHARE)

Columns: variables, build s, solve s, the gap at the end (HiGHS's: |obj − bound| / |obj|),
objective and bound (EUR), status, and for the heuristic the LP bound, relax-and-fix's start plan,
the kernel's plan and their seconds, the kernel MILP's bound and stage 3's (the run's bound is
the smaller, or the LP's when higher). ``--repeat N`` runs each cell N times and prints medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import geodata
from optimizer.data import build_input_data
from optimizer.parameters import prepare
from optimizer.scenario import load_scenario, resolve_yaml
from optimizer.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("reference", "fast")
#: (name, candidates, years): the ladder from the baseline to the scale-up
LADDER = (("cand-9 × 5y", 9, 5), ("cand-18 × 5y", 18, 5), ("cand-27 × 5y", 27, 5),
          ("cand-27 × 7y", 27, 7), ("scale-up 27 × 10y", 27, 10))  # fmt: skip


def generated(candidates: int, years: int) -> tuple[Scenario, Path]:
    """The baseline with ``candidates`` municipalities (evenly spread over the 27) as candidate
    sites for all three types, max 2 groups, education on site, over ``years`` plan years; with
    27 and 10 it is bench_strategic.py's scale-up."""
    data = resolve_yaml(ROOT / "configs/baseline-2026.yaml", [], {})
    first = data["planning"]["first_year"]
    last = first + years - 1
    data["name"] = f"generated-{candidates}x{years}"
    data["planning"]["last_year"] = last
    for key in (("demand", "totals"), ("demand", "need_shares"), ("policy", "budget_eur_per_year")):
        values = data[key[0]][key[1]]["values"]
        for year in range(first, last + 1):
            values.setdefault(year, values[max(values)])
    rows = list(geodata.load_municipalities().itertuples())
    chosen = [rows[i * len(rows) // candidates] for i in range(candidates)]
    for row in chosen:
        data["sites"][f"site_{row.gm_code}"] = {
            "name": f"Candidate {row.name}", "gm_code": row.gm_code, "lat": row.lat, "lon": row.lon,
            "allowed_types": ["closed", "hybrid", "open"], "max_groups": 2,
            "education": {"on_site": True, "assumption": "benchmark"},
            "assumption": "benchmark: a municipality as candidate",
        }  # fmt: skip
    return Scenario.model_validate(data), ROOT / "configs"


def instances(only: list[str], shipped: bool = False) -> list[tuple[str, object]]:
    """(name, prepared parameters) of every instance (``only``: names containing one of these;
    ``shipped``: every scenario in configs/ first)."""
    found = [("baseline", load_scenario(ROOT / "configs/baseline-2026.yaml"))]
    if shipped:
        found = [(c.stem, load_scenario(c)) for c in sorted((ROOT / "configs").glob("*.yaml"))]
    found += [(name, generated(c, y)) for name, c, y in LADDER]
    national = ROOT / "configs/national-2026.yaml"
    if not national.exists():
        print(f"(no {national.relative_to(ROOT)}: the national row is left out)")
    elif not shipped:  # with --shipped it is among the configs already
        found.append(("national-2026", load_scenario(national)))
    keep = [(n, sb) for n, sb in found if not only or any(o in n for o in only)]
    return [(name, prepare(build_input_data(sc, base))) for name, (sc, base) in keep]


def run_variant(variant: str, p, time_limit: float, gap: float) -> dict:
    """Build and solve one variant on parameters ``p``; the row's numbers."""
    from models import strategic, strategic_fast
    from optimizer import heuristic
    from optimizer.solve import solve

    fast = variant.startswith("fast")
    option = variant.split(":", 1)[1] if ":" in variant else ""
    without = frozenset(option.split(",")) if variant.startswith("fast-without") else frozenset()
    share = float(option) if variant.startswith("fast-share") else heuristic.KERNEL_SHARE
    started = time.perf_counter()
    m = strategic_fast.build(p, without=without) if fast else strategic.build(p)
    build = time.perf_counter() - started
    row = {"vars": m.nvariables(), "cons": m.nconstraints(), "build_s": build}
    if variant == "reference":
        result = solve(m, time_limit=time_limit, mip_rel_gap=gap)
    else:
        kernel = variant != "fast-nokernel"
        split = variant != "fast-nosplit"
        result, stages = heuristic.solve(
            m, p, time_limit, gap, heuristic=kernel, split=split, kernel_share=share
        )
        seconds = stages.seconds
        row.update(lp=stages.lp_bound, kernel=stages.kernel_objective,
                   rf=stages.relax_and_fix_objective, rf_s=seconds.get("relax_and_fix"),
                   kernel_s=seconds.get("lp", 0) + seconds.get("kernel", 0),
                   kbound=stages.kernel_bound, rbound=stages.rest_bound)  # fmt: skip
    row.update(solve_s=result.solve_seconds, gap=result.mip_gap, objective=result.objective,
               bound=result.bound, status=result.status)  # fmt: skip
    return row


def median_row(rows: list[dict]) -> dict:
    out = dict(rows[-1])
    for key, value in rows[-1].items():
        numbers = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
        if isinstance(value, (int, float)) and len(numbers) == len(rows):
            out[key] = statistics.median(numbers)
    out["status"] = "/".join(sorted({r["status"] for r in rows}))
    return out


def _num(value, fmt: str, width: int) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:>{width}{fmt}}"


def show(instance: str, variant: str, r: dict) -> None:
    gap = None if r["gap"] is None else 100 * r["gap"]
    eur = {
        k: None if r.get(k) is None else r[k] / 1e6
        for k in ("objective", "bound", "lp", "rf", "kernel", "kbound", "rbound")
    }
    print(
        f"{instance:<18} {variant:<24} {r['vars']:>7} {r['build_s']:>7.1f} {r['solve_s']:>7.1f} "
        f"{_num(gap, '.2f', 7)} {_num(eur['objective'], '.3f', 9)} {_num(eur['bound'], '.3f', 9)} "
        f"{_num(eur['lp'], '.3f', 8)} {_num(eur['rf'], '.3f', 8)} {_num(r.get('rf_s'), '.1f', 6)} "
        f"{_num(eur['kernel'], '.3f', 8)} {_num(r.get('kernel_s'), '.1f', 6)} "
        f"{_num(eur['kbound'], '.3f', 8)} {_num(eur['rbound'], '.3f', 8)}  {r['status']}",
        flush=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    parser.add_argument("--gap", type=float, default=0.005, help="relative gap to stop at")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell (medians)")
    parser.add_argument("--only", nargs="*", default=[], help="instances whose name contains")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--shipped", action="store_true", help="every configs/*.yaml as well")
    args = parser.parse_args(argv)
    print(f"time limit {args.time_limit:g} s, gap {100 * args.gap:g} %, repeat {args.repeat}; "
          "EUR M; gap %; R&F = relax-and-fix's start plan and its s; kernel s = LP + kernel "
          "stages (relax-and-fix included)")  # fmt: skip
    print(f"{'instance':<18} {'variant':<24} {'vars':>7} {'build':>7} {'solve':>7} {'gap%':>7} "
          f"{'objective':>9} {'bound':>9} {'LP':>8} {'R&F':>8} {'R&F s':>6} {'kernel':>8} "
          f"{'ker s':>6} {'ker bd':>8} {'rest bd':>8}  "
          "status")  # fmt: skip
    for name, p in instances(args.only, args.shipped):
        for variant in args.variants:
            rows = [run_variant(variant, p, args.time_limit, args.gap) for _ in range(args.repeat)]
            show(name, variant, median_row(rows))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
