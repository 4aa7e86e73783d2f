"""Where the LP bound loses: the relaxation with one family of integers fixed to a plan's values.

Usage: python benchmarks/bench_gap.py [--only NAME ...] [--time-limit S] [--reference]

For each instance of bench_scale.py (``--only``: names containing these), the fast model (the
reference with ``--reference``) is solved as ``jzplan run`` would (LP → kernel → rest, within
``--time-limit``); then its LP relaxation is solved with nothing fixed, and again with each family
of integer variables (and a few pairs of families) fixed to the plan's values. A family whose
fixing lifts the LP close to the plan is where the gap sits, so that is where rows or branching
pay; when fixing y and w together gives the plan's cost, the rest of the model is integral for
those decisions. Also prints the plan's and the LP's cost by component (EUR M, discounted).
"""

from __future__ import annotations

import argparse
import time

import pyomo.environ as pyo
from bench_scale import instances
from pyomo.contrib.solver.common.factory import SolverFactory

from models import strategic, strategic_fast
from optimizer import heuristic
from optimizer.results import cost_table

FIXINGS = (("o",), ("y",), ("g",), ("w",), ("o", "w"), ("y", "w"), ("y", "w", "conv"))


def components(m) -> dict[str, float]:
    """The objective by component (discounted EUR): the run folder's cost table, summed."""
    return cost_table(m).groupby("component")["eur_discounted"].sum().to_dict()


def lp(m) -> float | None:
    """The model's LP relaxation as it stands (fixed variables stay fixed); values loaded."""
    results = SolverFactory("highs").solve(m, raise_exception_on_nonoptimal_result=False)
    return results.incumbent_objective


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=["cand-9"])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--reference", action="store_true", help="the reference model")
    args = parser.parse_args(argv)
    for name, p in instances(args.only):
        build = strategic.build if args.reference else strategic_fast.build
        m = build(p)
        result, _ = heuristic.solve(m, p, args.time_limit, 1e-4)
        if result.objective is None:
            print(f"{name}: no plan in {args.time_limit:g} s")
            continue
        ints = [v for v in m.component_data_objects(pyo.Var) if v.is_integer() and not v.fixed]
        plan = {id(v): round(v.value) for v in ints}
        planned = components(m)
        heuristic._relaxed(ints)  # for good: each LP below fixes a family, then frees it
        print(f"{name}: plan {result.objective / 1e6:.3f}, its bound {result.bound / 1e6:.3f}")
        tick = time.perf_counter()
        bound = lp(m)
        print(f"  LP {'':<21} {bound / 1e6:9.3f}  ({time.perf_counter() - tick:.0f} s)")
        relaxed = components(m)
        for key, value in planned.items():
            print(f"    {key:<22} LP {relaxed[key] / 1e6:8.3f}  plan {value / 1e6:8.3f}")
        for families in FIXINGS:
            chosen = [v for v in ints if v.parent_component().local_name in families]
            if not chosen:
                continue
            for v in chosen:
                v.fix(plan[id(v)])
            bound = lp(m)
            for v in chosen:
                v.unfix()
            shown = "infeasible" if bound is None else f"{bound / 1e6:9.3f}"
            print(f"  LP, {'+'.join(families):<8} fixed ({len(chosen):>5}) {shown}", flush=True)


if __name__ == "__main__":
    main()
